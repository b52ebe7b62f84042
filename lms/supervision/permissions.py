"""Who may do what in supervision (SPEC section 9: supervision notes, portfolio).

- Leads form groups, move people, and read every group, its sessions, registers, shared
  summaries and cases. They do not run sessions or read anyone's private notes.
- A supervisor runs their own groups: schedules sessions, keeps registers, writes notes,
  responds to cases. Another group's supervisor sees nothing of it.
- A facilitator sees their own group, its sessions and shared summaries, their own
  attendance, and their own cases. Private notes are read only by the person who wrote
  them, whoever else is looking.
- Admins manage accounts, not supervision: no access here.
"""

from __future__ import annotations

from lms.accounts.models import Role, User
from lms.supervision import queries, services
from lms.supervision.models import SupervisionCase, SupervisionGroup, SupervisionSession


def can_manage_groups(user: User) -> bool:
    return user.has_role(Role.LEAD)


def runs(user: User, group: SupervisionGroup) -> bool:
    """The group's supervisor (who still holds the role)."""
    return group.supervisor_id == user.id and user.has_role(Role.SUPERVISOR)


def can_see_group(user: User, group: SupervisionGroup) -> bool:
    if user.has_role(Role.LEAD) or runs(user, group):
        return True
    return user.has_role(Role.FACILITATOR) and queries.is_current_member(user.id, group.id)


def can_see_session(user: User, session: SupervisionSession) -> bool:
    """Its group's people, and anyone on its register (who has since moved group)."""
    if can_see_group(user, session.group):
        return True
    return user.has_role(Role.FACILITATOR) and queries.on_register(user.id, session.id)


def can_run_session(user: User, session: SupervisionSession) -> bool:
    return runs(user, session.group)


def can_bring_case(user: User, group: SupervisionGroup) -> bool:
    return user.has_role(Role.FACILITATOR) and queries.is_current_member(user.id, group.id)


def can_bring_case_to(user: User, session: SupervisionSession) -> bool:
    return can_bring_case(user, session.group) and services.can_take_case(session)


def can_see_case(user: User, case: SupervisionCase) -> bool:
    """The facilitator who brought it, their group's supervisor, and leads."""
    if case.user_id == user.id:
        return True
    return user.has_role(Role.LEAD) or runs(user, case.group)


def can_edit_case(user: User, case: SupervisionCase) -> bool:
    return case.user_id == user.id and case.responded_at is None


def can_respond_to_case(user: User, case: SupervisionCase) -> bool:
    return runs(user, case.group) and case.user_id != user.id
