"""The buddy-pairing optimiser, on plain data (no database, no request).

The property tests check the optimiser against the hard rules, against a minimum number
of same-organisation links computed here independently, and against the greedy baseline.
"""

from __future__ import annotations

import random
from functools import cache
from itertools import combinations

import networkx as nx
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from lms.buddy.pairing import (
    Candidate,
    Group,
    Link,
    Pairing,
    PairingError,
    Reason,
    Rules,
    greedy_pair,
    pair,
    score_group,
    score_link,
    violations,
)

R = Reason


def person(
    id: int,
    organisation: str | None = "org-a",
    role_family: str | None = "nursing",
    sector: str | None = "acute",
    region: str | None = "london",
    modes: tuple[str, ...] = (),
) -> Candidate:
    return Candidate(id, organisation, role_family, sector, region, frozenset(modes))


def rules(
    must: tuple[tuple[int, int], ...] = (),
    must_not: tuple[tuple[int, int], ...] = (),
    past: tuple[tuple[int, int], ...] = (),
) -> Rules:
    def pairs(ids):
        return frozenset(frozenset(pair) for pair in ids)

    return Rules(pairs(must), pairs(must_not), pairs(past))


# --- scoring a link --------------------------------------------------------------------


def test_a_link_between_people_who_differ_in_every_way_scores_70():
    link = score_link(
        person(2, "org-a", "nursing", "acute", modes=("online",)),
        person(1, "org-b", "finance", "community", modes=("online", "blended")),
        Rules(),
    )
    assert link == Link(
        a=1,
        b=2,
        points=70,
        reasons=(
            (R.DIFFERENT_ORGANISATION, 0),
            (R.DIFFERENT_ROLE_FAMILY, 20),
            (R.DIFFERENT_SECTOR, 10),
            (R.SHARED_MODE, 40),
        ),
    )


def test_in_person_only_buddies_in_the_same_region_score_30_more():
    link = score_link(person(1, modes=("in_person",)), person(2, modes=("in_person",)), Rules())
    assert link.reasons == (
        (R.SAME_ORGANISATION, 0),
        (R.SAME_ROLE_FAMILY, 0),
        (R.SAME_SECTOR, 0),
        (R.SHARED_MODE, 40),
        (R.SAME_REGION_IN_PERSON, 30),
    )
    assert link.points == 70


def test_in_person_only_buddies_in_different_regions_lose_30():
    link = score_link(
        person(1, "org-a", "nursing", "acute", "london", ("in_person",)),
        person(2, "org-b", "finance", "acute", "north_west", ("in_person",)),
        Rules(),
    )
    assert (R.DIFFERENT_REGION_IN_PERSON, -30) in link.reasons
    assert link.points == 20 + 40 - 30


@pytest.mark.parametrize(
    ("modes_a", "modes_b", "shared"),
    [
        (("online",), ("in_person",), False),
        (("online", "blended"), ("blended",), True),
        ((), ("in_person",), True),  # no preference is compatible with everything
        ((), (), True),
    ],
)
def test_delivery_modes_are_compatible_when_they_overlap_or_one_is_open(modes_a, modes_b, shared):
    link = score_link(person(1, modes=modes_a), person(2, modes=modes_b), Rules())
    expected = (R.SHARED_MODE, 40) if shared else (R.NO_SHARED_MODE, 0)
    assert expected in link.reasons
    # region only counts when both can meet in person only
    assert not {R.SAME_REGION_IN_PERSON, R.DIFFERENT_REGION_IN_PERSON} & {
        reason for reason, _ in link.reasons
    }


def test_unknown_details_are_neither_the_same_nor_different():
    link = score_link(
        person(1, None, None, None, None, ("in_person",)),
        person(2, None, None, "acute", "london", ("in_person",)),
        Rules(),
    )
    assert link.reasons == ((R.SHARED_MODE, 40),)


def test_past_and_must_pairs_are_given_as_reasons_whichever_way_round():
    link = score_link(person(7), person(3), rules(must=((3, 7),), past=((7, 3),)))
    assert (link.a, link.b) == (3, 7)
    assert link.reasons[-2:] == ((R.PAST_PAIR, 0), (R.MUST_PAIR, 0))


def test_reasons_are_stable_lower_case_codes():
    assert R.DIFFERENT_ORGANISATION == "different_organisation"
    assert R.SAME_REGION_IN_PERSON.value == "same_region_in_person"
    assert len(set(R)) == 12


# --- scoring a group -------------------------------------------------------------------


