"""``flask seed scale``: a realistic national programme, built quickly and reproducibly.

At factor 1: 20 intakes, 150 organisations, the programme team, about 2,000 trainee
facilitators (accepted applicants) among applications in every status, 12,000 GMTS
trainees in 2,000 sets with about 12,000 sessions and everything a held session leaves
behind, supervision, buddies, training progress, observations and awards. Every count
scales with the factor (with small minimums, so a tiny factor still gives a bit of
everything), and the same factor and seed always give the same data.

Rows are built in memory as plain dicts by the modules beside this one, with ids we
choose (after what the tables hold already), then written with bulk inserts
(:mod:`lms.scale.bulk`). One argon2 hash of :data:`SCALE_PASSWORD` serves every account:
hashing 15,000 passwords would take longer than everything else together.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import sqlalchemy as sa

from lms.accounts.models import User
from lms.accounts.passwords import hash_password
from lms.extensions import db
from lms.scale import applications, awards, learning, people, practice, sessions
from lms.scale.bulk import Context, write
from lms.scale.people import PROGRAMME_DAYS, programme_period

SCALE_PASSWORD = "action-learning-scale"  # noqa: S105 - published, for scale data only
EMAIL_PATTERN = "scale.%@example.org"
EXAMPLE_ACCOUNTS = {
    "lead": "scale.lead.1@example.org",
    "supervisor": "scale.supervisor.001@example.org",
    "facilitator": "scale.facilitator.00001@example.org",
    "trainee": "scale.trainee.00001@example.org",
}

__all__ = [
    "EXAMPLE_ACCOUNTS",
    "PROGRAMME_DAYS",
    "SCALE_PASSWORD",
    "ScaleDataExists",
    "programme_period",
    "seed_scale",
]


class ScaleDataExists(RuntimeError):
    """The database already holds scale data: seeding again would duplicate it."""


def has_scale_data() -> bool:
    return (
        db.session.scalar(sa.select(User.id).where(User.email.like(EMAIL_PATTERN)).limit(1))
        is not None
    )


def seed_scale(factor: float = 1.0, seed: int = 2026, now: datetime | None = None) -> dict:
    """Build the scale data set and commit it; returns the rows added per table."""
    if factor <= 0:
        raise ValueError("the factor must be more than 0")
    if has_scale_data():
        raise ScaleDataExists(
            "This database already has scale data (accounts like scale.lead.1@example.org). "
            "Start from an empty database to seed it again."
        )
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    modules = _modules()
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    ctx = Context(rng=rng, now=now, factor=factor)
    ctx.shared.update(
        password_hash=hash_password(SCALE_PASSWORD),
        names={},
        user_rows={},
        core_done={},
        core_total=sum(1 for m in modules if m["is_core"]),
    )
    people.build_organisations(ctx)
    people.build_staff(ctx)
    people.build_intakes(ctx)
    applications.build_applications(ctx)
    learning.build_curriculum(ctx, modules)
    learning.build_supervision(ctx)
    learning.build_buddies(ctx)
    practice.build_sets(ctx)
    sessions.build_sessions(ctx)
    awards.build_observations(ctx)
    awards.build_awards(ctx)
    counts = write(ctx)
    db.session.commit()
    return counts


def _modules() -> list[dict]:
    """The current modules as plain data, syncing the content folder first if the
    database has none (as ``flask content sync`` would)."""
    from lms.curriculum import queries

    found = queries.current_modules()
    if not found:
        from lms.curriculum.demo_data import load_content

        load_content()
        db.session.commit()
        found = queries.current_modules()
    return [
        {
            "id": module.id,
            "version": module.version,
            "is_core": module.current.is_core,
            "activities": list(module.current.activities),
        }
        for module in found
    ]
