"""Reports built in the background: one row per request, holding the finished tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db_types import LabelledEnum, UTCDateTime, enum_column, set_labels, utcnow
from lms.extensions import db


class RunStatus(LabelledEnum):
    """queued -> running -> ready or failed; a failed run may be queued again (a retry).
    A ready run never changes: building again makes a new run."""

    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"


RUN_STATUS_LABELS = set_labels(
    RunStatus,
    {
        RunStatus.QUEUED: _l("Waiting to be built"),
        RunStatus.RUNNING: _l("Being built"),
        RunStatus.READY: _l("Ready"),
        RunStatus.FAILED: _l("Could not be built"),
    },
)

ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


class ReportRun(db.Model):
    """A report a lead asked to be built in the background, because it covers too many
    records to build while they wait. ``result`` keeps the finished tables (see
    :func:`lms.reports.runs.tables_of`), so the page and downloads never build it again.

    ``filters_key`` is ``filters`` as canonical text: JSON columns cannot be compared for
    equality on PostgreSQL, and finding "the same report with the same filters" needs to.
    """

    __tablename__ = "report_run"
    __table_args__ = (Index("ix_report_run_report_status", "report", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report: Mapped[str] = mapped_column(String(40))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    filters_key: Mapped[str] = mapped_column(String(400))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    status: Mapped[RunStatus] = mapped_column(
        enum_column(RunStatus, "report_run_status"), default=RunStatus.QUEUED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    # [{key, title, headings, note, frame}], frame being DataFrame.to_json(orient="split")
    result: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    row_count: Mapped[int | None]

    requested_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ReportRun {self.id} {self.report} {self.status.value}>"
