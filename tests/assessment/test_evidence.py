"""The portfolio's evidence sources (SPEC section 8): every source gives the right items for
the right person and nobody else, counts feed the criteria, nothing confidential is ever
selected, and the whole portfolio is one statement however much evidence or how many people.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import url_for
from sqlalchemy.dialects import postgresql, sqlite

from lms.accounts.models import Role, User
from lms.assessment import evidence, portfolio
from lms.assessment import outcomes as lo
from lms.assessment import sources as sources_module
from lms.assessment.criteria import Evidence, SetHeld
from lms.assessment.evidence import Item, Source, by_outcome, by_source, collect, row
from lms.assessment.models import EvidenceUpload
from lms.buddy.models import BuddyGroup, BuddyMember, BuddyStatus, CheckIn
from lms.curriculum import queries as curriculum_queries
from lms.curriculum.content import load_directory
from lms.curriculum.models import (
    AttendanceStatus,
    ModuleCompletion,
    Reflection,
    WorkshopAttendance,
    WorkshopDay,
    WorkshopMode,
)
from lms.curriculum.services import join_intake
from lms.curriculum.sync import sync_modules
from lms.db_types import utcnow
from lms.extensions import db
from lms.practice.models import FeedbackResponse, Presentation, SessionLog, SetStatus
from lms.supervision import observations as obs
from lms.supervision import services as supervision
from lms.supervision.models import (
    Criterion,
    ObservationKind,
    ObservationReflection,
    Outcome,
    Rating,
    SessionMode,
    SupervisionAttendance,
    SupervisionCase,
    SupervisionSession,
)

CONTENT = Path(__file__).parents[2] / "content" / "modules"
SECRET = "SECRET-WORDS"
NOW = utcnow().replace(microsecond=0)


# --- Building the records ------------------------------------------------------------------------


@functools.cache
def content() -> tuple:
    """The programme's own module files, read once (reading them is the slow part)."""
    found, errors = load_directory(CONTENT)
    assert errors == []
    return tuple(found)


@pytest.fixture
def modules(db):
    """The programme's own modules, synced; by slug."""
    sync_modules(content())
    return {m.slug: m for m in curriculum_queries.current_modules()}


def full(rating: Rating = Rating.COMPETENT):
    return dict.fromkeys(Criterion, (rating, f"{SECRET} comment"))


def record(observer, facilitator, session, outcome):
    draft = obs.start_or_get_draft(observer, facilitator, session)
    return obs.save_observation(draft, full(), f"{SECRET} summary", outcome, True, observer)


def correct(observation, by, outcome):
    fix = obs.correct(observation, by, f"{SECRET} reason")
    return obs.save_observation(fix, full(), f"{SECRET} summary", outcome, True, by)


def supervision_session(group, days_ago: float, **changes) -> SupervisionSession:
    starts = NOW - timedelta(days=days_ago)
    session = SupervisionSession(
        group_id=group.id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=120),
        mode=SessionMode.ONLINE,
        joining_link="https://meet.example.org/sup",
        **changes,
    )
    db.session.add(session)
    db.session.flush()
    return session


def attend(session, person, status=AttendanceStatus.PRESENT) -> SupervisionAttendance:
    mark = SupervisionAttendance(session_id=session.id, user_id=person.id, status=status)
    db.session.add(mark)
    db.session.flush()
    return mark


def close(*sessions) -> None:
    for session in sessions:
        session.closed_at = session.ends_at
    db.session.flush()


def feedback(session, *scores: tuple[int, int, int, int]) -> None:
    for a, b, c, d in scores:
        db.session.add(
            FeedbackResponse(
                session_id=session.id,
                kept_to_time=a,
                fair_say=b,
                questions_helped=c,
                clear_action=d,
                comment=f"{SECRET} comment",
            )
        )
    db.session.flush()


def upload(owner, n: int = 1, **fields) -> EvidenceUpload:
    values = {
        "owner_id": owner.id,
        "storage_name": f"stored-{owner.id}-{n}",
        "filename": f"evidence-{n}.pdf",
        "content_type": "application/pdf",
        "size": 1000 + n,
        "description": f"Evidence {n}",
        "outcomes": ["reflect"],
        "created_at": NOW - timedelta(days=1),
        **fields,
    }
    item = EvidenceUpload(**values)
    db.session.add(item)
    db.session.flush()
    return item


