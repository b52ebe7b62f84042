"""Retention: each kind of record goes just after its period and not before; a period of 0
(or none) keeps it; running again removes nothing more; and the job is scheduled."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from lms.accounts.models import PasswordResetToken, Role
from lms.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    EventKind,
    StaffGroup,
)
from lms.audit import AuditEvent
from lms.db_types import utcnow
from lms.jobs import JobFailure
from lms.notifications.models import EmailMessage, EmailStatus, Notification
from lms.privacy import retention
from lms.reports.models import ReportRun, RunStatus
from lms.schedule import PERIODIC_JOBS

MINUTE = timedelta(minutes=1)


def _session(person, at):
    from lms.accounts.sessions import UserSession

    return UserSession(
        user_id=person.id,
        token_hash=secrets.token_hex(32),
        created_at=at - timedelta(hours=1),
        last_seen_at=at,
        authenticated_at=at - timedelta(hours=1),
        ended_at=at,
    )


# For each kind: a record whose age is counted from ``at``.
MAKERS = {
    "notifications": lambda person, at: Notification(
        user_id=person.id, message="Your set starts soon", read_at=at
    ),
    "emails": lambda person, at: EmailMessage(
        recipient=person.email,
        subject="Hello",
        body="Hello",
        status=EmailStatus.SENT,
        created_at=at,
    ),
    "reset_tokens": lambda person, at: PasswordResetToken(
        user_id=person.id, token_hash=secrets.token_hex(32), expires_at=at
    ),
    "sessions": _session,
    "failed_jobs": lambda person, at: JobFailure(
        func="lms.x.y", args=[1], error="boom", failed_at=at
    ),
    "report_runs": lambda person, at: ReportRun(
        report="awards", filters={}, filters_key="{}", status=RunStatus.READY, finished_at=at
    ),
    "audit_log": lambda person, at: AuditEvent(action="test.old", at=at),
}


def _exists(db, record) -> bool:
    model = type(record)
    query = db.select(db.func.count()).where(model.id == record.id)
    if model is AuditEvent:  # SQLite may give the newest id again once that row is gone
        query = query.where(AuditEvent.at == record.at)
    return db.session.scalar(query) == 1


@pytest.mark.parametrize("kind", list(MAKERS))
def test_a_record_goes_just_after_its_period_and_not_before(db, make_user, kind):
    now = utcnow()
    period = timedelta(days=retention.periods()[kind])
    person = make_user(Role.APPLICANT)
    inside = MAKERS[kind](person, now - period + MINUTE)
    outside = MAKERS[kind](person, now - period - MINUTE)
    db.session.add_all([inside, outside])
    db.session.flush()

    assert retention.apply(now)[kind] == 1
    assert _exists(db, inside) and not _exists(db, outside)
    assert retention.apply(now)[kind] == 0  # nothing more the second time
    assert _exists(db, inside)


def test_the_default_periods_are_the_documented_ones(app):
    assert app.config["RETENTION_DAYS"] == {
        "notifications": 180,
        "emails": 90,
        "reset_tokens": 30,
        "sessions": 30,
        "failed_jobs": 90,
        "report_runs": 90,
        "applications": 730,
        "audit_log": 2190,
    }
    assert set(retention.RECORD_TYPES) == set(app.config["RETENTION_DAYS"])


def test_unread_notifications_queued_emails_and_running_reports_are_kept(db, make_user):
    person = make_user(Role.APPLICANT)
    long_ago = utcnow() - timedelta(days=5000)
    kept = [
        Notification(user_id=person.id, message="Unread", created_at=long_ago),
        EmailMessage(recipient="a@example.org", subject="s", body="b", created_at=long_ago),
        ReportRun(report="awards", filters={}, filters_key="{}", status=RunStatus.RUNNING),
    ]
    db.session.add_all(kept)
    db.session.flush()
    retention.apply()
    assert all(_exists(db, record) for record in kept)


def test_a_period_of_zero_or_none_keeps_that_kind(app, db, make_user, monkeypatch):
    person = make_user(Role.APPLICANT)
    old = utcnow() - timedelta(days=5000)
    email = MAKERS["emails"](person, old)
    failure = MAKERS["failed_jobs"](person, old)
    db.session.add_all([email, failure])
    db.session.flush()
    monkeypatch.setitem(app.config["RETENTION_DAYS"], "emails", 0)
    monkeypatch.delitem(app.config["RETENTION_DAYS"], "failed_jobs")
    counts = retention.apply()
    assert "emails" not in counts and "failed_jobs" not in counts
    assert _exists(db, email) and _exists(db, failure)


def _application(db, intake, person, status, **fields) -> Application:
    application = Application(
        intake_id=intake.id,
        applicant_id=person.id,
        status=status,
        full_name=person.name,
        contact_email=person.email,
        phone="07700 900000",
        motivation="Because I want to help others think.",
        manager_email="manager@example.org",
        staff_group=StaffGroup.ALLIED_HEALTH,
        **fields,
    )
    db.session.add(application)
    db.session.flush()
    db.session.add(
        ApplicationEvent(application_id=application.id, kind=EventKind.STARTED, note="Noted")
    )
    return application


def test_unsuccessful_applications_lose_their_personal_text_but_still_count(
    db, make_user, make_intake
):
    from lms.reports.applications import ApplicationsReport
    from lms.reports.base import Filters

    now = utcnow()
    last_day = (now - timedelta(days=retention.periods()["applications"])).date()
    old = make_intake(
        opens_on=last_day - timedelta(days=40),
        closes_on=last_day - timedelta(days=1),
        programme_starts_on=last_day + timedelta(days=30),
    )
    recent = make_intake(
        opens_on=last_day - timedelta(days=40),
        closes_on=last_day,
        programme_starts_on=last_day + timedelta(days=30),
    )
    people = [make_user(Role.APPLICANT) for _ in range(5)]
    rejected = _application(db, old, people[0], ApplicationStatus.REJECTED)
    withdrawn = _application(db, old, people[1], ApplicationStatus.WITHDRAWN)
    accepted = _application(db, old, people[2], ApplicationStatus.ACCEPTED)
    inside = _application(db, recent, people[3], ApplicationStatus.DECLINED)
    report = ApplicationsReport()
    before = [t.frame.to_dict() for t in report.build(report.load(Filters()))]

    assert retention.apply(now)["applications"] == 2
    db.session.expire_all()
    for gone in (rejected, withdrawn):
        assert gone.full_name is None and gone.motivation is None and gone.phone is None
        assert gone.manager_email is None and gone.contact_email is None
        assert gone.staff_group is StaffGroup.ALLIED_HEALTH and gone.status is not None
        assert all(event.note is None for event in gone.events)
    for kept in (accepted, inside):
        assert kept.full_name and kept.motivation and kept.events[0].note == "Noted"
    assert [t.frame.to_dict() for t in report.build(report.load(Filters()))] == before
    assert retention.apply(now)["applications"] == 0


def test_what_went_is_audited_once(db, make_user):
    person = make_user(Role.APPLICANT)
    db.session.add(MAKERS["emails"](person, utcnow() - timedelta(days=400)))
    db.session.flush()
    retention.apply()
    retention.apply()  # removes nothing, so writes nothing
    entries = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "privacy.retention_applied")
    ).all()
    assert [e.detail for e in entries] == [{"emails": 1}]


def test_the_job_is_scheduled_and_the_command_says_what_went(app, db, make_user):
    assert "lms.privacy.tasks.apply_retention" in PERIODIC_JOBS
    person = make_user(Role.APPLICANT)
    db.session.add(MAKERS["failed_jobs"](person, utcnow() - timedelta(days=400)))
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["privacy", "retention"])
    assert result.exit_code == 0, result.output
    assert "failed_jobs" in result.output and "Removed 1 records in all." in result.output
    assert db.session.scalar(db.select(db.func.count(JobFailure.id))) == 0
