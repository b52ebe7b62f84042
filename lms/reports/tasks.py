"""Building a large report in the background, then telling the lead who asked for it."""

from __future__ import annotations

import logging
import traceback

from flask_babel import force_locale
from flask_babel import gettext as _

from lms.db_types import utcnow
from lms.extensions import db
from lms.i18n import LOCALES
from lms.jobs import JobFailure
from lms.notifications.services import absolute_url, tell
from lms.reports import registry
from lms.reports.models import ReportRun, RunStatus
from lms.reports.runs import result_of, run_filters

log = logging.getLogger(__name__)

JOB = "lms.reports.tasks.build_report"


def build_report(run_id: int) -> None:
    """Build the run's report with its filters, keep the tables and tell the requester.

    Safe to run twice: a missing run is ignored and a ready one left alone. Headings and
    notes are made in the requester's language, as they are stored with the run.

    A failure is kept on the run (status failed, with the error) rather than raised:
    raising would roll that back with the rest of the job, leaving the lead waiting for a
    run that shows as queued forever. Admins still see it among the failed jobs, and the
    lead is told and can build it again.
    """
    run = db.session.get(ReportRun, run_id)
    if run is None or run.status is RunStatus.READY:
        return
    requester = run.requested_by
    language = requester.language if requester and requester.language in LOCALES else "en"
    run.status = RunStatus.RUNNING
    run.started_at = utcnow()
    run.error = None
    db.session.flush()
    try:
        report = registry.get(run.report)
        if report is None:
            raise LookupError(f"no report called {run.report!r}")
        # A savepoint, so a failing query (which aborts a PostgreSQL transaction) is undone
        # and the failure can still be written.
        with db.session.begin_nested(), force_locale(LOCALES[language]):
            tables = report.build(report.load(run_filters(run)))
            result = result_of(tables)
    except Exception as exc:
        log.exception("report run %s failed", run_id)
        run.status = RunStatus.FAILED
        run.error = "".join(traceback.format_exception_only(exc)).strip()[:4000]
        run.finished_at = utcnow()
        detail = "".join(traceback.format_exception(exc))[-4000:]
        db.session.add(JobFailure(func=JOB, args=[run_id], error=detail))
        db.session.flush()
        _tell(run, language, ready=False)
        return
    run.result = result
    run.row_count = sum(len(table.frame) for table in tables)
    run.status = RunStatus.READY
    run.finished_at = utcnow()
    db.session.flush()
    _tell(run, language, ready=True)


def _tell(run: ReportRun, language: str, ready: bool) -> None:
    requester = run.requested_by
    if requester is None:
        return
    with force_locale(LOCALES[language]):
        report = registry.get(run.report)
        title = str(report.title) if report else run.report
    link = absolute_url("reports.show_run", run_id=run.id)
    if ready:
        tell(
            requester,
            subject=lambda: _("Your report is ready"),
            message=lambda: _(
                "Your report “%(title)s” is ready to read and download.", title=title
            ),
            link=link,
            link_text=lambda: _("See the report"),
        )
    else:
        tell(
            requester,
            subject=lambda: _("Your report could not be built"),
            message=lambda: _(
                "Your report “%(title)s” could not be built. You can try building it again.",
                title=title,
            ),
            link=link,
            link_text=lambda: _("See the report"),
        )
