"""Who may do what in the curriculum (SPEC section 9: modules).

Trainee facilitators work through the modules and see only their own progress, answers
and attempts. Supervisors, leads and admins can read the modules. Leads see everyone's
progress and schedule workshop days; a workshop day's register is kept by a lead or by
the supervisor (or lead) named to run it.
"""

from __future__ import annotations

from lms.accounts.models import Role, User
from lms.curriculum import queries
from lms.curriculum.models import QuizAttempt, WorkshopDay


def is_learner(user: User) -> bool:
    """Trainee facilitators do the activities and have progress."""
    return user.has_role(Role.FACILITATOR)


# Who can read the modules (the role check on their pages); only facilitators do them.
MODULE_READERS = (Role.FACILITATOR, Role.SUPERVISOR, Role.LEAD, Role.ADMIN)


def can_see_attempt(user: User, attempt: QuizAttempt) -> bool:
    """Only the person who made it: nobody else sees someone's answers."""
    return attempt.user_id == user.id


def can_keep_register(user: User, workshop: WorkshopDay) -> bool:
    if user.has_role(Role.LEAD):
        return True
    return workshop.run_by_id == user.id and user.has_role(Role.SUPERVISOR)


def can_see_workshop(user: User, workshop: WorkshopDay) -> bool:
    """The intake's facilitators, whoever keeps its register, and admins."""
    if can_keep_register(user, workshop) or user.has_role(Role.ADMIN):
        return True
    return is_learner(user) and queries.is_member(user.id, workshop.intake_id)
