"""Supervision groups, their members over time, sessions, registers, notes and cases."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.applications.models import Intake
from lms.curriculum.models import AttendanceStatus
from lms.db_types import LabelledEnum, UTCDateTime, enum_column, set_labels, utcnow
from lms.extensions import db
from lms.practice.models import PracticeSession


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


class ObservationKind(LabelledEnum):
    SUPERVISOR = "supervisor"  # may sign the facilitator off
    BUDDY = "buddy"  # formative only
    SELF = "self"  # the facilitator's own self-assessment


OBSERVATION_KIND_LABELS = set_labels(
    ObservationKind,
    {
        ObservationKind.SUPERVISOR: _l("Supervisor observation"),
        ObservationKind.BUDDY: _l("Buddy observation"),
        ObservationKind.SELF: _l("Self-assessment"),
    },
)


class Criterion(LabelledEnum):
    CONTRACTING = "contracting"
    PROCESS_AND_TIME = "process_and_time"
    QUESTIONING = "questioning"
    GROUP_DYNAMICS = "group_dynamics"
    INCLUSION = "inclusion"
    ACTIONS = "actions"
    CLOSING = "closing"
    SELF_AWARENESS = "self_awareness"


CRITERION_LABELS = set_labels(
    Criterion,
    {
        Criterion.CONTRACTING: _l("Contracting and charter"),
        Criterion.PROCESS_AND_TIME: _l("Holding process and time"),
        Criterion.QUESTIONING: _l("Questioning: inquiry, not advice"),
        Criterion.GROUP_DYNAMICS: _l("Managing group dynamics"),
        Criterion.INCLUSION: _l("Inclusion and equal airtime"),
        Criterion.ACTIONS: _l("Actions and accountability"),
        Criterion.CLOSING: _l("Closing and capturing learning"),
        Criterion.SELF_AWARENESS: _l("Self-awareness and use of self"),
    },
)


class Rating(LabelledEnum):
    NOT_YET = "not_yet"
    DEVELOPING = "developing"
    COMPETENT = "competent"
    STRONG = "strong"


RATING_LABELS = set_labels(
    Rating,
    {
        Rating.NOT_YET: _l("Not yet"),
        Rating.DEVELOPING: _l("Developing"),
        Rating.COMPETENT: _l("Competent"),
        Rating.STRONG: _l("Strong"),
    },
)


class Outcome(LabelledEnum):
    SIGNED_OFF = "signed_off"
    NOT_YET = "not_yet"


OUTCOME_LABELS = set_labels(
    Outcome, {Outcome.SIGNED_OFF: _l("Signed off"), Outcome.NOT_YET: _l("Not yet")}
)


class ImmutableRecordError(RuntimeError):
    """Raised when something tries to change an observation after it was recorded."""


class Observation(db.Model):
    """An observation of a facilitator running one set session, against the criteria.

    A supervisor's observation ends in an outcome; a buddy's is formative; a facilitator's
    own is their self-assessment. Once ``recorded_at`` is set the record cannot change
    (enforced below, whatever the caller): a correction is a new observation whose
    ``corrects_id`` points at the one it corrects.
    """

    __tablename__ = "observation"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("practice_session.id", ondelete="CASCADE"), index=True
    )
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    observer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[ObservationKind] = mapped_column(enum_column(ObservationKind, "observation_kind"))
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "observation_outcome"))
    summary: Mapped[str | None] = mapped_column(Text)
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("observation.id"), unique=True, index=True
    )
    correction_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    facilitator: Mapped[User] = relationship(foreign_keys=[facilitator_id])
    observer: Mapped[User] = relationship(foreign_keys=[observer_id])
    session: Mapped[PracticeSession] = relationship()
    corrects: Mapped[Observation | None] = relationship(remote_side=[id])
    ratings: Mapped[list[ObservationRating]] = relationship(
        back_populates="observation", cascade="all, delete-orphan", order_by="ObservationRating.id"
    )

    def __repr__(self) -> str:
        return f"<Observation {self.id} {self.kind.value} of {self.facilitator_id}>"

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None


class ObservationRating(db.Model):
    __tablename__ = "observation_rating"
    __table_args__ = (UniqueConstraint("observation_id", "criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observation.id", ondelete="CASCADE"))
    criterion: Mapped[Criterion] = mapped_column(enum_column(Criterion, "observation_criterion"))
    rating: Mapped[Rating] = mapped_column(enum_column(Rating, "observation_rating"))
    comment: Mapped[str | None] = mapped_column(Text)

    observation: Mapped[Observation] = relationship(back_populates="ratings")


class ObservationReflection(db.Model):
    """The facilitator's reflection after a supervisor's or buddy's observation. It is
    theirs, so it is kept apart from the (immutable) observation."""

    __tablename__ = "observation_reflection"

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(
        ForeignKey("observation.id", ondelete="CASCADE"), unique=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    observation: Mapped[Observation] = relationship()


def _recorded_in_database(connection, observation_id: int | None) -> bool:
    """Whether the stored row was already recorded (asked of the database itself, so an
    attribute changed or expired in memory cannot get round it)."""
    if observation_id is None:
        return False
    table = Observation.__table__
    stored = connection.execute(
        sa_select(table.c.recorded_at).where(table.c.id == observation_id)
    ).scalar()
    return stored is not None


@event.listens_for(Observation, "before_update")
@event.listens_for(Observation, "before_delete")
def _observation_is_immutable(mapper, connection, target: Observation) -> None:
    if _recorded_in_database(connection, target.id):
        raise ImmutableRecordError(f"observation {target.id} was recorded and cannot change")


@event.listens_for(ObservationRating, "before_insert")
@event.listens_for(ObservationRating, "before_update")
@event.listens_for(ObservationRating, "before_delete")
def _rating_is_immutable(mapper, connection, target: ObservationRating) -> None:
    observation_id = target.observation_id or (target.observation and target.observation.id)
    if _recorded_in_database(connection, observation_id):
        raise ImmutableRecordError(f"observation {observation_id} was recorded and cannot change")
