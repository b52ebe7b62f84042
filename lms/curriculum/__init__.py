"""Curriculum (SPEC section 4): training modules loaded from content/, activities, progress and
knowledge checks.
"""
