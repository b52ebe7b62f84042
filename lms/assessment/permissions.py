"""Who may see and do what with portfolios and awards (SPEC section 9).

- A facilitator builds their own portfolio, uploads to it, submits it and holds their
  award; nobody else changes it.
- A supervisor reads the portfolios (and uploaded files) of the facilitators in groups
  they run now.
- Leads read every portfolio, set each intake's criteria, review submissions, and issue,
  renew and revoke awards.
- Reviewers, trainees, applicants and admins have no access to portfolios.
- The verification page is public and shows only name, award, issue date and status.
"""

from __future__ import annotations

from lms.accounts.models import Role, User
from lms.assessment.models import Award, EvidenceUpload


def supervises(user: User, facilitator_id: int) -> bool:
    """``user`` runs a supervision group the facilitator is in now (never themselves)."""
    from lms.supervision.observation_permissions import supervises as runs_their_group

    return user.id != facilitator_id and runs_their_group(user, facilitator_id)


def is_lead(user: User) -> bool:
    return user.has_role(Role.LEAD)


def owns_portfolio(user: User) -> bool:
    return user.has_role(Role.FACILITATOR)


def can_view_portfolio(user: User, owner_id: int) -> bool:
    if user.id == owner_id:
        return user.has_role(Role.FACILITATOR)
    return is_lead(user) or supervises(user, owner_id)


def can_download(user: User, upload: EvidenceUpload) -> bool:
    return can_view_portfolio(user, upload.owner_id)


def can_change_upload(user: User, upload: EvidenceUpload) -> bool:
    return user.id == upload.owner_id and owns_portfolio(user)


def holds(user: User, award: Award) -> bool:
    return award.user_id == user.id


def can_see_award(user: User, award: Award) -> bool:
    """The holder and leads open an award's own page, certificate and credential."""
    return holds(user, award) or is_lead(user)
