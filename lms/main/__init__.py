"""The start page, each person's home, the language switcher, health and error pages."""

from flask import Blueprint

bp = Blueprint("main", __name__, template_folder="templates")

from lms.main import routes  # noqa: E402,F401  (routes attach to bp)