@pytest.fixture
def world(db, modules, make_user, make_intake, make_set, make_organisation):
    """A facilitator with evidence from every source, and the same kinds of record for other
    people (their co-facilitator, buddy and a stranger) that must not be theirs."""
    intake = make_intake()
    lead = make_user(Role.LEAD)
    supervisor = make_user(Role.SUPERVISOR, name="Sam Supervisor")
    me, co, buddy, stranger = (
        make_user(Role.FACILITATOR, name=name, organisation=make_organisation())
        for name in ("Fran Facilitator", "Cole Co", "Bea Buddy", "Stan Stranger")
    )
    for person in (me, co, buddy, stranger):
        join_intake(intake, person)
    w = SimpleNamespace(
        intake=intake, lead=lead, supervisor=supervisor, me=me, co=co, buddy=buddy, other=stranger
    )

    # Modules: two core and one optional complete; the stranger completes one too.
    core, second, optional = (
        modules["what-is-action-learning"],
        modules["inquiry-not-advice"],
        modules["working-with-gmts-trainees"],
    )
    w.completions = [
        ModuleCompletion(
            user_id=me.id, module_id=m.id, version=m.version, completed_at=NOW - timedelta(days=d)
        )
        for m, d in ((core, 60), (second, 50), (optional, 40))
    ]
    w.their_completion = ModuleCompletion(user_id=stranger.id, module_id=core.id, version=1)
    w.reflection = Reflection(
        user_id=me.id,
        module_id=second.id,
        activity_key="your-habit",
        version=second.version,
        title="Your own habit",
        prompt="When a colleague brings you a problem...",
        answer=f"{SECRET} answer",
        updated_at=NOW - timedelta(days=49),
    )
    their_reflection = Reflection(
        user_id=stranger.id,
        module_id=second.id,
        activity_key="your-habit",
        version=1,
        title="Your own habit",
        prompt="?",
        answer="theirs",
    )
    db.session.add_all([*w.completions, w.their_completion, w.reflection, their_reflection])

    # Workshops: present at one; present at a cancelled one; apologies for a third.
    flow = modules["session-flow-and-time-keeping"]

    def workshop(days_ago, **changes):
        starts = NOW - timedelta(days=days_ago)
        day = WorkshopDay(
            intake_id=intake.id,
            module_id=flow.id,
            activity_key="practice-set-day",
            starts_at=starts,
            ends_at=starts + timedelta(hours=6),
            mode=WorkshopMode.IN_PERSON,
            venue="Room 4",
            **changes,
        )
        db.session.add(day)
        db.session.flush()
        return day

    w.workshop = workshop(45)
    cancelled = workshop(44, cancelled_at=NOW - timedelta(days=50), cancel_reason="Snow")
    missed = workshop(43)
    w.workshop_mark = WorkshopAttendance(
        workshop_id=w.workshop.id, user_id=me.id, status=AttendanceStatus.PRESENT
    )
    db.session.add_all(
        [
            w.workshop_mark,
            WorkshopAttendance(
                workshop_id=cancelled.id, user_id=me.id, status=AttendanceStatus.PRESENT
            ),
            WorkshopAttendance(
                workshop_id=missed.id, user_id=me.id, status=AttendanceStatus.APOLOGIES
            ),
            WorkshopAttendance(
                workshop_id=w.workshop.id, user_id=stranger.id, status=AttendanceStatus.PRESENT
            ),
        ]
    )

    # Supervision: present twice; apologies, absent, and present at a cancelled session.
    w.group = supervision.create_group(intake, "Group A", supervisor, [me, co, buddy], by=lead)
    their_group = supervision.create_group(
        intake, "Group B", make_user(Role.SUPERVISOR), [stranger], by=lead
    )
    first, second_session, sorry, absent = (
        supervision_session(w.group, d) for d in (35, 28, 21, 14)
    )
    gone = supervision_session(w.group, 7, cancelled_at=NOW - timedelta(days=9))
    w.present = [attend(first, me), attend(second_session, me)]
    attend(sorry, me, AttendanceStatus.APOLOGIES)
    attend(absent, me, AttendanceStatus.ABSENT)
    attend(gone, me)
    attend(first, co)
    w.supervision_sessions = (first, second_session)
    attend(supervision_session(their_group, 35), stranger)

    # Cases: one answered, one waiting.
    w.answered = SupervisionCase(
        user_id=me.id,
        group_id=w.group.id,
        what_happened=f"{SECRET} happened",
        help_wanted=f"{SECRET} help",
        response=f"{SECRET} response",
        responded_by_id=supervisor.id,
        responded_at=NOW - timedelta(days=26),
        created_at=NOW - timedelta(days=27),
    )
    w.waiting = SupervisionCase(
        user_id=me.id,
        group_id=w.group.id,
        what_happened=f"{SECRET} happened",
        help_wanted=f"{SECRET} help",
        created_at=NOW - timedelta(days=3),
    )
    db.session.add_all(
        [
            w.answered,
            w.waiting,
            SupervisionCase(
                user_id=stranger.id, group_id=their_group.id, what_happened="x", help_wanted="y"
            ),
        ]
    )

    # Buddies: two check-ins, which count for both members; the stranger's pair has one.
    w.pair = BuddyGroup(
        intake_id=intake.id,
        status=BuddyStatus.CONFIRMED,
        members=[BuddyMember(user_id=me.id), BuddyMember(user_id=buddy.id)],
    )
    their_pair = BuddyGroup(
        intake_id=intake.id,
        status=BuddyStatus.CONFIRMED,
        members=[BuddyMember(user_id=stranger.id), BuddyMember(user_id=co.id)],
    )
    db.session.add_all([w.pair, their_pair])
    db.session.flush()
    w.check_ins = [
        CheckIn(
            group_id=w.pair.id,
            met_on=(NOW - timedelta(days=d)).date(),
            minutes=m,
            notes=f"{SECRET} notes",
            logged_by_id=buddy.id,
        )
        for d, m in ((30, 45), (10, 30))
    ]
    db.session.add_all(
        [*w.check_ins, CheckIn(group_id=their_pair.id, met_on=NOW.date(), minutes=20)]
    )

    # Sets: Ash (with Cole) has 3 of 4 sessions held; Birch (alone) 2 of 2; a proposed set
    # with a closed session is not counted; the stranger facilitates a set of their own.
    first_session = (NOW - timedelta(days=20)).replace(hour=9, minute=30, second=0)
    w.ash = make_set(
        facilitators=[me, co], intake=intake, first=first_session, name="Set Ash", trainees=3
    )
    w.ash.confirmed_at = NOW - timedelta(days=25)
    close(*w.ash.sessions[:3])
    w.birch = make_set(
        facilitators=[me],
        intake=intake,
        first=first_session,
        name="Set Birch",
        sessions=2,
        trainees=1,
    )
    close(*w.birch.sessions)
    proposed = make_set(
        facilitators=[me], intake=intake, status=SetStatus.PROPOSED, name="Set Maybe", trainees=0
    )
    close(proposed.sessions[0])
    w.theirs = make_set(facilitators=[stranger], intake=intake, name="Set Theirs", trainees=0)
    close(w.theirs.sessions[0])
    s1, s2, s3, s4 = w.ash.sessions

    # A presenter's challenge in a session: never evidence.
    db.session.add(
        Presentation(
            session_id=s1.id,
            set_id=w.ash.id,
            presenter_id=w.ash.members[0].user_id,
            challenge=f"{SECRET} challenge",
        )
    )

    # Session logs: mine on Ash 1, Cole's on Ash 1, the stranger's on their own.
    w.log = SessionLog(
        session_id=s1.id,
        author_id=me.id,
        went_well=f"{SECRET} went well",
        do_differently=f"{SECRET} differently",
        updated_at=NOW - timedelta(days=19),
    )
    db.session.add_all(
        [
            w.log,
            SessionLog(session_id=s1.id, author_id=co.id, went_well="a", do_differently="b"),
            SessionLog(
                session_id=w.theirs.sessions[0].id,
                author_id=stranger.id,
                went_well="a",
                do_differently="b",
            ),
        ]
    )
    db.session.flush()

    # Observations of me. My self-assessment of Ash 1 locks when the supervisor records.
    own = obs.self_assessment(me, s1)
    obs.save_observation(own, full(), f"{SECRET} self", None, False, me)
    w.signed_off = record(supervisor, me, s1, Outcome.SIGNED_OFF)
    w.not_yet = record(supervisor, me, s2, Outcome.NOT_YET)
    obs.correct(w.not_yet, supervisor, "Started, not finished")  # a draft does not replace it
    w.replaced = record(supervisor, me, s3, Outcome.NOT_YET)
    w.correction = correct(w.replaced, supervisor, Outcome.SIGNED_OFF)
    draft = obs.start_or_get_draft(supervisor, me, s4)
    obs.save_observation(draft, {}, "Early thoughts", None, False, supervisor)
    w.draft = draft
    w.by_buddy = record(buddy, me, s2, None)
    w.on_co = record(supervisor, co, s1, Outcome.SIGNED_OFF)
    db.session.add(
        ObservationReflection(
            observation_id=w.signed_off.id, author_id=me.id, text=f"{SECRET} text"
        )
    )

    # Feedback: Ash has 3 responses over two sessions (shown); Birch has 2 (hidden).
    feedback(s1, (5, 5, 5, 5), (4, 4, 2, 2))
    feedback(s2, (1, 3, 5, 4))
    feedback(w.birch.sessions[0], (5, 5, 5, 5), (5, 5, 5, 5))

    # An upload, mapped to outcomes (one of them not a real code).
    w.upload = upload(
        me,
        description="Certificate from the coaching course",
        filename="certificate.pdf",
        size=123_456,
        outcomes=["reflect", "made-up", "inquiry"],
        created_at=NOW - timedelta(days=2),
    )
    w.their_upload = upload(stranger)
    db.session.flush()
    return w


