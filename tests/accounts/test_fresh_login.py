"""Sensitive actions need the password typed recently: granting and removing roles,
issuing and revoking awards (erasure uses the same decorator)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.accounts.models import Role, UserRole
from lms.accounts.sessions import UserSession
from lms.assessment import awards
from lms.assessment.models import Award
from lms.db_types import utcnow
from tests.assessment.test_awards import join, submit
from tests.conftest import PASSWORD, fresh_code


def go_stale(db, user, minutes: int = 16) -> None:
    """Make the person's sessions' last password entry ``minutes`` old."""
    db.session.execute(
        db.update(UserSession)
        .where(UserSession.user_id == user.id)
        .values(authenticated_at=utcnow() - timedelta(minutes=minutes))
    )


def roles_of(db, person) -> set[Role]:
    return set(db.session.scalars(db.select(UserRole.role).where(UserRole.user_id == person.id)))


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN)


def test_a_stale_role_grant_goes_to_confirm_identity_and_grants_nothing(db, admin, make_user):
    person = make_user(Role.FACILITATOR)
    go_stale(db, admin.user)
    page = f"http://localhost/admin/people/{person.id}"
    response = admin.post(
        f"/admin/people/{person.id}/roles",
        data={"grant-role": "reviewer"},
        headers={"Referer": page},
    )
    assert response.status_code == 302
    assert response.location == f"/account/confirm-identity?next=/admin/people/{person.id}"
    assert roles_of(db, person) == {Role.FACILITATOR}
    confirm = admin.get(response.location).get_data(as_text=True)
    assert "Confirm it is you" in confirm
    assert "nothing has been changed yet" in confirm

    back = admin.post(
        response.location, data={"password": PASSWORD, "code": fresh_code(admin.user)}
    )
    assert back.status_code == 302 and back.location == f"/admin/people/{person.id}"
    again = admin.post(f"/admin/people/{person.id}/roles", data={"grant-role": "reviewer"})
    assert again.status_code == 302
    assert roles_of(db, person) == {Role.FACILITATOR, Role.REVIEWER}


def test_a_fresh_sign_in_grants_straight_away(db, admin, make_user):
    person = make_user(Role.FACILITATOR)
    go_stale(db, admin.user, minutes=14)
    response = admin.post(f"/admin/people/{person.id}/roles", data={"grant-role": "reviewer"})
    assert response.location == f"/admin/people/{person.id}"
    assert Role.REVIEWER in roles_of(db, person)


def test_a_stale_role_removal_changes_nothing(db, admin, make_user):
    person = make_user(Role.FACILITATOR, Role.REVIEWER)
    go_stale(db, admin.user)
    response = admin.post(f"/admin/people/{person.id}/roles/revoke", data={"role": "reviewer"})
    # No Referer: back to the home page after confirming.
    assert response.location == "/account/confirm-identity?next=/"
    assert Role.REVIEWER in roles_of(db, person)


def test_a_referrer_from_another_site_is_not_a_way_back(db, admin, make_user):
    person = make_user(Role.FACILITATOR)
    go_stale(db, admin.user)
    response = admin.post(
        f"/admin/people/{person.id}/roles",
        data={"grant-role": "reviewer"},
        headers={"Referer": "https://evil.example/admin"},
    )
    assert response.location == "/account/confirm-identity?next=/"


def test_confirm_identity_needs_the_password_and_the_code(db, admin):
    go_stale(db, admin.user)
    url = "/account/confirm-identity?next=/admin/people"
    wrong = admin.post(url, data={"password": "not my password", "code": fresh_code(admin.user)})
    assert wrong.status_code == 200
    assert "Your password is not correct" in wrong.get_data(as_text=True)
    no_code = admin.post(url, data={"password": PASSWORD})
    assert "Enter the code" in no_code.get_data(as_text=True)
    bad_code = admin.post(url, data={"password": PASSWORD, "code": "000000"})
    text = bad_code.get_data(as_text=True)
    assert "The code is not correct" in text and 'value="000000"' not in text
    record = db.session.scalar(db.select(UserSession).where(UserSession.user_id == admin.user.id))
    assert utcnow() - record.authenticated_at > timedelta(minutes=15)  # still stale
    ok = admin.post(url, data={"password": PASSWORD, "code": fresh_code(admin.user)})
    assert ok.location == "/admin/people"
    db.session.refresh(record)
    assert utcnow() - record.authenticated_at < timedelta(minutes=1)


def test_someone_without_two_factor_confirms_with_the_password_alone(db, login_as):
    client = login_as(Role.FACILITATOR)
    page = client.get("/account/confirm-identity").get_data(as_text=True)
    assert 'name="password"' in page and 'name="code"' not in page
    response = client.post(
        "/account/confirm-identity?next=//evil.example/", data={"password": PASSWORD}
    )
    assert response.location == "/"


def test_confirm_identity_needs_a_sign_in(client):
    response = client.get("/account/confirm-identity")
    assert response.status_code == 302 and response.location.startswith("/sign-in?next=")


def test_wrong_passwords_when_confirming_are_limited(db, admin):
    for _ in range(5):
        admin.post("/account/confirm-identity", data={"password": "not my password"})
    response = admin.post(
        "/account/confirm-identity", data={"password": PASSWORD, "code": fresh_code(admin.user)}
    )
    assert response.status_code == 429


def test_the_fresh_login_window_is_configurable(app, db, admin, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "FRESH_LOGIN_MINUTES", 5)
    person = make_user(Role.FACILITATOR)
    go_stale(db, admin.user, minutes=6)
    response = admin.post(f"/admin/people/{person.id}/roles", data={"grant-role": "reviewer"})
    assert response.location.startswith("/account/confirm-identity")


# --- Awards ---------------------------------------------------------------------------------


@pytest.fixture
def award_world(db, make_user, make_intake, login):
    intake = make_intake(name="Fresh intake")
    lead = make_user(Role.LEAD)
    holder, other = make_user(Role.FACILITATOR), make_user(Role.FACILITATOR)
    for person in (holder, other):
        join(person, intake)
    award = awards.issue_award(submit(holder, intake, "holder@personal.example"), lead)
    waiting = submit(other, intake, "other@personal.example")
    client = login(lead)
    go_stale(db, lead)
    return {"client": client, "award": award, "waiting": waiting, "other": other, "lead": lead}


def test_a_stale_award_issue_issues_nothing(db, award_world):
    client, waiting = award_world["client"], award_world["waiting"]
    response = client.post(
        f"/lead/portfolios/{waiting.id}/issue",
        headers={"Referer": f"http://localhost/lead/portfolios/{waiting.id}"},
    )
    assert response.location == f"/account/confirm-identity?next=/lead/portfolios/{waiting.id}"
    assert (
        db.session.scalar(db.select(Award).where(Award.user_id == award_world["other"].id)) is None
    )


def test_a_stale_award_revoke_page_asks_to_confirm_first(db, award_world):
    client, award = award_world["client"], award_world["award"]
    path = f"/lead/awards/award/{award.id}/revoke"
    response = client.get(path)
    assert response.location == f"/account/confirm-identity?next={path}"
    posted = client.post(path, data={"reason": "Issued in error"})
    assert posted.location.startswith("/account/confirm-identity")
    db.session.refresh(award)
    assert award.revoked_at is None
    client.post(
        response.location,
        data={"password": PASSWORD, "code": fresh_code(award_world["lead"])},
    )
    assert client.get(path).status_code == 200
    assert client.post(path, data={"reason": "Issued in error"}).status_code == 302
    db.session.refresh(award)
    assert award.revoked_at is not None
