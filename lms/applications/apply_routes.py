"""The applicant's pages: start, the task list, each section, check answers, submit, and
answering an offer."""

from __future__ import annotations

from flask_login import login_required

from lms.applications import bp


@bp.route("/applications/<int:application_id>")
@login_required
def show_my_application(application_id: int):
    raise NotImplementedError  # being built


@bp.route("/applications/<int:application_id>/sections/<key>", methods=["GET", "POST"])
@login_required
def edit_section(application_id: int, key: str):
    raise NotImplementedError  # being built


@bp.route("/applications")
@login_required
def list_my_applications():
    raise NotImplementedError  # being built
