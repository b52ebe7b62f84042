"""Benchmark the action learning set allocator on a realistic intake (SPEC section 12).

Not a test: it prints figures. Run from the project root:

    PYTHONPATH=. .venv/bin/python scripts/bench_allocation.py [--size 1000] [--seed 2026]
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from lms.practice.allocation import (
    Allocation,
    Facilitator,
    ProposedSet,
    Reason,
    Team,
    Trainee,
    allocate,
    score_set,
    violations,
)

ORGANISATIONS = 120
REGIONS = [
    "london",
    "south_east",
    "south_west",
    "midlands",
    "east_of_england",
    "north_west",
    "north_east_yorkshire",
]
TRAINEE_MODES = {"online": 45, "in_person": 18, "blended": 5, None: 32}  # relative frequency
TEAM_MODES = {"online": 55, "blended": 25, "in_person": 20}
MANAGED_BY_TRAINEE = 0.10  # trainees whose line manager is another trainee
MANAGED_BY_FACILITATOR = 0.02  # ... or one of the facilitators
SPARE_TEAMS = 0.12  # teams beyond what size / 6.5 sets need


def _pick(rng: random.Random, weighted: dict[Any, int]) -> Any:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def build_programme(
    size: int, rng: random.Random, spare: float = SPARE_TEAMS
) -> tuple[list[Trainee], list[Team]]:
    """``size`` trainees from about 120 organisations of very different sizes (a few
    large trusts, many small ones), each organisation in one region; about 10% are line
    managed by another trainee (usually in their own organisation) and 2% by one of the
    facilitators. Facilitators come from the same organisations, in pairs, with a few
    single and three-person teams, enough for size / 6.5 sets and ``spare`` (12%) more."""
    organisations = [(f"org-{number:03d}", rng.choice(REGIONS)) for number in range(ORGANISATIONS)]
    weights = [1 / (rank + 1) ** 0.7 for rank in range(ORGANISATIONS)]  # Zipf-like

    team_count = math.ceil(size / 6.5 * (1 + spare))
    facilitators: list[Facilitator] = []
    teams: list[Team] = []
    for number in range(team_count):
        people = 1 if number % 25 == 7 else 3 if number % 40 == 11 else 2
        members = []
        for _ in range(people):
            name, region = rng.choices(organisations, weights=weights)[0]
            facilitator = Facilitator(
                id=5000 + len(facilitators),
                email=f"facilitator{len(facilitators)}@example.nhs.uk",
                organisation=name,
                region=region,
            )
            facilitators.append(facilitator)
            members.append(facilitator)
        mode = _pick(rng, TEAM_MODES)
        teams.append(
            Team(
                key=f"team-{number:04d}",
                facilitators=tuple(members),
                mode=mode,
                region=members[0].region,
            )
        )

    trainees: list[Trainee] = []
    for number in range(size):
        name, region = rng.choices(organisations, weights=weights)[0]
        unknown = rng.random()
        trainees.append(
            Trainee(
                id=1000 + number,
                email=f"trainee{number}@example.nhs.uk",
                organisation=None if unknown < 0.01 else name,
                region=None if 0.5 < unknown < 0.52 else region,
                mode=_pick(rng, TRAINEE_MODES),
                line_manager_email=f"manager{number}@example.nhs.uk",
            )
        )
    by_organisation: dict[str | None, list[Trainee]] = {}
    for trainee in trainees:
        by_organisation.setdefault(trainee.organisation, []).append(trainee)
    for position, trainee in enumerate(trainees):
        draw = rng.random()
        if draw < MANAGED_BY_TRAINEE:
            colleagues = [t for t in by_organisation[trainee.organisation] if t is not trainee]
            if rng.random() < 0.2 or not colleagues:
                colleagues = [t for t in trainees if t is not trainee]
            manager = rng.choice(colleagues).email
        elif draw < MANAGED_BY_TRAINEE + MANAGED_BY_FACILITATOR:
            manager = rng.choice(facilitators).email.upper()  # emails compare ignoring case
        else:
            continue
        trainees[position] = Trainee(**{**trainee.__dict__, "line_manager_email": manager})
    return trainees, teams


def first_fit(trainees: Sequence[Trainee], teams: Sequence[Team]) -> Allocation:
    """The baseline: as many sets as the optimiser would make, from the first teams by
    key; each trainee in id order joins the first set with room that breaks no rule.
    Teams left without trainees are dropped; sets left below five are kept as they are
    (and counted as violations)."""
    k = min(len(teams), max(1, round(len(trainees) / 6.5)))
    room = math.ceil(len(trainees) / k)
    sets = [ProposedSet(team, [], 0, []) for team in sorted(teams, key=lambda t: t.key)[:k]]
    unplaced = []
    for trainee in sorted(trainees, key=lambda t: t.id):
        for proposed in sets:
            if len(proposed.trainees) < room and _fits(trainee, proposed):
                proposed.trainees.append(trainee)
                break
        else:
            unplaced.append(trainee)
    sets = [proposed for proposed in sets if proposed.trainees]
    for proposed in sets:
        proposed.score, proposed.reasons = score_set(proposed.team, proposed.trainees)
    # Not one of the allocator's reasons: first fit just found no set with room.
    gave_up = Reason("first_fit_found_no_room")
    return Allocation(sets, [(t, gave_up) for t in unplaced], sum(s.score for s in sets))


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip().lower() == b.strip().lower()


def _fits(trainee: Trainee, proposed: ProposedSet) -> bool:
    """H1, H2 and H3 for one more trainee, written out here independently."""
    for facilitator in proposed.team.facilitators:
        if _same(facilitator.organisation, trainee.organisation):
            return False
        if _same(facilitator.email, trainee.line_manager_email):
            return False
    return not any(
        _same(other.email, trainee.line_manager_email)
        or _same(trainee.email, other.line_manager_email)
        for other in proposed.trainees
    )


def independent_breaches(allocation: Allocation, trainees: Sequence[Trainee]) -> int:
    """Hard-rule breaches counted without the allocator's own check."""
    breaches = 0
    seen: Counter[int] = Counter()
    for proposed in allocation.sets:
        breaches += not 5 <= len(proposed.trainees) <= 8
        for position, trainee in enumerate(proposed.trainees):
            seen[trainee.id] += 1
            others = ProposedSet(proposed.team, proposed.trainees[:position], 0, [])
            breaches += not _fits(trainee, others)
    breaches += sum(times - 1 for times in seen.values())
    placed = set(seen)
    breaches += sum(trainee.id in placed for trainee, _ in allocation.unplaced)
    breaches += len(trainees) - len(placed) - len(allocation.unplaced)
    return breaches


