"""The action learning set allocator, on plain data (no database, no request).

The property tests check every allocation against the hard rules twice (with
``violations`` and with a check written here from the rules themselves), check that
everyone is accounted for exactly once, and compare the spread of organisations with
the fewest same-organisation pairs there can be and with a first-fit baseline.
"""

from __future__ import annotations

import math
import os
import random
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from lms.practice.allocation import (
    HARD_RULE_CODES,
    PREFERENCE_CODES,
    REASON_CODES,
    UNPLACED_CODES,
    Allocation,
    AllocationError,
    Facilitator,
    ProposedSet,
    Reason,
    Team,
    Trainee,
    allocate,
    check_set,
    score_set,
    violations,
)

PROPERTY = settings(max_examples=150, deadline=None, derandomize=bool(os.environ.get("CI")))


def trainee(
    id: int,
    organisation: str | None = None,
    region: str | None = None,
    mode: str | None = None,
    manager: str | None = None,
) -> Trainee:
    return Trainee(id, f"trainee{id}@nhs.net", organisation, region, mode, manager)


def facilitator(id: int, organisation: str | None = "facilitators-trust") -> Facilitator:
    return Facilitator(id, f"facilitator{id}@nhs.net", organisation)


def team(
    key: str,
    *people: Facilitator,
    mode: str = "online",
    region: str | None = None,
) -> Team:
    return Team(key, people, mode, region)


def pair_team(number: int, mode: str = "online", region: str | None = None) -> Team:
    """A team of two facilitators from an organisation no trainee belongs to."""
    return team(
        f"team-{number:02d}",
        facilitator(100 + 2 * number, f"host-{number}"),
        facilitator(101 + 2 * number, f"host-{number}"),
        mode=mode,
        region=region,
    )


def codes(reasons: Sequence[Reason]) -> list[str]:
    return [reason.code for reason in reasons]


def unplaced_codes(allocation: Allocation) -> dict[int, str]:
    return {person.id: reason.code for person, reason in allocation.unplaced}


def placed_ids(allocation: Allocation) -> list[int]:
    return sorted(person.id for proposed in allocation.sets for person in proposed.trainees)


# --- the reason codes -------------------------------------------------------------------


def test_reason_codes_are_unique_lower_case_and_grouped():
    assert len(set(REASON_CODES)) == len(REASON_CODES)
    assert all(code == code.lower() and " " not in code for code in REASON_CODES)
    assert set(REASON_CODES) == HARD_RULE_CODES | UNPLACED_CODES | PREFERENCE_CODES
    assert not HARD_RULE_CODES & UNPLACED_CODES and not UNPLACED_CODES & PREFERENCE_CODES
    assert {"line_manager_in_set", "same_organisation_as_facilitator"} <= HARD_RULE_CODES
    assert {"facilitator_is_line_manager", "set_too_small", "set_too_large"} <= HARD_RULE_CODES


# --- scoring a set ----------------------------------------------------------------------


def test_a_set_that_meets_every_preference_scores_zero():
    people = [trainee(i, f"org-{i}", "london", "in_person") for i in range(1, 6)]
    assert score_set(pair_team(1, "in_person", "London"), people) == (0, [])


def test_organisation_repeats_cost_more_the_more_there_are():
    people = [trainee(1, "Trust A"), trainee(2, "trust a "), trainee(3, "Trust B")]
    people += [trainee(4, "Trust B"), trainee(5, "Trust B"), trainee(6, None), trainee(7, None)]
    score, reasons = score_set(pair_team(1), people)
    assert reasons == [
        Reason("organisation_repeated", (1, 2), detail="Trust A", points=10),
        Reason("organisation_repeated", (3, 4, 5), detail="Trust B", points=30),
    ]
    assert score == -40  # an unknown organisation is never the same as another


