"""Buddy pairs (and the one triad), leads' pairing rules, check-ins and re-pairing requests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.applications.models import Intake
from lms.db_types import LabelledEnum, UTCDateTime, enum_column, set_labels, utcnow
from lms.extensions import db


class BuddyStatus(LabelledEnum):
    PENDING = "pending"  # proposed by a pairing run; only the lead sees it
    CONFIRMED = "confirmed"
    ENDED = "ended"


BUDDY_STATUS_LABELS = set_labels(
    BuddyStatus,
    {
        BuddyStatus.PENDING: _l("Proposed"),
        BuddyStatus.CONFIRMED: _l("Confirmed"),
        BuddyStatus.ENDED: _l("Ended"),
    },
)


class BuddyGroup(db.Model):
    """Two buddies, or three when an intake's count is odd."""

    __tablename__ = "buddy_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), index=True)
    status: Mapped[BuddyStatus] = mapped_column(
        enum_column(BuddyStatus, "buddy_status"), default=BuddyStatus.PENDING, index=True
    )
    points: Mapped[int] = mapped_column(default=0)
    # The score's explanation as the pairing module gave it: one entry per link.
    links: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    same_organisation: Mapped[int] = mapped_column(default=0)
    repeats: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(Text)

    intake: Mapped[Intake] = relationship()
    members: Mapped[list[BuddyMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="BuddyMember.id"
    )

    def __repr__(self) -> str:
        return f"<BuddyGroup {self.id} {self.status.value}>"

    @property
    def member_ids(self) -> list[int]:
        return [m.user_id for m in self.members]

    def others(self, user_id: int) -> list[User]:
        return [m.user for m in self.members if m.user_id != user_id]


class BuddyMember(db.Model):
    __tablename__ = "buddy_member"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("buddy_group.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)

    group: Mapped[BuddyGroup] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class RuleKind(LabelledEnum):
    MUST_PAIR = "must_pair"
    MUST_NOT_PAIR = "must_not_pair"


RULE_KIND_LABELS = set_labels(
    RuleKind,
    {RuleKind.MUST_PAIR: _l("Must be buddies"), RuleKind.MUST_NOT_PAIR: _l("Must not be buddies")},
)


class PairingRule(db.Model):
    """A lead's must-pair or must-not-pair rule for two people in an intake.
    ``first_id`` is always the smaller id, so a pair has one row whichever way it was entered."""

    __tablename__ = "buddy_rule"
    __table_args__ = (UniqueConstraint("intake_id", "first_id", "second_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), index=True)
    kind: Mapped[RuleKind] = mapped_column(enum_column(RuleKind, "buddy_rule_kind"))
    first_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    second_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    first: Mapped[User] = relationship(foreign_keys=[first_id])
    second: Mapped[User] = relationship(foreign_keys=[second_id])


class CheckInTopic(LabelledEnum):
    SETS = "sets"
    SUPERVISION = "supervision"
    OBSERVATION = "observation"
    MODULES = "modules"
    WELLBEING = "wellbeing"
    OTHER = "other"


CHECK_IN_TOPIC_LABELS = set_labels(
    CheckInTopic,
    {
        CheckInTopic.SETS: _l("How our sets are going"),
        CheckInTopic.SUPERVISION: _l("Preparing for supervision"),
        CheckInTopic.OBSERVATION: _l("Observation and feedback"),
        CheckInTopic.MODULES: _l("The training modules"),
        CheckInTopic.WELLBEING: _l("Wellbeing and support"),
        CheckInTopic.OTHER: _l("Something else"),
    },
)


class CheckIn(db.Model):
    """A buddy meeting. It counts for every member of the pair; its notes are theirs alone."""

    __tablename__ = "buddy_check_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("buddy_group.id"), index=True)
    met_on: Mapped[date]
    minutes: Mapped[int]
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    logged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[BuddyGroup] = relationship()
    logged_by: Mapped[User | None] = relationship()

    @property
    def topic_labels(self) -> list[str]:
        return [CheckInTopic(t).label for t in self.topics]


class RepairRequest(db.Model):
    """A buddy's request to be paired with someone else; the lead sees the reason."""

    __tablename__ = "buddy_repair_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("buddy_group.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decision: Mapped[str | None] = mapped_column(String(20))  # "repaired" or "kept"

    group: Mapped[BuddyGroup] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
