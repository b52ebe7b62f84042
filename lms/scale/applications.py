"""Applications in every status, with their timelines, line managers' endorsements,
reviewers' scores and equality answers; accepted applicants become the intake's trainee
facilitators (``IntakeFacilitator``).

Completed and running intakes hold decided applications (accepted, declined, withdrawn,
waiting-listed, rejected and a few drafts never sent); the intake open now holds the
undecided ones (drafts, submitted, shortlisted, offered) and some early decisions.
"""

from __future__ import annotations

from datetime import datetime

from lms.accounts.models import Role
from lms.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Band,
    DeliveryMode,
    EndorsementDecision,
    EndorsementRequest,
    EndorsementStatus,
    EqualityResponse,
    EventKind,
    IntakeFacilitator,
    ReviewAssignment,
    StaffGroup,
)
from lms.applications.sections import SECTIONS
from lms.scale.bulk import Context, at, days, split
from lms.scale.people import IntakeInfo, add_user

S = ApplicationStatus
SECTION_KEYS = [section.key for section in SECTIONS]
# Per intake whose applications have closed, per facilitator accepted.
DECIDED_MIX = {S.REJECTED: 0.45, S.DECLINED: 0.06, S.WITHDRAWN: 0.06, S.WAITLISTED: 0.08}
DRAFTS_PER_FACILITATOR = 0.1
# The open intake, at factor 1.
OPEN_MIX = {
    S.DRAFT: 60,
    S.SUBMITTED: 80,
    S.SHORTLISTED: 30,
    S.OFFERED: 20,
    S.WAITLISTED: 10,
    S.REJECTED: 15,
    S.WITHDRAWN: 5,
    S.DECLINED: 3,
}
JOBS = (
    "Ward manager",
    "Service manager",
    "Clinical nurse specialist",
    "Physiotherapy team lead",
    "Practice manager",
    "Consultant psychiatrist",
    "Commissioning manager",
    "Quality improvement lead",
    "Healthcare scientist",
    "Social worker",
)
EQUALITY = {
    "age_band": ("25_34", "35_44", "45_54", "55_64", "prefer_not_to_say"),
    "sex": ("female", "male", "prefer_not_to_say"),
    "ethnicity": ("asian", "black", "mixed", "white", "other", "prefer_not_to_say"),
    "disability": ("yes", "no", "prefer_not_to_say"),
    "sexual_orientation": ("straight", "gay_lesbian", "bisexual", "prefer_not_to_say"),
    "religion": ("none", "christian", "muslim", "hindu", "sikh", "jewish", "prefer_not_to_say"),
}


def build_applications(ctx: Context) -> None:
    intakes: list[IntakeInfo] = ctx.shared["intakes"]
    delivering = [i for i in intakes if i.kind != "open"]
    totals = split(ctx.scaled(2_000, minimum=5 * len(delivering)), len(delivering))
    ctx.shared["facilitators"] = {}
    ctx.shared["user_org"] = {}
    counters = {"facilitator": 0, "applicant": 0}
    for intake, accepted in zip(delivering, totals, strict=True):
        plan = [S.ACCEPTED] * accepted
        for status, share in DECIDED_MIX.items():
            plan += [status] * max(1, round(accepted * share))
        plan += [S.DRAFT] * max(1, round(accepted * DRAFTS_PER_FACILITATOR))
        ctx.shared["facilitators"][intake.id] = _apply(ctx, intake, plan, counters)
    for intake in (i for i in intakes if i.kind == "open"):
        plan = [status for status, n in OPEN_MIX.items() for _ in range(ctx.scaled(n))]
        _apply(ctx, intake, plan, counters)


