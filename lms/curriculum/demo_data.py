"""Demo training progress: in the running demo intake, the demo facilitator is part-way
through the modules and Kwame Asante has finished every core module.

Built through the services from whatever the content folder holds (so it follows the real
modules' activities), with a workshop day held for each live workshop and one coming up.
Idempotent: nothing is added for someone who already has progress.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import current_app

from lms.accounts import services as accounts
from lms.accounts.models import Organisation, Role, User
from lms.applications.models import Intake
from lms.curriculum import queries, services
from lms.curriculum.activities import KnowledgeCheck, Reading, Reflection, Workshop
from lms.curriculum.content import load_directory
from lms.curriculum.models import AttendanceStatus, Module, WorkshopDay, WorkshopMode
from lms.curriculum.sync import sync_modules
from lms.db_types import utcnow
from lms.extensions import db

FINISHED = ("kwame.asante@example.org", "Kwame Asante")
ANSWERS = [
    "In my own team I notice how quickly we jump to solutions in meetings. The reading made "
    "me see that the questions I ask shape what people think they are allowed to say.",
    "I would hold back my own ideas for longer and ask one more open question before I "
    "offer anything. I will try this in our next huddle and note what changes.",
    "What I take from this is that my job is to hold the process, not to solve the "
    "problem. That feels uncomfortable, and I want to talk about it in supervision.",
]


def load_content() -> None:
    """Sync the content folder (the demo needs modules); refuse if a file has problems."""
    modules, errors = load_directory(Path(current_app.config["CONTENT_DIR"]))
    if errors:
        problems = "; ".join(f"{e.source}: {p}" for e in errors for p in e.problems)
        raise RuntimeError(f"the module files have problems: {problems}")
    sync_modules(modules)


def _do_activity(person: User, module: Module, activity, n: int, *, fail_first: bool = False):
    progress = services.module_progress(person, module)
    if isinstance(activity, Reading):
        services.mark_read(person, module, activity, progress)
    elif isinstance(activity, Reflection):
        services.save_reflection(person, module, activity, ANSWERS[n % len(ANSWERS)], progress)
    elif isinstance(activity, KnowledgeCheck):
        right = {q.key: sorted(q.correct) for q in activity.questions}
        if fail_first:
            wrong = {
                q.key: [next(i for i in range(len(q.options)) if i not in q.correct)]
                for q in activity.questions
            }
            services.submit_answers(person, module, activity, wrong, progress)
        services.submit_answers(person, module, activity, right, progress)
    # Workshops are done by the register (see _hold_workshops).


def _hold_workshops(
    intake: Intake,
    modules: list[Module],
    lead: User,
    supervisor: User | None,
    finished: User,
    partway: User,
) -> None:
    """A past day for each live workshop (both attended the first; the demo facilitator sent
    apologies to the rest), and a repeat of the last one coming up."""
    workshops = services.workshop_activities(modules)
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    for n, (module, activity) in enumerate(workshops):
        start = (now - timedelta(days=28 - 7 * n)).replace(hour=9)
        plan = services.WorkshopPlan(
            starts_at=start,
            ends_at=start + timedelta(minutes=activity.duration_minutes or 360),
            mode=WorkshopMode.IN_PERSON,
            venue="Education Centre, St James's University Hospital, Leeds LS9 7TF. Room 3.",
            details="Lunch is provided. Tell us about any dietary needs.",
            run_by=supervisor,
        )
        day = services.schedule_workshop(intake, module, activity.key, plan, by=lead)
        services.record_attendance(
            day,
            {
                finished.id: AttendanceStatus.PRESENT,
                partway.id: AttendanceStatus.PRESENT if n == 0 else AttendanceStatus.APOLOGIES,
            },
            by=supervisor or lead,
        )
    if workshops:
        module, activity = workshops[-1]
        start = (now + timedelta(days=21)).replace(hour=9, minute=30)
        plan = services.WorkshopPlan(
            starts_at=start,
            ends_at=start + timedelta(minutes=activity.duration_minutes or 360),
            mode=WorkshopMode.ONLINE,
            joining_link="https://meet.example.org/als-workshop",
            details="A repeat of this workshop for anyone who missed it. Cameras optional; "
            "live captions are on.",
            run_by=supervisor,
        )
        services.schedule_workshop(intake, module, activity.key, plan, by=lead)


def seed_curriculum(intake: Intake, organisations: dict[str, Organisation]) -> None:
    """The running intake's training progress (see the module docstring)."""
    load_content()
    modules = queries.current_modules()
    partway = db.session.scalar(db.select(User).where(User.email == "facilitator@example.org"))
    lead = db.session.scalar(db.select(User).where(User.email == "lead@example.org"))
    supervisor = db.session.scalar(db.select(User).where(User.email == "supervisor@example.org"))
    if partway is None or lead is None or not modules:
        return
    finished = db.session.scalar(db.select(User).where(User.email == FINISHED[0]))
    if finished is None:
        from lms.demo import DEMO_PASSWORD

        finished = accounts.register_user(
            FINISHED[0], FINISHED[1], DEMO_PASSWORD, roles=(Role.FACILITATOR,)
        )
        london = organisations.get("NHS North East London Integrated Care Board")
        finished.organisation_id = london.id if london else None
        db.session.flush()
    services.join_intake(intake, partway)
    services.join_intake(intake, finished)
    if queries.progress_for(partway.id, modules)[modules[0].id].done_keys:
        return  # already seeded
    has_days = db.session.scalar(
        db.select(db.func.count())
        .select_from(WorkshopDay)
        .where(WorkshopDay.intake_id == intake.id)
    )
    if not has_days:
        _hold_workshops(intake, modules, lead, supervisor, finished, partway)

    core = [m for m in modules if m.current.is_core]
    for module in core:
        for n, activity in enumerate(module.current.activities):
            if not isinstance(activity, Workshop):
                _do_activity(finished, module, activity, n)
        services.complete_module(finished, module, services.module_progress(finished, module))

    # The demo facilitator: the first two core modules done (the first check failed once),
    # and half-way through the third.
    for index, module in enumerate(core[:3]):
        activities = module.current.activities
        todo = activities if index < 2 else activities[: max(1, len(activities) // 2)]
        for n, activity in enumerate(todo):
            _do_activity(partway, module, activity, n, fail_first=index == 0)
        progress = services.module_progress(partway, module)
        if index < 2 and progress.all_done:
            services.complete_module(partway, module, progress)
    db.session.flush()
