"""Periodic jobs: one declared list, run by ``flask send-reminders`` from cron (daily).

Each entry is a job name for :func:`lms.jobs.enqueue`; every job here must be idempotent,
because cron may run it twice or late.
"""

from __future__ import annotations

DAILY_JOBS: list[str] = [
    "lms.applications.tasks.send_endorsement_reminders",
]