def test_a_pair_scores_its_link():
    a = person(1, "org-a", "nursing", "acute")
    b = person(2, "org-a", "finance", "acute")
    group = score_group([b, a], rules(past=((1, 2),)))
    assert group.members == (1, 2)
    assert group.points == 60
    assert (group.same_organisation, group.repeats) == (1, 1)
    assert len(group.links) == 1


def test_a_triad_scores_the_mean_of_its_links_rounded_down():
    a = person(1, "org-a", "nursing", "acute", "london", ("in_person",))
    b = person(2, "org-b", "finance", "acute", "leeds", ("in_person",))
    c = person(3, "org-a", "nursing", "acute", "leeds", ("online",))
    group = score_group([c, b, a], rules(past=((2, 3),)))
    # a-b: different role +20 and organisation, in person in different regions 40 - 30;
    # a-c: no shared mode; b-c: different role only.
    assert [link.points for link in group.links] == [30, 0, 20]
    assert group.points == 16  # 50 / 3, rounded down
    assert (group.same_organisation, group.repeats) == (1, 1)


@pytest.mark.parametrize("size", [1, 4])
def test_groups_are_two_or_three_people(size):
    with pytest.raises(PairingError):
        score_group([person(i) for i in range(size)], Rules())


# --- impossible rules ------------------------------------------------------------------


def twelve() -> list[Candidate]:
    return [person(i, f"org-{i % 4}") for i in range(1, 13)]


@pytest.mark.parametrize(
    ("candidates", "the_rules", "message"),
    [
        ([person(1)], Rules(), "at least two people"),
        ([person(1), person(1)], Rules(), "only once"),
        (twelve(), rules(must=((1, 99),)), "99, who is not being paired"),
        (twelve(), rules(must=((1, 2), (2, 3))), "2 is in more than one must-pair"),
        (twelve(), rules(must=((1, 2),), must_not=((2, 1),)), "both a must-pair and"),
        ([person(1), person(2)], rules(must_not=((1, 2),)), "no way to group everyone"),
        (
            [person(1), person(2), person(3)],
            rules(must_not=((1, 3),)),
            "no way to group everyone",
        ),
        # Larger than the exhaustive search: someone who may be with nobody.
        (twelve(), rules(must_not=tuple((1, i) for i in range(2, 13))), "no way to group"),
        (
            [*twelve(), person(13)],
            rules(must_not=tuple((13, i) for i in range(1, 13))),
            "no way to group",
        ),
    ],
)
def test_impossible_rules_are_refused_with_a_reason(candidates, the_rules, message):
    with pytest.raises(PairingError, match=message):
        pair(candidates, the_rules)


# --- the optimiser against the greedy baseline ------------------------------------------


def four_where_the_best_link_is_a_trap(c_and_d_organisation: str = "org-c") -> list:
    """a-b is the single best link (70); taking it leaves c and d with each other (30,
    or the same organisation), while a-c and b-d score 60 each."""
    return [
        person(1, "org-a", "nursing", "acute", modes=()),
        person(2, "org-b", "finance", "community", modes=()),
        person(3, "org-c", "finance", "acute", modes=("online",)),
        person(4, c_and_d_organisation, "nursing", "community", modes=("in_person",)),
    ]


def test_the_optimiser_beats_greedy_on_points():
    candidates = four_where_the_best_link_is_a_trap("org-d")
    greedy = greedy_pair(candidates)
    best = pair(candidates)
    assert [group.members for group in greedy.groups] == [(1, 2), (3, 4)]
    assert greedy.total == 70 + 30
    assert [group.members for group in best.groups] == [(1, 3), (2, 4)]
    assert best.total == 60 + 60
    assert best.key() > greedy.key()


def test_the_optimiser_avoids_a_same_organisation_pair_that_greedy_makes():
    candidates = four_where_the_best_link_is_a_trap("org-c")
    assert greedy_pair(candidates).same_organisation == 1
    best = pair(candidates)
    assert best.same_organisation == 0
    assert best.key() == (0, 0, 120)


def test_the_optimiser_avoids_repeating_past_pairs_before_scoring_points():
    candidates = four_where_the_best_link_is_a_trap("org-d")
    best = pair(candidates, rules(past=((1, 3), (2, 4), (1, 4))))
    assert [group.members for group in best.groups] == [(1, 2), (3, 4)]
    assert best.key() == (0, 0, 100)  # 120 would repeat two past pairs


