"""Buddy pairing for an intake, around the pure optimiser in ``pairing.py``: running it,
holding the proposal as pending, swapping people by hand, confirming, check-ins and
re-pairing. Plain functions, tested without HTTP; views and the CLI call these."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms import audit
from lms.accounts.models import User
from lms.applications.models import Intake
from lms.applications.queries import FacilitatorProfile, facilitator_profiles
from lms.applications.services import today
from lms.buddy import pairing, queries
from lms.buddy.models import (
    BuddyGroup,
    BuddyMember,
    BuddyStatus,
    CheckIn,
    CheckInTopic,
    PairingRule,
    RepairRequest,
    RuleKind,
)
from lms.buddy.pairing import Candidate, Reason, Rules
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import absolute_url, tell

TEXT_MAX = 5_000

REASON_LABELS = {
    Reason.DIFFERENT_ORGANISATION: _l("Different organisations"),
    Reason.SAME_ORGANISATION: _l("Same organisation"),
    Reason.DIFFERENT_ROLE_FAMILY: _l("Different role families"),
    Reason.SAME_ROLE_FAMILY: _l("Same role family"),
    Reason.DIFFERENT_SECTOR: _l("Different sectors"),
    Reason.SAME_SECTOR: _l("Same sector"),
    Reason.SHARED_MODE: _l("Can meet the same way (online or in person)"),
    Reason.NO_SHARED_MODE: _l("No way of meeting in common"),
    Reason.SAME_REGION_IN_PERSON: _l("Same region, both meeting in person"),
    Reason.DIFFERENT_REGION_IN_PERSON: _l("Different regions, both meeting in person"),
    Reason.PAST_PAIR: _l("Have been buddies before"),
    Reason.MUST_PAIR: _l("A lead said they must be buddies"),
}
# Reasons that count against a pair, shown as warnings.
WARNINGS = {
    Reason.SAME_ORGANISATION,
    Reason.NO_SHARED_MODE,
    Reason.DIFFERENT_REGION_IN_PERSON,
    Reason.PAST_PAIR,
}


class BuddyError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def check_ins_required(intake_id: int | None) -> int:
    """Buddy check-ins the intake's award needs (its criteria, or the defaults)."""
    from lms.assessment.criteria import RequirementKind
    from lms.assessment.portfolio import required_count

    return required_count(intake_id, RequirementKind.BUDDY_CHECK_INS)


# --- From the database to the optimiser -------------------------------------------------------


def candidate(profile: FacilitatorProfile) -> Candidate:
    """A facilitator as the optimiser sees them. Someone who chose blended can meet either
    way; someone who did not say is compatible with everyone."""
    mode = profile.preferred_mode.value if profile.preferred_mode else None
    modes = {
        None: frozenset(),
        "online": frozenset({"online"}),
        "in_person": frozenset({"in_person"}),
        "blended": frozenset({"online", "in_person", "blended"}),
    }[mode]
    return Candidate(
        id=profile.user.id,
        organisation=str(profile.organisation.id) if profile.organisation else None,
        role_family=profile.staff_group.value if profile.staff_group else None,
        sector=profile.sector.value if profile.sector else None,
        region=profile.region.value if profile.region else None,
        modes=modes,
    )


def rules_for(intake: Intake, people: Iterable[int]) -> Rules:
    """The lead's rules for ``people``, and every pair of them who were buddies before
    (in any intake, confirmed then or since ended)."""
    people = set(people)
    must, must_not = set(), set()
    for rule in queries.rules(intake.id):
        ids = frozenset((rule.first_id, rule.second_id))
        if ids <= people:
            (must if rule.kind is RuleKind.MUST_PAIR else must_not).add(ids)
    return Rules(
        must_pair=frozenset(must),
        must_not_pair=frozenset(must_not),
        past_pairs=frozenset(queries.past_pairs(people)),
    )


def link_json(group: pairing.Group) -> list[dict]:
    return [
        {
            "a": link.a,
            "b": link.b,
            "points": link.points,
            "reasons": [[reason.value, points] for reason, points in link.reasons],
        }
        for link in group.links
    ]


