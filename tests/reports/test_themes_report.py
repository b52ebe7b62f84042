"""The cohort themes and feedback report: builder arithmetic and small-number suppression
from hand-made rows, and the loader against a small database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lms.accounts.models import Region, Role
from lms.practice.models import FeedbackResponse, Presentation, Theme
from lms.reports.base import Filters
from lms.reports.themes import QUESTIONS, ThemesReport
from tests.reports.checks import assert_plain_and_without

report = ThemesReport()
FEW = "Numbers from fewer than 3 responses are not shown."


def tables(rows):
    return {t.key: t for t in report.build(rows)}


def feedback_row(responses, agree, total, **keys):
    """A loaded feedback row: the same agree count and score total for every question."""
    row = dict(keys, responses=responses)
    for q in QUESTIONS:
        row[f"{q}_agree"] = agree
        row[f"{q}_total"] = total
    return row


# --- Builder -------------------------------------------------------------------------------------

SPRING, AUTUMN = date(2026, 4, 1), date(2026, 9, 1)


def hand_rows():
    spring = {"intake_id": 1, "intake_name": "Spring", "intake_starts": SPRING}
    autumn = {"intake_id": 2, "intake_name": "Autumn", "intake_starts": AUTUMN}
    return {
        "themes": [
            {**autumn, "theme": "escalation", "n": 2},
            {**autumn, "theme": "wellbeing", "n": 7},
            {**spring, "theme": "escalation", "n": 5},
            {**spring, "theme": "rota_workflow", "n": 1},
            {**spring, "theme": None, "n": 3},
        ],
        "feedback_by_intake": [
            feedback_row(4, agree=3, total=16, **spring),
            feedback_row(2, agree=2, total=10, **autumn),
        ],
        "feedback_by_facilitator": [
            feedback_row(4, agree=1, total=12, user_id=7, name="Zara"),
            feedback_row(2, agree=2, total=10, user_id=8, name="Abe"),
        ],
    }


def test_theme_counts_overall_and_by_intake_with_small_counts_hidden():
    built = tables(hand_rows())
    overall = built["themes"].frame.set_index("theme")
    assert overall.loc["escalation", "presentations"] == 7
    assert overall.loc["wellbeing", "presentations"] == 7
    assert overall.loc["rota_workflow", "presentations"] == 1  # overall is not suppressed
    assert overall.loc["delegation", "presentations"] == 0  # every theme has a row
    assert overall.loc["untagged", "presentations"] == 3
    assert overall.loc["escalation", "share_pct"] == round(100 * 7 / 18, 1)
    assert overall.loc["escalation", "theme_label"] == "Escalation and SBAR"
    assert list(overall.index)[-1] == "untagged"

    by_intake = built["themes_by_intake"]
    frame = by_intake.frame
    assert list(frame["intake_name"]) == ["Spring", "Autumn"]
    spring, autumn = frame.iloc[0], frame.iloc[1]
    assert spring["presentations"] == 9
    assert spring["escalation"] == 5
    assert spring["rota_workflow"] is None  # 1: hidden
    assert spring["untagged"] == 3
    assert spring["delegation"] == 0  # 0 is shown
    assert autumn["escalation"] is None  # 2: hidden
    assert autumn["wellbeing"] == 7
    assert "1 or 2" in by_intake.note
    assert by_intake.headings["escalation"] == "Escalation and SBAR"


def test_feedback_agreement_and_suppression():
    built = tables(hand_rows())
    by_intake = built["feedback_by_intake"]
    spring, autumn = by_intake.frame.iloc[0], by_intake.frame.iloc[1]
    assert spring["responses"] == 4
    assert spring["kept_to_time_pct"] == 75.0
    assert autumn["responses"] is None  # 2 responses: every cell blank
    assert all(autumn[f"{q}_pct"] is None for q in QUESTIONS)
    assert FEW in by_intake.note

    people = built["feedback_by_facilitator"].frame
    assert list(people["name"]) == ["Abe", "Zara"]
    assert people.iloc[0]["fair_say_pct"] is None
    assert people.iloc[1]["fair_say_pct"] == 25.0
    assert FEW in built["feedback_by_facilitator"].note

    # Overall: 6 responses, 5 agreed to each statement; mean (16 + 10) / 6.
    questions = built["feedback"].frame.set_index("question")
    assert questions.loc["clear_action", "responses"] == 6
    assert questions.loc["clear_action", "agree_pct"] == 83.3
    assert questions.loc["clear_action", "mean"] == 4.3
    assert questions.loc["kept_to_time", "question_label"].startswith("The facilitator kept")


def test_overall_feedback_from_too_few_responses_is_hidden():
    rows = hand_rows()
    rows["feedback_by_intake"] = rows["feedback_by_intake"][1:]  # 2 responses in all
    questions = tables(rows)["feedback"].frame
    assert list(questions["agree_pct"]) == [None] * 4
    assert list(questions["responses"]) == [None] * 4


def test_empty_rows_and_charts():
    for rows in ({}, {k: [] for k in hand_rows()}):
        built = tables(rows)
        assert len(built["themes"].frame) == 8  # every theme, counted 0
        assert built["themes"].frame["presentations"].sum() == 0
        for key in ("themes_by_intake", "feedback_by_intake", "feedback_by_facilitator"):
            assert len(built[key].frame) == 0
        for table in built.values():
            assert set(table.headings) <= set(table.frame.columns), table.key
            table.labelled()
    charts = {c.table: c for c in report.charts()}
    assert set(charts) == {"themes", "feedback"}
    assert charts["feedback"].percent
    built = tables(hand_rows())
    for chart in charts.values():
        assert {chart.label, *chart.values} <= set(built[chart.table].frame.columns)


# --- Loader --------------------------------------------------------------------------------------

JAN = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
MARCH = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def answer(session, kept=4, fair=4, questions=4, clear=4):
    return FeedbackResponse(
        session_id=session.id,
        kept_to_time=kept,
        fair_say=fair,
        questions_helped=questions,
        clear_action=clear,
        comment="SECRET-COMMENT",
    )


@pytest.fixture
def world(db, make_user, make_organisation, make_intake, make_set):
    """Set One (intake A, run by a London and a Wales facilitator) had 6 presentations in
    January and 3 feedback answers; Set Two (intake B, another London organisation) had 2
    presentations about wellbeing in March and 2 answers."""
    london, wales = make_organisation(region=Region.LONDON), make_organisation(region=Region.WALES)
    other_london = make_organisation(region=Region.LONDON)
    intake_a, intake_b = make_intake(name="Intake A"), make_intake(name="Intake B")
    f1 = make_user(Role.FACILITATOR, name="Fiona First", organisation=london)
    f2 = make_user(Role.FACILITATOR, name="Gareth Second", organisation=wales)
    f3 = make_user(Role.FACILITATOR, name="Hana Third", organisation=other_london)
    members = [make_user(Role.TRAINEE, name=f"Trainee Secretname{i}") for i in range(4)]
    one = make_set([f1, f2], members, sessions=3, first=JAN, intake=intake_a, name="Set One")
    a, b, c, d = members
    s1, s2, s3 = one.sessions
    for session, presenter, theme in (
        (s1, a, Theme.ESCALATION),
        (s1, b, Theme.ESCALATION),
        (s2, a, Theme.ESCALATION),
        (s2, c, Theme.ROTA_WORKFLOW),
        (s3, d, None),
        (s3, b, Theme.PRIORITISATION),
    ):
        db.session.add(
            Presentation(
                session_id=session.id,
                set_id=one.id,
                presenter_id=presenter.id,
                theme=theme,
                challenge="SECRET-CHALLENGE",
            )
        )
    db.session.add_all(
        [
            answer(s1, kept=5, fair=5, questions=1, clear=4),
            answer(s1, kept=4, fair=5, questions=2, clear=4),
            answer(s1, kept=2, fair=5, questions=3, clear=4),
        ]
    )
    two = make_set([f3], 2, sessions=1, first=MARCH, intake=intake_b, name="Set Two")
    for member in two.members:
        db.session.add(
            Presentation(
                session_id=two.sessions[0].id,
                set_id=two.id,
                presenter_id=member.user_id,
                theme=Theme.WELLBEING,
                challenge="SECRET-CHALLENGE",
            )
        )
    db.session.add_all([answer(two.sessions[0], kept=5), answer(two.sessions[0], kept=5)])
    db.session.flush()
    return {
        "intake_a": intake_a,
        "intake_b": intake_b,
        "other_london": other_london,
        "wales": wales,
    }


def themes_of(rows):
    return {(r["intake_name"], r["theme"]): r["n"] for r in rows["themes"]}


def test_load_returns_known_counts(world):
    rows = report.load(Filters())
    assert themes_of(rows) == {
        ("Intake A", "escalation"): 3,
        ("Intake A", "rota_workflow"): 1,
        ("Intake A", "prioritisation"): 1,
        ("Intake A", None): 1,
        ("Intake B", "wellbeing"): 2,
    }
    intake = {r["intake_name"]: r for r in rows["feedback_by_intake"]}
    assert intake["Intake A"]["responses"] == 3
    assert intake["Intake A"]["kept_to_time_agree"] == 2
    assert intake["Intake A"]["kept_to_time_total"] == 11
    assert intake["Intake A"]["questions_helped_agree"] == 0
    assert intake["Intake B"]["responses"] == 2
    people = {r["name"]: r["responses"] for r in rows["feedback_by_facilitator"]}
    assert people == {"Fiona First": 3, "Gareth Second": 3, "Hana Third": 2}

    built = tables(rows)
    by_intake = built["themes_by_intake"].frame.set_index("intake_name")
    assert by_intake.loc["Intake A", "escalation"] == 3
    assert by_intake.loc["Intake A", "rota_workflow"] is None
    assert by_intake.loc["Intake B", "wellbeing"] is None
    feedback = built["feedback_by_intake"].frame.set_index("intake_name")
    assert feedback.loc["Intake A", "kept_to_time_pct"] == 66.7
    assert feedback.loc["Intake A", "fair_say_pct"] == 100.0
    assert feedback.loc["Intake B", "kept_to_time_pct"] is None
    questions = built["feedback"].frame.set_index("question")
    assert questions.loc["kept_to_time", "agree_pct"] == 80.0  # (2 + 2) of 5
    assert questions.loc["kept_to_time", "responses"] == 5
    people = built["feedback_by_facilitator"].frame.set_index("name")
    assert people.loc["Hana Third", "responses"] is None
    assert people.loc["Fiona First", "clear_action_pct"] == 100.0
    assert report.size(Filters()) == 8


def test_filters_narrow(world):
    assert set(themes_of(report.load(Filters(intake_id=world["intake_b"].id)))) == {
        ("Intake B", "wellbeing")
    }
    march = report.load(Filters(start=date(2026, 3, 1), end=date(2026, 3, 31)))
    assert themes_of(march) == {("Intake B", "wellbeing"): 2}
    assert [r["responses"] for r in march["feedback_by_intake"]] == [2]
    january = report.load(Filters(end=date(2026, 1, 5)))  # Set One's first session only
    assert themes_of(january) == {("Intake A", "escalation"): 2}
    assert report.size(Filters(end=date(2026, 1, 5))) == 2

    other = report.load(Filters(organisation_id=world["other_london"].id))
    assert set(themes_of(other)) == {("Intake B", "wellbeing")}
    assert [r["name"] for r in other["feedback_by_facilitator"]] == ["Hana Third"]
    wales = report.load(Filters(region=Region.WALES.value))
    assert sum(themes_of(wales).values()) == 6  # Set One: Gareth is in Wales
    (gareth,) = wales["feedback_by_facilitator"]
    assert (gareth["name"], gareth["organisation"]) == ("Gareth Second", world["wales"].name)
    london = report.load(Filters(region=Region.LONDON.value))
    assert sum(themes_of(london).values()) == 8
    assert sorted(r["name"] for r in london["feedback_by_facilitator"]) == [
        "Fiona First",
        "Hana Third",
    ]


def test_load_runs_a_fixed_number_of_statements(db, world, make_set, count_queries):
    with count_queries() as before:
        report.load(Filters())
    extra = make_set(sessions=3, intake=world["intake_a"])
    for session in extra.sessions:
        for member in extra.members:
            db.session.add(
                Presentation(
                    session_id=session.id,
                    set_id=extra.id,
                    presenter_id=member.user_id,
                    theme=Theme.DELEGATION,
                )
            )
        db.session.add_all([answer(session) for _n in range(4)])
    db.session.flush()
    with count_queries() as after:
        rows = report.load(Filters())
    assert themes_of(rows)[("Intake A", "delegation")] == 18
    assert before.count == after.count == 3


def test_nothing_confidential_or_naming_trainees(world):
    rows = report.load(Filters())
    assert_plain_and_without(report, rows, "SECRET", "Secretname")
