"""Home pages for every role, navigation, health, security headers and error pages."""

import re

import pytest

from lms.accounts.models import Role


def test_start_page_for_anonymous_visitors(client):
    page = client.get("/").get_data(as_text=True)
    assert "ALS Facilitator Programme" in page
    assert 'href="/register"' in page and 'href="/sign-in"' in page
    assert 'class="nhsuk-skip-link"' in page


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_own_home_and_every_link_works(login_as, role):
    client = login_as(role)
    page = client.get("/").get_data(as_text=True)
    assert role.label in page
    hrefs = set(re.findall(r'href="(/[^"]*)"', page))
    assert hrefs, "the home page shows no links"
    for href in sorted(hrefs):
        if href.startswith("/static/"):
            continue
        response = client.get(href)
        assert response.status_code < 400, (href, response.status_code)


def test_a_person_with_several_roles_sees_a_section_for_each(login_as):
    client = login_as(Role.FACILITATOR, Role.SUPERVISOR, Role.ADMIN)
    page = client.get("/").get_data(as_text=True)
    for role in (Role.FACILITATOR, Role.SUPERVISOR, Role.ADMIN):
        assert f'id="role-{role.value}"' in page
    assert 'href="/admin/people"' in page  # admin navigation in the header


def test_non_admins_see_no_admin_links(login_as):
    page = login_as(Role.LEAD).get("/").get_data(as_text=True)
    assert "/admin/" not in page


def test_unread_notifications_are_counted_in_the_header(login_as, db):
    from lms.notifications.services import notify

    client = login_as(Role.FACILITATOR)
    notify(client.user, "Your buddy has been confirmed", "/account")
    notify(client.user, "A new session is scheduled")
    page = client.get("/").get_data(as_text=True)
    assert "Notifications (2 unread)" in page
    listing = client.get("/notifications").get_data(as_text=True)
    assert "Your buddy has been confirmed" in listing
    client.post("/notifications/read")
    assert "Notifications (2 unread)" not in client.get("/").get_data(as_text=True)


def test_notification_links_stay_inside_the_site(db, make_user):
    from lms.notifications.services import notify

    user = make_user()
    assert notify(user, "x", "https://evil.example/").link is None
    assert notify(user, "x", "/account").link == "/account"


def test_healthz_reports_database_and_queue(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["queue"] == ("ok" if app.config.get("REDIS_URL") else "inline")


def test_security_headers(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = response.get_data(as_text=True)
    assert "<script>" not in page  # no inline script anywhere
    assert not re.search(r"\son[a-z]+=", page)  # nor inline event handlers


def test_production_cookies_are_secure_and_secret_key_is_required(monkeypatch):
    from config import ProductionConfig
    from lms import create_app

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)
    assert ProductionConfig.SESSION_COOKIE_SECURE  # no remember cookie: there is none
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"


def test_404_page_in_service_style(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page and "nhsuk-header" in page


def test_500_page_in_service_style_and_rolls_back(app, client, monkeypatch):
    from lms.main import routes

    def explode():
        raise RuntimeError("boom")

    monkeypatch.setattr(routes, "render_template", lambda *a, **k: explode())
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client.get("/privacy")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)


def test_information_pages(client):
    assert "Privacy notice" in client.get("/privacy").get_data(as_text=True)
    assert "Accessibility statement" in client.get("/accessibility").get_data(as_text=True)


def test_only_the_closest_header_section_is_active(login_as):
    from lms.accounts.models import Role

    client = login_as(Role.SUPERVISOR)
    page = client.get("/supervision/observations").get_data(as_text=True)
    current = re.findall(r'<a[^>]*aria-current="true"[^>]*>(?:<strong[^>]*>)?([^<]+)<', page)
    assert current == ["Observations"], current


def test_privacy_notice_links_the_data_download_and_lists_retention_periods(app, client):
    page = client.get("/privacy").get_data(as_text=True)
    assert 'href="/account/data"' in page
    assert "The audit log of changes and decisions: 2,190 days" in page
    app.config["RETENTION_DAYS"] = {**app.config["RETENTION_DAYS"], "audit_log": 0}
    try:
        page = client.get("/privacy").get_data(as_text=True)
    finally:
        app.config["RETENTION_DAYS"] = {**app.config["RETENTION_DAYS"], "audit_log": 2190}
    assert "The audit log" not in page  # kept for ever: no period to state