def _apply(ctx: Context, intake: IntakeInfo, plan: list[S], counters: dict) -> list[int]:
    """One applicant per status in ``plan``; returns the ids of those who accepted."""
    rng = ctx.rng
    rng.shuffle(plan)
    accepted = []
    for status in plan:
        kind = "facilitator" if status is S.ACCEPTED else "applicant"
        counters[kind] += 1
        email = f"scale.{kind}.{counters[kind]:05d}@example.org"
        organisation = rng.choice(ctx.shared["organisations"])
        roles = (Role.APPLICANT, Role.FACILITATOR) if kind == "facilitator" else (Role.APPLICANT,)
        started = at(intake.opens_on + days(rng.randint(0, 30)), rng.randint(8, 20))
        if intake.kind == "open":
            started = min(started, ctx.now - days(1))
        user_id = add_user(ctx, email, roles, organisation, started)
        ctx.shared["user_org"][user_id] = organisation
        application_id = _application(ctx, intake, user_id, email, organisation, status, started)
        if status is S.ACCEPTED:
            ctx.add(
                IntakeFacilitator,
                intake_id=intake.id,
                user_id=user_id,
                application_id=application_id,
                joined_at=at(intake.closes_on + days(rng.randint(10, 25)), 11),
                left_at=None,
            )
            accepted.append(user_id)
    return accepted


def _application(
    ctx: Context,
    intake: IntakeInfo,
    user_id: int,
    email: str,
    organisation: dict,
    status: S,
    started: datetime,
) -> int:
    rng = ctx.rng
    lead = ctx.shared["staff"]["lead"][0]
    draft = status is S.DRAFT
    done = (
        rng.sample(SECTION_KEYS, rng.randint(1, len(SECTION_KEYS) - 1)) if draft else SECTION_KEYS
    )
    submitted = None if draft else started + days(rng.uniform(1, 10))
    if submitted and intake.kind == "open":
        submitted = min(submitted, ctx.now - days(0.5))
    name = ctx.shared["names"][user_id]
    manager = f"manager.of.{email.split('@')[0]}@example.net"
    endorsement = _endorsement_status(ctx, status)
    decided = None
    if status not in (S.DRAFT, S.SUBMITTED):
        decided = min(submitted + days(rng.uniform(5, 25)), ctx.now - days(0.2))
    offered = status in (S.OFFERED, S.ACCEPTED, S.DECLINED) or (
        status is S.WITHDRAWN and rng.random() < 0.5
    )
    answered = "role" in done
    has_equality = not draft and rng.random() < 0.8
    application_id = ctx.add(
        Application,
        intake_id=intake.id,
        applicant_id=user_id,
        status=status,
        completed_sections=list(done),
        created_at=started,
        updated_at=decided or submitted or started,
        submitted_at=submitted,
        full_name=name,
        contact_email=email,
        phone=f"0300 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        job_title=rng.choice(JOBS) if answered else None,
        organisation_id=organisation["id"] if answered else None,
        organisation_other=None,
        staff_group=rng.choice(list(StaffGroup)) if answered else None,
        sector=organisation["sector"] if answered else None,
        band=rng.choice(list(Band)) if answered else None,
        region=organisation["region"] if answered else None,
        works_in_health_care=True,
        can_commit_time=True,
        previous_programmes=["gmts"] if rng.random() < 0.2 else ["none"],
        previous_other=None,
        facilitation_experience="I chair team learning meetings and have co-facilitated "
        "reflective practice groups.",
        motivation=None
        if draft and "motivation" not in done
        else "Action learning helped me "
        "as a new leader; I want to give others the same space to think.",
        preferred_mode=rng.choice(list(DeliveryMode)),
        availability="Tuesday and Thursday afternoons",
        has_adjustments=False,
        adjustments=None,
        manager_name=f"{name.split()[0]}'s line manager",
        manager_email=manager,
        endorsement_status=endorsement,
        has_equality_response=has_equality,
        offer_expires_on=(decided.date() + days(14)) if offered and decided else None,
        decision_reason="We had many strong applications this time."
        if status is S.REJECTED
        else None,
        decided_at=decided,
    )
    _timeline(ctx, application_id, user_id, lead, status, started, submitted, decided, offered)
    if submitted is not None:
        _endorse(ctx, application_id, manager, user_id, endorsement, submitted)
        if endorsement is EndorsementStatus.ENDORSED:
            _reviews(ctx, application_id, lead, status, submitted)
    if has_equality:
        ctx.add(
            EqualityResponse,
            intake_id=intake.id,
            user_id=None,  # cleared on submission: answers are only ever counted
            created_at=started,
            **{key: rng.choice(values) for key, values in EQUALITY.items()},
        )
    return application_id


