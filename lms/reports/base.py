"""What every report is made of: filters, tables, charts and the report itself.

A report has three parts, kept apart so the middle one can be tested with rows built by
hand:

- ``load(filters)`` runs a few aggregate queries and returns plain rows (``Rows``: lists
  of dicts of numbers, strings and dates; never ORM objects);
- ``build(rows)`` is a pure function from those rows to ``Table`` objects (pandas
  DataFrames whose columns are keys, with translated headings beside them);
- ``charts`` says which columns of which table to draw (``lms.reports.charts``).

``size(filters)`` is one cheap COUNT of the records in scope: over
``REPORT_INLINE_LIMIT`` the report is built by a background job instead of in the request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import pandas as pd

from lms.practice.services import FEEDBACK_THRESHOLD

# A cell counted from fewer people or responses than this is not shown (small numbers
# could identify someone): the threshold a facilitator's own feedback page uses.
MIN_CELL = FEEDBACK_THRESHOLD

Rows = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Filters:
    """What a lead narrowed the report to; every part is optional."""

    intake_id: int | None = None
    region: str | None = None  # a ``Region`` value
    organisation_id: int | None = None
    start: date | None = None  # inclusive
    end: date | None = None  # inclusive

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for storing with a background run and for query strings."""
        return {
            "intake": self.intake_id,
            "region": self.region,
            "organisation": self.organisation_id,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Filters:
        def day(value):
            return date.fromisoformat(value) if value else None

        return cls(
            intake_id=data.get("intake"),
            region=data.get("region"),
            organisation_id=data.get("organisation"),
            start=day(data.get("from")),
            end=day(data.get("to")),
        )


@dataclass
class Table:
    """One table of a report: a DataFrame with key columns and translated headings."""

    key: str  # stable: names the CSV file and the XLSX sheet
    title: str
    frame: pd.DataFrame
    headings: dict[str, str]  # column key -> heading, in column order
    note: str | None = None  # e.g. what was suppressed

    def labelled(self) -> pd.DataFrame:
        """The frame with its headings, for pages and downloads."""
        return self.frame[list(self.headings)].rename(columns=self.headings)


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of one table: a bar (or a stack) per row."""

    table: str  # key of the Table
    title: str
    label: str  # column of category names
    values: tuple[str, ...]  # numeric columns; more than one makes stacked bars
    percent: bool = False  # values are percentages (0-100)


class Report:
    """Base class: subclasses set the class attributes and implement the four methods."""

    key: ClassVar[str]
    title: ClassVar[Any]  # lazy string
    summary: ClassVar[Any]  # lazy string: one sentence on what it shows
    # What the date range filters on, shown under the filter form.
    date_basis: ClassVar[Any]  # lazy string, e.g. "Date the application was submitted"

    def size(self, filters: Filters) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def load(self, filters: Filters) -> Rows:  # pragma: no cover - abstract
        raise NotImplementedError

    def build(self, rows: Rows) -> list[Table]:  # pragma: no cover - abstract
        raise NotImplementedError

    def charts(self) -> list[Chart]:  # pragma: no cover - abstract
        raise NotImplementedError


def suppress(frame: pd.DataFrame, count: str, columns: list[str]) -> pd.DataFrame:
    """Blank ``columns`` (and the count itself) wherever ``count`` is below MIN_CELL.

    Blank cells are ``None``; pages show them as "Not shown" and exports leave them
    empty. Returns a new frame."""
    frame = frame.copy()
    small = frame[count] < MIN_CELL
    for column in [*columns, count]:
        frame[column] = frame[column].astype(object)
        frame.loc[small, column] = None
    return frame


def hide_small(frame: pd.DataFrame, count: str, *columns: str) -> pd.DataFrame:
    """Blank a count of 1 to MIN_CELL - 1 (and ``columns`` beside it) in place; a nought
    identifies nobody, so it is shown. Returns ``frame``."""
    small = (frame[count] > 0) & (frame[count] < MIN_CELL)
    for column in (count, *columns):
        frame[column] = frame[column].astype(object).where(~small, None)
    return frame


def rate(part: float, whole: float) -> float | None:
    """``part`` as a percentage of ``whole`` to one decimal place, or None if no whole."""
    if not whole:
        return None
    return round(100.0 * part / whole, 1)
