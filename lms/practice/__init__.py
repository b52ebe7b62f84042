"""Observed practice (SPEC section 7): GMTS trainees, set allocation, sessions, the session
console and equity.
"""
