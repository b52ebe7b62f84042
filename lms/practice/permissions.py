"""Who may do what in observed practice (SPEC section 9: set registers; challenge and
action text).

- Leads allocate sets, book sessions and read every set's registers and counts: never
  the text of a challenge, an action or a learning note.
- A set's facilitators run it: its sessions, register, presenters, actions and
  follow-through, and read all of its text. Another facilitator sees nothing of it.
- A supervisor reads the registers and counts of sets facilitated by people in groups
  they run; never the text.
- A trainee sees their own set, its schedule, their own attendance and their own actions.
- Admins manage accounts, not sets: no access here.
"""

from __future__ import annotations

from lms.accounts.models import Role, User
from lms.extensions import db
from lms.practice.models import PracticeSet


def facilitates(user: User, practice_set: PracticeSet) -> bool:
    return user.has_role(Role.FACILITATOR) and user.id in practice_set.facilitator_ids


def is_member(user: User, practice_set: PracticeSet) -> bool:
    return user.has_role(Role.TRAINEE) and user.id in practice_set.member_ids


def supervises(user: User, practice_set: PracticeSet) -> bool:
    """A supervisor running a group one of the set's facilitators is currently in."""
    # Imported here: supervision's models import practice's, which load this package.
    from lms.supervision.models import GroupMembership, SupervisionGroup

    if not user.has_role(Role.SUPERVISOR) or not practice_set.facilitator_ids:
        return False
    found = db.session.scalar(
        db.select(GroupMembership.id)
        .join(SupervisionGroup)
        .where(
            SupervisionGroup.supervisor_id == user.id,
            GroupMembership.left_at.is_(None),
            GroupMembership.user_id.in_(practice_set.facilitator_ids),
        )
        .limit(1)
    )
    return found is not None


def can_manage(user: User) -> bool:
    return user.has_role(Role.LEAD)


def can_see_set(user: User, practice_set: PracticeSet) -> bool:
    """Who may open the set's page at all (what they see there differs)."""
    if can_manage(user):
        return True
    if facilitates(user, practice_set) or is_member(user, practice_set):
        return True
    return supervises(user, practice_set)


def can_run(user: User, practice_set: PracticeSet) -> bool:
    return facilitates(user, practice_set)


def can_read_text(user: User, practice_set: PracticeSet) -> bool:
    """The text of every challenge and action in the set: its facilitators only."""
    return facilitates(user, practice_set)


def can_book(user: User, practice_set: PracticeSet) -> bool:
    return can_manage(user) or facilitates(user, practice_set)


def can_see_registers(user: User, practice_set: PracticeSet) -> bool:
    return can_manage(user) or facilitates(user, practice_set) or supervises(user, practice_set)
