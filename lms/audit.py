"""The append-only audit log and the one helper that writes to it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db_types import UTCDateTime, utcnow
from lms.extensions import db


class AuditEvent(db.Model):
    """Who did what, to what, and when. Rows are never updated or deleted."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(80), index=True)
    subject_type: Mapped[str | None] = mapped_column(String(80))
    subject_id: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(45))

    actor = relationship("User", foreign_keys=[actor_id])


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target) -> None:
    raise RuntimeError("the audit log is append-only")


def record(
    action: str,
    subject: Any | None = None,
    *,
    actor: Any | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit entry for ``action`` on ``subject`` by ``actor`` (default: current user).

    The entry joins the current transaction, so it is kept exactly when the change is.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=getattr(subject, "id", None),
        detail={key: _plain(value) for key, value in detail.items()},
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return getattr(value, "value", str(value))
