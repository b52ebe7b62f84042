"""What a request changed in the database, so two runs of it can be compared.

``RowChanges`` watches the statements a block of work sends, reads back the tables it
wrote to, and rolls the work back (with PostgreSQL's sequences, so ids repeat). The
mass-assignment test posts a form twice, without and with extra fields, and compares.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# Random by design: tokens, secrets, hashes, certificate file names and verification codes
# differ between two runs of the same request; only whether they are set is compared.
RANDOM_COLUMNS = re.compile(r"(token|secret|hash|certificate_name|^code$|_code$)")
# Long runs of letters and digits in text (links with tokens in an email) and calendar
# time stamps read as one.
RANDOM_TEXT = re.compile(r"[A-Za-z0-9_-]{20,}|\d{8}T\d{6}Z?")
# Written by every request at most once a minute, so it may differ between two runs.
IGNORED = {("user_session", "last_seen_at")}
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?")
CLOCK_SLACK = 120  # seconds between two "now"s of the same request run twice


@dataclass
class Effect:
    """The tables a run wrote to, as they stood at the end of the run."""

    tables: dict[str, dict[tuple, dict[str, Any]]] = field(default_factory=dict)


class RowChanges:
    def __init__(self, connection: sa.Connection, metadata: sa.MetaData, session) -> None:
        self.connection = connection
        self.session = session  # the test's own (scoped) session, closed before each undo
        self.metadata = metadata
        self.tables = {t.name: t for t in metadata.sorted_tables}
        self.baseline = {name: self.read(name) for name in self.tables}
        self.sequences = self._sequences()

    def read(self, name: str) -> dict[tuple, dict[str, Any]]:
        table = self.tables[name]
        key = [c.name for c in table.primary_key.columns]
        rows = self.connection.execute(sa.select(table)).mappings()
        return {tuple(row[k] for k in key): dict(row) for row in rows}

    def _sequences(self) -> dict[str, tuple[str, int, bool]]:
        """PostgreSQL sequences behind integer ids, with where each stands now."""
        if self.connection.dialect.name != "postgresql":
            return {}
        found = {}
        for name, table in self.tables.items():
            if "id" not in table.c:
                continue
            sequence = self.connection.scalar(
                sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": name}
            )
            if sequence:
                value, called = self.connection.execute(
                    sa.text(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
                ).one()
                found[name] = (sequence, value, called)
        return found

    def _dependants(self, name: str) -> set[str]:
        """Tables whose rows a delete from ``name`` may remove by ON DELETE CASCADE."""
        found: set[str] = set()
        todo = [name]
        while todo:
            parent = todo.pop()
            for table in self.metadata.sorted_tables:
                if table.name not in found and any(
                    fk.column.table.name == parent for fk in table.foreign_keys
                ):
                    found.add(table.name)
                    todo.append(table.name)
        return found

    @contextmanager
    def run(self) -> Iterator[Effect]:
        """Do the block's work in a savepoint, read what it wrote, then undo it."""
        written: set[str] = set()

        def listen(conn, cursor, statement, parameters, context, executemany) -> None:
            match = WRITE.match(statement)
            if match:
                written.add(match.group(2))
                if match.group(1).upper().startswith("DELETE"):
                    written.update(self._dependants(match.group(2)))

        effect = Effect()
        engine = self.connection.engine
        savepoint = self.connection.begin_nested()
        event.listen(engine, "before_cursor_execute", listen)
        try:
            yield effect
        finally:
            event.remove(engine, "before_cursor_execute", listen)
            # The test's own session may hold a savepoint begun before the request's work:
            # release it (rolling it back would undo that work too), then undo all.
            self.session.commit()
            self.session.remove()
            effect.tables = {name: self.read(name) for name in written if name in self.tables}
            savepoint.rollback()
            for name in written:
                if name in self.sequences:
                    sequence, value, called = self.sequences[name]
                    self.connection.execute(
                        sa.text("SELECT setval(:s, :v, :c)"),
                        {"s": sequence, "v": value, "c": called},
                    )

    def state(self, effect: Effect, name: str) -> dict[tuple, dict[str, Any]]:
        return effect.tables.get(name, self.baseline[name])

    def changes(self, effect: Effect) -> list[str]:
        """What the run changed, one line per row and column."""
        return self.compare(Effect(), effect)

    def compare(self, first: Effect, second: Effect) -> list[str]:
        """How ``second`` left the database differently from ``first``."""
        lines = []
        for name in sorted(set(first.tables) | set(second.tables)):
            before, after = self.state(first, name), self.state(second, name)
            for key in sorted(set(before) & set(after), key=repr):
                lines += [
                    f"{name} {key} {column}: {before[key][column]!r} -> {value!r}"
                    for column, value in after[key].items()
                    if (name, column) not in IGNORED
                    and not _same(column, before[key][column], value)
                ]
            # Rows only one run has: new rows whose ids are random (or came from a
            # sequence) match when everything but the id is the same.
            key_columns = {c.name for c in self.tables[name].primary_key.columns}
            only_first = [before[k] for k in before.keys() - after.keys()]
            only_second = [after[k] for k in after.keys() - before.keys()]
            for row in only_first:
                match = next((r for r in only_second if _alike(row, r, key_columns)), None)
                if match is None:
                    lines.append(f"{name}: only the first run has {row}")
                else:
                    only_second.remove(match)
            lines += [f"{name}: only the second run has {row}" for row in only_second]
        return lines


def _alike(first: dict, second: dict, key_columns: set[str]) -> bool:
    return all(
        column in key_columns or _same(column, value, second[column])
        for column, value in first.items()
    )


def _same(column: str, first: Any, second: Any) -> bool:
    if first == second:
        return True
    if first is None or second is None:
        return False
    if RANDOM_COLUMNS.search(column):
        return True
    if isinstance(first, dict) and isinstance(second, dict):
        return first.keys() == second.keys() and all(
            _same(str(key), first[key], second[key]) for key in first
        )
    if isinstance(first, list) and isinstance(second, list):
        return len(first) == len(second) and all(
            _same(column, a, b) for a, b in zip(first, second, strict=True)
        )
    if isinstance(first, str) and isinstance(second, str):
        first, second = _when(first) or first, _when(second) or second
    if isinstance(first, datetime) and isinstance(second, datetime):
        return abs((first - second).total_seconds()) <= CLOCK_SLACK
    if isinstance(first, str) and isinstance(second, str):
        return RANDOM_TEXT.sub("~", first) == RANDOM_TEXT.sub("~", second)
    return False


def _when(text: str) -> datetime | None:
    """A date and time written out in full (as in an audit entry's details), or None."""
    if not ISO_TIME.fullmatch(text):
        return None
    return datetime.fromisoformat(text)
