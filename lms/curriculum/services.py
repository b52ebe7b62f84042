"""The curriculum's writes and rules: doing activities, completing modules, and workshop days
with their registers.

Every function takes model objects and plain data, enforces its rule, writes what it must
to the audit log, flushes and returns; the request commits once (STYLE.md rule 2).
Refusals raise :class:`CurriculumError` with a message for the person and, where it
belongs to one, the form field it is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import format_datetime
from flask_babel import gettext as _

from lms import audit
from lms.accounts.models import Role, User
from lms.applications.models import Intake, IntakeFacilitator
from lms.curriculum import queries
from lms.curriculum.activities import KnowledgeCheck, Reading, Reflection, Workshop
from lms.curriculum.models import (
    ActivityProgress,
    AttendanceStatus,
    Module,
    ModuleCompletion,
    QuizAttempt,
    WorkshopAttendance,
    WorkshopDay,
    WorkshopMode,
)
from lms.curriculum.models import Reflection as ReflectionAnswer
from lms.curriculum.progress import Marking, ModuleProgress, mark
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import absolute_url, tell

LONDON = ZoneInfo("Europe/London")
REFLECTION_MAX = 10_000  # the messages say "10,000": change them with it


class CurriculumError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- Doing activities ------------------------------------------------------------------


def module_progress(user: User, module: Module) -> ModuleProgress:
    """One person's progress on one module (prerequisites need the whole curriculum)."""
    return queries.progress_for(user.id, queries.current_modules())[module.id]


def require_unlocked(progress: ModuleProgress) -> None:
    if progress.is_locked:
        raise CurriculumError(
            _("You need to complete the modules this one builds on before you can start it.")
        )


def record_done(user: User, module: Module, key: str) -> ActivityProgress:
    """Mark one activity done at the module's current version (once; later calls keep it)."""
    done = db.session.scalar(
        db.select(ActivityProgress).where(
            ActivityProgress.user_id == user.id,
            ActivityProgress.module_id == module.id,
            ActivityProgress.activity_key == key,
        )
    )
    if done is None:
        done = ActivityProgress(
            user_id=user.id, module_id=module.id, activity_key=key, version=module.version
        )
        db.session.add(done)
        db.session.flush()
    return done


def mark_read(
    user: User, module: Module, reading: Reading, progress: ModuleProgress
) -> ActivityProgress:
    require_unlocked(progress)
    return record_done(user, module, reading.key)


def save_reflection(
    user: User,
    module: Module,
    activity: Reflection,
    answer: str,
    progress: ModuleProgress,
) -> ReflectionAnswer:
    """Save (or change) a reflection; it counts as done once it has an answer."""
    require_unlocked(progress)
    answer = answer.strip()
    if not answer:
        raise CurriculumError(_("Enter your reflection"), "answer")
    if len(answer) > REFLECTION_MAX:
        raise CurriculumError(_("Your reflection must be 10,000 characters or fewer"), "answer")
    saved = queries.reflection(user.id, module.id, activity.key)
    if saved is None:
        saved = ReflectionAnswer(user_id=user.id, module_id=module.id, activity_key=activity.key)
        db.session.add(saved)
    elif saved.answer == answer:
        return saved
    saved.answer = answer
    saved.version = module.version
    saved.title = activity.title
    saved.prompt = activity.prompt
    saved.updated_at = utcnow()
    db.session.flush()
    record_done(user, module, activity.key)
    return saved


def submit_answers(
    user: User,
    module: Module,
    check: KnowledgeCheck,
    answers: Mapping[str, list[int]],
    progress: ModuleProgress,
) -> tuple[QuizAttempt, Marking]:
    """Mark a go at a knowledge check and keep it; a pass completes the activity.

    Raises ``progress.AnswerError`` naming the questions left unanswered.
    """
    require_unlocked(progress)
    marking = mark(check, answers)
    attempt = QuizAttempt(
        user_id=user.id,
        module_id=module.id,
        activity_key=check.key,
        version=module.version,
        answers={r.question.key: list(r.chosen) for r in marking.results},
        score=marking.score,
        total=marking.total,
        is_passed=marking.is_passed,
    )
    db.session.add(attempt)
    db.session.flush()
    if marking.is_passed:
        record_done(user, module, check.key)
    return attempt, marking


def remark(attempt: QuizAttempt) -> tuple[KnowledgeCheck, Marking] | None:
    """An earlier attempt marked again against the version it was made on (for its page)."""
    check = attempt.module_version.activity(attempt.activity_key)
    if not isinstance(check, KnowledgeCheck):
        return None
    return check, mark(check, attempt.answers)


def complete_module(user: User, module: Module, progress: ModuleProgress) -> ModuleCompletion:
    """Mark a module complete, at its current version, once every activity is done."""
    require_unlocked(progress)
    if not progress.all_done:
        raise CurriculumError(
            _(
                "You can mark this module as complete when you have done every activity. "
                "You have done %(done)d of %(total)d.",
                done=progress.done,
                total=progress.total,
            )
        )
    completion = queries.completion(user.id, module.id)
    if completion is None:
        completion = ModuleCompletion(user_id=user.id, module_id=module.id)
        db.session.add(completion)
    elif completion.version == module.version:
        return completion
    completion.version = module.version
    completion.completed_at = utcnow()
    db.session.flush()
    audit.record("module.completed", module, actor=user, version=module.version)
    return completion


