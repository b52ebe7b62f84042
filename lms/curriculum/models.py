"""The curriculum's tables: modules and their versions, progress, reflections, knowledge-check
attempts, completions, and live workshop days with their registers."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from lms.accounts.models import User
from lms.applications.models import DeliveryMode, Intake
from lms.curriculum.activities import Activity
from lms.curriculum.content import ModuleSpec, Page
from lms.db_types import LabelledEnum, UTCDateTime, enum_column, set_labels, utcnow
from lms.extensions import db


class ModuleVersion(db.Model):
    """One version of a module, exactly as its file said when it was synced. Never changed."""

    __tablename__ = "module_version"
    __table_args__ = (UniqueConstraint("module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id", ondelete="CASCADE"))
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    position: Mapped[int]
    is_core: Mapped[bool]
    estimated_minutes: Mapped[int]
    learning_outcomes: Mapped[list[str]] = mapped_column(JSON, default=list)
    prerequisites: Mapped[list[str]] = mapped_column(JSON, default=list)
    activities_json: Mapped[list[dict[str, Any]]] = mapped_column("activities", JSON, default=list)
    # The rendered pages are the bulk of a version: loaded only when a page is shown.
    pages_json: Mapped[dict[str, Any]] = mapped_column("pages", JSON, default=dict, deferred=True)
    source: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ModuleVersion {self.module_id} v{self.number}>"

    @cached_property
    def activities(self) -> tuple[Activity, ...]:
        return ModuleSpec.activities_from_json(self.activities_json)

    @cached_property
    def pages(self) -> dict[str, Page]:
        return ModuleSpec.pages_from_json(self.pages_json)

    def activity(self, key: str) -> Activity | None:
        return next((a for a in self.activities if a.key == key), None)

    @property
    def activity_keys(self) -> list[str]:
        return [a.key for a in self.activities]


class Module(db.Model):
    """A training module, known by its slug. ``version`` is the number of its current
    version; ``retired_at`` is set when its file is removed from content/."""

    __tablename__ = "module"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    version: Mapped[int] = mapped_column(default=1)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    current: Mapped[ModuleVersion] = relationship(
        primaryjoin=lambda: and_(
            Module.id == foreign(ModuleVersion.module_id),
            Module.version == foreign(ModuleVersion.number),
        ),
        viewonly=True,
        uselist=False,
        lazy="joined",
        innerjoin=True,
    )

    def __repr__(self) -> str:
        return f"<Module {self.slug} v{self.version}>"

    @property
    def title(self) -> str:
        return self.current.title

    @property
    def is_core(self) -> bool:
        return self.current.is_core


class ActivityProgress(db.Model):
    """An activity someone has done: read, answered, passed or attended."""

    __tablename__ = "activity_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_id", "activity_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id", ondelete="CASCADE"), index=True)
    activity_key: Mapped[str] = mapped_column(String(60))
    version: Mapped[int]
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModuleCompletion(db.Model):
    """Someone marked a module complete; ``version`` is the version they completed."""

    __tablename__ = "module_completion"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    module: Mapped[Module] = relationship()


class Reflection(db.Model):
    """A facilitator's answer to a reflection prompt: portfolio evidence, theirs to edit.

    ``prompt`` keeps the words they answered, so a later version of the module cannot
    change the question under their answer."""

    __tablename__ = "reflection"
    __table_args__ = (UniqueConstraint("user_id", "module_id", "activity_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id", ondelete="CASCADE"), index=True)
    activity_key: Mapped[str] = mapped_column(String(60))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    module: Mapped[Module] = relationship()


class QuizAttempt(db.Model):
    """One go at a knowledge check: the options picked per question, marked on the server."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (Index(None, "user_id", "module_id", "activity_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id", ondelete="CASCADE"))
    activity_key: Mapped[str] = mapped_column(String(60))
    version: Mapped[int]
    answers: Mapped[dict[str, list[int]]] = mapped_column(JSON, default=dict)
    score: Mapped[int]
    total: Mapped[int]
    is_passed: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    module: Mapped[Module] = relationship()
    module_version: Mapped[ModuleVersion] = relationship(
        primaryjoin=lambda: and_(
            QuizAttempt.module_id == foreign(ModuleVersion.module_id),
            QuizAttempt.version == foreign(ModuleVersion.number),
        ),
        viewonly=True,
        uselist=False,
    )


class WorkshopMode(LabelledEnum):
    """A workshop day is in a room or online (a blended programme mixes days of each)."""

    IN_PERSON = DeliveryMode.IN_PERSON.value
    ONLINE = DeliveryMode.ONLINE.value


WORKSHOP_MODE_LABELS = set_labels(
    WorkshopMode,
    {WorkshopMode.IN_PERSON: _l("In person"), WorkshopMode.ONLINE: _l("Online")},
)


class WorkshopDay(db.Model):
    """A date for one of the curriculum's live workshops, scheduled for an intake."""

    __tablename__ = "workshop_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"))
    activity_key: Mapped[str] = mapped_column(String(60))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mode: Mapped[WorkshopMode] = mapped_column(enum_column(WorkshopMode, "workshop_mode"))
    venue: Mapped[str | None] = mapped_column(Text)
    joining_link: Mapped[str | None] = mapped_column(String(500))
    details: Mapped[str | None] = mapped_column(Text)
    run_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    sequence: Mapped[int] = mapped_column(default=0)  # bumped on each change, for calendars
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    intake: Mapped[Intake] = relationship()
    module: Mapped[Module] = relationship()
    run_by: Mapped[User | None] = relationship(foreign_keys=[run_by_id])
    attendance: Mapped[list[WorkshopAttendance]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<WorkshopDay {self.id} {self.activity_key} {self.starts_at:%Y-%m-%d}>"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def activity(self) -> Activity | None:
        return self.module.current.activity(self.activity_key)

    @property
    def title(self) -> str:
        activity = self.activity
        return activity.title if activity else self.activity_key


class AttendanceStatus(LabelledEnum):
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"


ATTENDANCE_STATUS_LABELS = set_labels(
    AttendanceStatus,
    {
        AttendanceStatus.PRESENT: _l("Present"),
        AttendanceStatus.APOLOGIES: _l("Apologies"),
        AttendanceStatus.ABSENT: _l("Absent"),
    },
)


class WorkshopAttendance(db.Model):
    """One line of a workshop day's register."""

    __tablename__ = "workshop_attendance"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop_day.id", ondelete="CASCADE"))
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

    workshop: Mapped[WorkshopDay] = relationship(back_populates="attendance")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
