"""Reports built in the background: asking for one, finding it again, and reading its
stored tables back.

A report over more than ``REPORT_INLINE_LIMIT`` records is too slow to build while the
lead waits, so a :class:`ReportRun` is queued and :func:`lms.reports.tasks.build_report`
builds it. Asking twice for the same report with the same filters while it is still being
built reuses the first run.
"""

from __future__ import annotations

import io
import json
import math
import re
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from flask_babel import format_date
from flask_babel import gettext as _

from lms import jobs
from lms.accounts.models import Organisation, Region
from lms.applications.models import Intake
from lms.extensions import db
from lms.reports.base import Filters, Report, Table
from lms.reports.models import ACTIVE, ReportRun, RunStatus


class RunError(ValueError):
    """A run that cannot be asked for, with a message for the lead."""


def filters_key(filters: Filters) -> str:
    """The filters as canonical text, to find runs with exactly these filters."""
    return json.dumps(filters.as_dict(), sort_keys=True, separators=(",", ":"))


def _runs(report_key: str, filters: Filters, *statuses: RunStatus):
    return (
        db.select(ReportRun)
        .where(
            ReportRun.report == report_key,
            ReportRun.status.in_(statuses),
            ReportRun.filters_key == filters_key(filters),
        )
        .order_by(ReportRun.created_at.desc(), ReportRun.id.desc())
        .limit(1)
    )


def latest_ready(report_key: str, filters: Filters) -> ReportRun | None:
    """The newest finished run of this report with these filters, if any."""
    return db.session.scalar(_runs(report_key, filters, RunStatus.READY))


def active_run(report_key: str, filters: Filters) -> ReportRun | None:
    """A run of this report with these filters that is waiting or being built, if any."""
    return db.session.scalar(_runs(report_key, filters, *ACTIVE))


def request_run(report: Report, filters: Filters, user) -> ReportRun:
    """Queue a background build of ``report`` for ``filters``, asked for by ``user``, or
    return the run already waiting or being built for the same report and filters."""
    if filters.start and filters.end and filters.start > filters.end:
        raise RunError(_("The start date must be the same as or before the end date"))
    found = active_run(report.key, filters)
    if found is not None:
        return found
    run = ReportRun(
        report=report.key,
        filters=filters.as_dict(),
        filters_key=filters_key(filters),
        requested_by_id=user.id if user is not None else None,
        status=RunStatus.QUEUED,
    )
    db.session.add(run)
    db.session.flush()
    jobs.enqueue("lms.reports.tasks.build_report", run.id)
    return run


def retry_run(run: ReportRun, user) -> ReportRun:
    """Build a failed run's report again, with the same filters, for ``user``."""
    from lms.reports import registry

    report = registry.get(run.report)
    if report is None:
        raise RunError(_("This report no longer exists"))
    return request_run(report, run_filters(run), user)


def run_filters(run: ReportRun) -> Filters:
    return Filters.from_dict(run.filters or {})


def result_of(tables: list[Table]) -> list[dict[str, Any]]:
    """Tables as JSON-ready dicts, to keep in ``ReportRun.result``."""
    return [
        {
            "key": table.key,
            "title": table.title,
            "headings": table.headings,
            "note": table.note,
            "frame": table.frame.to_json(orient="split", date_format="iso", index=False),
        }
        for table in tables
    ]


ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}")


def _moment(value: object) -> object:
    """Blanks come back as None; dates and times, which went into JSON as ISO text, come
    back as dates and times."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and ISO_MOMENT.fullmatch(value):
        moment = datetime.fromisoformat(value)
        return moment.date() if value.endswith("T00:00:00.000") else moment.replace(tzinfo=UTC)
    return value


def _values(column: pd.Series) -> list:
    """A stored column's values: text may be a date or time; numbers are left as they are
    (only their blanks become None), which is most cells of a large run."""
    if column.dtype == object:
        return [_moment(v) for v in column]
    return column.astype(object).where(column.notna(), None).tolist()


def tables_of(run: ReportRun) -> list[Table]:
    """The tables a finished run stored, as they were built (numbers stay numbers, blank
    cells are None, dates and times come back as such)."""
    tables = []
    for item in run.result or []:
        frame = pd.read_json(io.StringIO(item["frame"]), orient="split", dtype=False)
        # Column by column as object Series: DataFrame.map would turn None back into NaN.
        frame = pd.DataFrame(
            {c: pd.Series(_values(frame[c]), dtype=object) for c in frame.columns},
            columns=frame.columns,
        )
        tables.append(
            Table(
                key=item["key"],
                title=item["title"],
                frame=frame,
                headings=item["headings"],
                note=item.get("note"),
            )
        )
    return tables


def filters_in_words(report: Report, filters: Filters) -> list[tuple[str, str]]:
    """What the report was narrowed to, as (what, value) pairs for people to read."""
    intake = db.session.get(Intake, filters.intake_id) if filters.intake_id else None
    organisation = (
        db.session.get(Organisation, filters.organisation_id) if filters.organisation_id else None
    )
    region = next((r for r in Region if r.value == filters.region), None)
    if filters.start and filters.end:
        dates = _(
            "%(start)s to %(end)s",
            start=format_date(filters.start, "d MMMM yyyy"),
            end=format_date(filters.end, "d MMMM yyyy"),
        )
    elif filters.start:
        dates = _("From %(start)s", start=format_date(filters.start, "d MMMM yyyy"))
    elif filters.end:
        dates = _("Up to %(end)s", end=format_date(filters.end, "d MMMM yyyy"))
    else:
        dates = _("Any date")
    return [
        (_("Intake"), intake.name if intake else _("All intakes")),
        (_("Region"), region.label if region else _("All regions")),
        (_("Organisation"), organisation.name if organisation else _("All organisations")),
        (_("Dates"), dates),
        (_("Dates are"), str(report.date_basis)),
    ]
