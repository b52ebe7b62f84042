"""Applications and selection (SPEC section 3): intakes, the applicant task list, line manager
endorsement, review and decisions.
"""
