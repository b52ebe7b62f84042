"""The supervision attendance report: builder on hand-made rows, loader on a small
database with answers known in advance."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from lms.accounts.models import Region, Role
from lms.assessment.models import AwardScheme
from lms.curriculum.models import AttendanceStatus
from lms.db_types import utcnow
from lms.extensions import db
from lms.reports.base import Filters
from lms.reports.supervision import DEFAULT_REQUIRED, SupervisionReport
from lms.supervision.models import (
    GroupMembership,
    PrivateNote,
    SessionMode,
    SupervisionAttendance,
    SupervisionCase,
    SupervisionGroup,
    SupervisionSession,
)

P, A, X = AttendanceStatus.PRESENT, AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT
SECRET = "SECRET-CASE"
report = SupervisionReport()


def tables_of(rows):
    return {table.key: table for table in report.build(rows)}


# --- build ------------------------------------------------------------------------------


def test_rates_and_requirement_from_hand_made_rows():
    group = {"intake_id": 1, "intake": "Spring", "supervisor": "Sam", "cancelled": 1}
    rows = {
        "groups": [
            {**group, "group_id": 10, "group": "Red", "held": 4, "facilitators": 2},
            {**group, "group_id": 11, "group": "Blue", "held": 2, "facilitators": 1},
        ],
        "attendance": [
            {"user_id": 1, "group_id": 10, "intake_id": 1, "expected": 4, "attended": 4},
            {"user_id": 2, "group_id": 10, "intake_id": 1, "expected": 2, "attended": 1},
            {"user_id": 2, "group_id": 11, "intake_id": 1, "expected": 2, "attended": 2},
        ],
        "facilitators": [
            {
                "user_id": 1,
                "facilitator": "Ann",
                "intake_id": 1,
                "intake": "Spring",
                "group": "Red",
            },
            {
                "user_id": 2,
                "facilitator": "Bob",
                "intake_id": 1,
                "intake": "Spring",
                "group": "Blue",
            },
            {"user_id": 3, "facilitator": "Cy", "intake_id": 1, "intake": "Spring", "group": None},
        ],
        "requirements": [{"intake_id": 1, "required": 3}],
    }
    tables = tables_of(rows)
    assert [t.key for t in report.build(rows)] == ["intakes", "groups", "facilitators"]

    groups = tables["groups"].frame.set_index("group")
    assert groups.loc["Red", "attendance_pct"] == 83.3  # 5 of 6
    assert groups.loc["Blue", "attendance_pct"] == 100.0

    people = tables["facilitators"].frame.set_index("facilitator")
    assert people.loc["Bob", "attended"] == 3 and people.loc["Bob", "expected"] == 4
    assert people.loc["Bob", "attendance_pct"] == 75.0
    assert list(people["meets_label"]) == ["Yes", "Yes", "No"]
    assert people.loc["Cy", "expected"] == 0 and pd.isna(people.loc["Cy", "attendance_pct"])

    intake = tables["intakes"].frame.iloc[0]
    assert intake["groups"] == 2 and intake["held"] == 6 and intake["cancelled"] == 2
    assert intake["facilitators"] == 3 and intake["meeting"] == 2
    assert intake["attendance_pct"] == 87.5  # 7 of 8
    assert intake["meeting_pct"] == 66.7


def test_not_required_and_default_requirement():
    rows = {
        "facilitators": [
            {"user_id": 1, "facilitator": "Ann", "intake_id": 1, "intake": "A", "group": "G"},
            {"user_id": 2, "facilitator": "Bob", "intake_id": 2, "intake": "B", "group": "H"},
        ],
        "requirements": [{"intake_id": 1, "required": 0}],
    }
    people = tables_of(rows)["facilitators"].frame.set_index("facilitator")
    assert people.loc["Ann", "meets_label"] == "Not required"
    assert people.loc["Bob", "required"] == DEFAULT_REQUIRED == 6
    assert people.loc["Bob", "meets_label"] == "No"


def test_empty_rows_give_empty_tables():
    tables = report.build({})
    assert [t.key for t in tables] == ["intakes", "groups", "facilitators"]
    for table in tables:
        assert table.frame.empty
        table.labelled()
    assert [c.table for c in report.charts()] == ["intakes"]


# --- load -------------------------------------------------------------------------------


def day(n: int) -> datetime:
    return datetime(2025, 5, n, 10, 0, tzinfo=UTC)


@pytest.fixture
def world(make_user, make_intake, make_organisation):
    """Intake A (its award asks for 2 sessions): group Red (Ann, Bob, and Cat until the
    15th) and group Blue (Cat from the 15th, Eve from Wales). Intake B (the default 6):
    group Green (Dai, from Wales)."""
    london = make_organisation(name="London Trust", region=Region.LONDON)
    wales = make_organisation(name="Welsh Board", region=Region.WALES)
    intake_a, intake_b = make_intake(name="Intake A"), make_intake(name="Intake B")
    db.session.add(
        AwardScheme(
            intake_id=intake_a.id,
            requirements={"supervision_sessions": {"required": True, "threshold": 2}},
        )
    )
    sam = make_user(Role.SUPERVISOR, name="Sam Supervisor")
    sue = make_user(Role.SUPERVISOR, name="Sue Supervisor")
    ann, bob, cat = (
        make_user(Role.FACILITATOR, name=name, organisation=london)
        for name in ("Ann", "Bob", "Cat")
    )
    eve = make_user(Role.FACILITATOR, name="Eve", organisation=wales)
    dai = make_user(Role.FACILITATOR, name="Dai", organisation=wales)

    def group(intake, name, supervisor, *spells):
        made = SupervisionGroup(intake_id=intake.id, name=name, supervisor_id=supervisor.id)
        db.session.add(made)
        db.session.flush()
        for person, joined, left in spells:
            db.session.add(
                GroupMembership(
                    group_id=made.id, user_id=person.id, joined_at=day(joined), left_at=left
                )
            )
        return made

    red = group(intake_a, "Red", sam, (ann, 1, None), (bob, 1, None), (cat, 1, day(15)))
    blue = group(intake_a, "Blue", sue, (cat, 15, None), (eve, 1, None))
    green = group(intake_b, "Green", sam, (dai, 1, None))

    def session(of, when, register=(), **fields):
        made = SupervisionSession(
            group_id=of.id,
            starts_at=when,
            ends_at=when + timedelta(minutes=90),
            mode=SessionMode.ONLINE,
            shared_summary=SECRET,
            **fields,
        )
        made.attendance = [SupervisionAttendance(user_id=p.id, status=s) for p, s in register]
        db.session.add(made)
        db.session.flush()
        return made

    first = session(red, day(5), [(ann, P), (bob, P), (cat, P)])
    session(red, day(10), [(ann, P), (bob, X), (cat, A)])
    session(red, day(20), [(ann, P), (bob, P)])
    session(red, day(25), cancelled_at=day(24), cancel_reason=SECRET)
    session(red, utcnow() + timedelta(days=10))  # not held yet
    session(blue, day(20), [(cat, P), (eve, X)])
    session(green, day(8), [(dai, P)])
    db.session.add(PrivateNote(session_id=first.id, author_id=sam.id, text=SECRET))
    db.session.add(
        SupervisionCase(
            user_id=ann.id,
            group_id=red.id,
            session_id=first.id,
            what_happened=SECRET,
            help_wanted=SECRET,
            response=SECRET,
        )
    )
    db.session.flush()
    return {"a": intake_a, "b": intake_b, "london": london, "wales": wales}


def groups_of(rows):
    expected = {}
    for row in rows["attendance"]:
        expected.setdefault(row["group_id"], [0, 0])
        expected[row["group_id"]][0] += row["attended"]
        expected[row["group_id"]][1] += row["expected"]
    return {
        r["group"]: (
            r["held"],
            r["cancelled"],
            r["facilitators"],
            *expected.get(r["group_id"], [0, 0]),
        )
        for r in rows["groups"]
    }


def people_of(tables):
    frame = tables["facilitators"].frame
    return {
        r.facilitator: (r.group, r.attended, r.expected, r.meets_label) for r in frame.itertuples()
    }


def test_load_counts_groups_and_facilitators(world):
    rows = report.load(Filters())
    # held, cancelled, current members; attended, expected (person-sessions)
    assert groups_of(rows) == {
        "Red": (3, 1, 2, 6, 8),
        "Blue": (1, 0, 2, 1, 2),
        "Green": (1, 0, 1, 1, 1),
    }
    assert [(r["group"], r["supervisor"], r["intake"]) for r in rows["groups"]] == [
        ("Blue", "Sue Supervisor", "Intake A"),
        ("Red", "Sam Supervisor", "Intake A"),
        ("Green", "Sam Supervisor", "Intake B"),
    ]
    tables = tables_of(rows)
    assert people_of(tables) == {
        "Ann": ("Red", 3, 3, "Yes"),
        "Bob": ("Red", 2, 3, "Yes"),
        "Cat": ("Blue", 2, 3, "Yes"),  # moved: Red's sessions while there, then Blue's
        "Eve": ("Blue", 0, 1, "No"),
        "Dai": ("Green", 1, 1, "No"),  # intake B needs the default 6
    }
    intakes = tables["intakes"].frame.set_index("intake")
    assert intakes.loc["Intake A", "attendance_pct"] == 70.0  # 7 of 10
    assert intakes.loc["Intake A", "meeting_pct"] == 75.0
    assert intakes.loc["Intake B", "attendance_pct"] == 100.0
    assert intakes.loc["Intake B", "meeting"] == 0
    assert report.size(Filters()) == 7


@pytest.mark.parametrize(
    ("filters", "groups", "people", "size"),
    [
        (
            lambda w: Filters(intake_id=w["b"].id),
            {"Green": (1, 0, 1, 1, 1)},
            {"Dai"},
            1,
        ),
        (
            lambda w: Filters(region="wales"),
            {"Blue": (1, 0, 1, 0, 1), "Green": (1, 0, 1, 1, 1)},
            {"Eve", "Dai"},
            2,
        ),
        (
            lambda w: Filters(organisation_id=w["london"].id),
            {"Red": (3, 1, 2, 6, 8), "Blue": (1, 0, 1, 1, 1)},
            {"Ann", "Bob", "Cat"},
            6,
        ),
        (
            lambda w: Filters(start=date(2025, 5, 9), end=date(2025, 5, 21)),
            {"Red": (2, 0, 2, 3, 5), "Blue": (1, 0, 2, 1, 2), "Green": (0, 0, 1, 0, 0)},
            {"Ann", "Bob", "Cat", "Eve", "Dai"},
            3,
        ),
    ],
)
def test_each_filter_narrows(world, filters, groups, people, size):
    chosen = filters(world)
    rows = report.load(chosen)
    assert groups_of(rows) == groups
    assert set(people_of(tables_of(rows))) == people
    assert report.size(chosen) == size  # sessions of the groups in scope


def test_dates_narrow_what_counts_towards_the_award(world):
    rows = report.load(Filters(start=date(2025, 5, 9), end=date(2025, 5, 21)))
    people = people_of(tables_of(rows))
    assert people["Bob"] == ("Red", 1, 2, "No")
    assert people["Cat"] == ("Blue", 1, 2, "No")
    assert report.size(Filters(start=date(2025, 5, 9), end=date(2025, 5, 21))) == 3


def test_no_confidential_text(world):
    rows = report.load(Filters())
    assert "SECRET" not in repr(rows)
    for table in report.build(rows):
        assert "SECRET" not in table.frame.to_csv()


def test_fixed_number_of_statements(world, make_user, count_queries):
    with count_queries() as few:
        report.load(Filters())
    green = db.session.scalar(db.select(SupervisionGroup).filter_by(name="Green"))
    extra = SupervisionSession(
        group_id=green.id,
        starts_at=day(12),
        ends_at=day(12) + timedelta(hours=1),
        mode=SessionMode.ONLINE,
    )
    for _ in range(5):
        person = make_user(Role.FACILITATOR)
        db.session.add(GroupMembership(group_id=green.id, user_id=person.id, joined_at=day(1)))
        extra.attendance.append(SupervisionAttendance(user_id=person.id, status=P))
    db.session.add(extra)
    db.session.flush()
    with count_queries() as many:
        rows = report.load(Filters())
    assert few.count == many.count == 4
    # The newcomers joined on the 1st, so were expected on the 8th too.
    assert groups_of(rows)["Green"] == (2, 0, 6, 6, 12)