@pytest.mark.parametrize(
    ("wanted", "set_mode", "code", "points"),
    [
        (None, "online", None, 0),
        (None, "in_person", None, 0),
        ("online", "online", None, 0),
        ("online", "blended", "mode_partly_met", 5),
        ("online", "in_person", "mode_mismatch", 40),
        ("in_person", "online", "mode_mismatch", 40),
        ("in_person", "blended", "mode_partly_met", 5),
        ("blended", "online", "mode_partly_met", 5),
        ("blended", "blended", None, 0),
    ],
)
def test_mode_points(wanted, set_mode, code, points):
    score, reasons = score_set(pair_team(1, set_mode), [trainee(1, mode=wanted)])
    assert score == -points
    expected = [Reason(code, (1,), detail=set_mode, points=points)] if code else []
    assert reasons == expected


@pytest.mark.parametrize(
    ("set_mode", "points"), [("in_person", 20), ("blended", 10), ("online", 0)]
)
def test_region_counts_for_sets_that_meet_in_person(set_mode, points):
    people = [
        trainee(1, region="Leeds"),
        trainee(2, region="london"),
        trainee(3, region=None),
        trainee(4, region="Bristol"),
    ]
    score, reasons = score_set(pair_team(1, set_mode, "London"), people)
    assert score == -2 * points
    assert reasons == (
        [Reason("region_mismatch", (1, 4), detail="London", points=2 * points)] if points else []
    )


def test_a_set_with_no_region_never_has_a_region_mismatch():
    assert score_set(pair_team(1, "in_person", None), [trainee(1, region="leeds")]) == (0, [])


# --- checking a set by hand --------------------------------------------------------------


def test_a_set_within_the_rules_has_no_breaches():
    people = [trainee(i, f"org-{i}", manager="someone@nhs.net") for i in range(1, 6)]
    assert check_set(pair_team(1), people) == []


def test_check_set_names_every_breach():
    manager = trainee(1, "org-a")
    people = [
        manager,
        trainee(2, "org-b", manager="TRAINEE1@nhs.net"),  # H1: emails ignore case
        trainee(3, "host-1"),  # H2: the team's organisation
        trainee(4, "org-c", manager="facilitator102@nhs.net"),  # H3
    ]
    the_team = pair_team(1)
    assert check_set(the_team, people) == [
        Reason("set_too_small", facilitator_ids=(102, 103), detail="4"),
        Reason("line_manager_in_set", (2, 1)),
        Reason("same_organisation_as_facilitator", (3,), (102, 103), detail="host-1"),
        Reason("facilitator_is_line_manager", (4,), (102,)),
    ]
    nine = [trainee(i, f"org-{i}") for i in range(1, 10)]
    assert codes(check_set(the_team, nine)) == ["set_too_large"]
    assert codes(check_set(the_team, nine, max_size=9)) == []
    twice = [*nine[:5], nine[0]]
    assert check_set(the_team, twice) == [Reason("trainee_placed_twice", (1,), detail="2")]


def test_violations_also_find_people_in_two_sets():
    first = [trainee(i, f"org-{i}") for i in range(1, 6)]
    second = [trainee(i, f"org-{i}") for i in range(5, 10)]
    sets = [
        ProposedSet(pair_team(1), first, 0, []),
        ProposedSet(pair_team(1), second, 0, []),
    ]
    assert violations(sets) == [
        Reason("trainee_placed_twice", (5,), detail="2"),
        Reason("facilitator_in_two_sets", facilitator_ids=(102,), detail="2"),
        Reason("facilitator_in_two_sets", facilitator_ids=(103,), detail="2"),
    ]


# --- bad input ----------------------------------------------------------------------------


def five() -> list[Trainee]:
    return [trainee(i, f"org-{i}") for i in range(1, 6)]


