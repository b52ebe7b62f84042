"""Assessment and award (SPEC section 8): the portfolio, award criteria, submission, and the
verifiable award.
"""
