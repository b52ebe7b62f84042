"""Leads' pages: the application list, one application, reviewers, decisions, selection."""

from __future__ import annotations

from lms.access import role_required
from lms.accounts.models import Role
from lms.applications import bp


@bp.route("/lead/intakes/<int:intake_id>/applications")
@role_required(Role.LEAD)
def list_applications(intake_id: int):
    raise NotImplementedError  # being built


@bp.route("/lead/applications")
@role_required(Role.LEAD)
def applications_overview():
    raise NotImplementedError  # being built
