"""Signed-in sessions: a record per sign-in, checked on every request, ended by signing
out, a password change or reset, an administrator, "sign out everywhere", or time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login.utils import encode_cookie

from lms.accounts import services, sessions
from lms.accounts.models import Role
from lms.accounts.sessions import UserSession
from lms.audit import AuditEvent
from lms.db_types import utcnow
from tests.conftest import PASSWORD, sign_in

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def signed_in(client) -> bool:
    response = client.get("/account")
    return response.status_code == 200


def sid_of(client) -> str | None:
    with client.session_transaction() as cookie:
        return cookie.get("sid")


def open_records(db, user) -> list[UserSession]:
    return list(
        db.session.scalars(
            db.select(UserSession).where(
                UserSession.user_id == user.id, UserSession.ended_at.is_(None)
            )
        )
    )


@pytest.fixture
def two_browsers(app, make_user):
    """One person signed in on two clients."""
    user = make_user(Role.FACILITATOR)
    first, second = app.test_client(), app.test_client()
    sign_in(first, user)
    sign_in(second, user)
    assert signed_in(first) and signed_in(second)
    return user, first, second


def test_signing_in_keeps_only_a_hash_of_the_token(db, client, make_user):
    user = make_user()
    sign_in(client, user)
    token = sid_of(client)
    [record] = open_records(db, user)
    assert token and record.token_hash == sessions.token_hash(token) != token
    assert record.created_at == record.last_seen_at == record.authenticated_at
    assert record.two_factor_at is None  # this person has no second factor


def test_signing_out_in_one_browser_ends_only_that_session(db, two_browsers):
    user, first, second = two_browsers
    first.post("/sign-out")
    assert not signed_in(first)
    assert signed_in(second)
    assert len(open_records(db, user)) == 1


def test_a_copied_cookie_stops_working_when_its_session_ends(app, db, make_user):
    user = make_user()
    original = app.test_client()
    sign_in(original, user)
    with original.session_transaction() as cookie:
        stolen = dict(cookie)
    thief = app.test_client()
    with thief.session_transaction() as cookie:
        cookie.update(stolen)
    assert signed_in(thief)  # the same cookie is the same session...
    original.post("/sign-out")
    assert not signed_in(thief)  # ...so signing out ends every copy of it


def test_the_token_changes_at_every_sign_in_and_an_old_one_is_useless(app, db, make_user):
    user = make_user()
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["sid"] = "planted-before-sign-in"  # fixation: must not survive
    sign_in(client, user)
    first = sid_of(client)
    assert first != "planted-before-sign-in"
    client.post("/sign-out")
    sign_in(client, user)
    second = sid_of(client)
    assert second != first
    copy = app.test_client()
    with copy.session_transaction() as cookie:
        cookie["_user_id"] = str(user.id)
        cookie["sid"] = first
    assert not signed_in(copy)


def test_changing_the_password_ends_the_other_sessions_and_rotates_this_one(db, two_browsers):
    user, first, second = two_browsers
    before = sid_of(first)
    response = first.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert signed_in(first)
    assert sid_of(first) != before
    assert not signed_in(second)
    assert len(open_records(db, user)) == 1
    ended = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "account.sessions_ended")
    )
    assert ended.detail == {"reason": "password changed", "count": 1}


def test_a_wrong_current_password_ends_nothing(db, two_browsers):
    _user, first, second = two_browsers
    first.post(
        "/account/password",
        data={
            "current_password": "not the password",
            "new_password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert signed_in(first) and signed_in(second)


def test_resetting_the_password_ends_every_session(app, db, two_browsers):
    user, first, second = two_browsers
    token = services.request_password_reset(user.email)
    response = first.post(
        f"/reset-password/{token}",
        data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert not signed_in(first) and not signed_in(second)
    assert open_records(db, user) == []


def test_an_administrator_disabling_the_account_ends_every_session(app, db, two_browsers, login_as):
    user, first, second = two_browsers
    admin = login_as(Role.ADMIN)
    assert admin.post(f"/admin/people/{user.id}/active").status_code == 302
    assert not signed_in(first) and not signed_in(second)
    assert open_records(db, user) == []


def test_sign_out_everywhere_ends_every_session_including_this_one(db, two_browsers):
    user, first, second = two_browsers
    response = first.post("/account/sign-out-everywhere")
    assert response.status_code == 302 and response.location == "/sign-in"
    page = first.get("/sign-in").get_data(as_text=True)
    assert "You have signed out on every device, including this one" in page
    assert not signed_in(first) and not signed_in(second)
    assert open_records(db, user) == []


def test_sign_out_everywhere_needs_a_sign_in(client):
    response = client.post("/account/sign-out-everywhere")
    assert response.status_code == 302 and response.location.startswith("/sign-in?next=")


def test_the_account_page_lists_the_open_sessions(app, db, make_user):
    user = make_user()
    laptop = app.test_client()
    laptop.environ_base["HTTP_USER_AGENT"] = FIREFOX
    phone = app.test_client()
    phone.environ_base["HTTP_USER_AGENT"] = SAFARI
    sign_in(laptop, user)
    sign_in(phone, user)
    page = laptop.get("/account").get_data(as_text=True)
    assert "Your sessions" in page
    assert "Firefox on Windows <strong>(this browser)</strong>" in page
    assert "Safari on iPhone" in page
    assert 'action="/account/sign-out-everywhere"' in page


def test_a_session_ends_after_the_idle_time(app, db, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    user = make_user()
    sign_in(client, user)
    [record] = open_records(db, user)
    record.last_seen_at = utcnow() - timedelta(minutes=4)
    assert signed_in(client)  # 4 minutes idle: still fine (and now active again)
    record = db.session.get(UserSession, record.id)
    record.last_seen_at = utcnow() - timedelta(minutes=6)
    response = client.get("/account")
    assert response.status_code == 302 and response.location.startswith("/sign-in?next=")
    page = client.get(response.location).get_data(as_text=True)
    assert "You were signed out because you had not done anything for 5 minutes" in page
    assert "Sign in to see this page" not in page
    assert db.session.get(UserSession, record.id).ended_at is not None
    assert not signed_in(client)


def test_a_session_ends_after_its_lifetime_however_active(app, db, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_MAX_HOURS", 2)
    user = make_user()
    sign_in(client, user)
    [record] = open_records(db, user)
    record.created_at = utcnow() - timedelta(hours=2, minutes=1)
    record.last_seen_at = utcnow()
    response = client.get("/")
    assert response.status_code == 200  # the home page is public: shown signed out
    page = response.get_data(as_text=True)
    assert "You were signed out because you had been signed in for 2 hours" in page
    assert not signed_in(client)


def test_the_defaults_are_30_minutes_idle_and_12_hours_in_all(app):
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    assert app.config["SESSION_MAX_HOURS"] == 12
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)


def test_activity_is_written_at_most_once_a_minute(db, client, make_user, count_queries):
    user = make_user()
    sign_in(client, user)
    client.get("/account")
    with count_queries() as quiet:
        assert client.get("/account").status_code == 200
    assert not any(
        "user_session" in s and s.lstrip().startswith("UPDATE") for s in quiet.statements
    )
    [record] = open_records(db, user)
    record.last_seen_at = utcnow() - timedelta(minutes=2)
    db.session.flush()
    with count_queries() as touched:
        assert client.get("/account").status_code == 200
    updates = [s for s in touched.statements if s.lstrip().startswith("UPDATE user_session")]
    assert len(updates) == 1
    assert touched.count == quiet.count + 1
    assert utcnow() - db.session.get(UserSession, record.id).last_seen_at < timedelta(minutes=1)


def test_the_person_and_session_load_in_one_statement(db, client, make_user, count_queries):
    user = make_user(Role.FACILITATOR)
    sign_in(client, user)
    client.get("/account")
    with count_queries() as counted:
        client.get("/account")
    loads = [s for s in counted.statements if "user_session" in s]
    assert len(loads) == 2  # the loader's join, and the account page's list of sessions
    assert "JOIN user_session" in loads[0] and "user_role" in loads[0]


def test_a_remember_cookie_signs_nobody_in(app, db, client, make_user):
    user = make_user()
    with app.test_request_context():
        forged = encode_cookie(str(user.id))  # what "keep me signed in" used to set
    client.set_cookie("remember_token", forged)
    assert not signed_in(client)


def test_a_disabled_account_is_signed_out_even_with_an_open_session(db, client, make_user):
    user = make_user()
    sign_in(client, user)
    user.is_active = False  # directly, not through the service that ends the sessions
    db.session.flush()
    assert not signed_in(client)


def test_sign_out_records_the_end(db, client, make_user):
    user = make_user()
    sign_in(client, user)
    [record] = open_records(db, user)
    client.post("/sign-out")
    assert db.session.get(UserSession, record.id).ended_at is not None
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "account.signed_out"))


def test_old_records_are_cleared_at_the_next_sign_in(db, client, make_user):
    user = make_user()
    sign_in(client, user)
    client.post("/sign-out")
    [old] = db.session.scalars(db.select(UserSession).where(UserSession.user_id == user.id))
    old.ended_at = utcnow() - timedelta(days=2)
    db.session.flush()
    sign_in(client, user)
    db.session.expire_all()
    [remaining] = db.session.scalars(db.select(UserSession).where(UserSession.user_id == user.id))
    assert remaining.ended_at is None  # only the new session is left


@pytest.mark.parametrize(
    ("agent", "words"),
    [
        (FIREFOX, "Firefox on Windows"),
        (SAFARI, "Safari on iPhone"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge on macOS",
        ),
        ("curl/8.5", "Unknown browser"),
        (None, "Unknown browser"),
    ],
)
def test_browsers_are_described_in_a_few_words(app, agent, words):
    with app.test_request_context():
        assert sessions.describe_browser(agent) == words
