"""Award criteria as data (SPEC section 8): each criterion below, at and above its
threshold, how an intake's stored scheme is read (defaults for anything missing or
malformed, limits on what a lead may set), and the summary helpers. Pure: no database."""

from __future__ import annotations

import json

import pytest

from lms.assessment.criteria import (
    DEFAULTS,
    MAX_SESSIONS_PER_SET,
    MAX_THRESHOLD,
    Evidence,
    Requirement,
    RequirementKind,
    Result,
    SetHeld,
    evaluate,
    is_ready,
    requirements_from,
    requirements_json,
)

K = RequirementKind


@pytest.fixture(autouse=True)
def context(app):
    """Labels are lazy strings: reading one needs the app."""
    with app.app_context():
        yield


def only(kind: RequirementKind, **changes) -> tuple[Requirement, ...]:
    """Just this requirement (as the defaults have it, with ``changes``)."""
    default = next(r for r in DEFAULTS if r.kind is kind)
    values = {
        "required": default.required,
        "threshold": default.threshold,
        "sessions_per_set": default.sessions_per_set,
        **changes,
    }
    return (Requirement(kind, **values),)


def one(kind: RequirementKind, evidence: Evidence, **changes) -> Result:
    (result,) = evaluate(only(kind, **changes), evidence)
    assert result.kind is kind
    return result


# --- The defaults ------------------------------------------------------------------------------


def test_the_defaults_are_the_programmes_criteria_in_order():
    assert [r.kind for r in DEFAULTS] == list(RequirementKind)
    assert all(r.required for r in DEFAULTS)
    thresholds = {r.kind: r.threshold for r in DEFAULTS}
    assert thresholds == {
        K.CORE_MODULES: 0,
        K.SUPERVISION_SESSIONS: 6,
        K.SETS_FACILITATED: 1,
        K.OBSERVATIONS_SIGNED_OFF: 2,
        K.SESSION_LOGS: 6,
        K.BUDDY_CHECK_INS: 4,
    }
    sets = next(r for r in DEFAULTS if r.kind is K.SETS_FACILITATED)
    assert sets.sessions_per_set == 4


def test_every_kind_has_a_label():
    labels = {kind.label for kind in RequirementKind}
    assert len(labels) == len(RequirementKind) and all(labels)
    assert K.CORE_MODULES.label == "All core modules complete"


def test_nothing_done_meets_only_criteria_that_ask_for_nothing():
    results = evaluate(DEFAULTS, Evidence(core_modules=((1, "Basics"),)))
    assert [r.kind for r in results] == list(RequirementKind)
    assert not any(r.met for r in results)
    assert not is_ready(results)
    assert {r.kind: r.short for r in results} == {
        K.CORE_MODULES: 1,
        K.SUPERVISION_SESSIONS: 6,
        K.SETS_FACILITATED: 1,
        K.OBSERVATIONS_SIGNED_OFF: 2,
        K.SESSION_LOGS: 6,
        K.BUDDY_CHECK_INS: 4,
    }


def test_everything_done_is_ready():
    evidence = Evidence(
        core_modules=((1, "Basics"), (2, "Next steps")),
        completed_modules=frozenset({1, 2}),
        supervision_sessions=6,
        sets=(SetHeld(10, "Set Ash", 4),),
        observations_signed_off=2,
        session_logs=6,
        buddy_check_ins=4,
    )
    results = evaluate(DEFAULTS, evidence)
    assert all(r.met for r in results) and is_ready(results)
    assert all(r.short == 0 for r in results)


# --- Core modules ----------------------------------------------------------------------------

CORE = ((1, "Basics"), (2, "Next steps"), (3, "Inquiry"))


def test_core_modules_none_complete():
    result = one(K.CORE_MODULES, Evidence(core_modules=CORE))
    assert not result.met
    assert (result.have, result.need, result.short) == (0, 3, 3)
    assert result.missing_modules == ("Basics", "Next steps", "Inquiry")


def test_core_modules_some_complete_lists_the_rest_in_order():
    result = one(K.CORE_MODULES, Evidence(core_modules=CORE, completed_modules=frozenset({2})))
    assert not result.met
    assert (result.have, result.need, result.short) == (1, 3, 2)
    assert result.missing_modules == ("Basics", "Inquiry")


def test_core_modules_all_complete_and_optional_ones_do_not_matter():
    result = one(
        K.CORE_MODULES, Evidence(core_modules=CORE, completed_modules=frozenset({1, 2, 3, 99}))
    )
    assert result.met
    assert (result.have, result.need, result.short) == (3, 3, 0)
    assert result.missing_modules == ()


def test_optional_modules_alone_do_not_complete_the_core():
    result = one(K.CORE_MODULES, Evidence(core_modules=CORE, completed_modules=frozenset({99})))
    assert not result.met and result.have == 0


