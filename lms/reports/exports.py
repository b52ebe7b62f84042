"""Reports as files: one table as CSV, or a whole report as a workbook (XLSX).

Text a spreadsheet would run as a formula is made inert, in both formats: openpyxl
writes a string starting with "=" as a formula, just as Excel reads one from a CSV.
"""

from __future__ import annotations

import io
import math
import re
from datetime import date, datetime

import pandas as pd
from flask import Response
from flask_babel import format_datetime
from flask_babel import gettext as _

from lms.applications.export import MEDIA_TYPES, inert
from lms.reports.base import Table

SHEET_NAME_MAX = 31  # Excel's limit
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def _plain(value: object) -> object:
    """A cell for a file: blanks empty, whole numbers without ".0" (a column with a blank
    in it is float in pandas), text made inert."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return inert(value)


def _inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    # Column by column as object Series: DataFrame.map would make 4 and None into 4.0, NaN.
    return pd.DataFrame(
        {
            inert(str(heading)): pd.Series([_plain(v) for v in frame[heading]], dtype=object)
            for heading in frame.columns
        }
    )


def csv_bytes(table: Table) -> bytes:
    """The table with its headings, as CSV in UTF-8 with a byte order mark (Excel needs it
    to read anything beyond ASCII). Blank (suppressed) cells are left empty."""
    return _inert_frame(table.labelled()).to_csv(index=False).encode("utf-8-sig")


def sheet_names(titles: list[str], taken: set[str] | None = None) -> list[str]:
    """A sheet name for each title: without the characters Excel refuses, at most 31
    characters, and unique (case-insensitively, as Excel compares them)."""
    used = {name.lower() for name in taken or ()}
    names = []
    for title in titles:
        base = re.sub(r"\s+", " ", SHEET_NAME_BAD.sub(" ", title)).strip().strip("'") or "Sheet"
        name = base[:SHEET_NAME_MAX]
        n = 2
        while name.lower() in used:
            suffix = f" ({n})"
            name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
            n += 1
        used.add(name.lower())
        names.append(name)
    return names


def xlsx_bytes(
    report_title: str,
    filters_in_words: list[tuple[str, str]],
    tables: list[Table],
    made_at: datetime,
) -> bytes:
    """The whole report as a workbook: an "About" sheet first (what the report is, its
    filters, when it was made, and each table's note), then one sheet per table."""
    about_name = _("About")[:SHEET_NAME_MAX]
    names = sheet_names([t.title for t in tables], taken={about_name})
    about = [
        (_("Report"), report_title),
        *filters_in_words,
        (_("Made"), format_datetime(made_at, "d MMMM yyyy, HH:mm")),
    ]
    about += [(t.title, t.note) for t in tables if t.note]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        about_frame = pd.DataFrame(about, columns=[_("About this report"), ""], dtype=object)
        _inert_frame(about_frame).to_excel(writer, sheet_name=about_name, index=False)
        for table, name in zip(tables, names, strict=True):
            _inert_frame(table.labelled()).to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def filename(key: str, kind: str, on_date: date, table: str | None = None) -> str:
    """``report-delivery-2026-11-30.xlsx``, or with the table's key for one table's CSV."""
    parts = ["report", key, *([table] if table else []), on_date.isoformat()]
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")
    return f"{slug}.{kind}"


def download(content: bytes, kind: str, name: str) -> Response:
    """A file to save, never kept by a cache: reports can be about people."""
    return Response(
        content,
        mimetype=MEDIA_TYPES[kind],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
