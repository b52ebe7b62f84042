"""Periodic jobs: one declared list, run by ``flask send-reminders`` from cron, hourly (the
24-hour session reminders need that; the other jobs send each reminder only once).

Each entry is a job name for :func:`lms.jobs.enqueue`; every job here must be idempotent,
because cron may run it twice or late.
"""

from __future__ import annotations

PERIODIC_JOBS: list[str] = [
    "lms.applications.tasks.send_endorsement_reminders",
    "lms.supervision.tasks.send_session_reminders",
    "lms.practice.tasks.send_session_reminders",
    "lms.assessment.tasks.send_renewal_reminders",
    "lms.privacy.tasks.apply_retention",  # removes only what is past RETENTION_DAYS
]
