"""Observations of facilitators' practice and the award: supervisors' observations with
ratings against every criterion, each completed intake's award scheme, portfolio
submissions in every state and awards (valid, revoked and expired).

Award codes are drawn from the seeded random in the award code's own alphabet and length
(:func:`lms.assessment.models.new_code` uses ``secrets``, which cannot be seeded), so the
same seed gives the same codes.
"""

from __future__ import annotations

from datetime import datetime

from lms.assessment import criteria
from lms.assessment.awards import add_months
from lms.assessment.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Award,
    AwardScheme,
    PortfolioSubmission,
    SubmissionStatus,
)
from lms.scale.bulk import Context, at, days
from lms.supervision.models import (
    Criterion,
    Observation,
    ObservationKind,
    ObservationRating,
    Outcome,
    Rating,
)

RATINGS = {Rating.DEVELOPING: 10, Rating.COMPETENT: 65, Rating.STRONG: 25}
RENEWAL_MONTHS = 36
# What became of each completed intake's facilitators' portfolios.
FATE = {"awarded": 70, "returned_then_awarded": 5, "submitted": 5, "returned": 5, "none": 15}
REVOKED_SHARE = 0.03
RENEWED_SHARE = 0.6


def build_observations(ctx: Context) -> None:
    """Two signed-off supervisor observations per facilitator in completed intakes (at
    later held sessions of a set they run); one, either way, where a running intake's set
    has held two sessions."""
    ctx.shared["signed_off"] = {}
    ctx.shared["sets_run"] = {}
    for practice_set in ctx.shared["sets"]:
        held = [s for s in practice_set["sessions"] if s[4]]
        for facilitator in practice_set["facilitators"]:
            if len(held) >= 4:
                ctx.shared["sets_run"][facilitator] = ctx.shared["sets_run"].get(facilitator, 0) + 1
            if practice_set["intake"].kind == "completed":
                if ctx.shared["signed_off"].get(facilitator, 0) >= 2 or len(held) < 3:
                    continue
                for session in (held[2], held[-1]) if len(held) > 3 else (held[1], held[2]):
                    _observe(ctx, facilitator, session, Outcome.SIGNED_OFF)
            elif len(held) >= 2 and ctx.rng.random() < 0.6:
                outcome = Outcome.SIGNED_OFF if ctx.rng.random() < 0.6 else Outcome.NOT_YET
                _observe(ctx, facilitator, held[1], outcome)


def _observe(ctx: Context, facilitator: int, session: tuple, outcome: Outcome) -> None:
    session_id, _number, _starts_at, ends_at, _held = session
    observer = ctx.shared["supervisor_of"].get(facilitator, ctx.shared["staff"]["supervisor"][0])
    observation_id = ctx.add(
        Observation,
        session_id=session_id,
        facilitator_id=facilitator,
        observer_id=observer,
        kind=ObservationKind.SUPERVISOR,
        outcome=outcome,
        summary="A well-held session: clear contracting and real inquiry."
        if outcome is Outcome.SIGNED_OFF
        else "Not yet: bring the moment you gave advice to supervision.",
        corrects_id=None,
        correction_reason=None,
        created_at=ends_at + days(1),
        updated_at=ends_at + days(2),
        recorded_at=ends_at + days(2),
    )
    for criterion in Criterion:
        rating = ctx.pick(RATINGS) if outcome is Outcome.SIGNED_OFF else Rating.DEVELOPING
        ctx.add(
            ObservationRating,
            observation_id=observation_id,
            criterion=criterion,
            rating=rating,
            comment=None,
        )
    if outcome is Outcome.SIGNED_OFF:
        ctx.shared["signed_off"][facilitator] = ctx.shared["signed_off"].get(facilitator, 0) + 1


def build_awards(ctx: Context) -> None:
    """Schemes, submissions and awards for every completed intake."""
    leads = ctx.shared["staff"]["lead"]
    requirements = criteria.requirements_json(criteria.DEFAULTS)
    codes: set[str] = set()
    for intake in (i for i in ctx.shared["intakes"] if i.kind == "completed"):
        ctx.add(
            AwardScheme,
            intake_id=intake.id,
            requirements=requirements,
            renewal_months=RENEWAL_MONTHS,
            updated_at=_at_end(intake),
            updated_by_id=leads[0],
        )
        # Every state at least once in each intake, however small; then at random.
        first = ["awarded", "submitted", "returned", "returned_then_awarded"]
        for n, person in enumerate(ctx.shared["facilitators"][intake.id]):
            fate = first[n] if n < len(first) else ctx.pick(FATE)
            revoked = n == 0 or ctx.rng.random() < REVOKED_SHARE  # n == 0 is awarded
            if fate != "none":
                _portfolio(ctx, intake, person, fate, leads[0], codes, revoked)


