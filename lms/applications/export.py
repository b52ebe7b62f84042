"""Exporting a filtered application list as CSV or XLSX.

Columns are in plain English. Equality monitoring and reasonable adjustments are never
exported. Text that a spreadsheet would run as a formula is made inert.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

import pandas as pd
from flask_babel import format_date
from flask_babel import gettext as _

from lms.applications.models import Application
from lms.applications.review import summary_for

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


def application_table(applications: Iterable[Application]) -> pd.DataFrame:
    """One row per application, with translated headings (call inside a request)."""
    rows, headings = [], None
    for a in applications:
        summary = summary_for(a)
        row = {
            _("Reference"): a.id,
            _("Name"): a.full_name or a.applicant.name,
            _("Email address"): a.contact_email or "",
            _("Phone number"): a.phone or "",
            _("Job title"): a.job_title or "",
            _("Organisation"): a.organisation_name or "",
            _("Staff group"): _label(a.staff_group),
            _("Sector"): _label(a.sector),
            _("Region"): _label(a.region),
            _("Band or equivalent"): _label(a.band),
            _("Preferred delivery mode"): _label(a.preferred_mode),
            _("Date submitted"): format_date(a.submitted_at, "yyyy-MM-dd")
            if a.submitted_at
            else "",
            _("Status"): a.status.label,
            _("Line manager"): a.manager_name or "",
            _("Line manager endorsement"): a.endorsement_status.label,
            _("Reviews done"): summary.count,
            _("Reviewers assigned"): len(a.reviews),
            _("Reviewers' total scores"): "; ".join(str(total) for total in summary.totals),
            _("Mean total score"): (
                round(summary.mean_total, 1) if summary.mean_total is not None else None
            ),
            _("Spread between reviewers"): summary.spread,
            _("Reviewers disagree"): _("Yes") if summary.disagreement else _("No"),
            _("Reason for decision"): a.decision_reason or "",
        }
        rows.append({key: inert(value) for key, value in row.items()})
        headings = list(row)
    return pd.DataFrame(rows, columns=headings or [_("Reference"), _("Name")])


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
