"""In-app notifications and email (an outbox table in the embedded default, SMTP in production)."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, template_folder="templates")

from lms.notifications import routes  # noqa: E402,F401  (routes attach to bp)
