"""Privacy (UK GDPR): a person downloads their data, an admin erases a person, and records
past their retention period are removed by a scheduled job."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, template_folder="templates", cli_group="privacy")
bp.cli.help = "Privacy: apply the retention periods."

from lms.privacy import cli, routes  # noqa: E402,F401  (routes and commands attach to bp)
