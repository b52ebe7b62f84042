"""Portfolio evidence from observed practice: sets facilitated, sessions held, session
logs, observations and trainees' feedback (see :mod:`lms.assessment.evidence`).

Only titles, dates and counts are selected: never a session log's answers, a challenge,
an action or a feedback comment; feedback only once enough trainees have answered.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from lms.assessment.evidence import Row, Source, minutes, row
from lms.practice.models import (
    FeedbackResponse,
    PracticeSession,
    PracticeSet,
    SessionLog,
    SetFacilitator,
    SetStatus,
)
from lms.practice.services import FEEDBACK_THRESHOLD
from lms.supervision.models import Observation, ObservationKind, Outcome


class Sets(Source):
    key = "sets"
    label = _l("Action learning sets facilitated")
    outcomes = ("contract", "process")

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        held = (
            sa.select(sa.func.count(PracticeSession.id))
            .where(PracticeSession.set_id == PracticeSet.id, PracticeSession.closed_at.is_not(None))
            .correlate(PracticeSet)
            .scalar_subquery()
        )
        return (
            sa.select(
                *row(
                    self.key,
                    ref=PracticeSet.id,
                    user_id=SetFacilitator.user_id,
                    title=PracticeSet.name,
                    at=PracticeSet.confirmed_at,
                    number=held,
                )
            )
            .join(PracticeSet, PracticeSet.id == SetFacilitator.set_id)
            .where(
                SetFacilitator.user_id.in_(user_ids),
                PracticeSet.status == SetStatus.CONFIRMED,
            )
        )

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            link=("practice.show_set", {"set_id": r.ref}),
            held=r.number or 0,
        )


class SessionsHeld(Source):
    key = "sessions_held"
    label = _l("Set sessions facilitated")
    outcomes = ("process", "inquiry", "actions")

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return (
            sa.select(
                *row(
                    self.key,
                    ref=PracticeSession.id,
                    user_id=SetFacilitator.user_id,
                    title=PracticeSet.name,
                    at=PracticeSession.starts_at,
                    until=PracticeSession.ends_at,
                    number=PracticeSession.number,
                    extra=PracticeSet.id,
                )
            )
            .join(PracticeSet, PracticeSet.id == SetFacilitator.set_id)
            .join(PracticeSession, PracticeSession.set_id == PracticeSet.id)
            .where(
                SetFacilitator.user_id.in_(user_ids),
                PracticeSet.status == SetStatus.CONFIRMED,
                PracticeSession.closed_at.is_not(None),
            )
        )

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            link=("practice.show_session", {"session_id": r.ref}),
            set_id=r.extra,
            number=r.number,
            minutes=minutes(r),
        )


class SessionLogs(Source):
    key = "session_logs"
    label = _l("Session logs")
    outcomes = ("reflect",)

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return (
            sa.select(
                *row(
                    self.key,
                    ref=SessionLog.id,
                    user_id=SessionLog.author_id,
                    title=PracticeSet.name,
                    at=SessionLog.updated_at,
                    number=PracticeSession.number,
                    extra=PracticeSession.id,
                )
            )
            .join(PracticeSession, PracticeSession.id == SessionLog.session_id)
            .join(PracticeSet, PracticeSet.id == PracticeSession.set_id)
            .where(SessionLog.author_id.in_(user_ids))
        )

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            link=("practice.session_log", {"session_id": r.extra}),
            number=r.number,
        )


def _latest_recorded(kind: ObservationKind) -> sa.Select:
    """Recorded observations of this kind that no recorded correction replaces."""
    later = aliased(Observation)
    return sa.and_(
        Observation.kind == kind,
        Observation.recorded_at.is_not(None),
        ~sa.exists().where(later.corrects_id == Observation.id, later.recorded_at.is_not(None)),
    )


class _Observations(Source):
    kind: ObservationKind
    shared_links = True

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return (
            sa.select(
                *row(
                    self.key,
                    ref=Observation.id,
                    user_id=Observation.facilitator_id,
                    title=PracticeSet.name,
                    label=Observation.outcome,
                    at=Observation.recorded_at,
                    number=PracticeSession.number,
                )
            )
            .join(PracticeSession, PracticeSession.id == Observation.session_id)
            .join(PracticeSet, PracticeSet.id == PracticeSession.set_id)
            .where(Observation.facilitator_id.in_(user_ids), _latest_recorded(self.kind))
        )

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            link=("supervision.show_observation", {"observation_id": r.ref}),
            number=r.number,
            signed_off=r.label == Outcome.SIGNED_OFF.value,
            outcome=r.label,
        )


class Observations(_Observations):
    key = "observations"
    label = _l("Observed by a supervisor")
    outcomes = ("contract", "process", "inquiry", "dynamics", "actions")
    kind = ObservationKind.SUPERVISOR


class BuddyObservations(_Observations):
    key = "buddy_observations"
    label = _l("Observed by a buddy")
    outcomes = ("process", "inquiry", "dynamics")
    kind = ObservationKind.BUDDY


class Feedback(Source):
    """Trainees' anonymous feedback on a set, only once enough have answered; the
    ``extra`` column is how many of the answers agreed (4 or 5), over all four
    statements."""

    key = "feedback"
    label = _l("Feedback from trainees")
    outcomes = ("dynamics", "reflect")

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        statements = (
            FeedbackResponse.kept_to_time,
            FeedbackResponse.fair_say,
            FeedbackResponse.questions_helped,
            FeedbackResponse.clear_action,
        )
        agreed = sum(sa.case((column >= 4, 1), else_=0) for column in statements)
        return (
            sa.select(
                *row(
                    self.key,
                    ref=PracticeSet.id,
                    user_id=SetFacilitator.user_id,
                    title=PracticeSet.name,
                    at=sa.func.max(PracticeSession.starts_at),
                    number=sa.func.count(FeedbackResponse.id),
                    extra=sa.func.sum(agreed),
                )
            )
            .join(PracticeSet, PracticeSet.id == SetFacilitator.set_id)
            .join(PracticeSession, PracticeSession.set_id == PracticeSet.id)
            .join(FeedbackResponse, FeedbackResponse.session_id == PracticeSession.id)
            .where(SetFacilitator.user_id.in_(user_ids))
            .group_by(PracticeSet.id, PracticeSet.name, SetFacilitator.user_id)
            .having(sa.func.count(FeedbackResponse.id) >= FEEDBACK_THRESHOLD)
        )

    def item(self, r: Row):
        responses = r.number or 0
        agree = round(100 * (r.extra or 0) / (4 * responses)) if responses else 0
        return self.make(
            r,
            r.title,
            r.at,
            link=("practice.show_set", {"set_id": r.ref}),
            responses=responses,
            agree=agree,
        )
