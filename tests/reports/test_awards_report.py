"""The award pipeline report: stage and criteria counts from hand-made rows, and the
loader against a small database (stages as the leads' pipeline decides them, filters and
a fixed number of statements)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from lms.accounts.models import Region, Role
from lms.assessment.models import Award, AwardScheme, PortfolioSubmission, SubmissionStatus
from lms.assessment.pipeline import pipeline
from lms.curriculum.services import join_intake
from lms.db_types import utcnow
from lms.reports.awards import KINDS, STAGES, AwardsReport
from lms.reports.base import Filters
from tests.assessment.conftest import EvidenceBuilder
from tests.reports.checks import assert_plain_and_without

report = AwardsReport()


def tables(rows):
    return {t.key: t for t in report.build(rows)}


# --- Builder -------------------------------------------------------------------------------------


def person(intake, stage, met=(), required=None):
    """A loaded row: ``met`` the kinds met; kinds outside ``required`` are None."""
    name, starts, intake_id = intake
    required = KINDS if required is None else required
    return {
        "intake_id": intake_id,
        "intake_name": name,
        "intake_starts": starts,
        "stage": stage,
        **{k: (k in met) if k in required else None for k in KINDS},
    }


SPRING = ("Spring", date(2026, 4, 1), 1)
AUTUMN = ("Autumn", date(2026, 9, 1), 2)
ALL = tuple(KINDS)
NO_BUDDY = [k for k in KINDS if k != "buddy_check_ins"]


def hand_rows():
    return {
        "people": [
            person(AUTUMN, "in_progress", ["core_modules"], NO_BUDDY),
            person(AUTUMN, "ready", NO_BUDDY, NO_BUDDY),
            person(SPRING, "in_progress", ["core_modules", "session_logs"]),
            person(SPRING, "in_progress", ["core_modules"]),
            person(SPRING, "ready", ALL),
            person(SPRING, "submitted", ALL),
            person(SPRING, "returned", ["core_modules"]),
            person(SPRING, "awarded", ALL),
            person(SPRING, "awarded", ALL),
            person(SPRING, "expired", ALL),
            person(SPRING, "revoked", ALL),
        ]
    }


def test_by_intake_counts_stages_and_criteria():
    by_intake = tables(hand_rows())["by_intake"]
    frame = by_intake.frame
    assert list(frame["intake_name"]) == ["Spring", "Autumn"]
    spring = frame.iloc[0]
    assert spring["facilitators"] == 9
    assert [spring[s] for s in STAGES] == [2, 1, 1, 1, 2, 1, 1]
    assert spring["met_core_modules"] == 9
    assert spring["met_session_logs"] == 7
    assert spring["met_buddy_check_ins"] == 6
    autumn = frame.iloc[1]
    assert autumn["facilitators"] == 2
    assert [autumn[s] for s in STAGES] == [1, 1, 0, 0, 0, 0, 0]
    assert autumn["met_core_modules"] == 2
    assert autumn["met_supervision_sessions"] == 1
    assert autumn["met_buddy_check_ins"] is None  # not asked for in that intake
    assert by_intake.headings["met_core_modules"] == "Meeting: All core modules complete"
    assert by_intake.headings["expired"] == "Expired"
    assert by_intake.headings["ready"] == "Ready to submit"


def test_programme_stages_and_criteria():
    built = tables(hand_rows())
    stages = built["stages"].frame
    assert list(stages["stage"]) == STAGES
    assert list(stages["facilitators"]) == [3, 2, 1, 1, 2, 1, 1]
    assert stages.set_index("stage").loc["awarded", "share_pct"] == round(100 * 2 / 11, 1)
    assert "expired" in built["stages"].note.lower()
    found = built["criteria"].frame.set_index("criterion")
    assert found.loc["buddy_check_ins", "applies_to"] == 9
    assert found.loc["buddy_check_ins", "meeting"] == 6
    assert found.loc["buddy_check_ins", "meeting_pct"] == 66.7
    assert found.loc["core_modules", "meeting"] == 11
    assert found.loc["core_modules", "meeting_pct"] == 100.0
    (chart,) = report.charts()
    assert chart.table == "stages" and chart.label == "stage_label"
    assert set(chart.values) <= set(built["stages"].frame.columns)


def test_empty_rows():
    for rows in ({}, {"people": []}):
        built = tables(rows)
        assert len(built["by_intake"].frame) == 0
        assert list(built["stages"].frame["facilitators"]) == [0] * len(STAGES)
        assert list(built["criteria"].frame["meeting_pct"]) == [None] * len(KINDS)
        for table in built.values():
            assert set(table.headings) <= set(table.frame.columns), table.key
            table.labelled()


# --- Loader --------------------------------------------------------------------------------------

SUBMITTED_ON = datetime(2026, 2, 10, 12, tzinfo=UTC)
AWARDED_ON = datetime(2026, 3, 10, 12, tzinfo=UTC)


@pytest.fixture
def evidence_maker(db, make_user, make_set):
    return EvidenceBuilder(make_user, make_set)


def submit(db, user, intake, status, when=SUBMITTED_ON):
    submission = PortfolioSubmission(
        user_id=user.id,
        intake_id=intake.id,
        status=status,
        personal_email=f"personal.{user.id}@example.net",
        statement="SECRET-STATEMENT",
        snapshot={},
        submitted_at=when,
    )
    db.session.add(submission)
    db.session.flush()
    return submission


def award(db, user, intake, **fields):
    submission = submit(db, user, intake, SubmissionStatus.AWARDED)
    made = Award(
        user_id=user.id,
        intake_id=intake.id,
        submission_id=submission.id,
        holder_name=user.name,
        holder_email=submission.personal_email,
        issued_at=AWARDED_ON,
        **fields,
    )
    db.session.add(made)
    db.session.flush()
    return made


@pytest.fixture
def world(db, make_user, make_organisation, make_intake, evidence_maker):
    """Intake A (default criteria), London: Rhea meets every criterion; Ivan has 6
    supervision sessions only; Sue has submitted; Rob was returned; Ada is awarded; Eve's
    award expired; Val's was revoked. Intake B (no buddy check-ins asked), Wales: Wyn has
    nothing yet."""
    london, wales = make_organisation(region=Region.LONDON), make_organisation(region=Region.WALES)
    intake_a, intake_b = make_intake(name="Intake A"), make_intake(name="Intake B")
    db.session.add(
        AwardScheme(intake_id=intake_b.id, requirements={"buddy_check_ins": {"required": False}})
    )

    def facilitator(name, intake, organisation=london):
        user = make_user(Role.FACILITATOR, name=name, organisation=organisation)
        join_intake(intake, user)
        return user

    rhea = facilitator("Rhea Ready", intake_a)
    evidence_maker.supervision(rhea, intake_a, count=6)
    practice_set = evidence_maker.practice_set(rhea, intake_a, held=6, logs=6)
    evidence_maker.observations(rhea, practice_set, count=2)
    evidence_maker.check_ins(rhea, intake_a, count=4)
    ivan = facilitator("Ivan Inprogress", intake_a)
    evidence_maker.supervision(ivan, intake_a, count=6)
    submit(db, facilitator("Sue Submitted", intake_a), intake_a, SubmissionStatus.SUBMITTED)
    rob = facilitator("Rob Returned", intake_a)
    submit(db, rob, intake_a, SubmissionStatus.RETURNED, when=SUBMITTED_ON - timedelta(days=30))
    award(db, facilitator("Ada Awarded", intake_a), intake_a)
    award(db, facilitator("Eve Expired", intake_a), intake_a,
          expires_at=utcnow() - timedelta(days=1))  # fmt: skip
    award(db, facilitator("Val Revoked", intake_a), intake_a,
          revoked_at=AWARDED_ON + timedelta(days=5), revoke_reason="SECRET-REASON")  # fmt: skip
    join_intake(intake_a, facilitator("Lee Left", intake_a)).left_at = utcnow()
    facilitator("Wyn Wales", intake_b, wales)
    db.session.flush()
    return {"intake_a": intake_a, "intake_b": intake_b, "london": london, "rhea": rhea}


def stages_of(rows):
    found = {}
    for row in rows["people"]:
        found.setdefault(row["intake_name"], []).append(row["stage"])
    return {name: sorted(stages) for name, stages in found.items()}


def test_load_places_everyone_as_the_pipeline_does(world):
    rows = report.load(Filters())
    assert stages_of(rows) == {
        "Intake A": sorted(
            ["ready", "in_progress", "submitted", "returned", "awarded", "expired", "revoked"]
        ),
        "Intake B": ["in_progress"],
    }
    ready = next(r for r in rows["people"] if r["stage"] == "ready")
    assert all(ready[k] is True for k in KINDS)
    wyn = next(r for r in rows["people"] if r["intake_name"] == "Intake B")
    assert wyn["buddy_check_ins"] is None  # not asked for
    assert wyn["core_modules"] is True  # no core modules synced: nothing missing
    assert wyn["supervision_sessions"] is False

    built = tables(rows)
    a = built["by_intake"].frame.set_index("intake_name").loc["Intake A"]
    assert a["facilitators"] == 7  # Lee has left
    assert a["met_supervision_sessions"] == 2  # Rhea and Ivan
    assert a["met_observations_signed_off"] == 1
    assert a["ready"] == 1 and a["expired"] == 1 and a["awarded"] == 1
    assert report.size(Filters()) == 8


def test_counts_agree_with_the_leads_pipeline(world):
    """The report decides stages and criteria as the pipeline page does (expired apart)."""
    found = pipeline(world["intake_a"])
    rows = report.load(Filters(intake_id=world["intake_a"].id))["people"]
    stages = Counter("awarded" if r["stage"] == "expired" else r["stage"] for r in rows)
    assert stages == Counter(p.stage.value for p in found.people)
    assert {k.value: n for k, n in found.meeting.items()} == {
        k: sum(1 for r in rows if r[k]) for k in KINDS
    }


def test_filters_narrow(world):
    assert stages_of(report.load(Filters(intake_id=world["intake_b"].id))) == {
        "Intake B": ["in_progress"]
    }
    assert set(stages_of(report.load(Filters(region=Region.WALES.value)))) == {"Intake B"}
    assert set(stages_of(report.load(Filters(organisation_id=world["london"].id)))) == {"Intake A"}
    assert report.size(Filters(region=Region.WALES.value)) == 1
    # February: Sue submitted then; awards (March) and Rob (January) fall outside.
    february = report.load(Filters(start=date(2026, 2, 1), end=date(2026, 2, 28)))
    assert stages_of(february) == {"Intake A": ["submitted"]}
    march = report.load(Filters(start=date(2026, 3, 1)))
    assert stages_of(march) == {"Intake A": ["awarded", "expired", "revoked"]}


def test_load_runs_a_fixed_number_of_statements(db, world, make_user, count_queries):
    with count_queries() as before:
        report.load(Filters())
    for n in range(5):
        user = make_user(Role.FACILITATOR, name=f"More {n}")
        join_intake(world["intake_b"], user)
        award(db, user, world["intake_b"])
    db.session.flush()
    with count_queries() as after:
        rows = report.load(Filters())
    assert len(rows["people"]) == 13
    assert before.count == after.count == 5


def test_nothing_confidential(world):
    rows = report.load(Filters())
    assert_plain_and_without(report, rows, "SECRET", "Rhea")  # counts only: nobody is named