def apply_score(buddy_group: BuddyGroup, scored: pairing.Group) -> None:
    buddy_group.points = scored.points
    buddy_group.links = link_json(scored)
    buddy_group.same_organisation = scored.same_organisation
    buddy_group.repeats = scored.repeats


# --- Running, adjusting and confirming ----------------------------------------------------


@dataclass
class Proposal:
    """What a pairing run proposes (also what ``--dry-run`` prints)."""

    result: pairing.Pairing
    people: dict[int, FacilitatorProfile]


def propose(intake: Intake) -> Proposal:
    """Pair everyone in the intake who has no confirmed buddy; changes nothing."""
    taken = queries.confirmed_member_ids(intake.id)
    profiles = {p.user.id: p for p in facilitator_profiles(intake.id) if p.user.id not in taken}
    if len(profiles) < 2:
        raise BuddyError(
            _("Everyone in this intake has a buddy.")
            if not profiles
            else _(
                "Only one person needs a buddy. Add them to an existing pair to make a group "
                "of three."
            )
        )
    people = [candidate(p) for p in profiles.values()]
    try:
        result = pairing.pair(people, rules_for(intake, profiles))
    except pairing.PairingError as exc:
        # The algorithm's own reason is English and for developers: it stays on the chain.
        raise BuddyError(
            _("The rules cannot all be met. Check the must and must-not rules.")
        ) from exc
    return Proposal(result, profiles)


def run_pairing(intake: Intake, by: User | None) -> Proposal:
    """Replace the intake's pending proposal with a new one for everyone without a
    confirmed buddy (after a re-pairing, only the people affected)."""
    proposal = propose(intake)
    discard(intake, by, record=False)
    for scored in proposal.result.groups:
        group = BuddyGroup(
            intake_id=intake.id,
            status=BuddyStatus.PENDING,
            created_by_id=by.id if by else None,  # None: run from the command line
        )
        apply_score(group, scored)
        group.members = [BuddyMember(user_id=uid) for uid in scored.members]
        db.session.add(group)
    db.session.flush()
    audit.record(
        "buddy.pairing_run",
        intake,
        actor=by,
        groups=len(proposal.result.groups),
        total=proposal.result.total,
        same_organisation=proposal.result.same_organisation,
        repeats=proposal.result.repeats,
    )
    return proposal


def discard(intake: Intake, by: User | None, record: bool = True) -> int:
    pending = queries.groups(intake.id, BuddyStatus.PENDING)
    for group in pending:
        db.session.delete(group)
    db.session.flush()
    if pending and record:
        audit.record("buddy.proposal_discarded", intake, actor=by, groups=len(pending))
    return len(pending)


def _rescore(intake: Intake, groups: list[BuddyGroup]) -> None:
    profiles = {p.user.id: p for p in facilitator_profiles(intake.id)}
    people = {uid for g in groups for uid in g.member_ids}
    rules = rules_for(intake, people)
    for group in groups:
        members = [candidate(profiles[uid]) for uid in group.member_ids if uid in profiles]
        if len(members) in (2, 3):
            apply_score(group, pairing.score_group(members, rules))


def swap(intake: Intake, first: User, second: User, by: User) -> None:
    """Swap two people between pending groups; both groups are scored again."""
    pending = queries.groups(intake.id, BuddyStatus.PENDING)
    where = {m.user_id: m for g in pending for m in g.members}
    a, b = where.get(first.id), where.get(second.id)
    if a is None or b is None:
        raise BuddyError(_("Select two people from the proposed pairs"), "first")
    if a.group_id == b.group_id:
        raise BuddyError(_("Those two are already together. Select people from two pairs."))
    group_a, group_b = a.group, b.group
    a.user_id, b.user_id = second.id, first.id
    db.session.flush()
    db.session.expire(group_a, ["members"])
    db.session.expire(group_b, ["members"])
    _rescore(intake, [group_a, group_b])
    db.session.flush()
    audit.record("buddy.swapped", intake, actor=by, people=[first.id, second.id])


