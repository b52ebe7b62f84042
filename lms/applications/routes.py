"""Intakes: the public list of open intakes, and leads' pages to create and edit them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import role_required
from lms.accounts.models import Role
from lms.applications import bp, queries, services
from lms.applications.forms import IntakeForm
from lms.applications.models import Intake
from lms.extensions import db
from lms.forms import add_error


@bp.route("/intakes")
def list_open_intakes():
    today = services.today()
    return render_template(
        "applications/intakes_public.html", intakes=queries.public_intakes(today), today=today
    )


@bp.route("/lead/intakes")
@role_required(Role.LEAD)
def list_intakes():
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    intakes = db.paginate(queries.all_intakes(), page=page, per_page=50, error_out=False)
    return render_template(
        "applications/intakes_list.html", intakes=intakes, today=services.today()
    )


@bp.route("/lead/intakes/new", methods=["GET", "POST"])
@bp.route("/lead/intakes/<int:intake_id>/edit", methods=["GET", "POST"])
@role_required(Role.LEAD)
def edit_intake(intake_id: int | None = None):
    intake = db.get_or_404(Intake, intake_id) if intake_id else None
    form = IntakeForm(obj=intake)
    if form.validate_on_submit():
        try:
            intake = services.save_intake(
                intake,
                name=form.name.data,
                opens_on=form.opens_on.data,
                closes_on=form.closes_on.data,
                programme_starts_on=form.programme_starts_on.data,
                capacity=form.capacity.data,
                delivery_modes=form.delivery_modes.data,
                regions=form.regions.data,
                by=current_user,
            )
        except services.IntakeError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("%(name)s has been saved", name=intake.name), "success")
            return redirect(url_for("applications.list_intakes"))
    return render_template("applications/intake_edit.html", form=form, intake=intake)
