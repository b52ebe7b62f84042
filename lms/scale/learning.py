"""Facilitators' training, supervision and buddies: module progress (activities,
knowledge-check attempts, reflections, completions), live workshop days with registers,
supervision groups with sessions and registers, and buddy pairs with their check-ins.

In completed intakes nearly everyone finished the core modules; in running intakes
people are as far through as the weeks since the start allow.
"""

from __future__ import annotations

from datetime import date

from lms.buddy.models import BuddyGroup, BuddyMember, BuddyStatus, CheckIn, CheckInTopic
from lms.curriculum.activities import KnowledgeCheck, Reading, Reflection, Workshop
from lms.curriculum.models import (
    ActivityProgress,
    AttendanceStatus,
    ModuleCompletion,
    QuizAttempt,
    WorkshopAttendance,
    WorkshopDay,
    WorkshopMode,
)
from lms.curriculum.models import Reflection as ReflectionRow
from lms.scale.bulk import Context, at, days
from lms.scale.people import IntakeInfo
from lms.supervision.models import (
    GroupMembership,
    SessionMode,
    SupervisionAttendance,
    SupervisionGroup,
    SupervisionSession,
)

ANSWER = (
    "I noticed how quickly my team jumps to solutions. I will hold back my own ideas for "
    "longer and ask one more open question before offering anything."
)
GROUP_SIZE = 8
REGISTER = {
    AttendanceStatus.PRESENT: 85,
    AttendanceStatus.APOLOGIES: 10,
    AttendanceStatus.ABSENT: 5,
}


def _delivering(ctx: Context) -> list[IntakeInfo]:
    return [i for i in ctx.shared["intakes"] if i.kind != "open"]


# --- Modules and workshops ----------------------------------------------------------------


def build_curriculum(ctx: Context, modules: list[dict]) -> None:
    """``modules``: the current modules as plain dicts (id, version, is_core, activities)."""
    lead = ctx.shared["staff"]["lead"][0]
    supervisors = ctx.shared["staff"]["supervisor"]
    workshops = [(m, a) for m in modules for a in m["activities"] if isinstance(a, Workshop)]
    for intake in _delivering(ctx):
        people = ctx.shared["facilitators"][intake.id]
        attended = _workshop_days(ctx, intake, workshops, people, lead, supervisors)
        elapsed = (ctx.today - intake.starts_on).days
        for person in people:
            _progress(ctx, intake, person, modules, elapsed, attended)


def _workshop_days(ctx, intake, workshops, people, lead, supervisors) -> set:
    """A day for each live workshop; returns (person, module id, key) of who was there."""
    attended = set()
    for n, (module, activity) in enumerate(workshops):
        day = intake.starts_on + days(30 + 28 * n)
        starts_at = at(day, 9, 30)
        online = ctx.rng.random() < 0.4
        workshop_id = ctx.add(
            WorkshopDay,
            intake_id=intake.id,
            module_id=module["id"],
            activity_key=activity.key,
            starts_at=starts_at,
            ends_at=starts_at + days((activity.duration_minutes or 360) / 1440),
            mode=WorkshopMode.ONLINE if online else WorkshopMode.IN_PERSON,
            venue=None if online else "Education Centre, Room 3",
            joining_link="https://meet.example.org/scale-workshop" if online else None,
            details=None,
            run_by_id=ctx.rng.choice(supervisors),
            sequence=0,
            created_by_id=lead,
            created_at=at(intake.starts_on - days(7)),
            updated_at=at(intake.starts_on - days(7)),
            cancelled_at=None,
            cancel_reason=None,
        )
        if day >= ctx.today:
            continue
        for person in people:
            status = ctx.pick(REGISTER)
            ctx.add(
                WorkshopAttendance,
                workshop_id=workshop_id,
                user_id=person,
                status=status,
                recorded_by_id=lead,
                recorded_at=starts_at,
            )
            if status is AttendanceStatus.PRESENT:
                attended.add((person, module["id"], activity.key))
    return attended


