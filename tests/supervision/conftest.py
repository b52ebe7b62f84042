"""Fixtures for supervision: an intake with facilitators, a supervisor, and a group."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.curriculum.services import join_intake
from lms.db_types import utcnow
from lms.supervision import services
from lms.supervision.models import SessionMode, SupervisionSession


@pytest.fixture
def intake(make_intake):
    return make_intake(name="Supervision intake")


@pytest.fixture
def lead(make_user):
    return make_user(Role.LEAD, name="Lena Lead")


@pytest.fixture
def supervisor(make_user):
    return make_user(Role.SUPERVISOR, name="Sam Supervisor")


@pytest.fixture
def make_member(make_user, intake):
    def make(**fields):
        user = make_user(Role.FACILITATOR, **fields)
        join_intake(intake, user)
        return user

    return make


@pytest.fixture
def members(make_member, make_organisation):
    return [
        make_member(name=f"Member {n}", organisation=make_organisation(f"Trust {n}"))
        for n in range(1, 5)
    ]


@pytest.fixture
def group(intake, supervisor, members, lead):
    return services.create_group(intake, "Group A", supervisor, members, by=lead)


def add_session(group, *, hours: float = 48, minutes: int = 90, **changes) -> SupervisionSession:
    """A session ``hours`` from now (negative: in the past), online, made directly so past
    sessions can exist."""
    from lms.extensions import db

    starts = (utcnow() + timedelta(hours=hours)).replace(second=0, microsecond=0)
    session = SupervisionSession(
        group_id=group.id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        mode=SessionMode.ONLINE,
        joining_link="https://meet.example.org/sup",
        **changes,
    )
    db.session.add(session)
    db.session.flush()
    return session
