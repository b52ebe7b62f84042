"""Read helpers for supervision pages: each loads what its page shows in a fixed number of
queries, however many groups, members or sessions there are."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import joinedload, lazyload, selectinload

from lms.accounts.models import User
from lms.curriculum.models import AttendanceStatus
from lms.extensions import db
from lms.supervision.models import (
    GroupMembership,
    PrivateNote,
    SupervisionAttendance,
    SupervisionCase,
    SupervisionGroup,
    SupervisionSession,
)


def _member_user():
    """A membership's person with their organisation, without their roles."""
    return (
        selectinload(SupervisionGroup.memberships)
        .joinedload(GroupMembership.user)
        .options(joinedload(User.organisation), lazyload(User.role_grants))
    )


def group(group_id: int) -> SupervisionGroup | None:
    return db.session.scalar(
        db.select(SupervisionGroup)
        .where(SupervisionGroup.id == group_id)
        .options(
            joinedload(SupervisionGroup.intake),
            joinedload(SupervisionGroup.supervisor).lazyload(User.role_grants),
            _member_user(),
        )
    )


def intake_groups(intake_id: int) -> list[SupervisionGroup]:
    """An intake's groups by name, with supervisors and every membership (past too)."""
    return list(
        db.session.scalars(
            db.select(SupervisionGroup)
            .where(SupervisionGroup.intake_id == intake_id)
            .options(
                joinedload(SupervisionGroup.supervisor).lazyload(User.role_grants),
                _member_user(),
            )
            .order_by(SupervisionGroup.name)
        ).unique()
    )


def groups_run_by(user_id: int) -> list[SupervisionGroup]:
    return list(
        db.session.scalars(
            db.select(SupervisionGroup)
            .where(SupervisionGroup.supervisor_id == user_id)
            .options(joinedload(SupervisionGroup.intake), _member_user())
            .order_by(SupervisionGroup.name)
        ).unique()
    )


def current_groups_of(user_id: int) -> list[SupervisionGroup]:
    """The groups a facilitator is in now (one per intake they are in)."""
    return list(
        db.session.scalars(
            db.select(SupervisionGroup)
            .join(GroupMembership)
            .where(GroupMembership.user_id == user_id, GroupMembership.left_at.is_(None))
            .options(
                joinedload(SupervisionGroup.intake),
                joinedload(SupervisionGroup.supervisor).lazyload(User.role_grants),
                _member_user(),
            )
            .order_by(SupervisionGroup.id)
        ).unique()
    )


def current_membership(user_id: int, intake_id: int) -> GroupMembership | None:
    return db.session.scalar(
        db.select(GroupMembership)
        .join(SupervisionGroup)
        .where(
            GroupMembership.user_id == user_id,
            GroupMembership.left_at.is_(None),
            SupervisionGroup.intake_id == intake_id,
        )
    )


def is_current_member(user_id: int, group_id: int) -> bool:
    return (
        db.session.scalar(
            db.select(GroupMembership.id).where(
                GroupMembership.user_id == user_id,
                GroupMembership.group_id == group_id,
                GroupMembership.left_at.is_(None),
            )
        )
        is not None
    )


def on_register(user_id: int, session_id: int) -> bool:
    return (
        db.session.scalar(
            db.select(SupervisionAttendance.id).where(
                SupervisionAttendance.user_id == user_id,
                SupervisionAttendance.session_id == session_id,
            )
        )
        is not None
    )


def session(session_id: int) -> SupervisionSession | None:
    return db.session.scalar(
        db.select(SupervisionSession)
        .where(SupervisionSession.id == session_id)
        .options(
            joinedload(SupervisionSession.group).options(
                joinedload(SupervisionGroup.intake),
                joinedload(SupervisionGroup.supervisor).lazyload(User.role_grants),
            ),
            selectinload(SupervisionSession.attendance),
        )
    )


def group_sessions(group_id: int) -> list[SupervisionSession]:
    """A group's sessions in date order, each with its register lines."""
    return list(
        db.session.scalars(
            db.select(SupervisionSession)
            .where(SupervisionSession.group_id == group_id)
            .options(selectinload(SupervisionSession.attendance))
            .order_by(SupervisionSession.starts_at, SupervisionSession.id)
        )
    )


