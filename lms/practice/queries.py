"""Reading observed practice from the database: the records that pages share.

Confidentiality: the text of a challenge, an action (with its supports and risks) and a
follow-through's learning note is read ONLY by the functions in
``lms.practice.confidential``, which the views call only after
``permissions.can_read_text`` (the set's facilitators) or for the presenter's own
actions. Everything a supervisor or lead sees comes from ``lms.practice.aggregates``,
whose queries never select those columns; nor do the queries here.
"""

from __future__ import annotations

from collections.abc import Iterable

from lms.accounts.models import User
from lms.extensions import db
from lms.practice.models import (
    Action,
    AllocationRun,
    FeedbackReceipt,
    FollowThrough,
    PracticeAttendance,
    PracticeAttendanceStatus,
    PracticeSession,
    PracticeSet,
    Presentation,
    SessionLog,
    SetFacilitator,
    SetMember,
    SetStatus,
    TraineeProfile,
)

# --- Records ---------------------------------------------------------------------------------

# Other people's roles are never needed on these pages: skip loading them.
NO_ROLES = db.lazyload(User.role_grants)


def _set_people():
    """Options loading a set's facilitators and members with their organisations in a
    fixed number of queries, so a page never loads them one member at a time."""
    return (
        db.selectinload(PracticeSet.facilitators)
        .joinedload(SetFacilitator.user)
        .options(NO_ROLES, db.joinedload(User.organisation)),
        db.selectinload(PracticeSet.members)
        .joinedload(SetMember.user)
        .options(NO_ROLES, db.joinedload(User.organisation)),
    )


def _set_with_people():
    """The set's people, sessions and intake."""
    return (
        *_set_people(),
        db.selectinload(PracticeSet.sessions),
        db.joinedload(PracticeSet.intake),
    )


def practice_set(set_id: int) -> PracticeSet | None:
    return db.session.scalar(
        db.select(PracticeSet).where(PracticeSet.id == set_id).options(*_set_with_people())
    )


def session(session_id: int) -> PracticeSession | None:
    """A session with its set and the set's people. The set comes in the same statement
    (joined), and ``session.set`` holds it, so it stays in the identity map."""
    return db.session.scalar(
        db.select(PracticeSession)
        .where(PracticeSession.id == session_id)
        .options(db.joinedload(PracticeSession.set).options(*_set_with_people()))
    )


def run_sets(run_id: int) -> list[PracticeSet]:
    return list(
        db.session.scalars(
            db.select(PracticeSet)
            .where(PracticeSet.run_id == run_id, PracticeSet.status == SetStatus.PROPOSED)
            .options(*_set_people())
            .order_by(PracticeSet.id)
        )
    )


def sets_of_run(run_id: int) -> list[PracticeSet]:
    """Every set a run made, confirmed ones too, with their members."""
    return list(
        db.session.scalars(
            db.select(PracticeSet)
            .where(PracticeSet.run_id == run_id)
            .options(
                db.selectinload(PracticeSet.members).joinedload(SetMember.user).options(NO_ROLES)
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


def _confirmed_sets(*where) -> list[PracticeSet]:
    """Confirmed sets matching ``where``, with their sessions, members and facilitators."""
    return list(
        db.session.scalars(
            db.select(PracticeSet)
            .where(PracticeSet.status == SetStatus.CONFIRMED, *where)
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


def sets_facilitated_by(user_id: int) -> list[PracticeSet]:
    return _confirmed_sets(
        PracticeSet.id.in_(
            db.select(SetFacilitator.set_id).where(SetFacilitator.user_id == user_id)
        )
    )


def sets_of_member(user_id: int) -> list[PracticeSet]:
    return _confirmed_sets(
        PracticeSet.id.in_(db.select(SetMember.set_id).where(SetMember.user_id == user_id))
    )


def sets_supervised_by(user_id: int) -> list[PracticeSet]:
    """Confirmed sets facilitated by someone in a group the user runs (for counts only)."""
    from lms.supervision.models import GroupMembership, SupervisionGroup

    facilitators = (
        db.select(GroupMembership.user_id)
        .join(SupervisionGroup)
        .where(SupervisionGroup.supervisor_id == user_id, GroupMembership.left_at.is_(None))
    )
    return _confirmed_sets(
        PracticeSet.id.in_(
            db.select(SetFacilitator.set_id).where(SetFacilitator.user_id.in_(facilitators))
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


# --- The lead's allocation pages ------------------------------------------------------------


def set_counts() -> dict[tuple[int, str], int]:
    """Sets per (intake id, status value), in one query."""
    return {
        (intake_id, status.value): n
        for intake_id, status, n in db.session.execute(
            db.select(
                PracticeSet.intake_id, PracticeSet.status, db.func.count(PracticeSet.id)
            ).group_by(PracticeSet.intake_id, PracticeSet.status)
        ).all()
    }


def cohorts() -> list[tuple[str, int, int]]:
    """Each GMTS cohort with its active trainees, and how many are not in a confirmed set."""
    placed = (
        db.select(SetMember.user_id)
        .join(PracticeSet)
        .where(PracticeSet.status == SetStatus.CONFIRMED)
    )
    return list(
        db.session.execute(
            db.select(
                TraineeProfile.gmts_intake,
                db.func.count(TraineeProfile.id),
                db.func.count(TraineeProfile.id).filter(TraineeProfile.user_id.not_in(placed)),
            )
            .join(User, User.id == TraineeProfile.user_id)
            .where(User.is_active.is_(True))
            .group_by(TraineeProfile.gmts_intake)
            .order_by(TraineeProfile.gmts_intake)
        ).all()
    )


def open_run(intake_id: int) -> AllocationRun | None:
    """The latest proposal for the intake that is neither confirmed nor discarded."""
    return db.session.scalar(
        db.select(AllocationRun)
        .where(
            AllocationRun.intake_id == intake_id,
            AllocationRun.confirmed_at.is_(None),
            AllocationRun.discarded_at.is_(None),
        )
        .order_by(AllocationRun.created_at.desc(), AllocationRun.id.desc())
        .limit(1)
    )


def confirmed_sets(intake_id: int) -> list[PracticeSet]:
    return list(
        db.session.scalars(
            db.select(PracticeSet)
            .where(PracticeSet.intake_id == intake_id, PracticeSet.status == SetStatus.CONFIRMED)
            .options(
                db.selectinload(PracticeSet.facilitators).joinedload(SetFacilitator.user),
                db.selectinload(PracticeSet.members),
                db.selectinload(PracticeSet.sessions),
            )
            .order_by(PracticeSet.id)
        )
    )


def users_by_id(user_ids: list[int]) -> dict[int, User]:
    if not user_ids:
        return {}
    return {
        u.id: u
        for u in db.session.scalars(
            db.select(User).where(User.id.in_(user_ids)).options(db.joinedload(User.organisation))
        )
    }