def test_with_no_core_modules_at_all_the_criterion_is_met():
    result = one(K.CORE_MODULES, Evidence(core_modules=(), completed_modules=frozenset({5})))
    assert result.met
    assert (result.have, result.need, result.short) == (0, 0, 0)
    assert result.missing_modules == ()


def test_core_modules_ignore_any_threshold():
    result = one(K.CORE_MODULES, Evidence(core_modules=CORE), threshold=0)
    assert not result.met and result.need == 3


# --- Counted criteria: below, at and above ---------------------------------------------------

COUNTED = [
    (K.SUPERVISION_SESSIONS, "supervision_sessions", 6),
    (K.OBSERVATIONS_SIGNED_OFF, "observations_signed_off", 2),
    (K.SESSION_LOGS, "session_logs", 6),
    (K.BUDDY_CHECK_INS, "buddy_check_ins", 4),
]


@pytest.mark.parametrize(("kind", "field", "threshold"), COUNTED)
@pytest.mark.parametrize(
    ("offset", "met"), [(-1, False), (0, True), (1, True)], ids=["below", "at", "above"]
)
def test_counted_criteria_at_the_default_threshold(kind, field, threshold, offset, met):
    have = threshold + offset
    result = one(kind, Evidence(**{field: have}))
    assert result.met is met
    assert (result.have, result.need) == (have, threshold)
    assert result.short == (0 if met else threshold - have)


@pytest.mark.parametrize(("kind", "field", "_default"), COUNTED)
@pytest.mark.parametrize(
    ("have", "met"), [(2, False), (3, True), (9, True)], ids=["below", "at", "above"]
)
def test_counted_criteria_at_a_threshold_the_lead_set(kind, field, _default, have, met):
    result = one(kind, Evidence(**{field: have}), threshold=3)
    assert result.met is met and result.need == 3
    assert result.short == max(3 - have, 0)


@pytest.mark.parametrize(("kind", "field", "_default"), COUNTED)
def test_a_threshold_of_nothing_is_met_with_nothing(kind, field, _default):
    result = one(kind, Evidence(), threshold=0)
    assert result.met and result.short == 0


@pytest.mark.parametrize(("kind", "field", "_default"), COUNTED)
def test_each_count_feeds_only_its_own_criterion(kind, field, _default):
    """Plenty of everything else does not meet this one."""
    others = {f: 50 for _k, f, _d in COUNTED if f != field}
    result = one(kind, Evidence(**others))
    assert not result.met and result.have == 0


# --- Sets facilitated ------------------------------------------------------------------------


def sets_result(*sets: SetHeld, **changes) -> Result:
    return one(K.SETS_FACILITATED, Evidence(sets=sets), **changes)


def test_no_sets_at_all():
    result = sets_result()
    assert not result.met
    assert (result.have, result.need, result.short) == (0, 1, 1)
    assert result.nearest_set is None and result.counted_sets == ()


def test_a_set_with_fewer_sessions_held_than_needed_does_not_count():
    result = sets_result(SetHeld(1, "Set Ash", 3))
    assert not result.met and result.have == 0 and result.counted_sets == ()
    assert result.nearest_set == ("Set Ash", 1)


def test_a_set_with_exactly_enough_sessions_counts():
    result = sets_result(SetHeld(1, "Set Ash", 4))
    assert result.met and result.have == 1
    assert result.counted_sets == ("Set Ash",)
    assert result.nearest_set is None


def test_a_set_with_more_sessions_than_needed_counts_once():
    result = sets_result(SetHeld(1, "Set Ash", 6))
    assert result.met and result.have == 1 and result.counted_sets == ("Set Ash",)


def test_the_nearest_set_is_the_one_with_most_sessions_held():
    result = sets_result(
        SetHeld(1, "Set Ash", 1),
        SetHeld(2, "Set Birch", 3),
        SetHeld(3, "Set Cedar", 0),
    )
    assert not result.met and result.have == 0
    assert result.nearest_set == ("Set Birch", 1)


def test_of_two_sets_equally_near_the_earlier_is_named():
    result = sets_result(SetHeld(7, "Set Later", 2), SetHeld(3, "Set Earlier", 2))
    assert result.nearest_set == ("Set Earlier", 2)


def test_a_set_with_no_sessions_held_still_says_how_many_it_needs():
    assert sets_result(SetHeld(1, "Set Ash", 0)).nearest_set == ("Set Ash", 4)