def mine(w) -> list[Item]:
    return collect([w.me.id])[w.me.id]


def of(items: list[Item], source: str) -> list[Item]:
    return [i for i in items if i.source == source]


# --- What each source gives -------------------------------------------------------------------


def test_only_my_own_evidence_is_collected(world):
    items = mine(world)
    assert items and all(i.user_id == world.me.id for i in items)
    assert len({i.key for i in items}) == len(items)
    keys = {i.key for i in items}
    assert ("modules", world.their_completion.id) not in keys
    assert ("uploads", world.their_upload.id) not in keys
    assert ("sets", world.theirs.id) not in keys
    assert ("observations", world.on_co.id) not in keys
    assert {i.source for i in items} == {s.key for s in sources_module.SOURCES}


def test_modules_completed(world, modules):
    items = of(mine(world), "modules")
    got = {i.facts["module_id"]: i for i in items}
    assert set(got) == {c.module_id for c in world.completions}
    core = got[modules["what-is-action-learning"].id]
    assert core.title == modules["what-is-action-learning"].title
    assert core.when == world.completions[0].completed_at
    assert core.facts == {"module_id": modules["what-is-action-learning"].id, "core": True}
    assert core.outcomes == ("understand",)
    assert core.link == ("curriculum.show_module", {"slug": "what-is-action-learning"})
    assert got[modules["inquiry-not-advice"].id].outcomes == ("inquiry",)
    optional = got[modules["working-with-gmts-trainees"].id]
    assert optional.facts["core"] is False
    assert optional.outcomes == ("understand", "contract")


