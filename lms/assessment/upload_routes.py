"""Uploaded evidence: adding a file to a portfolio, downloading it, deleting it. Rules live
in :mod:`lms.assessment.uploads` and :mod:`lms.assessment.permissions`; these views load,
check access, call them and render."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import require, role_required
from lms.accounts.models import Role
from lms.assessment import bp, filetypes, permissions, portfolio, storage, uploads
from lms.assessment import outcomes as lo
from lms.assessment.models import EvidenceUpload
from lms.assessment.upload_forms import EmptyForm, UploadForm
from lms.forms import add_error


def _upload(upload_id: int) -> EvidenceUpload:
    found = uploads.upload_of(upload_id)
    if found is None:
        abort(404)
    return found


def _show_errors(form, exc: uploads.UploadError) -> None:
    for field, message in exc.problems:
        add_error(form, field if field and field in form else None, message)


@bp.route("/portfolio/evidence/new", methods=["GET", "POST"])
@role_required(Role.FACILITATOR)
def new_upload():
    form = UploadForm()
    frozen = portfolio.is_frozen(current_user.id)
    if frozen:
        if request.method == "POST":
            add_error(form, None, uploads.frozen_message())
    elif form.validate_on_submit():
        try:
            uploads.add_upload(
                current_user,
                form.file_bytes,
                form.file.data.filename,
                form.description.data,
                form.outcomes.data,
            )
        except uploads.UploadError as exc:
            _show_errors(form, exc)
        else:
            flash(_("Your file has been added to your portfolio"), "success")
            return redirect(url_for("assessment.portfolio"))
    return (
        render_template(
            "assessment/upload_new.html",
            form=form,
            frozen=frozen,
            max_mb=uploads.max_mb(),
            accept=filetypes.ACCEPT,
        ),
        400 if form.errors else 200,
    )


@bp.route("/portfolio/evidence/<int:upload_id>")
@role_required(Role.FACILITATOR, Role.SUPERVISOR, Role.LEAD)
def download_upload(upload_id: int):
    upload = _upload(upload_id)
    require(
        permissions.can_download(current_user, upload),
        hide=True,
        subject=upload,
        reason="may not see this portfolio",
    )
    try:
        data = storage.read(upload.storage_name)
    except (FileNotFoundError, ValueError):
        abort(404)
    response = send_file(
        io.BytesIO(data),
        mimetype=upload.content_type,
        as_attachment=True,
        download_name=uploads.download_name(upload),
        conditional=False,
        etag=False,
    )
    # Evidence is personal: never kept by a shared cache, never read as another type, and
    # never run as a page if a browser opens it anyway.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers.pop("Expires", None)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/portfolio/evidence/<int:upload_id>/delete", methods=["GET", "POST"])
@role_required(Role.FACILITATOR)
def delete_upload(upload_id: int):
    upload = _upload(upload_id)
    require(
        permissions.can_change_upload(current_user, upload),
        hide=True,
        subject=upload,
        reason="not their upload",
    )
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            uploads.delete_upload(upload, current_user)
        except uploads.UploadError as exc:
            add_error(form, None, exc.message)
        else:
            flash(_("The file has been deleted from your portfolio"), "success")
            return redirect(url_for("assessment.portfolio"))
    return (
        render_template(
            "assessment/upload_delete.html",
            form=form,
            upload=upload,
            outcomes=[lo.BY_CODE[code] for code in lo.known(upload.outcomes or ())],
            type_label=filetypes.label(upload.content_type),
            frozen=portfolio.is_frozen(upload.owner_id),
        ),
        400 if form.errors else 200,
    )
