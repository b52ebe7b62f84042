"""Fixtures for the privacy tests: the demo data, and people from it by email."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lms.accounts.models import User


@pytest.fixture
def demo(db) -> Callable[[str], User]:
    """Seed the demo data; returns a look-up of its people by email address."""
    from lms.demo import seed_demo

    seed_demo()
    db.session.flush()

    def person(email: str) -> User:
        return db.session.scalar(db.select(User).where(User.email == email))

    return person
