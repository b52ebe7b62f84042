"""The day-before reminders for set sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lms.practice import scheduling
from lms.schedule import PERIODIC_JOBS


def test_reminders_go_once_to_members_and_facilitators_with_access_needs(
    make_set, outbox, make_user
):
    tomorrow = (datetime.now(UTC) + timedelta(hours=20)).replace(microsecond=0)
    practice_set = make_set(sessions=2, first=tomorrow)
    member = practice_set.members[0].user
    member.needs_captions = True
    member.access_notes = "Prefers the camera off"

    assert scheduling.send_session_reminders() == 1
    assert scheduling.send_session_reminders() == 0  # idempotent

    emails = outbox()
    recipients = {e.recipient for e in emails}
    people = [f.user for f in practice_set.facilitators] + [m.user for m in practice_set.members]
    assert recipients == {p.email for p in people}
    to_facilitator = next(e for e in emails if e.recipient == people[0].email)
    assert "Captions" in to_facilitator.body and "Prefers the camera off" in to_facilitator.body
    to_member = next(e for e in emails if e.recipient == member.email)
    assert "Prefers the camera off" not in to_member.body


def test_only_sessions_within_a_day_and_confirmed_sets_are_reminded(make_set):
    from lms.practice.models import SetStatus

    make_set(sessions=1, first=datetime.now(UTC) + timedelta(days=3))
    make_set(sessions=1, first=datetime.now(UTC) + timedelta(hours=5), status=SetStatus.PROPOSED)
    assert scheduling.send_session_reminders() == 0


def test_the_reminder_job_runs_hourly_with_the_others():
    assert "lms.practice.tasks.send_session_reminders" in PERIODIC_JOBS
