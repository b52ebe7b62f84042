"""Decisions on submitted applications, and the applicant's answer to an offer.

Every status change goes through :func:`change_status`, which checks the move against
``TRANSITIONS`` for who is making it, records it on the timeline, audits it and tells
the applicant by email and in the service.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _

from lms import audit
from lms.accounts import services as accounts
from lms.accounts.models import Role, User, UserRole
from lms.applications.models import (
    Application,
    ApplicationStatus,
    EventKind,
    IntakeFacilitator,
)
from lms.applications.services import ApplicationError, add_event, tell_applicant
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import notify, path_for

S = ApplicationStatus

# Who may move an application from one status to another. Submitting (DRAFT to
# SUBMITTED) is services.submit_application; everything after it is here.
LEAD_TRANSITIONS: dict[ApplicationStatus, set[ApplicationStatus]] = {
    S.SUBMITTED: {S.SHORTLISTED, S.OFFERED, S.WAITLISTED, S.REJECTED},
    S.SHORTLISTED: {S.OFFERED, S.WAITLISTED, S.REJECTED},
    S.WAITLISTED: {S.OFFERED, S.REJECTED},
    S.OFFERED: {S.DECLINED},  # only once the deadline has passed: the offer lapsed
}
APPLICANT_TRANSITIONS: dict[ApplicationStatus, set[ApplicationStatus]] = {
    S.SUBMITTED: {S.WITHDRAWN},
    S.SHORTLISTED: {S.WITHDRAWN},
    S.WAITLISTED: {S.WITHDRAWN},
    S.OFFERED: {S.ACCEPTED, S.DECLINED, S.WITHDRAWN},
    S.ACCEPTED: {S.WITHDRAWN},
}
TRANSITIONS = {"lead": LEAD_TRANSITIONS, "applicant": APPLICANT_TRANSITIONS}
HOLDS_A_PLACE = (S.OFFERED, S.ACCEPTED)


def allowed_moves(application: Application, actor: str) -> set[ApplicationStatus]:
    return TRANSITIONS[actor].get(application.status, set())


def places_taken(intake_id: int) -> int:
    return (
        db.session.scalar(
            db.select(db.func.count(Application.id)).where(
                Application.intake_id == intake_id, Application.status.in_(HOLDS_A_PLACE)
            )
        )
        or 0
    )


def waitlist_count(intake_id: int) -> int:
    return (
        db.session.scalar(
            db.select(db.func.count(Application.id)).where(
                Application.intake_id == intake_id, Application.status == S.WAITLISTED
            )
        )
        or 0
    )


def _check_move(application: Application, new: ApplicationStatus, actor: str) -> None:
    if new not in allowed_moves(application, actor):
        raise ApplicationError(
            _(
                'This application cannot be changed from "%(old)s" to "%(new)s"',
                old=application.status.label,
                new=new.label,
            )
        )


def change_status(
    application: Application,
    new: ApplicationStatus,
    *,
    by: User,
    actor: str,
    note: str | None = None,
    message: Callable[[], str],
) -> Application:
    """Move ``application`` to ``new`` if ``actor`` ("lead" or "applicant") may."""
    old = application.status
    _check_move(application, new, actor)
    application.status = new
    if actor == "lead":
        application.decided_at = utcnow()
    add_event(application, EventKind.STATUS_CHANGED, by=by, status=new, note=note)
    db.session.flush()
    audit.record(
        "application.status_changed",
        application,
        actor=by,
        **{"from": old.value, "to": new.value},
        note=note,
    )
    tell_applicant(
        application,
        lambda: _("An update on your application to %(intake)s", intake=application.intake.name),
        message,
    )
    if old in HOLDS_A_PLACE and new not in HOLDS_A_PLACE:
        _tell_leads_place_free(application)
    return application


def _tell_leads_place_free(application: Application) -> None:
    """A declined or withdrawn place can go to the waiting list; leads are told."""
    waiting = waitlist_count(application.intake_id)
    if not waiting:
        return
    leads = db.session.scalars(
        db.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.LEAD)
    )
    link = path_for(
        "applications.list_applications",
        intake_id=application.intake_id,
        status=S.WAITLISTED.value,
    )
    for lead in leads:
        with force_locale(lead.language):
            notify(
                lead,
                ngettext(
                    "A place has come free in %(intake)s. %(num)d person is on the waiting list.",
                    "A place has come free in %(intake)s. %(num)d people are on the waiting list.",
                    waiting,
                    intake=application.intake.name,
                ),
                link,
            )


# --- The lead's decisions --------------------------------------------------------------


def shortlist(application: Application, by: User) -> Application:
    return change_status(
        application,
        S.SHORTLISTED,
        by=by,
        actor="lead",
        message=lambda: _(
            "You have been shortlisted for %(intake)s. We will tell you our decision soon.",
            intake=application.intake.name,
        ),
    )


def offer_place(
    application: Application, by: User, today: date, respond_by: date | None = None
) -> Application:
    """Offer a place, if the intake has one free; the applicant answers by ``respond_by``."""
    intake = application.intake
    _check_move(application, S.OFFERED, "lead")  # before anything is written
    if places_taken(intake.id) >= intake.capacity:
        raise ApplicationError(
            _(
                "All %(capacity)d places in %(intake)s are offered or accepted. Put the "
                "applicant on the waiting list instead.",
                capacity=intake.capacity,
                intake=intake.name,
            )
        )
    respond_by = respond_by or today + timedelta(days=current_app.config["OFFER_RESPONSE_DAYS"])
    if respond_by < today:
        raise ApplicationError(_("The reply date must be today or later"), "respond_by")
    application.offer_expires_on = respond_by
    return change_status(
        application,
        S.OFFERED,
        by=by,
        actor="lead",
        message=lambda: _(
            "We are delighted to offer you a place on %(intake)s. Please accept or decline "
            "it by %(date)s.",
            intake=application.intake.name,
            date=format_date(respond_by, "long"),
        ),
    )


def waitlist(application: Application, by: User) -> Application:
    return change_status(
        application,
        S.WAITLISTED,
        by=by,
        actor="lead",
        message=lambda: _(
            "You are on the waiting list for %(intake)s. We will tell you if a place becomes free.",
            intake=application.intake.name,
        ),
    )


def reject(application: Application, by: User, reason: str) -> Application:
    """Turn down an application; the reason is shown to the applicant."""
    reason = (reason or "").strip()
    _check_move(application, S.REJECTED, "lead")
    if not reason:
        raise ApplicationError(_("Enter the reason, which the applicant will see"), "reason")
    application.decision_reason = reason
    return change_status(
        application,
        S.REJECTED,
        by=by,
        actor="lead",
        note=reason,
        message=lambda: _(
            "We are sorry, your application to %(intake)s has not been successful. "
            "You can read the reason on your application page.",
            intake=application.intake.name,
        ),
    )


def lapse_offer(application: Application, by: User, today: date) -> Application:
    """Close an offer nobody answered once its reply date has passed, freeing the place."""
    if application.status is S.OFFERED and (
        application.offer_expires_on is None or today <= application.offer_expires_on
    ):
        raise ApplicationError(
            _("The applicant has until %(date)s to reply", date=_reply_date(application))
        )
    return change_status(
        application,
        S.DECLINED,
        by=by,
        actor="lead",
        note=_("The offer was not accepted by the reply date"),
        message=lambda: _(
            "Your offer of a place on %(intake)s has lapsed because it was not accepted "
            "by %(date)s.",
            intake=application.intake.name,
            date=_reply_date(application),
        ),
    )


def _reply_date(application: Application) -> str:
    return format_date(application.offer_expires_on, "long") if application.offer_expires_on else ""


# --- The applicant's answers -----------------------------------------------------------


def accept_offer(application: Application, by: User, today: date) -> Application:
    """Accept a place: the applicant becomes a facilitator in the intake."""
    _require_applicant(application, by)
    if (
        application.status is S.OFFERED
        and application.offer_expires_on
        and (today > application.offer_expires_on)
    ):
        raise ApplicationError(
            _(
                "This offer could only be accepted until %(date)s. Contact the programme "
                "team if you still want a place.",
                date=_reply_date(application),
            )
        )
    change_status(
        application,
        S.ACCEPTED,
        by=by,
        actor="applicant",
        message=lambda: _(
            "You have accepted your place on %(intake)s. Welcome to the programme: your home "
            "page now shows what to do next.",
            intake=application.intake.name,
        ),
    )
    membership = db.session.scalar(
        db.select(IntakeFacilitator).where(
            IntakeFacilitator.intake_id == application.intake_id,
            IntakeFacilitator.user_id == application.applicant_id,
        )
    )
    if membership is None:
        membership = IntakeFacilitator(
            intake_id=application.intake_id,
            user_id=application.applicant_id,
            application_id=application.id,
        )
        db.session.add(membership)
    membership.left_at = None
    accounts.grant_role(application.applicant, Role.FACILITATOR, by=None)
    db.session.flush()
    audit.record("intake.facilitator_joined", application.intake, actor=by, user_id=by.id)
    return application


def decline_offer(application: Application, by: User, reason: str | None = None) -> Application:
    _require_applicant(application, by)
    return change_status(
        application,
        S.DECLINED,
        by=by,
        actor="applicant",
        note=(reason or "").strip() or None,
        message=lambda: _(
            "You have declined your place on %(intake)s. Thank you for letting us know.",
            intake=application.intake.name,
        ),
    )


def withdraw(application: Application, by: User, reason: str | None = None) -> Application:
    """The applicant withdraws; a facilitator who withdraws leaves the intake."""
    _require_applicant(application, by)
    was_accepted = application.status is S.ACCEPTED
    change_status(
        application,
        S.WITHDRAWN,
        by=by,
        actor="applicant",
        note=(reason or "").strip() or None,
        message=lambda: _(
            "You have withdrawn your application to %(intake)s.",
            intake=application.intake.name,
        ),
    )
    if was_accepted:
        now = utcnow()
        memberships = db.session.scalars(
            db.select(IntakeFacilitator).where(
                IntakeFacilitator.user_id == application.applicant_id
            )
        ).all()
        for membership in memberships:
            if membership.intake_id == application.intake_id:
                membership.left_at = now
        if all(m.left_at is not None for m in memberships):
            accounts.revoke_role(application.applicant, Role.FACILITATOR, by=None)
        audit.record("intake.facilitator_left", application.intake, actor=by, user_id=by.id)
    return application


def _require_applicant(application: Application, by: User) -> None:
    if by.id != application.applicant_id:
        raise ApplicationError(_("Only the applicant can answer for their application"))
