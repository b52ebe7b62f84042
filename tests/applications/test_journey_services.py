"""The application journey through its services: drafts, submission, endorsement."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.applications import endorsement, services
from lms.applications.models import (
    ApplicationStatus,
    EndorsementDecision,
    EndorsementRequest,
    EndorsementStatus,
    EqualityResponse,
    EventKind,
)
from lms.applications.sections import SECTIONS_BY_KEY, SectionState, section_state
from lms.db_types import utcnow

from .conftest import ANSWERS


def test_a_draft_keeps_what_was_typed_and_says_what_is_missing(make_application, db):
    application = make_application(skip=("personal",))
    section = SECTIONS_BY_KEY["personal"]
    missing = services.save_section(
        application,
        section,
        {"full_name": "Aisha", "contact_email": "", "phone": ""},
        complete=True,
    )
    assert set(missing) == {"contact_email", "phone"}
    assert application.full_name == "Aisha"
    assert section_state(application, section) is SectionState.IN_PROGRESS
    services.save_section(application, section, ANSWERS["personal"], complete=True)
    assert section_state(application, section) is SectionState.COMPLETED


def test_submitting_asks_the_line_manager_and_detaches_equality_answers(
    make_application, outbox, db
):
    application = make_application()
    services.save_equality(application, {"age_band": "35_44", "sex": "female"})
    services.submit_application(application, services.today(), by=application.applicant)
    assert application.status is ApplicationStatus.SUBMITTED
    assert application.endorsement_status is EndorsementStatus.AWAITING
    response = db.session.scalar(db.select(EqualityResponse))
    assert response.user_id is None and response.intake_id == application.intake_id
    emails = outbox()
    to_manager = [m for m in emails if m.recipient == "morgan@example.org"]
    assert len(to_manager) == 1 and "/endorse/" in to_manager[0].body
    assert [e.kind for e in application.events][:3] == [
        EventKind.STARTED,
        EventKind.SUBMITTED,
        EventKind.ENDORSEMENT_REQUESTED,
    ]


@pytest.mark.parametrize("problem", ["twice", "closed", "incomplete", "ineligible"])
def test_submission_is_refused(problem, make_application, make_intake, db):
    intake = make_intake()
    application = make_application(intake, skip=("manager",) if problem == "incomplete" else ())
    if problem == "twice":
        services.submit_application(application, services.today(), by=application.applicant)
    if problem == "ineligible":
        services.save_section(
            application,
            SECTIONS_BY_KEY["eligibility"],
            {"works_in_health_care": "yes", "can_commit_time": "no"},
            complete=True,
        )
    on = intake.closes_on + timedelta(days=1) if problem == "closed" else services.today()
    with pytest.raises(services.ApplicationError):
        services.submit_application(application, on, by=application.applicant)


def test_endorsement_link_works_once(make_application, db):
    application = make_application(submit=True)
    token = endorsement.request_endorsement(application, by=application.applicant)
    endorsement.respond(token, EndorsementDecision.ENDORSED, "Fully supported")
    assert application.endorsement_status is EndorsementStatus.ENDORSED
    with pytest.raises(endorsement.LinkProblem) as used:
        endorsement.check_link(token)
    assert used.value.kind == "used"


def test_endorsement_link_expires_and_resending_retires_it(make_application, db):
    application = make_application(submit=True)
    first = endorsement.request_endorsement(application, by=application.applicant)
    later = utcnow() + timedelta(days=22)
    with pytest.raises(endorsement.LinkProblem) as expired:
        endorsement.check_link(first, now=later)
    assert expired.value.kind == "expired"
    second = endorsement.request_endorsement(application, by=application.applicant)
    with pytest.raises(endorsement.LinkProblem) as replaced:
        endorsement.check_link(first)
    assert replaced.value.kind == "replaced"
    assert endorsement.check_link(second)


def test_reminders_go_once_shortly_before_expiry(make_application, outbox, db):
    make_application(submit=True)
    assert endorsement.send_reminders() == 0
    soon = utcnow() + timedelta(days=15)
    assert endorsement.send_reminders(now=soon) == 1
    assert endorsement.send_reminders(now=soon) == 0
    requests = db.session.scalars(db.select(EndorsementRequest)).all()
    assert len(requests) == 2  # the reminder carries a new link with the same expiry
    assert requests[0].expires_at == requests[1].expires_at
    assert any("Reminder" in m.subject for m in outbox())


def test_starting_grants_the_applicant_role(make_user, make_intake, db):
    person = make_user(Role.REVIEWER)
    services.start_application(make_intake(), person, services.today())
    assert person.has_role(Role.APPLICANT)
