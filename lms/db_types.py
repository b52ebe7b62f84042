"""Column types and helpers shared by every feature's models."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """Inclusive days as UTC instants for a filter: [start of ``first``, start of the day
    after ``last``); None where a day is not given."""
    start = datetime.combine(first, time.min, UTC) if first else None
    end = datetime.combine(last + timedelta(days=1), time.min, UTC) if last else None
    return start, end


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always hands back an aware datetime, on SQLite and PostgreSQL alike.

    SQLite has no time zones, so without this a value read back would be naive and
    could not be compared with ``utcnow()``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use lms.db_types.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(cls: type[enum.Enum], name: str) -> Enum:
    """Store an enum by its value in a VARCHAR, so adding a member needs no type change."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


_LABELS: dict[type[enum.Enum], dict] = {}


class LabelledEnum(enum.Enum):
    """An enum whose members carry a translated label for people (set with set_labels)."""

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


def set_labels(cls: type[LabelledEnum], labels: dict) -> dict:
    """Give every member of ``cls`` its (lazy, translated) label; returns ``labels``."""
    missing = set(cls) - set(labels)
    if missing:
        raise ValueError(f"{cls.__name__} members without a label: {missing}")
    _LABELS[cls] = labels
    return labels
