"""Applications and selection (SPEC section 3): intakes, the applicant task list, line manager
endorsement, review and decisions.
"""

from flask import Blueprint

bp = Blueprint("applications", __name__, template_folder="templates")

from lms.applications import routes  # noqa: E402,F401  (routes attach to bp)
