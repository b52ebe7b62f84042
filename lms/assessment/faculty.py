"""The faculty: everyone holding a valid award (not revoked, not expired). They can be
allocated sets in any later intake (SPEC section 8)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa

from lms.applications.models import IntakeFacilitator
from lms.applications.queries import FacilitatorProfile, profiles_where
from lms.assessment.models import Award
from lms.db_types import utcnow
from lms.extensions import db


def valid_award(now: datetime | None = None):
    """A condition on ``Award``: the award stands now."""
    now = now or utcnow()
    return sa.and_(
        Award.revoked_at.is_(None), sa.or_(Award.expires_at.is_(None), Award.expires_at > now)
    )


def faculty_ids(user_ids: Iterable[int] | None = None, now: datetime | None = None) -> set[int]:
    """Holders of an award that stands now, optionally among ``user_ids``. One query."""
    query = db.select(Award.user_id).where(valid_award(now))
    if user_ids is not None:
        ids = set(user_ids)
        if not ids:
            return set()
        query = query.where(Award.user_id.in_(ids))
    return set(db.session.scalars(query.distinct()))


def is_faculty(user_id: int) -> bool:
    return bool(faculty_ids([user_id]))


def faculty_profiles() -> list[FacilitatorProfile]:
    """Each faculty member's profile, from the intake they were awarded in (one query)."""
    awarded_here = sa.exists().where(
        Award.user_id == IntakeFacilitator.user_id,
        Award.intake_id == IntakeFacilitator.intake_id,
        valid_award(),
    )
    profiles = profiles_where(awarded_here)
    seen: set[int] = set()
    unique = []
    for profile in profiles:
        if profile.user.id not in seen:
            seen.add(profile.user.id)
            unique.append(replace(profile, faculty=True))
    return unique
