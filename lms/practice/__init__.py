"""Observed practice (SPEC section 7): GMTS trainees, set allocation, sessions, the session
console and equity.
"""

from flask import Blueprint

bp = Blueprint("practice", __name__, template_folder="templates")

