"""Applications and selection (SPEC section 3): intakes, the applicant task list, line manager
endorsement, review and decisions.
"""

from flask import Blueprint

bp = Blueprint("applications", __name__, template_folder="templates")

from lms.applications import (  # noqa: E402,F401  (routes attach to bp)
    apply_routes,
    endorse_routes,
    lead_routes,
    review_routes,
    routes,
)


@bp.record_once
def _template_globals(state) -> None:
    from lms.applications.sections import SECTIONS

    state.app.jinja_env.globals["application_sections"] = SECTIONS