def _progress(ctx, intake, person, modules, elapsed: int, attended: set) -> None:
    rng = ctx.rng
    core = [m for m in modules if m["is_core"]]
    optional = [m for m in modules if not m["is_core"]]
    if intake.kind == "completed":
        finished = len(core) if rng.random() < 0.95 else rng.randint(0, len(core))
        todo = core[:finished] + [m for m in optional if rng.random() < 0.4]
        partway = core[finished] if finished < len(core) else None
    else:
        pace = max(0, min(len(core), round(elapsed / 21 + rng.uniform(-1.5, 1.5))))
        todo, partway = core[:pace], core[pace] if pace < len(core) else None
    ctx.shared["core_done"][person] = sum(1 for m in todo if m["is_core"])
    for n, module in enumerate(todo):
        when = at(min(intake.starts_on + days(10 + 9 * n + rng.randint(0, 6)), ctx.today))
        when = min(when, ctx.now - days(0.1))
        for activity in module["activities"]:
            _do(ctx, person, module, activity, when, attended)
        ctx.add(
            ModuleCompletion,
            user_id=person,
            module_id=module["id"],
            version=module["version"],
            completed_at=when,
        )
    if partway is not None and intake.kind == "running":
        when = ctx.now - days(rng.uniform(0.5, 6))
        half = partway["activities"][: max(1, len(partway["activities"]) // 2)]
        for activity in half:
            _do(ctx, person, partway, activity, when, attended)


def _do(ctx, person, module, activity, when, attended) -> None:
    """One activity done: its progress row, and the answer or attempts behind it."""
    if isinstance(activity, Workshop) and (person, module["id"], activity.key) not in attended:
        return
    common = {"user_id": person, "module_id": module["id"], "activity_key": activity.key}
    version = module["version"]
    if isinstance(activity, KnowledgeCheck):
        questions = activity.questions
        if ctx.rng.random() < 0.2:  # a first try that fell short
            wrong = {
                q.key: [next(i for i in range(len(q.options)) if i not in q.correct)]
                for q in questions
            }
            ctx.add(
                QuizAttempt,
                **common,
                version=version,
                answers=wrong,
                score=0,
                total=len(questions),
                is_passed=False,
                created_at=when - days(0.01),
            )
        right = {q.key: sorted(q.correct) for q in questions}
        ctx.add(
            QuizAttempt,
            **common,
            version=version,
            answers=right,
            score=len(questions),
            total=len(questions),
            is_passed=True,
            created_at=when,
        )
    elif isinstance(activity, Reflection):
        ctx.add(
            ReflectionRow,
            **common,
            version=version,
            title=activity.title,
            prompt=activity.prompt,
            answer=ANSWER,
            created_at=when,
            updated_at=when,
        )
    elif not isinstance(activity, Reading | Workshop):
        return
    ctx.add(ActivityProgress, **common, version=version, completed_at=when)


# --- Supervision --------------------------------------------------------------------------


def build_supervision(ctx: Context) -> None:
    """Groups of about eight with a supervisor each, meeting six to eight times."""
    supervisors = ctx.shared["staff"]["supervisor"]
    lead = ctx.shared["staff"]["lead"][0]
    ctx.shared["supervisor_of"] = {}
    ctx.shared["supervision_attended"] = {}
    turn = 0
    for intake in _delivering(ctx):
        people = list(ctx.shared["facilitators"][intake.id])
        ctx.rng.shuffle(people)
        count = max(1, round(len(people) / GROUP_SIZE))
        for g in range(count):
            members = people[g::count]
            supervisor = supervisors[turn % len(supervisors)]
            turn += 1
            group_id = ctx.add(
                SupervisionGroup,
                intake_id=intake.id,
                name=f"Supervision group {g + 1:02d}",
                supervisor_id=supervisor,
                created_by_id=lead,
                created_at=at(intake.starts_on - days(5)),
            )
            for person in members:
                ctx.shared["supervisor_of"][person] = supervisor
                ctx.add(
                    GroupMembership,
                    group_id=group_id,
                    user_id=person,
                    joined_at=at(intake.starts_on),
                    left_at=None,
                    added_by_id=lead,
                    removed_by_id=None,
                )
            _supervision_sessions(ctx, intake, group_id, supervisor, members)


def _supervision_sessions(ctx, intake, group_id, supervisor, members) -> None:
    rng = ctx.rng
    attended = ctx.shared["supervision_attended"]
    online = rng.random() < 0.6
    series = ctx.token(64)
    for n in range(rng.randint(6, 8)):
        starts_at = at(intake.starts_on + days(14 + 28 * n), 15)
        cancelled = rng.random() < 0.08
        held = not cancelled and starts_at < ctx.now
        session_id = ctx.add(
            SupervisionSession,
            group_id=group_id,
            starts_at=starts_at,
            ends_at=starts_at + days(90 / 1440),
            mode=SessionMode.ONLINE if online else SessionMode.IN_PERSON,
            venue=None if online else "Seminar room 2",
            joining_link="https://meet.example.org/scale-supervision" if online else None,
            series_key=series,
            sequence=0,
            shared_summary="We worked on holding silence and on contracting." if held else None,
            summary_by_id=supervisor if held else None,
            summary_updated_at=starts_at + days(0.2) if held else None,
            reminder_sent_at=starts_at - days(1) if starts_at - days(1) < ctx.now else None,
            created_by_id=supervisor,
            created_at=at(intake.starts_on - days(3)),
            cancelled_at=starts_at - days(3) if cancelled else None,
            cancel_reason="The supervisor is unwell; we will add a session." if cancelled else None,
        )
        if not held:
            continue
        for person in members:
            status = ctx.pick(REGISTER)
            ctx.add(
                SupervisionAttendance,
                session_id=session_id,
                user_id=person,
                status=status,
                recorded_by_id=supervisor,
                recorded_at=starts_at + days(0.1),
            )
            if status is AttendanceStatus.PRESENT:
                attended[person] = attended.get(person, 0) + 1


# --- Buddies ------------------------------------------------------------------------------


def build_buddies(ctx: Context) -> None:
    """Pairs (and a triad when the count is odd), meeting about monthly."""
    lead = ctx.shared["staff"]["lead"][0]
    topics = [t.value for t in CheckInTopic]
    ctx.shared["check_ins"] = {}
    for intake in _delivering(ctx):
        people = list(ctx.shared["facilitators"][intake.id])
        ctx.rng.shuffle(people)
        groups = [people[n : n + 2] for n in range(0, len(people) - 1, 2)]
        if len(people) % 2 and groups:
            groups[-1].append(people[-1])
        for members in groups:
            confirmed = at(intake.starts_on + days(7))
            group_id = ctx.add(
                BuddyGroup,
                intake_id=intake.id,
                status=BuddyStatus.CONFIRMED,
                points=0,
                links=[],
                same_organisation=0,
                repeats=0,
                created_by_id=lead,
                created_at=confirmed - days(2),
                confirmed_at=confirmed,
                ended_at=None,
                end_reason=None,
            )
            for person in members:
                ctx.add(BuddyMember, group_id=group_id, user_id=person)
            _check_ins(ctx, intake.starts_on, group_id, members, topics)


def _check_ins(ctx, start: date, group_id: int, members: list[int], topics: list[str]) -> None:
    rng = ctx.rng
    for n in range(rng.randint(4, 7)):
        met_on = start + days(14 + 30 * n + rng.randint(-3, 3))
        if met_on >= ctx.today:
            break
        ctx.add(
            CheckIn,
            group_id=group_id,
            met_on=met_on,
            minutes=rng.choice((30, 45, 60)),
            topics=rng.sample(topics, rng.randint(1, 2)),
            notes=None,
            logged_by_id=rng.choice(members),
            created_at=at(met_on, 17),
        )
        for person in members:
            ctx.shared["check_ins"][person] = ctx.shared["check_ins"].get(person, 0) + 1