def _endorsement_status(ctx: Context, status: S) -> EndorsementStatus:
    if status is S.DRAFT:
        return EndorsementStatus.NOT_REQUESTED
    if status is S.SUBMITTED:
        return ctx.pick({EndorsementStatus.AWAITING: 2, EndorsementStatus.ENDORSED: 3})
    if status is S.REJECTED and ctx.rng.random() < 0.2:
        return EndorsementStatus.DECLINED
    return EndorsementStatus.ENDORSED


def _timeline(ctx, application_id, user_id, lead, status, started, submitted, decided, offered):
    def event(kind: EventKind, when: datetime, actor: int | None, new: S | None = None) -> None:
        ctx.add(
            ApplicationEvent,
            application_id=application_id,
            kind=kind,
            status=new,
            note=None,
            actor_id=actor,
            created_at=when,
        )

    event(EventKind.STARTED, started, user_id)
    if submitted is None:
        return
    event(EventKind.SUBMITTED, submitted, user_id)
    event(EventKind.ENDORSEMENT_REQUESTED, submitted, user_id)
    if decided is None:
        return
    if status in (S.SHORTLISTED, S.ACCEPTED, S.DECLINED, S.OFFERED):
        event(EventKind.STATUS_CHANGED, decided - days(3), lead, S.SHORTLISTED)
    if offered:
        event(EventKind.STATUS_CHANGED, decided - days(1), lead, S.OFFERED)
    if status not in (S.SHORTLISTED, S.OFFERED):
        actor = user_id if status in (S.ACCEPTED, S.DECLINED, S.WITHDRAWN) else lead
        event(EventKind.STATUS_CHANGED, decided, actor, status)


def _endorse(ctx, application_id, manager, user_id, endorsement, submitted) -> None:
    responded = None
    decision = None
    if endorsement in (EndorsementStatus.ENDORSED, EndorsementStatus.DECLINED):
        responded = submitted + days(ctx.rng.uniform(0.5, 4))
        decision = (
            EndorsementDecision.ENDORSED
            if endorsement is EndorsementStatus.ENDORSED
            else EndorsementDecision.DECLINED
        )
        kind = (
            EventKind.ENDORSED
            if decision is EndorsementDecision.ENDORSED
            else EventKind.ENDORSEMENT_DECLINED
        )
        ctx.add(
            ApplicationEvent,
            application_id=application_id,
            kind=kind,
            status=None,
            note=None,
            actor_id=None,
            created_at=responded,
        )
    ctx.add(
        EndorsementRequest,
        application_id=application_id,
        token_hash=ctx.token(256),
        manager_email=manager,
        sent_by_id=user_id,
        sent_at=submitted,
        expires_at=submitted + days(14),
        reminded_at=None,
        retired_at=None,
        responded_at=responded,
        decision=decision,
        comment="Fully supported; time agreed with the team." if decision else None,
    )


def _reviews(ctx, application_id, lead, status, submitted) -> None:
    rng = ctx.rng
    reviewers = rng.sample(ctx.shared["staff"]["reviewer"], 2)
    pending = status is S.SUBMITTED and rng.random() < 0.5
    low, high = (3, 4) if status in (S.ACCEPTED, S.OFFERED, S.DECLINED, S.SHORTLISTED) else (1, 3)
    for reviewer in reviewers:
        scores = {
            key: None if pending else rng.randint(low, high)
            for key in ("motivation", "reflection", "potential", "commitment")
        }
        ctx.add(
            ReviewAssignment,
            application_id=application_id,
            reviewer_id=reviewer,
            assigned_by_id=lead,
            assigned_at=submitted + days(1),
            comment=None if pending else "Clear examples of reflective practice.",
            submitted_at=None if pending else submitted + days(rng.uniform(2, 5)),
            **scores,
        )
