"""Counts and themes of observed practice: what supervisors and leads see. These queries
never select the confidential text of challenges, actions or learning notes (that is in
``lms.practice.confidential``); anonymous feedback comes only as a summary, and only from
a threshold of responses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lms.db_types import utcnow
from lms.extensions import db
from lms.practice.models import (
    Action,
    FeedbackResponse,
    FollowThrough,
    FollowThroughStatus,
    PracticeAttendance,
    PracticeAttendanceStatus,
    PracticeSession,
    Presentation,
    SetMember,
    Theme,
)

AGREE = 4  # a score that counts as agreeing: 4 (agree) or 5 (strongly agree) of 1-5

# --- Counts and themes (what supervisors and leads see: never text) --------------------------


@dataclass
class SetSummary:
    sessions_planned: int = 0
    sessions_held: int = 0
    attendance: Counter | None = None  # status -> lines
    presentations: int = 0
    presenters: int = 0  # distinct members who have presented
    members: int = 0
    actions: int = 0
    follow_through: Counter | None = None  # status -> count
    themes: Counter | None = None  # theme -> presentations

    @property
    def attendance_rate(self) -> int | None:
        lines = sum(self.attendance.values()) if self.attendance else 0
        if not lines:
            return None
        here = (
            self.attendance[PracticeAttendanceStatus.PRESENT]
            + self.attendance[PracticeAttendanceStatus.LATE]
        )
        return round(100 * here / lines)

    @property
    def follow_through_rate(self) -> int | None:
        """Done or partly done, of the actions given a final answer."""
        if not self.follow_through:
            return None
        final = sum(
            n for s, n in self.follow_through.items() if s != FollowThroughStatus.CARRIED_FORWARD
        )
        if not final:
            return None
        done = (
            self.follow_through[FollowThroughStatus.DONE]
            + self.follow_through[FollowThroughStatus.PARTLY]
        )
        return round(100 * done / final)


def set_summaries(set_ids: list[int]) -> dict[int, SetSummary]:
    """Counts, rates and theme tags per set, in a fixed number of queries. No text is read."""
    summaries = {
        sid: SetSummary(attendance=Counter(), follow_through=Counter(), themes=Counter())
        for sid in set_ids
    }
    if not set_ids:
        return summaries
    now = utcnow()
    for sid, planned, held in db.session.execute(
        db.select(
            PracticeSession.set_id,
            db.func.count(PracticeSession.id),
            db.func.count(PracticeSession.id).filter(PracticeSession.starts_at <= now),
        )
        .where(PracticeSession.set_id.in_(set_ids))
        .group_by(PracticeSession.set_id)
    ):
        summaries[sid].sessions_planned = planned
        summaries[sid].sessions_held = held
    for sid, status, n in db.session.execute(
        db.select(PracticeSession.set_id, PracticeAttendance.status, db.func.count())
        .join(PracticeAttendance, PracticeAttendance.session_id == PracticeSession.id)
        .where(PracticeSession.set_id.in_(set_ids))
        .group_by(PracticeSession.set_id, PracticeAttendance.status)
    ):
        summaries[sid].attendance[status] += n
    for sid, theme, n in db.session.execute(
        db.select(Presentation.set_id, Presentation.theme, db.func.count(Presentation.id))
        .where(Presentation.set_id.in_(set_ids))
        .group_by(Presentation.set_id, Presentation.theme)
    ):
        summaries[sid].presentations += n
        if theme is not None:
            summaries[sid].themes[theme] += n
    for sid, people in db.session.execute(
        db.select(Presentation.set_id, db.func.count(Presentation.presenter_id.distinct()))
        .where(Presentation.set_id.in_(set_ids))
        .group_by(Presentation.set_id)
    ):
        summaries[sid].presenters = people
    for sid, n in db.session.execute(
        db.select(SetMember.set_id, db.func.count(SetMember.id))
        .where(SetMember.set_id.in_(set_ids))
        .group_by(SetMember.set_id)
    ):
        summaries[sid].members = n
    for sid, n in db.session.execute(
        db.select(Action.set_id, db.func.count(Action.id))
        .where(Action.set_id.in_(set_ids))
        .group_by(Action.set_id)
    ):
        summaries[sid].actions = n
    for sid, status, n in db.session.execute(
        db.select(Action.set_id, FollowThrough.status, db.func.count(FollowThrough.id))
        .join(FollowThrough, FollowThrough.action_id == Action.id)
        .where(Action.set_id.in_(set_ids))
        .group_by(Action.set_id, FollowThrough.status)
    ):
        summaries[sid].follow_through[status] += n
    return summaries


def session_presenter_counts(session_ids: list[int]) -> dict[int, int]:
    if not session_ids:
        return {}
    return dict(
        db.session.execute(
            db.select(Presentation.session_id, db.func.count(Presentation.id))
            .where(Presentation.session_id.in_(session_ids))
            .group_by(Presentation.session_id)
        ).all()
    )


def themes_of(session_ids: list[int]) -> dict[int, list[Theme]]:
    """Theme tags per session (no text)."""
    found: dict[int, list[Theme]] = {sid: [] for sid in session_ids}
    if session_ids:
        for sid, theme in db.session.execute(
            db.select(Presentation.session_id, Presentation.theme).where(
                Presentation.session_id.in_(session_ids), Presentation.theme.is_not(None)
            )
        ):
            found[sid].append(theme)
    return found


@dataclass
class FeedbackSummary:
    responses: int
    means: dict[str, float]  # question -> mean (1 to 5)
    agree: dict[str, int]  # question -> % agree or strongly agree
    comments: list[str]


def feedback_summary(session_ids: list[int], threshold: int) -> FeedbackSummary | None:
    """Aggregated feedback over the sessions, or None below ``threshold`` responses."""
    if not session_ids:
        return None
    rows = db.session.execute(
        db.select(
            FeedbackResponse.kept_to_time,
            FeedbackResponse.fair_say,
            FeedbackResponse.questions_helped,
            FeedbackResponse.clear_action,
            FeedbackResponse.comment,
        ).where(FeedbackResponse.session_id.in_(session_ids))
    ).all()
    if len(rows) < threshold:
        return None
    keys = ("kept_to_time", "fair_say", "questions_helped", "clear_action")
    means, agree = {}, {}
    for i, key in enumerate(keys):
        values = [row[i] for row in rows]
        means[key] = round(sum(values) / len(values), 1)
        agree[key] = round(100 * sum(1 for v in values if v >= AGREE) / len(values))
    comments = sorted(row[4] for row in rows if row[4])  # sorted, so order gives nobody away
    return FeedbackSummary(len(rows), means, agree, comments)


def feedback_counts(session_ids: list[int]) -> dict[int, int]:
    if not session_ids:
        return {}
    return dict(
        db.session.execute(
            db.select(FeedbackResponse.session_id, db.func.count(FeedbackResponse.id))
            .where(FeedbackResponse.session_id.in_(session_ids))
            .group_by(FeedbackResponse.session_id)
        ).all()
    )


def register_counts(session_ids: list[int]) -> dict[tuple[int, PracticeAttendanceStatus], int]:
    if not session_ids:
        return {}
    return {
        (sid, status): n
        for sid, status, n in db.session.execute(
            db.select(PracticeAttendance.session_id, PracticeAttendance.status, db.func.count())
            .where(PracticeAttendance.session_id.in_(session_ids))
            .group_by(PracticeAttendance.session_id, PracticeAttendance.status)
        )
    }


def follow_through_counts(session_ids: list[int]) -> dict[tuple[int, FollowThroughStatus], int]:
    """Report-back answers given at each session, by status (no notes)."""
    if not session_ids:
        return {}
    return {
        (sid, status): n
        for sid, status, n in db.session.execute(
            db.select(FollowThrough.session_id, FollowThrough.status, db.func.count())
            .where(FollowThrough.session_id.in_(session_ids))
            .group_by(FollowThrough.session_id, FollowThrough.status)
        )
    }
