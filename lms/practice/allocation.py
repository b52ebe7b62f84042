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

from collections import Counter
from collections.abc import Sequence

# The dataclasses and reason codes, the points and score_set, and the optimiser live in
# private modules (_allocation_types, _allocation_scoring, _allocation_state,
# _allocation_repair, _allocation_search) so that they need not import this one. All
# that callers use is re-exported here: import it from lms.practice.allocation.
from lms.practice._allocation_scoring import (
    MODE_MISMATCH_POINTS,
    MODE_PARTLY_MET_POINTS,
    REGION_BLENDED_POINTS,
    REGION_IN_PERSON_POINTS,
    SAME_ORGANISATION_POINTS,
    score_set,
)
from lms.practice._allocation_search import _Allocator
from lms.practice._allocation_state import (
    FILL_BONUS,
    MAX_ROUNDS,
    RETRY_LIMIT,
    RETRY_PEOPLE,
    SET_REACH,
    SPARSE_SETS,
    UNPLACED_COST,
)
from lms.practice._allocation_types import (
    HARD_RULE_CODES,
    PREFERENCE_CODES,
    REASON_CODES,
    SET_MODES,
    TRAINEE_MODES,
    UNPLACED_CODES,
    Allocation,
    AllocationError,
    Facilitator,
    ProposedSet,
    Reason,
    Team,
    Trainee,
    _check_sizes,
    _check_team,
    _ids,
    _key,
)

__all__ = [
    "FILL_BONUS",
    "HARD_RULE_CODES",
    "MAX_ROUNDS",
    "MODE_MISMATCH_POINTS",
    "MODE_PARTLY_MET_POINTS",
    "PREFERENCE_CODES",
    "REASON_CODES",
    "REGION_BLENDED_POINTS",
    "REGION_IN_PERSON_POINTS",
    "RETRY_LIMIT",
    "RETRY_PEOPLE",
    "SAME_ORGANISATION_POINTS",
    "SET_MODES",
    "SET_REACH",
    "SPARSE_SETS",
    "TRAINEE_MODES",
    "UNPLACED_CODES",
    "UNPLACED_COST",
    "Allocation",
    "AllocationError",
    "Facilitator",
    "ProposedSet",
    "Reason",
    "Team",
    "Trainee",
    "allocate",
    "check_set",
    "score_set",
    "violations",
]


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


# score_set is in _allocation_scoring.py (the optimiser prices its moves with it).


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
