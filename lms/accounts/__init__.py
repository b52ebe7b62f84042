"""Accounts: registration, signing in and out (with two-factor), password reset and the
account page."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")

from lms.accounts import routes, two_factor_routes  # noqa: E402,F401  (routes attach to bp)