@pytest.mark.parametrize(
    ("trainees", "teams", "sizes", "message"),
    [
        ([*five(), trainee(1)], [pair_team(1)], (5, 8), "only once"),
        ([*five(), Trainee(9, "TRAINEE1@nhs.net")], [pair_team(1)], (5, 8), "email"),
        ([*five(), Trainee(9, " ")], [pair_team(1)], (5, 8), "email"),
        (five(), [pair_team(1), pair_team(1)], (5, 8), "key"),
        (five(), [pair_team(1), team("x", facilitator(102))], (5, 8), "two teams"),
        (
            five(),
            [team("x", facilitator(1)), team("y", Facilitator(2, "Facilitator1@nhs.net"))],
            (5, 8),
            "email",
        ),
        (five(), [team("x")], (5, 8), "no facilitators"),
        (five(), [pair_team(1, mode="hybrid")], (5, 8), "mode"),
        ([*five(), trainee(9, mode="hybrid")], [pair_team(1)], (5, 8), "mode"),
        (five(), [team("x", Facilitator(1, "trainee1@nhs.net"))], (5, 8), "both"),
        (five(), [pair_team(1)], (6, 5), "not a range"),
        (five(), [pair_team(1)], (0, 5), "not a range"),
    ],
)
def test_bad_input_is_refused(trainees, teams, sizes, message):
    with pytest.raises(AllocationError, match=message):
        allocate(trainees, teams, min_size=sizes[0], max_size=sizes[1])


# --- crafted allocations: every reason code ----------------------------------------------


def test_everyone_is_placed_when_nothing_stands_in_the_way():
    people = [trainee(i, f"org-{i}", mode="online") for i in range(1, 21)]
    result = allocate(people, [pair_team(n) for n in range(1, 6)])
    assert result.unplaced == []
    assert sorted(len(proposed.trainees) for proposed in result.sets) == [6, 7, 7]
    assert result.score == 0
    assert violations(result.sets) == []


def test_fewer_than_five_trainees_make_no_set():
    result = allocate(five()[:4], [pair_team(1)])
    assert result.sets == []
    assert [reason for _, reason in result.unplaced] == [
        Reason("too_few_trainees", (i,), detail="4") for i in range(1, 5)
    ]


def test_with_no_teams_nobody_is_placed():
    result = allocate(five(), [])
    assert set(unplaced_codes(result).values()) == {"not_enough_teams"}
    assert result.unplaced[0][1].detail == "0"


def test_trainees_beyond_what_the_teams_can_hold_are_not_enough_teams():
    people = [trainee(i, f"org-{i}") for i in range(1, 11)]
    result = allocate(people, [pair_team(1)])
    assert [len(proposed.trainees) for proposed in result.sets] == [8]
    assert len(result.unplaced) == 2
    assert {reason.code for _, reason in result.unplaced} == {"not_enough_teams"}
    assert result.unplaced[0][1].detail == "1"


def test_one_too_many_for_a_set_and_too_few_for_another():
    people = [trainee(i, f"org-{i}") for i in range(1, 10)]
    result = allocate(people, [pair_team(1), pair_team(2)])
    assert [len(proposed.trainees) for proposed in result.sets] == [8]
    [(_, reason)] = result.unplaced
    assert reason.code == "too_few_for_another_set"
    assert reason.detail == "1"


def test_someone_every_team_conflicts_with_is_not_placed():
    people = [trainee(i, f"org-{i}") for i in range(1, 7)]
    people.append(trainee(7, "Host-1", manager="facilitator104@nhs.net"))
    teams = [pair_team(1), pair_team(2)]  # host-1's own people; 7's line manager leads team 2
    result = allocate(people, teams)
    assert unplaced_codes(result) == {7: "no_team_without_conflict"}
    reason = result.unplaced[0][1]
    assert reason.facilitator_ids == (102, 103, 104)
    assert reason.detail == "Host-1"
    assert placed_ids(result) == [1, 2, 3, 4, 5, 6]


