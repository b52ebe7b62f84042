"""The optimiser's search (steps 1 to 3 and 6 in :mod:`lms.practice.allocation`'s
docstring): how many sets, which teams, the min-cost flow that places the trainees,
the tries with other numbers of sets or teams, and the result with the reasons for
anyone unplaced. :func:`lms.practice.allocation.allocate` runs :class:`_Allocator`.
"""

from __future__ import annotations

import math
from collections import Counter

import networkx as nx

from lms.practice._allocation_repair import _Repair
from lms.practice._allocation_scoring import (
    SAME_ORGANISATION_POINTS,
    _mode_points,
    _region_points,
    score_set,
)
from lms.practice._allocation_state import (
    FILL_BONUS,
    RETRY_LIMIT,
    RETRY_PEOPLE,
    SET_REACH,
    SPARSE_SETS,
    UNPLACED_COST,
)
from lms.practice._allocation_types import Allocation, ProposedSet, Reason, _ids, _key


class _Allocator(_Repair):
    """One allocation problem, from start to result: the steps below, with the repairs
    and local search of :class:`_Repair` and the state of :class:`_AllocatorState`."""

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
