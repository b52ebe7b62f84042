"""Every status move, allowed and refused, for leads and applicants; and what moves do."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.applications import decisions, services
from lms.applications.decisions import TRANSITIONS
from lms.applications.models import ApplicationStatus, IntakeFacilitator
from lms.audit import AuditEvent
from lms.notifications.models import Notification

S = ApplicationStatus
CASES = [
    (actor, old, new, new in TRANSITIONS[actor].get(old, set()))
    for actor in ("lead", "applicant")
    for old in S
    for new in S
    if old is not new
]


@pytest.mark.parametrize(("actor", "old", "new", "allowed"), CASES)
def test_each_move_is_allowed_or_refused(actor, old, new, allowed, make_application, make_user, db):
    application = make_application(submit=True)
    application.status = old
    by = make_user(Role.LEAD) if actor == "lead" else application.applicant
    change = lambda: decisions.change_status(  # noqa: E731
        application, new, by=by, actor=actor, message=lambda: "update"
    )
    if allowed:
        change()
        assert application.status is new
        event = db.session.scalar(
            db.select(AuditEvent).where(AuditEvent.action == "application.status_changed")
        )
        assert event.detail["from"] == old.value and event.detail["to"] == new.value
        assert application.events[-1].status is new
    else:
        with pytest.raises(services.ApplicationError):
            change()
        assert application.status is old


def test_every_move_tells_the_applicant_in_the_service_and_by_email(
    make_application, make_user, outbox, db
):
    application = make_application(submit=True)
    decisions.shortlist(application, make_user(Role.LEAD))
    note = db.session.scalar(
        db.select(Notification)
        .where(Notification.user_id == application.applicant_id)
        .order_by(Notification.id.desc())
    )
    assert "shortlisted" in note.message
    assert any("An update on your application" in m.subject for m in outbox())


def test_offers_stop_at_capacity_and_a_freed_place_is_flagged_to_leads(
    make_intake, make_application, make_user, db
):
    intake = make_intake(capacity=1)
    lead = make_user(Role.LEAD)
    first, second = (make_application(intake, submit=True) for _ in range(2))
    decisions.offer_place(first, lead, services.today())
    with pytest.raises(services.ApplicationError, match="All 1 places"):
        decisions.offer_place(second, lead, services.today())
    assert second.offer_expires_on is None  # nothing written by a refused offer
    decisions.waitlist(second, lead)
    decisions.decline_offer(first, first.applicant)
    assert db.session.scalar(
        db.select(Notification).where(
            Notification.user_id == lead.id, Notification.message.like("%place has come free%")
        )
    )
    decisions.offer_place(second, lead, services.today())  # the waiting list backfills
    assert second.status is S.OFFERED


def test_a_refused_rejection_writes_nothing(make_application, make_user):
    application = make_application(submit=True)
    application.status = S.ACCEPTED
    with pytest.raises(services.ApplicationError):
        decisions.reject(application, make_user(Role.LEAD), "Too late")
    assert application.decision_reason is None


def test_an_offer_lapses_only_after_its_date(make_application, make_user):
    lead = make_user(Role.LEAD)
    application = make_application(submit=True)
    decisions.offer_place(application, lead, services.today())
    with pytest.raises(services.ApplicationError, match="has until"):
        decisions.lapse_offer(application, lead, services.today())
    later = application.offer_expires_on + timedelta(days=1)
    decisions.lapse_offer(application, lead, later)
    assert application.status is S.DECLINED


def test_accepting_joins_the_intake_and_withdrawing_leaves_it(make_application, make_user, db):
    application = make_application(submit=True)
    decisions.offer_place(application, make_user(Role.LEAD), services.today())
    decisions.accept_offer(application, application.applicant, services.today())
    membership = db.session.scalar(db.select(IntakeFacilitator))
    assert membership.intake_id == application.intake_id and membership.left_at is None
    assert application.applicant.has_role(Role.FACILITATOR)
    decisions.withdraw(application, application.applicant, "Moving abroad")
    assert membership.left_at is not None
    assert not application.applicant.has_role(Role.FACILITATOR)


def test_only_the_applicant_answers_an_offer(make_application, make_user):
    application = make_application(submit=True)
    decisions.offer_place(application, make_user(Role.LEAD), services.today())
    with pytest.raises(services.ApplicationError):
        decisions.accept_offer(application, make_user(Role.APPLICANT), services.today())
