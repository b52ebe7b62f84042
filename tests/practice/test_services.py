"""Running a set without HTTP: the register, presenters, actions and their follow-through,
the stages, the charter, anonymous feedback, logs, and booking the sessions."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, time, timedelta

import pytest
from icalendar import Calendar

from lms.applications.models import DeliveryMode
from lms.audit import AuditEvent
from lms.calendar import event_uid
from lms.curriculum.services import london_to_utc
from lms.db_types import utcnow
from lms.extensions import db
from lms.practice import aggregates, confidential, queries, running, scheduling, services
from lms.practice.holidays import bank_holidays
from lms.practice.models import (
    Action,
    FeedbackReceipt,
    FeedbackResponse,
    FollowThroughStatus,
    PracticeAttendance,
    PracticeAttendanceStatus,
    PracticeSession,
    SessionLog,
    SetStatus,
    Theme,
)
from lms.practice.running import ActionDraft
from lms.practice.scheduling import SchedulePlan
from lms.practice.services import PracticeError

PRESENT = PracticeAttendanceStatus.PRESENT
APOLOGIES = PracticeAttendanceStatus.APOLOGIES
ABSENT = PracticeAttendanceStatus.ABSENT
CARRIED = FollowThroughStatus.CARRIED_FORWARD


def first_start():
    """Three weekly sessions ago, less a day: sessions 1 to 3 past, session 4 tomorrow."""
    return (utcnow() - timedelta(weeks=3, days=-1)).replace(second=0, microsecond=0)


@pytest.fixture
def practice_set(make_set):
    """Six members, four weekly sessions: the first three have taken place, the fourth is
    tomorrow."""
    return make_set(first=first_start())


@pytest.fixture
def facilitator(practice_set):
    return practice_set.facilitators[0].user


@pytest.fixture
def members(practice_set):
    return [m.user for m in practice_set.members]


def everyone(practice_set, status=PRESENT) -> dict:
    return {m.user_id: status for m in practice_set.members}


def present(session, by, who, *actions: str, theme=None, challenge=None):
    """Add ``who`` as a presenter at ``session`` with ``actions``."""
    presentation = running.add_presenter(session, who.id, by)
    running.save_presentation(
        presentation, theme, challenge, [ActionDraft(text) for text in actions], by
    )
    return presentation


def run(session, by, presenters: dict) -> None:
    """Start, take the register (everyone present), present and close ``session``."""
    running.start_session(session, by)
    running.record_register(session, everyone(session.set), by)
    for who, actions in presenters.items():
        present(session, by, who, *actions)
    running.close_session(session, by)


def texts(items) -> list[str]:
    return [item.action.text for item in items]


def audits(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).filter_by(action=action)))


# --- Actions and their follow-through ------------------------------------------------------


def test_actions_are_carried_into_the_next_sessions_report_back(practice_set, facilitator, members):
    s1, s2, s3, s4 = practice_set.sessions
    ann, bob = members[:2]
    run(s1, facilitator, {ann: ("Ask my manager", "Book a rota review")})
    assert confidential.report_back(s1) == []

    items = confidential.report_back(s2)
    assert texts(items) == ["Ask my manager", "Book a rota review"]
    assert [(i.session_number, i.carried, i.follow_through) for i in items] == [(1, 0, None)] * 2
    ask, book = (i.action for i in items)

    running.record_follow_through(
        s2, {ask.id: (CARRIED, " Not yet "), book.id: (FollowThroughStatus.DONE, None)}, facilitator
    )
    # Bob presents at session 2: his new action is not for report-back at session 2.
    bob_action = present(s2, facilitator, bob, "Speak to the ward manager")
    here = confidential.report_back(s2)
    assert texts(here) == ["Ask my manager", "Book a rota review"]
    assert [i.follow_through.status for i in here] == [CARRIED, FollowThroughStatus.DONE]
    assert here[0].follow_through.learning_note == "Not yet"
    with pytest.raises(PracticeError):
        running.record_follow_through(
            s2,
            {confidential.actions_of(bob_action.id)[0].id: (FollowThroughStatus.DONE, None)},
            facilitator,
        )

    # Session 3: the carried action again (carried once), and Bob's, new; the done one closed.
    items = confidential.report_back(s3)
    assert [(i.action.text, i.session_number, i.carried) for i in items] == [
        ("Ask my manager", 1, 1),
        ("Speak to the ward manager", 2, 0),
    ]
    assert all(i.follow_through is None for i in items)

    running.record_follow_through(s3, {ask.id: (FollowThroughStatus.PARTLY, "Half")}, facilitator)
    assert texts(confidential.report_back(s4)) == ["Speak to the ward manager"]
    # A later answer does not change what an earlier session shows.
    assert texts(confidential.report_back(s2)) == ["Ask my manager", "Book a rota review"]


@pytest.mark.parametrize("session_number", [2, 3])
def test_every_final_answer_closes_an_action(practice_set, facilitator, members, session_number):
    s1 = practice_set.sessions[0]
    at = practice_set.sessions[session_number - 1]
    after = practice_set.sessions[session_number]
    run(s1, facilitator, {members[0]: ("A1", "A2"), members[1]: ("B1", "B2")})
    items = confidential.report_back(at)
    finals = [
        FollowThroughStatus.DONE,
        FollowThroughStatus.PARTLY,
        FollowThroughStatus.NOT_DONE,
        FollowThroughStatus.DROPPED,
    ]
    running.record_follow_through(
        at,
        {i.action.id: (status, None) for i, status in zip(items, finals, strict=True)},
        facilitator,
    )
    assert confidential.report_back(after) == []


def test_only_actions_due_for_report_back_can_be_answered(practice_set, facilitator, members):
    s1, s2 = practice_set.sessions[:2]
    run(s1, facilitator, {members[0]: ("A1",)})
    [item] = confidential.report_back(s2)
    with pytest.raises(PracticeError):
        running.record_follow_through(s1, {item.action.id: (CARRIED, None)}, facilitator)
    with pytest.raises(PracticeError):
        running.record_follow_through(s2, {item.action.id: (CARRIED, "x" * 2001)}, facilitator)
    running.record_follow_through(s2, {item.action.id: (CARRIED, "first")}, facilitator)
    running.record_follow_through(
        s2, {item.action.id: (FollowThroughStatus.DONE, "second")}, facilitator
    )
    [item] = confidential.report_back(s2)
    assert (item.follow_through.status, item.follow_through.learning_note) == (
        FollowThroughStatus.DONE,
        "second",
    )


def test_an_action_reported_back_on_cannot_be_removed(practice_set, facilitator, members):
    s1, s2 = practice_set.sessions[:2]
    run(s1, facilitator, {members[0]: ("Keep me", "Drop me")})
    presentation = confidential.presentations(s1.id)[0]
    keep = confidential.report_back(s2)[0].action
    running.record_follow_through(s2, {keep.id: (FollowThroughStatus.DONE, None)}, facilitator)

    running.reopen_session(s1, facilitator)
    with pytest.raises(PracticeError) as refused:
        running.save_presentation(
            presentation, None, None, [ActionDraft(""), ActionDraft("Drop me")], facilitator
        )
    assert refused.value.field == "action_1_text"
    assert [a.text for a in confidential.actions_of(presentation.id)] == ["Keep me", "Drop me"]
    # The one nobody has reported back on can go.
    running.save_presentation(presentation, None, None, [ActionDraft("Keep me")], facilitator)
    assert [a.text for a in confidential.actions_of(presentation.id)] == ["Keep me"]
    with pytest.raises(PracticeError):
        running.remove_presenter(presentation, facilitator)


def test_saving_a_presentation(practice_set, facilitator, members):
    session = practice_set.sessions[0]
    running.start_session(session, facilitator)
    presentation = running.add_presenter(session, members[0].id, facilitator)
    running.save_presentation(
        presentation,
        Theme.ESCALATION,
        "  A hard conversation  ",
        [
            ActionDraft(" One ", " my manager ", " time "),
            ActionDraft("Two"),
            ActionDraft("Three: there is no room for it"),
        ],
        facilitator,
    )
    actions = confidential.actions_of(presentation.id)
    assert [(a.position, a.text, a.supports, a.risks) for a in actions] == [
        (1, "One", "my manager", "time"),
        (2, "Two", None, None),
    ]
    assert presentation.challenge == "A hard conversation"
    assert presentation.theme == Theme.ESCALATION
    assert {(a.owner_id, a.set_id, a.session_id) for a in actions} == {
        (members[0].id, practice_set.id, session.id)
    }
    # Saving again changes the same rows.
    running.save_presentation(
        presentation, None, "", [ActionDraft("One, better"), ActionDraft("Two")], facilitator
    )
    again = confidential.actions_of(presentation.id)
    assert [a.id for a in again] == [a.id for a in actions]
    assert again[0].text == "One, better"
    assert presentation.challenge is None and presentation.theme is None


@pytest.mark.parametrize(
    ("challenge", "drafts", "field"),
    [
        ("x" * 2001, [ActionDraft("One")], "challenge"),
        (None, [ActionDraft("x" * 2001)], "action_1"),
        (None, [ActionDraft("One"), ActionDraft("Two", supports="x" * 2001)], "action_2"),
        (None, [ActionDraft("One"), ActionDraft("Two", risks="x" * 2001)], "action_2"),
        (None, [ActionDraft("", supports="Help")], "action_1_text"),
        (None, [ActionDraft("One"), ActionDraft("  ", risks="Time")], "action_2_text"),
    ],
)
def test_a_presentation_is_refused_whole(
    practice_set, facilitator, members, challenge, drafts, field
):
    session = practice_set.sessions[0]
    presentation = running.add_presenter(session, members[0].id, facilitator)
    with pytest.raises(PracticeError) as refused:
        running.save_presentation(presentation, Theme.OTHER, challenge, drafts, facilitator)
    assert refused.value.field == field
    assert confidential.actions_of(presentation.id) == []
    assert presentation.challenge is None and presentation.theme is None


def test_exactly_2000_characters_is_allowed(practice_set, facilitator, members):
    presentation = running.add_presenter(practice_set.sessions[0], members[0].id, facilitator)
    running.save_presentation(
        presentation,
        None,
        "c" * 2000,
        [ActionDraft("a" * 2000, "s" * 2000, "r" * 2000)],
        facilitator,
    )
    assert len(confidential.actions_of(presentation.id)[0].text) == 2000


# --- The register and presenters -----------------------------------------------------------


def test_only_members_are_on_the_register(practice_set, facilitator):
    session = practice_set.sessions[0]
    with pytest.raises(PracticeError):
        running.record_register(session, {facilitator.id: PRESENT}, facilitator)
    assert queries.register(session.id) == {}


def test_before_the_session_only_apologies(practice_set, facilitator, members):
    upcoming = practice_set.sessions[3]
    assert upcoming.starts_at > utcnow()
    with pytest.raises(PracticeError) as refused:
        running.record_register(upcoming, {members[0].id: PRESENT}, facilitator)
    assert refused.value.field == "register"
    running.record_register(upcoming, {members[0].id: APOLOGIES}, facilitator)
    assert queries.register(upcoming.id) == {members[0].id: APOLOGIES}
    # Once started (early), anything goes; a change keeps one line per person.
    running.start_session(upcoming, facilitator)
    running.record_register(upcoming, {members[0].id: PRESENT}, facilitator)
    assert queries.register(upcoming.id) == {members[0].id: PRESENT}
    lines = db.session.scalars(
        db.select(PracticeAttendance).filter_by(session_id=upcoming.id)
    ).all()
    assert len(lines) == 1 and lines[0].recorded_by_id == facilitator.id


def test_a_session_that_has_begun_takes_the_register_unstarted(practice_set, facilitator):
    session = practice_set.sessions[0]  # three weeks ago, never started in the console
    running.record_register(session, everyone(practice_set, ABSENT), facilitator)
    assert set(queries.register(session.id).values()) == {ABSENT}


def test_who_can_present(practice_set, facilitator, members):
    session = practice_set.sessions[0]
    running.record_register(
        session,
        {members[0].id: APOLOGIES, members[1].id: ABSENT, members[2].id: PRESENT},
        facilitator,
    )
    for away in members[:2]:
        with pytest.raises(PracticeError) as refused:
            running.add_presenter(session, away.id, facilitator)
        assert refused.value.field == "presenter"
    with pytest.raises(PracticeError):
        running.add_presenter(session, facilitator.id, facilitator)
    first = running.add_presenter(session, members[2].id, facilitator)
    with pytest.raises(PracticeError):
        running.add_presenter(session, members[2].id, facilitator)
    # Not on the register yet is fine: they may have just arrived.
    second = running.add_presenter(session, members[3].id, facilitator)
    assert (first.position, second.position) == (1, 2)
    assert [pid for pid, _ in queries.presenters(session.id)] == [members[2].id, members[3].id]


def test_the_ledger_counts_presentations(practice_set, facilitator, members):
    s1, s2 = practice_set.sessions[:2]
    run(s1, facilitator, {members[0]: ("A",), members[1]: ("B",)})
    run(s2, facilitator, {members[0]: ("A again",)})
    ledger = {e.user_id: (e.presentations, e.last_presented) for e in running.ledger(practice_set)}
    assert ledger[members[0].id] == (2, 2)
    assert ledger[members[1].id] == (1, 1)
    assert ledger[members[2].id] == (0, None)
    assert len(ledger) == 6


# --- Closing, reopening and the stages -----------------------------------------------------


def test_closing_needs_a_full_register_and_an_action_per_presenter(
    practice_set, facilitator, members
):
    session = practice_set.sessions[0]
    with pytest.raises(PracticeError):
        running.close_session(session, facilitator)  # not started
    running.start_session(session, facilitator)
    running.record_register(session, {m.id: PRESENT for m in members[:5]}, facilitator)
    with pytest.raises(PracticeError) as refused:
        running.close_session(session, facilitator)
    assert refused.value.field == "register"
    assert members[5].name in refused.value.message
    running.record_register(session, {members[5].id: ABSENT}, facilitator)

    presentation = running.add_presenter(session, members[0].id, facilitator)
    with pytest.raises(PracticeError) as refused:
        running.close_session(session, facilitator)
    assert refused.value.field == "presenters"
    assert members[0].name in refused.value.message
    assert session.closed_at is None

    running.save_presentation(presentation, None, None, [ActionDraft("Do it")], facilitator)
    running.close_session(session, facilitator)
    assert session.closed_at is not None and session.stage is None
    closed_at = session.closed_at
    running.close_session(session, facilitator)  # again: nothing changes
    assert session.closed_at == closed_at
    assert len(audits("practice.session_closed")) == 1

    # Closed: no more changes until it is reopened.
    with pytest.raises(PracticeError):
        running.add_presenter(session, members[1].id, facilitator)
    with pytest.raises(PracticeError):
        running.save_presentation(presentation, None, None, [ActionDraft("Other")], facilitator)
    with pytest.raises(PracticeError):
        running.start_session(session, facilitator)
    with pytest.raises(PracticeError):
        running.go_to_stage(session, 0, facilitator)

    running.reopen_session(session, facilitator)
    assert session.closed_at is None and session.stage == "check_out"
    assert len(audits("practice.session_reopened")) == 1
    running.add_presenter(session, members[1].id, facilitator)


def test_a_presenter_without_actions_can_be_removed(practice_set, facilitator, members):
    session = practice_set.sessions[0]
    running.start_session(session, facilitator)
    running.record_register(session, everyone(practice_set), facilitator)
    presentation = running.add_presenter(session, members[0].id, facilitator)
    running.remove_presenter(presentation, facilitator)
    assert queries.presenters(session.id) == []
    running.close_session(session, facilitator)


def test_moving_through_the_stages(practice_set, facilitator, members):
    session = practice_set.sessions[0]
    with pytest.raises(PracticeError):
        running.go_to_stage(session, 1, facilitator)
    running.start_session(session, facilitator)
    assert (session.stage, session.stage_round) == ("check_in", 0)
    started = session.started_at
    running.start_session(session, facilitator)  # a second press changes nothing
    assert session.started_at == started

    running.go_to_stage(session, 3, facilitator)
    assert (session.stage, session.stage_round) == ("inquiry", 1)
    assert session.stage_started_at >= started
    for step in (-1, 9):
        with pytest.raises(PracticeError):
            running.go_to_stage(session, step, facilitator)
    assert (session.stage, session.stage_round) == ("inquiry", 1)

    # A third presenter adds a round to the plan.
    for member in members[:3]:
        running.add_presenter(session, member.id, facilitator)
    assert len(running.stages(session)) == 12
    running.go_to_stage(session, 9, facilitator)
    assert (session.stage, session.stage_round) == ("inquiry", 3)
    running.go_to_stage(session, 11, facilitator)
    assert session.stage == "check_out"


def test_a_short_session_plans_its_stages_to_its_length(make_set):
    practice_set = make_set(sessions=1)
    session = practice_set.sessions[0]
    session.ends_at = session.starts_at + timedelta(minutes=60)
    assert sum(s.minutes for s in running.stages(session)) == 60


# --- The charter ---------------------------------------------------------------------------


def test_only_the_member_acknowledges_the_charter_once(practice_set, members):
    mine, theirs = practice_set.members[:2]
    with pytest.raises(PracticeError):
        services.acknowledge_charter(theirs, members[0])
    assert theirs.charter_acknowledged_at is None

    services.acknowledge_charter(mine, members[0])
    first = mine.charter_acknowledged_at
    assert first is not None
    services.acknowledge_charter(mine, members[0])
    assert mine.charter_acknowledged_at == first
    [event] = audits("practice.charter_acknowledged")
    assert event.actor_id == members[0].id
    assert (event.subject_type, event.subject_id) == ("PracticeSet", practice_set.id)


# --- Anonymous feedback --------------------------------------------------------------------

ANSWERS = {"kept_to_time": 5, "fair_say": 4, "questions_helped": 2, "clear_action": 3}


def test_feedback_carries_nobody_and_is_given_once(practice_set, members):
    session = practice_set.sessions[0]
    columns = set(FeedbackResponse.__table__.columns.keys())
    assert columns == {
        "id",
        "session_id",
        "kept_to_time",
        "fair_say",
        "questions_helped",
        "clear_action",
        "comment",
    }
    assert services.can_give_feedback(session, members[0])
    services.give_feedback(session, members[0], ANSWERS, "  Good  ")
    services.give_feedback(session, members[1], ANSWERS, "")
    assert not services.can_give_feedback(session, members[0])
    with pytest.raises(PracticeError):
        services.give_feedback(session, members[0], ANSWERS, None)

    responses = db.session.scalars(db.select(FeedbackResponse)).all()
    assert len(responses) == 2
    assert all(re.fullmatch(r"[0-9a-f]{32}", r.id) for r in responses)
    assert responses[0].id != responses[1].id
    assert sorted(r.comment or "" for r in responses) == ["", "Good"]
    receipts = db.session.scalars(db.select(FeedbackReceipt.user_id)).all()
    assert sorted(receipts) == sorted([members[0].id, members[1].id])


def test_feedback_refusals(practice_set, facilitator, members):
    past, upcoming = practice_set.sessions[0], practice_set.sessions[3]
    with pytest.raises(PracticeError):
        services.give_feedback(upcoming, members[0], ANSWERS, None)
    assert not services.can_give_feedback(upcoming, members[0])
    with pytest.raises(PracticeError):
        services.give_feedback(past, facilitator, ANSWERS, None)
    assert not services.can_give_feedback(past, facilitator)
    with pytest.raises(PracticeError):
        services.give_feedback(past, members[0], {**ANSWERS, "fair_say": 6}, None)
    with pytest.raises(PracticeError):
        services.give_feedback(past, members[0], {"kept_to_time": 5}, None)
    with pytest.raises(PracticeError) as refused:
        services.give_feedback(past, members[0], ANSWERS, "x" * 2001)
    assert refused.value.field == "comment"
    assert db.session.scalar(db.select(db.func.count(FeedbackResponse.id))) == 0
    assert db.session.scalar(db.select(db.func.count(FeedbackReceipt.id))) == 0


def test_feedback_is_summarised_only_from_three_responses(practice_set, members):
    session = practice_set.sessions[0]
    ids = [session.id]
    services.give_feedback(session, members[0], ANSWERS, "Zebra")
    services.give_feedback(
        session,
        members[1],
        {"kept_to_time": 4, "fair_say": 4, "questions_helped": 4, "clear_action": 1},
        None,
    )
    assert aggregates.feedback_summary(ids, services.FEEDBACK_THRESHOLD) is None
    services.give_feedback(
        session,
        members[2],
        {"kept_to_time": 1, "fair_say": 5, "questions_helped": 3, "clear_action": 5},
        "apple",
    )
    summary = aggregates.feedback_summary(ids, services.FEEDBACK_THRESHOLD)
    assert summary.responses == 3
    assert summary.means == {
        "kept_to_time": 3.3,
        "fair_say": 4.3,
        "questions_helped": 3.0,
        "clear_action": 3.0,
    }
    assert summary.agree == {
        "kept_to_time": 67,
        "fair_say": 100,
        "questions_helped": 33,
        "clear_action": 33,
    }
    assert summary.comments == ["Zebra", "apple"]  # sorted, not in the order given
    assert aggregates.feedback_counts(ids) == {session.id: 3}


# --- Facilitators' logs ------------------------------------------------------------------


def test_logs(practice_set, facilitator, members):
    past, upcoming = practice_set.sessions[0], practice_set.sessions[3]
    with pytest.raises(PracticeError):
        services.save_log(past, members[0], "Well", "Differently")
    with pytest.raises(PracticeError):
        services.save_log(upcoming, facilitator, "Well", "Differently")
    with pytest.raises(PracticeError) as refused:
        services.save_log(past, facilitator, "  ", "Differently")
    assert refused.value.field == "went_well"
    with pytest.raises(PracticeError) as refused:
        services.save_log(past, facilitator, "Well", "")
    assert refused.value.field == "do_differently"
    with pytest.raises(PracticeError):
        services.save_log(past, facilitator, "x" * 2001, "Differently")
    assert db.session.scalar(db.select(db.func.count(SessionLog.id))) == 0

    log = services.save_log(past, facilitator, " Kept time ", " Fewer words ")
    again = services.save_log(past, facilitator, "Kept time well", "Fewer words")
    assert again.id == log.id
    assert (again.went_well, again.do_differently) == ("Kept time well", "Fewer words")
    # Each facilitator keeps their own log.
    other = services.save_log(past, practice_set.facilitators[1].user, "Mine", "Mine too")
    assert other.id != log.id


# --- Booking the sessions ----------------------------------------------------------------

EVENING = time(18, 0)


def plan(first: date, count: int = 4, nation: str = "england_wales", **changes) -> SchedulePlan:
    return SchedulePlan(
        first=first,
        starts=changes.pop("starts", EVENING),
        count=count,
        every_weeks=changes.pop("every_weeks", 1),
        minutes=changes.pop("minutes", 90),
        nation=nation,
    )


@pytest.fixture
def unbooked(make_set):
    return make_set(sessions=0, joining_link=None)


def local_days(sessions) -> list[date]:
    return [running.local_start(s).date() for s in sessions]


def test_booking_moves_a_session_off_easter_monday_in_england_and_wales(unbooked, facilitator_of):
    easter_monday = next(
        h.date for h in bank_holidays("england_wales", 2027) if h.code == "easter_monday"
    )
    assert easter_monday == date(2027, 3, 29)
    first = easter_monday - timedelta(weeks=1)
    sessions = scheduling.schedule_set(
        unbooked, plan(first), None, "https://meet.example.org/als", facilitator_of(unbooked)
    )
    assert local_days(sessions) == [
        date(2027, 3, 22),
        date(2027, 3, 30),  # the Tuesday after Easter Monday
        date(2027, 4, 5),  # the weekly rhythm carries on from the Monday
        date(2027, 4, 12),
    ]
    moved = sessions[1]
    assert moved.holiday == "easter_monday"
    assert moved.moved_from == london_to_utc(easter_monday, EVENING)
    assert all(s.moved_from is None and s.holiday is None for s in sessions if s is not moved)
    # 18:00 in London: GMT before the clocks change on 28 March, BST after.
    assert [s.starts_at.hour for s in sessions] == [18, 17, 17, 17]
    assert all(s.minutes == 90 for s in sessions)
    assert [s.number for s in sessions] == [1, 2, 3, 4]
    assert unbooked.nation == "england_wales"


def test_a_scottish_set_meets_on_easter_monday(unbooked, facilitator_of):
    assert "easter_monday" not in {h.code for h in bank_holidays("scotland", 2027)}
    sessions = scheduling.schedule_set(
        unbooked,
        plan(date(2027, 3, 22), nation="scotland"),
        None,
        "https://meet.example.org/als",
        facilitator_of(unbooked),
    )
    assert local_days(sessions) == [date(2027, 3, 22) + timedelta(weeks=n) for n in range(4)]
    assert all(s.moved_from is None and s.holiday is None for s in sessions)
    assert unbooked.nation == "scotland"


@pytest.fixture
def facilitator_of():
    return lambda practice_set: practice_set.facilitators[0].user


def test_the_invitation_carries_every_session(unbooked, facilitator_of, outbox, login):
    unbooked.venue = None
    sessions = scheduling.schedule_set(
        unbooked,
        plan(date(2027, 3, 22), count=5),
        None,
        "https://meet.example.org/als-set",
        facilitator_of(unbooked),
    )
    emails = [e for e in outbox() if "sessions are booked" in e.subject]
    people = [f.user for f in unbooked.facilitators] + [m.user for m in unbooked.members]
    assert sorted(e.recipient for e in emails) == sorted(p.email for p in people)
    assert all(e.calendar for e in emails)

    def events(ics) -> list:
        return Calendar.from_ical(ics).walk("VEVENT")

    emailed = events(emails[0].calendar)
    assert len(emailed) == 5
    assert [str(e["uid"]) for e in emailed] == [
        event_uid("practice-session", s.id) for s in sessions
    ]
    assert [e.decoded("dtstart") for e in emailed] == [s.starts_at for s in sessions]
    assert [e.decoded("dtend") for e in emailed] == [s.ends_at for s in sessions]
    assert "DTSTART:20270322T180000Z" in _text(emails[0].calendar)
    assert "DTSTART:20270330T170000Z" in _text(emails[0].calendar)  # off Easter Monday, BST
    for event in emailed:
        assert str(event["location"]) == "https://meet.example.org/als-set"
        assert "https://meet.example.org/als-set" in str(event["description"])
    # Everyone's invitation is the same series.
    for email in emails[1:]:
        assert [str(e["uid"]) for e in events(email.calendar)] == [str(e["uid"]) for e in emailed]

    response = login(facilitator_of(unbooked)).get(f"/practice/sets/{unbooked.id}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    downloaded = events(response.data)
    assert [str(e["uid"]) for e in downloaded] == [str(e["uid"]) for e in emailed]
    assert [e.decoded("dtstart") for e in downloaded] == [s.starts_at for s in sessions]
    assert [str(e["location"]) for e in downloaded] == [str(e["location"]) for e in emailed]


def test_an_in_person_invitation_gives_the_venue(make_set, facilitator_of, outbox):
    practice_set = make_set(sessions=0, mode=DeliveryMode.IN_PERSON, joining_link=None)
    scheduling.schedule_set(
        practice_set, plan(date(2027, 4, 6)), "Room 4, Trust HQ", None, facilitator_of(practice_set)
    )
    email = next(e for e in outbox() if "sessions are booked" in e.subject)
    for event in Calendar.from_ical(email.calendar).walk("VEVENT"):
        assert str(event["location"]) == "Room 4, Trust HQ"
        assert "Room 4, Trust HQ" in str(event["description"])


def _text(ics) -> str:
    return ics.decode() if isinstance(ics, bytes) else ics


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"count": 3}, "count"),
        ({"count": 7}, "count"),
        ({"first": "yesterday"}, "first"),
        ({"joining_link": None}, "joining_link"),
        ({"every_weeks": 0}, "every_weeks"),
        ({"minutes": 20}, "minutes"),
        ({"nation": "wales"}, "nation"),
    ],
)
def test_booking_refusals(unbooked, facilitator_of, outbox, changes, field):
    first = date(2027, 4, 6)
    if changes.pop("first", None):
        first = (utcnow() - timedelta(days=1)).date()
    link = changes.pop("joining_link", "https://meet.example.org/als")
    with pytest.raises(PracticeError) as refused:
        scheduling.schedule_set(
            unbooked,
            plan(first, count=changes.pop("count", 4), **changes),
            None,
            link,
            facilitator_of(unbooked),
        )
    assert refused.value.field == field
    assert (
        db.session.scalar(
            db.select(db.func.count(PracticeSession.id)).filter_by(set_id=unbooked.id)
        )
        == 0
    )
    assert not [e for e in outbox() if "sessions are booked" in e.subject]


def test_a_set_is_booked_once_and_only_when_confirmed(make_set, facilitator_of):
    booked = make_set()
    with pytest.raises(PracticeError):
        scheduling.schedule_set(
            booked, plan(date(2027, 4, 6)), None, "https://x.example.org", facilitator_of(booked)
        )
    assert len(booked.sessions) == 4
    proposed = make_set(sessions=0, status=SetStatus.PROPOSED)
    with pytest.raises(PracticeError):
        scheduling.schedule_set(
            proposed,
            plan(date(2027, 4, 6)),
            None,
            "https://x.example.org",
            facilitator_of(proposed),
        )
    blended = make_set(sessions=0, mode=DeliveryMode.BLENDED)
    with pytest.raises(PracticeError) as refused:
        scheduling.schedule_set(
            blended, plan(date(2027, 4, 6)), None, "https://x.example.org", facilitator_of(blended)
        )
    assert refused.value.field == "venue"


# --- The CSV for supervisors and leads -----------------------------------------------------


def test_the_summary_csv_has_counts_and_no_text(practice_set, facilitator, members):
    s1, s2 = practice_set.sessions[:2]
    running.start_session(s1, facilitator)
    running.record_register(s1, {**everyone(practice_set), members[5].id: APOLOGIES}, facilitator)
    present(
        s1,
        facilitator,
        members[0],
        "SECRET-ACTION",
        theme=Theme.ROTA_WORKFLOW,
        challenge="SECRET-CHALLENGE",
    )
    present(s1, facilitator, members[1], "SECRET-TWO", theme=Theme.ESCALATION)
    running.close_session(s1, facilitator)
    [first, second] = confidential.report_back(s2)
    running.record_follow_through(
        s2,
        {
            first.action.id: (FollowThroughStatus.DONE, "SECRET-NOTE"),
            second.action.id: (CARRIED, None),
        },
        facilitator,
    )

    body = scheduling.summary_csv(practice_set)
    for secret in ("SECRET-ACTION", "SECRET-CHALLENGE", "SECRET-TWO", "SECRET-NOTE"):
        assert secret not in body
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 4
    assert rows[0]["Present"] == "5" and rows[0]["Apologies"] == "1"
    assert rows[0]["Presenters"] == "2"
    assert set(rows[0]["Themes"].split("; ")) == {"Rota and workflow", "Escalation and SBAR"}
    assert rows[1]["Report-back: Done"] == "1"
    assert rows[1]["Report-back: Carried forward"] == "1"
    assert rows[1]["Presenters"] == "0" and rows[1]["Present"] == "0"


def test_own_actions_are_the_members_own(practice_set, facilitator, members):
    run(practice_set.sessions[0], facilitator, {members[0]: ("Mine",), members[1]: ("Theirs",)})
    [(action, follow)] = confidential.own_actions(members[0].id)
    assert action.text == "Mine" and follow == []
    assert confidential.own_actions(members[2].id) == []
    assert db.session.scalar(db.select(db.func.count(Action.id))) == 2


def test_members_marked_away_cannot_give_feedback(make_set, client, login):
    from lms.practice.models import PracticeAttendanceStatus

    practice_set = make_set()
    session = practice_set.sessions[0]
    away, here = practice_set.members[0].user, practice_set.members[1].user
    running.record_register(
        session,
        {away.id: PracticeAttendanceStatus.ABSENT, here.id: PracticeAttendanceStatus.LATE},
        practice_set.facilitators[0].user,
    )
    assert not services.can_give_feedback(session, away)
    assert services.can_give_feedback(session, here)
    with pytest.raises(services.PracticeError, match="sessions you were at"):
        services.give_feedback(session, away, dict.fromkeys(services.FEEDBACK_QUESTIONS, 4), None)

    login(away)
    response = client.get(f"/practice/sessions/{session.id}/feedback")
    assert response.status_code == 302
    page = client.get(f"/practice/sets/{practice_set.id}").get_data(as_text=True)
    assert f"/practice/sessions/{session.id}/feedback" not in page