def test_a_trainee_is_never_facilitated_by_their_line_manager():
    people = [trainee(i, f"org-{i}") for i in range(1, 12)]
    people.append(trainee(12, "org-12", manager="Facilitator102@NHS.net"))
    result = allocate(people, [pair_team(1), pair_team(2)])
    assert result.unplaced == []
    [with_manager] = [s for s in result.sets if s.team.key == "team-01"]
    assert 12 not in [person.id for person in with_manager.trainees]


def test_a_trainee_whose_line_manager_leads_the_only_team_is_not_placed():
    people = [trainee(i, f"org-{i}") for i in range(1, 6)]
    people.append(trainee(6, "org-6", manager="facilitator102@nhs.net"))
    result = allocate(people, [pair_team(1)])
    [(who, reason)] = result.unplaced
    assert (who.id, reason) == (6, Reason("no_team_without_conflict", (6,), (102,)))


def test_a_line_manager_and_their_report_are_kept_apart_when_they_can_be():
    people = [trainee(i, "org-a" if i < 3 else f"org-{i}") for i in range(1, 13)]
    people[1] = trainee(2, "org-a", manager="trainee1@nhs.net")
    result = allocate(people, [pair_team(1), pair_team(2)])
    assert result.unplaced == []
    together = [s for s in result.sets if {1, 2} <= {p.id for p in s.trainees}]
    assert together == []


def test_a_report_who_cannot_be_kept_from_their_line_manager_is_unplaced():
    people = [trainee(i, f"org-{i}") for i in range(1, 8)]
    people[6] = trainee(7, "org-7", manager="trainee3@nhs.net")
    result = allocate(people, [pair_team(1)])
    [(who, reason)] = result.unplaced
    assert reason.code == "line_manager_conflict"
    assert set(reason.trainee_ids) == {3, 7} and reason.trainee_ids[0] == who.id
    assert violations(result.sets) == []


def test_a_line_manager_makes_way_for_two_of_their_reports():
    people = [trainee(i, f"org-{i}") for i in range(1, 10)]
    people[1] = trainee(2, "org-2", manager="trainee5@nhs.net")
    people[6] = trainee(7, "org-7", manager="trainee5@nhs.net")
    result = allocate(people, [pair_team(1)])
    assert [who.id for who, _ in result.unplaced] == [5]
    assert violations(result.sets) == []


def test_two_people_who_can_only_be_together_are_reported_as_a_line_manager_conflict():
    people = [trainee(i, f"org-{i}") for i in range(1, 6)]
    people[4] = trainee(5, "org-5", manager="trainee4@nhs.net")
    result = allocate(people, [pair_team(1)])
    assert result.sets == []  # four trainees cannot make a set
    found = unplaced_codes(result)
    assert found[4] == found[5] == "line_manager_conflict"
    assert found[1] == "too_few_for_another_set"


def test_preferences_that_cannot_be_met_are_explained_per_set():
    people = [trainee(i, "org-a" if i < 3 else f"org-{i}", "leeds", "in_person") for i in (1, 2)]
    people += [trainee(i, f"org-{i}", "leeds", "online") for i in range(3, 6)]
    result = allocate(people, [pair_team(1, "in_person", "london")])
    [proposed] = result.sets
    assert codes(proposed.reasons) == ["organisation_repeated", "mode_mismatch", "region_mismatch"]
    assert proposed.score == -(10 + 3 * 40 + 5 * 20)
    assert result.score == proposed.score


def test_mode_partly_met_is_explained():
    people = [trainee(i, f"org-{i}", mode="online") for i in range(1, 6)]
    [proposed] = allocate(people, [pair_team(1, "blended")]).sets
    assert proposed.reasons == [
        Reason("mode_partly_met", (1, 2, 3, 4, 5), detail="blended", points=25)
    ]


