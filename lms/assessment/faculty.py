"""The faculty: everyone holding a valid award (not revoked, not expired). They can be
allocated sets in any later intake (SPEC section 8)."""

from __future__ import annotations

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


def is_faculty(user_id: int) -> bool:
    return (
        db.session.scalar(
            db.select(Award.id).where(Award.user_id == user_id, valid_award()).limit(1)
        )
        is not None
    )


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
