"""Background jobs for observed practice. They are safe to run twice."""

from __future__ import annotations


def send_session_reminders() -> int:
    """Remind set members and facilitators of sessions in the next 24 hours."""
    from lms.practice.scheduling import send_session_reminders as send

    return send()