def test_every_reason_code_is_produced_somewhere():
    """The web layer translates every code; each one must be reachable."""
    seen: set[str] = set()
    scenarios = [
        (five()[:4], [pair_team(1)]),
        ([trainee(i, f"org-{i}") for i in range(1, 11)], [pair_team(1)]),
        ([trainee(i, f"org-{i}") for i in range(1, 10)], [pair_team(1), pair_team(2)]),
        ([*five(), trainee(6, "host-1")], [pair_team(1)]),
        ([*five()[:4], trainee(5, manager="trainee4@nhs.net")], [pair_team(1)]),
        (
            [trainee(1, "a", "x", "in_person"), trainee(2, "a", "x", "online")]
            + [trainee(i, region="y", mode="online") for i in range(3, 6)],
            [pair_team(1, "blended", "y")],
        ),
        (
            [trainee(1, "a", "x", "in_person")] + [trainee(i) for i in range(2, 6)],
            [pair_team(1, "online")],
        ),
    ]
    for people, teams in scenarios:
        result = allocate(people, teams)
        seen |= {reason.code for _, reason in result.unplaced}
        seen |= {reason.code for proposed in result.sets for reason in proposed.reasons}
    bad = [
        trainee(1, "host-1", manager="facilitator102@nhs.net"),
        trainee(2, manager="trainee1@nhs.net"),
        trainee(2),
    ]
    nine = [trainee(i, f"org-{i}") for i in range(1, 10)]
    sets = [ProposedSet(pair_team(1), bad, 0, []), ProposedSet(pair_team(1), nine, 0, [])]
    seen |= set(codes(violations(sets)))
    assert seen == set(REASON_CODES)


# --- choosing teams and sets ---------------------------------------------------------------


def test_the_teams_that_suit_the_trainees_are_chosen():
    people = [trainee(i, f"org-{i}", "london", "in_person") for i in range(1, 13)]
    teams = [
        pair_team(1, "online"),
        pair_team(2, "in_person", "leeds"),
        pair_team(3, "blended", "london"),
        pair_team(4, "in_person", "london"),
    ]
    result = allocate(people, teams)
    assert [proposed.team.key for proposed in result.sets] == ["team-03", "team-04"]
    assert result.score == -5 * len(result.sets[0].trainees)


def test_in_person_trainees_go_to_the_in_person_set_of_their_region():
    people = [trainee(i, f"org-{i}", "leeds", "in_person") for i in range(1, 7)]
    people += [trainee(i, f"org-{i}", "london", "in_person") for i in range(7, 13)]
    people += [trainee(i, f"org-{i}", "leeds", "online") for i in range(13, 19)]
    teams = [pair_team(1, "in_person", "london"), pair_team(2, "online")]
    teams.append(pair_team(3, "in_person", "leeds"))
    result = allocate(people, teams)
    assert result.score == 0
    by_team = {s.team.key: sorted(p.id for p in s.trainees) for s in result.sets}
    assert by_team == {
        "team-01": list(range(7, 13)),
        "team-02": list(range(13, 19)),
        "team-03": list(range(1, 7)),
    }


def test_the_same_input_and_seed_give_the_same_allocation_in_any_order():
    generator = random.Random(11)
    people = [
        trainee(
            i,
            generator.choice(["org-a", "org-b", "org-c", "org-d", None]),
            generator.choice(["leeds", "london"]),
            generator.choice(["online", "in_person", None]),
            generator.choice([None, "trainee3@nhs.net", "facilitator104@nhs.net"]),
        )
        for i in range(1, 61)
    ]
    teams = [pair_team(n, generator.choice(["online", "blended"]), "leeds") for n in range(12)]
    first = allocate(people, teams, seed=5)
    assert allocate(people, teams, seed=5) == first
    generator.shuffle(people)
    generator.shuffle(teams)
    assert allocate(people, teams, seed=5) == first


def test_other_set_sizes_can_be_asked_for():
    people = [trainee(i, f"org-{i}") for i in range(1, 14)]
    result = allocate(people, [pair_team(n) for n in range(6)], min_size=3, max_size=4)
    assert sorted(len(s.trainees) for s in result.sets) == [3, 3, 3, 4]
    assert violations(result.sets, min_size=3, max_size=4) == []