def _at_end(intake) -> datetime:
    return at(intake.ends_on, 9)


def _portfolio(ctx: Context, intake, person, fate: str, lead: int, codes: set, revoked) -> None:
    rng = ctx.rng
    user = ctx.shared["user_rows"][person]
    personal = user["email"].replace("@example.org", "@example.com")
    user["personal_email"] = personal
    sent = _at_end(intake) - days(rng.randint(5, 40))
    if fate in ("returned", "returned_then_awarded"):
        _submission(
            ctx,
            intake,
            person,
            personal,
            SubmissionStatus.RETURNED,
            sent,
            lead,
            comments="Add a reflection on your second observed session.",
        )
        sent = sent + days(rng.randint(8, 20))
    if fate in ("returned", "none"):
        return
    status = SubmissionStatus.SUBMITTED if fate == "submitted" else SubmissionStatus.AWARDED
    if status is SubmissionStatus.SUBMITTED:
        sent = min(sent, ctx.now - days(1))
    submission_id = _submission(ctx, intake, person, personal, status, sent, lead)
    if status is not SubmissionStatus.AWARDED:
        return
    issued = sent + days(rng.randint(3, 14))
    code = _code(ctx, codes)
    ctx.add(
        Award,
        code=code,
        user_id=person,
        intake_id=intake.id,
        submission_id=submission_id,
        holder_name=ctx.shared["names"][person],
        holder_email=personal,
        issued_at=issued,
        issued_by_id=lead,
        expires_at=_expiry(ctx, issued),
        renewal_reminded_at=None,
        revoked_at=min(issued + days(rng.randint(20, 200)), ctx.now - days(1)) if revoked else None,
        revoked_by_id=lead if revoked else None,
        revoke_reason="Issued in error: the evidence belonged to another facilitator."
        if revoked
        else None,
        certificate_name=None,
        certificate_made_at=None,
    )


def _expiry(ctx: Context, issued: datetime) -> datetime:
    """Awards lapse after the renewal period; most holders renew (each time for the same
    period), the rest let them expire."""
    expires = add_months(issued, RENEWAL_MONTHS)
    while expires < ctx.now and ctx.rng.random() < RENEWED_SHARE:
        expires = add_months(expires, RENEWAL_MONTHS)
    return expires


def _submission(ctx, intake, person, personal, status, sent, lead, comments=None) -> int:
    reviewed = status is not SubmissionStatus.SUBMITTED
    return ctx.add(
        PortfolioSubmission,
        user_id=person,
        intake_id=intake.id,
        status=status,
        personal_email=personal,
        statement="My portfolio for the award.",
        snapshot=_snapshot(ctx, person),
        submitted_at=sent,
        reviewed_at=sent + days(3) if reviewed else None,
        reviewed_by_id=lead if reviewed else None,
        comments=comments,
    )


def _snapshot(ctx: Context, person: int) -> dict:
    """The criteria results as they stood, from the counts the seed made."""
    have = {
        criteria.RequirementKind.CORE_MODULES: ctx.shared["core_done"].get(person, 0),
        criteria.RequirementKind.SUPERVISION_SESSIONS: ctx.shared["supervision_attended"].get(
            person, 0
        ),
        criteria.RequirementKind.SETS_FACILITATED: ctx.shared["sets_run"].get(person, 0),
        criteria.RequirementKind.OBSERVATIONS_SIGNED_OFF: ctx.shared["signed_off"].get(person, 0),
        criteria.RequirementKind.SESSION_LOGS: ctx.shared["session_logs"].get(person, 0),
        criteria.RequirementKind.BUDDY_CHECK_INS: ctx.shared["check_ins"].get(person, 0),
    }
    results = []
    for requirement in criteria.DEFAULTS:
        need = (
            ctx.shared["core_total"]
            if requirement.kind is criteria.RequirementKind.CORE_MODULES
            else requirement.threshold
        )
        count = have[requirement.kind]
        results.append(
            {"kind": requirement.kind.value, "met": count >= need, "have": count, "need": need}
        )
    return {
        "items": [],
        "results": results,
        "requirements": criteria.requirements_json(criteria.DEFAULTS),
        "showcased": [],
    }


def _code(ctx: Context, codes: set) -> str:
    while True:
        code = "".join(ctx.rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in codes:
            codes.add(code)
            return code
