"""Observed practice, part one: each delivering intake's GMTS cohort of trainees, its
confirmed sets (5 to 8 trainees, one or two of the intake's facilitators each) and the
trainees' line managers.

The rules the allocator keeps, kept here too: a trainee is in at most one set of their
cohort; facilitators only run sets of their own intake; and nobody's line manager is in
their set, as a member or as a facilitator. Most line managers are people outside the
platform; some are other trainees of the cohort (in another set) or facilitators of the
intake (who do not run the trainee's set).
"""

from __future__ import annotations

from lms.accounts.models import Role
from lms.applications.models import DeliveryMode
from lms.practice import holidays
from lms.practice.models import PracticeSet, SetFacilitator, SetMember, SetStatus, TraineeProfile
from lms.scale.bulk import Context, at, days, split
from lms.scale.people import add_user

SET_SIZES = {5: 35, 6: 40, 7: 15, 8: 10}
MODES = {DeliveryMode.ONLINE: 50, DeliveryMode.BLENDED: 25, DeliveryMode.IN_PERSON: 25}
UNPLACED_SHARE = 0.01  # trainees the allocator could not place: in no set
MANAGER_KINDS = {"trainee": 8, "facilitator": 4, "outside": 73, "none": 15}


def build_sets(ctx: Context) -> None:
    """Trainees, sets, members and facilitators for every intake that has facilitators.

    Leaves in ``ctx.shared["sets"]`` one dict per set: id, intake, members, facilitators,
    first-session date and mode, for :mod:`lms.scale.sessions`."""
    intakes = [i for i in ctx.shared["intakes"] if i.kind != "open"]
    totals = split(ctx.scaled(2_000, minimum=2 * len(intakes)), len(intakes))
    ctx.shared["sets"] = []
    ctx.shared["emails"] = {}
    counter = {"trainee": 0, "manager": 0}
    for intake, count in zip(intakes, totals, strict=True):
        facilitators = ctx.shared["facilitators"][intake.id]
        count = min(count, max(1, len(facilitators)))
        sizes = [ctx.pick(SET_SIZES) for _ in range(count)]
        unplaced = round(sum(sizes) * UNPLACED_SHARE)
        trainees = [_trainee(ctx, intake, counter) for _ in range(sum(sizes) + unplaced)]
        sets = _make_sets(ctx, intake, sizes, trainees, facilitators)
        _line_managers(ctx, intake, trainees, sets, facilitators, counter)


def _trainee(ctx: Context, intake, counter: dict) -> dict:
    counter["trainee"] += 1
    email = f"scale.trainee.{counter['trainee']:05d}@example.org"
    organisation = ctx.rng.choice(ctx.shared["organisations"])
    joined = at(intake.starts_on - days(30), 9)
    user_id = add_user(ctx, email, (Role.TRAINEE,), organisation, joined)
    ctx.shared["emails"][user_id] = email
    return {"id": user_id, "email": email, "organisation": organisation, "joined": joined}


def _make_sets(ctx: Context, intake, sizes, trainees, facilitators) -> list[dict]:
    rng = ctx.rng
    lead = ctx.shared["staff"]["lead"][0]
    load = dict.fromkeys(facilitators, 0)
    order = list(facilitators)
    rng.shuffle(order)
    sets = []
    position = 0
    for n, size in enumerate(sizes):
        first = order[n % len(order)]
        running = [first]
        load[first] += 1
        if len(order) > 1 and rng.random() < 0.5:
            spare = [f for f in order if f != first and load[f] < 2]
            if spare:
                least = min(load[f] for f in spare)
                second = rng.choice([f for f in spare if load[f] == least])
                running.append(second)
                load[second] += 1
        members = trainees[position : position + size]
        position += size
        sets.append(_make_set(ctx, intake, n + 1, running, members, lead))
    return sets


def _make_set(ctx: Context, intake, number: int, running, members, lead) -> dict:
    rng = ctx.rng
    mode = ctx.pick(MODES)
    region = ctx.shared["user_org"][running[0]]["region"]
    first_session = intake.starts_on + days(35 + rng.randint(0, 20))
    confirmed = at(first_session - days(21), 16)
    online = mode is DeliveryMode.ONLINE
    set_id = ctx.add(
        PracticeSet,
        intake_id=intake.id,
        gmts_intake=intake.gmts_cohort,
        name=f"Set {number:03d}",
        status=SetStatus.CONFIRMED,
        mode=mode,
        region=region,
        nation=holidays.nation_for_region(region),
        venue=None if online else "Leadership Academy, Meeting room 4",
        joining_link=None
        if mode is DeliveryMode.IN_PERSON
        else f"https://meet.example.org/set-{number}",
        run_id=None,
        points=0,
        reasons=[],
        created_by_id=lead,
        created_at=confirmed - days(2),
        confirmed_at=confirmed,
    )
    for facilitator in running:
        ctx.add(SetFacilitator, set_id=set_id, user_id=facilitator)
    acknowledged = at(first_session - days(2), 12)
    for member in members:
        known = acknowledged < ctx.now and rng.random() < 0.9
        ctx.add(
            SetMember,
            set_id=set_id,
            user_id=member["id"],
            charter_acknowledged_at=acknowledged if known else None,
        )
        member["set"] = set_id
        member["mode"] = mode if rng.random() < 0.8 else ctx.pick(MODES)
    return {
        "id": set_id,
        "intake": intake,
        "members": [m["id"] for m in members],
        "facilitators": list(running),
        "first": first_session,
        "mode": mode,
    }


def _line_managers(ctx: Context, intake, trainees, sets, facilitators, counter) -> None:
    """Each trainee's profile, with a line manager who is never in their set."""
    rng = ctx.rng
    running_set = {s["id"]: set(s["facilitators"]) for s in sets}
    outside_pool = max(1, len(trainees) // 3)
    base = counter["manager"]
    counter["manager"] += outside_pool
    for trainee in trainees:
        kind = ctx.pick(MANAGER_KINDS)
        own_set = trainee.get("set")
        manager = None
        if kind == "trainee":
            other = rng.choice(trainees)
            if other is not trainee and (own_set is None or other.get("set") != own_set):
                manager = other["email"]
        elif kind == "facilitator" and facilitators:
            chosen = rng.choice(facilitators)
            if own_set is None or chosen not in running_set[own_set]:
                manager = _email_of(ctx, chosen)
        if manager is None and kind != "none":
            manager = f"scale.manager.{base + rng.randint(1, outside_pool):05d}@example.net"
        trainee["manager"] = manager
        ctx.add(
            TraineeProfile,
            user_id=trainee["id"],
            gmts_intake=intake.gmts_cohort,
            region=trainee["organisation"]["region"],
            mode=trainee.get("mode") or ctx.pick(MODES),
            line_manager_email=manager,
            import_id=None,
            created_at=trainee["joined"],
            updated_at=trainee["joined"],
        )
    ctx.shared["sets"].extend(sets)


def _email_of(ctx: Context, user_id: int) -> str:
    return ctx.shared["user_rows"][user_id]["email"]
