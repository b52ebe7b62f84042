"""Reports (SPEC section 10): pandas report builders with pages, charts and CSV/XLSX downloads.

Each report is a :class:`lms.reports.base.Report` in its own module, listed in
:mod:`lms.reports.registry`; the pages, downloads and background builds here work for
every one of them alike.
"""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports", template_folder="templates")

# The route module attaches its views to bp.
from lms.reports import routes  # noqa: E402,F401