def test_a_retired_module_is_no_longer_evidence(world, modules):
    modules["working-with-gmts-trainees"].retired_at = NOW
    db.session.flush()
    items = of(mine(world), "modules")
    assert modules["working-with-gmts-trainees"].id not in {i.facts["module_id"] for i in items}
    assert len(items) == 2


def test_reflections(world, modules):
    (item,) = of(mine(world), "reflections")
    assert item.ref == world.reflection.id
    assert item.title == "Your own habit"
    assert item.when == world.reflection.updated_at
    assert item.facts == {"module": modules["inquiry-not-advice"].title}
    assert item.outcomes == ("reflect", "inquiry")
    assert item.link == ("curriculum.list_reflections", {})


def test_workshops_attended_but_not_cancelled_or_missed(world, modules):
    (item,) = of(mine(world), "workshops")
    assert item.ref == world.workshop_mark.id
    assert item.title == modules["session-flow-and-time-keeping"].title
    assert item.when == world.workshop.starts_at
    assert item.facts == {"minutes": 360}
    assert item.outcomes == ("process",)
    assert item.link == ("curriculum.show_workshop", {"workshop_id": world.workshop.id})


def test_supervision_sessions_present_at(world):
    items = of(mine(world), "supervision")
    assert {i.ref for i in items} == {m.id for m in world.present}
    newest = items[0]  # newest first
    assert newest.title == "Group A"
    assert newest.when == world.supervision_sessions[1].starts_at
    assert newest.facts == {"minutes": 120}
    assert newest.link == (
        "supervision.show_session",
        {"session_id": world.supervision_sessions[1].id},
    )
    assert newest.outcomes == ("reflect",)


