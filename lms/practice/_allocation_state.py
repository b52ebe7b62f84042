"""The optimiser's state for one allocation problem: the trainees and teams numbered,
who may not join which team, what each trainee costs where, the sets so far, and the
moves that change them. The steps build on it in _allocation_repair.py and
_allocation_search.py.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from lms.practice._allocation_scoring import (
    SAME_ORGANISATION_POINTS,
    _mode_points,
    _region_points,
)
from lms.practice._allocation_types import (
    AllocationError,
    Team,
    Trainee,
    _check_sizes,
    _check_team,
    _check_trainee,
    _key,
)

UNPLACED_COST = 1_000_000  # flow: leaving someone out outweighs everything else
FILL_BONUS = 100_000  # flow: each of a set's first min_size places, over any preference
SPARSE_SETS = 8  # flow: each group of alike trainees links to at least its best 8 sets
SET_REACH = 24  # flow: ... and each set to the groups it suits best, 24 times its size
MAX_ROUNDS = 40  # local search: rounds of trainee and team moves, at most
RETRY_LIMIT = 12  # when someone is left out, other numbers of sets or teams are tried,
RETRY_PEOPLE = 600  # ... at most 12 times, and no more often than 600 / trainees


# --- the optimiser --------------------------------------------------------------------


class _AllocatorState:
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
