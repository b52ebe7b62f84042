"""Observed practice (SPEC section 7): GMTS trainees, set allocation, sessions, the session
console and equity.
"""

from flask import Blueprint

bp = Blueprint("practice", __name__, template_folder="templates")

# The route modules attach their views to bp.
from lms.practice import console_routes, import_routes, lead_routes, routes  # noqa: E402,F401
