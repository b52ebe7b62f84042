"""Supervision and buddies in a real browser (issue 5): the lead forms a group and moves
someone, pairs the demo intake's facilitators who have no buddy and confirms; the
supervisor books sessions, keeps a register and writes notes; the demo facilitator sees
their group, logs a check-in with their buddy and sees their counts towards the award.
Their buddy's pages in Welsh. axe-core and a clean console on every page on the way.

The tests run in order on one live server, each building on the last.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from lms.db_types import utcnow
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

INTAKE = "Running demo intake"
UNPLACED = ["Ioan Jones", "Jade Wilson", "Leila Haddad", "Marcus Reid", "Nadia Hussain"]


def _banner(tab: Tab, text: str) -> None:
    expect(tab.page.locator(".nhsuk-notification-banner")).to_contain_text(text)


def fill_date(tab: Tab, name: str, day) -> None:
    page = tab.page
    page.locator(f"input[name='{name}[day]']").fill(str(day.day))
    page.locator(f"input[name='{name}[month]']").fill(str(day.month))
    page.locator(f"input[name='{name}[year]']").fill(str(day.year))


def test_the_lead_forms_a_group_and_moves_someone(tab: Tab) -> None:
    page = tab.page
    sign_in(tab, "lead@example.org")
    click_and_load(page, page.get_by_role("link", name="Supervision groups").first)
    checked(tab)
    click_and_load(page, page.get_by_role("link", name=INTAKE))
    expect(page.locator(".nhsuk-card", has_text="Group A")).to_contain_text("Sam Supervisor")
    checked(tab)
    click_and_load(page, page.get_by_role("link", name="Form a new group"))
    checked(tab)
    # Nothing chosen: the error summary, and nothing typed is lost.
    page.get_by_label("Group name").fill("Group B")
    click_and_load(page, page.get_by_role("button", name="Form the group"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select a supervisor")
    expect(page.get_by_label("Group name")).to_have_value("Group B")
    checked(tab)
    page.get_by_label("Supervisor").select_option(label="Seren Supervisor")
    for name in UNPLACED:
        page.get_by_role("checkbox", name=re.compile(rf"^{name}")).check()
    click_and_load(page, page.get_by_role("button", name="Form the group"))
    _banner(tab, "Group B has been formed")
    card = page.locator(".nhsuk-card", has_text="Group B")
    for name in UNPLACED:
        expect(card).to_contain_text(name)
    checked(tab)
    page.get_by_label("Trainee facilitator").select_option(
        label="Owain Price (Cardiff and Vale University Health Board)"
    )
    page.get_by_label("Move to").select_option(label="Group B")
    click_and_load(page, page.get_by_role("button", name="Move", exact=True))
    _banner(tab, "Owain Price is now in Group B")
    expect(page.get_by_text("Everyone in this intake is in a group.")).to_be_visible()
    checked(tab)


def test_the_lead_pairs_buddies_swaps_and_confirms(tab: Tab) -> None:
    page = tab.page
    sign_in(tab, "lead@example.org")
    click_and_load(page, page.get_by_role("link", name="Buddy pairing").first)
    checked(tab)
    click_and_load(page, page.get_by_role("link", name=INTAKE))
    checked(tab)
    click_and_load(page, page.get_by_role("button", name="Pair the 8 people without a buddy"))
    _banner(tab, "4 groups proposed")
    table = page.locator("table", has=page.locator("caption", has_text="Proposed pairs"))
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table).to_contain_text("Different organisations")
    checked(tab)
    options = page.locator("select[name='swap-first'] option")
    first, second = options.nth(1).inner_text(), options.nth(2).inner_text()
    page.get_by_label("Swap this person").select_option(label=first)
    page.get_by_label("With this person").select_option(label=second)
    click_and_load(page, page.get_by_role("button", name="Swap", exact=True))
    # Two people from one pair cannot be swapped: say so; otherwise the scores are redone.
    if page.locator(".nhsuk-error-summary").count():
        expect(page.locator(".nhsuk-error-summary")).to_contain_text("already together")
    else:
        _banner(tab, "Swapped")
    checked(tab)
    click_and_load(page, page.get_by_role("button", name="Confirm these pairs and tell everyone"))
    _banner(tab, "4 pairs confirmed")
    expect(page.get_by_text("Everyone in this intake has a buddy.")).to_be_visible()
    confirmed = page.locator("table", has=page.locator("caption", has_text="Confirmed pairs"))
    expect(confirmed.locator("tbody tr")).to_have_count(6)
    checked(tab)


def test_the_supervisor_books_keeps_the_register_and_writes_notes(tab: Tab) -> None:
    page = tab.page
    sign_in(tab, "supervisor@example.org")
    click_and_load(page, page.get_by_role("link", name="Supervision", exact=True).first)
    checked(tab)
    click_and_load(page, page.get_by_role("link", name="Group A").first)
    checked(tab)
    click_and_load(page, page.get_by_role("link", name="Book a session or a series"))
    checked(tab)
    fill_date(tab, "day", (utcnow() + timedelta(days=60)).date())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_role("radio", name="Online").check()
    page.get_by_label("Joining link (for an online session)").fill("http://not-secure.example")
    page.get_by_label("How many sessions?").select_option("3")
    click_and_load(page, page.get_by_role("button", name="Book and send invitations"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("starting with https://")
    expect(page.get_by_label("Start time")).to_have_value("10:00")
    checked(tab)
    page.get_by_label("Joining link (for an online session)").fill("https://meet.example.org/b")
    click_and_load(page, page.get_by_role("button", name="Book and send invitations"))
    _banner(tab, "3 sessions booked")
    checked(tab)

    past = page.locator("table", has_text="Past sessions")
    click_and_load(page, past.get_by_role("link").first)
    expect(page.get_by_text("Only you can read these.")).to_be_visible()
    checked(tab)
    click_and_load(page, page.get_by_role("link", name="Keep the register"))
    checked(tab)
    page.get_by_role("group", name="Fatima Facilitator").get_by_label("Present").check()
    page.get_by_role("group", name="Kwame Asante").get_by_label("Apologies").check()
    click_and_load(page, page.get_by_role("button", name="Save the register"))
    _banner(tab, "The register has been saved")
    click_and_load(
        page, page.get_by_role("link", name="Write the shared summary and your private notes")
    )
    checked(tab)
    page.get_by_label("Shared summary").fill("We practised silence after questions.")
    page.get_by_label("Your private notes").fill("Kwame away: follow up.")
    click_and_load(page, page.get_by_role("button", name="Save notes"))
    _banner(tab, "Your notes have been saved")
    expect(page.get_by_text("We practised silence after questions.")).to_be_visible()
    expect(page.get_by_text("Kwame away: follow up.")).to_be_visible()
    checked(tab)


def test_the_facilitator_sees_their_group_and_logs_a_check_in(tab: Tab) -> None:
    page = tab.page
    sign_in(tab, "facilitator@example.org")
    expect(page.locator(".nhsuk-summary-list", has_text="Buddy check-ins")).to_contain_text(
        "2 of 4"
    )
    checked(tab)
    click_and_load(page, page.get_by_role("link", name="Supervision", exact=True).first)
    expect(page.get_by_text("You have attended 3 supervision sessions.")).to_be_visible()
    expect(page.get_by_role("link", name="Group A")).to_be_visible()
    checked(tab)
    click_and_load(page, page.get_by_role("link", name="Group A"))
    expect(page.get_by_text("Kwame away")).to_have_count(0)  # private notes stay private
    checked(tab)

    click_and_load(page, page.get_by_role("link", name="Your buddy", exact=True).first)
    expect(page.get_by_text("dev.sharma@example.org")).to_be_visible()
    checked(tab)
    click_and_load(page, page.get_by_role("link", name="Log a check-in"))
    checked(tab)
    fill_date(tab, "met_on", utcnow().date())
    page.get_by_label("How long did you meet for, in minutes?").fill("40")
    page.get_by_label("Preparing for supervision").check()
    page.get_by_label("Notes (optional)").fill("Planned our buddy observations.")
    click_and_load(page, page.get_by_role("button", name="Log the check-in"))
    _banner(tab, "Your check-in has been logged")
    expect(page.get_by_text("You have logged 3 buddy check-ins.")).to_be_visible()
    expect(page.get_by_text("Planned our buddy observations.")).to_be_visible()
    checked(tab)


def test_the_buddy_pages_in_welsh(tab: Tab) -> None:
    page = tab.page
    sign_in(tab, "dev.sharma@example.org")
    page.locator("form.app-language-switcher button").click()
    page.wait_for_load_state("load")
    for path in ("/", "/buddy", "/supervision"):
        tab.goto(path, expect_status=200)
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        checked(tab)
    expect(page.get_by_role("heading", level=1)).to_have_text("Goruchwyliaeth")
    tab.goto("/buddy", expect_status=200)
    expect(page.get_by_text("Planned our buddy observations.")).to_be_visible()
    click_and_load(page, page.get_by_role("link", name="Cofnodi sgwrs ddal i fyny"))
    click_and_load(page, page.get_by_role("button", name="Cofnodi'r sgwrs ddal i fyny"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Rhowch y dyddiad")
    checked(tab)
