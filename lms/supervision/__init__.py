"""Supervision (SPEC section 5): supervision groups, sessions, registers, notes, cases, and
observation sign-off.
"""

from flask import Blueprint

bp = Blueprint("supervision", __name__, template_folder="templates")

from lms.supervision import lead_routes, observation_routes, routes  # noqa: E402,F401  (routes attach to bp)
