"""Applications: intakes (and, as the feature grows, the application journey)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from lms import audit
from lms.accounts.models import Region
from lms.applications.models import DeliveryMode, Intake
from lms.extensions import db

LONDON = ZoneInfo("Europe/London")


class IntakeError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def today() -> date:
    """Today in the UK, which is what application windows are measured in."""
    return datetime.now(LONDON).date()


def save_intake(
    intake: Intake | None,
    *,
    name: str,
    opens_on: date,
    closes_on: date,
    programme_starts_on: date,
    capacity: int,
    delivery_modes: list[str],
    regions: list[str],
    by,
) -> Intake:
    """Create (``intake`` None) or update an intake, enforcing its rules."""
    name = " ".join(name.split())
    same_name = db.session.scalar(
        db.select(Intake).where(db.func.lower(Intake.name) == name.lower())
    )
    if same_name is not None and same_name is not intake:
        raise IntakeError(_("An intake with this name already exists"), "name")
    if closes_on < opens_on:
        raise IntakeError(_("The closing date must be on or after the opening date"), "closes_on")
    if programme_starts_on <= closes_on:
        raise IntakeError(
            _("The programme must start after applications close"), "programme_starts_on"
        )
    modes = [m.value for m in DeliveryMode if m.value in set(delivery_modes)]
    chosen_regions = [r.value for r in Region if r.value in set(regions)]
    if not modes:
        raise IntakeError(_("Select at least one delivery mode"), "delivery_modes")
    if not chosen_regions:
        raise IntakeError(_("Select at least one region"), "regions")
    created = intake is None
    if intake is None:
        intake = Intake()
        db.session.add(intake)
    intake.name = name
    intake.opens_on, intake.closes_on = opens_on, closes_on
    intake.programme_starts_on = programme_starts_on
    intake.capacity = capacity
    intake.delivery_modes, intake.regions = modes, chosen_regions
    db.session.flush()
    audit.record("intake.created" if created else "intake.updated", intake, name=name)
    return intake
