"""Operator commands: demo seed and create-admin."""

import pytest

from lms.accounts.models import Role, User
from lms.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.conftest import sign_in


def _users(db):
    return {u.email: u for u in db.session.scalars(db.select(User))}


def test_seed_demo_creates_one_account_per_role_and_is_idempotent(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    for account in DEMO_ACCOUNTS:
        assert account.email in result.output
    assert DEMO_PASSWORD in result.output
    users = _users(db)
    assert {a.email for a in DEMO_ACCOUNTS} <= set(users)
    assert {users[a.email].roles[0] for a in DEMO_ACCOUNTS} == set(Role)
    again = runner.invoke(args=["seed", "demo"])
    assert again.exit_code == 0
    assert len(_users(db)) == len(users)


def test_demo_accounts_can_sign_in(app, db, client):
    app.test_cli_runner().invoke(args=["seed", "demo"])
    lead = db.session.scalar(db.select(User).where(User.email == "lead@example.org"))
    sign_in(client, lead, DEMO_PASSWORD)  # with the demo's two-factor code
    assert "Programme lead" in client.get("/").get_data(as_text=True)


def test_create_admin_makes_a_new_admin(app, db):
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--email",
            "Ops@Example.org",
            "--name",
            "Ops Person",
            "--password",
            "a long operator passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    assert _users(db)["ops@example.org"].roles == [Role.ADMIN]


def test_create_admin_refuses_a_weak_password(app, db):
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--email",
            "ops@example.org",
            "--name",
            "Ops",
            "--password",
            "password1234",
        ]
    )
    assert result.exit_code != 0
    assert "too common" in result.output
    assert "ops@example.org" not in _users(db)


def test_create_admin_promotes_an_existing_account(app, db, make_user):
    user = make_user(Role.LEAD, email="existing@example.org")
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "existing@example.org", "--name", "x", "--password", "x"]
    )
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert user.has_role(Role.ADMIN) and user.has_role(Role.LEAD)


def test_worker_command_explains_when_redis_is_not_configured(app, db):
    if app.config.get("REDIS_URL"):
        pytest.skip("REDIS_URL is set: the worker would start")
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output
