"""The award in a real browser (issue 7): the demo facilitator's portfolio shows evidence
from every source and what is still missing; a ready facilitator submits (a direct POST
before then is refused); the lead issues the award; an anonymous visitor opens the
verification address and sees it valid; the lead revokes it and the visitor sees it
revoked. axe-core and a clean console on every page on the way.

The tests run in order on one live server, each building on the last.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    SKIP_REASON,
    Tab,
    checked,
    chromium_executable,
    click_and_load,
    in_ci,
    sign_in,
)

if chromium_executable() is None and not in_ci():
    pytest.skip(SKIP_REASON, allow_module_level=True)

pytestmark = pytest.mark.browser

FACILITATOR = "facilitator@example.org"
READY = "rhiannon.price@example.org"
LEAD = "lead@example.org"
SOURCES = [
    "Modules completed",
    "Reflections on modules",
    "Workshop days attended",
    "Supervision sessions attended",
    "Cases brought to supervision",
    "Buddy check-ins",
    "Action learning sets facilitated",
    "Set sessions facilitated",
    "Session logs",
    "Observed by a supervisor",
    "Observed by a buddy",
    "Feedback from trainees",
    "Evidence you uploaded",
]
VERIFY_PATH: dict[str, str] = {}


def test_the_demo_facilitators_portfolio_shows_every_source_and_what_is_missing(tab: Tab):
    page = tab.page
    sign_in(tab, FACILITATOR)
    click_and_load(page, page.get_by_role("link", name="Portfolio", exact=True).first)
    assert tab.path().startswith("/portfolio")
    checked(tab)
    click_and_load(page, page.get_by_role("link", name=re.compile("where it came from", re.I)))
    main = page.get_by_role("main")
    captions = main.locator("caption")
    for label in SOURCES:
        expect(captions.filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))).to_have_count(
            1
        )
    expect(main).to_contain_text("Reflective account - first set session.pdf")
    checked(tab)

    tab.goto("/portfolio/readiness", expect_status=200)
    expect(page.get_by_role("heading", name="What is missing").first).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Attend 3 more supervision sessions")
    expect(page.get_by_role("button", name="Submit your portfolio")).to_have_count(0)
    checked(tab)


def test_a_ready_facilitator_submits_their_portfolio(tab: Tab):
    page = tab.page
    sign_in(tab, READY)
    tab.goto("/portfolio/readiness", expect_status=200)
    checked(tab)
    email = page.get_by_label("Personal email address")
    email.fill("not an email")
    page.get_by_label(re.compile("I confirm this portfolio is my own work")).check()
    tab.expected_failures.add(tab.url("/portfolio/submit"))  # the form answers 400
    click_and_load(page, page.get_by_role("button", name="Submit your portfolio"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("correct format")
    checked(tab)
    page.get_by_label("Personal email address").fill("rhiannon.price@example.com")
    page.get_by_label(re.compile("I confirm this portfolio is my own work")).check()
    click_and_load(page, page.get_by_role("button", name="Submit your portfolio"))
    assert tab.path().startswith("/portfolio")
    expect(page.get_by_role("main")).to_contain_text("submitted")
    checked(tab)


def test_the_lead_issues_the_award(tab: Tab):
    page = tab.page
    sign_in(tab, LEAD)
    click_and_load(page, page.get_by_role("link", name="Awards", exact=True).first)
    checked(tab)
    tab.goto("/lead/portfolios", expect_status=200)
    checked(tab)
    click_and_load(page, page.get_by_role("link", name=re.compile("Rhiannon Price")).first)
    expect(page.get_by_role("heading", name="Review a portfolio")).to_be_visible()
    checked(tab)
    click_and_load(page, page.get_by_role("button", name="Issue the award"))
    expect(page.get_by_role("heading", name="Award of Rhiannon Price")).to_be_visible()
    checked(tab)
    link = page.get_by_role("link", name="Open the public verification page")
    VERIFY_PATH["path"] = link.get_attribute("href")
    assert re.fullmatch(r"/verify/[0-9A-Z]{20}", VERIFY_PATH["path"])
    VERIFY_PATH["award"] = tab.path()


def test_anyone_can_verify_the_award(tab: Tab):
    page = tab.page
    tab.goto(VERIFY_PATH["path"], expect_status=200)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Rhiannon Price")
    expect(main).to_contain_text("Valid")
    expect(main).not_to_contain_text("rhiannon.price@example")
    expect(main).not_to_contain_text("Cardiff")
    checked(tab)
    tab.goto("/verify", expect_status=200)
    page.get_by_label("Verification code").fill(VERIFY_PATH["path"].rsplit("/", 1)[1].lower())
    click_and_load(page, page.get_by_role("button", name=re.compile("Check")))
    expect(page.get_by_role("main")).to_contain_text("Rhiannon Price")
    checked(tab)


def test_after_the_lead_revokes_it_the_visitor_sees_it_revoked(tab: Tab, open_tab):
    lead = tab
    sign_in(lead, LEAD)
    lead.goto(VERIFY_PATH["award"], expect_status=200)
    click_and_load(lead.page, lead.page.get_by_role("link", name="Revoke this award"))
    checked(lead)
    lead.expected_failures.add(lead.page.url)  # the form answers 400
    click_and_load(lead.page, lead.page.get_by_role("button", name="Revoke award"))
    expect(lead.page.locator(".nhsuk-error-summary")).to_be_visible()
    checked(lead)
    lead.page.get_by_label("Why are you revoking this award?").fill(
        "Issued before the second observation was confirmed."
    )
    click_and_load(lead.page, lead.page.get_by_role("button", name="Revoke award"))
    expect(lead.page.get_by_text("This award has been revoked").first).to_be_visible()
    checked(lead)

    visitor = open_tab()
    visitor.goto(VERIFY_PATH["path"], expect_status=200)
    main = visitor.page.get_by_role("main")
    expect(main).to_contain_text("Revoked")
    expect(main).not_to_contain_text("second observation")
    checked(visitor)
