"""Accounts: registration, signing in and out, password reset and the account page."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")

from lms.accounts import routes  # noqa: E402,F401  (routes attach to bp)
