"""Reading observed practice from the database.

Confidentiality: the text of a challenge, an action (with its supports and risks) and a
follow-through's learning note is read ONLY by the functions in the "Confidential text"
section, which the views call only after ``permissions.can_read_text`` (the set's
facilitators) or for the presenter's own actions. Everything a supervisor or lead sees
comes from the "Counts and themes" section, whose queries never select those columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm.attributes import set_committed_value

from lms.accounts.models import User
from lms.db_types import utcnow
from lms.extensions import db
from lms.practice.models import (
    Action,
    FeedbackReceipt,
    FeedbackResponse,
    FollowThrough,
    FollowThroughStatus,
    PracticeAttendance,
    PracticeAttendanceStatus,
    PracticeSession,
    PracticeSet,
    Presentation,
    SessionLog,
    SetFacilitator,
    SetMember,
    SetStatus,
    Theme,
    TraineeProfile,
)

# --- Records ---------------------------------------------------------------------------------

# Other people's roles are never needed on these pages: skip loading them.
NO_ROLES = db.lazyload(User.role_grants)


def practice_set(set_id: int) -> PracticeSet | None:
    return db.session.scalar(
        db.select(PracticeSet)
        .where(PracticeSet.id == set_id)
        .options(
            db.selectinload(PracticeSet.facilitators)
            .joinedload(SetFacilitator.user)
            .options(NO_ROLES, db.joinedload(User.organisation)),
            db.selectinload(PracticeSet.members)
            .joinedload(SetMember.user)
            .options(NO_ROLES, db.joinedload(User.organisation)),
            db.selectinload(PracticeSet.sessions),
            db.joinedload(PracticeSet.intake),
        )
    )


def session(session_id: int) -> PracticeSession | None:
    found = db.session.scalar(db.select(PracticeSession).where(PracticeSession.id == session_id))
    if found is not None:
        # Load the set with its people in a fixed number of queries and keep it on the
        # session: a result nobody holds drops out of the identity map, and ``session.set``
        # would then load it again without its people (one query per member).
        set_committed_value(found, "set", practice_set(found.set_id))
    return found


def run_sets(run_id: int) -> list[PracticeSet]:
    return list(
        db.session.scalars(
            db.select(PracticeSet)
            .where(PracticeSet.run_id == run_id, PracticeSet.status == SetStatus.PROPOSED)
            .options(
                db.selectinload(PracticeSet.facilitators)
                .joinedload(SetFacilitator.user)
                .options(NO_ROLES, db.joinedload(User.organisation)),
                db.selectinload(PracticeSet.members)
                .joinedload(SetMember.user)
                .options(NO_ROLES, db.joinedload(User.organisation)),
            )
            .order_by(PracticeSet.id)
        )
    )


def trainee_profiles(user_ids: Iterable[int]) -> dict[int, TraineeProfile]:
    ids = list(set(user_ids))
    if not ids:
        return {}
    return {
        p.user_id: p
        for p in db.session.scalars(
            db.select(TraineeProfile).where(TraineeProfile.user_id.in_(ids))
        )
    }


def sets_facilitated_by(user_id: int) -> list[PracticeSet]:
    return list(
        db.session.scalars(
            db.select(PracticeSet)
            .join(SetFacilitator)
            .where(SetFacilitator.user_id == user_id, PracticeSet.status == SetStatus.CONFIRMED)
            .options(
                db.selectinload(PracticeSet.sessions),
                db.selectinload(PracticeSet.members),
                db.selectinload(PracticeSet.facilitators)
                .joinedload(SetFacilitator.user)
                .options(NO_ROLES),
            )
            .order_by(PracticeSet.id)
        )
    )


def sets_of_member(user_id: int) -> list[PracticeSet]:
    return list(
        db.session.scalars(
            db.select(PracticeSet)
            .join(SetMember)
            .where(SetMember.user_id == user_id, PracticeSet.status == SetStatus.CONFIRMED)
            .options(
                db.selectinload(PracticeSet.sessions),
                db.selectinload(PracticeSet.members),
                db.selectinload(PracticeSet.facilitators)
                .joinedload(SetFacilitator.user)
                .options(NO_ROLES),
            )
            .order_by(PracticeSet.id)
        )
    )


def sets_supervised_by(user_id: int) -> list[PracticeSet]:
    """Confirmed sets facilitated by someone in a group the user runs (for counts only)."""
    from lms.supervision.models import GroupMembership, SupervisionGroup

    facilitators = (
        db.select(GroupMembership.user_id)
        .join(SupervisionGroup)
        .where(SupervisionGroup.supervisor_id == user_id, GroupMembership.left_at.is_(None))
    )
    return list(
        db.session.scalars(
            db.select(PracticeSet)
            .where(
                PracticeSet.status == SetStatus.CONFIRMED,
                PracticeSet.id.in_(
                    db.select(SetFacilitator.set_id).where(SetFacilitator.user_id.in_(facilitators))
                ),
            )
            .options(
                db.selectinload(PracticeSet.sessions),
                db.selectinload(PracticeSet.members),
                db.selectinload(PracticeSet.facilitators)
                .joinedload(SetFacilitator.user)
                .options(NO_ROLES),
            )
            .order_by(PracticeSet.id)
        )
    )


def own_attendance(session_ids: list[int], user_id: int) -> dict[int, PracticeAttendanceStatus]:
    if not session_ids:
        return {}
    return dict(
        db.session.execute(
            db.select(PracticeAttendance.session_id, PracticeAttendance.status).where(
                PracticeAttendance.session_id.in_(session_ids),
                PracticeAttendance.user_id == user_id,
            )
        ).all()
    )


def membership(set_id: int, user_id: int) -> SetMember | None:
    return db.session.scalar(db.select(SetMember).filter_by(set_id=set_id, user_id=user_id))


def register(session_id: int) -> dict[int, PracticeAttendanceStatus]:
    return dict(
        db.session.execute(
            db.select(PracticeAttendance.user_id, PracticeAttendance.status).where(
                PracticeAttendance.session_id == session_id
            )
        ).all()
    )


def presentation_count(session_id: int) -> int:
    return db.session.scalar(
        db.select(db.func.count(Presentation.id)).where(Presentation.session_id == session_id)
    )


def presentation_ledger(set_id: int) -> dict[int, tuple[int, int | None]]:
    """Per member: how many times they have presented in the set, and at which session
    number last."""
    rows = db.session.execute(
        db.select(
            Presentation.presenter_id,
            db.func.count(Presentation.id),
            db.func.max(PracticeSession.number),
        )
        .join(PracticeSession, PracticeSession.id == Presentation.session_id)
        .where(Presentation.set_id == set_id)
        .group_by(Presentation.presenter_id)
    ).all()
    return {uid: (n, last) for uid, n, last in rows}


def presenters(session_id: int) -> list[tuple[int, int]]:
    """(presenter id, presentation id) at a session, in order: no text."""
    return list(
        db.session.execute(
            db.select(Presentation.presenter_id, Presentation.id)
            .where(Presentation.session_id == session_id)
            .order_by(Presentation.position, Presentation.id)
        ).all()
    )


def presentation_session_id(presentation_id: int) -> int | None:
    """The session a presentation belongs to, without reading the presentation (its
    challenge is confidential), so access can be checked first."""
    return db.session.scalar(
        db.select(Presentation.session_id).where(Presentation.id == presentation_id)
    )


def action_ids(presentation_id: int) -> list[int]:
    return list(
        db.session.scalars(db.select(Action.id).where(Action.presentation_id == presentation_id))
    )


def reported_action_ids(action_ids: list[int]) -> set[int]:
    if not action_ids:
        return set()
    return set(
        db.session.scalars(
            db.select(FollowThrough.action_id).where(FollowThrough.action_id.in_(action_ids))
        )
    )


def gave_feedback(session_id: int, user_id: int) -> bool:
    return (
        db.session.scalar(
            db.select(FeedbackReceipt.id).filter_by(session_id=session_id, user_id=user_id)
        )
        is not None
    )


def session_log(session_id: int, author_id: int) -> SessionLog | None:
    return db.session.scalar(
        db.select(SessionLog).filter_by(session_id=session_id, author_id=author_id)
    )


def session_logs(session_ids: list[int], author_id: int) -> dict[int, SessionLog]:
    if not session_ids:
        return {}
    return {
        log.session_id: log
        for log in db.session.scalars(
            db.select(SessionLog).where(
                SessionLog.session_id.in_(session_ids), SessionLog.author_id == author_id
            )
        )
    }


def feedback_receipts(session_ids: list[int], user_id: int) -> set[int]:
    if not session_ids:
        return set()
    return set(
        db.session.scalars(
            db.select(FeedbackReceipt.session_id).where(
                FeedbackReceipt.session_id.in_(session_ids), FeedbackReceipt.user_id == user_id
            )
        )
    )


# --- Confidential text (presenter and the set's facilitators only) ---------------------------


def presentations(session_id: int) -> list[Presentation]:
    """A session's presentations with their actions: CONFIDENTIAL, for the set's
    facilitators only."""
    found = list(
        db.session.scalars(
            db.select(Presentation)
            .where(Presentation.session_id == session_id)
            .options(db.joinedload(Presentation.presenter).options(NO_ROLES))
            .order_by(Presentation.position, Presentation.id)
        )
    )
    by_presentation: dict[int, list[Action]] = {p.id: [] for p in found}
    if found:
        for action in db.session.scalars(
            db.select(Action)
            .where(Action.presentation_id.in_(list(by_presentation)))
            .order_by(Action.position)
        ):
            by_presentation[action.presentation_id].append(action)
    for p in found:
        p.actions = by_presentation[p.id]  # plain attribute for the page
    return found


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
    actions = list(
        db.session.scalars(
            db.select(Action)
            .where(Action.set_id == session.set_id, Action.session_id.in_(earlier))
            .options(db.joinedload(Action.owner).options(NO_ROLES), db.joinedload(Action.session))
            .order_by(Action.session_id, Action.owner_id, Action.position)
        )
    )
    if not actions:
        return []
    numbers = {s.id: s.number for s in session.set.sessions}
    follow = list(
        db.session.scalars(
            db.select(FollowThrough).where(FollowThrough.action_id.in_([a.id for a in actions]))
        )
    )
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


def own_actions(user_id: int) -> list[tuple[Action, list[FollowThrough]]]:
    """A trainee's own actions with what became of them (their own text only)."""
    actions = list(
        db.session.scalars(
            db.select(Action)
            .where(Action.owner_id == user_id)
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
        agree[key] = round(100 * sum(1 for v in values if v >= 4) / len(values))
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
