"""Line manager endorsement, reviewers' scores, and equality monitoring (kept apart)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.applications.models.application import Application
from lms.db_types import LabelledEnum, UTCDateTime, enum_column, set_labels, utcnow
from lms.extensions import db


class EndorsementDecision(LabelledEnum):
    ENDORSED = "endorsed"
    DECLINED = "declined"


ENDORSEMENT_DECISION_LABELS = set_labels(
    EndorsementDecision,
    {
        EndorsementDecision.ENDORSED: _l("I endorse this application"),
        EndorsementDecision.DECLINED: _l("I do not endorse this application"),
    },
)


class EndorsementRequest(db.Model):
    """A single-use, expiring link sent to the line manager. Only a hash of it is kept."""

    __tablename__ = "endorsement_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    manager_email: Mapped[str] = mapped_column(String(254))
    sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a newer link replaced it
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[EndorsementDecision | None] = mapped_column(
        enum_column(EndorsementDecision, "endorsement_decision")
    )
    comment: Mapped[str | None] = mapped_column(Text)

    application: Mapped[Application] = relationship()

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at


@dataclass(frozen=True)
class Criterion:
    key: str
    title: object
    question: object
    descriptors: tuple  # four lazy strings, for scores 1 to 4


RUBRIC: tuple[Criterion, ...] = (
    Criterion(
        "motivation",
        _l("Motivation"),
        _l("Why do they want to facilitate action learning, and is it for others' benefit?"),
        (
            _l("Little sense of why they are applying, or mainly for their own career"),
            _l("Some reasons given, but general and not linked to the programme"),
            _l("Clear reasons linked to action learning and the people it would help"),
            _l("Compelling and specific, with a clear wish to develop others across the system"),
        ),
    ),
    Criterion(
        "reflection",
        _l("Reflective capacity"),
        _l("Do they look honestly at their own practice and learn from it?"),
        (
            _l("Describes events without reflecting on their own part in them"),
            _l("Some reflection, mostly on what others did"),
            _l("Reflects on their own assumptions and what they would do differently"),
            _l("Deep, honest reflection that has clearly changed how they work"),
        ),
    ),
    Criterion(
        "potential",
        _l("Facilitation potential"),
        _l("Could they hold a set: ask open questions, hold back advice, manage a group?"),
        (
            _l("No relevant experience and little sign of a questioning approach"),
            _l("Some experience of groups, but tends to lead with advice"),
            _l("Relevant experience and a clear questioning, non-directive approach"),
            _l("Strong evidence of enabling others to think for themselves in groups"),
        ),
    ),
    Criterion(
        "commitment",
        _l("Commitment"),
        _l("Can they give the time for training, supervision and a set over the programme?"),
        (
            _l("The time needed looks unlikely to be available"),
            _l("Time is possible but not yet agreed or planned"),
            _l("Time is planned and the line manager is supportive"),
            _l("Time is protected and agreed, with a clear plan for the whole programme"),
        ),
    ),
)
CRITERION_KEYS = tuple(c.key for c in RUBRIC)
SCORE_MIN, SCORE_MAX = 1, 4
DISAGREEMENT = 2  # reviewers this far apart on any criterion are flagged to the lead


class ReviewAssignment(db.Model):
    """A reviewer assigned to an application, and their scores once submitted."""

    __tablename__ = "review_assignment"
    __table_args__ = (UniqueConstraint("application_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    motivation: Mapped[int | None]
    reflection: Mapped[int | None]
    potential: Mapped[int | None]
    commitment: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application: Mapped[Application] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def scores(self) -> dict[str, int | None]:
        return {key: getattr(self, key) for key in CRITERION_KEYS}

    @property
    def total(self) -> int | None:
        if not self.is_submitted:
            return None
        return sum(self.scores.values())


class EqualityResponse(db.Model):
    """Optional equality monitoring answers, stored apart from any application.

    Until the application is submitted the row is tied to the person (so they can change
    it); on submission ``user_id`` is cleared and only the intake remains, so answers can
    only ever be counted, never traced back. Nothing joins this to ``application``.
    """

    __tablename__ = "equality_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    age_band: Mapped[str | None] = mapped_column(String(32))
    sex: Mapped[str | None] = mapped_column(String(32))
    ethnicity: Mapped[str | None] = mapped_column(String(32))
    disability: Mapped[str | None] = mapped_column(String(32))
    sexual_orientation: Mapped[str | None] = mapped_column(String(32))
    religion: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
