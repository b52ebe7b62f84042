"""The module completion report: builder on hand-made rows, loader on a small database
with answers known in advance."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from lms.accounts.models import Region, Role
from lms.applications.models import IntakeFacilitator
from lms.curriculum.models import (
    ActivityProgress,
    Module,
    ModuleCompletion,
    ModuleVersion,
    QuizAttempt,
    Reflection,
)
from lms.extensions import db
from lms.reports.base import Filters
from lms.reports.modules import ModulesReport

report = ModulesReport()


def tables_of(rows):
    return {table.key: table for table in report.build(rows)}


# --- build ------------------------------------------------------------------------------


def test_rates_per_module_and_intake():
    rows = {
        "modules": [
            {
                "module_id": 1,
                "slug": "revans",
                "title": "Revans",
                "is_core": True,
                "facilitators": 8,
                "started": 6,
                "completed": 3,
            },
            {
                "module_id": 2,
                "slug": "online",
                "title": "Online sets",
                "is_core": False,
                "facilitators": 8,
                "started": 0,
                "completed": 0,
            },
        ],
        "checks": [
            {"module_id": 1, "checks": 4, "attempts": 7, "first_passed": 1, "passed": 3},
        ],
        "intakes": [
            {"intake_id": 5, "intake": "Spring", "facilitators": 6, "core_complete": 2},
            {"intake_id": 6, "intake": "Autumn", "facilitators": 0, "core_complete": 0},
        ],
    }
    tables = tables_of(rows)
    modules = tables["modules"].frame
    assert list(modules["title"]) == ["Revans", "Online sets"]  # the order given
    first, second = modules.iloc[0], modules.iloc[1]
    assert first["completion_pct"] == 37.5
    assert first["attempts"] == 7 and first["checks"] == 4
    assert first["first_pass_pct"] == 25.0 and first["pass_pct"] == 75.0
    assert first["kind"] == "Core" and second["kind"] == "Optional"
    assert second["completion_pct"] == 0.0
    assert second["attempts"] == 0 and pd.isna(second["first_pass_pct"])
    intakes = tables["intakes"].frame
    assert intakes["core_complete_pct"].iloc[0] == 33.3
    assert pd.isna(intakes["core_complete_pct"].iloc[1])


def test_empty_rows_give_empty_tables():
    tables = report.build({})
    assert [t.key for t in tables] == ["modules", "intakes"]
    for table in tables:
        assert table.frame.empty
        table.labelled()
    assert report.charts()[0].table == "modules"


# --- load -------------------------------------------------------------------------------


def at(day: int) -> datetime:
    return datetime(2025, 4, day, 10, 0, tzinfo=UTC)


def make_module(slug: str, position: int, core: bool = True, retired: bool = False) -> Module:
    module = Module(slug=slug, version=1, retired_at=at(1) if retired else None)
    db.session.add(module)
    db.session.flush()
    db.session.add(
        ModuleVersion(
            module_id=module.id,
            number=1,
            content_hash="x" * 64,
            title=slug.title(),
            summary="",
            position=position,
            is_core=core,
            estimated_minutes=30,
            source=f"{slug}.md",
        )
    )
    db.session.flush()
    return module


@pytest.fixture
def world(make_user, make_intake, make_organisation):
    """Two core modules and an optional one; intake A has three facilitators in London
    (Ann completes both core modules, Bob one, Cat only starts), intake B one in Wales."""
    london = make_organisation(name="London Trust", region=Region.LONDON)
    wales = make_organisation(name="Welsh Board", region=Region.WALES)
    core2 = make_module("core-two", 2)
    core1 = make_module("core-one", 1)
    extra = make_module("extra", 3, core=False)
    make_module("old", 0, retired=True)
    intake_a, intake_b = make_intake(name="Intake A"), make_intake(name="Intake B")
    ann, bob, cat = (make_user(Role.FACILITATOR, organisation=london) for _ in range(3))
    dai = make_user(Role.FACILITATOR, organisation=wales)
    gone = make_user(Role.FACILITATOR, organisation=london)
    for person, intake in ((ann, intake_a), (bob, intake_a), (cat, intake_a), (dai, intake_b)):
        db.session.add(IntakeFacilitator(intake_id=intake.id, user_id=person.id))
    db.session.add(IntakeFacilitator(intake_id=intake_a.id, user_id=gone.id, left_at=at(2)))

    def did(person, module, day, key="read"):
        db.session.add(
            ActivityProgress(
                user_id=person.id,
                module_id=module.id,
                activity_key=key,
                version=1,
                completed_at=at(day),
            )
        )

    def completed(person, module, day):
        db.session.add(
            ModuleCompletion(
                user_id=person.id, module_id=module.id, version=1, completed_at=at(day)
            )
        )

    def tried(person, module, day, passed, key="check"):
        db.session.add(
            QuizAttempt(
                user_id=person.id,
                module_id=module.id,
                activity_key=key,
                version=1,
                answers={},
                score=3 if passed else 1,
                total=3,
                is_passed=passed,
                created_at=at(day),
            )
        )

    did(ann, core1, 3)
    completed(ann, core1, 4)
    did(ann, core2, 5)
    completed(ann, core2, 10)
    did(bob, core1, 3)
    completed(bob, core1, 6)
    did(cat, core1, 12)
    did(cat, extra, 12)
    completed(dai, core1, 7)
    completed(dai, core2, 8)
    completed(gone, core1, 3)  # left the intake: not counted
    # core-one's check: Ann passes first time; Bob fails twice then passes; Cat fails.
    tried(ann, core1, 4, True)
    tried(bob, core1, 4, False)
    tried(bob, core1, 5, False)
    tried(bob, core1, 6, True)
    tried(cat, core1, 12, False)
    tried(gone, core1, 3, True)
    db.session.add(
        Reflection(
            user_id=ann.id,
            module_id=core1.id,
            activity_key="reflect",
            version=1,
            title="Reflection",
            prompt="What?",
            answer="SECRET-REFLECTION",
        )
    )
    db.session.flush()
    return {"a": intake_a, "b": intake_b, "london": london, "wales": wales}


def modules_of(rows):
    return {r["slug"]: (r["facilitators"], r["started"], r["completed"]) for r in rows["modules"]}


def test_load_counts_modules_checks_and_intakes(world):
    rows = report.load(Filters())
    assert [r["slug"] for r in rows["modules"]] == ["core-one", "core-two", "extra"]
    assert modules_of(rows) == {
        "core-one": (4, 4, 3),
        "core-two": (4, 2, 2),
        "extra": (4, 1, 0),
    }
    checks = rows["checks"]
    assert len(checks) == 1
    assert {k: v for k, v in checks[0].items() if k != "module_id"} == {
        "checks": 3,
        "attempts": 5,
        "first_passed": 1,
        "passed": 2,
    }
    intakes = {r["intake"]: (r["facilitators"], r["core_complete"]) for r in rows["intakes"]}
    assert intakes == {"Intake A": (3, 1), "Intake B": (1, 1)}
    built = tables_of(rows)
    core_one = built["modules"].frame.iloc[0]
    assert core_one["completion_pct"] == 75.0
    assert core_one["first_pass_pct"] == 33.3 and core_one["pass_pct"] == 66.7
    assert report.size(Filters()) == 4


@pytest.mark.parametrize(
    ("filters", "expected", "intakes"),
    [
        (
            lambda w: Filters(intake_id=w["a"].id),
            {"core-one": (3, 3, 2), "core-two": (3, 1, 1), "extra": (3, 1, 0)},
            {"Intake A": (3, 1)},
        ),
        (
            lambda w: Filters(region="wales"),
            {"core-one": (1, 1, 1), "core-two": (1, 1, 1), "extra": (1, 0, 0)},
            {"Intake B": (1, 1)},
        ),
        (
            lambda w: Filters(organisation_id=w["london"].id),
            {"core-one": (3, 3, 2), "core-two": (3, 1, 1), "extra": (3, 1, 0)},
            {"Intake A": (3, 1)},
        ),
        (
            # Completed on 6-8 April: Bob's core-one, Dai's core-one and core-two (the last
            # of Dai's core modules, so Dai completed the core in these dates; Ann did not).
            lambda w: Filters(start=date(2025, 4, 6), end=date(2025, 4, 8)),
            {"core-one": (4, 2, 2), "core-two": (4, 1, 1), "extra": (4, 0, 0)},
            {"Intake A": (3, 0), "Intake B": (1, 1)},
        ),
    ],
)
def test_each_filter_narrows(world, filters, expected, intakes):
    chosen = filters(world)
    rows = report.load(chosen)
    assert modules_of(rows) == expected
    assert {r["intake"]: (r["facilitators"], r["core_complete"]) for r in rows["intakes"]} == (
        intakes
    )


def test_checks_belong_to_the_dates_of_their_first_attempt(world):
    rows = report.load(Filters(start=date(2025, 4, 5)))
    # Only Cat's check began on or after 5 April (Bob's began on the 4th).
    assert [(r["checks"], r["attempts"], r["passed"]) for r in rows["checks"]] == [(1, 1, 0)]


def test_no_confidential_text(world):
    rows = report.load(Filters())
    assert "SECRET" not in repr(rows)
    for table in report.build(rows):
        assert "SECRET" not in table.frame.to_csv()


def test_fixed_number_of_statements(world, make_user, count_queries):
    with count_queries() as few:
        report.load(Filters())
    module = db.session.scalar(db.select(Module).where(Module.slug == "extra"))
    for _ in range(5):
        person = make_user(Role.FACILITATOR)
        db.session.add(IntakeFacilitator(intake_id=world["b"].id, user_id=person.id))
        db.session.add(
            ModuleCompletion(user_id=person.id, module_id=module.id, version=1, completed_at=at(9))
        )
        db.session.add(
            QuizAttempt(
                user_id=person.id,
                module_id=module.id,
                activity_key="check",
                version=1,
                answers={},
                score=3,
                total=3,
                is_passed=True,
                created_at=at(9),
            )
        )
    db.session.flush()
    with count_queries() as many:
        rows = report.load(Filters())
    assert few.count == many.count == 3
    assert modules_of(rows)["extra"] == (9, 6, 5)