def report(name: str, run: Callable[..., Allocation], trainees, teams) -> None:
    started = time.perf_counter()
    allocation = run(trainees, teams)
    seconds = time.perf_counter() - started
    sizes = Counter(len(proposed.trainees) for proposed in allocation.sets)
    repeats = sum(
        count - 1
        for proposed in allocation.sets
        for count in Counter(t.organisation for t in proposed.trainees if t.organisation).values()
    )
    sets_with_repeats = sum(
        any(reason.code == "organisation_repeated" for reason in proposed.reasons)
        for proposed in allocation.sets
    )
    trainees_with: Counter[str] = Counter()
    for proposed in allocation.sets:
        for reason in proposed.reasons:
            if reason.code != "organisation_repeated":
                trainees_with[reason.code] += len(reason.trainee_ids)
    unplaced = Counter(reason.code for _, reason in allocation.unplaced)
    placed = sum(len(proposed.trainees) for proposed in allocation.sets)
    print(f"{name}: {seconds:.2f} s, score {allocation.score}")
    print(
        f"  sets {len(allocation.sets)} of {len(teams)} teams; sizes "
        + ", ".join(f"{size}: {count}" for size, count in sorted(sizes.items()))
    )
    print(
        f"  placed {placed}, unplaced {len(allocation.unplaced)} {dict(sorted(unplaced.items()))}"
    )
    print(
        f"  organisation repeats (extra trainees from an organisation already in the set): "
        f"{repeats}, mean {repeats / max(1, len(allocation.sets)):.3f} per set, "
        f"in {sets_with_repeats} sets"
    )
    print(
        f"  trainees with mode mismatch {trainees_with['mode_mismatch']}, mode partly met "
        f"{trainees_with['mode_partly_met']}, region mismatch {trainees_with['region_mismatch']}"
    )
    print(
        f"  hard-rule violations: violations() {len(violations(allocation.sets))}, "
        f"independent check {independent_breaches(allocation, trainees)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="trainees (default 1000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--spare",
        type=float,
        default=SPARE_TEAMS,
        help="teams beyond size / 6.5, as a fraction (default 0.12; negative: too few)",
    )
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)  # noqa: S311 (test data)
    trainees, teams = build_programme(arguments.size, rng, arguments.spare)
    staff = Counter(t.organisation for t in trainees if t.organisation)
    emails = {t.email for t in trainees}
    by_trainee = sum(t.line_manager_email in emails for t in trainees)
    facilitator_emails = {f.email.lower() for team in teams for f in team.facilitators}
    by_facilitator = sum(
        (t.line_manager_email or "").lower() in facilitator_emails for t in trainees
    )
    print(
        f"{len(trainees)} trainees from {len(staff)} organisations (largest {max(staff.values())}, "
        f"{sum(n == 1 for n in staff.values())} of one); line managed by another trainee "
        f"{by_trainee}, by a facilitator {by_facilitator}; {len(teams)} teams "
        f"{dict(Counter(team.mode for team in teams))} (seed {arguments.seed})"
    )
    report("optimiser", lambda t, s: allocate(t, s, seed=arguments.seed), trainees, teams)
    report("first fit", first_fit, trainees, teams)


if __name__ == "__main__":
    main()
