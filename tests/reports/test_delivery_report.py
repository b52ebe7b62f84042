"""The set delivery report: builder arithmetic from hand-made rows, and the loader against a
small database (filters, a fixed number of statements, no confidential text)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lms.accounts.models import Region, Role
from lms.practice.models import (
    Action,
    FeedbackResponse,
    FollowThrough,
    FollowThroughStatus,
    PracticeAttendance,
    PracticeAttendanceStatus,
    Presentation,
    SetStatus,
    Theme,
)
from lms.reports.base import Filters
from lms.reports.delivery import DeliveryReport
from tests.reports.checks import assert_plain_and_without

report = DeliveryReport()
FS = FollowThroughStatus
AS = PracticeAttendanceStatus


def tables(rows):
    return {t.key: t for t in report.build(rows)}


# --- Builder -------------------------------------------------------------------------------------


def hand_rows():
    spring, autumn = date(2026, 4, 1), date(2026, 9, 1)
    return {
        "sets": [
            {"set_id": 1, "set_name": "Set B", "intake_id": 10, "intake_name": "Spring",
             "intake_starts": spring, "sessions_planned": 6, "sessions_held": 3},
            {"set_id": 2, "set_name": "Set A", "intake_id": 10, "intake_name": "Spring",
             "intake_starts": spring, "sessions_planned": 4, "sessions_held": 4},
            {"set_id": 3, "set_name": "Set C", "intake_id": 20, "intake_name": "Autumn",
             "intake_starts": autumn, "sessions_planned": 5, "sessions_held": 0},
        ],
        "facilitators": [
            {"set_id": 1, "user_id": 100, "name": "Zoe", "organisation": "Trust Z",
             "in_scope": 1},
            {"set_id": 1, "user_id": 101, "name": "Amy", "organisation": "Trust A",
             "in_scope": 0},
            {"set_id": 2, "user_id": 100, "name": "Zoe", "organisation": "Trust Z",
             "in_scope": 1},
            {"set_id": 3, "user_id": 102, "name": "Bob", "organisation": None, "in_scope": 1},
            {"set_id": 3, "user_id": 103, "name": "Zoe", "organisation": "Trust Y",
             "in_scope": 1},
        ],
        "attendance": [
            {"set_id": 1, "register_entries": 18, "attended": 15},
            {"set_id": 2, "register_entries": 24, "attended": 24},
        ],
        "equity": [
            {"set_id": 1, "members": 6, "presented": 4, "presentations": 6, "most": 2,
             "fewest": 0},
            {"set_id": 2, "members": 6, "presented": 6, "presentations": 8, "most": 2,
             "fewest": 1},
            {"set_id": 3, "members": 5, "presented": 0, "presentations": 0, "most": 0,
             "fewest": 0},
        ],
        "actions": [
            {"set_id": 1, "actions": 10, "followed_up": 6, "followed_through": 4},
            {"set_id": 2, "actions": 12, "followed_up": 8, "followed_through": 8},
        ],
    }  # fmt: skip


def test_by_set_rates_and_order():
    by_set = tables(hand_rows())["by_set"].frame
    # Intakes in programme order (Spring before Autumn), then sets by name.
    assert list(by_set["set_name"]) == ["Set A", "Set B", "Set C"]
    b = by_set.set_index("set_name").loc["Set B"]
    assert b["held_pct"] == 50.0
    assert b["attendance_pct"] == 83.3
    assert b["presented_pct"] == 66.7
    assert b["spread"] == 2
    assert b["actions"] == 10
    assert b["follow_through_pct"] == 66.7
    assert b["facilitators"] == "Amy; Zoe"
    c = by_set.set_index("set_name").loc["Set C"]
    assert c["facilitators"] == "Bob; Zoe"
    assert c["held_pct"] == 0.0
    assert c["attendance_pct"] is None  # nothing held: no rate, not 0
    assert c["follow_through_pct"] is None
    assert c["actions"] == 0


def test_by_facilitator_sums_their_sets_only_in_scope():
    by_person = tables(hand_rows())["by_facilitator"].frame
    # Amy is outside the filter; two people called Zoe are told apart by organisation.
    assert list(by_person["name"]) == ["Bob", "Zoe", "Zoe"]
    assert list(by_person["organisation"]) == ["", "Trust Y", "Trust Z"]
    assert by_person.iloc[1]["sets"] == 1
    zoe = by_person.set_index("user_id").loc[100]
    assert zoe["sets"] == 2
    assert zoe["sessions_planned"] == 10
    assert zoe["held_pct"] == 70.0
    assert zoe["attendance_pct"] == round(100 * 39 / 42, 1)
    assert zoe["presented_pct"] == round(100 * 10 / 12, 1)
    assert zoe["spread"] == 2  # the widest of her sets
    assert zoe["follow_through_pct"] == round(100 * 12 / 14, 1)


def test_by_intake_summary_and_chart():
    table = tables(hand_rows())["by_intake"]
    frame = table.frame
    assert list(frame["intake_name"]) == ["Spring", "Autumn"]
    spring = frame.iloc[0]
    assert spring["sets"] == 2
    assert spring["held_pct"] == 70.0
    assert spring["attendance_pct"] == 92.9
    assert spring["follow_through_pct"] == 85.7
    assert frame.iloc[1]["held_pct"] == 0.0
    assert "Held" in table.note and "carried forward" in table.note
    for chart in report.charts():
        assert chart.table == "by_intake" and chart.percent
        assert set(chart.values) <= set(frame.columns)
    labelled = table.labelled()
    assert list(labelled.columns)[:3] == ["Intake", "Sets", "Sessions planned"]
    assert "Held (%)" in labelled.columns


def test_empty_rows_give_empty_tables_with_every_column():
    for table in report.build({}):
        assert len(table.frame) == 0
        assert set(table.headings) <= set(table.frame.columns), table.key
        table.labelled()
    for table in report.build({k: [] for k in hand_rows()}):
        assert len(table.frame) == 0


# --- Loader --------------------------------------------------------------------------------------

JAN = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


@pytest.fixture
def world(db, make_user, make_organisation, make_intake, make_set):
    """Two intakes. Set One (intake A; facilitators from London and Wales; four members;
    sessions weekly from 5 January, the first two closed) has registers, presentations,
    actions and follow-through; Set Two (intake B, London) has one closed session in
    March; a proposed set is not delivered and is left out."""
    london, wales = make_organisation(region=Region.LONDON), make_organisation(region=Region.WALES)
    other_london = make_organisation(region=Region.LONDON)
    intake_a, intake_b = make_intake(name="Intake A"), make_intake(name="Intake B")
    f1 = make_user(Role.FACILITATOR, name="Fiona First", organisation=london)
    f2 = make_user(Role.FACILITATOR, name="Gareth Second", organisation=wales)
    f3 = make_user(Role.FACILITATOR, name="Hana Third", organisation=other_london)
    members = [
        make_user(Role.TRAINEE, name=f"Trainee Secretname{i}", organisation=london)
        for i in range(4)
    ]
    one = make_set([f1, f2], members, sessions=4, first=JAN, intake=intake_a, name="Set One")
    s1, s2, s3, _s4 = one.sessions
    s1.closed_at = s1.ends_at
    s2.closed_at = s2.ends_at
    a, b, c, _d = members
    for session, statuses in (
        (s1, [AS.PRESENT, AS.LATE, AS.APOLOGIES, AS.ABSENT]),
        (s2, [AS.PRESENT] * 4),
        (s3, [AS.ABSENT] * 4),  # not closed: not counted
    ):
        for member, status in zip(members, statuses, strict=True):
            db.session.add(PracticeAttendance(session_id=session.id, user_id=member.id,
                                              status=status))  # fmt: skip
    actions = []
    for session, presenter, count in ((s1, a, 2), (s1, b, 1), (s2, a, 1), (s2, c, 0)):
        presentation = Presentation(
            session_id=session.id, set_id=one.id, presenter_id=presenter.id,
            theme=Theme.ESCALATION, challenge="SECRET-CHALLENGE",
        )  # fmt: skip
        db.session.add(presentation)
        db.session.flush()
        for n in range(count):
            action = Action(
                presentation_id=presentation.id, set_id=one.id, session_id=session.id,
                owner_id=presenter.id, position=n + 1, text="SECRET-ACTION",
                supports="SECRET-SUPPORTS", risks="SECRET-RISKS",
            )  # fmt: skip
            db.session.add(action)
            db.session.flush()
            actions.append(action)
    for action, session, status in (
        (actions[0], s2, FS.DONE),
        (actions[1], s2, FS.CARRIED_FORWARD),
        (actions[1], s3, FS.PARTLY),
        (actions[2], s2, FS.NOT_DONE),
    ):
        db.session.add(FollowThrough(action_id=action.id, session_id=session.id, status=status,
                                     learning_note="SECRET-NOTE"))  # fmt: skip
    db.session.add(FeedbackResponse(session_id=s1.id, kept_to_time=5, fair_say=5,
                                    questions_helped=5, clear_action=5,
                                    comment="SECRET-COMMENT"))  # fmt: skip
    two = make_set([f3], 2, sessions=1, first=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
                   intake=intake_b, name="Set Two")  # fmt: skip
    two.sessions[0].closed_at = two.sessions[0].ends_at
    make_set([f1], 2, sessions=2, first=JAN, intake=intake_a, name="Proposed",
             status=SetStatus.PROPOSED)  # fmt: skip
    db.session.flush()
    return {
        "intake_a": intake_a,
        "intake_b": intake_b,
        "other_london": other_london,
        "one": one,
        "two": two,
    }


def by_name(rows, key, name_key="set_name"):
    return {row[name_key]: row for row in rows[key]}


def test_load_returns_known_counts(world):
    rows = report.load(Filters())
    sets = by_name(rows, "sets")
    assert set(sets) == {"Set One", "Set Two"}  # not the proposed set
    one_id = world["one"].id
    assert sets["Set One"]["sessions_planned"] == 4
    assert sets["Set One"]["sessions_held"] == 2
    assert sets["Set One"]["intake_name"] == "Intake A"
    attendance = {r["set_id"]: r for r in rows["attendance"]}
    assert attendance[one_id]["register_entries"] == 8
    assert attendance[one_id]["attended"] == 6
    equity = {r["set_id"]: r for r in rows["equity"]}[one_id]
    assert (equity["members"], equity["presented"], equity["presentations"]) == (4, 3, 4)
    assert (equity["most"], equity["fewest"]) == (2, 0)
    actions = {r["set_id"]: r for r in rows["actions"]}[one_id]
    # Four actions; three given a final answer (the carried-forward one later partly
    # done); two of those done or partly done.
    assert (actions["actions"], actions["followed_up"], actions["followed_through"]) == (4, 3, 2)

    built = {t.key: t.frame for t in report.build(rows)}
    one = built["by_set"].set_index("set_name").loc["Set One"]
    assert one["held_pct"] == 50.0
    assert one["attendance_pct"] == 75.0
    assert one["presented_pct"] == 75.0
    assert one["spread"] == 2
    assert one["follow_through_pct"] == 66.7
    assert one["facilitators"] == "Fiona First; Gareth Second"
    assert list(built["by_facilitator"]["name"]) == ["Fiona First", "Gareth Second", "Hana Third"]
    assert list(built["by_intake"]["intake_name"]) == ["Intake A", "Intake B"]
    assert report.size(Filters()) == 5


def test_filters_narrow(world):
    def names(filters):
        return sorted(by_name(report.load(filters), "sets"))

    assert names(Filters(intake_id=world["intake_b"].id)) == ["Set Two"]
    assert names(Filters(region=Region.WALES.value)) == ["Set One"]
    assert names(Filters(region=Region.LONDON.value)) == ["Set One", "Set Two"]
    assert names(Filters(organisation_id=world["other_london"].id)) == ["Set Two"]
    assert names(Filters(start=date(2026, 2, 1))) == ["Set Two"]
    assert report.size(Filters(intake_id=world["intake_b"].id)) == 1

    # Wales: the set is there (Gareth runs it) but only Gareth is in the facilitator table.
    wales = report.load(Filters(region=Region.WALES.value))
    scoped = [r["name"] for r in wales["facilitators"] if r["in_scope"]]
    assert scoped == ["Gareth Second"]
    built = {t.key: t.frame for t in report.build(wales)}
    assert list(built["by_facilitator"]["name"]) == ["Gareth Second"]
    assert built["by_set"].iloc[0]["facilitators"] == "Fiona First; Gareth Second"

    # Only the first week: one session, held; its register, presenters and actions.
    first_week = report.load(Filters(start=date(2026, 1, 5), end=date(2026, 1, 5)))
    one = by_name(first_week, "sets")["Set One"]
    assert (one["sessions_planned"], one["sessions_held"]) == (1, 1)
    assert first_week["attendance"][0]["attended"] == 2
    equity = {r["set_id"]: r for r in first_week["equity"]}[world["one"].id]
    assert (equity["presented"], equity["most"], equity["fewest"]) == (2, 1, 0)
    assert first_week["actions"] == [
        {"set_id": world["one"].id, "actions": 3, "followed_up": 3, "followed_through": 2}
    ]
    built = {t.key: t.frame for t in report.build(first_week)}
    assert list(built["by_set"]["set_name"]) == ["Set One"]  # Set Two met in March
    assert report.size(Filters(start=date(2026, 1, 5), end=date(2026, 1, 12))) == 2


def test_load_runs_a_fixed_number_of_statements(db, world, make_set, count_queries):
    with count_queries() as before:
        report.load(Filters())
    for _n in range(3):
        extra = make_set(sessions=5, intake=world["intake_a"])
        for session in extra.sessions[:3]:
            session.closed_at = session.ends_at
    db.session.flush()
    with count_queries() as after:
        rows = report.load(Filters())
    assert len(rows["sets"]) == 5
    assert before.count == after.count == 5


def test_nothing_confidential_or_naming_trainees(world):
    rows = report.load(Filters())
    assert_plain_and_without(report, rows, "SECRET", "Secretname")
