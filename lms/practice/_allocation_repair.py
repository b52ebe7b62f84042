"""The optimiser's repairs and local search (steps 4 and 5 in
:mod:`lms.practice.allocation`'s docstring): line managers are separated from their
reports, small sets topped up or disbanded, and anyone left over placed; then single
moves, swaps and team exchanges while they improve the score within the rules.
"""

from __future__ import annotations

from collections import Counter

from lms.practice._allocation_state import FILL_BONUS, MAX_ROUNDS, _AllocatorState


class _Repair(_AllocatorState):
    """Repairs and local search on an allocation in progress (see
    :class:`_AllocatorState` for how trainees, teams and sets are numbered)."""

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
