"""Retention: records past their period are removed (or anonymised) by a scheduled job.

The periods are ``RETENTION_DAYS`` in config.py, one per record type below, each set by
``RETENTION_<TYPE>_DAYS``; 0 (or no entry) keeps that type for ever. A record goes once
it is older than its period, measured from the moment named here. :func:`apply` is
idempotent: a second run finds nothing more to do. Each type is one function in
``RECORD_TYPES`` taking the cut-off moment and returning how many records it removed.

Unsuccessful applications are not deleted, because the application funnel counts them:
their personal text is removed, and status, dates and the categories the reports count
by (staff group, band, sector, region, organisation) stay. An application is
unsuccessful when it did not end in an accepted place; its period runs from the day its
intake closed for applications.

Old audit entries are deleted with one bulk statement: the append-only guard stops
changes made through the service, and this is the one deliberate exception.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from lms import audit
from lms.accounts.models import PasswordResetToken
from lms.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    EndorsementRequest,
    Intake,
    ReviewAssignment,
)
from lms.audit import AuditEvent
from lms.db_types import utcnow
from lms.extensions import db
from lms.jobs import JobFailure
from lms.notifications.models import EmailMessage, EmailStatus, Notification
from lms.privacy.erasure import REMOVED_EMAIL, run
from lms.reports.models import ACTIVE, ReportRun

# The application's personal text: removed, so only what reports count remains.
APPLICATION_TEXT = (
    Application.full_name,
    Application.contact_email,
    Application.phone,
    Application.job_title,
    Application.organisation_other,
    Application.previous_other,
    Application.facilitation_experience,
    Application.motivation,
    Application.availability,
    Application.adjustments,
    Application.manager_name,
    Application.manager_email,
    Application.decision_reason,
)


def _notifications(cutoff: datetime) -> int:
    """Notifications read before the cut-off (unread ones wait to be read)."""
    return run(sa.delete(Notification).where(Notification.read_at < cutoff))


def _emails(cutoff: datetime) -> int:
    """Emails made before the cut-off that have left the queue (sent, or in the outbox)."""
    return run(
        sa.delete(EmailMessage).where(
            EmailMessage.created_at < cutoff, EmailMessage.status != EmailStatus.QUEUED
        )
    )


def _reset_tokens(cutoff: datetime) -> int:
    """Reset and invitation links used, or expired, before the cut-off."""
    return run(
        sa.delete(PasswordResetToken).where(
            (PasswordResetToken.used_at < cutoff) | (PasswordResetToken.expires_at < cutoff)
        )
    )


def _sessions(cutoff: datetime) -> int:
    """Sign-in sessions that ended before the cut-off, or that could no longer be used by
    then (older than ``SESSION_MAX_HOURS``) even if nobody signed out."""
    from lms.accounts.sessions import UserSession

    max_age = timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    return run(
        sa.delete(UserSession).where(
            (UserSession.ended_at < cutoff) | (UserSession.created_at < cutoff - max_age)
        )
    )


def _failed_jobs(cutoff: datetime) -> int:
    return run(sa.delete(JobFailure).where(JobFailure.failed_at < cutoff))


def _report_runs(cutoff: datetime) -> int:
    """Background reports that finished (ready or failed) before the cut-off."""
    return run(
        sa.delete(ReportRun).where(ReportRun.finished_at < cutoff, ReportRun.status.not_in(ACTIVE))
    )


def _applications(cutoff: datetime) -> int:
    """Unsuccessful applications to intakes that closed before the cut-off's day: their
    personal text, and the notes and comments on them, are removed."""
    ids = list(
        db.session.scalars(
            sa.select(Application.id)
            .join(Intake, Intake.id == Application.intake_id)
            .where(
                Application.status != ApplicationStatus.ACCEPTED,
                Intake.closes_on < cutoff.date(),
                sa.or_(*(column.is_not(None) for column in APPLICATION_TEXT)),
            )
        )
    )
    if not ids:
        return 0
    run(
        sa.update(ApplicationEvent)
        .where(ApplicationEvent.application_id.in_(ids))
        .values(note=None)
    )
    run(
        sa.update(EndorsementRequest)
        .where(EndorsementRequest.application_id.in_(ids))
        .values(manager_email=REMOVED_EMAIL, comment=None)
    )
    run(
        sa.update(ReviewAssignment)
        .where(ReviewAssignment.application_id.in_(ids))
        .values(comment=None)
    )
    return run(
        sa.update(Application)
        .where(Application.id.in_(ids))
        .values(dict.fromkeys(APPLICATION_TEXT))
    )


def _audit_log(cutoff: datetime) -> int:
    # A bulk statement: the append-only guard is a per-row ORM event, which it skips.
    return run(sa.delete(AuditEvent).where(AuditEvent.at < cutoff))


# Every record type, with the function that removes its records older than a cut-off.
RECORD_TYPES: dict[str, Callable[[datetime], int]] = {
    "notifications": _notifications,
    "emails": _emails,
    "reset_tokens": _reset_tokens,
    "sessions": _sessions,
    "failed_jobs": _failed_jobs,
    "report_runs": _report_runs,
    "applications": _applications,
    "audit_log": _audit_log,
}


# What each record type is called in the privacy notice.
RECORD_LABELS = {
    "notifications": _l("Notifications in the service, after you have read them"),
    "emails": _l("Emails we have sent"),
    "reset_tokens": _l("Password reset and invitation links, after they are used or expire"),
    "sessions": _l("Records of your sign-ins, after you sign out"),
    "failed_jobs": _l("Records of background tasks that failed"),
    "report_runs": _l("Reports built in the background"),
    "applications": _l(
        "Applications that did not lead to a place, after the intake closed "
        "(we remove your details and keep only the numbers)"
    ),
    "audit_log": _l("The audit log of changes and decisions"),
}


def notice() -> list[tuple[str, int]]:
    """(label, days) for every record type with a period, for the privacy notice."""
    return [(str(RECORD_LABELS[kind]), days) for kind, days in periods().items() if days > 0]


def periods() -> dict[str, int]:
    """The retention period in days of each record type that has one (0: kept)."""
    configured = current_app.config.get("RETENTION_DAYS") or {}
    return {kind: int(configured.get(kind) or 0) for kind in RECORD_TYPES}


def apply(now: datetime | None = None) -> dict[str, int]:
    """Remove every record past its period; returns how many of each type (only the
    types with a period). One audit entry says what went, if anything did."""
    now = now or utcnow()
    counts = {
        kind: RECORD_TYPES[kind](now - timedelta(days=days))
        for kind, days in periods().items()
        if days > 0
    }
    removed = {kind: count for kind, count in counts.items() if count}
    if removed:
        audit.record("privacy.retention_applied", **removed)
    db.session.flush()
    return counts