# --- properties on random programmes --------------------------------------------------------

ORGANISATIONS = ["org-a", "org-b", "org-c", "org-d", "org-e", None]
REGIONS = ["leeds", "london", None]


@st.composite
def programmes(draw, most_trainees: int = 40):
    """Up to 40 trainees and 8 teams drawn from few organisations and regions (so that
    conflicts are common), with line managers who are other trainees (chains
    included), facilitators, or people outside the programme; sometimes other sizes."""
    size = draw(st.integers(0, most_trainees))
    organisations = st.sampled_from(ORGANISATIONS)
    team_count = draw(st.integers(0, 8))
    teams = []
    facilitator_ids = iter(range(500, 600))
    for number in range(team_count):
        people = tuple(
            Facilitator(
                (fid := next(facilitator_ids)), f"f{fid}@nhs.net", draw(organisations), None
            )
            for _ in range(draw(st.sampled_from([1, 2, 2, 2, 3])))
        )
        mode = draw(st.sampled_from(["online", "blended", "in_person"]))
        teams.append(Team(f"team-{number}", people, mode, draw(st.sampled_from(REGIONS))))
    facilitator_emails = [f.email for t in teams for f in t.facilitators]
    people = []
    for i in range(1, size + 1):
        kind = draw(st.sampled_from(["none", "none", "outside", "trainee", "facilitator"]))
        if kind == "trainee" and size > 1:
            manager = f"TRAINEE{draw(st.integers(1, size))}@nhs.net"  # may be themselves
        elif kind == "facilitator" and facilitator_emails:
            manager = draw(st.sampled_from(facilitator_emails))
        else:
            manager = "boss@nhs.net" if kind == "outside" else None
        people.append(
            trainee(
                i,
                draw(organisations),
                draw(st.sampled_from(REGIONS)),
                draw(st.sampled_from(["online", "in_person", "blended", None])),
                manager,
            )
        )
    sizes = draw(st.sampled_from([(5, 8), (5, 8), (5, 8), (3, 4), (2, 6)]))
    return people, teams, sizes


def same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip().lower() == b.strip().lower()


def breaches(allocation: Allocation, people: list[Trainee], sizes: tuple[int, int]) -> list:
    """Every hard rule, checked here from the rules themselves."""
    found = []
    in_sets = Counter()
    teams = Counter()
    for proposed in allocation.sets:
        teams.update(f.id for f in proposed.team.facilitators)
        if not sizes[0] <= len(proposed.trainees) <= sizes[1]:
            found.append(("size", proposed.team.key))
        for person in proposed.trainees:
            in_sets[person.id] += 1
            for other in proposed.trainees:
                if other.id != person.id and same(person.line_manager_email, other.email):
                    found.append(("H1", person.id, other.id))
            for f in proposed.team.facilitators:
                if same(f.organisation, person.organisation):
                    found.append(("H2", person.id, f.id))
                if same(f.email, person.line_manager_email):
                    found.append(("H3", person.id, f.id))
    found += [("twice", i) for i, n in in_sets.items() if n > 1]
    found += [("facilitator twice", i) for i, n in teams.items() if n > 1]
    unplaced = Counter(person.id for person, _ in allocation.unplaced)
    found += [("placed and unplaced", i) for i in unplaced if i in in_sets]
    found += [("unplaced twice", i) for i, n in unplaced.items() if n > 1]
    everyone = {person.id for person in people}
    found += [("lost", i) for i in everyone - set(in_sets) - set(unplaced)]
    found += [("unknown", i) for i in (set(in_sets) | set(unplaced)) - everyone]
    return found


