"""Observed practice, part two: each set's four to six sessions, and for every session
already held its register, two presenters with a theme and one or two actions each,
what became of those actions at the next session, the facilitators' logs and the
trainees' anonymous feedback.

Challenge and action text is deliberately bland ("A workplace challenge"): it is
confidential in real use, and no report may ever show it, so the seed gives nothing worth
leaking.
"""

from __future__ import annotations

from lms.practice.models import (
    Action,
    FeedbackReceipt,
    FeedbackResponse,
    FollowThrough,
    FollowThroughStatus,
    PracticeAttendance,
    PracticeAttendanceStatus,
    PracticeSession,
    Presentation,
    SessionLog,
    Theme,
)
from lms.scale.bulk import Context, at, days

SESSION_COUNTS = {6: 85, 5: 10, 4: 5}
REGISTER = {
    PracticeAttendanceStatus.PRESENT: 85,
    PracticeAttendanceStatus.LATE: 5,
    PracticeAttendanceStatus.APOLOGIES: 6,
    PracticeAttendanceStatus.ABSENT: 4,
}
THERE = (PracticeAttendanceStatus.PRESENT, PracticeAttendanceStatus.LATE)
FOLLOW = {
    FollowThroughStatus.DONE: 50,
    FollowThroughStatus.PARTLY: 20,
    FollowThroughStatus.NOT_DONE: 10,
    FollowThroughStatus.CARRIED_FORWARD: 12,
    FollowThroughStatus.DROPPED: 8,
}
SETTLED = {
    FollowThroughStatus.DONE: 3,
    FollowThroughStatus.PARTLY: 2,
    FollowThroughStatus.NOT_DONE: 1,
}
MINUTES = 90
CHALLENGE = "A workplace challenge"
ACTION = "An agreed next step"


def build_sessions(ctx: Context) -> None:
    """Sessions for every set in ``ctx.shared["sets"]``; adds ``sessions`` (a list of
    (id, number, starts_at, ends_at, held)) to each set's dict."""
    logs = ctx.shared.setdefault("session_logs", {})
    for practice_set in ctx.shared["sets"]:
        _sessions(ctx, practice_set, logs)


def _sessions(ctx: Context, practice_set: dict, logs: dict) -> None:
    rng = ctx.rng
    count = ctx.pick(SESSION_COUNTS)
    weeks = rng.choice((2, 2, 2, 3))
    hour = rng.choice((10, 14))
    presented = dict.fromkeys(practice_set["members"], 0)
    open_actions: list[tuple[int, int]] = []  # (action id, times asked about)
    practice_set["sessions"] = []
    for number in range(1, count + 1):
        day = practice_set["first"] + days(7 * weeks * (number - 1))
        starts_at = at(day, hour)
        ends_at = starts_at + days(MINUTES / 1440)
        held = ends_at < ctx.now
        session_id = ctx.add(
            PracticeSession,
            set_id=practice_set["id"],
            number=number,
            starts_at=starts_at,
            ends_at=ends_at,
            moved_from=None,
            holiday=None,
            sequence=0,
            reminder_sent_at=starts_at - days(1) if starts_at - days(1) < ctx.now else None,
            stage=None,
            stage_round=0,
            stage_started_at=None,
            started_at=starts_at if held else None,
            closed_at=ends_at - days(2 / 1440) if held else None,
        )
        practice_set["sessions"].append((session_id, number, starts_at, ends_at, held))
        if held:
            open_actions = _hold(
                ctx, practice_set, session_id, starts_at, ends_at, presented, open_actions, logs
            )


def _hold(ctx, practice_set, session_id, starts_at, ends_at, presented, open_actions, logs):
    """One held session's records; returns the actions to ask about next time."""
    rng = ctx.rng
    recorder = practice_set["facilitators"][0]
    there = []
    for member in practice_set["members"]:
        status = ctx.pick(REGISTER)
        ctx.add(
            PracticeAttendance,
            session_id=session_id,
            user_id=member,
            status=status,
            recorded_by_id=recorder,
            recorded_at=starts_at,
        )
        if status in THERE:
            there.append(member)
    still_open = []
    for action_id, asked in open_actions:
        status = ctx.pick(FOLLOW if asked == 0 else SETTLED)
        ctx.add(
            FollowThrough,
            action_id=action_id,
            session_id=session_id,
            status=status,
            learning_note="What I learned from trying it." if rng.random() < 0.4 else None,
            recorded_by_id=recorder,
            recorded_at=starts_at + days(20 / 1440),
        )
        if status is FollowThroughStatus.CARRIED_FORWARD:
            still_open.append((action_id, asked + 1))
    # Everyone presents once before anyone presents twice.
    rng.shuffle(there)
    presenters = sorted(there, key=lambda member: presented[member])[:2]
    for position, presenter in enumerate(presenters, start=1):
        presented[presenter] += 1
        presentation_id = ctx.add(
            Presentation,
            session_id=session_id,
            set_id=practice_set["id"],
            presenter_id=presenter,
            position=position,
            theme=rng.choice(list(Theme)),
            challenge=CHALLENGE,
            created_at=starts_at,
            updated_at=starts_at,
        )
        for number in range(1, rng.randint(1, 2) + 1):
            action_id = ctx.add(
                Action,
                presentation_id=presentation_id,
                set_id=practice_set["id"],
                session_id=session_id,
                owner_id=presenter,
                position=number,
                text=ACTION,
                supports=None,
                risks=None,
                created_at=ends_at,
                updated_at=ends_at,
            )
            still_open.append((action_id, 0))
    for facilitator in practice_set["facilitators"]:
        if rng.random() < 0.9:
            ctx.add(
                SessionLog,
                session_id=session_id,
                author_id=facilitator,
                went_well="Everyone spoke and the inquiry stayed in questions.",
                do_differently="Give the second presenter a time check sooner.",
                created_at=ends_at + days(0.1),
                updated_at=ends_at + days(0.1),
            )
            logs[facilitator] = logs.get(facilitator, 0) + 1
    _feedback(ctx, session_id, there, ends_at)
    return still_open


def _feedback(ctx, session_id, there, ends_at) -> None:
    """Anonymous: receipts say who answered, responses (random ids, shuffled) say what."""
    rng = ctx.rng
    answering = [member for member in there if rng.random() < 0.6]
    responses = []
    for member in answering:
        ctx.add(
            FeedbackReceipt,
            session_id=session_id,
            user_id=member,
            created_at=ends_at + days(rng.uniform(0.1, 3)),
        )
        responses.append(
            {
                "id": ctx.token(),
                "session_id": session_id,
                "kept_to_time": rng.choice((3, 4, 4, 5, 5)),
                "fair_say": rng.choice((2, 3, 4, 4, 5, 5)),
                "questions_helped": rng.choice((3, 4, 4, 5, 5)),
                "clear_action": rng.choice((3, 4, 5, 5)),
                "comment": "Good to be asked, not told." if rng.random() < 0.1 else None,
            }
        )
    rng.shuffle(responses)
    for response in responses:
        ctx.add(FeedbackResponse, **response)
