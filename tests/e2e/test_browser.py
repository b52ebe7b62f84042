"""The service in a real browser: every page each role can reach passes axe-core (WCAG 2.2
AA and best practice) with a clean console, forms show and focus their errors, the
language switcher works, the skip link comes first and signing out says so.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.sync_api import expect

from lms.demo import DEMO_ACCOUNTS, DemoAccount
from tests.e2e.conftest import (
    SKIP_REASON,
    Tab,
    chromium_executable,
    in_ci,
    sign_in,
)

if chromium_executable() is None and not in_ci():
    # In CI the ``browser`` fixture fails instead: CI must always run these tests.
    pytest.skip(SKIP_REASON, allow_module_level=True)

pytestmark = pytest.mark.browser


def same_origin_links(tab: Tab) -> list[str]:
    """Every link on the page (header, content and footer) to this site, without fragments."""
    origin = urlsplit(tab.base_url)
    hrefs = tab.page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)")
    links: list[str] = []
    for href in hrefs:
        parts = urlsplit(href)
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
            continue
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
        if url not in links:
            links.append(url)
    return links


def check_link(tab: Tab, url: str) -> tuple[list[str], bool]:
    """Follow one link: it must answer (not 404, not 5xx) and an HTML page must pass axe.

    Returns the problems found and whether the tab now shows an HTML page that answered
    without an error (so its own links are worth following).
    """
    page = tab.page
    path = urlsplit(url).path
    if path == "/healthz":
        # JSON for monitoring, not a page: it only has to answer.
        health = page.request.get(url)
        try:
            content_type = health.headers.get("content-type", "")
            if health.status != 200 or "application/json" not in content_type:
                return [f"{path} answered {health.status} ({content_type})"], False
            return [], False
        finally:
            health.dispose()
    response = page.goto(url, wait_until="load")
    assert response is not None, f"no response for {url}"
    if response.status >= 500 or response.status == 404:
        return [f"{path} answered {response.status}"], False
    if "text/html" not in response.headers.get("content-type", ""):
        return [], False
    violations = tab.axe_violations()
    problems = [f"axe violations on {tab.path()}:\n    " + "\n    ".join(violations)]
    return (problems if violations else []), response.status < 400


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.role.value)
def test_every_page_a_role_can_reach_is_accessible(tab: Tab, account: DemoAccount) -> None:
    page = tab.page
    sign_in(tab, account.email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    links = same_origin_links(tab)
    assert tab.url("/") in links  # the header's service name and Home link
    problems: list[str] = []
    for url in links:
        problems += check_link(tab, url)[0]

    assert not problems, f"as {account.email}:\n  " + "\n  ".join(problems)
    tab.assert_no_console_errors()


def route_shape(url: str) -> str:
    """``/admin/people/7?page=2`` -> ``/admin/people/<id>?page``: one visit per kind of page.

    Modules are named by slug and their activities by key, so ``/modules/x/y`` is
    ``/modules/<slug>/<key>`` (the curriculum's own browser test visits every kind)."""
    parts = urlsplit(url)
    names = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    path = re.sub(r"/\d+(?=/|$)", "/<id>", parts.path)
    path = re.sub(r"^/modules/[^/]+", "/modules/<slug>", path)
    path = re.sub(r"^/modules/<slug>/[^/]+", "/modules/<slug>/<key>", path)
    return path + ("?" + "&".join(names) if names else "")


def test_pages_further_in_are_accessible_for_the_admin(tab: Tab) -> None:
    """Beyond the home page and header: every kind of page the admin reaches by links.

    Person pages, organisation forms, filtered lists, the outbox's messages and the
    account's forms; one page of each shape, since /admin/people/1 and /admin/people/2
    share a template.
    """
    page = tab.page
    # A password reset puts an email in the outbox, so the crawl reaches a message page;
    # the "check your email" page is checked on the way.
    tab.goto("/reset-password", expect_status=200)
    page.get_by_label("Email address", exact=True).fill("trainee@example.org")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Send reset link", exact=True).click()
    tab.assert_accessible()

    sign_in(tab, "admin@example.org")
    queue = same_origin_links(tab)
    seen: set[str] = set()
    problems: list[str] = []
    while queue:
        url = queue.pop(0)
        shape = route_shape(url)
        if shape in seen:
            continue
        seen.add(shape)
        assert len(seen) <= 150, f"the crawl is not ending: {sorted(seen)}"
        found, is_page = check_link(tab, url)
        problems += found
        if is_page:
            queue += same_origin_links(tab)

    assert {
        "/admin/people/<id>",
        "/admin/organisations/<id>/edit",
        "/admin/outbox/<id>",
        "/account/details",
    } <= seen, sorted(seen)
    assert not problems, "as admin@example.org:\n  " + "\n  ".join(problems)
    tab.assert_no_console_errors()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/sign-in", 200),
        ("/register", 200),
        ("/reset-password", 200),
        ("/privacy", 200),
        ("/accessibility", 200),
        ("/intakes", 200),
        ("/no-such-page", 404),
    ],
)
def test_anonymous_page_is_accessible(tab: Tab, path: str, status: int) -> None:
    tab.goto(path, expect_status=status)
    tab.assert_accessible()
    tab.assert_no_console_errors()


