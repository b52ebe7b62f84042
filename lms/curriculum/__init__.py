"""Curriculum (SPEC section 4): training modules loaded from content/, their activities,
progress and knowledge checks, and live workshop days with their registers.
"""

from flask import Blueprint

bp = Blueprint("curriculum", __name__, template_folder="templates")

from lms.curriculum import (  # noqa: E402,F401  (routes attach to bp)
    lead_routes,
    routes,
    workshop_routes,
)
