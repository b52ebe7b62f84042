"""The admin's erase page: only admins, never themselves, never twice, and only once the
person's email address is typed correctly, with a recent sign-in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.audit import AuditEvent
from lms.db_types import utcnow


def erase_url(person) -> str:
    return f"/admin/people/{person.id}/erase"


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_only_admins_may_erase_people(login_as, make_user, db, role):
    person = make_user(Role.APPLICANT)
    client = login_as(role)
    assert client.get(erase_url(person)).status_code == 403
    assert client.post(erase_url(person), data={"email": person.email}).status_code == 403
    db.session.refresh(person)
    assert person.erased_at is None and person.is_active


def test_anonymous_people_are_asked_to_sign_in(client, make_user):
    person = make_user(Role.APPLICANT)
    response = client.post(erase_url(person), data={"email": person.email})
    assert response.status_code == 302 and "/sign-in" in response.location


def test_the_person_page_links_to_erasure_and_says_when_it_was_done(login_as, make_user):
    admin = login_as(Role.ADMIN)
    person = make_user(Role.APPLICANT, name="Nia Pugh", email="nia@example.org")
    page = admin.get(f"/admin/people/{person.id}").get_data(as_text=True)
    assert f'href="{erase_url(person)}"' in page
    explained = admin.get(erase_url(person)).get_data(as_text=True)
    assert "This cannot be undone" in explained and "nia@example.org" in explained
    admin.post(erase_url(person), data={"email": "nia@example.org"})
    page = admin.get(f"/admin/people/{person.id}").get_data(as_text=True)
    assert "personal data was erased on" in page and f'href="{erase_url(person)}"' not in page
    listing = admin.get("/admin/people").get_data(as_text=True)
    assert f"Erased person {person.id}" in listing and "Nia Pugh" not in listing


def test_a_wrong_email_address_keeps_the_page_with_the_error(login_as, make_user, db):
    admin = login_as(Role.ADMIN)
    person = make_user(Role.FACILITATOR, email="owain@example.org")
    response = admin.post(erase_url(person), data={"email": "owen@example.org"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "The email address does not match" in page
    assert 'value="owen@example.org"' in page
    assert admin.post(erase_url(person), data={"email": ""}).status_code == 400
    db.session.refresh(person)
    assert person.erased_at is None and person.email == "owain@example.org"


def test_erasing_is_audited_and_refused_the_second_time(login_as, make_user, db):
    admin = login_as(Role.ADMIN)
    person = make_user(Role.FACILITATOR, email="ceri@example.org")
    response = admin.post(erase_url(person), data={"email": " Ceri@Example.org "})
    assert response.status_code == 302
    assert response.location.endswith(f"/admin/people/{person.id}")
    db.session.refresh(person)
    assert person.erased_at is not None and person.email == f"erased-{person.id}@invalid.invalid"
    again = admin.post(erase_url(person), data={"email": person.email})
    assert again.status_code == 400
    assert "already been erased" in again.get_data(as_text=True)
    entries = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "privacy.erased")
    ).all()
    assert [(e.actor_id, e.subject_id) for e in entries] == [(admin.user.id, person.id)]


def test_admins_cannot_erase_themselves(login_as, db):
    admin = login_as(Role.ADMIN)
    page = admin.get(erase_url(admin.user)).get_data(as_text=True)
    assert "You cannot erase your own account" in page and 'name="email"' not in page
    response = admin.post(erase_url(admin.user), data={"email": admin.user.email})
    assert response.status_code == 400
    db.session.refresh(admin.user)
    assert admin.user.erased_at is None and admin.user.is_active


def test_erasing_needs_a_recent_sign_in(login_as, make_user, db):
    from lms.accounts.sessions import UserSession

    admin = login_as(Role.ADMIN)
    person = make_user(Role.APPLICANT)
    db.session.execute(
        db.update(UserSession)
        .where(UserSession.user_id == admin.user.id)
        .values(authenticated_at=utcnow() - timedelta(hours=1))
    )
    response = admin.post(erase_url(person), data={"email": person.email})
    assert response.status_code == 302
    assert response.location.startswith("/account/confirm-identity")
    db.session.refresh(person)
    assert person.erased_at is None


def test_an_unknown_person_is_not_found(login_as):
    assert login_as(Role.ADMIN).get("/admin/people/999999/erase").status_code == 404
