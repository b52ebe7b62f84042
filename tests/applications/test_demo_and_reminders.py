"""Demo applications and the daily reminders command."""

from __future__ import annotations

from datetime import timedelta

from lms.applications import review
from lms.applications.models import (
    Application,
    ApplicationStatus,
    EndorsementRequest,
    EndorsementStatus,
)
from lms.db_types import utcnow
from lms.notifications.models import EmailMessage


def test_the_demo_has_an_application_in_every_status(app, db):
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    applications = db.session.scalars(db.select(Application)).all()
    assert {a.status for a in applications} == set(ApplicationStatus)
    assert any(a.endorsement_status is EndorsementStatus.AWAITING for a in applications)
    assert any(review.summary_for(a).disagreement for a in applications)
    count = len(applications)
    app.test_cli_runner().invoke(args=["seed", "demo"])
    assert len(db.session.scalars(db.select(Application)).all()) == count


def test_send_reminders_reminds_line_managers_once(app, db, make_application, run_jobs):
    application = make_application(submit=True)
    request = db.session.scalar(db.select(EndorsementRequest))
    request.expires_at = utcnow() + timedelta(days=3)
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["send-reminders"])
        assert result.exit_code == 0, result.output
        run_jobs()  # with Redis the command queues the job; a worker runs it
    reminders = db.session.scalars(
        db.select(EmailMessage).where(
            EmailMessage.recipient == application.manager_email,
            EmailMessage.subject.like("Reminder%"),
        )
    ).all()
    assert len(reminders) == 1
