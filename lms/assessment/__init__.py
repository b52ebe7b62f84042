"""Assessment and award (SPEC section 8): the portfolio, award criteria, submission, and the
verifiable award.
"""

from flask import Blueprint

bp = Blueprint("assessment", __name__, template_folder="templates")

# The route modules attach their views to bp.
from lms.assessment import (  # noqa: E402,F401
    award_routes,
    lead_routes,
    routes,
    upload_routes,
    verify_routes,
)
