"""Read helpers that pages share: intakes, and reviewers' assignments."""

from __future__ import annotations

from datetime import date

from lms.applications.models import Application, Intake, ReviewAssignment
from lms.extensions import db


def public_intakes(today: date) -> list[Intake]:
    """Intakes people can apply to now or soon, soonest closing first."""
    return list(
        db.session.scalars(
            db.select(Intake)
            .where(Intake.closes_on >= today)
            .order_by(Intake.closes_on, Intake.name)
        )
    )


def all_intakes():
    return db.select(Intake).order_by(Intake.programme_starts_on.desc(), Intake.name)


def reviewer_assignments(reviewer_id: int) -> list[ReviewAssignment]:
    """A reviewer's assignments, those still to score first, each with its application and
    intake loaded (one query, however many there are)."""
    return list(
        db.session.scalars(
            db.select(ReviewAssignment)
            .where(ReviewAssignment.reviewer_id == reviewer_id)
            .options(db.joinedload(ReviewAssignment.application).joinedload(Application.intake))
            .order_by(
                ReviewAssignment.submitted_at.is_not(None),
                ReviewAssignment.assigned_at,
                ReviewAssignment.id,
            )
        )
    )