def problems(
    intake: Intake, groups: list[BuddyGroup], rules: list[PairingRule] | None = None
) -> list[str]:
    """The hard rules a set of groups breaks, in the reader's language."""
    names = {m.user_id: m.user.name for g in groups for m in g.members}
    group_of = {m.user_id: g.id for g in groups for m in g.members}
    found = []
    for rule in queries.rules(intake.id) if rules is None else rules:
        a, b = rule.first_id, rule.second_id
        if a not in group_of or b not in group_of:
            continue
        together = group_of[a] == group_of[b]
        if rule.kind is RuleKind.MUST_PAIR and not together:
            found.append(
                _("%(a)s and %(b)s must be buddies but are not paired", a=names[a], b=names[b])
            )
        if rule.kind is RuleKind.MUST_NOT_PAIR and together:
            found.append(
                _("%(a)s and %(b)s must not be buddies but are paired", a=names[a], b=names[b])
            )
    return found


def confirm(intake: Intake, by: User | None) -> int:
    """Confirm every pending group and tell its members who their buddies are."""
    pending = queries.groups(intake.id, BuddyStatus.PENDING)
    if not pending:
        raise BuddyError(_("There are no proposed pairs to confirm. Run the pairing first."))
    broken = problems(intake, pending)
    if broken:
        raise BuddyError(broken[0])
    now = utcnow()
    for group in pending:
        group.status, group.confirmed_at = BuddyStatus.CONFIRMED, now
    db.session.flush()
    audit.record("buddy.pairs_confirmed", intake, actor=by, groups=[g.id for g in pending])
    for group in pending:
        _tell_paired(group)
    return len(pending)


def join_pair(intake: Intake, person: User, group: BuddyGroup, by: User) -> BuddyGroup:
    """Add the one person left without a buddy to a confirmed pair, making the triad."""
    if group.intake_id != intake.id or group.status is not BuddyStatus.CONFIRMED:
        raise BuddyError(_("Select one of this intake's confirmed pairs"), "group")
    if len(group.members) != 2:
        raise BuddyError(_("Select a pair, not a group of three"), "group")
    if person.id in queries.confirmed_member_ids(intake.id):
        raise BuddyError(_("%(name)s already has a buddy", name=person.name), "person")
    if person.id not in {p.user.id for p in facilitator_profiles(intake.id)}:
        raise BuddyError(_("Select one of the intake's trainee facilitators"), "person")
    group.members.append(BuddyMember(user_id=person.id))
    db.session.flush()
    db.session.expire(group, ["members"])
    _rescore(intake, [group])
    db.session.flush()
    audit.record("buddy.joined_pair", group, actor=by, person=person.id)
    _tell_paired(group)
    return group


def add_rule(intake: Intake, first: User, second: User, kind: RuleKind, by: User) -> PairingRule:
    if first.id == second.id:
        raise BuddyError(_("Select two different people"), "second")
    low, high = sorted((first.id, second.id))
    rule = db.session.scalar(
        db.select(PairingRule).where(
            PairingRule.intake_id == intake.id,
            PairingRule.first_id == low,
            PairingRule.second_id == high,
        )
    )
    if rule is None:
        rule = PairingRule(intake_id=intake.id, first_id=low, second_id=high, created_by_id=by.id)
        db.session.add(rule)
    rule.kind = kind
    db.session.flush()
    audit.record("buddy.rule_set", intake, actor=by, first=low, second=high, kind=kind.value)
    return rule


def remove_rule(rule: PairingRule, by: User) -> None:
    audit.record("buddy.rule_removed", rule, actor=by, first=rule.first_id, second=rule.second_id)
    db.session.delete(rule)
    db.session.flush()


# --- Check-ins and re-pairing ---------------------------------------------------------------


