"""Report: supervision attendance (SPEC section 10).

A facilitator is expected at a session of a group they belonged to when it took place,
and at any session whose register they are on (someone who moved group keeps their
line). Attendance is sessions they were marked present at, of the sessions held that
they were expected at; a session is held once it has started and was not cancelled.

Supervision notes, cases and shared summaries are never read: only dates, registers and
who belongs to which group.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, union
from sqlalchemy.orm import aliased

from lms.accounts.models import Organisation, Region, User
from lms.applications.models import Intake
from lms.assessment import criteria
from lms.assessment.models import AwardScheme
from lms.curriculum.models import AttendanceStatus
from lms.db_types import utcnow
from lms.extensions import db
from lms.reports.base import Chart, Filters, Report, Rows, Table
from lms.reports.common import frame, on_days, rates
from lms.supervision.models import (
    GroupMembership,
    SupervisionAttendance,
    SupervisionGroup,
    SupervisionSession,
)

Session = SupervisionSession
Kind = criteria.RequirementKind


def _people(filters: Filters):
    """Facilitators in scope by their own organisation and its region (None: everyone)."""
    if not filters.region and filters.organisation_id is None:
        return None
    query = db.select(User.id)
    if filters.region:
        query = query.join(Organisation, Organisation.id == User.organisation_id).where(
            Organisation.region == Region(filters.region)
        )
    if filters.organisation_id is not None:
        query = query.where(User.organisation_id == filters.organisation_id)
    return query


def _groups_in(filters: Filters) -> list:
    """Groups in scope: of the intake, and with someone in scope among their members."""
    conditions = []
    if filters.intake_id is not None:
        conditions.append(SupervisionGroup.intake_id == filters.intake_id)
    people = _people(filters)
    if people is not None:
        ever = db.select(GroupMembership.group_id).where(GroupMembership.user_id.in_(people))
        conditions.append(SupervisionGroup.id.in_(ever))
    return conditions


def _held(now: datetime):
    return and_(Session.cancelled_at.is_(None), Session.starts_at <= now)


def _group_rows(filters: Filters, now: datetime) -> list[dict[str, Any]]:
    """One statement: each group with its supervisor, intake, sessions held and cancelled
    in the dates, and current members in scope."""
    sessions = (
        db.select(
            Session.group_id,
            func.sum(case((_held(now), 1), else_=0)).label("held"),
            func.sum(case((Session.cancelled_at.is_not(None), 1), else_=0)).label("cancelled"),
        )
        .where(*on_days(Session.starts_at, filters))
        .group_by(Session.group_id)
        .subquery()
    )
    people = _people(filters)
    members = db.select(
        GroupMembership.group_id, func.count(func.distinct(GroupMembership.user_id)).label("n")
    ).where(GroupMembership.left_at.is_(None))
    if people is not None:
        members = members.where(GroupMembership.user_id.in_(people))
    members = members.group_by(GroupMembership.group_id).subquery()
    supervisor = aliased(User)
    query = (
        db.select(
            SupervisionGroup.id.label("group_id"),
            SupervisionGroup.name.label("group"),
            Intake.id.label("intake_id"),
            Intake.name.label("intake"),
            supervisor.name.label("supervisor"),
            func.coalesce(sessions.c.held, 0).label("held"),
            func.coalesce(sessions.c.cancelled, 0).label("cancelled"),
            func.coalesce(members.c.n, 0).label("facilitators"),
        )
        .join(Intake, Intake.id == SupervisionGroup.intake_id)
        .join(supervisor, supervisor.id == SupervisionGroup.supervisor_id)
        .outerjoin(sessions, sessions.c.group_id == SupervisionGroup.id)
        .outerjoin(members, members.c.group_id == SupervisionGroup.id)
        .where(*_groups_in(filters))
        .order_by(Intake.programme_starts_on, Intake.name, SupervisionGroup.name)
    )
    return [dict(row) for row in db.session.execute(query).mappings()]


def _attendance_rows(filters: Filters, now: datetime) -> list[dict[str, Any]]:
    """One statement: per facilitator and group, held sessions they were expected at in the
    dates and how many of those they were present at."""
    m, a = GroupMembership, SupervisionAttendance
    during = and_(
        Session.group_id == m.group_id,
        Session.starts_at >= m.joined_at,
        or_(m.left_at.is_(None), Session.starts_at < m.left_at),
    )
    expected = union(
        db.select(m.user_id.label("user_id"), Session.id.label("session_id")).join(Session, during),
        db.select(a.user_id.label("user_id"), a.session_id.label("session_id")),
    ).subquery()
    query = (
        db.select(
            expected.c.user_id,
            Session.group_id,
            SupervisionGroup.intake_id,
            func.count().label("expected"),
            func.sum(case((a.status == AttendanceStatus.PRESENT, 1), else_=0)).label("attended"),
        )
        .select_from(expected)
        .join(Session, Session.id == expected.c.session_id)
        .join(SupervisionGroup, SupervisionGroup.id == Session.group_id)
        .outerjoin(a, and_(a.session_id == expected.c.session_id, a.user_id == expected.c.user_id))
        .where(_held(now), *on_days(Session.starts_at, filters), *_groups_in(filters))
        .group_by(expected.c.user_id, Session.group_id, SupervisionGroup.intake_id)
    )
    people = _people(filters)
    if people is not None:
        query = query.where(expected.c.user_id.in_(people))
    return [dict(row) for row in db.session.execute(query).mappings()]


def _facilitator_rows(filters: Filters) -> list[dict[str, Any]]:
    """One statement: everyone who has been in a group of an intake in scope, with their
    name and current group there (none if they have left every group)."""
    m = GroupMembership
    spells = (
        db.select(
            m.user_id,
            SupervisionGroup.intake_id,
            func.max(case((m.left_at.is_(None), SupervisionGroup.name))).label("group"),
        )
        .join(SupervisionGroup, SupervisionGroup.id == m.group_id)
        .where(*_groups_in(filters))
        .group_by(m.user_id, SupervisionGroup.intake_id)
    )
    people = _people(filters)
    if people is not None:
        spells = spells.where(m.user_id.in_(people))
    spells = spells.subquery()
    query = (
        db.select(
            spells.c.user_id,
            User.name.label("facilitator"),
            spells.c.intake_id,
            Intake.name.label("intake"),
            spells.c.group,
        )
        .join(User, User.id == spells.c.user_id)
        .join(Intake, Intake.id == spells.c.intake_id)
        .order_by(Intake.programme_starts_on, Intake.name, User.name, User.id)
    )
    return [dict(row) for row in db.session.execute(query).mappings()]


def _requirements(intake_ids: set[int]) -> list[dict[str, Any]]:
    """One statement: the supervision sessions each intake's award needs (its scheme, or
    the defaults), as ``lms.assessment.portfolio.required_count`` works it out."""
    query = db.select(AwardScheme.intake_id, AwardScheme.requirements)
    stored = dict(db.session.execute(query.where(AwardScheme.intake_id.in_(intake_ids))).all())
    return [
        {"intake_id": intake_id, "required": _required(stored.get(intake_id))}
        for intake_id in sorted(intake_ids)
    ]


def _required(stored: dict | None) -> int:
    for requirement in criteria.requirements_from(stored):
        if requirement.kind is Kind.SUPERVISION_SESSIONS:
            return requirement.threshold if requirement.required else 0
    return 0


DEFAULT_REQUIRED = _required(None)


class SupervisionReport(Report):
    """Supervision sessions held and attended, by intake, group and facilitator. Region and
    organisation are those of the facilitator's own organisation (a group shows when one of
    its members is in scope); the dates are when the session took place."""

    key = "supervision"
    title = _l("Supervision attendance")
    summary = _l(
        "Supervision sessions held and cancelled, and how well facilitators attend them, by "
        "intake, group and facilitator, against what the award asks for."
    )
    date_basis = _l("Date of the supervision session")

    def size(self, filters: Filters) -> int:
        query = (
            db.select(func.count(Session.id))
            .join(SupervisionGroup, SupervisionGroup.id == Session.group_id)
            .where(*on_days(Session.starts_at, filters), *_groups_in(filters))
        )
        return db.session.scalar(query) or 0

    def load(self, filters: Filters) -> Rows:
        now = utcnow()
        groups = _group_rows(filters, now)
        facilitators = _facilitator_rows(filters)
        intakes = {row["intake_id"] for row in groups} | {r["intake_id"] for r in facilitators}
        return {
            "groups": groups,
            "attendance": _attendance_rows(filters, now),
            "facilitators": facilitators,
            "requirements": _requirements(intakes),
        }

    def build(self, rows: Rows) -> list[Table]:
        attendance = frame(rows.get("attendance"), ATTENDANCE_COLUMNS)
        groups = _groups_table(frame(rows.get("groups"), GROUP_COLUMNS), attendance)
        required = {r["intake_id"]: r["required"] for r in rows.get("requirements") or []}
        people = _facilitators_table(
            frame(rows.get("facilitators"), FACILITATOR_COLUMNS), attendance, required
        )
        return [_intakes_table(groups.frame, people.frame), groups, people]

    def charts(self) -> list[Chart]:
        return [
            Chart(
                table="intakes",
                title=str(_l("Supervision attendance rate by intake")),
                label="intake",
                values=("attendance_pct",),
                percent=True,
            )
        ]


ATTENDANCE_COLUMNS = ["user_id", "group_id", "intake_id", "expected", "attended"]
GROUP_COLUMNS = [
    "group_id",
    "group",
    "intake_id",
    "intake",
    "supervisor",
    "held",
    "cancelled",
    "facilitators",
]
FACILITATOR_COLUMNS = ["user_id", "facilitator", "intake_id", "intake", "group"]


def _sums(attendance: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return attendance.groupby(by, as_index=False)[["expected", "attended"]].sum()


def _groups_table(groups: pd.DataFrame, attendance: pd.DataFrame) -> Table:
    frame = groups.merge(_sums(attendance, ["group_id"]), on="group_id", how="left")
    frame[["expected", "attended"]] = frame[["expected", "attended"]].fillna(0).astype(int)
    frame["attendance_pct"] = rates(frame, "attended", "expected")
    return Table(
        key="groups",
        title=str(_l("Attendance by supervision group")),
        frame=frame,
        headings={
            "group": str(_l("Group")),
            "supervisor": str(_l("Supervisor")),
            "intake": str(_l("Intake")),
            "held": str(_l("Sessions held")),
            "facilitators": str(_l("Facilitators")),
            "attendance_pct": str(_l("Attendance rate (%(sign)s)", sign="%")),
            "cancelled": str(_l("Sessions cancelled")),
        },
        note=str(_NOTE),
    )


def _facilitators_table(
    people: pd.DataFrame, attendance: pd.DataFrame, required: dict[int, int]
) -> Table:
    frame = people.merge(_sums(attendance, ["user_id", "intake_id"]), how="left")
    frame[["expected", "attended"]] = frame[["expected", "attended"]].fillna(0).astype(int)
    frame["attendance_pct"] = rates(frame, "attended", "expected")
    frame["required"] = [required.get(i, DEFAULT_REQUIRED) for i in frame["intake_id"]]
    frame["meets"] = frame["attended"] >= frame["required"]
    yes, no, free = str(_l("Yes")), str(_l("No")), str(_l("Not required"))
    frame["meets_label"] = [
        free if need == 0 else (yes if met else no)
        for need, met in zip(frame["required"], frame["meets"], strict=True)
    ]
    return Table(
        key="facilitators",
        title=str(_l("Attendance by facilitator")),
        frame=frame,
        headings={
            "facilitator": str(_l("Facilitator")),
            "group": str(_l("Current group")),
            "intake": str(_l("Intake")),
            "attended": str(_l("Sessions attended")),
            "expected": str(_l("Sessions held")),
            "attendance_pct": str(_l("Attendance rate (%(sign)s)", sign="%")),
            "required": str(_l("Sessions the award needs")),
            "meets_label": str(_l("Meets the award requirement")),
        },
        note=str(
            _l(
                "Sessions held are those the facilitator was expected at: held while they "
                "were in the group, or with them on the register. With dates chosen, only "
                "sessions in those dates count towards the award requirement here."
            )
        ),
    )


def _intakes_table(groups: pd.DataFrame, people: pd.DataFrame) -> Table:
    names = pd.concat([groups[["intake_id", "intake"]], people[["intake_id", "intake"]]])
    names = names.drop_duplicates("intake_id")
    by_group = groups.groupby("intake_id", as_index=False).agg(
        groups=("group_id", "count"), held=("held", "sum"), cancelled=("cancelled", "sum")
    )
    by_person = people.groupby("intake_id", as_index=False).agg(
        facilitators=("user_id", "count"),
        expected=("expected", "sum"),
        attended=("attended", "sum"),
        meeting=("meets", "sum"),
    )
    frame = names.merge(by_group, how="left").merge(by_person, how="left")
    counts = ["groups", "held", "cancelled", "facilitators", "expected", "attended", "meeting"]
    frame[counts] = frame[counts].fillna(0).astype(int)
    frame["attendance_pct"] = rates(frame, "attended", "expected")
    frame["meeting_pct"] = rates(frame, "meeting", "facilitators")
    frame = frame.reset_index(drop=True)
    return Table(
        key="intakes",
        title=str(_l("Attendance by intake")),
        frame=frame[["intake_id", "intake", *counts, "attendance_pct", "meeting_pct"]],
        headings={
            "intake": str(_l("Intake")),
            "groups": str(_l("Groups")),
            "held": str(_l("Sessions held")),
            "cancelled": str(_l("Sessions cancelled")),
            "facilitators": str(_l("Facilitators")),
            "attendance_pct": str(_l("Attendance rate (%(sign)s)", sign="%")),
            "meeting": str(_l("Facilitators meeting the award requirement")),
            "meeting_pct": str(_l("Meeting the award requirement (%(sign)s)", sign="%")),
        },
        note=str(_NOTE),
    )


_NOTE = _l(
    "Attendance rate is sessions attended as a share of the sessions held that each "
    "facilitator was expected at. A session is held once it has started, unless cancelled."
)