@PROPERTY
@given(programmes())
def test_the_hard_rules_are_never_broken_and_everyone_is_accounted_for(programme):
    people, teams, (low, high) = programme
    result = allocate(people, teams, min_size=low, max_size=high, seed=len(people))
    assert violations(result.sets, min_size=low, max_size=high) == []
    assert breaches(result, people, (low, high)) == []
    for person, reason in result.unplaced:
        assert reason.code in UNPLACED_CODES
        assert reason.trainee_ids[0] == person.id
    for proposed in result.sets:
        assert proposed.trainees == sorted(proposed.trainees, key=lambda t: t.id)
        assert (proposed.score, proposed.reasons) == score_set(proposed.team, proposed.trainees)
        assert {reason.code for reason in proposed.reasons} <= PREFERENCE_CODES
    assert result.score == sum(proposed.score for proposed in result.sets)
    event("some unplaced" if result.unplaced else "everyone placed")


@PROPERTY
@given(programmes())
def test_nobody_is_left_out_who_could_simply_join_a_set(programme):
    """An unplaced trainee never had a set with room that broke no rule for them."""
    people, teams, (low, high) = programme
    result = allocate(people, teams, min_size=low, max_size=high)
    for person, _ in result.unplaced:
        for proposed in result.sets:
            if len(proposed.trainees) < high:
                assert check_set(
                    proposed.team, [*proposed.trainees, person], max_size=high, min_size=1
                )


@st.composite
def easy_programmes(draw):
    """Trainees all from different organisations, nobody managing anybody, facilitators
    from elsewhere and enough teams: everyone can obviously be placed (but nine, which
    no sets of five to eight add up to)."""
    size = draw(st.integers(5, 60).filter(lambda size: size != 9))
    people = [
        trainee(
            i,
            f"org-{i}",
            draw(st.sampled_from(REGIONS)),
            draw(st.sampled_from(["online", "in_person", None])),
            draw(st.sampled_from([None, "facilitator100@nhs.net"])),
        )
        for i in range(1, size + 1)
    ]
    count = draw(st.integers(math.ceil(size / 6.5) + 1, math.ceil(size / 6.5) + 4))
    teams = [
        pair_team(n, draw(st.sampled_from(["online", "blended", "in_person"])), "leeds")
        for n in range(count)
    ]
    return people, teams


@PROPERTY
@given(easy_programmes())
def test_everyone_is_placed_when_they_obviously_can_be(programme):
    people, teams = programme
    result = allocate(people, teams)
    assert result.unplaced == []
    assert breaches(result, people, (5, 8)) == []


def fewest_pairs(people: Sequence[Trainee], set_count: int) -> int:
    """With no other constraint, each organisation spread as evenly as it can be."""
    total = 0
    for count in Counter(p.organisation for p in people if p.organisation).values():
        low, high = divmod(count, set_count)
        total += high * (low + 1) * low // 2 + (set_count - high) * low * (low - 1) // 2
    return total


def same_organisation_pairs(sets: Sequence[ProposedSet]) -> int:
    return sum(
        count * (count - 1) // 2
        for proposed in sets
        for count in Counter(p.organisation for p in proposed.trainees if p.organisation).values()
    )


def first_fit(people: Sequence[Trainee], teams: Sequence[Team], set_count: int) -> list:
    """The naive baseline: each trainee in id order joins the first set with room."""
    room = math.ceil(len(people) / set_count)
    sets = [ProposedSet(t, [], 0, []) for t in sorted(teams, key=lambda t: t.key)[:set_count]]
    for person in sorted(people, key=lambda p: p.id):
        for proposed in sets:
            if len(proposed.trainees) < room and not check_set(
                proposed.team, [*proposed.trainees, person], min_size=1
            ):
                proposed.trainees.append(person)
                break
    return sets