def test_must_pair_beats_everything_and_must_not_pair_is_kept_apart():
    candidates = four_where_the_best_link_is_a_trap("org-d")
    together = pair(candidates, rules(must=((3, 4),)))
    assert [group.members for group in together.groups] == [(1, 2), (3, 4)]
    apart = pair(candidates, rules(must_not=((1, 3),)))
    assert all({1, 3} - set(group.members) for group in apart.groups)
    assert apart.total == 100  # the best left: 1-2 and 3-4, or 1-4 and 2-3


def test_an_odd_number_makes_exactly_one_triad():
    candidates = [person(i, f"org-{i}", modes=("online",)) for i in range(1, 12)]
    result = pair(candidates)
    assert sorted(len(group.members) for group in result.groups) == [2, 2, 2, 2, 3]
    assert violations(result, candidates, Rules()) == []


def test_the_same_input_in_any_order_gives_the_same_pairing():
    generator = random.Random(7)
    candidates = [
        person(
            i,
            generator.choice(["a", "b", "c", None]),
            generator.choice(["nursing", "finance", "medical"]),
            generator.choice(["acute", "community"]),
            generator.choice(["london", "leeds"]),
            tuple(generator.sample(["online", "blended", "in_person"], generator.randint(0, 2))),
        )
        for i in range(31)
    ]
    first = pair(candidates, rules(past=((1, 2), (3, 4))))
    generator.shuffle(candidates)
    assert pair(candidates, rules(past=((4, 3), (2, 1)))) == first


def test_a_large_intake_uses_the_sparse_graph_and_still_keeps_the_rules():
    generator = random.Random(2026)
    candidates = [
        person(
            i,
            f"org-{generator.randint(1, 60)}",
            generator.choice(["nursing", "finance", "medical", "allied_health"]),
            generator.choice(["acute", "community", "mental_health"]),
            generator.choice(["london", "leeds", "bristol"]),
            tuple(generator.sample(["online", "blended", "in_person"], generator.randint(0, 2))),
        )
        for i in range(241)
    ]
    the_rules = rules(must=((1, 2), (3, 4)), must_not=((5, 6), (7, 8)), past=((9, 10), (11, 12)))
    result = pair(candidates, the_rules)
    assert violations(result, candidates, the_rules) == []
    assert result.key() >= greedy_pair(candidates, the_rules).key()
    assert result.same_organisation == 0


# --- violations() ---------------------------------------------------------------------


def test_violations_names_every_broken_rule():
    candidates = [person(i) for i in range(1, 8)]  # 7 people
    groups = (
        score_group([person(1), person(2), person(3)], Rules()),
        score_group([person(3), person(4)], Rules()),
        score_group([person(5), person(6), person(99)], Rules()),
        Group(members=(7,), points=0, links=(), same_organisation=0, repeats=0),
    )
    found = violations(Pairing(groups), candidates, rules(must=((2, 4),), must_not=((5, 6),)))
    assert found == [
        "Group [5, 6, 99] names unknown person 99.",
        "Group [7] has 1 people.",
        "Person 3 is placed 2 times.",
        "There are 2 triads; there may be only one.",
        "Must-pair 2 and 4 are not in the same group.",
        "Must-not-pair 5 and 6 are in the same group.",
    ]


def test_violations_notices_someone_left_out_and_a_needless_triad():
    candidates = [person(i) for i in range(1, 5)]
    triad = Pairing((score_group([person(1), person(2), person(3)], Rules()),))
    assert violations(triad, candidates, Rules()) == [
        "Person 4 is not in any group.",
        "There is a triad although the number of people is even.",
    ]
    assert violations(pair(candidates), candidates, Rules()) == []


# --- properties on random intakes -------------------------------------------------------

BRUTE_FORCE_LIMIT = 12  # up to this many people the test tries every grouping itself