def test_two_sets_needed():
    below = sets_result(SetHeld(1, "Set Ash", 4), SetHeld(2, "Set Birch", 2), threshold=2)
    assert not below.met
    assert (below.have, below.need, below.short) == (1, 2, 1)
    assert below.counted_sets == ("Set Ash",)
    assert below.nearest_set == ("Set Birch", 2)

    at = sets_result(SetHeld(1, "Set Ash", 4), SetHeld(2, "Set Birch", 4), threshold=2)
    assert at.met and at.have == 2 and at.counted_sets == ("Set Ash", "Set Birch")
    assert at.nearest_set is None

    above = sets_result(
        SetHeld(1, "Set Ash", 5),
        SetHeld(2, "Set Birch", 4),
        SetHeld(3, "Set Cedar", 4),
        SetHeld(4, "Set Damson", 1),
        threshold=2,
    )
    assert above.met and above.have == 3 and above.short == 0
    assert above.nearest_set == ("Set Damson", 3)


def test_sessions_per_set_is_the_leads_to_set():
    two = sets_result(SetHeld(1, "Set Ash", 2), sessions_per_set=2)
    assert two.met and two.counted_sets == ("Set Ash",)
    six = sets_result(SetHeld(1, "Set Ash", 5), sessions_per_set=6)
    assert not six.met and six.nearest_set == ("Set Ash", 1)


# --- Optional criteria and readiness --------------------------------------------------------


def test_a_criterion_that_is_not_required_is_left_out():
    requirements = tuple(
        Requirement(r.kind, False, r.threshold, r.sessions_per_set)
        if r.kind is K.BUDDY_CHECK_INS
        else r
        for r in DEFAULTS
    )
    results = evaluate(requirements, Evidence())
    kinds = [r.kind for r in results]
    assert K.BUDDY_CHECK_INS not in kinds and len(kinds) == len(DEFAULTS) - 1


def test_nothing_required_is_ready():
    requirements = tuple(Requirement(r.kind, required=False) for r in DEFAULTS)
    results = evaluate(requirements, Evidence())
    assert results == () and is_ready(results)


def test_dropping_the_only_unmet_criterion_makes_a_person_ready():
    evidence = Evidence(
        supervision_sessions=6,
        sets=(SetHeld(1, "Set Ash", 4),),
        observations_signed_off=2,
        session_logs=6,
        buddy_check_ins=1,
    )
    assert not is_ready(evaluate(DEFAULTS, evidence))
    stored = {"buddy_check_ins": {"required": False}}
    assert is_ready(evaluate(requirements_from(stored), evidence))


def test_is_ready_needs_every_result_met():
    req = DEFAULTS[1]
    met = Result(req, met=True, have=6, need=6)
    unmet = Result(req, met=False, have=5, need=6)
    assert is_ready([met, met])
    assert not is_ready([met, unmet])
    assert not is_ready(iter([unmet]))
    assert is_ready([])


def test_short_is_never_negative():
    req = DEFAULTS[1]
    assert Result(req, met=True, have=9, need=6).short == 0
    assert Result(req, met=False, have=2, need=6).short == 4
    assert Result(req, met=True, have=0, need=0).short == 0


def test_evaluate_is_pure_and_repeatable():
    evidence = Evidence(supervision_sessions=3, sets=(SetHeld(1, "Set Ash", 2),))
    assert evaluate(DEFAULTS, evidence) == evaluate(DEFAULTS, evidence)
    assert evaluate(iter(DEFAULTS), evidence) == evaluate(list(DEFAULTS), evidence)


# --- Reading a stored scheme ----------------------------------------------------------------


@pytest.mark.parametrize("stored", [None, {}])
def test_no_scheme_means_the_defaults(stored):
    assert requirements_from(stored) == DEFAULTS


def test_a_partial_scheme_keeps_the_defaults_for_the_rest():
    stored = {
        "supervision_sessions": {"threshold": 8},
        "sets_facilitated": {"required": True, "threshold": 2, "sessions_per_set": 3},
        "session_logs": {"required": False},
    }
    got = {r.kind: r for r in requirements_from(stored)}
    assert [r.kind for r in requirements_from(stored)] == list(RequirementKind)
    assert got[K.SUPERVISION_SESSIONS] == Requirement(K.SUPERVISION_SESSIONS, True, 8)
    assert got[K.SETS_FACILITATED] == Requirement(K.SETS_FACILITATED, True, 2, 3)
    assert got[K.SESSION_LOGS] == Requirement(K.SESSION_LOGS, False, 6)
    for kind in (K.CORE_MODULES, K.OBSERVATIONS_SIGNED_OFF, K.BUDDY_CHECK_INS):
        assert got[kind] == next(r for r in DEFAULTS if r.kind is kind)


def test_a_partial_sets_entry_keeps_the_default_sessions_per_set():
    got = requirements_from({"sets_facilitated": {"threshold": 2}})
    (sets,) = [r for r in got if r.kind is K.SETS_FACILITATED]
    assert (sets.threshold, sets.sessions_per_set) == (2, 4)


