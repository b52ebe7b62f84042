"""The role decorator, object checks and the single refusal path."""

import pytest
from werkzeug.exceptions import Forbidden, NotFound

from lms.access import require
from lms.accounts.models import Role
from lms.audit import AuditEvent

ADMIN_PAGES = [
    "/admin/people",
    "/admin/organisations",
    "/admin/organisations/new",
    "/admin/audit",
    "/admin/outbox",
    "/admin/jobs/failed",
]


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_refuse_other_roles_and_log_it(login_as, db, role, path):
    client = login_as(role)
    response = client.get(path)
    assert response.status_code == 403
    assert "You do not have permission" in response.get_data(as_text=True)
    entry = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "access.refused"))
    assert entry is not None
    assert entry.actor_id == client.user.id
    assert entry.detail["path"] == path and entry.detail["status"] == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_send_anonymous_people_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_a_person_with_several_roles_gets_through_if_any_one_fits(login_as):
    client = login_as(Role.FACILITATOR, Role.ADMIN)
    assert client.get("/admin/people").status_code == 200


def test_object_check_refuses_with_403_and_logs(app, db, make_user):
    user = make_user(Role.SUPERVISOR)
    with app.test_request_context("/things/7"):
        from flask_login import login_user

        login_user(user)
        with pytest.raises(Forbidden):
            require(False, subject=user, reason="not their group")
    entry = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "access.refused"))
    assert entry.detail["reason"] == "not their group"
    assert entry.subject_type == "User" and entry.subject_id == user.id


def test_object_check_can_hide_existence_with_404(app, db, make_user):
    user = make_user(Role.TRAINEE)
    with app.test_request_context("/private/1"):
        from flask_login import login_user

        login_user(user)
        require(True)  # allowed: nothing happens
        with pytest.raises(NotFound):
            require(False, hide=True)
    entry = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "access.refused"))
    assert entry.detail["status"] == 404 and entry.actor_id == user.id


def test_the_audit_log_is_append_only(db, make_user):
    from lms import audit

    user = make_user()
    entry = audit.record("test.event", user, actor=user)
    db.session.flush()
    entry.action = "changed"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()


PUBLIC_ENDPOINTS = {
    "static",
    "main.home",
    "main.privacy",
    "main.accessibility",
    "main.healthz",
    "main.set_language",
    "accounts.sign_in",
    "accounts.sign_in_code",  # the code step after a right password (sends others back)
    "accounts.sign_out",
    "accounts.register",
    "accounts.request_reset",
    "accounts.reset_password",
    "applications.list_open_intakes",
    "applications.endorse",  # the line manager's single-use link; no account needed
    "assessment.verify",  # anyone checks an award by its code (SPEC section 8)
    "assessment.verify_award",
    "assessment.credential_status",  # the Open Badges credential's status address
    "assessment.award_criteria",  # the credential's achievement page
}


def test_every_other_page_sends_anonymous_people_to_sign_in(app, client):
    """Deny by default: a new route is private unless it is added to the public list."""
    from flask import url_for

    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        values = dict.fromkeys(rule.arguments, 1)
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 302, (rule.rule, method, response.status_code)
            assert response.headers["Location"].startswith("/sign-in?next="), rule.rule
            checked += 1
    assert checked >= 15


def test_disabling_an_account_ends_its_session(app, login_as, make_user):
    person_client = login_as(Role.FACILITATOR)
    person = person_client.user
    assert person_client.get("/account").status_code == 200
    admin = app.test_client()
    admin_user = make_user(Role.ADMIN)
    from tests.conftest import sign_in

    sign_in(admin, admin_user)
    admin.post(f"/admin/people/{person.id}/active")
    response = person_client.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
