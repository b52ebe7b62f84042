"""A person's portfolio and readiness for the award: their intake's scheme, their evidence,
the criteria evaluated against it, and where their submission stands.

Every function here costs a fixed number of queries, whatever the evidence: the evidence
itself is one statement (:func:`lms.assessment.evidence.collect`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lms.applications.models import Intake, IntakeFacilitator
from lms.assessment import criteria, evidence
from lms.assessment.models import (
    Award,
    AwardScheme,
    PortfolioSubmission,
    ShowcaseItem,
    SubmissionStatus,
)
from lms.extensions import db


@dataclass
class Readiness:
    """Everything the portfolio and readiness pages show about one person."""

    user_id: int
    intake: Intake | None
    requirements: tuple[criteria.Requirement, ...]
    results: tuple[criteria.Result, ...]
    items: list[evidence.Item]
    evidence: criteria.Evidence

    @property
    def ready(self) -> bool:
        return self.intake is not None and criteria.is_ready(self.results)

    @property
    def met_count(self) -> int:
        return sum(1 for r in self.results if r.met)


def current_intake(user_id: int) -> Intake | None:
    """The intake the person is a trainee facilitator in now (the latest they joined)."""
    return db.session.scalar(
        db.select(Intake)
        .join(IntakeFacilitator, IntakeFacilitator.intake_id == Intake.id)
        .where(IntakeFacilitator.user_id == user_id, IntakeFacilitator.left_at.is_(None))
        .order_by(IntakeFacilitator.joined_at.desc(), IntakeFacilitator.id.desc())
        .limit(1)
    )


def current_intake_id(user_id: int) -> int | None:
    return db.session.scalar(
        db.select(IntakeFacilitator.intake_id)
        .where(IntakeFacilitator.user_id == user_id, IntakeFacilitator.left_at.is_(None))
        .order_by(IntakeFacilitator.joined_at.desc(), IntakeFacilitator.id.desc())
        .limit(1)
    )


def scheme(intake_id: int) -> AwardScheme | None:
    return db.session.scalar(db.select(AwardScheme).where(AwardScheme.intake_id == intake_id))


def requirements_for(intake_id: int | None) -> tuple[criteria.Requirement, ...]:
    found = scheme(intake_id) if intake_id is not None else None
    return criteria.requirements_from(found.requirements if found else None)


def required_count(intake_id: int | None, kind: criteria.RequirementKind) -> int:
    """How many of ``kind`` the intake's award needs (0 when it does not ask for any)."""
    for requirement in requirements_for(intake_id):
        if requirement.kind is kind:
            return requirement.threshold if requirement.required else 0
    return 0


def readiness(user_id: int, intake: Intake | None = None) -> Readiness:
    """One person's readiness in their current intake (or the one given)."""
    intake = intake or current_intake(user_id)
    requirements = requirements_for(intake.id if intake else None)
    items = evidence.collect([user_id])[user_id]
    facts = evidence.evidence_of(items, evidence.core_modules())
    return Readiness(
        user_id=user_id,
        intake=intake,
        requirements=requirements,
        results=criteria.evaluate(requirements, facts),
        items=items,
        evidence=facts,
    )


def readiness_of_many(user_ids: Iterable[int], intake: Intake) -> dict[int, Readiness]:
    """Readiness of many people in one intake, for a lead's pipeline (a fixed number of
    queries, however many people)."""
    ids = list(user_ids)
    requirements = requirements_for(intake.id)
    collected = evidence.collect(ids)
    core = evidence.core_modules()
    result = {}
    for user_id in ids:
        items = collected[user_id]
        facts = evidence.evidence_of(items, core)
        result[user_id] = Readiness(
            user_id=user_id,
            intake=intake,
            requirements=requirements,
            results=criteria.evaluate(requirements, facts),
            items=items,
            evidence=facts,
        )
    return result


# --- Submissions and awards ---------------------------------------------------------------------


def latest_submission(user_id: int) -> PortfolioSubmission | None:
    return db.session.scalar(
        db.select(PortfolioSubmission)
        .where(PortfolioSubmission.user_id == user_id)
        .order_by(PortfolioSubmission.submitted_at.desc(), PortfolioSubmission.id.desc())
        .limit(1)
    )


def open_submission(user_id: int) -> PortfolioSubmission | None:
    """The submission waiting for review, if any: while there is one, the portfolio is
    frozen."""
    return db.session.scalar(
        db.select(PortfolioSubmission).where(
            PortfolioSubmission.user_id == user_id,
            PortfolioSubmission.status == SubmissionStatus.SUBMITTED,
        )
    )


def is_frozen(user_id: int) -> bool:
    return open_submission(user_id) is not None


def awards_of(user_id: int) -> list[Award]:
    return list(
        db.session.scalars(
            db.select(Award)
            .where(Award.user_id == user_id)
            .options(db.joinedload(Award.intake))
            .order_by(Award.issued_at.desc())
        )
    )


# --- Showcase -----------------------------------------------------------------------------------


def showcased(user_id: int) -> set[tuple[str, int]]:
    return {
        (source, ref)
        for source, ref in db.session.execute(
            db.select(ShowcaseItem.source, ShowcaseItem.ref).where(ShowcaseItem.user_id == user_id)
        )
    }
