"""Confidential text: a presenter's challenge, their actions (with supports and risks)
and the learning notes on them belong to the presenter and the set's facilitators.

Call these only after ``permissions.can_read_text`` (the set's facilitators), or for
the presenter's own actions (``own_actions``). ``running`` also reads them to check the
facilitators' writes. What supervisors and leads see comes from
``lms.practice.aggregates``, which never selects this text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lms.extensions import db
from lms.practice.models import (
    Action,
    FollowThrough,
    FollowThroughStatus,
    PracticeSession,
    Presentation,
)
from lms.practice.queries import NO_ROLES

# --- Confidential text (presenter and the set's facilitators only) ---------------------------


def presentations(session_id: int) -> list[Presentation]:
    """A session's presentations with their actions: CONFIDENTIAL, for the set's
    facilitators only."""
    # One statement: each presentation joined to its actions (a row per action).
    rows = db.session.execute(
        db.select(Presentation, Action)
        .outerjoin(Action, Action.presentation_id == Presentation.id)
        .where(Presentation.session_id == session_id)
        .options(db.joinedload(Presentation.presenter).options(NO_ROLES))
        .order_by(Presentation.position, Presentation.id, Action.position)
    )
    by_presentation: dict[Presentation, list[Action]] = {}
    for presentation, action in rows:
        actions = by_presentation.setdefault(presentation, [])
        if action is not None:
            actions.append(action)
    for p, actions in by_presentation.items():
        p.actions = actions  # plain attribute for the page
    return list(by_presentation)


def actions_of(presentation_id: int) -> list[Action]:
    return list(
        db.session.scalars(
            db.select(Action)
            .where(Action.presentation_id == presentation_id)
            .order_by(Action.position)
        )
    )


@dataclass
class ReportBackItem:
    action: Action
    session_number: int  # where it was agreed
    carried: int  # how many times it has been carried forward before
    follow_through: FollowThrough | None  # recorded at this session, if any


def report_back(session: PracticeSession) -> list[ReportBackItem]:
    """The earlier actions to report back on at ``session``: CONFIDENTIAL text.

    An action is open until a session before this one gave it a final answer (done,
    partly, not done, dropped); "carried forward" keeps it open for the next session."""
    earlier = (
        db.select(PracticeSession.id)
        .where(PracticeSession.set_id == session.set_id, PracticeSession.number < session.number)
        .scalar_subquery()
    )
    # One statement: each action joined to what was recorded of it (a row per record).
    rows = db.session.execute(
        db.select(Action, FollowThrough)
        .outerjoin(FollowThrough, FollowThrough.action_id == Action.id)
        .where(Action.set_id == session.set_id, Action.session_id.in_(earlier))
        .options(db.joinedload(Action.owner).options(NO_ROLES), db.joinedload(Action.session))
        .order_by(Action.session_id, Action.owner_id, Action.position, FollowThrough.id)
    )
    by_action: dict[Action, None] = {}  # in order, once each
    follow: list[FollowThrough] = []
    for action, record in rows:
        by_action[action] = None
        if record is not None:
            follow.append(record)
    actions = list(by_action)
    if not actions:
        return []
    numbers = {s.id: s.number for s in session.set.sessions}
    final_before: set[int] = set()
    carried: Counter[int] = Counter()
    here: dict[int, FollowThrough] = {}
    for record in follow:
        number = numbers.get(record.session_id, 0)
        if record.session_id == session.id:
            here[record.action_id] = record
        elif number < session.number:
            if record.status == FollowThroughStatus.CARRIED_FORWARD:
                carried[record.action_id] += 1
            else:
                final_before.add(record.action_id)
    return [
        ReportBackItem(a, a.session.number, carried[a.id], here.get(a.id))
        for a in actions
        if a.id not in final_before
    ]


def own_actions(
    user_id: int, set_id: int | None = None
) -> list[tuple[Action, list[FollowThrough]]]:
    """A trainee's own actions (in one set, if given) with what became of them (their own
    text only)."""
    where = [Action.owner_id == user_id]
    if set_id is not None:
        where.append(Action.set_id == set_id)
    actions = list(
        db.session.scalars(
            db.select(Action)
            .where(*where)
            .options(db.joinedload(Action.session))
            .order_by(Action.created_at.desc(), Action.position)
        )
    )
    follow: dict[int, list[FollowThrough]] = {a.id: [] for a in actions}
    if actions:
        for record in db.session.scalars(
            db.select(FollowThrough)
            .where(FollowThrough.action_id.in_(list(follow)))
            .order_by(FollowThrough.recorded_at)
        ):
            follow[record.action_id].append(record)
    return [(a, follow[a.id]) for a in actions]
