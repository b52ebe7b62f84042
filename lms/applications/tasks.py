"""Background jobs for applications. They take ids (or nothing) and are safe to run twice."""

from __future__ import annotations


def send_endorsement_reminders() -> int:
    """Remind line managers whose endorsement link expires soon; returns how many."""
    from lms.applications.endorsement import send_reminders

    return send_reminders()
