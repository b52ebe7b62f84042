"""Line manager endorsement: a single-use, expiring link that needs no account.

Only a SHA-256 of each link's token is stored. Sending a link again retires the older
ones; a reminder adds a second link with the same expiry (the first one still works),
because the stored hash cannot be turned back into the link that was emailed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from lms import audit
from lms.accounts.models import User
from lms.applications.models import (
    Application,
    ApplicationStatus,
    EndorsementDecision,
    EndorsementRequest,
    EndorsementStatus,
    EventKind,
)
from lms.applications.services import ApplicationError, add_event, tell_applicant
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import absolute_url, send_email

# Endorsement matters while the application is still being considered.
OPEN_STATUSES = {
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.WAITLISTED,
}


class LinkProblem(ValueError):
    """Why an endorsement link cannot be used: unknown, used, expired or replaced."""

    def __init__(self, kind: str, request: EndorsementRequest | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.request = request


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _open_requests(application: Application) -> list[EndorsementRequest]:
    return list(
        db.session.scalars(
            db.select(EndorsementRequest).where(
                EndorsementRequest.application_id == application.id,
                EndorsementRequest.responded_at.is_(None),
                EndorsementRequest.retired_at.is_(None),
            )
        )
    )


def latest_request(application: Application) -> EndorsementRequest | None:
    return db.session.scalar(
        db.select(EndorsementRequest)
        .where(EndorsementRequest.application_id == application.id)
        .order_by(EndorsementRequest.id.desc())
        .limit(1)
    )


def _send_link(
    application: Application, expires_at: datetime, by: User | None, *, reminder: bool
) -> tuple[EndorsementRequest, str]:
    token = secrets.token_urlsafe(32)
    request = EndorsementRequest(
        application_id=application.id,
        token_hash=token_hash(token),
        manager_email=application.manager_email,
        sent_by_id=getattr(by, "id", None),
        expires_at=expires_at,
    )
    db.session.add(request)
    link = absolute_url("applications.endorse", token=token)
    # The line manager has no account; the applicant's language is our best guess at theirs.
    with force_locale(application.applicant.language):
        subject = (
            _("Reminder: please endorse %(name)s's application", name=application.full_name)
            if reminder
            else _("Please endorse %(name)s's application", name=application.full_name)
        )
        send_email(
            application.manager_email,
            subject,
            render_template(
                "applications/email/endorsement_request.txt",
                application=application,
                link=link,
                expires_on=format_date(expires_at, "long"),
                reminder=reminder,
            ),
        )
    db.session.flush()
    return request, token


def request_endorsement(application: Application, by: User | None) -> str:
    """Email the line manager a new link (retiring any earlier one); returns the token."""
    if application.status not in OPEN_STATUSES:
        raise ApplicationError(_("This application is no longer waiting for an endorsement"))
    if application.endorsement_status in (EndorsementStatus.ENDORSED, EndorsementStatus.DECLINED):
        raise ApplicationError(_("The line manager has already responded"))
    now = utcnow()
    resend = application.endorsement_status is EndorsementStatus.AWAITING
    for old in _open_requests(application):
        old.retired_at = now
    days = current_app.config["ENDORSEMENT_LINK_DAYS"]
    request, token = _send_link(application, now + timedelta(days=days), by, reminder=False)
    application.endorsement_status = EndorsementStatus.AWAITING
    add_event(
        application,
        EventKind.ENDORSEMENT_RESENT if resend else EventKind.ENDORSEMENT_REQUESTED,
        by=by,
    )
    audit.record(
        "endorsement.resent" if resend else "endorsement.requested",
        application,
        actor=by,
        request_id=request.id,
    )
    return token


def check_link(token: str, now: datetime | None = None) -> EndorsementRequest:
    """The request behind a link, or :class:`LinkProblem` saying why it cannot be used."""
    now = now or utcnow()
    request = db.session.scalar(
        db.select(EndorsementRequest).where(EndorsementRequest.token_hash == token_hash(token))
    )
    if request is None:
        raise LinkProblem("unknown")
    if request.responded_at is not None:
        raise LinkProblem("used", request)
    answered = db.session.scalar(
        db.select(EndorsementRequest).where(
            EndorsementRequest.application_id == request.application_id,
            EndorsementRequest.responded_at.is_not(None),
        )
    )
    if answered is not None:
        raise LinkProblem("used", answered)
    if request.retired_at is not None:
        raise LinkProblem("replaced", request)
    if request.application.status not in OPEN_STATUSES:
        raise LinkProblem("closed", request)
    if request.is_expired(now):
        raise LinkProblem("expired", request)
    return request


def respond(
    token: str, decision: EndorsementDecision, comment: str | None, now: datetime | None = None
) -> EndorsementRequest:
    """Record the line manager's answer; the link (and any sibling link) then stops working."""
    return record_response(check_link(token, now), decision, comment, now)


