"""Two-factor sign-in: setting it up, the code step, codes used once, recovery codes, the
roles that must use it, and turning it off."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pyotp
import pytest

from lms.accounts import two_factor
from lms.accounts.models import Role
from lms.accounts.sessions import UserSession
from lms.accounts.two_factor import RecoveryCode, TwoFactor
from lms.audit import AuditEvent
from lms.db_types import utcnow
from tests.conftest import PASSWORD, TOTP_SECRET, fresh_code, sign_in


def code_at(secret: str, when) -> str:
    return pyotp.TOTP(secret).at(when)


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def secret_on(page: str) -> str:
    return re.search(r'id="two-factor-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def recovery_codes_on(page: str) -> list[str]:
    return re.findall(r"<code[^>]*>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", page)


def set_up(client) -> tuple[str, list[str]]:
    """Turn two-factor on from the account page; returns the secret and recovery codes."""
    assert client.post("/account/two-factor/start").status_code == 302
    page = client.get("/account/two-factor/set-up").get_data(as_text=True)
    secret = secret_on(page)
    response = client.post("/account/two-factor/set-up", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    return secret, recovery_codes_on(response.get_data(as_text=True))


# --- Setting it up ---------------------------------------------------------------------------


def test_anyone_can_set_up_two_factor_from_the_account_page(db, login_as):
    client = login_as(Role.FACILITATOR)
    account = client.get("/account").get_data(as_text=True)
    assert "Two-factor authentication" in account and 'href="/account/two-factor"' in account
    status = client.get("/account/two-factor").get_data(as_text=True)
    assert "Two-factor authentication is off" in status

    start = client.get("/account/two-factor/set-up").get_data(as_text=True)
    assert 'action="/account/two-factor/start"' in start
    assert two_factor.record_for(client.user) is None  # a GET changes nothing

    client.post("/account/two-factor/start")
    page = client.get("/account/two-factor/set-up").get_data(as_text=True)
    assert "<svg" in page  # the QR code, drawn inline
    secret = secret_on(page)
    record = two_factor.record_for(client.user)
    assert record.secret == secret and record.confirmed_at is None

    wrong = client.post("/account/two-factor/set-up", data={"code": "000000"})
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 200 and "There is a problem" in text
    assert "The code is not correct" in text and 'value="000000"' not in text

    done = client.post("/account/two-factor/set-up", data={"code": pyotp.TOTP(secret).now()})
    codes = recovery_codes_on(done.get_data(as_text=True))
    assert len(codes) == len(set(codes)) == 10
    assert "This is the only time we will show them" in done.get_data(as_text=True)
    assert two_factor.is_enabled(client.user)
    status = client.get("/account/two-factor").get_data(as_text=True)
    assert "Two-factor authentication is on" in status and "10 recovery codes left" in status
    stored = db.session.scalars(db.select(RecoveryCode.code_hash)).all()
    assert not any(code.replace("-", "") in stored or code in stored for code in codes)


def test_turning_two_factor_on_signs_out_the_other_browsers(app, db, make_user):
    user = make_user(Role.FACILITATOR)
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, user)
    sign_in(elsewhere, user)
    set_up(here)
    assert signed_in(here) and not signed_in(elsewhere)


def test_setting_up_again_once_on_is_refused(db, login_as):
    client = login_as(Role.FACILITATOR)
    set_up(client)
    assert client.post("/account/two-factor/start").location == "/account/two-factor"
    assert client.get("/account/two-factor/set-up").location == "/account/two-factor"
    with pytest.raises(two_factor.TwoFactorError):
        two_factor.begin_setup(client.user)


# --- Signing in with a code --------------------------------------------------------------------


def test_signing_in_asks_for_the_code_after_the_password(db, client, make_user):
    user = make_user(Role.FACILITATOR, two_factor=True)
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/sign-in/code"
    assert not signed_in(client)  # nothing but the password yet
    page = client.get("/sign-in/code").get_data(as_text=True)
    assert "Enter the code from your authenticator app" in page
    assert 'autocomplete="one-time-code"' in page

    wrong = client.post("/sign-in/code", data={"code": "123456"})
    assert wrong.status_code == 200
    text = wrong.get_data(as_text=True)
    assert "The code is not correct" in text and 'value="123456"' not in text
    assert not signed_in(client)

    right = client.post("/sign-in/code", data={"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert right.status_code == 302 and right.location == "/"
    assert signed_in(client)
    record = db.session.scalar(db.select(UserSession).where(UserSession.user_id == user.id))
    assert record.two_factor_at is not None


def test_the_code_step_keeps_where_the_person_was_going(db, client, make_user):
    user = make_user(Role.FACILITATOR, two_factor=True)
    client.post(
        "/sign-in?next=/account/access-needs", data={"email": user.email, "password": PASSWORD}
    )
    response = client.post("/sign-in/code", data={"code": fresh_code(user)})
    assert response.location == "/account/access-needs"


def test_the_code_step_without_a_password_goes_back_to_sign_in(client):
    assert client.get("/sign-in/code").location == "/sign-in"
    assert client.post("/sign-in/code", data={"code": "123456"}).location == "/sign-in"


def test_the_code_step_runs_out_after_five_minutes(db, client, make_user):
    user = make_user(Role.FACILITATOR, two_factor=True)
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as cookie:
        cookie["2fa_at"] = int(time.time()) - 301
    response = client.post("/sign-in/code", data={"code": fresh_code(user)})
    assert response.location == "/sign-in"
    assert "You took too long to enter your code" in client.get("/sign-in").get_data(as_text=True)
    assert not signed_in(client)


def test_a_code_works_only_once(db, make_user):
    user = make_user(Role.FACILITATOR, two_factor=True)
    now = utcnow()
    code = code_at(TOTP_SECRET, now)
    assert two_factor.verify(user, code, now)
    assert not two_factor.verify(user, code, now)  # the same 30 seconds
    assert not two_factor.verify(user, code_at(TOTP_SECRET, now - timedelta(seconds=30)), now)
    assert two_factor.verify(user, code_at(TOTP_SECRET, now + timedelta(seconds=30)), now)


def test_a_code_from_the_next_or_last_step_is_accepted_but_not_further(db, make_user):
    user = make_user(Role.FACILITATOR, two_factor=True)
    now = utcnow()
    assert not two_factor.verify(user, code_at(TOTP_SECRET, now - timedelta(seconds=90)), now)
    assert not two_factor.verify(user, code_at(TOTP_SECRET, now + timedelta(seconds=90)), now)
    assert two_factor.verify(user, code_at(TOTP_SECRET, now - timedelta(seconds=30)), now)


def test_a_code_used_to_sign_in_cannot_sign_in_again(app, db, make_user):
    user = make_user(Role.FACILITATOR, two_factor=True)
    first, second = app.test_client(), app.test_client()
    code = fresh_code(user)
    for client in (first, second):
        client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert first.post("/sign-in/code", data={"code": code}).status_code == 302
    assert second.post("/sign-in/code", data={"code": code}).status_code == 200
    assert signed_in(first) and not signed_in(second)


def test_a_recovery_code_signs_in_once(app, db, login_as):
    client = login_as(Role.FACILITATOR)
    _secret, codes = set_up(client)
    client.post("/sign-out")
    user = client.user
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    spaced = codes[0].upper().replace("-", " ")  # however it is typed
    assert client.post("/sign-in/code", data={"code": spaced}).status_code == 302
    assert signed_in(client)
    assert two_factor.recovery_codes_left(user) == 9
    assert db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "account.recovery_code_used")
    )
    client.post("/sign-out")
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert client.post("/sign-in/code", data={"code": codes[0]}).status_code == 200
    assert not signed_in(client)


def test_new_recovery_codes_replace_the_old_ones(db, login_as):
    client = login_as(Role.FACILITATOR)
    _secret, old = set_up(client)
    response = client.post("/account/two-factor/recovery-codes")
    new = recovery_codes_on(response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert not two_factor.verify(client.user, old[1])
    assert two_factor.verify(client.user, new[1])


def test_wrong_codes_are_limited_per_account(db, client, make_user):
    user = make_user(Role.FACILITATOR, two_factor=True)
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    for _ in range(5):
        assert client.post("/sign-in/code", data={"code": "000000"}).status_code == 200
    response = client.post("/sign-in/code", data={"code": fresh_code(user)})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert not signed_in(client)


# --- Roles that need it ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMIN, Role.LEAD, Role.SUPERVISOR])
def test_roles_that_need_two_factor_are_sent_to_set_it_up(db, client, make_user, role):
    user = make_user(role, two_factor=False)
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302  # signed in with the password alone...
    for path in ("/", "/account", "/account/two-factor", "/notifications"):
        gated = client.get(path)
        assert gated.status_code == 302 and gated.location == "/account/two-factor/set-up", path
    page = client.get("/account/two-factor/set-up").get_data(as_text=True)
    assert "Your role needs two-factor authentication" in page
    assert client.post("/language", data={"language": "en"}).status_code == 302
    with client.get("/static/css/app.css") as static:
        assert static.status_code == 200

    set_up(client)  # ...and once it is set up, every page opens
    assert client.get("/").status_code == 200
    assert signed_in(client)


def test_someone_given_a_role_that_needs_it_is_sent_to_set_it_up(db, login_as):
    client = login_as(Role.FACILITATOR)
    assert signed_in(client)
    client.user.role_grants.append(two_factor_role_grant())
    db.session.flush()
    assert client.get("/account").location == "/account/two-factor/set-up"


def two_factor_role_grant():
    from lms.accounts.models import UserRole

    return UserRole(role=Role.SUPERVISOR)


def test_people_whose_role_needs_it_cannot_turn_it_off(db, login_as):
    client = login_as(Role.LEAD)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "Your role needs two-factor authentication, so you cannot turn it off" in page
    assert "/account/two-factor/turn-off" not in page
    response = client.post("/account/two-factor/turn-off")
    assert response.location == "/account/two-factor"
    assert two_factor.is_enabled(client.user)
    with pytest.raises(two_factor.TwoFactorError):
        two_factor.disable(client.user)


def test_others_can_turn_it_off(db, login_as):
    client = login_as(Role.FACILITATOR)
    set_up(client)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert 'action="/account/two-factor/turn-off"' in page
    response = client.post("/account/two-factor/turn-off")
    assert response.location == "/account/two-factor"
    assert not two_factor.is_enabled(client.user)
    assert db.session.scalar(db.select(db.func.count(RecoveryCode.id))) == 0
    assert db.session.scalar(db.select(db.func.count(TwoFactor.id))) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/account/two-factor",
        "/account/two-factor/set-up",
    ],
)
def test_two_factor_pages_need_a_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.location.startswith("/sign-in?next=")


@pytest.mark.parametrize(
    "path",
    [
        "/account/two-factor/start",
        "/account/two-factor/set-up",
        "/account/two-factor/recovery-codes",
        "/account/two-factor/turn-off",
    ],
)
def test_two_factor_actions_need_a_sign_in(client, path):
    response = client.post(path)
    assert response.status_code == 302 and response.location.startswith("/sign-in?next=")


def test_the_cli_prints_the_current_code_for_development(app, db, make_user):
    user = make_user(Role.LEAD)
    result = app.test_cli_runner().invoke(args=["totp-code", user.email])
    assert result.exit_code == 0
    assert result.output.strip() == pyotp.TOTP(TOTP_SECRET).now()
    without = make_user(Role.FACILITATOR)
    result = app.test_cli_runner().invoke(args=["totp-code", without.email])
    assert result.exit_code != 0 and "has no two-factor authentication" in result.output


def test_demo_accounts_that_need_it_have_the_published_secret(app, db):
    from lms.accounts import services
    from lms.demo import DEMO_TOTP_SECRET

    app.test_cli_runner().invoke(args=["seed", "demo"])
    for email in ("admin@", "lead@", "supervisor@", "supervisor2@"):
        record = two_factor.record_for(services.find_user_by_email(email + "example.org"))
        assert record.secret == DEMO_TOTP_SECRET and record.confirmed_at is not None
    assert two_factor.record_for(services.find_user_by_email("trainee@example.org")) is None
