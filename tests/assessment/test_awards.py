"""Award services: issuing (and issuing twice), expiry from the renewal period, revoking,
renewing, the holder's email, codes, and who counts as faculty."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lms.accounts.models import Role
from lms.applications.models import IntakeFacilitator
from lms.assessment import awards, faculty
from lms.assessment.awards import AwardError, add_months, normalise_code
from lms.assessment.models import (
    CODE_ALPHABET,
    Award,
    AwardScheme,
    AwardStatus,
    PortfolioSubmission,
    SubmissionStatus,
)
from lms.audit import AuditEvent
from lms.db_types import utcnow
from lms.extensions import db
from lms.jobs import JobFailure
from lms.notifications.models import Notification

ISSUED = datetime(2026, 3, 14, 10, 30, tzinfo=UTC)


# --- Helpers the other award tests share ----------------------------------------------------


def join(user, intake) -> None:
    db.session.add(IntakeFacilitator(intake_id=intake.id, user_id=user.id))
    db.session.flush()


def submit(user, intake, email: str | None = None, status=SubmissionStatus.SUBMITTED):
    """A submission made directly, as the portfolio pages would."""
    submission = PortfolioSubmission(
        user_id=user.id,
        intake_id=intake.id,
        status=status,
        personal_email=email or f"personal.{user.id}@example.net",
        statement="My portfolio",
        snapshot={},
    )
    db.session.add(submission)
    db.session.flush()
    return submission


def make_award(user, intake, **fields) -> Award:
    """An award made directly (no job, no message), for pages that only read it."""
    submission = submit(
        user, intake, fields.pop("holder_email", None), status=SubmissionStatus.AWARDED
    )
    award = Award(
        user_id=user.id,
        intake_id=intake.id,
        submission_id=submission.id,
        holder_name=fields.pop("holder_name", user.name),
        holder_email=submission.personal_email,
        issued_at=fields.pop("issued_at", ISSUED),
        **fields,
    )
    db.session.add(award)
    db.session.flush()
    return award


def set_renewal(intake, months: int | None, requirements: dict | None = None) -> AwardScheme:
    scheme = AwardScheme(intake_id=intake.id, requirements=requirements or {})
    scheme.renewal_months = months
    db.session.add(scheme)
    db.session.flush()
    return scheme


def actions(subject_id: int) -> list[str]:
    return list(
        db.session.scalars(
            db.select(AuditEvent.action)
            .where(AuditEvent.subject_type == "Award", AuditEvent.subject_id == subject_id)
            .order_by(AuditEvent.id)
        )
    )


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture
def intake(make_intake):
    return make_intake(name="Award intake")


@pytest.fixture
def lead(make_user):
    return make_user(Role.LEAD, name="Lena Lead")


@pytest.fixture
def facilitator(make_user, intake):
    user = make_user(Role.FACILITATOR, name="Fran Facilitator")
    join(user, intake)
    return user


@pytest.fixture
def submission(facilitator, intake):
    return submit(facilitator, intake, "fran@personal.example")


# --- Issuing --------------------------------------------------------------------------------


def test_issuing_makes_the_award_and_tells_the_holder(db, submission, facilitator, lead, outbox):
    award = awards.issue_award(submission, lead)

    assert len(award.code) == 20 and set(award.code) <= set(CODE_ALPHABET)
    assert award.user_id == facilitator.id and award.intake_id == submission.intake_id
    assert award.holder_name == "Fran Facilitator"
    assert award.holder_email == "fran@personal.example"
    assert award.issued_by_id == lead.id and award.expires_at is None
    assert award.status() is AwardStatus.VALID
    assert submission.status is SubmissionStatus.AWARDED
    assert submission.reviewed_by_id == lead.id and submission.reviewed_at is not None
    assert actions(award.id) == ["award.issued"]

    note = db.session.scalar(db.select(Notification).filter_by(user_id=facilitator.id))
    assert note.link == f"/awards/{award.id}"
    sent = [m for m in outbox() if m.recipient == facilitator.email]
    assert len(sent) == 1 and "awarded" in sent[0].subject
    assert f"/awards/{award.id}" in sent[0].body

    # The certificate job ran (inline) and stored the PDF.
    assert count(JobFailure) == 0
    assert award.certificate_name and award.certificate_made_at is not None


def test_issuing_twice_gives_the_same_award_and_no_second_message(db, submission, lead, outbox):
    first = awards.issue_award(submission, lead)
    emails, notes = len(outbox()), count(Notification)

    again = awards.issue_award(submission, lead)

    assert again.id == first.id and again.code == first.code
    assert count(Award) == 1
    assert count(Notification) == notes and len(outbox()) == emails
    assert actions(first.id) == ["award.issued"]


def test_a_second_submission_in_the_same_intake_finds_the_first_award(
    db, submission, facilitator, intake, lead
):
    first = awards.issue_award(submission, lead)
    later = submit(facilitator, intake, "other@personal.example")

    assert awards.issue_award(later, lead).id == first.id
    assert count(Award) == 1
    assert later.status is SubmissionStatus.SUBMITTED  # untouched


def test_a_concurrent_double_issue_returns_the_winner(
    db, submission, facilitator, intake, lead, monkeypatch
):
    """Another request issued the award between our check and our insert: the unique
    constraint stops the second row and we hand back the first."""
    winner = Award(
        user_id=facilitator.id,
        intake_id=intake.id,
        submission_id=submission.id,
        holder_name=facilitator.name,
        holder_email=submission.personal_email,
    )
    db.session.add(winner)
    db.session.flush()
    real = awards.existing_award
    calls = []

    def not_yet(found_for):
        calls.append(found_for.id)
        return None if len(calls) == 1 else real(found_for)

    monkeypatch.setattr(awards, "existing_award", not_yet)

    award = awards.issue_award(submission, lead)

    assert award.id == winner.id and len(calls) == 2
    assert count(Award) == 1
    assert actions(winner.id) == []  # the loser recorded nothing


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.SUPERVISOR, Role.REVIEWER, Role.ADMIN])
def test_only_leads_issue(db, submission, make_user, role):
    with pytest.raises(AwardError):
        awards.issue_award(submission, make_user(role))
    assert count(Award) == 0
    assert submission.status is SubmissionStatus.SUBMITTED


def test_a_returned_portfolio_cannot_be_awarded(db, facilitator, intake, lead):
    returned = submit(facilitator, intake, status=SubmissionStatus.RETURNED)
    with pytest.raises(AwardError, match="not waiting for review"):
        awards.issue_award(returned, lead)
    assert count(Award) == 0


def test_the_renewal_period_sets_the_expiry(db, submission, intake, lead):
    set_renewal(intake, 24)
    award = awards.issue_award(submission, lead)
    assert award.expires_at == add_months(award.issued_at, 24)
    assert award.expires_at.year == award.issued_at.year + 2


def test_no_renewal_period_means_no_expiry(db, submission, intake, lead):
    set_renewal(intake, None)
    assert awards.issue_award(submission, lead).expires_at is None


def test_an_award_issued_on_31_january_with_a_month_lapses_at_the_end_of_february(
    db, submission, intake, lead, monkeypatch
):
    set_renewal(intake, 1)
    monkeypatch.setattr(awards, "utcnow", lambda: datetime(2027, 1, 31, 9, 0, tzinfo=UTC))
    award = awards.issue_award(submission, lead)
    assert award.issued_at == datetime(2027, 1, 31, 9, 0, tzinfo=UTC)
    assert award.expires_at == datetime(2027, 2, 28, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime(2026, 1, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2028, 1, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),  # leap year
        (datetime(2026, 3, 31, tzinfo=UTC), 1, datetime(2026, 4, 30, tzinfo=UTC)),
        (datetime(2026, 12, 15, tzinfo=UTC), 1, datetime(2027, 1, 15, tzinfo=UTC)),
        (datetime(2026, 11, 30, tzinfo=UTC), 3, datetime(2027, 2, 28, tzinfo=UTC)),
        (datetime(2026, 5, 10, tzinfo=UTC), 36, datetime(2029, 5, 10, tzinfo=UTC)),
    ],
)
def test_add_months_keeps_to_the_calendar(start, months, end):
    assert add_months(start, months) == end


# --- Revoking -------------------------------------------------------------------------------


@pytest.fixture
def award(submission, lead):
    return awards.issue_award(submission, lead)


def test_revoking_records_the_reason_and_tells_the_holder(db, award, lead, facilitator, outbox):
    before = len(outbox())
    awards.revoke(award, lead, "  Evidence was found to be copied.  ")

    assert award.status() is AwardStatus.REVOKED
    assert award.revoked_by_id == lead.id and award.revoked_at is not None
    assert award.revoke_reason == "Evidence was found to be copied."
    entry = db.session.scalar(
        db.select(AuditEvent).filter_by(action="award.revoked", subject_id=award.id)
    )
    assert (
        entry.detail["reason"] == "Evidence was found to be copied." and entry.actor_id == lead.id
    )
    sent = outbox()[before:]
    assert [m.recipient for m in sent] == [facilitator.email]
    assert "revoked" in sent[0].subject and "Evidence was found to be copied." in sent[0].body


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_revoking_needs_a_reason_of_sensible_length(db, award, lead, reason):
    with pytest.raises(AwardError) as refused:
        awards.revoke(award, lead, reason)
    assert refused.value.field == "reason"
    assert award.revoked_at is None


def test_only_leads_revoke_and_only_once(db, award, lead, facilitator):
    with pytest.raises(AwardError):
        awards.revoke(award, facilitator, "My own award")
    assert award.revoked_at is None
    awards.revoke(award, lead, "Issued in error")
    with pytest.raises(AwardError, match="already been revoked"):
        awards.revoke(award, lead, "Again")
    assert award.revoke_reason == "Issued in error"


# --- Renewing -------------------------------------------------------------------------------


def test_renewing_needs_a_renewal_period(db, award, lead):
    with pytest.raises(AwardError, match="do not lapse"):
        awards.renew(award, lead)
    assert award.expires_at is None


def test_renewing_an_expired_award_runs_from_today(db, award, intake, lead):
    set_renewal(intake, 12)
    award.expires_at = utcnow() - timedelta(days=10)
    award.renewal_reminded_at = utcnow() - timedelta(days=70)
    assert award.status() is AwardStatus.EXPIRED
    before = utcnow()

    awards.renew(award, lead)

    assert add_months(before, 12) <= award.expires_at <= add_months(utcnow(), 12)
    assert award.status() is AwardStatus.VALID
    assert award.renewal_reminded_at is None
    assert actions(award.id)[-1] == "award.renewed"


def test_renewing_a_valid_award_runs_from_its_expiry(db, award, intake, lead):
    set_renewal(intake, 12)
    lapses = (utcnow() + timedelta(days=30)).replace(microsecond=0)
    award.expires_at = lapses
    awards.renew(award, lead)
    assert award.expires_at == add_months(lapses, 12)


def test_only_leads_renew_and_never_a_revoked_award(db, award, intake, lead, facilitator):
    set_renewal(intake, 12)
    with pytest.raises(AwardError):
        awards.renew(award, facilitator)
    awards.revoke(award, lead, "Issued in error")
    with pytest.raises(AwardError, match="revoked"):
        awards.renew(award, lead)


# --- The holder's email ---------------------------------------------------------------------


def test_the_holder_chooses_the_email_the_award_is_keyed_to(db, award, facilitator):
    awards.set_holder_email(award, facilitator, "  Fran.New@Example.ORG ")

    assert award.holder_email == "fran.new@example.org"
    assert facilitator.personal_email == "fran.new@example.org"
    entry = db.session.scalar(
        db.select(AuditEvent).filter_by(action="award.email_changed", subject_id=award.id)
    )
    assert entry.actor_id == facilitator.id
    assert "fran.new" not in str(entry.detail)  # personal data stays out of the log


def test_confirming_the_same_address_keeps_it_on_the_account_without_an_audit(
    db, award, facilitator
):
    assert facilitator.personal_email is None
    awards.set_holder_email(award, facilitator, "FRAN@personal.example")
    assert facilitator.personal_email == award.holder_email == "fran@personal.example"
    assert "award.email_changed" not in actions(award.id)


@pytest.mark.parametrize("email", ["", "not-an-email", "fran@", "a b@example.org"])
def test_the_holder_email_must_be_valid(db, award, facilitator, email):
    with pytest.raises(AwardError) as refused:
        awards.set_holder_email(award, facilitator, email)
    assert refused.value.field == "email"
    assert award.holder_email == "fran@personal.example"


def test_only_the_holder_changes_the_email(db, award, lead, make_user):
    for person in (lead, make_user(Role.FACILITATOR)):
        with pytest.raises(AwardError):
            awards.set_holder_email(award, person, "someone@example.org")
    assert award.holder_email == "fran@personal.example"


# --- Codes ----------------------------------------------------------------------------------

CODE = "ABCD1234EFGH5678JKMN"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (CODE, CODE),
        ("abcd1234efgh5678jkmn", CODE),
        ("ABCD-1234-EFGH-5678-JKMN", CODE),
        ("  abcd 1234 efgh 5678 jkmn ", CODE),
        ("ABCDI234EFGH5678JKMN", CODE),  # I read as 1
        ("ABCDl234EFGH5678JKMN", CODE),  # l read as 1
        ("0000000000000000000O", "0" * 20),  # O read as 0
        ("ABCD1234EFGH5678JKM", None),  # too short
        ("ABCD1234EFGH5678JKMNP", None),  # too long
        ("ABCD1234EFGH5678JKMU", None),  # U is not in the alphabet
        ("ABCD1234EFGH5678JKM!", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_code(typed, expected):
    assert normalise_code(typed) == expected


def test_find_by_code(db, award, count_queries):
    assert awards.find_by_code(award.display_code.lower()).id == award.id
    assert awards.find_by_code(CODE if award.code != CODE else "0" * 20) is None
    with count_queries() as queries:
        assert awards.find_by_code("not a code") is None
    assert queries.count == 0


# --- The faculty ----------------------------------------------------------------------------


def test_faculty_are_holders_of_a_standing_award(db, make_user, make_intake, count_queries):
    intake = make_intake()
    valid, lapsing, revoked, expired, nobody = (make_user(Role.FACILITATOR) for _ in range(5))
    make_award(valid, intake)
    make_award(lapsing, intake, expires_at=utcnow() + timedelta(days=3))
    make_award(revoked, intake, revoked_at=utcnow(), revoke_reason="Copied")
    make_award(expired, intake, expires_at=utcnow() - timedelta(seconds=1))

    with count_queries() as queries:
        everyone = faculty.faculty_ids()
    assert queries.count == 1
    assert {valid.id, lapsing.id} <= everyone
    assert not everyone & {revoked.id, expired.id, nobody.id}
    with count_queries() as queries:
        among = faculty.faculty_ids([valid.id, revoked.id, nobody.id])
    assert among == {valid.id} and queries.count == 1
    assert faculty.faculty_ids([]) == set()


def test_a_new_award_in_a_later_intake_keeps_someone_in_the_faculty(db, make_user, make_intake):
    person = make_user(Role.FACILITATOR)
    make_award(person, make_intake(), expires_at=utcnow() - timedelta(days=1))
    assert faculty.faculty_ids([person.id]) == set()
    make_award(person, make_intake())
    assert faculty.faculty_ids([person.id]) == {person.id}
