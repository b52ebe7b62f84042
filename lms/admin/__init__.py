"""Administration: people and roles, organisations, the audit log, email outbox and failed jobs."""

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/admin")

from lms.admin import routes  # noqa: E402,F401  (routes attach to bp)
