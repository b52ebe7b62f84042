"""Intakes: the cohorts people apply to join."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.accounts.models import Region
from lms.db_types import LabelledEnum, UTCDateTime, set_labels, utcnow
from lms.extensions import db


class DeliveryMode(LabelledEnum):
    ONLINE = "online"
    BLENDED = "blended"
    IN_PERSON = "in_person"


DELIVERY_MODE_LABELS = set_labels(
    DeliveryMode,
    {
        DeliveryMode.ONLINE: _l("Online"),
        DeliveryMode.BLENDED: _l("Blended"),
        DeliveryMode.IN_PERSON: _l("In person"),
    },
)


class IntakeStatus(LabelledEnum):
    """Where an intake is in its application window, worked out from the dates."""

    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


INTAKE_STATUS_LABELS = set_labels(
    IntakeStatus,
    {
        IntakeStatus.UPCOMING: _l("Opens soon"),
        IntakeStatus.OPEN: _l("Open for applications"),
        IntakeStatus.CLOSED: _l("Closed"),
    },
)


class Intake(db.Model):
    __tablename__ = "intake"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    programme_starts_on: Mapped[date]
    capacity: Mapped[int]
    delivery_modes: Mapped[list[str]] = mapped_column(JSON, default=list)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Intake {self.id} {self.name!r}>"

    def status(self, today: date) -> IntakeStatus:
        """Applications are taken from ``opens_on`` to ``closes_on``, both days included."""
        if today < self.opens_on:
            return IntakeStatus.UPCOMING
        if today > self.closes_on:
            return IntakeStatus.CLOSED
        return IntakeStatus.OPEN

    @property
    def mode_labels(self) -> list[str]:
        return [DeliveryMode(value).label for value in self.delivery_modes]

    @property
    def region_labels(self) -> list[str]:
        return [Region(value).label for value in self.regions]
