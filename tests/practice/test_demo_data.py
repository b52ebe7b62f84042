"""The demo's observed practice: the GMTS cohort, the demo facilitator's running Set 1 with
its history and observations, Set 2 booked, trainees left for the allocator, and all of it
seeded once, whatever the day, without telling anyone."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

import pytest

from lms.accounts.models import Role, User
from lms.applications.models import Intake
from lms.curriculum.services import LONDON
from lms.db_types import utcnow
from lms.demo import DEMO_PASSWORD, seed_demo
from lms.notifications.models import EmailMessage, Notification
from lms.practice import (
    aggregates,
    allocation_data,
    allocation_runs,
    confidential,
    equity,
    holidays,
    queries,
    running,
    services,
)
from lms.practice.demo_data import GMTS
from lms.practice.models import (
    Action,
    FeedbackReceipt,
    FeedbackResponse,
    FollowThrough,
    FollowThroughStatus,
    PracticeAttendance,
    PracticeAttendanceStatus,
    PracticeSession,
    PracticeSet,
    Presentation,
    SessionLog,
    SetMember,
    SetStatus,
    TraineeProfile,
)
from lms.supervision.models import Observation, ObservationKind, ObservationRating, Outcome

MODELS = (
    User,
    TraineeProfile,
    PracticeSet,
    SetMember,
    PracticeSession,
    PracticeAttendance,
    Presentation,
    Action,
    FollowThrough,
    SessionLog,
    FeedbackResponse,
    FeedbackReceipt,
    Observation,
    ObservationRating,
    EmailMessage,
    Notification,
)


def person(db, email: str) -> User:
    return db.session.scalar(db.select(User).where(User.email == email))


def counts(db) -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in MODELS
    }


def running_intake(db) -> Intake:
    return db.session.scalar(db.select(Intake).where(Intake.name == "Running demo intake"))


def demo_set(db, name: str) -> PracticeSet:
    return db.session.scalar(
        db.select(PracticeSet).where(
            PracticeSet.intake_id == running_intake(db).id, PracticeSet.name == name
        )
    )


def emails(users) -> set[str]:
    return {u.email for u in users}


@pytest.fixture
def seeded(db):
    seed_demo()
    return db


def test_seeding_twice_changes_nothing_and_tells_nobody(db, monkeypatch):
    monkeypatch.setattr("lms.practice.demo_data.seed_practice", lambda *args: None)
    seed_demo()  # everything but observed practice
    before = counts(db)
    monkeypatch.undo()
    seed_demo()
    once = counts(db)
    # Sets 1 and 2 and sixteen trainees, and the completed intake's two sets and ten
    # trainees (lms.assessment.demo_data).
    assert once["PracticeSet"] == 2 + 2 and once["TraineeProfile"] == 16 + 10
    # Seeding the sets put nothing in the outbox or in anyone's notifications.
    assert (once["EmailMessage"], once["Notification"]) == (
        before["EmailMessage"],
        before["Notification"],
    )
    seed_demo()
    assert counts(db) == once


def test_the_cohort_has_the_demo_trainee_and_made_up_colleagues(seeded):
    db = seeded
    profiles = db.session.scalars(
        db.select(TraineeProfile).where(TraineeProfile.gmts_intake == GMTS)
    ).all()
    assert len(profiles) == 16
    users = [p.user for p in profiles]
    assert "trainee@example.org" in emails(users)
    assert all(u.has_role(Role.TRAINEE) and u.organisation_id for u in users)
    assert all(p.region and p.mode for p in profiles)
    needs = [u for u in users if u.access_needs]
    assert len(needs) >= 2 and all(u.access_notes for u in needs)
    in_cohort = [p for p in profiles if p.line_manager_email in emails(users)]
    assert len(in_cohort) == 1  # one line manager is a trainee too
    assert any(p.line_manager_email and p not in in_cohort for p in profiles)


def test_the_demo_trainee_signs_in_and_finds_their_set(seeded, client):
    response = client.post(
        "/sign-in", data={"email": "trainee@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    page = client.get(f"/practice/sets/{demo_set(seeded, 'Set 1').id}")
    assert page.status_code == 200
    assert "Set 1" in page.get_data(as_text=True)


def test_set_1_is_the_demo_facilitators_running_set_with_the_demo_trainee(seeded):
    db = seeded
    set_1 = demo_set(db, "Set 1")
    assert set_1.status is SetStatus.CONFIRMED and set_1.confirmed_at is not None
    assert set_1.joining_link.startswith("https://meet.example.org/")
    assert set_1.nation == "england_wales"
    assert emails(f.user for f in set_1.facilitators) == {
        "facilitator@example.org",
        "dev.sharma@example.org",
    }
    members = [m.user for m in set_1.members]
    assert len(members) == 6 and "trainee@example.org" in emails(members)
    facilitator_orgs = {f.user.organisation_id for f in set_1.facilitators}
    assert not facilitator_orgs & {m.organisation_id for m in members}
    unacknowledged = [m for m in set_1.members if m.charter_acknowledged_at is None]
    assert [m.user.email for m in unacknowledged] != ["trainee@example.org"]
    assert len(unacknowledged) == 1
    assert [s.id for s in queries.sets_of_member(person(db, "trainee@example.org").id)] == [
        set_1.id
    ]


def test_set_1_has_three_held_sessions_and_three_to_come_off_bank_holidays(seeded):
    db = seeded
    set_1 = demo_set(db, "Set 1")
    sessions = set_1.sessions
    now = utcnow()
    assert [s.number for s in sessions] == [1, 2, 3, 4, 5, 6]
    assert all(s.ends_at < now and s.started_at and s.closed_at for s in sessions[:3])
    assert all(s.starts_at > now and s.started_at is None for s in sessions[3:])
    planned = [(s.moved_from or s.starts_at).astimezone(LONDON).date() for s in sessions]
    assert all(later - earlier == timedelta(weeks=2) for earlier, later in pairwise(planned))
    assert_off_bank_holidays(set_1, (10, 0))


def assert_off_bank_holidays(practice_set: PracticeSet, at: tuple[int, int]) -> None:
    for s in practice_set.sessions:
        local = running.local_start(s)
        assert holidays.holiday_on(practice_set.nation, local.date()) is None
        assert local.weekday() < 5 and (local.hour, local.minute) == at
        assert s.minutes == 90


def test_sessions_that_would_fall_on_a_bank_holiday_move_to_the_next_working_day(db, monkeypatch):
    # Seeded on Wednesday 15 January 2025, Set 1's second session would be Christmas Day.
    monkeypatch.setattr("lms.practice.demo_data.today", lambda: date(2025, 1, 15))
    seed_demo()
    set_1 = demo_set(db, "Set 1")
    moved = [s for s in set_1.sessions if s.moved_from is not None]
    assert [(s.number, s.holiday) for s in moved] == [(2, "christmas")]
    assert running.local_start(moved[0]).date() == date(2024, 12, 27)  # after Boxing Day
    assert_off_bank_holidays(set_1, (10, 0))
    assert_off_bank_holidays(demo_set(db, "Set 2"), (14, 0))


def test_past_registers_are_complete_with_one_late_and_one_apology(seeded):
    db = seeded
    set_1 = demo_set(db, "Set 1")
    statuses = Counter()
    for s in set_1.sessions[:3]:
        register = queries.register(s.id)
        assert set(register) == set(set_1.member_ids)
        statuses.update(register.values())
    assert statuses[PracticeAttendanceStatus.LATE] == 1
    assert statuses[PracticeAttendanceStatus.APOLOGIES] == 1
    assert all(not s.attendance for s in set_1.sessions[3:])


def test_presenters_keep_present_once_equity_and_each_has_actions(seeded):
    db = seeded
    set_1 = demo_set(db, "Set 1")
    tom = person(db, "trainee@example.org")
    presented: Counter[int] = Counter()
    for s in set_1.sessions[:3]:
        register = queries.register(s.id)
        here = [
            uid
            for uid, status in register.items()
            if status in (PracticeAttendanceStatus.PRESENT, PracticeAttendanceStatus.LATE)
        ]
        presentations = confidential.presentations(s.id)
        assert len(presentations) == 2
        for p in presentations:
            assert p.presenter_id in here and p.theme is not None and p.challenge
            if presented[p.presenter_id]:
                assert all(presented[uid] for uid in here), "presented twice before others"
            assert 1 <= len(confidential.actions_of(p.id)) <= 2
        presented.update(p.presenter_id for p in presentations)
        if s.number == 2:
            assert tom.id in {p.presenter_id for p in presentations}
    assert equity.spread(running.ledger(set_1)) == 0


def test_follow_through_is_reported_and_one_action_waits_for_session_4(seeded):
    db = seeded
    set_1 = demo_set(db, "Set 1")
    one, two, three, four = set_1.sessions[:4]
    reported = {}
    for s in (two, three):
        found = db.select(FollowThrough).where(FollowThrough.session_id == s.id)
        reported[s.number] = {f.action.session_id for f in db.session.scalars(found)}
    assert one.id in reported[2] and two.id in reported[3]
    waiting = confidential.report_back(four)
    carried = [item for item in waiting if item.carried]
    assert carried and carried[0].action.owner.email == "trainee@example.org"
    assert {item.session_number for item in waiting} == {2, 3}
    # An action carried forward once and then answered is no longer waiting.
    statuses = [f.status for f in db.session.scalars(db.select(FollowThrough))]
    assert statuses.count(FollowThroughStatus.CARRIED_FORWARD) == 2


def test_logs_and_anonymous_feedback(seeded):
    db = seeded
    set_1 = demo_set(db, "Set 1")
    fatima = person(db, "facilitator@example.org")
    held = set_1.sessions[:3]
    assert len(queries.session_logs([s.id for s in held], fatima.id)) == 3
    feedback = aggregates.feedback_counts([s.id for s in set_1.sessions])
    assert [feedback.get(s.id, 0) for s in set_1.sessions] == [4, 3, 2, 0, 0, 0]
    assert aggregates.feedback_summary([held[2].id], services.FEEDBACK_THRESHOLD) is None
    tom = person(db, "trainee@example.org")
    assert services.can_give_feedback(held[2], tom)  # something left for the demo to do


def test_sam_signed_fatima_off_once_and_recorded_not_yet_once(seeded):
    db = seeded
    fatima = person(db, "facilitator@example.org")
    sam = person(db, "supervisor@example.org")
    set_1 = demo_set(db, "Set 1")
    observations = db.session.scalars(
        db.select(Observation).where(Observation.facilitator_id == fatima.id)
    ).all()
    assert all(o.is_recorded and len(o.ratings) == 8 for o in observations)
    by_sam = {
        o.session.number: o.outcome
        for o in observations
        if o.observer_id == sam.id and o.kind is ObservationKind.SUPERVISOR
    }
    assert by_sam == {2: Outcome.SIGNED_OFF, 3: Outcome.NOT_YET}
    kinds = Counter((o.kind, o.session.number) for o in observations)
    assert kinds[(ObservationKind.SELF, 3)] == 1 and kinds[(ObservationKind.BUDDY, 1)] == 1
    assert all(o.session.set_id == set_1.id for o in observations)


def test_set_2_is_booked_and_some_trainees_are_left_for_the_allocator(seeded):
    db = seeded
    set_2 = demo_set(db, "Set 2")
    now = utcnow()
    assert emails(f.user for f in set_2.facilitators) == {
        "kwame.asante@example.org",
        "bethan.morgan@example.org",
    }
    assert set_2.sessions and all(s.starts_at > now for s in set_2.sessions)
    assert set_2.venue and set_2.joining_link
    left = allocation_data.unallocated_trainees(GMTS)
    assert len(left) >= 3
    lead = person(db, "lead@example.org")
    run = allocation_runs.run_allocation(running_intake(db), GMTS, None, by=lead)
    assert len(queries.run_sets(run.id)) == 1 and run.unplaced == []


def test_every_set_keeps_the_rules(seeded):
    db = seeded
    sets = [demo_set(db, "Set 1"), demo_set(db, "Set 2")]
    for check in allocation_runs.check_sets(sets):
        assert check.breaches == [], check.practice_set.name
        assert 5 <= len(check.practice_set.members) <= 8
    profiles = {
        p.user.email: p
        for p in db.session.scalars(
            db.select(TraineeProfile).where(TraineeProfile.gmts_intake == GMTS)
        )
    }
    placed = {m.user.email: s.name for s in sets for m in s.members}
    assert len(placed) == sum(len(s.members) for s in sets)  # nobody in two sets
    for email, profile in profiles.items():
        manager = profile.line_manager_email
        if email in placed and manager in placed:
            assert placed[email] != placed[manager]
