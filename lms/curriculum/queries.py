"""Read helpers the curriculum's pages share. Each loads what a page needs in a fixed
number of statements, however many modules, people or attempts there are."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_
from sqlalchemy.orm import contains_eager, joinedload, lazyload

from lms.accounts.models import User
from lms.applications.models import IntakeFacilitator
from lms.curriculum.models import (
    ActivityProgress,
    AttendanceStatus,
    Module,
    ModuleCompletion,
    ModuleVersion,
    QuizAttempt,
    Reflection,
    WorkshopAttendance,
    WorkshopDay,
)
from lms.curriculum.progress import ModuleInfo, ModuleProgress, module_progress
from lms.extensions import db


def _with_current():
    return (
        db.select(Module)
        .join(
            ModuleVersion,
            and_(ModuleVersion.module_id == Module.id, ModuleVersion.number == Module.version),
        )
        .options(contains_eager(Module.current))
    )


def current_modules() -> list[Module]:
    """The curriculum as it is now: modules in use, in order, with their current version."""
    return list(
        db.session.scalars(
            _with_current()
            .where(Module.retired_at.is_(None))
            .order_by(ModuleVersion.position, Module.slug)
        )
    )


def module_by_slug(slug: str) -> Module | None:
    return db.session.scalar(
        _with_current().where(Module.slug == slug, Module.retired_at.is_(None))
    )


def info(module: Module) -> ModuleInfo:
    version = module.current
    return ModuleInfo(
        id=module.id,
        slug=module.slug,
        version=module.version,
        is_core=version.is_core,
        activity_keys=tuple(version.activity_keys),
        prerequisites=tuple(version.prerequisites),
    )


def progress_for(user_id: int, modules: Iterable[Module]) -> dict[int, ModuleProgress]:
    """One person's progress on ``modules`` (two statements)."""
    done: dict[int, set[str]] = defaultdict(set)
    for module_id, key in db.session.execute(
        db.select(ActivityProgress.module_id, ActivityProgress.activity_key).where(
            ActivityProgress.user_id == user_id
        )
    ):
        done[module_id].add(key)
    completed = dict(
        db.session.execute(
            db.select(ModuleCompletion.module_id, ModuleCompletion.version).where(
                ModuleCompletion.user_id == user_id
            )
        ).all()
    )
    return module_progress((info(m) for m in modules), done, completed)


def completion(user_id: int, module_id: int) -> ModuleCompletion | None:
    return db.session.scalar(
        db.select(ModuleCompletion).where(
            ModuleCompletion.user_id == user_id, ModuleCompletion.module_id == module_id
        )
    )


@dataclass(frozen=True)
class BestScore:
    score: int
    total: int
    attempts: int


def best_scores(user_id: int, module_id: int | None = None) -> dict[tuple[int, str], BestScore]:
    """Each knowledge check's best score for one person, by (module id, activity key)."""
    query = db.select(
        QuizAttempt.module_id, QuizAttempt.activity_key, QuizAttempt.score, QuizAttempt.total
    ).where(QuizAttempt.user_id == user_id)
    if module_id is not None:
        query = query.where(QuizAttempt.module_id == module_id)
    best: dict[tuple[int, str], BestScore] = {}
    for mid, key, score, total in db.session.execute(query):
        old = best.get((mid, key))
        attempts = (old.attempts if old else 0) + 1
        if old is None or score * old.total > old.score * total:
            best[(mid, key)] = BestScore(score, total, attempts)
        else:
            best[(mid, key)] = BestScore(old.score, old.total, attempts)
    return best


def reflections_of(user_id: int, module_id: int | None = None) -> list[Reflection]:
    query = (
        db.select(Reflection)
        .where(Reflection.user_id == user_id)
        .options(joinedload(Reflection.module).joinedload(Module.current))
        .order_by(Reflection.updated_at.desc(), Reflection.id.desc())
    )
    if module_id is not None:
        query = query.where(Reflection.module_id == module_id)
    return list(db.session.scalars(query))


def reflection(user_id: int, module_id: int, key: str) -> Reflection | None:
    return db.session.scalar(
        db.select(Reflection).where(
            Reflection.user_id == user_id,
            Reflection.module_id == module_id,
            Reflection.activity_key == key,
        )
    )


# --- Intakes, facilitators and workshops ---------------------------------------------------


def active_intake_ids(user_id: int) -> list[int]:
    return list(
        db.session.scalars(
            db.select(IntakeFacilitator.intake_id).where(
                IntakeFacilitator.user_id == user_id, IntakeFacilitator.left_at.is_(None)
            )
        )
    )


def is_member(user_id: int, intake_id: int) -> bool:
    return intake_id in active_intake_ids(user_id)


def intake_facilitators(intake_id: int) -> list[User]:
    """The intake's trainee facilitators (who have not left), by name."""
    return list(
        db.session.scalars(
            db.select(User)
            .join(IntakeFacilitator, IntakeFacilitator.user_id == User.id)
            .where(IntakeFacilitator.intake_id == intake_id, IntakeFacilitator.left_at.is_(None))
            # Their roles are not needed here: skip User's eager (selectin) load of them.
            .options(joinedload(User.organisation), lazyload(User.role_grants))
            .order_by(User.name, User.id)
        )
    )


