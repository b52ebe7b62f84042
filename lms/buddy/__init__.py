"""Buddy pairing (SPEC section 6): the pairing optimiser, pairs and buddy check-ins."""

from flask import Blueprint

bp = Blueprint("buddy", __name__, template_folder="templates")

from lms.buddy import lead_routes, routes  # noqa: E402,F401  (routes attach to bp)