def test_cases_brought_to_supervision(world):
    items = {i.ref: i for i in of(mine(world), "cases")}
    assert set(items) == {world.answered.id, world.waiting.id}
    answered = items[world.answered.id]
    assert answered.title == "Group A" and answered.when == world.answered.created_at
    assert answered.facts == {"responded": True}
    assert items[world.waiting.id].facts == {"responded": False}
    assert answered.link == ("supervision.show_case", {"case_id": world.answered.id})


def test_check_ins_count_for_every_member_of_the_pair(world):
    both = collect([world.me.id, world.buddy.id])
    expected = {c.id for c in world.check_ins}
    for person in (world.me, world.buddy):
        items = of(both[person.id], "check_ins")
        assert {i.ref for i in items} == expected
        assert all(i.user_id == person.id for i in items)
    first = of(both[world.me.id], "check_ins")[-1]  # the older one
    assert first.title == "Buddy check-in"
    assert first.when == world.check_ins[0].met_on and type(first.when) is date
    assert first.facts == {"minutes": 45}
    assert first.link == ("buddy.overview", {})


def test_sets_and_the_sessions_held_in_them(world):
    items = mine(world)
    sets = {i.ref: i for i in of(items, "sets")}
    assert set(sets) == {world.ash.id, world.birch.id}  # not the proposed set
    ash = sets[world.ash.id]
    assert ash.title == "Set Ash" and ash.when == world.ash.confirmed_at
    assert ash.facts == {"held": 3}
    assert sets[world.birch.id].facts == {"held": 2} and sets[world.birch.id].when is None
    assert ash.link == ("practice.show_set", {"set_id": world.ash.id})
    assert ash.outcomes == ("contract", "process")

    held = of(items, "sessions_held")
    expected = {s.id for s in (*world.ash.sessions[:3], *world.birch.sessions)}
    assert {i.ref for i in held} == expected  # not Ash's fourth, still to come
    first = next(i for i in held if i.ref == world.ash.sessions[0].id)
    assert first.title == "Set Ash" and first.when == world.ash.sessions[0].starts_at
    assert first.facts == {"set_id": world.ash.id, "number": 1, "minutes": 90}
    assert first.link == ("practice.show_session", {"session_id": world.ash.sessions[0].id})
    assert sum(i.facts["minutes"] for i in held) == 5 * 90


def test_session_logs(world):
    (item,) = of(mine(world), "session_logs")
    session = world.ash.sessions[0]
    assert item.ref == world.log.id and item.title == "Set Ash"
    assert item.when == world.log.updated_at
    assert item.facts == {"number": 1}
    assert item.link == ("practice.session_log", {"session_id": session.id})


def test_supervisor_observations_count_only_the_latest_recorded(world):
    items = {i.ref: i for i in of(mine(world), "observations")}
    # The replaced original and the draft are gone; an unfinished correction replaces nothing.
    assert set(items) == {world.signed_off.id, world.not_yet.id, world.correction.id}
    signed = items[world.signed_off.id]
    assert signed.title == "Set Ash" and signed.when == world.signed_off.recorded_at
    assert signed.facts == {"number": 1, "signed_off": True, "outcome": "signed_off"}
    assert items[world.not_yet.id].facts["signed_off"] is False
    assert items[world.correction.id].facts == {
        "number": 3,
        "signed_off": True,
        "outcome": "signed_off",
    }
    assert signed.link == ("supervision.show_observation", {"observation_id": signed.ref})
    assert set(signed.outcomes) == {"contract", "process", "inquiry", "dynamics", "actions"}


def test_a_chain_of_corrections_counts_once_as_its_last(world):
    birch_session = world.birch.sessions[0]
    first = record(world.supervisor, world.me, birch_session, Outcome.SIGNED_OFF)
    second = correct(first, world.supervisor, Outcome.NOT_YET)
    third = correct(second, world.supervisor, Outcome.SIGNED_OFF)
    on_birch = [i for i in of(mine(world), "observations") if i.title == "Set Birch"]
    assert [(i.ref, i.facts["outcome"]) for i in on_birch] == [(third.id, "signed_off")]
    evidence_now = evidence.evidence_of(mine(world), ())
    assert evidence_now.observations_signed_off == 3


