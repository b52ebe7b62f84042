"""Exporting a filtered application list as CSV or XLSX.

Columns are in plain English. Equality monitoring and reasonable adjustments are never
exported. Text that a spreadsheet would run as a formula is made inert.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable

import pandas as pd
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.applications.models import Application
from lms.applications.review import ScoreSummary, summary_for

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def inert(value: object) -> object:
    """Text starting with a formula character gets an apostrophe (OWASP's CSV injection
    advice), so a spreadsheet shows it rather than running it."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _label(value) -> str:
    return value.label if value is not None else ""


# (heading, value) for each column, in order; values take the application and its scores.
COLUMNS: list[tuple[object, Callable[[Application, ScoreSummary], object]]] = [
    (_l("Reference"), lambda a, s: a.id),
    (_l("Name"), lambda a, s: a.full_name or a.applicant.name),
    (_l("Email address"), lambda a, s: a.contact_email or ""),
    (_l("Phone number"), lambda a, s: a.phone or ""),
    (_l("Job title"), lambda a, s: a.job_title or ""),
    (_l("Organisation"), lambda a, s: a.organisation_name or ""),
    (_l("Staff group"), lambda a, s: _label(a.staff_group)),
    (_l("Sector"), lambda a, s: _label(a.sector)),
    (_l("Region"), lambda a, s: _label(a.region)),
    (_l("Band or equivalent"), lambda a, s: _label(a.band)),
    (_l("Preferred delivery mode"), lambda a, s: _label(a.preferred_mode)),
    (
        _l("Date submitted"),
        lambda a, s: format_date(a.submitted_at, "yyyy-MM-dd") if a.submitted_at else "",
    ),
    (_l("Status"), lambda a, s: a.status.label),
    (_l("Line manager"), lambda a, s: a.manager_name or ""),
    (_l("Line manager endorsement"), lambda a, s: a.endorsement_status.label),
    (_l("Reviews done"), lambda a, s: s.count),
    (_l("Reviewers assigned"), lambda a, s: len(a.reviews)),
    (_l("Reviewers' total scores"), lambda a, s: "; ".join(str(t) for t in s.totals)),
    (
        _l("Mean total score"),
        lambda a, s: round(s.mean_total, 1) if s.mean_total is not None else None,
    ),
    (_l("Spread between reviewers"), lambda a, s: s.spread),
    (_l("Reviewers disagree"), lambda a, s: _("Yes") if s.disagreement else _("No")),
    (_l("Reason for decision"), lambda a, s: a.decision_reason or ""),
]


def application_table(applications: Iterable[Application]) -> pd.DataFrame:
    """One row per application, with translated headings (call inside a request).

    An empty list still gives every heading, so the file always has the same columns."""
    headings = [str(heading) for heading, _value in COLUMNS]
    rows = []
    for application in applications:
        summary = summary_for(application)
        rows.append([inert(value(application, summary)) for _heading, value in COLUMNS])
    return pd.DataFrame(rows, columns=headings)


def to_bytes(table: pd.DataFrame, kind: str) -> bytes:
    """The table as a CSV (UTF-8 with a byte order mark, which Excel needs) or XLSX file."""
    if kind == "csv":
        return table.to_csv(index=False).encode("utf-8-sig")
    buffer = io.BytesIO()
    table.to_excel(buffer, index=False, sheet_name=_("Applications")[:31], engine="openpyxl")
    return buffer.getvalue()


def filename(intake_name: str, on, kind: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", intake_name.lower()).strip("-") or "intake"
    return f"applications-{slug}-{on.isoformat()}.{kind}"
