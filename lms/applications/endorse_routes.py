"""The line manager's endorsement page, reached by a single-use link without an account."""

from __future__ import annotations

from lms.applications import bp


@bp.route("/endorse/<token>", methods=["GET", "POST"])
def endorse(token: str):
    raise NotImplementedError  # being built
