"""Where an intake's facilitators are on the way to the award: the leads' pipeline (and, in
time, the award pipeline report). A fixed number of queries, however many people."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.applications.models import Intake
from lms.assessment import criteria, portfolio
from lms.assessment.models import Award, PortfolioSubmission, SubmissionStatus
from lms.curriculum.queries import intake_facilitators
from lms.db_types import LabelledEnum, set_labels
from lms.extensions import db


class Stage(LabelledEnum):
    """Where a facilitator is on the way to the award, for the pipeline."""

    IN_PROGRESS = "in_progress"
    READY = "ready"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    AWARDED = "awarded"
    REVOKED = "revoked"


STAGE_LABELS = set_labels(
    Stage,
    {
        Stage.IN_PROGRESS: _l("In progress"),
        Stage.READY: _l("Ready to submit"),
        Stage.SUBMITTED: _l("Submitted"),
        Stage.RETURNED: _l("Returned"),
        Stage.AWARDED: _l("Awarded"),
        Stage.REVOKED: _l("Revoked"),
    },
)


def stage_of(ready: bool, latest: PortfolioSubmission | None, award: Award | None) -> Stage:
    """A person's stage from their readiness, latest submission and award. Pure."""
    if award is not None:
        return Stage.REVOKED if award.revoked_at is not None else Stage.AWARDED
    if latest is not None and latest.status is SubmissionStatus.SUBMITTED:
        return Stage.SUBMITTED
    if latest is not None and latest.status is SubmissionStatus.RETURNED:
        return Stage.RETURNED
    return Stage.READY if ready else Stage.IN_PROGRESS


@dataclass(frozen=True)
class Person:
    user: User
    stage: Stage
    readiness: portfolio.Readiness
    latest: PortfolioSubmission | None
    award: Award | None


@dataclass(frozen=True)
class Pipeline:
    people: list[Person]
    requirements: list[criteria.Requirement]  # the required ones, in order
    meeting: dict[criteria.RequirementKind, int]  # how many meet each

    def count(self, stage: Stage) -> int:
        return sum(1 for p in self.people if p.stage is stage)


def pipeline(intake: Intake) -> Pipeline:
    """The intake's facilitators with their stage, readiness, latest submission and award,
    and how many meet each criterion."""
    users = intake_facilitators(intake.id)
    ids = [u.id for u in users]
    states = portfolio.readiness_of_many(ids, intake)
    latest: dict[int, PortfolioSubmission] = {}
    for found in db.session.scalars(
        db.select(PortfolioSubmission)
        .where(PortfolioSubmission.intake_id == intake.id, PortfolioSubmission.user_id.in_(ids))
        .order_by(PortfolioSubmission.submitted_at, PortfolioSubmission.id)
    ):
        latest[found.user_id] = found  # the last one wins
    awards = {
        a.user_id: a
        for a in db.session.scalars(
            db.select(Award).where(Award.intake_id == intake.id, Award.user_id.in_(ids))
        )
    }
    people = [
        Person(
            user=user,
            stage=stage_of(states[user.id].ready, latest.get(user.id), awards.get(user.id)),
            readiness=states[user.id],
            latest=latest.get(user.id),
            award=awards.get(user.id),
        )
        for user in users
    ]
    requirements = [r for r in portfolio.requirements_for(intake.id) if r.required]
    meeting = {
        r.kind: sum(
            1 for s in states.values() for res in s.results if res.kind is r.kind and res.met
        )
        for r in requirements
    }
    return Pipeline(people, requirements, meeting)


def intake_counts() -> tuple[dict[int, int], dict[int, int]]:
    """Per intake id: portfolios waiting for review, and awards standing (not revoked)."""
    submitted = dict(
        db.session.execute(
            db.select(PortfolioSubmission.intake_id, db.func.count())
            .where(PortfolioSubmission.status == SubmissionStatus.SUBMITTED)
            .group_by(PortfolioSubmission.intake_id)
        ).all()
    )
    awarded = dict(
        db.session.execute(
            db.select(Award.intake_id, db.func.count())
            .where(Award.revoked_at.is_(None))
            .group_by(Award.intake_id)
        ).all()
    )
    return submitted, awarded