@pytest.mark.parametrize(
    "value",
    ["6", "", None, 2.5, 3.0, [3], {"n": 3}, True, False],
    ids=["string", "empty", "null", "fraction", "float", "list", "dict", "true", "false"],
)
def test_a_threshold_that_is_not_a_whole_number_falls_back_to_the_default(value):
    stored = {
        "supervision_sessions": {"threshold": value},
        "sets_facilitated": {"sessions_per_set": value},
    }
    got = {r.kind: r for r in requirements_from(stored)}
    assert got[K.SUPERVISION_SESSIONS].threshold == 6
    assert got[K.SETS_FACILITATED].sessions_per_set == 4


@pytest.mark.parametrize("value", ["false", "no", 0, 1, None, "true", [], {}])
def test_required_must_be_a_real_yes_or_no(value):
    (_core, supervision, *_rest) = requirements_from({"supervision_sessions": {"required": value}})
    assert supervision.required is True


def test_required_false_is_kept():
    got = requirements_from({"core_modules": {"required": False}})
    assert got[0] == Requirement(K.CORE_MODULES, required=False)
    assert K.CORE_MODULES not in [r.kind for r in evaluate(got, Evidence(core_modules=CORE))]


def test_negative_numbers_are_raised_to_nothing():
    stored = {
        "session_logs": {"threshold": -3},
        "sets_facilitated": {"threshold": -1, "sessions_per_set": -4},
    }
    got = {r.kind: r for r in requirements_from(stored)}
    assert got[K.SESSION_LOGS].threshold == 0
    assert (got[K.SETS_FACILITATED].threshold, got[K.SETS_FACILITATED].sessions_per_set) == (0, 0)


def test_huge_numbers_are_held_to_the_limits():
    stored = {
        "buddy_check_ins": {"threshold": 10**12},
        "sets_facilitated": {"threshold": MAX_THRESHOLD + 1, "sessions_per_set": 99},
    }
    got = {r.kind: r for r in requirements_from(stored)}
    assert got[K.BUDDY_CHECK_INS].threshold == MAX_THRESHOLD
    assert got[K.SETS_FACILITATED].threshold == MAX_THRESHOLD
    assert got[K.SETS_FACILITATED].sessions_per_set == MAX_SESSIONS_PER_SET


def test_the_limits_themselves_are_allowed():
    stored = {
        "session_logs": {"threshold": MAX_THRESHOLD},
        "sets_facilitated": {"threshold": 0, "sessions_per_set": MAX_SESSIONS_PER_SET},
    }
    got = {r.kind: r for r in requirements_from(stored)}
    assert got[K.SESSION_LOGS].threshold == MAX_THRESHOLD
    assert got[K.SETS_FACILITATED].sessions_per_set == MAX_SESSIONS_PER_SET


def test_unknown_kinds_and_keys_are_ignored():
    stored = {
        "attended_the_party": {"required": True, "threshold": 3},
        "session_logs": {"threshold": 2, "colour": "blue"},
    }
    got = requirements_from(stored)
    assert [r.kind for r in got] == list(RequirementKind)
    assert next(r for r in got if r.kind is K.SESSION_LOGS).threshold == 2


@pytest.mark.parametrize("entry", ["yes", 6, None, True, ["threshold", 2]])
def test_an_entry_that_is_not_a_mapping_is_the_default(entry):
    assert requirements_from({"session_logs": entry}) == DEFAULTS


@pytest.mark.parametrize("stored", [[], ["session_logs"], "session_logs", 6, True])
def test_a_scheme_that_is_not_a_mapping_is_the_defaults(stored):
    assert requirements_from(stored) == DEFAULTS


# --- Storing a scheme -------------------------------------------------------------------------


def test_requirements_json_shape():
    data = requirements_json(DEFAULTS)
    assert list(data) == [kind.value for kind in RequirementKind]
    assert data["sets_facilitated"] == {"required": True, "threshold": 1, "sessions_per_set": 4}
    assert data["session_logs"] == {"required": True, "threshold": 6}
    assert all("sessions_per_set" not in v for k, v in data.items() if k != "sets_facilitated")


def test_requirements_json_round_trip_through_json_text():
    changed = requirements_from(
        {
            "core_modules": {"required": False},
            "supervision_sessions": {"threshold": 10},
            "sets_facilitated": {"threshold": 2, "sessions_per_set": 5},
            "buddy_check_ins": {"required": False, "threshold": 0},
        }
    )
    assert changed != DEFAULTS
    stored = json.loads(json.dumps(requirements_json(changed)))
    assert requirements_from(stored) == changed
    assert requirements_from(json.loads(json.dumps(requirements_json(DEFAULTS)))) == DEFAULTS