# --- Workshop days ------------------------------------------------------------------------


def london_to_utc(day: date, at: time) -> datetime:
    """A date and clock time in the UK as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(ZoneInfo("UTC"))


def workshop_activities(modules: list[Module]) -> list[tuple[Module, Workshop]]:
    """Every live workshop in the curriculum, in module order."""
    return [
        (module, activity)
        for module in modules
        for activity in module.current.activities
        if isinstance(activity, Workshop)
    ]


def can_run_workshops(user: User | None) -> bool:
    """Supervisors and leads can be named to run a workshop day (and keep its register)."""
    return user is not None and user.is_active and user.has_role(Role.SUPERVISOR, Role.LEAD)


@dataclass(frozen=True)
class WorkshopPlan:
    """When and where a workshop day is, and who runs it: what a lead fills in."""

    starts_at: datetime
    ends_at: datetime
    mode: WorkshopMode
    venue: str | None = None
    joining_link: str | None = None
    details: str | None = None
    run_by: User | None = None

    def check(self, module: Module, activity_key: str) -> None:
        activity = module.current.activity(activity_key)
        if module.retired_at is not None or not isinstance(activity, Workshop):
            raise CurriculumError(_("Select a workshop from the curriculum"), "workshop")
        if self.ends_at <= self.starts_at:
            raise CurriculumError(_("The finish time must be after the start time"), "ends_at")
        if self.mode is WorkshopMode.IN_PERSON and not self.venue:
            raise CurriculumError(_("Enter where the workshop will be held"), "venue")
        if self.mode is WorkshopMode.ONLINE and not self.joining_link:
            raise CurriculumError(_("Enter the link people use to join online"), "joining_link")
        if self.run_by is not None and not can_run_workshops(self.run_by):
            raise CurriculumError(_("Select a supervisor or programme lead"), "run_by")

    def apply(self, workshop: WorkshopDay) -> bool:
        """Write the plan onto ``workshop``; True if its time or place changed."""
        venue = self.venue if self.mode is WorkshopMode.IN_PERSON else None
        link = self.joining_link if self.mode is WorkshopMode.ONLINE else None
        where = (self.starts_at, self.ends_at, self.mode, venue, link)
        moved = where != (
            workshop.starts_at,
            workshop.ends_at,
            workshop.mode,
            workshop.venue,
            workshop.joining_link,
        )
        workshop.starts_at, workshop.ends_at = self.starts_at, self.ends_at
        workshop.mode, workshop.venue, workshop.joining_link = self.mode, venue, link
        workshop.details = self.details or None
        workshop.run_by_id = self.run_by.id if self.run_by else None
        return moved


def schedule_workshop(
    intake: Intake, module: Module, activity_key: str, plan: WorkshopPlan, by: User
) -> WorkshopDay:
    """Put a workshop on an intake's calendar and tell its facilitators."""
    plan.check(module, activity_key)
    workshop = WorkshopDay(
        intake_id=intake.id, module_id=module.id, activity_key=activity_key, created_by_id=by.id
    )
    plan.apply(workshop)
    db.session.add(workshop)
    db.session.flush()
    audit.record("workshop.scheduled", workshop, actor=by, intake=intake.id, key=activity_key)
    if plan.starts_at > utcnow():
        _tell_facilitators(workshop, "scheduled")
    return workshop


def update_workshop(workshop: WorkshopDay, plan: WorkshopPlan, by: User) -> WorkshopDay:
    """Change a workshop day; facilitators are told when the time or place changes."""
    if workshop.is_cancelled:
        raise CurriculumError(_("This workshop day has been cancelled, so it cannot be changed."))
    plan.check(workshop.module, workshop.activity_key)
    moved = plan.apply(workshop)
    workshop.sequence += 1
    db.session.flush()
    audit.record("workshop.changed", workshop, actor=by, moved=moved)
    if moved and plan.ends_at > utcnow():
        _tell_facilitators(workshop, "changed")
    return workshop


def cancel_workshop(workshop: WorkshopDay, reason: str, by: User) -> WorkshopDay:
    """Cancel a workshop day that has no one marked present; facilitators are told."""
    if workshop.is_cancelled:
        return workshop
    if any(a.status is AttendanceStatus.PRESENT for a in workshop.attendance):
        raise CurriculumError(
            _("People have been marked present at this workshop, so it cannot be cancelled.")
        )
    reason = reason.strip()
    if not reason:
        raise CurriculumError(_("Enter why the workshop is cancelled"), "reason")
    workshop.cancelled_at = utcnow()
    workshop.cancel_reason = reason
    workshop.sequence += 1
    db.session.flush()
    audit.record("workshop.cancelled", workshop, actor=by)
    if workshop.ends_at > utcnow():
        _tell_facilitators(workshop, "cancelled")
    return workshop


