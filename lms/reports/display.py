"""A report's tables as a page shows them: cells formatted in the reader's language,
blank cells kept as None (the template says "Not shown"), numeric columns marked, the
first ``REPORT_PAGE_ROWS`` rows, and the charts drawn for each table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from numbers import Number

import pandas as pd
from babel.numbers import parse_pattern
from flask import current_app
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from lms.reports.base import Report, Table
from lms.reports.charts import bar_chart

# Columns shown as percentages: those a percent chart draws, and those whose key says so.
PERCENT_SUFFIXES = ("rate", "pct", "percent")


@dataclass
class ShownTable:
    """A table as the page shows it: formatted cells (None where a cell is blank), its
    charts, and where to download it."""

    table: Table
    charts: list[tuple[str, Markup]]  # (visible caption, the svg)
    headings: list[str]
    numeric: list[bool]
    rows: list[list[str | None]]
    total: int
    csv_url: str

    @property
    def cut(self) -> dict[str, str] | None:
        """How many rows are shown of how many, when the page cannot show them all."""
        if self.total <= len(self.rows):
            return None
        return {"shown": format_decimal(len(self.rows)), "total": format_decimal(self.total)}

    @property
    def has_blank(self) -> bool:
        return any(cell is None for row in self.rows for cell in row)


def _is_number(value: object) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, (str, list, dict)) and pd.isna(value))


class _Cells:
    """Formats cells in the reader's language. The number patterns are parsed once per
    page, not once per cell: a stored run can show a few thousand numbers."""

    def __init__(self) -> None:
        self.locale = get_locale()
        self.decimal = parse_pattern("#,##0.#")
        self.percent = parse_pattern("#,##0.0%")

    def __call__(self, value: object, percent: bool) -> str | None:
        if _blank(value):
            return None
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if _is_number(value):
            if percent:
                return self.percent.apply(float(value) / 100, self.locale)
            return self.decimal.apply(value, self.locale)
        if isinstance(value, datetime):
            return format_datetime(value, "d MMMM yyyy, HH:mm")
        if isinstance(value, date):
            return format_date(value, "d MMMM yyyy")
        return str(value)


def shown(report: Report, tables: list[Table], csv_url) -> list[ShownTable]:
    """Each table as the page shows it: at most ``REPORT_PAGE_ROWS`` rows of formatted
    cells, which columns are numbers, its charts and its CSV address (``csv_url(key)``)."""
    limit = current_app.config["REPORT_PAGE_ROWS"]
    charts = report.charts()
    cell = _Cells()
    shown = []
    for table in tables:
        mine = [c for c in charts if c.table == table.key]
        percent = {v for c in mine if c.percent for v in c.values}
        columns = list(table.headings)
        frame = table.frame[columns].head(limit)
        is_percent = [c in percent or c.lower().endswith(PERCENT_SUFFIXES) for c in columns]
        rows = [
            [cell(v, p) for v, p in zip(row, is_percent, strict=True)]
            for row in frame.itertuples(index=False)
        ]
        numeric = [
            bool(values) and all(_is_number(v) for v in values)
            for values in ([v for v in frame[c] if not _blank(v)] for c in columns)
        ]
        shown.append(
            ShownTable(
                table=table,
                charts=[(c.title, bar_chart(c, table)) for c in mine],
                headings=[table.headings[c] for c in columns],
                numeric=numeric,
                rows=rows,
                total=len(table.frame),
                csv_url=csv_url(table.key),
            )
        )
    return shown
