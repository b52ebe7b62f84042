"""Read helpers for intake pages."""

from __future__ import annotations

from datetime import date

from lms.applications.models import Intake
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
