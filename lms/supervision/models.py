"""Supervision groups, their members over time, sessions, registers, notes and cases."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.applications.models import Intake
from lms.curriculum.models import AttendanceStatus
from lms.db_types import LabelledEnum, UTCDateTime, enum_column, set_labels, utcnow
from lms.extensions import db


class SupervisionGroup(db.Model):
    """A supervisor and a handful of an intake's trainee facilitators."""

    __tablename__ = "supervision_group"
    __table_args__ = (UniqueConstraint("intake_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    intake: Mapped[Intake] = relationship()
    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    memberships: Mapped[list[GroupMembership]] = relationship(
        back_populates="group", order_by="GroupMembership.joined_at"
    )

    def __repr__(self) -> str:
        return f"<SupervisionGroup {self.id} {self.name!r}>"

    @property
    def current_members(self) -> list[GroupMembership]:
        return [m for m in self.memberships if m.left_at is None]


class GroupMembership(db.Model):
    """One spell of one facilitator in one group. Moving someone ends this row and starts
    another, so the history of who was where stays."""

    __tablename__ = "supervision_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("supervision_group.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    removed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    group: Mapped[SupervisionGroup] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SessionMode(LabelledEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"


SESSION_MODE_LABELS = set_labels(
    SessionMode, {SessionMode.IN_PERSON: _l("In person"), SessionMode.ONLINE: _l("Online")}
)


class SupervisionSession(db.Model):
    """One meeting of a group. Sessions scheduled together share a ``series_key``."""

    __tablename__ = "supervision_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("supervision_group.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mode: Mapped[SessionMode] = mapped_column(enum_column(SessionMode, "supervision_mode"))
    venue: Mapped[str | None] = mapped_column(Text)
    joining_link: Mapped[str | None] = mapped_column(String(500))
    series_key: Mapped[str | None] = mapped_column(String(32), index=True)
    sequence: Mapped[int] = mapped_column(default=0)  # bumped on each change, for calendars
    shared_summary: Mapped[str | None] = mapped_column(Text)
    summary_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    summary_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    group: Mapped[SupervisionGroup] = relationship()
    attendance: Mapped[list[SupervisionAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<SupervisionSession {self.id} {self.starts_at:%Y-%m-%d %H:%M}>"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class SupervisionAttendance(db.Model):
    """One line of a supervision session's register."""

    __tablename__ = "supervision_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_session.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_column(AttendanceStatus, "attendance_status")
    )
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    session: Mapped[SupervisionSession] = relationship(back_populates="attendance")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class PrivateNote(db.Model):
    """A supervisor's own notes on a session: only the person who wrote them reads them,
    so a new supervisor taking over a group does not inherit them."""

    __tablename__ = "supervision_private_note"
    __table_args__ = (UniqueConstraint("session_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_session.id", ondelete="CASCADE")
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SupervisionCase(db.Model):
    """A situation from a facilitator's set that they bring to supervision for help."""

    __tablename__ = "supervision_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("supervision_group.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("supervision_session.id", ondelete="SET NULL"), index=True
    )
    what_happened: Mapped[str] = mapped_column(Text)
    help_wanted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    response: Mapped[str | None] = mapped_column(Text)
    responded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    group: Mapped[SupervisionGroup] = relationship()
    session: Mapped[SupervisionSession | None] = relationship()
    responded_by: Mapped[User | None] = relationship(foreign_keys=[responded_by_id])
