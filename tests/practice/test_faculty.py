"""Awarded facilitators join the faculty and can be allocated sets in later intakes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.applications.models import IntakeFacilitator
from lms.assessment import faculty
from lms.assessment.models import Award, PortfolioSubmission, SubmissionStatus
from lms.db_types import utcnow
from lms.practice import allocation_data, allocation_runs
from lms.practice.models import SetStatus
from lms.practice.services import PracticeError


@pytest.fixture
def awarded(db, make_user, make_intake, make_organisation):
    """Someone awarded in an earlier intake: (person, their award)."""

    def make(**award_fields):
        earlier = make_intake()
        person = make_user(Role.FACILITATOR, organisation=make_organisation())
        db.session.add(IntakeFacilitator(intake_id=earlier.id, user_id=person.id))
        submission = PortfolioSubmission(
            user_id=person.id,
            intake_id=earlier.id,
            status=SubmissionStatus.AWARDED,
            personal_email="me@example.com",
        )
        db.session.add(submission)
        db.session.flush()
        award = Award(
            user_id=person.id,
            intake_id=earlier.id,
            submission_id=submission.id,
            holder_name=person.name,
            holder_email="me@example.com",
            **award_fields,
        )
        db.session.add(award)
        db.session.flush()
        return person, award

    return make


def test_a_valid_award_makes_faculty_and_puts_them_in_every_intakes_pool(db, awarded, make_intake):
    person, _ = awarded()
    later = make_intake()
    pool = {p.user.id: p for p in allocation_data.facilitator_pool(later)}
    assert person.id in pool and pool[person.id].faculty
    assert faculty.is_faculty(person.id)
    teams = allocation_data.facilitator_teams(later, None)
    assert [t.key for t in teams] == [str(person.id)]


@pytest.mark.parametrize(
    "fields",
    [
        {"revoked_at": utcnow()},
        {"expires_at": utcnow() - timedelta(days=1)},
    ],
    ids=["revoked", "expired"],
)
def test_a_revoked_or_expired_award_does_not(db, awarded, make_intake, fields):
    person, _ = awarded(**fields)
    later = make_intake()
    assert person.id not in {p.user.id for p in allocation_data.facilitator_pool(later)}
    assert not faculty.is_faculty(person.id)


def test_an_intakes_own_facilitators_are_listed_once_and_not_as_faculty(db, awarded, make_intake):
    person, _ = awarded()
    db.session.add(IntakeFacilitator(intake_id=(later := make_intake()).id, user_id=person.id))
    db.session.flush()
    pool = [p for p in allocation_data.facilitator_pool(later) if p.user.id == person.id]
    assert len(pool) == 1 and not pool[0].faculty


def test_a_lead_can_make_faculty_a_proposed_sets_facilitator(db, awarded, make_set, make_user):
    person, _ = awarded()
    practice_set = make_set(status=SetStatus.PROPOSED)
    lead = make_user(Role.LEAD)
    allocation_runs.set_facilitators(practice_set, [person.id], by=lead)
    assert practice_set.facilitator_ids == [person.id]


def test_but_not_someone_whose_award_was_revoked(db, awarded, make_set, make_user):
    person, _ = awarded(revoked_at=utcnow())
    practice_set = make_set(status=SetStatus.PROPOSED)
    with pytest.raises(PracticeError):
        allocation_runs.set_facilitators(practice_set, [person.id], by=make_user(Role.LEAD))
