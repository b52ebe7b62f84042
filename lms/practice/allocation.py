"""Action learning set allocation (SPEC section 7): which GMTS trainees form a set, which
facilitator team runs it, and why.

This module is pure: it takes plain dataclasses and returns plain dataclasses, so it can
be tested and benchmarked without a database or a request. Reasons are codes with
parameters, never sentences, so that the web layer can say them in English and Welsh;
:data:`REASON_CODES` lists every code.

The rules that are never broken
-------------------------------
H1. A line manager and their direct report are never in the same set (a trainee's line
    manager email is another trainee's email; emails are compared ignoring case).
H2. No trainee is in a set facilitated by someone from their own organisation.
H3. No trainee is in a set facilitated by their line manager.
H4. Every set has from ``min_size`` to ``max_size`` trainees (5 to 8 unless a lead says
    otherwise).

When everyone cannot be placed within these rules, as many as possible are, and each of
the others is returned in ``Allocation.unplaced`` with the reason. :func:`check_set`
and :func:`violations` check the rules for sets a lead has edited by hand.

How a set is scored (for programme leads)
-----------------------------------------
A set scores 0 when every preference is met. Each preference that is not met takes
points off and is given as a reason, with the points it cost in ``Reason.points``:

==================================  ======  ==============================================
Preference not met                  Points  Notes
==================================  ======  ==============================================
Two trainees from one organisation  -10     For every such pair, so more from one
(``organisation_repeated``)                 organisation costs more and more: two cost
                                            10, three 30, four 60.
Opposite mode (``mode_mismatch``)   -40     A trainee who asked for online in a set that
                                            meets in person, or the other way round.
Mode partly met                     -5      A trainee who asked for online or in person,
(``mode_partly_met``)                       in a blended set; or one who asked for
                                            blended, in an online or in-person set.
Region (``region_mismatch``)        -20     In-person sets only: a trainee from another
                                            region than the set's.
                                    -10     Blended sets: the same, but they meet in
                                            person less often. Online sets ignore region.
==================================  ======  ==============================================

A trainee with no mode preference is suited by every set. An unknown organisation or
region is never "the same" and never "different": it costs nothing and is not given as
a reason. An allocation's score is the sum of its sets' scores; trainees who could not
be placed are reported, not scored.

How the allocator works
-----------------------
1. Trainees whom every team conflicts with (H2, H3) cannot be placed. The number of
   sets is chosen so that sizes are as near the middle of the range as they can be
   (6 or 7 for 5 to 8), and no more than there are teams. Sizes then differ by at most
   one (1,000 trainees in 154 sets: 6 or 7 each) unless the rules need otherwise.
2. When there are more teams than sets, a small min-cost flow (networkx) between kinds
   of trainee and kinds of team (mode and region) works out how many sets of each kind
   the trainees' preferences call for; within a kind, the teams that conflict with
   fewest trainees are used first, then by key.
3. A min-cost flow places the trainees. Its costs are the points above, with
   organisation repeats priced convexly (the second trainee from an organisation in a
   set costs 10, the third 20 more, ...); H2 and H3 arcs are left out; filling each set
   to its size earns a bonus larger than any preference. Trainees alike in
   organisation, mode, region and conflicts travel together, and link only to the sets
   the same flow between kinds sends them to and the sets that suit them best; each set
   links to enough groups to fill it many times over. On four benchmark programmes of
   1,000 trainees this scored within 6% of linking every group to every set (better on
   two of them), in a tenth of the time or less.
4. Repairs: line managers are separated from their reports (H1, which a flow cannot
   express) by moves and swaps; sets below ``min_size`` are topped up from larger ones,
   or disbanded; anyone left over is placed where there is room (someone moving on to
   make it if need be), in place of a line manager or report who keeps two or more of
   them out, in a new set with a spare team, or by giving a set a spare team that
   suits them all.
5. A local search moves single trainees, swaps two, and exchanges teams between sets or
   for spare ones, while that improves the score within the rules.
6. If someone who could be placed is still left out, it starts again with one set more
   or fewer, or without one of the teams it chose (those that can take fewest trainees
   first), and so on from each try, and keeps whichever places most, then scores best.
   This is tried up to 12 times for a small programme, fewer as it grows, and not at
   all from 600 trainees, where one try takes most of a second. With up to nine trainees
   and three teams it placed as many as an exhaustive search in each of 40,000 random
   programmes.

Ties and the order of the search follow ``seed``: the same input and seed give the same
allocation, whatever the order of the input. The result is not guaranteed to be optimal;
``scripts/bench_allocation.py`` compares it with a first-fit baseline.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

SAME_ORGANISATION_POINTS = 10  # per pair of trainees from one organisation in a set
MODE_MISMATCH_POINTS = 40
MODE_PARTLY_MET_POINTS = 5
REGION_IN_PERSON_POINTS = 20
REGION_BLENDED_POINTS = 10

SET_MODES = ("online", "blended", "in_person")
TRAINEE_MODES = frozenset(SET_MODES)  # or None: no preference

UNPLACED_COST = 1_000_000  # flow: leaving someone out outweighs everything else
FILL_BONUS = 100_000  # flow: each of a set's first min_size places, over any preference
SPARSE_SETS = 8  # flow: each group of alike trainees links to at least its best 8 sets
SET_REACH = 24  # flow: ... and each set to the groups it suits best, 24 times its size
MAX_ROUNDS = 40  # local search: rounds of trainee and team moves, at most
RETRY_LIMIT = 12  # when someone is left out, other numbers of sets or teams are tried,
RETRY_PEOPLE = 600  # ... at most 12 times, and no more often than 600 / trainees

REASON_CODES: tuple[str, ...] = (
    # Hard rules, from check_set() and violations(); allocate() never breaks them.
    "line_manager_in_set",  # H1: trainee_ids = (report, line manager)
    "same_organisation_as_facilitator",  # H2: detail = the organisation
    "facilitator_is_line_manager",  # H3: facilitator_ids = the line manager
    "set_too_small",  # H4: detail = the number of trainees
    "set_too_large",  # H4: detail = the number of trainees
    "trainee_placed_twice",  # in two sets, or twice in one; detail = how many times
    "facilitator_in_two_sets",  # detail = how many sets
    # Why a trainee is unplaced; trainee_ids start with that trainee.
    "too_few_trainees",  # fewer than min_size can be placed at all; detail = how many
    "no_team_without_conflict",  # each team has their organisation (detail) or manager
    "not_enough_teams",  # every team that could take them is full; detail = teams
    "too_few_for_another_set",  # a team is free, too few are left; detail = how many
    "line_manager_conflict",  # sets with room hold their manager or report (the rest)
    # Preferences not met in a set; points = the points lost.
    "organisation_repeated",  # detail = the organisation; trainee_ids = its trainees
    "mode_mismatch",  # detail = the set's mode; trainee_ids = who asked otherwise
    "mode_partly_met",  # detail = the set's mode; one of the two is blended
    "region_mismatch",  # detail = the set's region; trainee_ids = from elsewhere
)
HARD_RULE_CODES: frozenset[str] = frozenset(REASON_CODES[:7])
UNPLACED_CODES: frozenset[str] = frozenset(REASON_CODES[7:12])
PREFERENCE_CODES: frozenset[str] = frozenset(REASON_CODES[12:])


class AllocationError(ValueError):
    """The input is not an allocation problem: duplicate ids, a facilitator in two teams,
    ``min_size > max_size`` and the like."""


@dataclass(frozen=True)
class Reason:
    code: str  # one of REASON_CODES
    trainee_ids: tuple[int, ...] = ()
    facilitator_ids: tuple[int, ...] = ()
    detail: str | None = None  # an organisation, mode or region, or a count
    points: int = 0  # for preferences: the points this cost the set


@dataclass(frozen=True)
class Trainee:
    id: int
    email: str
    organisation: str | None = None
    region: str | None = None
    mode: str | None = None  # "online" | "in_person" | "blended" | None (either)
    line_manager_email: str | None = None


@dataclass(frozen=True)
class Facilitator:
    id: int
    email: str
    organisation: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class Team:
    key: str  # stable identifier chosen by the caller
    facilitators: tuple[Facilitator, ...]
    mode: str = "online"  # "online" | "blended" | "in_person"
    region: str | None = None


@dataclass
class ProposedSet:
    team: Team
    trainees: list[Trainee]
    score: int
    reasons: list[Reason]  # preferences not met (and, from check_set, hard-rule breaches)


@dataclass
class Allocation:
    sets: list[ProposedSet]
    unplaced: list[tuple[Trainee, Reason]]
    score: int  # the sum of the sets' scores


def _key(text: str | None) -> str | None:
    """Organisations, regions and emails compare ignoring case and outer spaces; blank
    is unknown."""
    if text is None:
        return None
    return text.strip().casefold() or None


def _mode_points(trainee_mode: str | None, set_mode: str) -> int:
    if trainee_mode is None or trainee_mode == set_mode:
        return 0
    if "blended" in (trainee_mode, set_mode):
        return MODE_PARTLY_MET_POINTS
    return MODE_MISMATCH_POINTS


def _region_points(region: str | None, set_mode: str, set_region: str | None) -> int:
    if set_mode == "online" or region is None or set_region is None or region == set_region:
        return 0
    return REGION_IN_PERSON_POINTS if set_mode == "in_person" else REGION_BLENDED_POINTS


def _check_team(team: Team) -> None:
    if team.mode not in SET_MODES:
        raise AllocationError(f"Team {team.key!r} has mode {team.mode!r}.")
    if not team.facilitators:
        raise AllocationError(f"Team {team.key!r} has no facilitators.")


def _check_trainee(trainee: Trainee) -> None:
    if trainee.mode is not None and trainee.mode not in TRAINEE_MODES:
        raise AllocationError(f"Trainee {trainee.id} has mode {trainee.mode!r}.")


def _check_sizes(min_size: int, max_size: int) -> None:
    if min_size < 1 or max_size < min_size:
        raise AllocationError(f"Set sizes {min_size} to {max_size} are not a range.")


def _ids(items: Iterable) -> tuple[int, ...]:
    return tuple(sorted(item.id for item in items))


# --- checking and scoring one set (also for a lead's hand edits) ----------------------


def check_set(
    team: Team, trainees: Sequence[Trainee], *, min_size: int = 5, max_size: int = 8
) -> list[Reason]:
    """Hard-rule breaches for one set (for a lead's hand edits): H1, H2, H3, H4, and a
    trainee listed twice. Empty when the set keeps every rule. Raises
    :class:`AllocationError` for a team with an unknown mode or no facilitators."""
    _check_sizes(min_size, max_size)
    _check_team(team)
    people = sorted(trainees, key=lambda trainee: trainee.id)
    team_ids = _ids(team.facilitators)
    reasons: list[Reason] = []
    size = len({trainee.id for trainee in people})
    if size < min_size:
        reasons.append(Reason("set_too_small", facilitator_ids=team_ids, detail=str(size)))
    elif size > max_size:
        reasons.append(Reason("set_too_large", facilitator_ids=team_ids, detail=str(size)))
    for trainee_id, times in sorted(Counter(trainee.id for trainee in people).items()):
        if times > 1:
            reasons.append(Reason("trainee_placed_twice", (trainee_id,), detail=str(times)))
    by_email: dict[str, list[Trainee]] = {}
    for trainee in people:
        if (email := _key(trainee.email)) is not None:
            by_email.setdefault(email, []).append(trainee)
    seen: set[tuple[int, int]] = set()
    for trainee in people:
        for manager in by_email.get(_key(trainee.line_manager_email) or "", []):
            if manager.id != trainee.id and (trainee.id, manager.id) not in seen:
                seen.add((trainee.id, manager.id))
                reasons.append(Reason("line_manager_in_set", (trainee.id, manager.id)))
    for trainee in people:
        organisation, manager = _key(trainee.organisation), _key(trainee.line_manager_email)
        same = [
            f for f in team.facilitators if organisation and _key(f.organisation) == organisation
        ]
        if same:
            reasons.append(
                Reason(
                    "same_organisation_as_facilitator",
                    (trainee.id,),
                    _ids(same),
                    detail=(trainee.organisation or "").strip(),
                )
            )
        managers = [f for f in team.facilitators if manager and _key(f.email) == manager]
        if managers:
            reasons.append(Reason("facilitator_is_line_manager", (trainee.id,), _ids(managers)))
    return reasons


def score_set(team: Team, trainees: Sequence[Trainee]) -> tuple[int, list[Reason]]:
    """Preference points and the preference reasons for one set (for hand edits): the
    score is 0 or less, see the table in the module docstring."""
    _check_team(team)
    people = sorted(trainees, key=lambda trainee: trainee.id)
    for trainee in people:
        _check_trainee(trainee)
    reasons: list[Reason] = []
    by_organisation: dict[str, list[Trainee]] = {}
    for trainee in people:
        if (organisation := _key(trainee.organisation)) is not None:
            by_organisation.setdefault(organisation, []).append(trainee)
    for organisation in sorted(by_organisation):
        same = by_organisation[organisation]
        if len(same) > 1:
            points = SAME_ORGANISATION_POINTS * len(same) * (len(same) - 1) // 2
            name = (same[0].organisation or "").strip()
            reasons.append(Reason("organisation_repeated", _ids(same), detail=name, points=points))
    region = _key(team.region)
    mismatch, partly, elsewhere = [], [], []
    for trainee in people:
        points = _mode_points(trainee.mode, team.mode)
        if points:
            (mismatch if points == MODE_MISMATCH_POINTS else partly).append((trainee, points))
        if points := _region_points(_key(trainee.region), team.mode, region):
            elsewhere.append((trainee, points))
    for code, hits, detail in (
        ("mode_mismatch", mismatch, team.mode),
        ("mode_partly_met", partly, team.mode),
        ("region_mismatch", elsewhere, (team.region or "").strip()),
    ):
        if hits:
            ids = tuple(trainee.id for trainee, _ in hits)
            points = sum(points for _, points in hits)
            reasons.append(Reason(code, ids, detail=detail, points=points))
    return -sum(reason.points for reason in reasons), reasons


def violations(
    sets: Sequence[ProposedSet], *, min_size: int = 5, max_size: int = 8
) -> list[Reason]:
    """Every hard-rule breach across an allocation, plus any trainee in two sets and any
    facilitator running two sets. Empty when the allocation keeps every rule."""
    problems: list[Reason] = []
    in_sets: Counter[int] = Counter()
    running: Counter[int] = Counter()
    for proposed in sets:
        problems += check_set(
            proposed.team, proposed.trainees, min_size=min_size, max_size=max_size
        )
        in_sets.update({trainee.id for trainee in proposed.trainees})
        running.update({facilitator.id for facilitator in proposed.team.facilitators})
    for trainee_id, times in sorted(in_sets.items()):
        if times > 1:
            problems.append(Reason("trainee_placed_twice", (trainee_id,), detail=str(times)))
    for facilitator_id, times in sorted(running.items()):
        if times > 1:
            problems.append(
                Reason(
                    "facilitator_in_two_sets", facilitator_ids=(facilitator_id,), detail=str(times)
                )
            )
    return problems


def allocate(
    trainees: Sequence[Trainee],
    teams: Sequence[Team],
    *,
    min_size: int = 5,
    max_size: int = 8,
    seed: int = 0,
) -> Allocation:
    """Form sets of ``min_size`` to ``max_size`` trainees, each with a facilitator team,
    keeping every hard rule and scoring as well as it can on the preferences (see the
    module docstring). Whoever cannot be placed is returned with the reason. Raises
    :class:`AllocationError` on bad input."""
    return _Allocator(trainees, teams, min_size, max_size, seed).run()


# --- the optimiser --------------------------------------------------------------------


class _Allocator:
    """One allocation problem. Trainees are numbered 0..n-1 in id order and teams 0..m-1
    in key order; sets are numbered as they are made, and a disbanded set keeps its
    number with team -1."""

    def __init__(
        self,
        trainees: Sequence[Trainee],
        teams: Sequence[Team],
        min_size: int,
        max_size: int,
        seed: int,
    ) -> None:
        _check_sizes(min_size, max_size)
        self.trainees = sorted(trainees, key=lambda trainee: trainee.id)
        self.teams = sorted(teams, key=lambda team: team.key)
        self.min_size, self.max_size = min_size, max_size
        self.rng = random.Random(seed)  # noqa: S311 (a reproducible search order, not a secret)
        self._validate()
        n, m = self.n, self.m = len(self.trainees), len(self.teams)

        self.org = [_key(trainee.organisation) for trainee in self.trainees]
        self.manager = [_key(trainee.line_manager_email) for trainee in self.trainees]
        index = {_key(trainee.email): i for i, trainee in enumerate(self.trainees)}
        partners: list[set[int]] = [set() for _ in range(n)]
        for i, manager in enumerate(self.manager):
            j = index.get(manager) if manager is not None else None
            if j is not None and j != i:
                partners[i].add(j)
                partners[j].add(i)
        self.partners = [sorted(p) for p in partners]

        team_of_email: dict[str, int] = {}
        teams_of_org: dict[str, set[int]] = {}
        for j, team in enumerate(self.teams):
            for facilitator in team.facilitators:
                if (email := _key(facilitator.email)) is not None:
                    team_of_email[email] = j
                if (organisation := _key(facilitator.organisation)) is not None:
                    teams_of_org.setdefault(organisation, set()).add(j)
        self.manager_team = [
            team_of_email.get(manager, -1) if manager is not None else -1
            for manager in self.manager
        ]
        self.forbidden_for = {
            organisation: frozenset(teams) for organisation, teams in teams_of_org.items()
        }
        # The teams each trainee may not join: H2 (their organisation) and H3 (their
        # line manager).
        self.forbidden = [
            self.forbidden_for.get(self.org[i] or "", frozenset())
            | ({self.manager_team[i]} if self.manager_team[i] >= 0 else frozenset())
            for i in range(n)
        ]

        profiles: dict[tuple[str | None, str | None], int] = {}
        self.profile = [
            profiles.setdefault((trainee.mode, _key(trainee.region)), len(profiles))
            for trainee in self.trainees
        ]
        self.profiles = list(profiles)
        self.fit = [
            [
                _mode_points(mode, team.mode) + _region_points(region, team.mode, _key(team.region))
                for team in self.teams
            ]
            for mode, region in self.profiles
        ]

        # A team's kind is what its fit with trainees depends on: online sets ignore region.
        self.kind = [
            (team.mode, None if team.mode == "online" else _key(team.region)) for team in self.teams
        ]
        self.team_of_set: list[int] = []
        self.members: list[list[int]] = []
        self.counts: list[dict[str, int]] = []
        self.where = [-1] * n
        self.placeable: list[int] = [i for i in range(n) if len(self.forbidden[i]) < m]
        self.lo, self.hi = min_size, max_size  # the sizes sets are kept to, set per try

    def _validate(self) -> None:
        ids = [trainee.id for trainee in self.trainees]
        if len(set(ids)) != len(ids):
            raise AllocationError("Each trainee may be listed only once.")
        emails = [_key(trainee.email) for trainee in self.trainees]
        if None in emails or len(set(emails)) != len(emails):
            raise AllocationError("Each trainee needs an email address of their own.")
        for trainee in self.trainees:
            _check_trainee(trainee)
        keys = [team.key for team in self.teams]
        if len(set(keys)) != len(keys):
            raise AllocationError("Each team key may be used only once.")
        facilitator_ids: set[int] = set()
        facilitator_emails: set[str] = set()
        for team in self.teams:
            _check_team(team)
            for facilitator in team.facilitators:
                if facilitator.id in facilitator_ids:
                    raise AllocationError(f"Facilitator {facilitator.id} is in two teams.")
                email = _key(facilitator.email)
                if email is None or email in facilitator_emails:
                    raise AllocationError(
                        f"Facilitator {facilitator.id} needs an email address of their own."
                    )
                facilitator_ids.add(facilitator.id)
                facilitator_emails.add(email)
        if both := facilitator_emails & set(emails):
            raise AllocationError(f"{sorted(both)[0]} is both a trainee and a facilitator.")

    # --- state ------------------------------------------------------------------------

    def live(self) -> list[int]:
        return [s for s, team in enumerate(self.team_of_set) if team >= 0]

    def _open(self, team: int) -> int:
        self.team_of_set.append(team)
        self.members.append([])
        self.counts.append({})
        return len(self.team_of_set) - 1

    def _add(self, i: int, s: int) -> None:
        self.members[s].append(i)
        self.where[i] = s
        if (organisation := self.org[i]) is not None:
            self.counts[s][organisation] = self.counts[s].get(organisation, 0) + 1

    def _remove(self, i: int) -> int:
        s = self.where[i]
        self.members[s].remove(i)
        self.where[i] = -1
        if (organisation := self.org[i]) is not None:
            self.counts[s][organisation] -= 1
        return s

    def _move(self, i: int, s: int) -> None:
        self._remove(i)
        self._add(i, s)

    def _swap(self, i: int, j: int) -> None:
        a, b = self.where[i], self.where[j]
        self._remove(i)
        self._remove(j)
        self._add(i, b)
        self._add(j, a)

    def _allowed(self, i: int, s: int) -> bool:
        return self.team_of_set[s] not in self.forbidden[i]

    def _clean(self, i: int, s: int, leaving: int = -1) -> bool:
        """No line manager or direct report of ``i`` in set ``s`` (but ``leaving``)."""
        where = self.where
        return all(where[p] != s or p == leaving for p in self.partners[i])

    def _join(self, i: int, s: int, leaving: int = -1) -> int:
        """What ``i`` would cost in set ``s`` (after ``leaving`` leaves it)."""
        cost = self.fit[self.profile[i]][self.team_of_set[s]]
        if (organisation := self.org[i]) is not None:
            same = self.counts[s].get(organisation, 0)
            same -= leaving >= 0 and self.org[leaving] == organisation
            cost += SAME_ORGANISATION_POINTS * same
        return cost

    def _local(self, i: int) -> int:
        """What ``i`` costs in their set now."""
        s = self.where[i]
        cost = self.fit[self.profile[i]][self.team_of_set[s]]
        if (organisation := self.org[i]) is not None:
            cost += SAME_ORGANISATION_POINTS * (self.counts[s][organisation] - 1)
        return cost

    def _swap_delta(self, t: int, u: int) -> int:
        a, b = self.where[t], self.where[u]
        ja, jb = self.team_of_set[a], self.team_of_set[b]
        row_t, row_u = self.fit[self.profile[t]], self.fit[self.profile[u]]
        delta = row_t[jb] - row_t[ja] + row_u[ja] - row_u[jb]
        org_t, org_u = self.org[t], self.org[u]
        if org_t != org_u:
            counts_a, counts_b = self.counts[a], self.counts[b]
            if org_t is not None:
                delta += SAME_ORGANISATION_POINTS * (counts_b.get(org_t, 0) - counts_a[org_t] + 1)
            if org_u is not None:
                delta += SAME_ORGANISATION_POINTS * (counts_a.get(org_u, 0) - counts_b[org_u] + 1)
        return delta

    def total(self) -> int:
        """The points lost across all sets (minus the allocation's score)."""
        fit = sum(
            self.fit[self.profile[i]][self.team_of_set[s]]
            for i, s in enumerate(self.where)
            if s >= 0
        )
        pairs = sum(c * (c - 1) // 2 for counts in self.counts for c in counts.values())
        return fit + SAME_ORGANISATION_POINTS * pairs

    # --- the steps ------------------------------------------------------------------

    def run(self) -> Allocation:
        people = self.placeable
        if self.m and len(people) >= self.min_size:
            fewest = min(-(-len(people) // self.max_size), self.m)
            most = min(len(people) // self.min_size, self.m)
            k = round(len(people) / ((self.min_size + self.max_size) / 2))
            k = min(max(k, fewest), most)
            self._restore(self._search(k, most))
        return self._result()

    def _search(self, k: int, most: int) -> tuple:
        """Solve with ``k`` sets. If that leaves out someone who could be placed, try
        one set more or fewer, and other teams instead of those whose sets had to be
        disbanded or that can take fewest trainees (and so on from each try, the
        better tries first), keeping whatever places most, then scores best. The
        budget of tries is generous for a small programme and nothing for a large one,
        where one try takes most of a second."""
        budget = min(RETRY_LIMIT, RETRY_PEOPLE // len(self.placeable))
        if budget <= 1:
            return self._solve(k, ())[2]
        room = Counter(
            j for i in self.placeable for j in range(self.m) if j not in self.forbidden[i]
        )

        def key(option: tuple[int, tuple[int, ...]]) -> tuple:
            return (*results[option][:2], abs(option[0] - k), option)

        def next_to(option: tuple[int, tuple[int, ...]]) -> list[tuple[int, tuple[int, ...]]]:
            count, banned = option
            _, _, state, chosen = results[option]
            disbanded = {j for j in chosen if j not in state[0]}
            bans = [tuple(sorted({*banned, *disbanded}))]
            bans += [
                tuple(sorted({*banned, j}))
                for _, j in sorted((room[j], j) for j in {*chosen, *state[0]} - {-1})
            ]
            options = [(count + 1, banned), (count - 1, banned)]
            options += [(min(count, self.m - len(ban)), ban) for ban in bans]
            return [
                (count, banned)
                for count, banned in options
                if 1 <= count <= min(most, self.m - len(banned))
            ]

        current = (k, ())
        results = {current: self._solve(k, ())}
        queue = next_to(current)
        while queue and len(results) < budget and results[current][0]:
            option = queue.pop(0)
            if option in results:
                continue
            results[option] = self._solve(*option)
            if key(option) < key(current):
                current = option
                queue = next_to(option) + queue
            else:
                queue += next_to(option)
        return results[current][2]

    def _solve(self, k: int, banned: tuple[int, ...]) -> tuple[int, int, tuple, set[int]]:
        """Allocate into ``k`` sets from scratch, without the ``banned`` teams: (how many
        are left out, points lost, the state to restore it, the teams it chose first)."""
        people = self.placeable
        self.team_of_set, self.members, self.counts = [], [], []
        self.where = [-1] * self.n
        average = len(people) / k
        # Sizes differ by at most one: 1,000 trainees in 154 sets are 6 or 7 each.
        self.lo = min(self.max_size, max(self.min_size, math.floor(average)))
        self.hi = min(self.max_size, max(self.min_size, math.ceil(average)))
        chosen = self._choose_teams(people, k, banned)
        for team in chosen:
            self._open(team)
        self._assign_by_flow(people)
        self._separate_line_managers()
        self._fill_small_sets()
        self._place_unplaced()
        self._improve()
        self._place_unplaced()
        state = (
            list(self.team_of_set),
            [list(members) for members in self.members],
            [dict(counts) for counts in self.counts],
            list(self.where),
        )
        return len(self._unplaced()), self.total(), state, set(chosen)

    def _restore(self, state: tuple) -> None:
        self.team_of_set, self.members, self.counts, self.where = state

    def _choose_teams(self, people: list[int], k: int, banned: tuple[int, ...]) -> list[int]:
        """The k teams to use: as many of each mode and region as the trainees' own
        preferences call for (a small min-cost flow over kinds of trainee and kinds of
        team), then within a kind the teams that conflict with fewest trainees."""
        teams = [j for j in range(self.m) if j not in banned]
        if k >= len(teams):
            return teams
        conflicts = Counter(j for i in people for j in self.forbidden[i])
        kinds: dict[tuple[str, str | None], list[int]] = {}
        for j in teams:
            kinds.setdefault(self.kind[j], []).append(j)
        for of_kind in kinds.values():
            of_kind.sort(key=lambda j: (conflicts[j], j))
        wanted = Counter(self.profile[i] for i in people)
        average = len(people) / k
        graph = nx.DiGraph()
        graph.add_node("source", demand=-len(people))
        graph.add_node("sink", demand=len(people))
        kind_list = sorted(kinds, key=lambda kind: (kind[0], kind[1] or ""))
        for p, count in sorted(wanted.items()):
            graph.add_edge("source", ("p", p), capacity=count, weight=0)
            graph.add_edge(("p", p), "sink", weight=UNPLACED_COST)
            mode, region = self.profiles[p]
            for q, (team_mode, team_region) in enumerate(kind_list):
                cost = _mode_points(mode, team_mode) + _region_points(
                    region, team_mode, team_region
                )
                graph.add_edge(("p", p), ("q", q), weight=cost)
        for q, kind in enumerate(kind_list):
            graph.add_edge(("q", q), "sink", capacity=math.ceil(len(kinds[kind]) * average))
        _, flow = nx.network_simplex(graph)
        share = [
            sum(flow[("p", p)].get(("q", q), 0) for p in wanted) / average
            for q in range(len(kind_list))
        ]
        counts = [
            min(math.floor(x), len(kinds[kind])) for x, kind in zip(share, kind_list, strict=True)
        ]
        by_remainder = sorted(range(len(kind_list)), key=lambda q: (counts[q] - share[q], q))
        while sum(counts) < k:
            for q in by_remainder:
                if counts[q] < len(kinds[kind_list[q]]) and sum(counts) < k:
                    counts[q] += 1
        chosen = [j for q, kind in enumerate(kind_list) for j in kinds[kind][: counts[q]]]
        return sorted(chosen)

    def _assign_by_flow(self, people: list[int]) -> None:
        """The first placement: a min-cost flow from groups of alike trainees to sets."""
        live = self.live()
        groups: dict[tuple[str, int, int], list[int]] = {}
        for i in people:
            groups.setdefault(
                (self.org[i] or "", self.profile[i], self.manager_team[i]), []
            ).append(i)
        hi = self.hi
        group_list = [group for _, group in sorted(groups.items())]
        rows = [self.fit[self.profile[group[0]]] for group in group_list]
        routes = self._routes(people)
        kind_of_set = {s: self.kind[self.team_of_set[s]] for s in live}
        # Which sets each group may go to: first those of the kinds its mode and region
        # are routed to, then the best by mode and region, ties in a seeded order; and
        # for each set, enough of the groups it suits to fill it several times over.
        links: set[tuple[int, int]] = set()
        reach: Counter[int] = Counter()
        open_to: dict[int, list[int]] = {s: [] for s in live}
        for g, group in enumerate(group_list):
            forbidden, row, route = (
                self.forbidden[group[0]],
                rows[g],
                routes[self.profile[group[0]]],
            )
            options = [s for s in live if self.team_of_set[s] not in forbidden]
            for s in options:
                open_to[s].append(g)
            self.rng.shuffle(options)
            options.sort(key=lambda s: (kind_of_set[s] not in route, row[self.team_of_set[s]]))
            for s in options[: max(SPARSE_SETS, 3 * len(group))]:
                links.add((g, s))
                reach[s] += len(group)
        for s in live:
            team, kind = self.team_of_set[s], kind_of_set[s]
            options = open_to[s]
            self.rng.shuffle(options)
            options.sort(
                key=lambda g: (kind not in routes[self.profile[group_list[g][0]]], rows[g][team])
            )
            for g in options:
                if reach[s] >= SET_REACH * hi:
                    break
                if (g, s) not in links:
                    links.add((g, s))
                    reach[s] += len(group_list[g])
        graph = nx.MultiDiGraph()  # parallel arcs price organisation repeats convexly
        graph.add_node("source", demand=-len(people))
        graph.add_node("sink", demand=len(people))
        for g, group in enumerate(group_list):
            graph.add_edge("source", ("g", g), capacity=len(group), weight=0)
            graph.add_edge(("g", g), "sink", capacity=len(group), weight=UNPLACED_COST)
        # In one set, an organisation's n-th trainee costs 10 * (n - 1) more: parallel
        # arcs of rising cost. A set rarely needs more of one organisation than its fair
        # share plus one, so no more arcs than that are made.
        size_of = Counter(self.org[i] for i in people)
        sets_for = Counter(
            organisation
            for s in live
            for organisation in size_of
            if organisation is not None
            and self.team_of_set[s] not in self.forbidden_for.get(organisation, ())
        )
        most = {
            organisation: min(hi, math.ceil(count / max(1, sets_for[organisation])) + 1)
            for organisation, count in size_of.items()
        }
        feeders: dict[tuple[str, int], list[int]] = {}
        for g, s in sorted(links):
            if (organisation := self.org[group_list[g][0]]) is not None:
                feeders.setdefault((organisation, s), []).append(g)
        for g, s in sorted(links):
            group, cost = group_list[g], rows[g][self.team_of_set[s]]
            organisation = self.org[group[0]]
            capacity = min(len(group), most[organisation] if organisation else hi)
            if organisation is None:
                graph.add_edge(("g", g), ("s", s), capacity=capacity, weight=cost)
            elif len(feeders[organisation, s]) == 1:  # no need for an organisation node
                for already in range(capacity):
                    graph.add_edge(
                        ("g", g),
                        ("s", s),
                        capacity=1,
                        weight=cost + SAME_ORGANISATION_POINTS * already,
                    )
            else:
                graph.add_edge(("g", g), ("o", organisation, s), capacity=capacity, weight=cost)
        for (organisation, s), fed_by in sorted(feeders.items()):
            if len(fed_by) > 1:
                for already in range(most[organisation]):
                    graph.add_edge(
                        ("o", organisation, s),
                        ("s", s),
                        capacity=1,
                        weight=SAME_ORGANISATION_POINTS * already,
                    )
        for s in live:
            graph.add_edge(("s", s), "sink", capacity=self.lo, weight=-FILL_BONUS)
            if hi > self.lo:
                graph.add_edge(("s", s), "sink", capacity=hi - self.lo, weight=0)
        _, flow = nx.network_simplex(graph)
        for g, group in enumerate(group_list):
            quota: list[list[int]] = []
            for target, arcs in sorted(flow[("g", g)].items(), key=lambda item: str(item[0])):
                if target != "sink" and (amount := sum(arcs.values())):
                    quota.append([target[-1], amount])
            # People with line managers or reports in the group go first, each where none
            # of theirs are yet; what is left over is repaired next.
            for i in sorted(group, key=lambda i: (-len(self.partners[i]), i)):
                open_quota = [q for q in quota if q[1]]
                if not open_quota:
                    break
                place = next((q for q in open_quota if self._clean(i, q[0])), open_quota[0])
                place[1] -= 1
                self._add(i, place[0])

    def _routes(self, people: list[int]) -> list[set[tuple[str, str | None]]]:
        """For each kind of trainee (mode and region), the kinds of set (mode and region)
        that a min-cost flow between kinds sends them to, with the sets in use."""
        graph = nx.DiGraph()
        graph.add_node("source", demand=-len(people))
        graph.add_node("sink", demand=len(people))
        sets_of_kind = Counter(self.kind[self.team_of_set[s]] for s in self.live())
        kinds = sorted(sets_of_kind, key=lambda kind: (kind[0], kind[1] or ""))
        for q, kind in enumerate(kinds):
            count = sets_of_kind[kind]
            graph.add_edge(("q", q), "sink", capacity=count * self.lo, weight=-FILL_BONUS)
            graph.add_edge(("q", q), "via", capacity=count * (self.hi - self.lo), weight=0)
        graph.add_edge("via", "sink")
        wanted = Counter(self.profile[i] for i in people)
        for p, count in sorted(wanted.items()):
            graph.add_edge("source", ("p", p), capacity=count, weight=0)
            graph.add_edge(("p", p), "sink", weight=UNPLACED_COST)
            mode, region = self.profiles[p]
            for q, (team_mode, team_region) in enumerate(kinds):
                cost = _mode_points(mode, team_mode) + _region_points(
                    region, team_mode, team_region
                )
                graph.add_edge(("p", p), ("q", q), weight=cost)
        _, flow = nx.network_simplex(graph)
        routes: list[set[tuple[str, str | None]]] = [set() for _ in self.profiles]
        for p in wanted:
            for q, kind in enumerate(kinds):
                if flow[("p", p)].get(("q", q)):
                    routes[p].add(kind)
        return routes

    def _best_exit(self, x: int) -> tuple[int, int, int] | None:
        """The cheapest way for ``x`` to leave their set within the rules: (cost, set,
        -1) for a move, (cost, set, other) for a swap; a move that leaves the set below
        ``min_size`` counts as costly."""
        a = self.where[x]
        leave = self._local(x)
        best: tuple[int, int, int] | None = None
        shrink = FILL_BONUS if len(self.members[a]) <= self.min_size else 0
        for b in self.live():
            if b == a or not self._allowed(x, b):
                continue
            if len(self.members[b]) < self.max_size and self._clean(x, b):
                cost = self._join(x, b) - leave + shrink
                if best is None or cost < best[0]:
                    best = (cost, b, -1)
            for u in self.members[b]:
                if (
                    self._clean(x, b, leaving=u)
                    and self._allowed(u, a)
                    and self._clean(u, a, leaving=x)
                ):
                    cost = self._swap_delta(x, u)
                    if best is None or cost < best[0]:
                        best = (cost, b, u)
        return best

    def _separate_line_managers(self) -> None:
        """H1: whoever shares a set with their line manager or report moves or swaps
        out, the cheaper of the two; if neither can, one is left unplaced."""
        for i in range(self.n):
            for p in self.partners[i]:
                if self.where[i] < 0 or self.where[i] != self.where[p]:
                    continue
                options = [(way, x) for x in (i, p) if (way := self._best_exit(x))]
                if options:
                    (_, b, u), x = min(options)
                    if u >= 0:
                        self._swap(x, u)
                    else:
                        self._move(x, b)
                else:
                    # The one with more line-manager links leaves: in the set first (a
                    # manager with two reports in it), then in all (a manager whose
                    # other reports could then join).
                    s = self.where[i]
                    self._remove(
                        max(
                            (i, p),
                            key=lambda x: (
                                sum(self.where[q] == s for q in self.partners[x]),
                                len(self.partners[x]),
                                x,
                            ),
                        )
                    )

    def _fill_small_sets(self) -> None:
        """H4: a set below ``min_size`` takes trainees from sets above it (cheapest
        first); if it still cannot reach it, it is disbanded and its trainees go where
        there is room."""
        for s in sorted(self.live(), key=lambda s: (len(self.members[s]), s)):
            while len(self.members[s]) < self.min_size:
                donors = [
                    (self._join(u, s) - self._local(u), u)
                    for b in self.live()
                    if b != s and len(self.members[b]) > self.min_size
                    for u in self.members[b]
                    if self._allowed(u, s) and self._clean(u, s)
                ]
                if not donors:
                    break
                self._move(min(donors)[1], s)
            if len(self.members[s]) < self.min_size:
                leaving = list(self.members[s])
                for i in leaving:
                    self._remove(i)
                self.team_of_set[s] = -1
                for i in leaving:
                    self._insert(i)

    def _insert(self, i: int) -> bool:
        """Place unplaced ``i`` in the cheapest set with room, if any."""
        options = [
            (self._join(i, s), s)
            for s in self.live()
            if len(self.members[s]) < self.max_size and self._allowed(i, s) and self._clean(i, s)
        ]
        if options:
            self._add(i, min(options)[1])
        return bool(options)

    def _insert_by_making_room(self, i: int) -> bool:
        """Place unplaced ``i`` in a set that has no room, by moving one of its trainees
        to a set that has."""
        roomy = [s for s in self.live() if len(self.members[s]) < self.max_size]
        best: tuple[int, int, int] | None = None
        for b in self.live():
            if not self._allowed(i, b):
                continue
            for w in self.members[b]:
                if not self._clean(i, b, leaving=w):
                    continue
                join = self._join(i, b, leaving=w) - self._local(w)
                for c in roomy:
                    if c != b and self._allowed(w, c) and self._clean(w, c):
                        cost = join + self._join(w, c)
                        if best is None or cost < best[0]:
                            best = (cost, w, c)
        if best is None:
            return False
        _, w, c = best
        b = self.where[w]
        self._move(w, c)
        self._add(i, b)
        return True

    def _unplaced(self) -> list[int]:
        return [i for i in self.placeable if self.where[i] < 0]

    def _place_unplaced(self) -> None:
        """Anyone left over goes where there is room (by a move if need be), or takes
        the place of someone who keeps two or more out, or joins a new set with a spare
        team, or a set whose team a spare team replaces; while that places anyone."""
        while waiting := self._unplaced():
            waiting.sort(key=lambda i: (sum(self._allowed(i, s) for s in self.live()), i))
            for i in waiting:
                if not self._insert(i) and any(
                    len(self.members[s]) < self.max_size for s in self.live()
                ):
                    self._insert_by_making_room(i)
            self._trade_up()
            self._new_sets()
            for i in self._unplaced():
                self._insert_with_spare_team(i)
            if len(self._unplaced()) == len(waiting):
                break

    def _trade_up(self) -> None:
        """Someone in a set with room makes way for two or more who are left out only
        because they are that person's line manager or reports; the one who makes way
        goes elsewhere if there is room."""
        for b in self.live():
            room = self.max_size - len(self.members[b]) + 1
            waiting = set(self._unplaced())
            for w in list(self.members[b]) if room > 1 else ():
                joiners: list[int] = []
                for i in sorted(waiting.intersection(self.partners[w])):
                    if (
                        len(joiners) < room
                        and self._allowed(i, b)
                        and self._clean(i, b, leaving=w)
                        and not set(self.partners[i]) & set(joiners)
                    ):
                        joiners.append(i)
                if len(joiners) >= 2:
                    self._remove(w)
                    for i in joiners:
                        self._add(i, b)
                    self._insert(w)
                    break

    def _insert_with_spare_team(self, i: int) -> bool:
        """Place unplaced ``i`` by giving a set a spare team that suits everyone in it
        and ``i`` (making room in it by a move if need be), cheapest change first."""
        used = set(self.team_of_set)
        spare = [j for j in range(self.m) if j not in used and j not in self.forbidden[i]]
        options = []
        for s in self.live() if spare else ():
            if not self._clean(i, s):
                continue
            barred = frozenset().union(*(self.forbidden[u] for u in self.members[s]))
            now = self.team_of_set[s]
            for j in spare:
                if j not in barred:
                    change = sum(
                        self.fit[self.profile[u]][j] - self.fit[self.profile[u]][now]
                        for u in self.members[s]
                    )
                    options.append((change, s, j))
        roomy = [s for s in self.live() if len(self.members[s]) < self.max_size]
        for _, s, j in sorted(options):
            before, self.team_of_set[s] = self.team_of_set[s], j
            if len(self.members[s]) < self.max_size:
                self._add(i, s)
                return True
            movers = [
                (self._join(w, c) - self._local(w), w, c)
                for w in self.members[s]
                for c in roomy
                if c != s and self._allowed(w, c) and self._clean(w, c)
            ]
            if movers:
                _, w, c = min(movers)
                self._move(w, c)
                self._add(i, s)
                return True
            self.team_of_set[s] = before
        return False

    def _new_sets(self) -> bool:
        """Make new sets from the unplaced with spare teams, borrowing from sets above
        ``min_size`` to reach it. True if any set was made."""
        made = False
        used = set(self.team_of_set)
        conflicts = Counter(j for i in self.placeable for j in self.forbidden[i])
        for team in sorted(set(range(self.m)) - used, key=lambda j: (conflicts[j], j)):
            waiting = [i for i in self._unplaced() if team not in self.forbidden[i]]
            if not waiting:
                continue
            # Fewest line-manager links among them first, so that as many as possible
            # can be together; then the best suited.
            among = set(waiting)
            waiting.sort(
                key=lambda i: (
                    len(among.intersection(self.partners[i])),
                    self.fit[self.profile[i]][team],
                    i,
                )
            )
            chosen: list[int] = []
            for i in waiting:
                if len(chosen) < self.hi and not set(self.partners[i]) & set(chosen):
                    chosen.append(i)
            borrowed: list[int] = []
            if len(chosen) < self.min_size:
                spare = Counter({s: len(self.members[s]) - self.min_size for s in self.live()})
                donors = sorted(
                    (self.fit[self.profile[u]][team] - self._local(u), u)
                    for s in self.live()
                    for u in self.members[s]
                    if team not in self.forbidden[u]
                )
                for _, u in donors:
                    if len(chosen) + len(borrowed) >= self.min_size:
                        break
                    taken = set(chosen) | set(borrowed)
                    if spare[self.where[u]] > 0 and not set(self.partners[u]) & taken:
                        borrowed.append(u)
                        spare[self.where[u]] -= 1
            if len(chosen) + len(borrowed) < self.min_size:
                continue
            s = self._open(team)
            for i in borrowed:
                self._move(i, s)
            for i in chosen:
                self._add(i, s)
            made = True
        return made

    # --- local search ---------------------------------------------------------------

    def _improve(self) -> None:
        for _ in range(MAX_ROUNDS):
            moved = self._trainee_round()
            if not self._team_round() and not moved:
                break

    def _worst(self, s: int) -> tuple[int, int]:
        """The most any one trainee costs in set ``s``, and the most their mode and
        region alone cost: bounds on what a swap with one of them can save."""
        team = self.team_of_set[s]
        most = most_fit = 0
        for u in self.members[s]:
            fit = self.fit[self.profile[u]][team]
            most_fit = max(most_fit, fit)
            most = max(most, self._local(u))
        return most, most_fit

    def _trainee_round(self) -> bool:
        """Each trainee who costs anything, in a seeded order, takes the best move to
        another set or swap with someone in it, if that saves points."""
        live = self.live()
        worst = {s: self._worst(s) for s in live}
        order = [i for i in range(self.n) if self.where[i] >= 0 and self._local(i) > 0]
        self.rng.shuffle(order)
        improved = False
        for t in order:
            if self._local(t) == 0:
                continue
            a = self.where[t]
            ja = self.team_of_set[a]
            row, forbidden = self.fit[self.profile[t]], self.forbidden[t]
            leave, fit_a = self._local(t), row[ja]
            blocked = {self.where[p] for p in self.partners[t]}
            can_shrink = len(self.members[a]) > self.lo
            best_cost, best = 0, None
            for b in live:
                jb = self.team_of_set[b]
                if b == a or jb in forbidden or b in blocked:
                    continue
                join = self._join(t, b)
                cost = join - leave
                if cost < best_cost and can_shrink and len(self.members[b]) < self.hi:
                    best_cost, best = cost, (b, -1)
                most, most_fit = worst[b]
                if min(cost - most, row[jb] - fit_a - most_fit) >= best_cost:
                    continue  # no swap with this set can beat what we have
                for u in self.members[b]:
                    if ja in self.forbidden[u] or not self._clean(u, a, leaving=t):
                        continue
                    cost = self._swap_delta(t, u)
                    if cost < best_cost:
                        best_cost, best = cost, (b, u)
            if best is not None:
                b, u = best
                if u >= 0:
                    self._swap(t, u)
                else:
                    self._move(t, b)
                worst[a], worst[b] = self._worst(a), self._worst(b)
                improved = True
        return improved

    def _team_round(self) -> bool:
        """Exchange the teams of two sets, or give a set a spare team, where that fits
        the trainees' modes and regions better."""
        live = self.live()
        mix = {s: Counter(self.profile[i] for i in self.members[s]) for s in live}
        barred = {s: frozenset().union(*(self.forbidden[i] for i in self.members[s])) for s in live}

        def cost(s: int, team: int) -> int:
            return sum(count * self.fit[p][team] for p, count in mix[s].items())

        improved = False
        for a in live:
            ja = self.team_of_set[a]
            now = cost(a, ja)
            if now == 0:
                continue
            best_cost, best = 0, None
            for b in live:
                jb = self.team_of_set[b]
                if b == a or jb in barred[a] or ja in barred[b]:
                    continue
                change = cost(a, jb) + cost(b, ja) - now - cost(b, jb)
                if change < best_cost:
                    best_cost, best = change, b
            spare = sorted(set(range(self.m)) - set(self.team_of_set))
            for j in spare:
                if j not in barred[a] and (change := cost(a, j) - now) < best_cost:
                    best_cost, best = change, -1 - j
            if best is None:
                continue
            if best >= 0:
                self.team_of_set[a], self.team_of_set[best] = self.team_of_set[best], ja
            else:
                self.team_of_set[a] = -1 - best
            improved = True
        return improved

    # --- the result -----------------------------------------------------------------

    def _result(self) -> Allocation:
        sets = []
        for s in self.live():
            team = self.teams[self.team_of_set[s]]
            people = [self.trainees[i] for i in sorted(self.members[s])]
            score, reasons = score_set(team, people)
            sets.append(ProposedSet(team, people, score, reasons))
        sets.sort(key=lambda proposed: proposed.team.key)
        unplaced = [(self.trainees[i], self._why(i)) for i in range(self.n) if self.where[i] < 0]
        return Allocation(sets, unplaced, sum(proposed.score for proposed in sets))

    def _why(self, i: int) -> Reason:
        """Why unplaced ``i`` could not be placed."""
        me = (self.trainees[i].id,)
        if not self.m:
            return Reason("not_enough_teams", me, detail="0")
        if len(self.forbidden[i]) >= self.m:
            organisation, manager = self.org[i], self.manager[i]
            facilitators = [
                facilitator
                for team in self.teams
                for facilitator in team.facilitators
                if (organisation and _key(facilitator.organisation) == organisation)
                or (manager and _key(facilitator.email) == manager)
            ]
            same = any(_key(f.organisation) == organisation for f in facilitators)
            name = (self.trainees[i].organisation or "").strip() if same else None
            return Reason("no_team_without_conflict", me, _ids(facilitators), detail=name)
        if len(self.placeable) < self.min_size:
            return Reason("too_few_trainees", me, detail=str(len(self.placeable)))
        allowed = [s for s in self.live() if self._allowed(i, s)]
        roomy = [s for s in allowed if len(self.members[s]) < self.max_size]
        if roomy:
            blocking = sorted(
                self.trainees[p].id for p in self.partners[i] if self.where[p] in roomy
            )
            return Reason("line_manager_conflict", (*me, *blocking))
        used = set(self.team_of_set)
        if any(j not in used and j not in self.forbidden[i] for j in range(self.m)):
            waiting = self._unplaced()
            blocking = sorted(self.trainees[p].id for p in self.partners[i] if p in waiting)
            if blocking and len(waiting) >= self.min_size:
                return Reason("line_manager_conflict", (*me, *blocking))
            return Reason("too_few_for_another_set", me, detail=str(len(waiting)))
        return Reason("not_enough_teams", me, detail=str(self.m))
