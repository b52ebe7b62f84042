"""Leads' pages for GMTS trainees: upload a CSV file, check the report, import it whole,
and list the trainees."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from lms.access import role_required
from lms.accounts.models import REGION_LABELS, Region, Role
from lms.applications.models import DeliveryMode
from lms.extensions import db
from lms.forms import EmptyForm, add_error
from lms.practice import bp, trainees
from lms.practice.import_forms import TraineeUploadForm
from lms.practice.importing import COLUMNS, GMTS_INTAKE_MAX, MAX_ROWS
from lms.practice.models import SET_STATUS_LABELS, TraineeImport
from lms.practice.trainees import OUTCOME_LABELS, Outcome, TraineeImportError


def _import(import_id: int) -> TraineeImport:
    import_ = db.session.get(TraineeImport, import_id)
    if import_ is None:
        abort(404)
    return import_


def _example() -> dict[str, str]:
    """A made-up trainee, for the guidance and the template file."""
    return {
        "name": "Alex Morgan",
        "email": "alex.morgan@nhs.net",
        "organisation": "Leeds Teaching Hospitals NHS Trust",
        "region": Region.NORTH_EAST_YORKSHIRE.label,
        "gmts_intake": "GMTS 2026",
        "line_manager_email": "sam.patel@nhs.net",
        "mode": DeliveryMode.ONLINE.label,
    }


@bp.route("/lead/practice/trainees/import", methods=["GET", "POST"])
@role_required(Role.LEAD)
def import_trainees():
    form = TraineeUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            import_ = trainees.check_upload(upload.filename, upload.read(), by=current_user)
        except TraineeImportError as exc:
            for message in exc.messages:
                add_error(form, "file", message)
        else:
            return redirect(url_for("practice.import_report", import_id=import_.id))
    status = 400 if form.errors else 200
    return (
        render_template(
            "practice/import_trainees.html",
            form=form,
            columns=COLUMNS,
            example=_example(),
            regions=REGION_LABELS.values(),
            max_rows=MAX_ROWS,
            gmts_intake_max=GMTS_INTAKE_MAX,
        ),
        status,
    )


@bp.route("/lead/practice/trainees/import/template.csv")
@role_required(Role.LEAD)
def import_template():
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    example = _example()
    writer.writerow([str(column.label) for column in COLUMNS])
    writer.writerow([example[column.key] for column in COLUMNS])
    # The byte order mark tells Excel the file is UTF-8, so names keep their accents.
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=gmts-trainees-template.csv"},
    )


def _report_page(import_: TraineeImport, form: EmptyForm, status: int = 200):
    found = trainees.report(import_)
    return (
        render_template(
            "practice/import_report.html",
            import_=import_,
            report=found,
            counts=found.counts,
            outcomes=Outcome,
            outcome_labels=OUTCOME_LABELS,
            new_organisations={name.casefold() for name, _region in found.new_organisations},
            form=form,
        ),
        status,
    )


@bp.route("/lead/practice/trainees/imports/<int:import_id>")
@role_required(Role.LEAD)
def import_report(import_id: int):
    return _report_page(_import(import_id), EmptyForm())


@bp.route("/lead/practice/trainees/imports/<int:import_id>/confirm", methods=["POST"])
@role_required(Role.LEAD)
def confirm_import(import_id: int):
    import_ = _import(import_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        trainees.apply_import(import_, by=current_user)
    except TraineeImportError as exc:
        for message in exc.messages:
            add_error(form, None, message)
        return _report_page(import_, form, 400)
    flash(
        ngettext(
            "%(num)d trainee imported: %(created)d new, %(updated)d updated and "
            "%(unchanged)d unchanged.",
            "%(num)d trainees imported: %(created)d new, %(updated)d updated and "
            "%(unchanged)d unchanged.",
            import_.rows,
            created=import_.created_count,
            updated=import_.updated_count,
            unchanged=import_.unchanged_count,
        ),
        "success",
    )
    return redirect(url_for("practice.list_trainees"))


@bp.route("/lead/practice/trainees")
@role_required(Role.LEAD)
def list_trainees():
    search = request.args.get("q", "").strip()[:200]
    intakes = trainees.gmts_intakes()
    gmts_intake = request.args.get("intake", "")
    if gmts_intake not in intakes:
        gmts_intake = ""
    page = trainees.trainee_rows(
        gmts_intake or None, search or None, request.args.get("page", 1, type=int) or 1
    )
    return render_template(
        "practice/trainees.html",
        page=page,
        search=search,
        intakes=intakes,
        gmts_intake=gmts_intake,
        region_labels=REGION_LABELS,
        set_status_labels=SET_STATUS_LABELS,
    )