def test_buddy_observations_are_formative_and_self_assessments_are_not_evidence(world):
    items = mine(world)
    (item,) = of(items, "buddy_observations")
    assert item.ref == world.by_buddy.id and item.title == "Set Ash"
    assert item.facts == {"number": 2, "signed_off": False, "outcome": None}
    assert item.outcomes == ("process", "inquiry", "dynamics")
    observed = {i.ref for i in items if i.source in ("observations", "buddy_observations")}
    self_assessed = obs.self_assessment_of(world.me.id, world.ash.sessions[0].id)
    assert self_assessed.kind is ObservationKind.SELF and self_assessed.is_recorded
    assert self_assessed.id not in observed


def test_feedback_is_shown_only_once_enough_have_answered(world):
    (item,) = of(mine(world), "feedback")
    assert item.ref == world.ash.id and item.title == "Set Ash"
    assert item.when == world.ash.sessions[1].starts_at  # the latest session with feedback
    # 8 of the 12 answers agreed (4 or 5).
    assert item.facts == {"responses": 3, "agree": 67}
    assert item.link == ("practice.show_set", {"set_id": world.ash.id})
    assert item.outcomes == ("dynamics", "reflect")
    # Cole facilitates Ash too, so it is theirs as well; Birch's two answers stay hidden.
    assert [i.ref for i in of(collect([world.co.id])[world.co.id], "feedback")] == [world.ash.id]


def test_uploads_keep_only_real_outcomes(world):
    (item,) = of(mine(world), "uploads")
    assert item.ref == world.upload.id
    assert item.title == "Certificate from the coaching course"
    assert item.when == world.upload.created_at
    assert item.outcomes == ("inquiry", "reflect")  # the programme's order; no made-up code
    assert item.facts == {"filename": "certificate.pdf", "size": 123_456}
    assert item.link == ("assessment.download_upload", {"upload_id": world.upload.id})


def test_an_upload_with_no_outcomes_shows_none(world):
    bare = upload(world.me, 7, outcomes=[])
    (item,) = [i for i in of(mine(world), "uploads") if i.ref == bare.id]
    assert item.outcomes == ()


def test_items_are_newest_first(world):
    days = [i.day or date.min for i in mine(world)]
    assert days == sorted(days, reverse=True)


def test_every_link_builds(app, world):
    with app.test_request_context():
        for item in mine(world):
            endpoint, values = item.link
            assert url_for(endpoint, **values).startswith("/"), item


def test_someone_with_no_evidence_has_an_empty_portfolio(world, make_user):
    nobody = make_user(Role.FACILITATOR)
    assert collect([nobody.id]) == {nobody.id: []}
    assert collect([]) == {}
    assert collect([nobody.id, nobody.id]) == {nobody.id: []}


# --- From items to counts and groups ------------------------------------------------------------


def test_evidence_of_counts_what_the_criteria_need(world, modules):
    core = evidence.core_modules()
    assert [title for _id, title in core] == [m.title for m in modules.values() if m.is_core]
    facts = evidence.evidence_of(mine(world), core)
    assert facts == Evidence(
        core_modules=core,
        completed_modules=frozenset(c.module_id for c in world.completions),
        supervision_sessions=2,
        sets=(
            SetHeld(world.ash.id, "Set Ash", 3),
            SetHeld(world.birch.id, "Set Birch", 2),
        ),
        observations_signed_off=2,
        session_logs=1,
        buddy_check_ins=2,
    )


def test_evidence_of_nothing():
    assert evidence.evidence_of([], ((1, "Basics"),)) == Evidence(core_modules=((1, "Basics"),))


def test_readiness_reads_the_same_evidence(world):
    result = portfolio.readiness(world.me.id)
    assert result.intake.id == world.intake.id
    assert [i.key for i in result.items] == [i.key for i in mine(world)]
    met = {r.kind.value: r.met for r in result.results}
    assert met == {
        "core_modules": False,
        "supervision_sessions": False,
        "sets_facilitated": False,  # Ash has 3 of the 4 sessions held, Birch 2
        "observations_signed_off": True,
        "session_logs": False,
        "buddy_check_ins": False,
    }
    assert not result.ready and result.met_count == 1