def _when(workshop: WorkshopDay) -> str:
    return format_datetime(workshop.starts_at, "EEEE d MMMM yyyy, HH:mm")


MESSAGES = {
    "scheduled": (
        lambda w: _("Workshop day booked: %(title)s", title=w.title),
        lambda w: _(
            "%(title)s is booked for %(intake)s on %(when)s. Add it to your calendar from "
            "the workshop's page.",
            title=w.title,
            intake=w.intake.name,
            when=_when(w),
        ),
    ),
    "changed": (
        lambda w: _("Workshop day changed: %(title)s", title=w.title),
        lambda w: _(
            "The time or place of %(title)s has changed. It is now on %(when)s. Check the "
            "workshop's page for the details.",
            title=w.title,
            when=_when(w),
        ),
    ),
    "cancelled": (
        lambda w: _("Workshop day cancelled: %(title)s", title=w.title),
        lambda w: _(
            "%(title)s on %(when)s has been cancelled. Reason: %(reason)s",
            title=w.title,
            when=_when(w),
            reason=w.cancel_reason,
        ),
    ),
}


def _tell_facilitators(workshop: WorkshopDay, what: str) -> None:
    subject, message = MESSAGES[what]
    link = absolute_url("curriculum.show_workshop", workshop_id=workshop.id)
    for person in queries.intake_facilitators(workshop.intake_id):
        tell(
            person,
            lambda: subject(workshop),
            lambda: message(workshop),
            link,
            lambda: _("See the workshop day:"),
        )


def record_attendance(
    workshop: WorkshopDay,
    statuses: Mapping[int, AttendanceStatus | None],
    by: User,
) -> int:
    """Save a workshop day's register (person id -> status, None to clear a line).

    Only the intake's facilitators can be on it. Present and absent can only be recorded
    once the day has started; apologies at any time. Being present completes the
    workshop activity in the person's progress. Returns how many lines changed.
    """
    if workshop.is_cancelled:
        raise CurriculumError(_("This workshop day has been cancelled."))
    members = {u.id for u in queries.intake_facilitators(workshop.intake_id)}
    strangers = set(statuses) - members
    if strangers:
        raise CurriculumError(_("Only the intake's trainee facilitators can be on the register."))
    started = workshop.starts_at <= utcnow()
    if not started and any(
        s in (AttendanceStatus.PRESENT, AttendanceStatus.ABSENT) for s in statuses.values()
    ):
        raise CurriculumError(
            _(
                "You can only mark people present or absent once the workshop has started. "
                "You can record apologies before then."
            )
        )
    lines = {a.user_id: a for a in workshop.attendance}
    changed: list[tuple[int, AttendanceStatus | None, AttendanceStatus | None]] = []
    for user_id, status in statuses.items():
        line = lines.get(user_id)
        before = line.status if line else None
        if before == status:
            continue
        if status is None:
            workshop.attendance.remove(line)  # delete-orphan: the line goes
        elif line is None:
            workshop.attendance.append(
                WorkshopAttendance(user_id=user_id, status=status, recorded_by_id=by.id)
            )
        else:
            line.status = status
            line.recorded_by_id = by.id
        changed.append((user_id, before, status))
    db.session.flush()
    for user_id, before, after in changed:
        if after is AttendanceStatus.PRESENT:
            record_done(db.session.get(User, user_id), workshop.module, workshop.activity_key)
        elif before is AttendanceStatus.PRESENT:
            _undo_attended(user_id, workshop)
    if changed:
        audit.record(
            "workshop.register_saved",
            workshop,
            actor=by,
            changes={str(u): (a.value if a else None) for u, _b, a in changed},
        )
    return len(changed)


def _undo_attended(user_id: int, workshop: WorkshopDay) -> None:
    """Someone no longer marked present: the activity is undone unless they attended
    another day of the same workshop."""
    elsewhere = db.session.scalar(
        db.select(db.func.count())
        .select_from(WorkshopAttendance)
        .join(WorkshopDay, WorkshopDay.id == WorkshopAttendance.workshop_id)
        .where(
            WorkshopAttendance.user_id == user_id,
            WorkshopAttendance.status == AttendanceStatus.PRESENT,
            WorkshopDay.module_id == workshop.module_id,
            WorkshopDay.activity_key == workshop.activity_key,
        )
    )
    if not elsewhere:
        db.session.execute(
            db.delete(ActivityProgress).where(
                ActivityProgress.user_id == user_id,
                ActivityProgress.module_id == workshop.module_id,
                ActivityProgress.activity_key == workshop.activity_key,
            )
        )


def join_intake(intake: Intake, user: User) -> IntakeFacilitator:
    """Make ``user`` a trainee facilitator in ``intake`` (demo data and tests; in real use
    accepting an offer does this)."""
    membership = db.session.scalar(
        db.select(IntakeFacilitator).where(
            IntakeFacilitator.intake_id == intake.id, IntakeFacilitator.user_id == user.id
        )
    )
    if membership is None:
        membership = IntakeFacilitator(intake_id=intake.id, user_id=user.id)
        db.session.add(membership)
        db.session.flush()
    return membership
