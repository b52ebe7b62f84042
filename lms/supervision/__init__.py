"""Supervision (SPEC section 5): supervision groups, sessions, registers, notes, cases, and
observation sign-off.
"""
