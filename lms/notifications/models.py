"""Notifications shown in the service, and every email the service sends."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.db_types import LabelledEnum, UTCDateTime, enum_column, set_labels, utcnow
from lms.extensions import db


class Notification(db.Model):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EmailStatus(LabelledEnum):
    QUEUED = "queued"
    SENT = "sent"
    IN_OUTBOX = "in_outbox"


EMAIL_STATUS_LABELS = set_labels(
    EmailStatus,
    {
        EmailStatus.QUEUED: _l("Queued"),
        EmailStatus.SENT: _l("Sent"),
        EmailStatus.IN_OUTBOX: _l("In outbox"),
    },
)


class EmailMessage(db.Model):
    """One email. In the embedded default it stays here as the outbox admins can read."""

    __tablename__ = "email_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # An iCalendar invitation sent with the email as invite.ics (sessions, workshop days).
    calendar: Mapped[str | None] = mapped_column(Text)
    status: Mapped[EmailStatus] = mapped_column(
        enum_column(EmailStatus, "email_status"), default=EmailStatus.QUEUED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
