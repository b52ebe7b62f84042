"""Buddy pairing (SPEC section 6).

A confirmed pair's members log check-ins (with notes the pair alone reads) and either may
ask to be re-paired. To every other facilitator the pair is not there (404), and a pair a
lead has only proposed is nobody's yet, its own members' included. Leads run pairing,
adjust and confirm it, set must-pair and must-not-pair rules, and deal with re-pairing
requests; they never log check-ins or read their notes. Nobody else has a part: 403.

Relationships in the demo world: Fatima ("facilitator") and Dev ("buddy") are a confirmed
pair, as are Kwame ("same_group_facilitator") and Bethan, who has asked to be re-paired.
A lead has run pairing for the intake's unpaired facilitators, so Ioan
("other_group_facilitator") is in a proposed pair.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.extensions import db
from tests.access_matrix.changes import allowed_posts, check_allowed_post
from tests.access_matrix.conftest import Route, cases, holders

FACILITATORS = holders(Role.FACILITATOR)
LEADS = holders(Role.LEAD)

PAIR = {"facilitator", "buddy"}
OTHER_PAIR = {"same_group_facilitator"}


def _user(email: str):
    from lms.accounts.models import User

    return db.session.scalar(db.select(User).where(User.email == email))


def extend_world(w) -> None:
    """The two confirmed pairs, a proposal for everyone else, a rule and a request."""
    from lms.applications.models import Intake
    from lms.buddy import services
    from lms.buddy.models import BuddyGroup, BuddyStatus, RuleKind

    intake = db.session.get(Intake, w.running_intake)
    lead = _user("lead@example.org")
    fatima, kwame, ioan, jade = (
        _user(f"{name}@example.org")
        for name in ("facilitator", "kwame.asante", "ioan.jones", "jade.wilson")
    )
    confirmed = {
        frozenset(g.member_ids): g
        for g in db.session.scalars(
            db.select(BuddyGroup).where(
                BuddyGroup.intake_id == intake.id, BuddyGroup.status == BuddyStatus.CONFIRMED
            )
        )
    }
    w.pair = next(g.id for ids, g in confirmed.items() if fatima.id in ids)
    other = next(g for ids, g in confirmed.items() if kwame.id in ids)
    w.other_pair = other.id
    bethan = next(m for m in other.members if m.user_id != kwame.id).user
    w.repair_request = services.request_repair(other, bethan, "We cannot find times to meet").id
    w.rule = services.add_rule(intake, ioan, jade, RuleKind.MUST_NOT_PAIR, by=lead).id
    services.run_pairing(intake, by=lead)
    pending = list(
        db.session.scalars(
            db.select(BuddyGroup).where(
                BuddyGroup.intake_id == intake.id, BuddyGroup.status == BuddyStatus.PENDING
            )
        )
    )
    w.proposed_pair = next(g.id for g in pending if ioan.id in g.member_ids)
    first, second = pending[0], pending[1]
    w.swap_people = (first.member_ids[0], second.member_ids[0])


# --- What a refused request must leave alone --------------------------------------------------


def _rows(*columns, where) -> list:
    found = db.session.execute(db.select(*columns).where(where))
    return sorted((tuple(row) for row in found), key=repr)


def check_ins(w) -> list:
    from lms.buddy.models import CheckIn as C

    return _rows(C.id, C.group_id, C.notes, where=C.group_id.in_([w.pair, w.other_pair]))


def requests(w) -> list:
    from lms.buddy.models import RepairRequest as R

    return _rows(R.id, R.group_id, R.user_id, R.resolved_at, R.decision, where=R.id.is_not(None))


def pairing(w) -> tuple:
    from lms.buddy.models import BuddyGroup as G
    from lms.buddy.models import BuddyMember as M
    from lms.buddy.models import PairingRule as R

    return (
        _rows(G.id, G.status, G.ended_at, where=G.intake_id == w.running_intake),
        _rows(M.group_id, M.user_id, where=M.id.is_not(None)),
        _rows(R.id, R.kind, R.first_id, R.second_id, where=R.intake_id == w.running_intake),
    )


# --- What is posted (valid, so a missing check would show as a change) ------------------------


def check_in_form(w) -> dict:
    from lms.db_types import utcnow

    day = (utcnow() - timedelta(days=1)).date()
    return {
        "met_on[day]": str(day.day),
        "met_on[month]": str(day.month),
        "met_on[year]": str(day.year),
        "minutes": "45",
        "topics": ["sets"],
        "notes": "Logged by someone who may not",
    }


def group(name: str):
    return lambda w: {"group_id": getattr(w, name)}


def intake(w) -> dict:
    return {"intake_id": w.running_intake}


PAIRS = [
    Route(
        "buddy.new_check_in",
        group("pair"),
        allow=PAIR,
        hide=FACILITATORS - PAIR,
        data=check_in_form,
        state=check_ins,
    ),
    Route(
        "buddy.new_check_in",
        group("other_pair"),
        allow=OTHER_PAIR,
        hide=FACILITATORS - OTHER_PAIR,
        data=check_in_form,
        state=check_ins,
        case="other pair",
    ),
    Route(
        "buddy.new_check_in",
        group("proposed_pair"),
        hide=FACILITATORS,  # Ioan's included: not confirmed yet
        data=check_in_form,
        state=check_ins,
        case="proposed",
    ),
    Route(
        "buddy.request_repair",
        group("pair"),
        allow=PAIR,
        hide=FACILITATORS - PAIR,
        data=lambda w: {"reason": "Asked by someone who may not"},
        state=requests,
    ),
    Route(
        "buddy.request_repair",
        group("proposed_pair"),
        hide=FACILITATORS,
        data=lambda w: {"reason": "Asked by someone who may not"},
        state=requests,
        case="proposed",
    ),
]

LEAD_PAGES = [
    Route("buddy.intake_pairs", intake, allow=LEADS),
    Route("buddy.run_pairing", intake, allow=LEADS, state=pairing),
    Route("buddy.confirm", intake, allow=LEADS, state=pairing),
    Route("buddy.discard", intake, allow=LEADS, state=pairing),
    Route(
        "buddy.swap",
        intake,
        allow=LEADS,
        data=lambda w: {"swap-first": str(w.swap_people[0]), "swap-second": str(w.swap_people[1])},
        state=pairing,
    ),
    Route(
        "buddy.add_rule",
        intake,
        allow=LEADS,
        data=lambda w: {
            "rule-first": str(w.users["facilitator"]),
            "rule-second": str(w.users["same_group_facilitator"]),
            "rule-kind": "must_not_pair",
        },
        state=pairing,
    ),
    Route(
        "buddy.remove_rule",
        lambda w: {"intake_id": w.running_intake, "rule_id": w.rule},
        allow=LEADS,
        state=pairing,
    ),
    Route(
        "buddy.join_pair",
        intake,
        allow=LEADS,
        data=lambda w: {"join-person": str(w.swap_people[0]), "join-group": str(w.pair)},
        state=pairing,
    ),
    Route(
        "buddy.resolve_request",
        lambda w: {"request_id": w.repair_request},
        allow=LEADS,
        data=lambda w: {"decision": "repair"},
        state=lambda w: (requests(w), pairing(w)),
    ),
]

ROUTES = PAIRS + LEAD_PAGES


@pytest.mark.parametrize("case", cases(ROUTES))
def test_access(matrix, case):
    matrix.check(case)


# Everyone is in a pair or a proposal, so there is nobody left for a lead to add to a pair;
# and pairing again gives the same proposal (the pairing is deterministic), so only its
# audit entry would show a refused run.
NOT_CHANGED_BY_THE_ALLOWED = {"buddy.join_pair", "buddy.run_pairing"}


@pytest.mark.parametrize(("route", "actor"), allowed_posts(ROUTES, NOT_CHANGED_BY_THE_ALLOWED))
def test_what_refused_people_post_would_change_the_record(matrix, route, actor):
    check_allowed_post(matrix, route, actor)


def test_the_world_has_the_relationships_the_table_relies_on(world):
    """If the demo changes, the table above must change with it, not silently mean less."""
    from lms.buddy.models import BuddyGroup, BuddyStatus

    u = world.users
    pair, other, proposed = (
        db.session.get(BuddyGroup, i) for i in (world.pair, world.other_pair, world.proposed_pair)
    )
    assert pair.status is other.status is BuddyStatus.CONFIRMED
    assert set(pair.member_ids) == {u["facilitator"], u["buddy"]}
    assert u["same_group_facilitator"] in other.member_ids
    assert not {u["facilitator"], u["buddy"]} & set(other.member_ids)
    assert proposed.status is BuddyStatus.PENDING
    assert u["other_group_facilitator"] in proposed.member_ids
