"""Buddy pairing for an intake, check-ins and re-pairing, without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.applications.models import DeliveryMode
from lms.applications.queries import facilitator_profiles
from lms.buddy import queries, services
from lms.buddy.models import BuddyStatus, CheckInTopic, RuleKind
from lms.buddy.services import BuddyError
from lms.db_types import utcnow
from lms.extensions import db


def _pairs(intake, status=BuddyStatus.PENDING):
    return [frozenset(g.member_ids) for g in queries.groups(intake.id, status)]


def test_candidates_come_from_the_application(intake, make_member):
    blended = make_member("Blend", mode=DeliveryMode.BLENDED)
    profile = next(p for p in facilitator_profiles(intake.id) if p.user.id == blended.id)
    candidate = services.candidate(profile)
    assert candidate.modes == {"online", "in_person", "blended"}
    assert candidate.role_family == "nursing_midwifery"
    assert candidate.organisation == str(blended.organisation_id)


def test_running_pairs_across_organisations_and_holds_them_pending(intake, four, lead, outbox):
    proposal = services.run_pairing(intake, by=lead)
    assert proposal.result.same_organisation == 0
    pairs = _pairs(intake)
    assert len(pairs) == 2
    for pair in pairs:
        orgs = {p.organisation_id for p in four if p.id in pair}
        assert len(orgs) == 2
    assert not [e for e in outbox() if "buddy" in e.subject.lower()]  # nobody told yet
    group = queries.groups(intake.id, BuddyStatus.PENDING)[0]
    assert group.links and group.links[0]["reasons"]


def test_running_again_replaces_the_proposal(intake, four, lead):
    services.run_pairing(intake, by=lead)
    services.run_pairing(intake, by=lead)
    assert len(_pairs(intake)) == 2


def test_an_odd_count_makes_one_triad(intake, four, make_member, lead):
    make_member("C1", "Trust C")
    services.run_pairing(intake, by=lead)
    sizes = sorted(len(p) for p in _pairs(intake))
    assert sizes == [2, 3]


def test_must_and_must_not_rules_are_honoured(intake, four, lead):
    a1, a2, b1, b2 = four
    services.add_rule(intake, a1, a2, RuleKind.MUST_PAIR, by=lead)  # same organisation
    services.add_rule(intake, b2, b1, RuleKind.MUST_PAIR, by=lead)
    services.run_pairing(intake, by=lead)
    assert set(_pairs(intake)) == {frozenset((a1.id, a2.id)), frozenset((b1.id, b2.id))}
    services.add_rule(intake, a1, a2, RuleKind.MUST_NOT_PAIR, by=lead)  # replaces the rule
    services.add_rule(intake, b1, b2, RuleKind.MUST_NOT_PAIR, by=lead)
    services.run_pairing(intake, by=lead)
    assert frozenset((a1.id, a2.id)) not in _pairs(intake)


def test_a_rule_needs_two_people(intake, four, lead):
    with pytest.raises(BuddyError):
        services.add_rule(intake, four[0], four[0], RuleKind.MUST_PAIR, by=lead)


def test_swapping_rescores_both_groups_and_confirm_refuses_broken_rules(intake, four, lead):
    a1, a2, _b1, _b2 = four
    services.run_pairing(intake, by=lead)
    before = {
        frozenset(g.member_ids): g.points for g in queries.groups(intake.id, BuddyStatus.PENDING)
    }
    partner_of_a1 = next(uid for p in _pairs(intake) if a1.id in p for uid in p if uid != a1.id)
    other = next(p for p in _pairs(intake) if a1.id not in p)
    # Swap a1's partner with the person from a1's organisation: a1 ends up with a2.
    mover = next(p for p in four if p.id in other and p.organisation_id == a1.organisation_id)
    partner = next(p for p in four if p.id == partner_of_a1)
    services.swap(intake, partner, mover, by=lead)
    groups = queries.groups(intake.id, BuddyStatus.PENDING)
    assert any(g.same_organisation == 1 for g in groups)
    assert {frozenset(g.member_ids) for g in groups} != set(before)
    services.add_rule(intake, a1, a2, RuleKind.MUST_NOT_PAIR, by=lead)
    with pytest.raises(BuddyError, match="must not be buddies"):
        services.confirm(intake, by=lead)


def test_swapping_within_one_pair_is_refused(intake, four, lead):
    services.run_pairing(intake, by=lead)
    pair = queries.groups(intake.id, BuddyStatus.PENDING)[0]
    people = [m.user for m in pair.members]
    with pytest.raises(BuddyError):
        services.swap(intake, people[0], people[1], by=lead)


def test_confirming_tells_each_buddy_who_their_buddy_is(intake, four, lead, outbox):
    services.run_pairing(intake, by=lead)
    assert services.confirm(intake, by=lead) == 2
    assert _pairs(intake, BuddyStatus.CONFIRMED) and not _pairs(intake)
    emails = [e for e in outbox() if e.subject == "Your buddy for the programme"]
    assert {e.recipient for e in emails} == {p.email for p in four}
    a1 = four[0]
    partner = next(
        p for p in four if frozenset((a1.id, p.id)) in _pairs(intake, BuddyStatus.CONFIRMED)
    )
    assert partner.name in next(e.body for e in emails if e.recipient == a1.email)
    with pytest.raises(BuddyError):
        services.run_pairing(intake, by=lead)  # everyone has a buddy


def _confirmed(intake, four, lead):
    services.run_pairing(intake, by=lead)
    services.confirm(intake, by=lead)
    return queries.groups(intake.id, BuddyStatus.CONFIRMED)


def test_check_ins_count_for_every_member(intake, four, lead):
    group = _confirmed(intake, four, lead)[0]
    first, second = [m.user for m in group.members]
    services.log_check_in(group, first, utcnow().date(), 45, [CheckInTopic.SETS], "Private")
    assert queries.check_in_count(first.id) == queries.check_in_count(second.id) == 1
    outsider = next(p for p in four if p.id not in group.member_ids)
    assert queries.check_in_count(outsider.id) == 0


@pytest.mark.parametrize(
    ("days", "minutes", "topics", "field"),
    [
        (1, 45, [CheckInTopic.SETS], "met_on"),
        (0, 2, [CheckInTopic.SETS], "minutes"),
        (0, 30, [], "topics"),
    ],
)
def test_a_check_in_is_checked(intake, four, lead, days, minutes, topics, field):
    group = _confirmed(intake, four, lead)[0]
    with pytest.raises(BuddyError) as exc:
        services.log_check_in(
            group,
            group.members[0].user,
            utcnow().date() + timedelta(days=days),
            minutes,
            topics,
            "",
        )
    assert exc.value.field == field


def test_only_buddies_log_check_ins(intake, four, lead):
    group = _confirmed(intake, four, lead)[0]
    outsider = next(p for p in four if p.id not in group.member_ids)
    with pytest.raises(BuddyError):
        services.log_check_in(group, outsider, utcnow().date(), 30, [CheckInTopic.SETS], "")


def test_re_pairing_ends_the_pair_and_pairs_only_the_people_affected(intake, four, lead, outbox):
    first, second = _confirmed(intake, four, lead)
    asker = first.members[0].user
    request = services.request_repair(first, asker, "Our diaries never match.")
    with pytest.raises(BuddyError):
        services.request_repair(first, asker, "Again")
    assert [r.id for r in queries.open_requests(intake.id)] == [request.id]
    services.resolve_repair(request, True, by=lead)
    assert first.status is BuddyStatus.ENDED
    assert request.decision == "repaired"
    # Only the two from the ended pair need a buddy: they were buddies, so it is a repeat,
    # which the optimiser accepts only because there is nobody else.
    proposal = services.run_pairing(intake, by=lead)
    assert set(proposal.people) == set(first.member_ids)
    assert proposal.result.repeats == 1
    assert second.status is BuddyStatus.CONFIRMED
    assert any("has ended" in e.body for e in outbox())


def test_keeping_a_pair_closes_the_request(intake, four, lead, outbox):
    group = _confirmed(intake, four, lead)[0]
    request = services.request_repair(group, group.members[1].user, "Not sure")
    services.resolve_repair(request, False, by=lead)
    assert group.status is BuddyStatus.CONFIRMED and request.decision == "kept"
    with pytest.raises(BuddyError):
        services.resolve_repair(request, True, by=lead)


def test_the_one_person_left_can_join_a_pair(intake, four, make_member, lead):
    _confirmed(intake, four, lead)
    late = make_member("Late", "Trust C")
    with pytest.raises(BuddyError, match="Only one person"):
        services.propose(intake)
    pair = queries.groups(intake.id, BuddyStatus.CONFIRMED)[0]
    services.join_pair(intake, late, pair, by=lead)
    assert len(pair.members) == 3 and len(pair.links) == 3
    with pytest.raises(BuddyError):
        services.join_pair(
            intake, late, queries.groups(intake.id, BuddyStatus.CONFIRMED)[1], by=lead
        )


def test_past_pairs_are_remembered_across_intakes(intake, four, lead):
    _confirmed(intake, four, lead)
    ids = {p.id for p in four}
    assert len(queries.past_pairs(ids)) == 2


def test_discarding_removes_the_proposal(intake, four, lead):
    services.run_pairing(intake, by=lead)
    assert services.discard(intake, by=lead) == 2
    assert not _pairs(intake)
    db.session.flush()
