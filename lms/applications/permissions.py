"""Who may see and change an application (SPEC section 9)."""

from __future__ import annotations

from lms.accounts.models import Role, User
from lms.applications.models import Application, ReviewAssignment

# Who may read submitted applications (SPEC section 9: leads and admins, all of them);
# only leads decide them, assign reviewers or chase endorsements.
APPLICATION_READERS = (Role.LEAD, Role.ADMIN)


def can_decide(user: User) -> bool:
    return user.has_role(Role.LEAD)


def is_owner(user: User, application: Application) -> bool:
    return user.is_authenticated and application.applicant_id == user.id


def can_edit_application(user: User, application: Application) -> bool:
    """Only the applicant, and only until they submit."""
    return is_owner(user, application) and application.is_draft


def can_read_application(user: User, application: Application) -> bool:
    """The applicant, leads and admins; reviewers only the applications assigned to them."""
    if is_owner(user, application) or user.has_role(Role.LEAD, Role.ADMIN):
        return True
    return user.has_role(Role.REVIEWER) and any(
        review.reviewer_id == user.id for review in application.reviews
    )


def can_score(user: User, assignment: ReviewAssignment) -> bool:
    return user.has_role(Role.REVIEWER) and assignment.reviewer_id == user.id