def record_response(
    request: EndorsementRequest,
    decision: EndorsementDecision,
    comment: str | None,
    now: datetime | None = None,
) -> EndorsementRequest:
    """Record the answer to a request already checked (``respond`` checks the link)."""
    comment = (comment or "").strip() or None
    if decision is EndorsementDecision.DECLINED and not comment:
        raise ApplicationError(
            _("Tell the applicant why you do not endorse their application"), "comment"
        )
    now = now or utcnow()
    request.responded_at, request.decision, request.comment = now, decision, comment
    for other in _open_requests(request.application):
        if other.id != request.id:
            other.retired_at = now
    application = request.application
    endorsed = decision is EndorsementDecision.ENDORSED
    application.endorsement_status = (
        EndorsementStatus.ENDORSED if endorsed else EndorsementStatus.DECLINED
    )
    add_event(
        application,
        EventKind.ENDORSED if endorsed else EventKind.ENDORSEMENT_DECLINED,
        note=comment,
    )
    db.session.flush()
    audit.record(
        "endorsement.given" if endorsed else "endorsement.declined",
        application,
        request_id=request.id,
        manager_email=request.manager_email,
    )
    if endorsed:
        tell_applicant(
            application,
            lambda: _("Your line manager has endorsed your application"),
            lambda: _(
                "%(manager)s has endorsed your application to %(intake)s.",
                manager=application.manager_name,
                intake=application.intake.name,
            ),
        )
    else:
        tell_applicant(
            application,
            lambda: _("Your line manager has not endorsed your application"),
            lambda: _(
                "%(manager)s has not endorsed your application to %(intake)s. "
                "You can read their comment on your application page.",
                manager=application.manager_name,
                intake=application.intake.name,
            ),
        )
    return request


def send_reminders(now: datetime | None = None) -> int:
    """Remind line managers whose link expires soon. Idempotent: one reminder per link."""
    now = now or utcnow()
    window = timedelta(days=current_app.config["ENDORSEMENT_REMINDER_DAYS"])
    due = db.session.scalars(
        db.select(EndorsementRequest)
        .join(EndorsementRequest.application)
        .where(
            EndorsementRequest.responded_at.is_(None),
            EndorsementRequest.retired_at.is_(None),
            EndorsementRequest.reminded_at.is_(None),
            EndorsementRequest.expires_at > now,
            EndorsementRequest.expires_at <= now + window,
            Application.status.in_(OPEN_STATUSES),
            Application.endorsement_status == EndorsementStatus.AWAITING,
        )
    ).all()
    sent = 0
    for request in due:
        if request.reminded_at is not None:  # a reminder link itself never needs one
            continue
        reminder, _token = _send_link(request.application, request.expires_at, None, reminder=True)
        request.reminded_at = reminder.reminded_at = now
        audit.record("endorsement.reminded", request.application, request_id=request.id)
        sent += 1
    db.session.flush()
    return sent