def log_check_in(
    group: BuddyGroup,
    by: User,
    met_on: date,
    minutes: int,
    topics: list[CheckInTopic],
    notes: str | None,
) -> CheckIn:
    if group.status is not BuddyStatus.CONFIRMED or by.id not in group.member_ids:
        raise BuddyError(_("You can only log check-ins with your current buddy"))
    if met_on > today():
        raise BuddyError(_("The date of the check-in must be today or in the past"), "met_on")
    if group.confirmed_at and met_on < group.confirmed_at.date():
        raise BuddyError(_("The date must be on or after the day you were paired"), "met_on")
    if not 5 <= minutes <= 480:
        raise BuddyError(_("Enter how long you met, between 5 and 480 minutes"), "minutes")
    if not topics:
        raise BuddyError(_("Select at least one thing you talked about"), "topics")
    notes = (notes or "").strip() or None
    if notes and len(notes) > TEXT_MAX:
        raise BuddyError(_("Notes must be 5,000 characters or fewer"), "notes")
    check_in = CheckIn(
        group_id=group.id,
        met_on=met_on,
        minutes=minutes,
        topics=[t.value for t in topics],
        notes=notes,
        logged_by_id=by.id,
    )
    db.session.add(check_in)
    db.session.flush()
    audit.record("buddy.check_in_logged", check_in, actor=by, group=group.id)
    return check_in


def request_repair(group: BuddyGroup, by: User, reason: str) -> RepairRequest:
    if group.status is not BuddyStatus.CONFIRMED or by.id not in group.member_ids:
        raise BuddyError(_("You can only ask to be re-paired from your current pair"))
    reason = (reason or "").strip()
    if not reason:
        raise BuddyError(_("Enter why you would like a different buddy"), "reason")
    if len(reason) > TEXT_MAX:
        raise BuddyError(_("The reason must be 5,000 characters or fewer"), "reason")
    if queries.open_request(group.id, by.id) is not None:
        raise BuddyError(_("You have already asked to be re-paired. A lead will be in touch."))
    request = RepairRequest(group_id=group.id, user_id=by.id, reason=reason)
    db.session.add(request)
    db.session.flush()
    audit.record("buddy.repair_requested", request, actor=by, group=group.id)
    return request


def resolve_repair(request: RepairRequest, repair: bool, by: User) -> None:
    """Re-pair (end the pair: its people can then be paired again, the old pair counting
    as a past pair) or keep the pair. Either way the request is closed and people told."""
    if request.resolved_at is not None:
        raise BuddyError(_("This request has already been dealt with."))
    group = request.group
    now = utcnow()
    for open_request in queries.open_requests_for_group(group.id):
        open_request.resolved_at, open_request.resolved_by_id = now, by.id
        open_request.decision = "repaired" if repair else "kept"
    if repair and group.status is BuddyStatus.CONFIRMED:
        group.status, group.ended_at = BuddyStatus.ENDED, now
        group.end_reason = request.reason
    db.session.flush()
    audit.record("buddy.repair_resolved", request, actor=by, repaired=repair, group=group.id)
    people = [m.user for m in group.members] if repair else [request.user]
    for person in people:
        tell(
            person,
            lambda: _("Your buddy pairing"),
            (lambda: _("Your buddy pair has ended. A programme lead will pair you again soon."))
            if repair
            else (
                lambda: _(
                    "A programme lead has looked at your request to be re-paired and has kept "
                    "your pair for now. They will be in touch to talk it through."
                )
            ),
            absolute_url("buddy.overview"),
            lambda: _("See your buddy page:"),
        )


def _tell_paired(group: BuddyGroup) -> None:
    members = [m.user for m in group.members]
    for person in members:
        others = [m.name for m in members if m.id != person.id]
        tell(
            person,
            lambda: _("Your buddy for the programme"),
            lambda others=others: _(
                "You have been paired with %(names)s. Their contact details are on your buddy "
                "page. Agree how you will work together at your first check-in.",
                names=format_list(others, locale=str(get_locale())),
            ),
            absolute_url("buddy.overview"),
            lambda: _("See your buddy page:"),
        )