@st.composite
def clustered_programmes(draw):
    """10 to 50 online trainees from two to five organisations, numbered organisation
    by organisation (as a spreadsheet sorted by employer would be)."""
    organisations = draw(st.integers(2, 5))
    counts = [draw(st.integers(1, 12)) for _ in range(organisations)]
    people = []
    for number, count in enumerate(counts):
        for _ in range(count):
            people.append(trainee(len(people) + 1, f"org-{number}", mode="online"))
    while len(people) < 10:
        people.append(trainee(len(people) + 1, "org-0"))
    teams = [pair_team(n) for n in range(draw(st.integers(2, 9)))]
    return people, teams


@PROPERTY
@given(clustered_programmes())
def test_organisations_are_spread_as_evenly_as_they_can_be(programme):
    people, teams = programme
    result = allocate(people, teams)
    placed = [p for s in result.sets for p in s.trainees]
    if result.unplaced:
        event("not enough teams for everyone")
    assert same_organisation_pairs(result.sets) == fewest_pairs(placed, len(result.sets))
    baseline = first_fit(people, teams, len(result.sets))
    assert same_organisation_pairs(result.sets) <= same_organisation_pairs(baseline)
    if same_organisation_pairs(result.sets) < same_organisation_pairs(baseline):
        event("better than first fit")


def test_the_optimiser_beats_first_fit_on_a_realistic_programme():
    generator = random.Random(2026)
    organisations = [f"org-{n}" for n in range(15)]
    weights = [1 / (rank + 1) for rank in range(15)]
    people = [
        trainee(
            i,
            generator.choices(organisations, weights)[0],
            generator.choice(["leeds", "london", "bristol"]),
            generator.choice(["online", "online", "in_person", None]),
            f"trainee{generator.randint(1, 200)}@nhs.net" if generator.random() < 0.1 else None,
        )
        for i in range(1, 201)
    ]
    teams = [
        team(
            f"team-{n:02d}",
            facilitator(100 + 2 * n, generator.choice(organisations)),
            facilitator(101 + 2 * n, generator.choice(organisations)),
            mode=generator.choice(["online", "online", "blended", "in_person"]),
            region=generator.choice(["leeds", "london", "bristol"]),
        )
        for n in range(36)
    ]
    result = allocate(people, teams)
    assert result.unplaced == []
    assert breaches(result, people, (5, 8)) == []
    baseline = first_fit(people, teams, len(result.sets))
    for proposed in baseline:
        proposed.score = score_set(proposed.team, proposed.trainees)[0]
    assert same_organisation_pairs(result.sets) < same_organisation_pairs(baseline) / 3
    assert result.score > 2 * sum(proposed.score for proposed in baseline)


def most_that_can_be_placed(people: list[Trainee], teams: list[Team], low: int, high: int) -> int:
    """Every way to place the trainees tried (for tiny programmes only)."""
    groups: list[list[Trainee]] = [[] for _ in teams]
    best = 0

    def fits(person: Trainee, number: int) -> bool:
        return not check_set(teams[number], [*groups[number], person], min_size=1, max_size=high)

    def place(index: int, placed: int) -> None:
        nonlocal best
        if placed + len(people) - index <= best:
            return
        if index == len(people):
            if all(not group or len(group) >= low for group in groups):
                best = placed
            return
        for number in range(len(teams)):
            if fits(people[index], number):
                groups[number].append(people[index])
                place(index + 1, placed + 1)
                groups[number].pop()
        place(index + 1, placed)

    place(0, 0)
    return best


@st.composite
def tiny_programmes(draw):
    people, teams, _ = draw(programmes(most_trainees=9))
    return people, teams[:3], draw(st.sampled_from([(2, 3), (3, 4), (2, 4), (5, 8)]))


@PROPERTY
@given(tiny_programmes())
def test_as_many_are_placed_as_can_be_in_tiny_programmes(programme):
    people, teams, (low, high) = programme
    result = allocate(people, teams, min_size=low, max_size=high)
    assert len(placed_ids(result)) == most_that_can_be_placed(people, teams, low, high)
