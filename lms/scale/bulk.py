"""The plumbing of the scale seed: ids handed out by us, rows gathered per table, and
bulk inserts in chunks.

Rows are plain dicts written with ``INSERT`` on the table (Core), never ORM objects: a
national programme is hundreds of thousands of rows, and one object at a time would take
many minutes. Core inserts skip the models' Python ``default=``s, so :func:`write` fills
a missing column from a scalar default, leaves a nullable one empty, and refuses anything
else, so a forgotten NOT NULL column fails here and not deep in the driver.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from lms.curriculum.services import london_to_utc
from lms.extensions import db

CHUNK = 5_000


class IdSource:
    """Hands out ids per table, starting after what the database already holds, so the
    seed can run beside the demo data (or anything else) without a collision."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def next(self, table: sa.Table) -> int:
        name = table.name
        if name not in self._next:
            current = db.session.scalar(sa.select(sa.func.max(table.c.id)))
            self._next[name] = (current or 0) + 1
        value = self._next[name]
        self._next[name] = value + 1
        return value


@dataclass
class Context:
    """Everything the builders share: the seeded random, a fixed "now", the rows so far
    and what one builder tells the next (intakes, people, sets...)."""

    rng: random.Random
    now: datetime
    factor: float
    ids: IdSource = field(default_factory=IdSource)
    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    tables: dict[str, sa.Table] = field(default_factory=dict)
    shared: dict = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()

    def scaled(self, full: float, minimum: int = 1) -> int:
        """``full`` (the count at factor 1) times the factor, never below ``minimum``."""
        return max(minimum, round(full * self.factor))

    def add(self, model, **values) -> int:
        """Queue a row for ``model``'s table with a new id; returns the id."""
        table = model.__table__
        if "id" not in values:
            values["id"] = self.ids.next(table)
        self.tables[table.name] = table
        self.rows[table.name].append(values)
        return values["id"]

    def pick(self, weights: dict):
        """One key of ``weights`` (key: relative weight), drawn with the seeded random."""
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def token(self, bits: int = 128) -> str:
        """Random hex (reproducible): for feedback ids and token hashes."""
        return f"{self.rng.getrandbits(bits):0{bits // 4}x}"


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A UK clock time on ``day``, as an aware UTC datetime."""
    return london_to_utc(day, time(hour, minute))


def days(n: float) -> timedelta:
    return timedelta(days=n)


def _filler(column: sa.Column, table: str):
    default = column.default
    if default is not None and getattr(default, "is_scalar", False):
        return default.arg
    if column.nullable:
        return None
    raise RuntimeError(f"scale seed: no value for {table}.{column.name} (NOT NULL)")


def write(ctx: Context) -> dict[str, int]:
    """Insert every queued row, parents before children, in chunks; returns rows per table.
    On PostgreSQL each table's id sequence is moved past the ids we chose."""
    counts: dict[str, int] = {}
    for table in db.metadata.sorted_tables:
        rows = ctx.rows.get(table.name)
        if not rows:
            continue
        fillers = {}
        for column in table.columns:
            if any(column.key not in row for row in rows):
                fillers[column.key] = _filler(column, table.name)
        if fillers:
            rows = [{**fillers, **row} for row in rows]
        for start in range(0, len(rows), CHUNK):
            db.session.execute(sa.insert(table), rows[start : start + CHUNK])
        counts[table.name] = len(rows)
        _bump_sequence(table)
    return counts


def _bump_sequence(table: sa.Table) -> None:
    if db.session.get_bind().dialect.name != "postgresql":
        return
    if not isinstance(table.c.id.type, sa.Integer):
        return  # e.g. feedback ids are random text: no sequence
    # Built from the table object, so nothing is pasted into SQL text.
    sequence = sa.func.pg_get_serial_sequence(table.name, "id")
    db.session.execute(
        sa.select(sa.func.setval(sequence, sa.select(sa.func.max(table.c.id)).scalar_subquery()))
    )


def split(total: int, parts: int) -> list[int]:
    """``total`` shared as evenly as can be among ``parts`` (the first get the remainder)."""
    base, extra = divmod(total, parts)
    return [base + (1 if n < extra else 0) for n in range(parts)]
