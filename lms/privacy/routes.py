"""Downloading your own data, and erasing a person (admins only)."""

from __future__ import annotations

import json

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.access import role_required
from lms.accounts.fresh import fresh_login_required
from lms.accounts.models import Role, User
from lms.applications.services import today
from lms.extensions import db
from lms.forms import EmptyForm
from lms.privacy import bp, erasure, export
from lms.privacy.forms import EraseForm


@bp.route("/account/data")
@login_required
def show_data():
    return render_template("privacy/data.html", form=EmptyForm())


@bp.route("/account/data/download", methods=["POST"])
@login_required
def download_data():
    if not EmptyForm().validate_on_submit():
        abort(400)
    data = export.export_person(current_user._get_current_object())
    response = make_response(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    response.mimetype = "application/json"
    name = f"my-data-{today().isoformat()}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/admin/people/<int:user_id>/erase", methods=["GET", "POST"])
@role_required(Role.ADMIN)
@fresh_login_required
def erase_person(user_id: int):
    person = db.get_or_404(User, user_id)
    admin = current_user._get_current_object()
    form = EraseForm(person.email)
    try:
        erasure.check_can_erase(person, admin)
    except erasure.ErasureError as exc:
        # Erased already, or their own account: say so, and offer nothing to press.
        status = 400 if request.method == "POST" else 200
        page = render_template("privacy/erase.html", form=form, person=person, problem=exc.message)
        return page, status
    if form.validate_on_submit():
        erasure.erase(person, admin)
        flash(
            _(
                "Their personal data has been erased. They are now shown as %(name)s",
                name=person.name,
            ),
            "success",
        )
        return redirect(url_for("admin.show_person", user_id=person.id))
    status = 400 if form.errors else 200
    return render_template("privacy/erase.html", form=form, person=person, problem=None), status
