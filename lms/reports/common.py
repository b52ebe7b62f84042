"""Helpers every report shares: narrowing by date, organisation and region in SQL, and
turning aggregate rows into DataFrames with blank (not NaN) rates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from lms.accounts.models import Organisation, Region, User
from lms.db_types import day_bounds
from lms.extensions import db
from lms.reports.base import Filters, rate


def window(filters: Filters) -> tuple[datetime | None, datetime | None]:
    """The filter's inclusive days as UTC instants: [start, day after end)."""
    return day_bounds(filters.start, filters.end)


def on_days(column: Any, filters: Filters) -> list:
    """Conditions keeping a UTC datetime ``column`` within the filters' days (inclusive)."""
    start, end = window(filters)
    return [
        *([column >= start] if start is not None else []),
        *([column < end] if end is not None else []),
    ]


def person_in_scope(filters: Filters) -> list:
    """Conditions on ``User`` (outer-joined to ``Organisation``) for region/organisation."""
    conditions = []
    if filters.organisation_id is not None:
        conditions.append(User.organisation_id == filters.organisation_id)
    if filters.region:
        conditions.append(Organisation.region == Region(filters.region))
    return conditions


def frame(rows: list[dict] | None, columns: list[str]) -> pd.DataFrame:
    """Rows as a DataFrame that has every column even when there are no rows."""
    return pd.DataFrame(rows or [], columns=columns)


def rates(frame_: pd.DataFrame, part: str, whole: str) -> pd.Series:
    """``part`` as a percentage of ``whole`` per row; None (not NaN) where there is no whole,
    so pages show a blank rather than "nan"."""
    values = [rate(p, w) for p, w in zip(frame_[part], frame_[whole], strict=True)]
    return blanks(values, frame_.index)


def texts(column: pd.Series) -> list[str]:
    """The column's strings, with "" for anything missing (a person with no organisation)."""
    return [value if isinstance(value, str) else "" for value in column]


def blanks(values: list, index=None) -> pd.Series:
    """A column that keeps None as None (pandas would turn it into NaN)."""
    return pd.Series(values, index=index, dtype=object)


def fetch(query: sa.Select) -> list[dict]:
    """The rows of an aggregate query as plain dicts."""
    return [dict(row) for row in db.session.execute(query).mappings()]
