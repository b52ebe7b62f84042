"""Report: module completion (SPEC section 10).

Per module, in curriculum order: how many of the facilitators in scope have started it,
completed it, and how they did in its knowledge checks; and per intake, how many have
completed every core module (the award's first requirement). Everything is counted in
SQL, three statements however many people, attempts or completions there are.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, union_all
from sqlalchemy.orm import aliased

from lms.accounts.models import Organisation, Region, User
from lms.applications.models import Intake, IntakeFacilitator
from lms.curriculum.models import (
    ActivityProgress,
    Module,
    ModuleCompletion,
    ModuleVersion,
    QuizAttempt,
)
from lms.extensions import db
from lms.reports.base import Chart, Filters, Report, Rows, Table, rate
from lms.reports.common import on_days


def _memberships(filters: Filters):
    """Facilitators in scope: current members of an intake (who have not left), narrowed
    by intake and by the region and organisation of their own organisation."""
    query = (
        db.select(IntakeFacilitator.intake_id, IntakeFacilitator.user_id)
        .join(User, User.id == IntakeFacilitator.user_id)
        .where(IntakeFacilitator.left_at.is_(None))
    )
    if filters.intake_id is not None:
        query = query.where(IntakeFacilitator.intake_id == filters.intake_id)
    if filters.region:
        query = query.join(Organisation, Organisation.id == User.organisation_id).where(
            Organisation.region == Region(filters.region)
        )
    if filters.organisation_id is not None:
        query = query.where(User.organisation_id == filters.organisation_id)
    return query


def _current_modules():
    return (
        db.select(Module.id)
        .join(
            ModuleVersion,
            and_(ModuleVersion.module_id == Module.id, ModuleVersion.number == Module.version),
        )
        .where(Module.retired_at.is_(None))
    )


def _module_rows(filters: Filters) -> list[dict[str, Any]]:
    """One statement: each current module with facilitators in scope, started (any
    activity done or the module completed in the dates) and completed (in the dates)."""
    members = _memberships(filters).subquery()
    people = db.select(members.c.user_id)
    events = union_all(
        db.select(
            ActivityProgress.user_id.label("user_id"),
            ActivityProgress.module_id.label("module_id"),
            literal(0).label("done"),
        ).where(
            ActivityProgress.user_id.in_(people),
            *on_days(ActivityProgress.completed_at, filters),
        ),
        db.select(
            ModuleCompletion.user_id.label("user_id"),
            ModuleCompletion.module_id.label("module_id"),
            literal(1).label("done"),
        ).where(
            ModuleCompletion.user_id.in_(people),
            *on_days(ModuleCompletion.completed_at, filters),
        ),
    ).subquery()
    progress = (
        db.select(
            events.c.module_id,
            func.count(func.distinct(events.c.user_id)).label("started"),
            func.count(func.distinct(case((events.c.done == 1, events.c.user_id)))).label(
                "completed"
            ),
        )
        .group_by(events.c.module_id)
        .subquery()
    )
    in_scope = db.select(func.count(func.distinct(members.c.user_id))).scalar_subquery()
    query = (
        db.select(
            Module.id.label("module_id"),
            Module.slug,
            ModuleVersion.title,
            ModuleVersion.is_core,
            in_scope.label("facilitators"),
            func.coalesce(progress.c.started, 0).label("started"),
            func.coalesce(progress.c.completed, 0).label("completed"),
        )
        .join(
            ModuleVersion,
            and_(ModuleVersion.module_id == Module.id, ModuleVersion.number == Module.version),
        )
        .outerjoin(progress, progress.c.module_id == Module.id)
        .where(Module.retired_at.is_(None))
        .order_by(ModuleVersion.position, Module.slug)
    )
    return [
        {
            "module_id": row.module_id,
            "slug": row.slug,
            "title": row.title,
            "is_core": bool(row.is_core),
            "facilitators": int(row.facilitators or 0),
            "started": int(row.started),
            "completed": int(row.completed),
        }
        for row in db.session.execute(query)
    ]


def _check_rows(filters: Filters) -> list[dict[str, Any]]:
    """One statement: per module, knowledge checks taken (a person and a check), all their
    attempts, and how many passed first time and in the end. A check belongs to the dates
    of its first attempt."""
    people = db.select(_memberships(filters).subquery().c.user_id)
    q = QuizAttempt
    tries = (
        db.select(
            q.module_id.label("module_id"),
            func.min(q.id).label("first_id"),
            func.count(q.id).label("attempts"),
            func.max(case((q.is_passed, 1), else_=0)).label("passed"),
        )
        .where(q.user_id.in_(people))
        .group_by(q.user_id, q.module_id, q.activity_key)
    )
    window = on_days(func.min(q.created_at), filters)
    tries = (tries.having(*window) if window else tries).subquery()
    first = aliased(QuizAttempt)
    query = (
        db.select(
            tries.c.module_id,
            func.count().label("checks"),
            func.sum(tries.c.attempts).label("attempts"),
            func.sum(case((first.is_passed, 1), else_=0)).label("first_passed"),
            func.sum(tries.c.passed).label("passed"),
        )
        .join(first, first.id == tries.c.first_id)
        .group_by(tries.c.module_id)
    )
    return [
        {
            "module_id": row.module_id,
            "checks": int(row.checks),
            "attempts": int(row.attempts or 0),
            "first_passed": int(row.first_passed or 0),
            "passed": int(row.passed or 0),
        }
        for row in db.session.execute(query)
    ]


def _intake_rows(filters: Filters) -> list[dict[str, Any]]:
    """One statement: per intake, facilitators in scope and how many completed every
    current core module, the last of them in the dates."""
    core = _current_modules().where(ModuleVersion.is_core.is_(True)).subquery()
    core_count = db.select(func.count()).select_from(core).scalar_subquery()
    finished = (
        db.select(
            ModuleCompletion.user_id.label("user_id"),
            func.max(ModuleCompletion.completed_at).label("last"),
        )
        .where(ModuleCompletion.module_id.in_(db.select(core.c.id)))
        .group_by(ModuleCompletion.user_id)
        .having(
            func.count() >= core_count,
            core_count > 0,
            *on_days(func.max(ModuleCompletion.completed_at), filters),
        )
        .subquery()
    )
    members = _memberships(filters).subquery()
    query = (
        db.select(
            Intake.id.label("intake_id"),
            Intake.name.label("intake"),
            func.count(members.c.user_id).label("facilitators"),
            func.count(finished.c.user_id).label("core_complete"),
        )
        .join(members, members.c.intake_id == Intake.id)
        .outerjoin(finished, finished.c.user_id == members.c.user_id)
        .group_by(Intake.id, Intake.name, Intake.programme_starts_on)
        .order_by(Intake.programme_starts_on, Intake.name)
    )
    return [
        {
            "intake_id": row.intake_id,
            "intake": row.intake,
            "facilitators": int(row.facilitators),
            "core_complete": int(row.core_complete),
        }
        for row in db.session.execute(query)
    ]


class ModulesReport(Report):
    """Module completion and knowledge checks of trainee facilitators. Facilitators in
    scope are the intakes' current members; region and organisation are those of the
    facilitator's own organisation; the dates are when a module was completed (started:
    any activity done in them; knowledge checks: their first attempt)."""

    key = "modules"
    title = _l("Module completion")
    summary = _l(
        "How many facilitators have started and completed each module, how they did in its "
        "knowledge checks, and how many in each intake have completed every core module."
    )
    date_basis = _l("Date the module was completed")

    def size(self, filters: Filters) -> int:
        members = _memberships(filters).subquery()
        return db.session.scalar(db.select(func.count()).select_from(members))

    def load(self, filters: Filters) -> Rows:
        return {
            "modules": _module_rows(filters),
            "checks": _check_rows(filters),
            "intakes": _intake_rows(filters),
        }

    def build(self, rows: Rows) -> list[Table]:
        return [
            _modules_table(rows.get("modules", []), rows.get("checks", [])),
            _intakes_table(rows.get("intakes", [])),
        ]

    def charts(self) -> list[Chart]:
        return [
            Chart(
                table="modules",
                title=str(_l("Completion rate by module")),
                label="title",
                values=("completion_pct",),
                percent=True,
            )
        ]


MODULE_COLUMNS = [
    "module_id",
    "slug",
    "title",
    "kind",
    "facilitators",
    "started",
    "completed",
    "completion_pct",
    "attempts",
    "checks",
    "first_pass_pct",
    "pass_pct",
]


def _modules_table(modules: list[dict[str, Any]], checks: list[dict[str, Any]]) -> Table:
    by_module = {row["module_id"]: row for row in checks}
    records = []
    for module in modules:
        check = by_module.get(module["module_id"], {})
        taken = check.get("checks", 0)
        records.append(
            {
                "module_id": module["module_id"],
                "slug": module["slug"],
                "title": module["title"],
                "kind": str(_l("Core") if module["is_core"] else _l("Optional")),
                "facilitators": module["facilitators"],
                "started": module["started"],
                "completed": module["completed"],
                "completion_pct": rate(module["completed"], module["facilitators"]),
                "attempts": check.get("attempts", 0),
                "checks": taken,
                "first_pass_pct": rate(check.get("first_passed", 0), taken),
                "pass_pct": rate(check.get("passed", 0), taken),
            }
        )
    return Table(
        key="modules",
        title=str(_l("Completion by module")),
        frame=pd.DataFrame(records, columns=MODULE_COLUMNS),
        headings={
            "title": str(_l("Module")),
            "kind": str(_l("Core or optional")),
            "facilitators": str(_l("Facilitators")),
            "started": str(_l("Started")),
            "completed": str(_l("Completed")),
            "completion_pct": str(_l("Completion rate (%(sign)s)", sign="%")),
            "attempts": str(_l("Knowledge check attempts")),
            "checks": str(_l("Knowledge checks taken")),
            "first_pass_pct": str(_l("Passed at first attempt (%(sign)s)", sign="%")),
            "pass_pct": str(_l("Passed in the end (%(sign)s)", sign="%")),
        },
        note=str(
            _l(
                "A knowledge check taken is one person's go at one check, however many "
                "attempts it took; the pass rates are of these."
            )
        ),
    )


def _intakes_table(intakes: list[dict[str, Any]]) -> Table:
    records = [
        {
            "intake_id": row["intake_id"],
            "intake": row["intake"],
            "facilitators": row["facilitators"],
            "core_complete": row["core_complete"],
            "core_complete_pct": rate(row["core_complete"], row["facilitators"]),
        }
        for row in intakes
    ]
    columns = ["intake_id", "intake", "facilitators", "core_complete", "core_complete_pct"]
    return Table(
        key="intakes",
        title=str(_l("Core modules completed by intake")),
        frame=pd.DataFrame(records, columns=columns),
        headings={
            "intake": str(_l("Intake")),
            "facilitators": str(_l("Facilitators")),
            "core_complete": str(_l("Completed all core modules")),
            "core_complete_pct": str(_l("Completed all core modules (%(sign)s)", sign="%")),
        },
    )
