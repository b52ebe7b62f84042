"""Leads' report pages: the list, each report with its filters, tables and charts, the
CSV and XLSX downloads, and reports built in the background.

A report over ``REPORT_INLINE_LIMIT`` records is not built in the request: the page offers
a background build (:mod:`lms.reports.runs`) and shows the latest one with the same
filters. Every page costs a fixed number of statements: the filter choices, the report's
size and its own few aggregate queries.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from lms import audit
from lms.access import role_required
from lms.accounts.models import Organisation, Role
from lms.applications.queries import intakes_newest_first
from lms.db_types import utcnow
from lms.extensions import db
from lms.forms import EmptyForm
from lms.reports import bp, display, exports, registry, runs
from lms.reports.base import Filters, Report, Table
from lms.reports.forms import ReportFilterForm, query_args
from lms.reports.models import ReportRun, RunStatus


def _report(key: str) -> Report:
    report = registry.get(key)
    if report is None:
        abort(404)
    return report


def _filter_form() -> ReportFilterForm:
    organisations = db.session.scalars(db.select(Organisation).order_by(Organisation.name))
    return ReportFilterForm(intakes_newest_first(), list(organisations), formdata=request.args)


@bp.route("")
@role_required(Role.LEAD)
def index():
    return render_template("reports/index.html", reports=list(registry.REPORTS.values()))


@bp.route("/<key>")
@role_required(Role.LEAD)
def show(key: str):
    report = _report(key)
    form = _filter_form()
    context: dict = {}
    if form.validate():
        filters = form.filters()
        args = query_args(filters)
        size = report.size(filters)
        context.update(filters=filters, args=args, size=size, size_text=format_decimal(size))
        if size <= current_app.config["REPORT_INLINE_LIMIT"]:
            tables = report.build(report.load(filters))
            context["shown"] = display.shown(
                report,
                tables,
                lambda table: url_for("reports.download_csv", key=key, table=table, **args),
            )
            context["xlsx_url"] = url_for("reports.download_xlsx", key=key, **args)
        else:
            context["latest"] = runs.latest_ready(key, filters)
            context["active"] = runs.active_run(key, filters)
            context["build_form"] = EmptyForm()
    return render_template(
        "reports/show.html", report=report, form=form, filtered=bool(request.args), **context
    )


@bp.route("/<key>/build", methods=["POST"])
@role_required(Role.LEAD)
def build(key: str):
    report = _report(key)
    if not EmptyForm().validate_on_submit():
        abort(400)
    form = _filter_form()
    if not form.validate():
        return redirect(url_for("reports.show", key=key, **request.args))
    filters = form.filters()
    try:
        run = runs.request_run(report, filters, current_user)
    except runs.RunError as exc:
        flash(str(exc), "error")
    else:
        if run.status is RunStatus.READY:
            flash(_("The report has been built"), "success")
        else:
            flash(_("The report is being built. We'll send you a notification when it is ready."))
    return redirect(url_for("reports.show", key=key, **query_args(filters)))


def _inline_tables(report: Report) -> tuple[Filters, list[Table]] | None:
    """The report built now, for a download; None if the filters are wrong or the report
    is too large to build in a request (its page says how to get it)."""
    form = _filter_form()
    if not form.validate():
        return None
    filters = form.filters()
    if report.size(filters) > current_app.config["REPORT_INLINE_LIMIT"]:
        return None
    return filters, report.build(report.load(filters))


def _xlsx(report: Report, filters: Filters, tables: list[Table], made_at: datetime):
    audit.record("report.downloaded", report=report.key, format="xlsx", filters=filters.as_dict())
    content = exports.xlsx_bytes(
        str(report.title), runs.filters_in_words(report, filters), tables, made_at
    )
    return exports.download(content, "xlsx", exports.filename(report.key, "xlsx", made_at.date()))


def _csv(report: Report, filters: Filters, tables: list[Table], made_at: datetime):
    wanted = request.args.get("table", "")
    table = next((t for t in tables if t.key == wanted), None)
    if table is None:
        abort(404)
    audit.record(
        "report.downloaded",
        report=report.key,
        format="csv",
        table=wanted,
        filters=filters.as_dict(),
    )
    name = exports.filename(report.key, "csv", made_at.date(), table=table.key)
    return exports.download(exports.csv_bytes(table), "csv", name)


@bp.route("/<key>/download.xlsx")
@role_required(Role.LEAD)
def download_xlsx(key: str):
    report = _report(key)
    built = _inline_tables(report)
    if built is None:
        return redirect(url_for("reports.show", key=key, **request.args))
    return _xlsx(report, *built, utcnow())


@bp.route("/<key>/download.csv")
@role_required(Role.LEAD)
def download_csv(key: str):
    report = _report(key)
    built = _inline_tables(report)
    if built is None:
        args = {k: v for k, v in request.args.items() if k != "table"}
        return redirect(url_for("reports.show", key=key, **args))
    return _csv(report, *built, utcnow())


# --- Reports built in the background -------------------------------------------------------


def _run(run_id: int) -> tuple[ReportRun, Report]:
    run = db.get_or_404(ReportRun, run_id)
    return run, _report(run.report)


def _ready(run_id: int) -> tuple[ReportRun, Report, Filters, list[Table]]:
    run, report = _run(run_id)
    if run.status is not RunStatus.READY:
        abort(404)
    return run, report, runs.run_filters(run), runs.tables_of(run)


@bp.route("/runs/<int:run_id>")
@role_required(Role.LEAD)
def show_run(run_id: int):
    """Any lead may see any run: every lead may build the same report themselves."""
    run, report = _run(run_id)
    filters = runs.run_filters(run)
    shown = None
    if run.status is RunStatus.READY:
        shown = display.shown(
            report,
            runs.tables_of(run),
            lambda table: url_for("reports.download_run_csv", run_id=run.id, table=table),
        )
    return render_template(
        "reports/run.html",
        run=run,
        report=report,
        words=runs.filters_in_words(report, filters),
        args=query_args(filters),
        shown=shown,
        xlsx_url=url_for("reports.download_run_xlsx", run_id=run.id),
        retry_form=EmptyForm(),
    )


@bp.route("/runs/<int:run_id>/build", methods=["POST"])
@role_required(Role.LEAD)
def rebuild_run(run_id: int):
    run, _unused = _run(run_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if run.status is not RunStatus.FAILED:
        return redirect(url_for("reports.show_run", run_id=run.id))
    try:
        again = runs.retry_run(run, current_user)
    except runs.RunError as exc:
        flash(str(exc), "error")
        return redirect(url_for("reports.show_run", run_id=run.id))
    flash(_("The report is being built again"))
    return redirect(url_for("reports.show_run", run_id=again.id))


@bp.route("/runs/<int:run_id>/download.xlsx")
@role_required(Role.LEAD)
def download_run_xlsx(run_id: int):
    run, report, filters, tables = _ready(run_id)
    return _xlsx(report, filters, tables, run.finished_at or run.created_at)


@bp.route("/runs/<int:run_id>/download.csv")
@role_required(Role.LEAD)
def download_run_csv(run_id: int):
    run, report, filters, tables = _ready(run_id)
    return _csv(report, filters, tables, run.finished_at or run.created_at)