def facilitator_count(intake_id: int) -> int:
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(IntakeFacilitator)
        .where(IntakeFacilitator.intake_id == intake_id, IntakeFacilitator.left_at.is_(None))
    )


def _workshops():
    return db.select(WorkshopDay).options(
        joinedload(WorkshopDay.module).joinedload(Module.current),
        joinedload(WorkshopDay.intake),
        joinedload(WorkshopDay.run_by),
    )


def workshop(workshop_id: int) -> WorkshopDay | None:
    return db.session.scalar(_workshops().where(WorkshopDay.id == workshop_id))


def workshops_for_member(user_id: int) -> list[WorkshopDay]:
    """Workshop days of every intake the person is a facilitator in, soonest first."""
    member_of = db.select(IntakeFacilitator.intake_id).where(
        IntakeFacilitator.user_id == user_id, IntakeFacilitator.left_at.is_(None)
    )
    return list(
        db.session.scalars(
            _workshops()
            .where(WorkshopDay.intake_id.in_(member_of))
            .order_by(WorkshopDay.starts_at, WorkshopDay.id)
        )
    )


def workshops_for_intake(intake_id: int) -> list[WorkshopDay]:
    return list(
        db.session.scalars(
            _workshops()
            .where(WorkshopDay.intake_id == intake_id)
            .order_by(WorkshopDay.starts_at, WorkshopDay.id)
        )
    )


def workshops_run_by(user_id: int) -> list[WorkshopDay]:
    return list(
        db.session.scalars(
            _workshops()
            .where(WorkshopDay.run_by_id == user_id)
            .order_by(WorkshopDay.starts_at.desc(), WorkshopDay.id)
        )
    )


def attendance_of(user_id: int) -> dict[int, AttendanceStatus]:
    """The person's register entries, by workshop day id."""
    return dict(
        db.session.execute(
            db.select(WorkshopAttendance.workshop_id, WorkshopAttendance.status).where(
                WorkshopAttendance.user_id == user_id
            )
        ).all()
    )


def register_of(workshop_id: int) -> dict[int, AttendanceStatus]:
    """A workshop day's register, by person id."""
    return dict(
        db.session.execute(
            db.select(WorkshopAttendance.user_id, WorkshopAttendance.status).where(
                WorkshopAttendance.workshop_id == workshop_id
            )
        ).all()
    )


def register_counts(workshop_ids: Iterable[int]) -> dict[int, dict[AttendanceStatus, int]]:
    """How many are present, sent apologies or were absent, per workshop day."""
    counts: dict[int, dict[AttendanceStatus, int]] = defaultdict(dict)
    ids = list(workshop_ids)
    if not ids:
        return counts
    for workshop_id, status, n in db.session.execute(
        db.select(WorkshopAttendance.workshop_id, WorkshopAttendance.status, db.func.count())
        .where(WorkshopAttendance.workshop_id.in_(ids))
        .group_by(WorkshopAttendance.workshop_id, WorkshopAttendance.status)
    ):
        counts[workshop_id][status] = n
    return counts


@dataclass(frozen=True)
class FacilitatorProgress:
    user: User
    modules: dict[int, ModuleProgress]
    workshops_attended: int

    def state(self, module_id: int):
        return self.modules[module_id].state

    @property
    def core_completed(self) -> int:
        return sum(p.is_completed for p in self.modules.values() if p.module.is_core)


def intake_progress(intake_id: int, modules: list[Module]) -> list[FacilitatorProgress]:
    """Every facilitator in the intake with their progress on ``modules`` (four statements)."""
    people = intake_facilitators(intake_id)
    members = (
        db.select(IntakeFacilitator.user_id)
        .where(IntakeFacilitator.intake_id == intake_id, IntakeFacilitator.left_at.is_(None))
        .scalar_subquery()
    )
    done: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for user_id, module_id, key in db.session.execute(
        db.select(
            ActivityProgress.user_id, ActivityProgress.module_id, ActivityProgress.activity_key
        ).where(ActivityProgress.user_id.in_(members))
    ):
        done[user_id][module_id].add(key)
    completed: dict[int, dict[int, int]] = defaultdict(dict)
    for user_id, module_id, version in db.session.execute(
        db.select(
            ModuleCompletion.user_id, ModuleCompletion.module_id, ModuleCompletion.version
        ).where(ModuleCompletion.user_id.in_(members))
    ):
        completed[user_id][module_id] = version
    attended = dict(
        db.session.execute(
            db.select(WorkshopAttendance.user_id, db.func.count())
            .join(WorkshopDay, WorkshopDay.id == WorkshopAttendance.workshop_id)
            .where(
                WorkshopDay.intake_id == intake_id,
                WorkshopAttendance.status == AttendanceStatus.PRESENT,
            )
            .group_by(WorkshopAttendance.user_id)
        ).all()
    )
    infos = [info(m) for m in modules]
    return [
        FacilitatorProgress(
            user=person,
            modules=module_progress(infos, done[person.id], completed[person.id]),
            workshops_attended=attended.get(person.id, 0),
        )
        for person in people
    ]
