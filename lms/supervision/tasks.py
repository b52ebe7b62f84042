"""Background jobs for supervision. They are safe to run twice."""

from __future__ import annotations


def send_session_reminders() -> int:
    """Remind people of supervision sessions in the next 24 hours; returns how many."""
    from lms.supervision.services import send_session_reminders as send

    return send()