def test_by_source_lists_every_source_in_order(world):
    groups = by_source(mine(world))
    assert [s.key for s, _items in groups] == [s.key for s in sources_module.SOURCES]
    counts = {s.key: len(items) for s, items in groups}
    assert counts["modules"] == 3 and counts["check_ins"] == 2 and counts["feedback"] == 1
    assert sum(counts.values()) == len(mine(world))
    empty = by_source([])
    assert len(empty) == len(sources_module.SOURCES) and all(not i for _s, i in empty)


def test_by_outcome_puts_an_item_under_each_outcome_it_shows(world):
    items = mine(world)
    groups = by_outcome(items)
    assert [o.code for o, _items in groups] == list(lo.CODES)
    under = {o.code: {i.key for i in found} for o, found in groups}
    reflection = ("reflections", world.reflection.id)
    assert reflection in under["reflect"] and reflection in under["inquiry"]
    assert ("uploads", world.upload.id) in under["inquiry"]
    assert ("uploads", world.upload.id) not in under["understand"]
    for item in items:
        assert {code for code, keys in under.items() if item.key in keys} == set(item.outcomes)


def test_by_outcome_ignores_codes_it_does_not_know():
    stray = Item("uploads", 1, 1, "Odd", None, ("nonsense",))
    assert all(not found for _o, found in by_outcome([stray]))


# --- Items as JSON (a submission's snapshot) ---------------------------------------------------


def test_items_survive_a_round_trip_through_json(world):
    items = mine(world)
    assert any(isinstance(i.when, datetime) for i in items)
    assert any(type(i.when) is date for i in items)
    assert any(i.when is None for i in items)
    text = json.dumps([i.as_json() for i in items])
    back = [Item.from_json(data) for data in json.loads(text)]
    assert back == items
    assert [type(i.when) for i in back] == [type(i.when) for i in items]


def test_an_item_round_trip_keeps_dates_apart_from_datetimes():
    on = Item("check_ins", 1, 2, "Buddy check-in", date(2026, 3, 4), ("reflect",), {"minutes": 5})
    at = Item("uploads", 2, 2, "A file", datetime(2026, 3, 4, 9, 30, tzinfo=NOW.tzinfo), ())
    for item in (on, at):
        back = Item.from_json(json.loads(json.dumps(item.as_json())))
        assert back == item and type(back.when) is type(item.when)
    assert on.day == date(2026, 3, 4) and at.day == date(2026, 3, 4)
    assert Item.from_json(Item("x", 1, 1, "t", None, ()).as_json()).link is None


# --- Confidentiality ------------------------------------------------------------------------------

# Columns holding people's own words: the portfolio shows titles, dates and counts only.
CONFIDENTIAL = (
    "went_well",
    "do_differently",
    "answer",
    "prompt",
    "what_happened",
    "help_wanted",
    "response",
    "notes",
    "comment",
    "challenge",
    "text",
    "supports",
    "risks",
    "learning_note",
    "summary",
    "shared_summary",
    "correction_reason",
    "reason",
)


def named_columns(sql: str) -> set[str]:
    """Every column named in the SQL as ``table.column`` (quoted or not)."""
    return {m.group(1).lower() for m in re.finditer(r'\.\s*"?([A-Za-z_]+)"?', sql)}


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "pg"])
def test_the_statement_never_names_confidential_text(world, dialect):
    statement = sa.union_all(*(s.select([world.me.id]) for s in sources_module.SOURCES))
    sql = str(statement.compile(dialect=dialect))
    named = named_columns(sql)
    assert "went_well" not in sql and "what_happened" not in sql
    assert named, "the check found no columns at all"
    assert {"title", "name", "starts_at"} & named  # it does see what is selected
    assert not named & set(CONFIDENTIAL), named & set(CONFIDENTIAL)


def test_the_statement_that_runs_never_names_confidential_text(world, count_queries):
    db.session.flush()
    with count_queries() as q:
        items = mine(world)
    (sql,) = q.statements
    assert not named_columns(sql) & set(CONFIDENTIAL)
    assert SECRET not in json.dumps([i.as_json() for i in items])


# --- Query counts ---------------------------------------------------------------------------------


