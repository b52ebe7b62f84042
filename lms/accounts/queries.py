"""Read helpers for accounts that several features share."""

from __future__ import annotations

from lms.accounts.models import Role, User, UserRole
from lms.extensions import db


def people_with(*roles: Role) -> list[User]:
    """Active accounts holding any of ``roles``, by name (for choosing a supervisor, who
    runs a workshop day, and so on)."""
    return list(
        db.session.scalars(
            db.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role.in_(roles), User.is_active.is_(True))
            .distinct()
            .order_by(User.name, User.id)
        )
    )