def test_form_errors_are_summarised_focused_and_accessible(tab: Tab) -> None:
    page = tab.page
    tab.goto("/register", expect_status=200)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Create account", exact=True).click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    tab.assert_accessible()
    tab.assert_no_console_errors()


def test_welsh_from_the_service_bar(tab: Tab) -> None:
    page = tab.page
    tab.goto("/", expect_status=200)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Cymraeg", exact=True).click()

    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert tab.path() == "/"
    # The way back is offered in English, marked as English.
    expect(page.get_by_role("button", name="English", exact=True)).to_have_attribute("lang", "en")
    tab.assert_accessible()
    tab.assert_no_console_errors()


def test_tab_first_reaches_the_skip_link(tab: Tab) -> None:
    page = tab.page
    tab.goto("/sign-in", expect_status=200)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content", exact=True)
    expect(skip_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#maincontent")).to_be_focused()
    tab.assert_no_console_errors()


def test_sign_out_returns_to_sign_in_with_a_success_banner(tab: Tab) -> None:
    page = tab.page
    sign_in(tab, "trainee@example.org")
    page.get_by_role("banner").get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(tab.url("/sign-in"))

    banner = page.locator(".nhsuk-notification-banner--success")
    expect(banner).to_contain_text("You have signed out")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    tab.assert_accessible()
    tab.assert_no_console_errors()


def test_pages_load_only_from_this_site(tab: Tab) -> None:
    """The CSP allows only 'self': nothing (fonts included) may be blocked or fetched elsewhere."""
    requested: list[str] = []
    tab.page.on("request", lambda request: requested.append(request.url))
    tab.goto("/", expect_status=200)
    tab.page.wait_for_load_state("networkidle")
    assert requested and all(url.startswith(tab.url("/")) for url in requested), requested
    tab.assert_no_console_errors()


def test_a_lead_creates_an_intake_with_the_date_inputs(tab: Tab) -> None:
    page = tab.page
    sign_in(tab, "lead@example.org")
    tab.goto("/lead/intakes/new", expect_status=200)
    page.get_by_label("Intake name").fill("Browser intake")
    dates = {
        "opens_on": ("1", "2", "2031"),
        "closes_on": ("31", "2", "2031"),
        "programme_starts_on": ("1", "6", "2031"),
    }
    for name, (day, month, year) in dates.items():
        page.locator(f"#{name}-day").fill(day)
        page.locator(f"#{name}-month").fill(month)
        page.locator(f"#{name}-year").fill(year)
    page.get_by_label("Places").fill("30")
    page.get_by_label("Online").check()
    page.get_by_label("Wales").check()
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Save intake").click()

    # 31 February does not exist: the error is summarised and what was typed is kept.
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter a real date")
    expect(page.locator("#closes_on-day")).to_have_value("31")
    expect(page.get_by_label("Intake name")).to_have_value("Browser intake")
    tab.assert_accessible()
    summary.get_by_role("link").first.click()
    expect(page.locator("#closes_on-day")).to_be_focused()

    page.locator("#closes_on-day").fill("28")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Save intake").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Browser intake")
    tab.assert_accessible()
    tab.assert_no_console_errors()
