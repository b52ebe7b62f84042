"""Who may do what with buddies (SPEC section 6).

- A facilitator sees their own confirmed buddies, with contact details, and the pair's
  check-ins and notes; the notes are the pair's alone.
- Leads run pairing, adjust, confirm, set rules and deal with re-pairing requests; they
  see pairs, scores and check-in counts, never check-in notes.
- Nobody else has access.
"""

from __future__ import annotations

from lms.accounts.models import Role, User
from lms.buddy.models import BuddyGroup, BuddyStatus


def is_buddy(user: User, group: BuddyGroup) -> bool:
    """A current member of a confirmed pair (or triad)."""
    return (
        group.status is BuddyStatus.CONFIRMED
        and user.id in group.member_ids
        and user.has_role(Role.FACILITATOR)
    )


def can_pair(user: User) -> bool:
    return user.has_role(Role.LEAD)