@st.composite
def intakes(draw, most_people: int = 40) -> tuple[list[Candidate], Rules]:
    """2 to 40 people from few organisations, role families, sectors and regions (so that
    collisions are common), with past pairs and consistent must / must-not rules."""
    size = draw(st.integers(2, most_people))
    ids = draw(st.lists(st.integers(1, 500), min_size=size, max_size=size, unique=True))
    # One to four organisations in each intake, so that some intakes cannot avoid
    # same-organisation pairs at all.
    names = st.sampled_from(["org-a", "org-b", "org-c", "org-d", None])
    organisation = st.sampled_from(draw(st.lists(names, min_size=1, max_size=4, unique=True)))
    candidates = [
        Candidate(
            id=id,
            organisation=draw(organisation),
            role_family=draw(st.sampled_from(["nursing", "medical", "finance", None])),
            sector=draw(st.sampled_from(["acute", "community", None])),
            region=draw(st.sampled_from(["london", "leeds", None])),
            modes=draw(st.frozensets(st.sampled_from(["online", "blended", "in_person"]))),
        )
        for id in ids
    ]
    id_pairs = st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True)
    past = draw(st.lists(id_pairs, max_size=size))
    order = draw(st.permutations(ids))
    must_count = draw(st.integers(0, min(3, size // 2)))
    must = [order[2 * i : 2 * i + 2] for i in range(must_count)]
    # Beyond the brute-force size, few enough must-not rules that a grouping always exists.
    most = size if size <= BRUTE_FORCE_LIMIT else size // 4 * draw(st.integers(0, 1))
    must_not = [
        ids_pair
        for ids_pair in draw(st.lists(id_pairs, max_size=most))
        if set(ids_pair) not in [set(pair) for pair in must]
    ]
    return candidates, rules(tuple(must), tuple(must_not), tuple(past))


def same_organisation(a: Candidate, b: Candidate) -> bool:
    return a.organisation is not None and a.organisation == b.organisation


def brute_force_best_key(candidates: list[Candidate], the_rules: Rules) -> tuple | None:
    """Every valid grouping tried, scored with score_link alone: the best key (fewest
    same-organisation links, fewest repeats, most points), or None if none is valid."""
    people = sorted(candidates, key=lambda c: c.id)
    n = len(people)
    position = {c.id: i for i, c in enumerate(people)}
    partner = {}
    for a, b in (tuple(ids) for ids in the_rules.must_pair):
        partner[position[a]], partner[position[b]] = position[b], position[a]
    apart = {frozenset(position[i] for i in ids) for ids in the_rules.must_not_pair}
    links = {}
    for a, b in combinations(range(n), 2):
        link = score_link(people[a], people[b], the_rules)
        reasons = {reason for reason, _ in link.reasons}
        links[a, b] = (-(R.SAME_ORGANISATION in reasons), -(R.PAST_PAIR in reasons), link.points)

    def key(group: tuple[int, ...]) -> tuple[int, int, int] | None:
        if any(frozenset(p) in apart for p in combinations(group, 2)):
            return None
        if any(partner.get(i, group[0]) not in group for i in group):
            return None
        parts = [links[p] for p in combinations(group, 2)]
        return (
            sum(p[0] for p in parts),
            sum(p[1] for p in parts),
            sum(p[2] for p in parts) // len(parts),
        )

    @cache
    def best(left: tuple[int, ...], triad_due: bool) -> tuple[int, int, int] | None:
        if not left:
            return None if triad_due else (0, 0, 0)
        first, rest = left[0], left[1:]
        shapes = [(j,) for j in rest] + (list(combinations(rest, 2)) if triad_due else [])
        found = None
        for others in shapes:
            group = (first, *others)
            here = key(group)
            if here is None:
                continue
            after = best(tuple(i for i in rest if i not in others), triad_due and len(group) == 2)
            if after is not None:
                total = tuple(x + y for x, y in zip(here, after, strict=True))
                found = total if found is None else max(found, total)
        return found

    return best(tuple(range(n)), n % 2 == 1)


def fewest_same_organisation_by_matching(candidates: list[Candidate], the_rules: Rules):
    """Without must-not rules: must-pairs stay as they are, and everyone else is paired
    along a maximum matching of the different-organisation links; whoever that leaves
    over can only be paired within an organisation. With an odd count, every kind of
    triad is tried (people of one organisation are interchangeable here), and the
    rest is paired using the size of a maximum matching in a complete multipartite
    graph: min(half the people, everyone outside the largest organisation)."""
    by_id = {c.id: c for c in candidates}
    must = [tuple(by_id[i] for i in sorted(ids)) for ids in the_rules.must_pair]
    in_must = {c.id for pair in must for c in pair}
    free = [c for c in candidates if c.id not in in_must]
    fixed = sum(same_organisation(a, b) for a, b in must)
    if len(candidates) % 2 == 0:
        graph = nx.Graph()
        graph.add_nodes_from(c.id for c in free)
        graph.add_edges_from(
            (a.id, b.id) for a, b in combinations(free, 2) if not same_organisation(a, b)
        )
        return fixed + len(free) // 2 - len(nx.max_weight_matching(graph, maxcardinality=True))

    def paired_cost(people: list[Candidate]) -> int:
        sizes: dict[str, int] = {}
        for c in people:
            if c.organisation is not None:
                sizes[c.organisation] = sizes.get(c.organisation, 0) + 1
        # people of unknown organisation each make a part of one
        largest = max(sizes.values(), default=min(1, len(people)))
        return len(people) // 2 - min(len(people) // 2, len(people) - largest)

    kinds: dict[str | None, list[Candidate]] = {}
    for c in free:
        kinds.setdefault(c.organisation, []).append(c)
    costs = []
    for a, b in must:  # the triad is a must-pair and one more
        for kind in kinds.values():
            third = kind[0]
            rest = [c for c in free if c is not third]
            in_triad = same_organisation(third, a) + same_organisation(third, b)
            costs.append(fixed + in_triad + paired_cost(rest))
    names = sorted(kinds, key=str)  # every triad of kinds, with repetition
    for x in range(len(names)):
        for y in range(x, len(names)):
            for z in range(y, len(names)):
                picks = [names[x], names[y], names[z]]
                triad = []
                for name in picks:
                    taken = sum(1 for member in triad if member.organisation == name)
                    if taken >= len(kinds[name]):
                        break
                    triad.append(kinds[name][taken])
                else:
                    rest = [c for c in free if c not in triad]
                    costs.append(
                        fixed
                        + sum(same_organisation(p, q) for p, q in combinations(triad, 2))
                        + paired_cost(rest)
                    )
    return min(costs)


def pair_or_show_impossible(candidates: list[Candidate], the_rules: Rules) -> Pairing | None:
    """pair(), or None after checking that no valid grouping exists at all."""
    try:
        return pair(candidates, the_rules)
    except PairingError:
        assert len(candidates) <= BRUTE_FORCE_LIMIT, "a large intake was refused"
        assert brute_force_best_key(candidates, the_rules) is None
        event("the rules leave no valid grouping")
        return None


@settings(max_examples=200, deadline=None)
@given(intakes())
def test_everyone_is_placed_once_and_the_rules_are_kept(intake):
    candidates, the_rules = intake
    result = pair_or_show_impossible(candidates, the_rules)
    if result is None:
        return
    placed = sorted(member for group in result.groups for member in group.members)
    assert placed == sorted(c.id for c in candidates)
    sizes = sorted(len(group.members) for group in result.groups)
    assert sizes == [2] * (len(candidates) // 2 - 1) + [2 + len(candidates) % 2]
    assert violations(result, candidates, the_rules) == []
    group_of = {member: group for group in result.groups for member in group.members}
    for a, b in (tuple(ids) for ids in the_rules.must_pair):
        assert group_of[a] is group_of[b]
    for a, b in (tuple(ids) for ids in the_rules.must_not_pair):
        assert group_of[a] is not group_of[b]
    for group in result.groups:
        assert group == score_group([c for c in candidates if c.id in group.members], the_rules)


@settings(max_examples=200, deadline=None)
@given(intakes())
def test_same_organisation_links_are_as_few_as_possible(intake):
    candidates, the_rules = intake
    if len(candidates) <= BRUTE_FORCE_LIMIT:
        best = brute_force_best_key(candidates, the_rules)
        fewest = None if best is None else -best[0]
        event("checked by trying every grouping")
    elif not the_rules.must_not_pair:
        fewest = fewest_same_organisation_by_matching(candidates, the_rules)
        event("checked by matching")
    else:
        event("not checked: must-not rules in a large intake")
        return
    result = pair_or_show_impossible(candidates, the_rules)
    if result is not None:
        assert fewest is not None
        assert result.same_organisation == fewest
        event(f"same-organisation links: {min(fewest, 3)}{'+' if fewest > 3 else ''}")


@settings(max_examples=200, deadline=None)
@given(intakes())
def test_the_optimiser_is_never_worse_than_greedy(intake):
    candidates, the_rules = intake
    result = pair_or_show_impossible(candidates, the_rules)
    if result is None:
        return
    try:
        greedy = greedy_pair(candidates, the_rules)
    except PairingError:
        event("greedy got stuck")
        return
    assert result.key() >= greedy.key()
    event("better than greedy" if result.key() > greedy.key() else "as good as greedy")


@settings(max_examples=200, deadline=None)
@given(intakes(most_people=9))
def test_up_to_nine_people_get_the_best_grouping_there_is(intake):
    candidates, the_rules = intake
    result = pair_or_show_impossible(candidates, the_rules)
    if result is not None:
        assert result.key() == brute_force_best_key(candidates, the_rules)
