"""Accounts: the password reset link is the only account route that takes a value, and the
token in it is the whole credential. Whoever holds a live link gets the form, signed in or
not, whatever their roles; it asks nobody to sign in first."""

from __future__ import annotations

import pytest

from lms.accounts.models import PasswordResetToken, User
from lms.extensions import db
from tests.access_matrix.conftest import PUBLIC, Route, cases, sign_in


def owner_state(w):
    """Owen's password and his link: looking at the form, or posting it empty, changes
    neither."""
    user = db.session.get(User, w.person)
    db.session.refresh(user)
    used = db.session.scalars(
        db.select(PasswordResetToken.used_at).where(PasswordResetToken.user_id == w.person)
    ).all()
    return (user.password_hash, sorted(map(str, used)))


ROUTES = [
    Route(
        "accounts.reset_password",
        lambda w: {"token": w.reset_token},
        default=PUBLIC,
    ),
]


@pytest.mark.parametrize("case", cases(ROUTES))
def test_access(matrix, case):
    matrix.check(case)


@pytest.mark.parametrize("actor", ["anonymous", "facilitator", "admin"])
def test_the_link_changes_only_its_owners_password(world, matrix, actor):
    """Whoever follows Owen's link sets Owen's password, never their own. (A client of its
    own: a successful reset signs out whoever used it.)"""
    from lms.demo import DEMO_PASSWORD

    client = world.app.test_client()
    mine = None
    if actor != "anonymous":
        person = db.session.get(User, world.users[actor])
        sign_in(client, person, DEMO_PASSWORD)
        mine = person.password_hash
    before = owner_state(world)
    response = client.post(
        f"/reset-password/{world.reset_token}",
        data={"password": "a-brand-new-passphrase", "confirm": "a-brand-new-passphrase"},
    )
    assert response.status_code == 302
    assert owner_state(world)[0] != before[0]
    if mine is not None:
        assert db.session.get(User, world.users[actor]).password_hash == mine
