"""Reviewers' pages: the applications assigned to them, and scoring one."""

from __future__ import annotations

from lms.access import role_required
from lms.accounts.models import Role
from lms.applications import bp


@bp.route("/reviews")
@role_required(Role.REVIEWER)
def list_reviews():
    raise NotImplementedError  # being built
