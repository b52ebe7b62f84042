"""Buddy pairing (SPEC section 6): who is paired with whom, and why.

This module is pure: it takes plain dataclasses and returns plain dataclasses, so it can
be tested and benchmarked without a database or a request.

How a pair of people is scored (for programme leads)
----------------------------------------------------
Every pair of people in a group is a *link*. A link earns points:

=======================================  ======  ==========================================
What                                     Points  Notes
=======================================  ======  ==========================================
Different organisations                  rule    Not points: see "What matters most" below.
Different role families                  +20     Same role family: 0.
Different sectors                        +10     Same sector: 0.
Share at least one delivery mode         +40     No shared mode: 0. Someone with no stated
                                                 preference is compatible with everyone.
Both can only meet in person, same       +30     Only scored when both choose in person
region                                           only; then a different region is -30.
Buddies before                           rule    Not points: see "What matters most" below.
Must pair (set by a lead)                rule    Always together.
=======================================  ======  ==========================================

An unknown organisation, role family, sector or region (``None``) is never "the same" and
never "different": it earns nothing and is not given as a reason. A pair scores its one
link's points. When the number of people is odd, one group is a triad; its score is the
average of its three links' points, rounded down, so pairs and the triad read on one
scale (0 to 100).

What matters most
-----------------
Groupings are compared in this order; a later rule only breaks ties in the earlier ones:

1. Fewest links between people from the same organisation. Different organisations are
   required wherever that is possible at all.
2. Fewest links that repeat a past buddy pair.
3. The highest total points across all groups.

Must-pair people are always in the same group and must-not-pair people never are; these
are hard rules, checked by :func:`violations`.

How the optimiser works
-----------------------
Must-pair people are placed together first. Everyone else is paired by a maximum-weight
matching (Edmonds' blossom algorithm, from networkx) on a graph whose link weights encode
the three rules above as one number: each rule is weighted so that it outweighs
everything after it added up over the whole intake, and must-not-pair links are left
out. With an even number of people (up to 200 of them, see below) this is exactly
optimal.

With an odd number, someone is left over to make the triad. The matching first leaves
out whoever is cheapest to leave out; it is then re-run with a stand-in "nobody" node
that each person can be matched to for what they would add by joining the pair that
suits them best (up to three times, while that changes who is left over). The one left
over joins the pair where the triad scores best. A local search then rearranges the
people of any two groups, and of the triad with two pairs, while that improves the
result; up to 60 people it also tries the six most promising other triads, each with a
fresh matching of everyone else. This is not guaranteed to be optimal on points, but it
matched an exhaustive search on thousands of random intakes of 10 to 13 people. Up to
nine people every grouping is tried, so the result is exact.

Above 200 people the graph keeps only each person's best 40 links (ties broken by a
fixed scramble), so that 500 people pair in about a second rather than eight, and the
re-run for the triad happens once. A few points may be lost: 20 of 18,260 (0.1%) in the
500-person benchmark, ``scripts/bench_pairing.py``. Everyone's best links are to other
organisations wherever there are any, and if the sparse graph cannot place everyone the
matching is re-run on all links. The same input always gives the same result: people
are handled in id order and nothing depends on the order of a set.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from itertools import combinations

import networkx as nx

DIFFERENT_ROLE_FAMILY_POINTS = 20
DIFFERENT_SECTOR_POINTS = 10
SHARED_MODE_POINTS = 40
REGION_IN_PERSON_POINTS = 30
IN_PERSON_ONLY = frozenset({"in_person"})

EXACT_LIMIT = 9  # up to this many people every grouping is tried
DENSE_LIMIT = 200  # above this many people to match, keep each person's best links only
SPARSE_LINKS = 40
REWEIGHT_ROUNDS = 3  # re-runs pricing who is left over (one only in large intakes)
TRIAD_SEARCH_LIMIT = 60  # up to this many people to match, also try other triads
TRIAD_NEIGHBOURS = 10  # ... made of someone and two of their best links
TRIAD_TRIES = 6  # ... the most promising this many
NEAR_PAIRS = 8  # pairs tried in three-group moves with the triad, in large intakes


class PairingError(ValueError):
    """The rules cannot be met, or the input is not a pairing problem."""


class Reason(StrEnum):
    DIFFERENT_ORGANISATION = "different_organisation"
    SAME_ORGANISATION = "same_organisation"
    DIFFERENT_ROLE_FAMILY = "different_role_family"
    SAME_ROLE_FAMILY = "same_role_family"
    DIFFERENT_SECTOR = "different_sector"
    SAME_SECTOR = "same_sector"
    SHARED_MODE = "shared_mode"
    NO_SHARED_MODE = "no_shared_mode"
    SAME_REGION_IN_PERSON = "same_region_in_person"
    DIFFERENT_REGION_IN_PERSON = "different_region_in_person"
    PAST_PAIR = "past_pair"
    MUST_PAIR = "must_pair"


@dataclass(frozen=True)
class Candidate:
    id: int
    organisation: str | None
    role_family: str | None
    sector: str | None
    region: str | None
    modes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rules:
    must_pair: frozenset[frozenset[int]] = frozenset()
    must_not_pair: frozenset[frozenset[int]] = frozenset()
    past_pairs: frozenset[frozenset[int]] = frozenset()


@dataclass(frozen=True)
class Link:
    a: int
    b: int
    points: int
    reasons: tuple[tuple[Reason, int], ...]


@dataclass(frozen=True)
class Group:
    members: tuple[int, ...]
    points: int
    links: tuple[Link, ...]
    same_organisation: int
    repeats: int


@dataclass(frozen=True)
class Pairing:
    groups: tuple[Group, ...]

    @property
    def total(self) -> int:
        return sum(group.points for group in self.groups)

    @property
    def same_organisation(self) -> int:
        return sum(group.same_organisation for group in self.groups)

    @property
    def repeats(self) -> int:
        return sum(group.repeats for group in self.groups)

    def key(self) -> tuple[int, int, int]:
        """The objective, bigger is better: fewest same-organisation links, then fewest
        repeats, then most points."""
        return (-self.same_organisation, -self.repeats, self.total)


def _compared(a: str | None, b: str | None, different: Reason, same: Reason, points: int):
    if a is None or b is None:
        return ()
    return ((same, 0),) if a == b else ((different, points),)


def score_link(a: Candidate, b: Candidate, rules: Rules) -> Link:
    """Score one pair of people and say why (see the table in the module docstring)."""
    if a.id > b.id:
        a, b = b, a
    reasons: list[tuple[Reason, int]] = [
        *_compared(a.organisation, b.organisation, Reason.DIFFERENT_ORGANISATION,
                   Reason.SAME_ORGANISATION, 0),
        *_compared(a.role_family, b.role_family, Reason.DIFFERENT_ROLE_FAMILY,
                   Reason.SAME_ROLE_FAMILY, DIFFERENT_ROLE_FAMILY_POINTS),
        *_compared(a.sector, b.sector, Reason.DIFFERENT_SECTOR, Reason.SAME_SECTOR,
                   DIFFERENT_SECTOR_POINTS),
    ]  # fmt: skip
    if not a.modes or not b.modes or a.modes & b.modes:
        reasons.append((Reason.SHARED_MODE, SHARED_MODE_POINTS))
    else:
        reasons.append((Reason.NO_SHARED_MODE, 0))
    if a.modes == IN_PERSON_ONLY == b.modes and a.region is not None and b.region is not None:
        if a.region == b.region:
            reasons.append((Reason.SAME_REGION_IN_PERSON, REGION_IN_PERSON_POINTS))
        else:
            reasons.append((Reason.DIFFERENT_REGION_IN_PERSON, -REGION_IN_PERSON_POINTS))
    ids = frozenset((a.id, b.id))
    if ids in rules.past_pairs:
        reasons.append((Reason.PAST_PAIR, 0))
    if ids in rules.must_pair:
        reasons.append((Reason.MUST_PAIR, 0))
    return Link(a.id, b.id, sum(points for _, points in reasons), tuple(reasons))


def score_group(members: Sequence[Candidate], rules: Rules) -> Group:
    """Score a pair or a triad, for example one a lead has edited by hand."""
    people = sorted(members, key=lambda candidate: candidate.id)
    if len(people) not in (2, 3) or len({person.id for person in people}) != len(people):
        raise PairingError("A group is two or three different people.")
    links = tuple(score_link(a, b, rules) for a, b in combinations(people, 2))
    points = sum(link.points for link in links) // len(links)  # a triad's mean, rounded down
    return Group(
        members=tuple(person.id for person in people),
        points=points,
        links=links,
        same_organisation=sum(
            any(reason is Reason.SAME_ORGANISATION for reason, _ in link.reasons) for link in links
        ),
        repeats=sum(
            any(reason is Reason.PAST_PAIR for reason, _ in link.reasons) for link in links
        ),
    )


def pair(candidates: Sequence[Candidate], rules: Rules = Rules()) -> Pairing:
    """Group everyone into pairs (and one triad if the count is odd), best first by the
    objective in the module docstring. Raises :class:`PairingError` if the rules cannot
    be met."""
    problem = _Problem(candidates, rules)
    groups = problem.exact() if problem.n <= EXACT_LIMIT else problem.optimise()
    return problem.pairing(groups)


def greedy_pair(candidates: Sequence[Candidate], rules: Rules = Rules()) -> Pairing:
    """The baseline the optimiser must beat: must-pairs first, then repeatedly the best
    remaining link by the same objective; with an odd count the one left over joins the
    pair it fits best. It can get stuck on must-not-pair rules, and then raises
    :class:`PairingError`."""
    problem = _Problem(candidates, rules)
    pairs = list(problem.fixed)
    used = set(problem.partner)
    weights = problem.weights
    links = sorted(
        (-weight, i, j)
        for i, j in combinations(problem.free, 2)
        if (weight := weights[i][j]) is not None
    )
    for _, i, j in links:
        if i not in used and j not in used:
            used.update((i, j))
            pairs.append((i, j))
    left = [i for i in problem.free if i not in used]
    if len(left) == 1:
        best = problem.best_host(left[0], pairs)
        if best is not None:
            host = pairs.pop(best[1])
            return problem.pairing([*pairs, (*host, left[0])])
    elif not left:
        return problem.pairing(pairs)
    raise PairingError("The greedy baseline could not place everyone within the rules.")


def violations(pairing: Pairing, candidates: Sequence[Candidate], rules: Rules) -> list[str]:
    """Every hard rule the pairing breaks, in plain English; empty when it is valid."""
    known = {candidate.id for candidate in candidates}
    problems: list[str] = []
    group_of: dict[int, int] = {}
    placed: dict[int, int] = dict.fromkeys(known, 0)
    for number, group in enumerate(pairing.groups):
        if len(group.members) not in (2, 3):
            problems.append(f"Group {list(group.members)} has {len(group.members)} people.")
        for member in group.members:
            if member not in known:
                problems.append(f"Group {list(group.members)} names unknown person {member}.")
                continue
            placed[member] += 1
            group_of[member] = number
    for person, times in sorted(placed.items()):
        if times == 0:
            problems.append(f"Person {person} is not in any group.")
        elif times > 1:
            problems.append(f"Person {person} is placed {times} times.")
    triads = sum(len(group.members) == 3 for group in pairing.groups)
    if triads > 1:
        problems.append(f"There are {triads} triads; there may be only one.")
    elif triads and len(known) % 2 == 0:
        problems.append("There is a triad although the number of people is even.")
    for a, b in _sorted_pairs(rules.must_pair):
        if group_of.get(a) != group_of.get(b) or a not in group_of:
            problems.append(f"Must-pair {a} and {b} are not in the same group.")
    for a, b in _sorted_pairs(rules.must_not_pair):
        if a in group_of and group_of.get(a) == group_of.get(b):
            problems.append(f"Must-not-pair {a} and {b} are in the same group.")
    return problems


def _sorted_pairs(pairs: Iterable[frozenset[int]]) -> list[tuple[int, ...]]:
    return sorted(tuple(sorted(ids)) for ids in pairs if len(ids) == 2)


Groups = list[tuple[int, ...]]


class _Problem:
    """One pairing problem, with people numbered 0..n-1 in id order.

    ``weights[i][j]`` is the link's value on one scale: ``-same_org * tier1 - repeat *
    tier2 + points``, or ``None`` when the link is forbidden. The tiers are large enough
    that one same-organisation link outweighs any number of repeats and points.
    """

    def __init__(self, candidates: Sequence[Candidate], rules: Rules) -> None:
        people = sorted(candidates, key=lambda candidate: candidate.id)
        self.people, self.rules, self.n = people, rules, len(people)
        if self.n < 2:
            raise PairingError(f"Pairing needs at least two people; there are {self.n}.")
        index = {person.id: i for i, person in enumerate(people)}
        if len(index) != self.n:
            raise PairingError("Each person may be listed only once.")
        for ids in (*rules.must_pair, *rules.must_not_pair):
            if len(ids) != 2:
                raise PairingError(f"A must-pair or must-not-pair rule names {len(ids)} people.")
        if both := rules.must_pair & rules.must_not_pair:
            a, b = _sorted_pairs(both)[0]
            raise PairingError(f"{a} and {b} are both a must-pair and a must-not-pair.")
        self.partner: dict[int, int] = {}
        for a, b in _sorted_pairs(rules.must_pair):
            for person in (a, b):
                if person not in index:
                    raise PairingError(f"A must-pair names {person}, who is not being paired.")
                if index[person] in self.partner:
                    raise PairingError(f"{person} is in more than one must-pair.")
            self.partner[index[a]], self.partner[index[b]] = index[b], index[a]
        self.fixed: Groups = sorted((i, j) for i, j in self.partner.items() if i < j)
        self.free = [i for i in range(self.n) if i not in self.partner]
        self.forbidden = {
            (index[a], index[b])
            for a, b in _sorted_pairs(rules.must_not_pair)
            if a in index and b in index  # a rule about someone not here cannot be broken
        }
        self.tier2 = 256 * (self.n + 4)
        self.tier1 = self.tier2 * (self.n + 4)
        self.weights = self._weights()
        self.sparse = len(self.free) > DENSE_LIMIT

    def _weights(self) -> list[list[int | None]]:
        n, tier1, tier2 = self.n, self.tier1, self.tier2
        codes: dict[object, int] = {}

        def code(value: str | None) -> int:
            return -1 if value is None else codes.setdefault(value, len(codes))

        people = self.people
        # An unknown organisation matches no one's, so each gets a code of its own.
        organisation = [
            -2 - i if p.organisation is None else code(p.organisation) for i, p in enumerate(people)
        ]
        role = [code(p.role_family) for p in people]
        sector = [code(p.sector) for p in people]
        region = [code(p.region) for p in people]
        modes = [p.modes for p in people]
        in_person = [p.modes == IN_PERSON_ONLY for p in people]
        index = {person.id: i for i, person in enumerate(people)}
        past = {
            (min(index[a], index[b]), max(index[a], index[b]))
            for a, b in _sorted_pairs(self.rules.past_pairs)
            if a in index and b in index
        }
        weights: list[list[int | None]] = [[None] * n for _ in range(n)]
        for i in range(n):
            row = weights[i]
            for j in range(i + 1, n):
                if (i, j) in self.forbidden:
                    continue
                value = -tier1 if organisation[i] == organisation[j] else 0
                if (i, j) in past:
                    value -= tier2
                if role[i] >= 0 and role[j] >= 0 and role[i] != role[j]:
                    value += DIFFERENT_ROLE_FAMILY_POINTS
                if sector[i] >= 0 and sector[j] >= 0 and sector[i] != sector[j]:
                    value += DIFFERENT_SECTOR_POINTS
                if not modes[i] or not modes[j] or modes[i] & modes[j]:
                    value += SHARED_MODE_POINTS
                if in_person[i] and in_person[j] and region[i] >= 0 and region[j] >= 0:
                    same_region = region[i] == region[j]
                    value += REGION_IN_PERSON_POINTS if same_region else -REGION_IN_PERSON_POINTS
                row[j] = weights[j][i] = value
        return weights

    def value(self, group: tuple[int, ...]) -> int | None:
        """A group's value on the weights' scale, or None if it breaks a hard rule."""
        partner, weights = self.partner, self.weights
        for member in group:
            if member in partner and partner[member] not in group:
                return None
        if len(group) == 2:
            return weights[group[0]][group[1]]
        a, b, c = group
        ab, ac, bc = weights[a][b], weights[a][c], weights[b][c]
        if ab is None or ac is None or bc is None:
            return None
        total = ab + ac + bc
        points = (total + 90) % self.tier2 - 90  # a link's points lie within -30..100
        return total - points + points // 3

    def best_host(self, person: int, pairs: Groups) -> tuple[int, int] | None:
        """(gain, index) of the pair in ``pairs`` that ``person`` best joins as a triad."""
        if person in self.partner:
            return None  # a must-pair person cannot leave their partner
        best = None
        weights, tier2 = self.weights, self.tier2
        row = weights[person]
        for number, (a, b) in enumerate(pairs):
            to_a, to_b = row[a], row[b]
            if to_a is None or to_b is None or person in (a, b):
                continue
            pair_value = weights[a][b]
            total = pair_value + to_a + to_b  # as in value(), written out for speed
            points = (total + 90) % tier2 - 90
            gain = total - points + points // 3 - pair_value
            if best is None or gain > best[0]:
                best = (gain, number)
        return best

    def pairing(self, groups: Iterable[tuple[int, ...]]) -> Pairing:
        people, rules = self.people, self.rules
        scored = (score_group([people[i] for i in group], rules) for group in groups)
        return Pairing(tuple(sorted(scored, key=lambda group: group.members)))

    def exact(self) -> Groups:
        """Try every grouping (for small inputs only)."""

        @cache
        def best(left: tuple[int, ...], triad: bool) -> tuple[int, Groups] | None:
            if not left:
                return None if triad else (0, [])
            first, rest = left[0], left[1:]
            found = None
            shapes = [(j,) for j in rest]
            if triad:
                shapes += list(combinations(rest, 2))
            for others in shapes:
                group = (first, *others)
                value = self.value(group)
                if value is None:
                    continue
                after = best(tuple(i for i in rest if i not in others), triad and len(group) == 2)
                if after is not None and (found is None or value + after[0] > found[0]):
                    found = (value + after[0], [group, *after[1]])
            return found

        found = best(tuple(range(self.n)), self.n % 2 == 1)
        if found is None:
            raise PairingError("The must-not-pair rules leave no way to group everyone.")
        return found[1]

    def optimise(self) -> Groups:
        if self.n % 2 == 0:
            found = self._match(self.free)
            if found is None:
                raise PairingError("The must-not-pair rules leave no way to group everyone.")
            return self._improve(self.fixed + found[0])
        best: Groups | None = None
        bonus: dict[int, int] | None = None
        seen: set[int] = set()
        for _ in range(1 + (1 if self.sparse else REWEIGHT_ROUNDS)):
            found = self._match(self.free, bonus)
            if found is None:
                break
            hosts, leftover = self.fixed + found[0], found[1]
            groups = self._with_triad(leftover, hosts)
            if groups is not None and (best is None or self.total(groups) > self.total(best)):
                best = groups
            if leftover in seen:
                break
            seen.add(leftover)
            # Next time, price being left over at what each person adds by joining the
            # pair that suits them best; people who cannot join any pair are not offered.
            bonus = {}
            for person in self.free:
                host = self.best_host(person, hosts)
                if host is not None:
                    bonus[person] = host[0]
        best = self._improve(best if best is not None else self._fallback_triad())
        if len(self.free) <= TRIAD_SEARCH_LIMIT:
            best = self._search_triads(best)
        return best

    def total(self, groups: Groups) -> int:
        return sum(self.value(group) for group in groups)

    def _with_triad(self, leftover: int, hosts: Groups) -> Groups | None:
        host = self.best_host(leftover, hosts)
        if host is None:
            return None
        groups = list(hosts)
        groups[host[1]] = (*groups[host[1]], leftover)
        return groups

    def _fallback_triad(self) -> Groups:
        """Each free person in turn as the one left over, until the rest can be paired.
        Only needed when must-not-pair rules are dense."""
        for leftover in self.free:
            found = self._match(self.free, {leftover: 0})
            if found is not None:
                groups = self._with_triad(leftover, self.fixed + found[0])
                if groups is not None:
                    return groups
        raise PairingError("The must-not-pair rules leave no way to group everyone.")

    def _search_triads(self, groups: Groups) -> Groups:
        """In small intakes, also try the triads that look most promising against the
        current grouping, each with the best pairing of everyone else."""
        worth = {}  # what each person's place is worth now, times six
        for group in groups:
            for member in group:
                worth[member] = 6 * self.value(group) // len(group)
        current = next(group for group in groups if len(group) == 3)
        scored: dict[tuple[int, ...], int] = {}
        for third in self.free:
            row = self.weights[third]
            near = heapq.nlargest(
                TRIAD_NEIGHBOURS,
                ((row[j], -j) for j in self.free if j != third and row[j] is not None),
            )
            options = [tuple(sorted((third, -a, -b))) for (_, a), (_, b) in combinations(near, 2)]
            options += [(*host, third) for host in self.fixed]
            for triad in options:
                if triad not in scored and triad != current:
                    value = self.value(triad)
                    if value is not None:
                        scored[triad] = 6 * value - sum(worth[member] for member in triad)
        best, best_total = groups, self.total(groups)
        for _, triad in heapq.nlargest(TRIAD_TRIES, ((s, triad) for triad, s in scored.items())):
            found = self._match([i for i in self.free if i not in triad])
            if found is None:
                continue
            fixed = [host for host in self.fixed if host[0] not in triad]
            candidate = self._improve([triad, *fixed, *found[0]])
            if self.total(candidate) > best_total:
                best, best_total = candidate, self.total(candidate)
        return best

    def _match(
        self, people: list[int], bonus: dict[int, int] | None = None
    ) -> tuple[Groups, int] | None:
        """A maximum-weight matching of ``people`` that leaves at most one of them over
        (and no one when their number is even), as (pairs, leftover or -1).

        With ``bonus``, a stand-in node -1 is matched to the one left over, worth
        ``bonus[person]``; without it, the matching itself leaves out whoever costs least.
        """
        nodes = [*people, -1] if bonus is not None else list(people)
        offset = 2 * (self.tier1 + self.tier2 + 100)  # every weight positive; same in any match
        sparse = self.sparse
        while True:
            graph = nx.Graph()
            graph.add_nodes_from(nodes)
            # Floats are exact here (below 2**53) and spare networkx its O(n * m)
            # re-verification of integer-weighted results.
            graph.add_weighted_edges_from(
                (i, j, float(offset + weight)) for i, j, weight in self._edges(people, sparse)
            )
            if bonus is not None:
                graph.add_weighted_edges_from(
                    (-1, person, float(offset + value)) for person, value in sorted(bonus.items())
                )
            matching = nx.max_weight_matching(graph, maxcardinality=True)
            if 2 * len(matching) == len(nodes) - len(nodes) % 2:
                break
            if not sparse:
                return None
            sparse = False
        pairs = sorted(tuple(sorted(edge)) for edge in matching)
        if bonus is not None:
            return [group for group in pairs if group[0] != -1], pairs[0][1]
        matched = {person for group in pairs for person in group}
        return pairs, next((person for person in nodes if person not in matched), -1)

    def _edges(self, people: list[int], sparse: bool) -> Iterable[tuple[int, int, int]]:
        free, weights = people, self.weights
        if not sparse:
            for i, j in combinations(free, 2):
                if weights[i][j] is not None:
                    yield i, j, weights[i][j]
            return
        chosen: set[tuple[int, int]] = set()
        for i in free:
            row = weights[i]
            # Ties are common (most links score 70); break them by a fixed scramble so
            # that not everyone keeps the same few people, who could not all be matched.
            options = (
                (row[j], (i + 1) * (j + 1) * 2654435761 % 4294967291, j)
                for j in free
                if j != i and row[j] is not None
            )
            for _, _, j in heapq.nlargest(SPARSE_LINKS, options):
                chosen.add((min(i, j), max(i, j)))
        for i, j in sorted(chosen):
            yield i, j, weights[i][j]

    def _improve(self, groups: Groups) -> Groups:
        """Local search: rearrange the people of two groups, or of the triad and two pairs,
        whenever that improves the result, until nothing does."""
        groups = [tuple(sorted(group)) for group in groups]
        values: list[int] = [self.value(group) for group in groups]
        improved = True
        while improved:
            improved = self._swap_pairs(groups, values)
            triads = [x for x, group in enumerate(groups) if len(group) == 3]
            if triads:
                triad = triads[0]
                for y in range(len(groups)):
                    if y != triad:
                        improved |= self._rearrange(groups, values, (triad, y))
                for y, z in combinations(self._near(groups, triad), 2):
                    improved |= self._rearrange(groups, values, (triad, y, z))
        return groups

    def _swap_pairs(self, groups: Groups, values: list[int]) -> bool:
        """Swap partners between two pairs where that scores better. This tries every
        two pairs, so it is written out for speed."""
        weights, partner = self.weights, self.partner
        pairs = [x for x, group in enumerate(groups) if len(group) == 2 and group[0] not in partner]
        improved = False
        for position, x in enumerate(pairs):
            for y in pairs[position + 1 :]:
                (a, b), (c, d) = groups[x], groups[y]
                now = values[x] + values[y]
                for (p, q), (r, s) in (((a, c), (b, d)), ((a, d), (b, c))):
                    first, second = weights[p][q], weights[r][s]
                    if first is not None and second is not None and first + second > now:
                        groups[x], groups[y] = _ordered(p, q), _ordered(r, s)
                        values[x], values[y] = first, second
                        improved = True
                        break
        return improved

    def _near(self, groups: Groups, triad: int) -> list[int]:
        """The pairs worth trying in three-group moves with the triad: all of them when
        there are few, else those that best host one of the triad's people."""
        pairs = [x for x, group in enumerate(groups) if x != triad]
        if len(pairs) <= NEAR_PAIRS:
            return pairs
        gains = []
        for x in pairs:
            hosts = [self.best_host(person, [groups[x]]) for person in groups[triad]]
            gains.append((max((host[0] for host in hosts if host), default=None), -x))
        ranked = heapq.nlargest(NEAR_PAIRS, (g for g in gains if g[0] is not None))
        return sorted(-negative for _, negative in ranked)

    def _rearrange(self, groups: Groups, values: list[int], which: tuple[int, ...]) -> bool:
        """Replace the groups at ``which`` by the best other split of their people."""
        people = sorted(i for x in which for i in groups[x])
        patterns, shapes = _split_patterns(len(people), len(which))
        value = {shape: self.value(tuple(people[i] for i in shape)) for shape in shapes}
        best_value, best_pattern = sum(values[x] for x in which), None
        for pattern in patterns:
            parts = [value[shape] for shape in pattern]
            if None not in parts and sum(parts) > best_value:
                best_value, best_pattern = sum(parts), pattern
        if best_pattern is None:
            return False
        for x, shape in zip(which, best_pattern, strict=True):
            groups[x], values[x] = tuple(people[i] for i in shape), value[shape]
        return True


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


@cache
def _split_patterns(
    size: int, parts: int
) -> tuple[tuple[tuple[tuple[int, ...], ...], ...], frozenset[tuple[int, ...]]]:
    """Every way to split positions 0..size-1 into ``parts`` groups of two, plus one of
    three if ``size`` is odd (that one first, so the triad keeps its place), and the set
    of groups they use."""
    splits = _splits(tuple(range(size)), parts)
    patterns = tuple(tuple(sorted(split, key=len, reverse=True)) for split in splits)
    return patterns, frozenset(shape for pattern in patterns for shape in pattern)


def _splits(people: tuple[int, ...], parts: int) -> list[tuple[tuple[int, ...], ...]]:
    if parts == 1:
        return [(people,)]
    first, rest = people[0], people[1:]
    shapes = [(j,) for j in rest]
    if len(people) > 2 * parts:
        shapes += list(combinations(rest, 2))
    splits = []
    for others in shapes:
        left = tuple(i for i in rest if i not in others)
        if len(left) >= 2 * (parts - 1):
            splits += [((first, *others), *after) for after in _splits(left, parts - 1)]
    return splits
