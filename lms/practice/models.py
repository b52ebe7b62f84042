"""Observed practice: GMTS trainees, their action learning sets, the sets' sessions with
registers, presenters, actions and follow-through, facilitators' logs, and anonymous
feedback.

Confidentiality: ``Presentation.challenge`` and the text of ``Action`` and
``FollowThrough`` belong to the presenter and the set's facilitators. Only the queries in
``lms.practice.confidential`` read those columns; everything supervisors and leads see
comes from the aggregate queries in ``lms.practice.aggregates``, which never select them.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Region, User
from lms.applications.models import DeliveryMode, Intake
from lms.db_types import LabelledEnum, UTCDateTime, enum_column, set_labels, utcnow
from lms.extensions import db


class TraineeImport(db.Model):
    """A CSV file of GMTS trainees a lead uploaded: checked first, then imported whole."""

    __tablename__ = "practice_trainee_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text)
    rows: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    unchanged_count: Mapped[int] = mapped_column(default=0)

    created_by: Mapped[User | None] = relationship()


class TraineeProfile(db.Model):
    """What the GMTS programme told us about a trainee (their account holds name, email,
    organisation and access needs)."""

    __tablename__ = "practice_trainee"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    gmts_intake: Mapped[str] = mapped_column(String(60), index=True)
    region: Mapped[Region | None] = mapped_column(enum_column(Region, "region"))
    mode: Mapped[DeliveryMode | None] = mapped_column(enum_column(DeliveryMode, "delivery_mode"))
    line_manager_email: Mapped[str | None] = mapped_column(String(254), index=True)
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_trainee_import.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()


class AllocationRun(db.Model):
    """One run of the set allocator for an intake's facilitators and a GMTS cohort: the
    sets it proposed (held as proposed until a lead confirms them) and who it could not
    place, with why."""

    __tablename__ = "practice_allocation_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), index=True)
    gmts_intake: Mapped[str] = mapped_column(String(60))
    mode: Mapped[str | None] = mapped_column(String(20))  # None: each team's own preference
    points: Mapped[int] = mapped_column(default=0)
    # [{"trainee_id": 1, "code": "...", "trainee_ids": [...], "facilitator_ids": [...],
    #   "detail": ...}], as the allocator explained it.
    unplaced: Mapped[list[dict]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    discarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    intake: Mapped[Intake] = relationship()


class SetStatus(LabelledEnum):
    PROPOSED = "proposed"  # from an allocation run; only leads see it
    CONFIRMED = "confirmed"


SET_STATUS_LABELS = set_labels(
    SetStatus, {SetStatus.PROPOSED: _l("Proposed"), SetStatus.CONFIRMED: _l("Confirmed")}
)


class PracticeSet(db.Model):
    """An action learning set: 5 to 8 GMTS trainees and their facilitators."""

    __tablename__ = "practice_set"
    __table_args__ = (UniqueConstraint("intake_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), index=True)
    gmts_intake: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[SetStatus] = mapped_column(
        enum_column(SetStatus, "practice_set_status"), default=SetStatus.PROPOSED
    )
    mode: Mapped[DeliveryMode] = mapped_column(enum_column(DeliveryMode, "delivery_mode"))
    region: Mapped[Region | None] = mapped_column(enum_column(Region, "region"))
    nation: Mapped[str] = mapped_column(String(20), default="england_wales")
    venue: Mapped[str | None] = mapped_column(Text)
    joining_link: Mapped[str | None] = mapped_column(String(500))
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_allocation_run.id", ondelete="SET NULL"), index=True
    )
    points: Mapped[int] = mapped_column(default=0)
    # Preferences the allocator could not meet, as it gave them (codes and people).
    reasons: Mapped[list[dict]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    intake: Mapped[Intake] = relationship()
    facilitators: Mapped[list[SetFacilitator]] = relationship(
        back_populates="set", cascade="all, delete-orphan", order_by="SetFacilitator.id"
    )
    members: Mapped[list[SetMember]] = relationship(
        back_populates="set", cascade="all, delete-orphan", order_by="SetMember.id"
    )
    sessions: Mapped[list[PracticeSession]] = relationship(
        back_populates="set", cascade="all, delete-orphan", order_by="PracticeSession.number"
    )

    def __repr__(self) -> str:
        return f"<PracticeSet {self.id} {self.name!r}>"

    @property
    def facilitator_ids(self) -> list[int]:
        return [f.user_id for f in self.facilitators]

    @property
    def member_ids(self) -> list[int]:
        return [m.user_id for m in self.members]


class SetFacilitator(db.Model):
    __tablename__ = "practice_set_facilitator"
    __table_args__ = (UniqueConstraint("set_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("practice_set.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)

    set: Mapped[PracticeSet] = relationship(back_populates="facilitators")
    user: Mapped[User] = relationship()


class SetMember(db.Model):
    """A trainee in a set, and when they acknowledged the set's charter."""

    __tablename__ = "practice_set_member"
    __table_args__ = (UniqueConstraint("set_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("practice_set.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    charter_acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    set: Mapped[PracticeSet] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class PracticeSession(db.Model):
    """One meeting of a set. The console keeps its stage, so a reload picks up the clock."""

    __tablename__ = "practice_session"
    __table_args__ = (UniqueConstraint("set_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("practice_set.id", ondelete="CASCADE"))
    number: Mapped[int]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    moved_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    holiday: Mapped[str | None] = mapped_column(String(30))  # the bank holiday it moved off
    sequence: Mapped[int] = mapped_column(default=0)  # bumped on each change, for calendars
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stage: Mapped[str | None] = mapped_column(String(20))
    stage_round: Mapped[int] = mapped_column(default=0)
    stage_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    set: Mapped[PracticeSet] = relationship(back_populates="sessions")
    attendance: Mapped[list[PracticeAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<PracticeSession {self.id} set {self.set_id} #{self.number}>"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class PracticeAttendanceStatus(LabelledEnum):
    PRESENT = "present"
    LATE = "late"
    APOLOGIES = "apologies"
    ABSENT = "absent"


PRACTICE_ATTENDANCE_LABELS = set_labels(
    PracticeAttendanceStatus,
    {
        PracticeAttendanceStatus.PRESENT: _l("Present"),
        PracticeAttendanceStatus.LATE: _l("Late"),
        PracticeAttendanceStatus.APOLOGIES: _l("Apologies"),
        PracticeAttendanceStatus.ABSENT: _l("Absent"),
    },
)


class PracticeAttendance(db.Model):
    __tablename__ = "practice_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("practice_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[PracticeAttendanceStatus] = mapped_column(
        enum_column(PracticeAttendanceStatus, "practice_attendance_status")
    )
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    session: Mapped[PracticeSession] = relationship(back_populates="attendance")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Theme(LabelledEnum):
    ESCALATION = "escalation"
    ROTA_WORKFLOW = "rota_workflow"
    PRIORITISATION = "prioritisation"
    ACROSS_TEAMS = "across_teams"
    DELEGATION = "delegation"
    WELLBEING = "wellbeing"
    OTHER = "other"


THEME_LABELS = set_labels(
    Theme,
    {
        Theme.ESCALATION: _l("Escalation and SBAR"),
        Theme.ROTA_WORKFLOW: _l("Rota and workflow"),
        Theme.PRIORITISATION: _l("Prioritisation"),
        Theme.ACROSS_TEAMS: _l("Working across teams"),
        Theme.DELEGATION: _l("Delegation"),
        Theme.WELLBEING: _l("Wellbeing"),
        Theme.OTHER: _l("Something else"),
    },
)


class Presentation(db.Model):
    """A member presenting a challenge at a session. ``challenge`` is confidential."""

    __tablename__ = "practice_presentation"
    __table_args__ = (UniqueConstraint("session_id", "presenter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("practice_session.id", ondelete="CASCADE"))
    set_id: Mapped[int] = mapped_column(ForeignKey("practice_set.id", ondelete="CASCADE"))
    presenter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    theme: Mapped[Theme | None] = mapped_column(enum_column(Theme, "practice_theme"))
    challenge: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    session: Mapped[PracticeSession] = relationship()
    presenter: Mapped[User] = relationship()


Index("ix_practice_presentation_set", Presentation.set_id, Presentation.presenter_id)


class Action(db.Model):
    """One of a presenter's one or two actions. Its text, supports and risks are
    confidential to the presenter and the set's facilitators."""

    __tablename__ = "practice_action"
    __table_args__ = (UniqueConstraint("presentation_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    presentation_id: Mapped[int] = mapped_column(
        ForeignKey("practice_presentation.id", ondelete="CASCADE")
    )
    set_id: Mapped[int] = mapped_column(ForeignKey("practice_set.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("practice_session.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger, default=1)
    text: Mapped[str] = mapped_column(Text)
    supports: Mapped[str | None] = mapped_column(Text)
    risks: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    presentation: Mapped[Presentation] = relationship()
    session: Mapped[PracticeSession] = relationship()
    owner: Mapped[User] = relationship()


Index("ix_practice_action_set", Action.set_id, Action.session_id)


class FollowThroughStatus(LabelledEnum):
    DONE = "done"
    PARTLY = "partly"
    NOT_DONE = "not_done"
    CARRIED_FORWARD = "carried_forward"  # asked about again at the next session
    DROPPED = "dropped"


FOLLOW_THROUGH_LABELS = set_labels(
    FollowThroughStatus,
    {
        FollowThroughStatus.DONE: _l("Done"),
        FollowThroughStatus.PARTLY: _l("Partly done"),
        FollowThroughStatus.NOT_DONE: _l("Not done"),
        FollowThroughStatus.CARRIED_FORWARD: _l("Carried forward"),
        FollowThroughStatus.DROPPED: _l("Dropped"),
    },
)


class FollowThrough(db.Model):
    """What became of an action, reported back at a later session of the set."""

    __tablename__ = "practice_follow_through"
    __table_args__ = (UniqueConstraint("action_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("practice_action.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        ForeignKey("practice_session.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[FollowThroughStatus] = mapped_column(
        enum_column(FollowThroughStatus, "practice_follow_through_status")
    )
    learning_note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    action: Mapped[Action] = relationship()


class SessionLog(db.Model):
    """A facilitator's short reflective log on a session they ran (portfolio evidence)."""

    __tablename__ = "practice_session_log"
    __table_args__ = (UniqueConstraint("session_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("practice_session.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    went_well: Mapped[str] = mapped_column(Text)
    do_differently: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    session: Mapped[PracticeSession] = relationship()
    author: Mapped[User] = relationship()


def _feedback_id() -> str:
    return secrets.token_hex(16)


class FeedbackResponse(db.Model):
    """A trainee's anonymous feedback on a session's facilitation.

    Nothing here says who gave it: the key is random (so it cannot be matched to a
    receipt by order) and there is no time. ``FeedbackReceipt`` only records that a
    trainee has answered, so nobody answers twice.
    """

    __tablename__ = "practice_feedback"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_feedback_id)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("practice_session.id", ondelete="CASCADE"), index=True
    )
    kept_to_time: Mapped[int] = mapped_column(SmallInteger)
    fair_say: Mapped[int] = mapped_column(SmallInteger)
    questions_helped: Mapped[int] = mapped_column(SmallInteger)
    clear_action: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)


class FeedbackReceipt(db.Model):
    __tablename__ = "practice_feedback_receipt"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("practice_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
