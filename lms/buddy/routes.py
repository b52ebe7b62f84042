"""Buddies as facilitators meet them: who their buddy is, check-ins, asking to re-pair."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import require, role_required
from lms.accounts.models import Role
from lms.buddy import bp, permissions, queries, services
from lms.buddy.forms import CheckInForm, RepairForm
from lms.buddy.models import BuddyGroup, CheckInTopic
from lms.buddy.services import BuddyError
from lms.forms import add_error


def _my_group(group_id: int) -> BuddyGroup:
    group = queries.group(group_id)
    if group is None:
        abort(404)
    require(
        permissions.is_buddy(current_user, group),
        hide=True,
        subject=group,
        reason="not their buddy pair",
    )
    return group


@bp.route("/buddy")
@role_required(Role.FACILITATOR)
def overview():
    groups = queries.current_groups_of(current_user.id)
    return render_template(
        "buddy/overview.html",
        groups=groups,
        check_ins=queries.check_ins([g.id for g in groups]),
        count=queries.check_in_count(current_user.id),
        required=services.check_ins_required(_own_intake_id()),
        requests=queries.open_requests_of(current_user.id),
        contacts=queries.contacts(groups),
    )


@bp.route("/buddy/<int:group_id>/check-ins/new", methods=["GET", "POST"])
@role_required(Role.FACILITATOR)
def new_check_in(group_id: int):
    group = _my_group(group_id)
    form = CheckInForm()
    if form.validate_on_submit():
        try:
            services.log_check_in(
                group,
                current_user,
                form.met_on.data,
                form.minutes.data,
                [CheckInTopic(t) for t in form.topics.data],
                form.notes.data,
            )
        except BuddyError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("Your check-in has been logged"), "success")
            return redirect(url_for("buddy.overview"))
    return render_template("buddy/check_in_form.html", form=form, group=group)


@bp.route("/buddy/<int:group_id>/re-pair", methods=["GET", "POST"])
@role_required(Role.FACILITATOR)
def request_repair(group_id: int):
    group = _my_group(group_id)
    form = RepairForm()
    if form.validate_on_submit():
        try:
            services.request_repair(group, current_user, form.reason.data)
        except BuddyError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("Your request has been sent to the programme leads"), "success")
            return redirect(url_for("buddy.overview"))
    return render_template("buddy/repair_form.html", form=form, group=group)


def _own_intake_id() -> int | None:
    """The signed-in person's intake, whose award criteria their counts are shown against."""
    # Imported here: assessment reads this package's models, which load these routes.
    from lms.assessment.portfolio import current_intake_id

    return current_intake_id(current_user.id)
