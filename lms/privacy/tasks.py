"""Privacy jobs: the retention periods, applied by the periodic jobs in lms/schedule.py."""

from __future__ import annotations

from lms.privacy import retention


def apply_retention() -> dict[str, int]:
    """Remove the records past their retention period (idempotent: cron may run it twice)."""
    return retention.apply()
