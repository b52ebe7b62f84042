"""Benchmark the buddy-pairing optimiser on a realistic intake (SPEC section 12).

Not a test: it prints figures. Run from the project root:

    PYTHONPATH=. .venv/bin/python scripts/bench_pairing.py [--size 500] [--seed 2026]
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence

from lms.buddy.pairing import Candidate, Pairing, Rules, greedy_pair, pair, violations

ORGANISATIONS = 120
ROLE_FAMILIES = {  # role family: relative frequency
    "nursing_midwifery": 26,
    "medical_dental": 12,
    "allied_health": 14,
    "healthcare_science": 5,
    "management": 20,
    "finance": 8,
    "people_od": 9,
    "digital_data": 6,
}
SECTORS = {
    "acute": 40,
    "mental_health": 15,
    "community": 15,
    "primary_care": 12,
    "ambulance": 6,
    "commissioning": 12,
}
REGIONS = [
    "london",
    "south_east",
    "south_west",
    "midlands",
    "east_of_england",
    "north_west",
    "north_east_yorkshire",
]
MODE_CHOICES = {  # delivery modes someone can do: relative frequency
    ("online",): 24,
    ("in_person",): 14,
    ("blended",): 8,
    ("online", "blended"): 20,
    ("blended", "in_person"): 8,
    ("online", "blended", "in_person"): 16,
    (): 10,  # no preference stated
}


def _pick(rng: random.Random, weighted: dict) -> object:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def build_intake(size: int, rng: random.Random) -> tuple[list[Candidate], Rules]:
    """``size`` facilitators from about 120 organisations of very different sizes (a few
    large acute trusts, many small ones), each organisation in one sector and region,
    with past buddy pairs and a few must-pair / must-not-pair rules from the lead."""
    organisations = [
        (f"org-{number:03d}", _pick(rng, SECTORS), rng.choice(REGIONS))
        for number in range(ORGANISATIONS)
    ]
    sizes = [1 / (rank + 1) ** 0.7 for rank in range(ORGANISATIONS)]  # Zipf-like
    candidates = []
    for person in range(size):
        name, sector, region = rng.choices(organisations, weights=sizes)[0]
        unknown = rng.random()
        candidates.append(
            Candidate(
                id=1000 + person,
                organisation=None if unknown < 0.02 else name,
                role_family=None if unknown > 0.97 else _pick(rng, ROLE_FAMILIES),
                sector=sector,
                region=None if 0.5 < unknown < 0.52 else region,
                modes=frozenset(_pick(rng, MODE_CHOICES)),
            )
        )
    ids = [candidate.id for candidate in candidates]
    past = frozenset(frozenset(rng.sample(ids, 2)) for _ in range(size // 3))
    chosen = rng.sample(ids, 2 * max(1, size // 100))
    must_pair = frozenset(frozenset(chosen[i : i + 2]) for i in range(0, len(chosen), 2))
    must_not = set()
    while len(must_not) < max(1, size // 50):
        ids_pair = frozenset(rng.sample(ids, 2))
        if ids_pair not in must_pair:
            must_not.add(ids_pair)
    return candidates, Rules(must_pair, frozenset(must_not), past)


def report(
    name: str,
    run: Callable[..., Pairing],
    candidates: Sequence[Candidate],
    rules: Rules,
) -> None:
    started = time.perf_counter()
    pairing = run(candidates, rules)
    seconds = time.perf_counter() - started
    broken = violations(pairing, candidates, rules)
    same_org_groups = sum(group.same_organisation > 0 for group in pairing.groups)
    triads = sum(len(group.members) == 3 for group in pairing.groups)
    print(
        f"{name:<10} {seconds:6.2f} s  total score {pairing.total:6d}  "
        f"groups {len(pairing.groups)} (triads {triads})  "
        f"same-organisation groups {same_org_groups}  repeated past pairs {pairing.repeats}  "
        f"hard-rule violations {len(broken)}"
    )
    for problem in broken:
        print("   ", problem)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=500, help="facilitators (default 500)")
    parser.add_argument("--seed", type=int, default=2026)
    arguments = parser.parse_args()
    candidates, rules = build_intake(arguments.size, random.Random(arguments.seed))  # noqa: S311 (test data)
    staff = Counter(c.organisation for c in candidates if c.organisation)
    print(
        f"{arguments.size} facilitators, {len(staff)} organisations "
        f"(largest {max(staff.values())}, {sum(n == 1 for n in staff.values())} of one), "
        f"{len(rules.past_pairs)} past pairs, {len(rules.must_pair)} must-pair and "
        f"{len(rules.must_not_pair)} must-not-pair rules (seed {arguments.seed})"
    )
    report("optimiser", pair, candidates, rules)
    report("greedy", greedy_pair, candidates, rules)


if __name__ == "__main__":
    main()
