"""The job helper: inline without Redis, through a real RQ worker with it."""

import os
import subprocess
import sys
import uuid

import pytest

from lms import jobs
from lms.accounts.models import Role
from lms.extensions import db as _db
from lms.notifications.models import EmailMessage, EmailStatus
from lms.notifications.services import send_email

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: RQ tests need Redis"
)


def test_inline_job_runs_at_once(app, db):
    if app.config.get("REDIS_URL"):
        pytest.skip("the suite is running jobs on Redis")
    message = send_email("someone@example.org", "Hello", "Body")
    assert message.status is EmailStatus.IN_OUTBOX and message.sent_at is not None


def test_job_is_idempotent(app, db, run_jobs):
    message = send_email("someone@example.org", "Hello", "Body")
    db.session.commit()
    run_jobs()
    sent_at = message.sent_at
    from lms.notifications.tasks import deliver_email

    assert deliver_email(message.id) == "skipped"
    assert message.sent_at == sent_at


def test_failed_inline_job_is_recorded_and_rolled_back(app, db, monkeypatch, make_user):
    if app.config.get("REDIS_URL"):
        pytest.skip("the suite is running jobs on Redis")
    from lms.notifications import tasks

    user = make_user()

    def broken(message_id):
        db.session.get(EmailMessage, message_id).subject = "half-done"
        db.session.flush()
        raise ConnectionError("SMTP server unreachable")

    monkeypatch.setattr(tasks, "deliver_email", broken)
    message = send_email(user.email, "Original", "Body")
    assert message.subject == "Original"  # the job's own write was undone
    assert message.status is EmailStatus.QUEUED
    failure = db.session.scalar(db.select(jobs.JobFailure))
    assert failure.func == "lms.notifications.tasks.deliver_email"
    assert failure.args == [message.id] and "SMTP server unreachable" in failure.error

    monkeypatch.undo()
    jobs.retry_failure(failure)
    assert message.status is EmailStatus.IN_OUTBOX and failure.retried_at is not None


def test_admin_sees_and_retries_failed_jobs(app, db, login_as, run_jobs):
    message = EmailMessage(recipient="x@example.org", subject="S", body="B")
    db.session.add(message)
    db.session.flush()
    failure = jobs.JobFailure(
        func="lms.notifications.tasks.deliver_email", args=[message.id], error="Traceback: boom"
    )
    db.session.add(failure)
    db.session.flush()
    client = login_as(Role.ADMIN)
    page = client.get("/admin/jobs/failed").get_data(as_text=True)
    assert "lms.notifications.tasks.deliver_email" in page and "boom" in page
    assert client.post(f"/admin/jobs/failed/{failure.id}/retry").status_code == 302
    run_jobs()
    db.session.refresh(message)
    assert message.status is EmailStatus.IN_OUTBOX
    assert failure.retried_at is not None


def test_unknown_or_foreign_job_names_fail_fast(app, db):
    with pytest.raises(ValueError):
        jobs.enqueue("os.system", "true")
    with pytest.raises(AttributeError):
        jobs.enqueue("lms.notifications.tasks.no_such_job")


@needs_redis
def test_rq_job_waits_for_commit_and_a_rollback_enqueues_nothing(app, db):
    queue = jobs.queue()
    queue.empty()
    send_email("a@example.org", "S", "B")
    assert queue.count == 0  # not yet committed
    db.session.rollback()
    assert queue.count == 0
    send_email("b@example.org", "S", "B")
    db.session.commit()
    assert queue.count == 1
    queue.empty()


@needs_redis
def test_job_through_a_real_rq_worker_process(app):
    """Commit for real, run `flask worker --burst` as its own process, see the result."""
    with app.app_context():
        queue = jobs.queue()
        queue.empty()
        recipient = f"worker-{uuid.uuid4().hex[:8]}@example.org"
        message = send_email(recipient, "Through the worker", "Body")
        _db.session.commit()
        message_id = message.id
        assert queue.count == 1
    try:
        if "sqlite" in app.config["SQLALCHEMY_DATABASE_URI"]:
            pytest.skip("an in-memory SQLite database cannot be shared with a worker process")
        env = {
            **os.environ,
            "LMS_CONFIG": "testing",
            "FLASK_APP": "wsgi.py",
            "RQ_QUEUE": app.config["RQ_QUEUE"],
            # This test run's own database (each pytest-xdist worker has one).
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        }
        result = subprocess.run(
            [sys.executable, "-m", "flask", "worker", "--burst"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        with app.app_context():
            stored = _db.session.get(EmailMessage, message_id)
            assert stored.status is EmailStatus.IN_OUTBOX, result.stderr[-3000:]
    finally:
        with app.app_context():
            _db.session.execute(_db.delete(EmailMessage).where(EmailMessage.id == message_id))
            _db.session.commit()


@needs_redis
def test_a_job_that_keeps_failing_is_recorded_once_after_its_last_retry(
    app, db, monkeypatch, run_jobs
):
    from lms.notifications import tasks

    attempts = []

    def broken(message_id):
        attempts.append(message_id)
        raise ConnectionError("SMTP server unreachable")

    monkeypatch.setattr(tasks, "deliver_email", broken)
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", [0, 0])  # two retries, straight away
    send_email("a@example.org", "S", "B")
    db.session.commit()
    run_jobs()
    assert len(attempts) == 3
    failures = list(db.session.scalars(db.select(jobs.JobFailure)))
    assert len(failures) == 1 and "SMTP server unreachable" in failures[0].error
