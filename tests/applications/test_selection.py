"""The selection view's pure builders: the offered mix against applicants, and equality
counts with small numbers suppressed."""

import pytest

from lms.applications.selection import build_mix, equality_counts, suppress


def _row(status, staff_group="nursing_midwifery", sector="acute", region="london", **extra):
    return {
        "status": status,
        "staff_group": staff_group,
        "sector": sector,
        "region": region,
        "band": extra.get("band", "band_7"),
        "preferred_mode": extra.get("preferred_mode", "online"),
    }


def test_the_mix_counts_offered_and_accepted_places_against_all_applicants():
    rows = [
        _row("offered", sector="acute"),
        _row("accepted", sector="community"),
        _row("submitted", sector="acute"),
        _row("rejected", sector="acute"),
        _row("waitlisted", sector="mental_health"),
        _row("declined", sector=None),
    ]
    mixes = build_mix(
        rows,
        dimensions=("sector",),
        values={"sector": ["acute", "community", "mental_health", "primary_care"]},
    )
    (sector,) = mixes
    assert (sector.applicants, sector.offered) == (6, 2)
    table = {row.value: row for row in sector.rows}
    # every known value shows, in the given order, with "not answered" (None) last
    assert [row.value for row in sector.rows] == [
        "acute",
        "community",
        "mental_health",
        "primary_care",
        None,
    ]
    assert (table["acute"].applicants, table["acute"].offered) == (3, 1)
    assert table["acute"].share_of_offered == pytest.approx(0.5)
    assert table["acute"].share_of_applicants == pytest.approx(0.5)
    assert (table["community"].applicants, table["community"].offered) == (1, 1)
    assert table["community"].share_of_offered == pytest.approx(0.5)
    assert table["mental_health"].offered == 0 and table["mental_health"].share_of_offered == 0
    assert table["primary_care"].applicants == 0 and table["primary_care"].share_of_applicants == 0
    assert table[None].applicants == 1


def test_the_mix_has_a_table_for_every_dimension_and_values_it_was_not_told_about():
    mixes = build_mix([_row("offered", region="atlantis"), _row("submitted")])
    assert [mix.dimension for mix in mixes] == [
        "staff_group",
        "sector",
        "region",
        "band",
        "preferred_mode",
    ]
    region = next(mix for mix in mixes if mix.dimension == "region")
    assert {row.value: (row.applicants, row.offered) for row in region.rows} == {
        "atlantis": (1, 1),
        "london": (1, 0),
    }


def test_shares_are_not_applicable_when_nobody_has_applied_or_been_offered():
    (empty,) = build_mix([], dimensions=("sector",), values={"sector": ["acute"]})
    assert empty.rows[0].share_of_offered is None and empty.rows[0].share_of_applicants is None
    (none_offered,) = build_mix([_row("submitted")], dimensions=("sector",))
    assert none_offered.rows[0].share_of_offered is None
    assert none_offered.rows[0].share_of_applicants == 1


QUESTIONS = {"sex": ["female", "male", "prefer_not_to_say"], "disability": ["yes", "no"]}


def test_equality_counts_below_three_are_suppressed():
    rows = (
        [{"sex": "female", "disability": "no"}] * 5
        + [{"sex": "male", "disability": "yes"}] * 2
        + [{"sex": None, "disability": "no"}]
    )
    counts = equality_counts(rows, QUESTIONS)
    assert counts.responses == 8
    sex, disability = counts.questions
    assert [(c.value, c.count) for c in sex.cells] == [
        ("female", 5),
        ("male", None),  # 2: fewer than 3
        ("prefer_not_to_say", None),  # 0 is below 3 as well
    ]
    assert sex.cells[1].is_suppressed and not sex.cells[0].is_suppressed
    assert [(c.value, c.count) for c in disability.cells] == [("yes", None), ("no", 6)]
    # blank answers are never a row, so a suppressed cell cannot be worked out from them
    assert all(c.value is not None for q in counts.questions for c in q.cells)


def test_three_is_shown_and_fewer_than_three_responses_show_no_figures_at_all():
    three = equality_counts([{"sex": "female", "disability": "no"}] * 3, QUESTIONS)
    assert three.questions[0].cells[0].count == 3
    two = equality_counts([{"sex": "female", "disability": "no"}] * 2, QUESTIONS)
    assert two.responses is None and two.questions == ()
    assert suppress(2) is None and suppress(3) == 3 and suppress(0) is None