def sessions_of_groups(group_ids: list[int]) -> list[SupervisionSession]:
    """The sessions of several groups (a facilitator's or a supervisor's), in date order."""
    if not group_ids:
        return []
    return list(
        db.session.scalars(
            db.select(SupervisionSession)
            .where(SupervisionSession.group_id.in_(group_ids))
            .options(
                joinedload(SupervisionSession.group),
                selectinload(SupervisionSession.attendance),
            )
            .order_by(SupervisionSession.starts_at, SupervisionSession.id)
        )
    )


def attended_sessions(user_id: int) -> list[SupervisionSession]:
    """Sessions the person was marked present at (in any group), in date order."""
    return list(
        db.session.scalars(
            db.select(SupervisionSession)
            .join(SupervisionAttendance)
            .where(
                SupervisionAttendance.user_id == user_id,
                SupervisionAttendance.status == AttendanceStatus.PRESENT,
                SupervisionSession.cancelled_at.is_(None),
            )
            .options(joinedload(SupervisionSession.group))
            .order_by(SupervisionSession.starts_at)
        )
    )


def attended_count(user_id: int) -> int:
    return (
        db.session.scalar(
            db.select(db.func.count(SupervisionAttendance.id))
            .join(SupervisionSession)
            .where(
                SupervisionAttendance.user_id == user_id,
                SupervisionAttendance.status == AttendanceStatus.PRESENT,
                SupervisionSession.cancelled_at.is_(None),
            )
        )
        or 0
    )


def attended_counts(user_ids: list[int]) -> dict[int, int]:
    """Sessions attended per person, for a page listing many people (one query)."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        db.select(SupervisionAttendance.user_id, db.func.count(SupervisionAttendance.id))
        .join(SupervisionSession)
        .where(
            SupervisionAttendance.user_id.in_(user_ids),
            SupervisionAttendance.status == AttendanceStatus.PRESENT,
            SupervisionSession.cancelled_at.is_(None),
        )
        .group_by(SupervisionAttendance.user_id)
    ).all()
    return dict(rows)


def private_note(session_id: int, author_id: int) -> PrivateNote | None:
    """The only way private notes are read: by session and author together."""
    return db.session.scalar(
        db.select(PrivateNote).where(
            PrivateNote.session_id == session_id, PrivateNote.author_id == author_id
        )
    )


def _case_options():
    return (
        joinedload(SupervisionCase.user).lazyload(User.role_grants),
        joinedload(SupervisionCase.session),
        joinedload(SupervisionCase.group),
        joinedload(SupervisionCase.responded_by).lazyload(User.role_grants),
    )


def case(case_id: int) -> SupervisionCase | None:
    return db.session.scalar(
        db.select(SupervisionCase).where(SupervisionCase.id == case_id).options(*_case_options())
    )


def cases_of(user_id: int) -> list[SupervisionCase]:
    return list(
        db.session.scalars(
            db.select(SupervisionCase)
            .where(SupervisionCase.user_id == user_id)
            .options(*_case_options())
            .order_by(SupervisionCase.created_at.desc())
        )
    )


def cases_for_session(session_id: int) -> list[SupervisionCase]:
    return list(
        db.session.scalars(
            db.select(SupervisionCase)
            .where(SupervisionCase.session_id == session_id)
            .options(*_case_options())
            .order_by(SupervisionCase.created_at)
        )
    )


def cases_for_groups(group_ids: list[int]) -> list[SupervisionCase]:
    if not group_ids:
        return []
    return list(
        db.session.scalars(
            db.select(SupervisionCase)
            .where(SupervisionCase.group_id.in_(group_ids))
            .options(*_case_options())
            .order_by(SupervisionCase.created_at.desc())
        )
    )


def sessions_due_reminder(now: datetime, until: datetime) -> list[SupervisionSession]:
    return list(
        db.session.scalars(
            db.select(SupervisionSession)
            .where(
                SupervisionSession.starts_at > now,
                SupervisionSession.starts_at <= until,
                SupervisionSession.cancelled_at.is_(None),
                SupervisionSession.reminder_sent_at.is_(None),
            )
            .options(joinedload(SupervisionSession.group), _session_member_users())
            .order_by(SupervisionSession.starts_at)
        ).unique()
    )


def _session_member_users():
    return (
        joinedload(SupervisionSession.group)
        .selectinload(SupervisionGroup.memberships)
        .joinedload(GroupMembership.user)
    )