def pile_on(w, make_set, n: int = 12) -> None:
    """Much more evidence of every countable kind for the facilitator in ``w``."""
    me = w.me
    big = make_set(facilitators=[me], intake=w.intake, sessions=n, trainees=0)
    close(*big.sessions)
    for session in big.sessions:
        db.session.add(
            SessionLog(session_id=session.id, author_id=me.id, went_well="a", do_differently="b")
        )
        feedback(session, (4, 4, 4, 4))
    for i in range(n):
        attend(supervision_session(w.group, 60 + i), me)
        db.session.add(
            CheckIn(group_id=w.pair.id, met_on=NOW.date() - timedelta(days=i), minutes=30)
        )
        upload(me, 100 + i)
    db.session.flush()


def test_collect_is_one_statement_however_much_evidence(world, make_set, count_queries):
    db.session.flush()
    with count_queries() as q:
        before = mine(world)
    assert q.count == 1
    pile_on(world, make_set)
    db.session.flush()
    with count_queries() as q:
        after = mine(world)
    assert q.count == 1
    assert len(after) > len(before) + 40


def test_collect_is_one_statement_however_many_people(world, make_user, make_set, count_queries):
    people = [make_user(Role.FACILITATOR) for _ in range(20)]
    for n, person in enumerate(people):
        practice_set = make_set(facilitators=[person], intake=world.intake, sessions=2, trainees=0)
        close(*practice_set.sessions)
        upload(person, n)
    db.session.flush()
    with count_queries() as q:
        one = collect([people[0].id])
    assert q.count == 1
    with count_queries() as q:
        everyone = collect([p.id for p in people])
    assert q.count == 1
    assert set(everyone) == {p.id for p in people}
    for person in people:
        items = everyone[person.id]
        assert all(i.user_id == person.id for i in items)
        assert sorted(i.source for i in items) == [
            "sessions_held",
            "sessions_held",
            "sets",
            "uploads",
        ]
    assert everyone[people[0].id] == one[people[0].id]


def test_readiness_costs_the_same_however_much_evidence(world, make_set, count_queries):
    db.session.flush()
    with count_queries() as q:
        portfolio.readiness(world.me.id)
    before = q.count
    pile_on(world, make_set)
    db.session.flush()
    with count_queries() as q:
        result = portfolio.readiness(world.me.id)
    assert q.count == before
    assert before <= 4
    assert result.evidence.session_logs > 10


# --- The registry -------------------------------------------------------------------------------


def test_every_source_is_well_formed(app):
    keys = [s.key for s in sources_module.SOURCES]
    assert len(keys) == len(set(keys))
    with app.test_request_context():
        labels = [str(s.label) for s in sources_module.SOURCES]
    assert all(labels) and len(labels) == len(set(labels))
    for source in sources_module.SOURCES:
        assert isinstance(source, Source)
        assert 0 < len(source.key) <= 40  # fits ShowcaseItem.source
        assert set(source.outcomes) <= set(lo.CODES), source.key
        assert evidence.source(source.key) is source
    assert evidence.source("nonsense") is None


def test_row_refuses_columns_it_does_not_know():
    with pytest.raises(TypeError, match="colour"):
        row("x", ref=sa.literal(1), user_id=sa.literal(1), colour=sa.literal("red"))


class Accounts(Source):
    """A tiny source for the test: the date each person's account was made."""

    key = "accounts"
    label = "Accounts made"
    outcomes = ("understand",)

    def select(self, user_ids):
        return sa.select(
            *row(self.key, ref=User.id, user_id=User.id, title=User.name, at=User.created_at)
        ).where(User.id.in_(user_ids))

    def item(self, r):
        return self.make(r, r.title, r.at, link=("main.home", {}), since=r.at.year)


def test_a_new_source_is_one_small_class(world, monkeypatch, count_queries):
    monkeypatch.setattr(sources_module, "SOURCES", (*sources_module.SOURCES, Accounts()))
    db.session.flush()
    with count_queries() as q:
        items = mine(world)
    assert q.count == 1
    (item,) = of(items, "accounts")
    assert item.ref == world.me.id and item.title == "Fran Facilitator"
    assert item.when == world.me.created_at and item.facts == {"since": NOW.year}
    assert item.outcomes == ("understand",)
    assert [s.key for s, _i in by_source(items)][-1] == "accounts"
    assert item in {o.code: i for o, i in by_outcome(items)}["understand"]
    assert evidence.source("accounts").label == "Accounts made"
