"""Bar charts drawn on the server as inline SVG: no script, and nothing from another site.

Each chart is an image with a title and a text alternative (``<desc>``) that reads out
every bar; the page shows the same numbers in a table beside it. The SVG uses
presentation attributes only (``fill``, ``x``, ``width``...), never ``style``: the
content security policy forbids inline styles. Every piece of text is escaped.
"""

from __future__ import annotations

import math
import re
from numbers import Number

import pandas as pd
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup, escape

from lms.reports.base import Chart, Table

# NHS.UK colours, each at least 3:1 against white (WCAG 1.4.11 for graphics); stacked
# segments are also parted by a white line, so neighbours never rely on colour alone.
PALETTE = ("#005eb8", "#330072", "#007f3b", "#7c2855", "#425563", "#003087", "#d5281b")
TEXT = "#212b32"
GRID = "#d8dde0"

WIDTH = 640
LABEL_WIDTH = 200  # room for category names, left of the bars
VALUE_ROOM = 64  # room for the value printed after each bar
BAR = 20
ROW = 30
LEGEND_ROW = 22
AXIS = 28
LABEL_CHARS = 30  # longer names are shortened on the chart (the desc has them whole)


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool) or not isinstance(value, Number):
        return None
    if pd.isna(value):
        return None
    return float(value)


def _shown(value: float, percent: bool) -> str:
    if percent:
        return format_percent(value / 100, "#,##0.#%")
    return format_decimal(value, "#,##0.#")


def _nice_max(top: float) -> float:
    """The end of the axis: 1, 2, 2.5 or 5 times a power of ten, at or above ``top``."""
    if top <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(top))
    for step in (1, 2, 2.5, 5, 10):
        if top <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def chart_id(chart: Chart) -> str:
    """An id for the chart's title and desc, the same on every page that shows it."""
    return "chart-" + re.sub(r"[^a-z0-9]+", "-", f"{chart.table} {' '.join(chart.values)}".lower())


def description(chart: Chart, table: Table) -> str:
    """The text alternative: each bar's label and value(s), in order."""
    parts = []
    for label, values in _rows(chart, table):
        shown = [
            (table.headings.get(column, column), _shown(value, chart.percent))
            for column, value in zip(chart.values, values, strict=True)
            if value is not None
        ]
        if not shown:
            parts.append(_("%(label)s: not shown", label=label))
        elif len(chart.values) == 1:
            parts.append(_("%(label)s: %(value)s", label=label, value=shown[0][1]))
        else:
            each = ", ".join(f"{heading} {value}" for heading, value in shown)
            parts.append(_("%(label)s: %(value)s", label=label, value=each))
    return "; ".join(parts) if parts else _("There is nothing to show.")


def _rows(chart: Chart, table: Table) -> list[tuple[str, list[float | None]]]:
    frame = table.frame
    return [
        (str(label), [_number(v) for v in values])
        for label, *values in frame[[chart.label, *chart.values]].itertuples(index=False)
    ]


def bar_chart(chart: Chart, table: Table) -> Markup:
    """The chart as an ``<svg>`` to put straight into a page: one horizontal bar per row of
    ``table`` (stacked, with a legend, when ``chart.values`` has several columns)."""
    rows = _rows(chart, table)
    stacked = len(chart.values) > 1
    top = max((sum(v for v in values if v is not None) for _l, values in rows), default=0)
    scale_max = 100.0 if chart.percent else _nice_max(top)
    legend_height = LEGEND_ROW * len(chart.values) if stacked else 0
    height = legend_height + ROW * max(len(rows), 1) + AXIS
    plot = WIDTH - LABEL_WIDTH - VALUE_ROOM
    ident = chart_id(chart)

    def x_of(value: float) -> float:
        return round(LABEL_WIDTH + plot * min(value, scale_max) / scale_max, 1)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" width="100%" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{ident}-title {ident}-desc" '
        'font-size="14">',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(description(chart, table))}</desc>',
    ]
    if stacked:
        for n, column in enumerate(chart.values):
            y = n * LEGEND_ROW
            out.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="14" height="14" '
                f'fill="{PALETTE[n % len(PALETTE)]}"/>'
                f'<text x="{LABEL_WIDTH + 20}" y="{y + 15}" fill="{TEXT}">'
                f"{escape(table.headings.get(column, column))}</text>"
            )
    axis_y = legend_height + ROW * max(len(rows), 1)
    for tick in range(5):
        value = scale_max * tick / 4
        x = x_of(value)
        out.append(
            f'<line x1="{x}" y1="{legend_height}" x2="{x}" y2="{axis_y}" stroke="{GRID}" '
            f'stroke-width="1"/>'
            f'<text x="{x}" y="{axis_y + 18}" fill="{TEXT}" text-anchor="middle" '
            f'font-size="12">{escape(_shown(value, chart.percent))}</text>'
        )
    for n, (label, values) in enumerate(rows):
        y = legend_height + n * ROW
        out.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 19}" fill="{TEXT}" text-anchor="end">'
            f"{escape(_short(label))}</text>"
        )
        start = 0.0
        for m, value in enumerate(values):
            if value is None or value <= 0:
                continue
            left, right = x_of(start), x_of(start + value)
            out.append(
                f'<rect x="{left}" y="{y + 5}" width="{round(right - left, 1)}" height="{BAR}" '
                f'fill="{PALETTE[m % len(PALETTE)]}" stroke="#ffffff" stroke-width="1"/>'
            )
            start += value
        total = [v for v in values if v is not None]
        if total:
            out.append(
                f'<text x="{x_of(start) + 6}" y="{y + 19}" fill="{TEXT}">'
                f"{escape(_shown(sum(total), chart.percent))}</text>"
            )
    out.append("</svg>")
    # Safe: every piece of text above went through escape(); the rest is numbers and
    # fixed attribute names.
    return Markup("".join(out))  # noqa: S704  # nosec B704
