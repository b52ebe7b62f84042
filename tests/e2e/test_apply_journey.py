"""The application journey in a real browser (issue 3): a new account applies to the open
intake section by section and submits, in English and in Welsh, with axe-core (WCAG 2.2
AA and best practice) and a clean console on every page it lands on.

The English journey finds fields the way a person does, by their labels and roles. The
Welsh one cannot (its words are still being translated), so it finds the same fields by
their names and ids, and checks instead that the pages really are in Welsh.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import count

import pytest
from playwright.sync_api import Locator, Page, expect

from lms.demo import DEMO_PASSWORD
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
    # In CI the ``browser`` fixture fails instead: CI must always run these tests.
    pytest.skip(SKIP_REASON, allow_module_level=True)

pytestmark = pytest.mark.browser

INTAKE = "Open demo intake"
WELSH_SERVICE_NAME = "Rhaglen Hwyluswyr ALS"
SECTION_KEYS = (
    "personal",
    "role",
    "eligibility",
    "programmes",
    "experience",
    "motivation",
    "delivery",
    "adjustments",
    "manager",
)
MOTIVATION = "I want to help new leaders think clearly about their real problems."
_accounts = count(1)  # the live server lasts the session: each test's people are new


def new_email(prefix: str) -> str:
    return f"{prefix}-{next(_accounts)}@example.org"


def register(tab: Tab, email: str, name: str, *, welsh: bool = False) -> None:
    """Create an account at /register and land, signed in, on the home page."""
    page = tab.page
    tab.goto("/register", expect_status=200)
    if welsh:
        page.locator("#name").fill(name)
        page.locator("#email").fill(email)
        page.locator("#password").fill(DEMO_PASSWORD)
        page.locator("#confirm").fill(DEMO_PASSWORD)
        submit = page.locator("main form button[type=submit]")
    else:
        page.get_by_label("Full name", exact=True).fill(name)
        page.get_by_label("Email address", exact=True).fill(email)
        page.get_by_label("Create a password", exact=True).fill(DEMO_PASSWORD)
        page.get_by_label("Confirm your password", exact=True).fill(DEMO_PASSWORD)
        submit = page.get_by_role("button", name="Create account", exact=True)
    click_and_load(page, submit)
    assert tab.path() == "/", f"registering {email} ended on {tab.path()}"
    checked(tab)


def start_application(tab: Tab, *, welsh: bool = False) -> str:
    """From /intakes, apply to the open demo intake; returns the task list's path."""
    page = tab.page
    tab.goto("/intakes", expect_status=200)
    checked(tab)
    # The intake's card (its name is not translated) links to "Apply to Open demo intake".
    card = page.locator(".nhsuk-card", has=page.get_by_role("heading", name=INTAKE, exact=True))
    apply_link = (
        card.locator("a[href$='/apply']")
        if welsh
        else card.get_by_role("link", name=f"Apply to {INTAKE}", exact=True)
    )
    click_and_load(page, apply_link)
    assert re.fullmatch(r"/intakes/\d+/apply", tab.path()), tab.path()
    if not welsh:
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Apply to {INTAKE}")
    checked(tab)

    start = (
        page.locator("main form button[type=submit]")
        if welsh
        else page.get_by_role("button", name="Start your application", exact=True)
    )
    click_and_load(page, start)
    task_list = tab.path()
    assert re.fullmatch(r"/applications/\d+", task_list), task_list
    checked(tab)
    return task_list


def section_status(page: Page, key: str) -> Locator:
    """The status shown on the task list beside one section."""
    item = page.locator("li.nhsuk-task-list__item", has=page.locator(f"a[href$='/sections/{key}']"))
    return item.locator(".nhsuk-task-list__status")


def open_section(tab: Tab, key: str, title: str | None = None) -> None:
    """From the task list, follow a section's link (by its name, in English)."""
    page = tab.page
    link = (
        page.get_by_role("link", name=title, exact=True)
        if title
        else page.locator(f"a.nhsuk-task-list__link[href$='/sections/{key}']")
    )
    click_and_load(page, link)
    assert tab.path().endswith(f"/sections/{key}"), tab.path()
    if title:
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
    checked(tab)


def save_and_continue(tab: Tab, task_list: str, *, welsh: bool = False) -> None:
    page = tab.page
    button = (
        page.locator("button[name=action][value=continue]")
        if welsh
        else page.get_by_role("button", name="Save and continue", exact=True)
    )
    click_and_load(page, button)
    assert tab.path() == task_list, f"saving a section ended on {tab.path()}"
    expect(page.locator(".nhsuk-notification-banner--success")).to_be_visible()
    checked(tab)


# --- English: fields by their labels ------------------------------------------------------


def group(page: Page, legend: str) -> Locator:
    """A fieldset (radios or checkboxes), by its legend."""
    return page.get_by_role("group", name=legend, exact=True)


def fill_in_english(tab: Tab, task_list: str) -> None:
    """Every section by label and role; the personal section first shows its error."""
    page = tab.page

    # Personal details, first without a phone number: the error summary is shown and
    # focused, links to the field, and what was typed is still there.
    open_section(tab, "personal", "Personal and contact details")
    page.get_by_label("Full name", exact=True).fill("Ceri Applicant")
    page.get_by_label("Email address", exact=True).fill("ceri.applicant@example.org")
    page.get_by_label("Phone number", exact=True).fill("")
    click_and_load(page, page.get_by_role("button", name="Save and continue", exact=True))
    assert tab.path().endswith("/sections/personal"), tab.path()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary.get_by_role("link", name="Enter your phone number")).to_have_attribute(
        "href", "#phone"
    )
    expect(page.locator(".nhsuk-error-message")).to_contain_text("Enter your phone number")
    expect(page.get_by_label("Full name", exact=True)).to_have_value("Ceri Applicant")
    expect(page.get_by_label("Email address", exact=True)).to_have_value(
        "ceri.applicant@example.org"
    )
    checked(tab)
    # The summary's link takes focus to the field in error.
    summary.get_by_role("link", name="Enter your phone number").click()
    expect(page.get_by_label("Phone number", exact=True)).to_be_focused()
    page.keyboard.type("01632 960 001")
    save_and_continue(tab, task_list)
    expect(section_status(page, "personal")).to_have_text("Completed")

    open_section(tab, "role", "Your current role")
    page.get_by_label("Job title", exact=True).fill("Ward manager")
    page.get_by_label("Organisation", exact=True).select_option(index=1)
    group(page, "Staff group").get_by_label("Nursing and midwifery", exact=True).check()
    group(page, "Sector").get_by_label("Acute", exact=True).check()
    page.get_by_label("Band or equivalent", exact=True).select_option(label="Band 7")
    page.get_by_label("Region", exact=True).select_option(label="London")
    save_and_continue(tab, task_list)

    open_section(tab, "eligibility", "Eligibility")
    group(page, "Do you work in health and care?").get_by_label("Yes", exact=True).check()
    group(page, "Can you commit the time the programme needs?").get_by_label(
        "Yes", exact=True
    ).check()
    save_and_continue(tab, task_list)

    open_section(tab, "programmes", "Previous programmes")
    group(page, "Which of these programmes have you done?").get_by_label(
        "Nye Bevan Programme", exact=True
    ).check()
    save_and_continue(tab, task_list)

    # Facilitation experience, saved as a draft first: the task list says "In progress",
    # and still does after a reload (it is saved, not just flashed).
    open_section(tab, "experience", "Facilitation and coaching experience")
    experience = page.get_by_label(
        "Tell us about your facilitation and coaching experience", exact=True
    )
    experience.fill("I chair our ward's monthly learning meeting.")
    click_and_load(page, page.get_by_role("button", name="Save as draft", exact=True))
    assert tab.path() == task_list, tab.path()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Your draft has been saved"
    )
    checked(tab)
    page.reload(wait_until="load")
    expect(section_status(page, "experience")).to_have_text("In progress")
    expect(section_status(page, "motivation")).to_have_text("Not started")
    checked(tab)
    open_section(tab, "experience", "Facilitation and coaching experience")
    expect(experience).to_have_value("I chair our ward's monthly learning meeting.")
    experience.press("End")
    experience.press_sequentially(" I have also coached two new band 6 nurses.")
    save_and_continue(tab, task_list)

    # Motivation: the live word count counts down as the person types.
    open_section(tab, "motivation", "Motivation statement")
    motivation = page.get_by_label(
        "Why do you want to become an action learning set facilitator?", exact=True
    )
    status = page.locator(".nhsuk-character-count__status")
    expect(status).to_have_text(re.compile(r"You have 500 words remaining"))
    motivation.press_sequentially("I want to")
    expect(status).to_have_text("You have 497 words remaining")
    motivation.fill(MOTIVATION)
    motivation.press("End")
    motivation.press_sequentially(" Together")
    words = len(MOTIVATION.split()) + 1
    expect(status).to_have_text(f"You have {500 - words} words remaining")
    checked(tab)
    save_and_continue(tab, task_list)

    open_section(tab, "delivery", "Delivery mode and availability")
    group(page, "How would you prefer the programme to be delivered?").get_by_label(
        "Online", exact=True
    ).check()
    page.get_by_label("When are you usually available?", exact=True).fill(
        "Tuesday and Thursday afternoons"
    )
    save_and_continue(tab, task_list)

    open_section(tab, "adjustments", "Reasonable adjustments")
    group(page, "Would you like us to make any reasonable adjustments?").get_by_label(
        "No", exact=True
    ).check()
    save_and_continue(tab, task_list)

    open_section(tab, "manager", "Your line manager")
    page.get_by_label("Your line manager's full name", exact=True).fill("Morgan Manager")
    page.get_by_label("Your line manager's work email address", exact=True).fill(
        "morgan.manager@example.org"
    )
    save_and_continue(tab, task_list)

    for key in SECTION_KEYS:
        expect(section_status(page, key)).to_have_text("Completed")
    expect(page.get_by_text("You have completed 9 of 9 sections.")).to_be_visible()

    # Equality monitoring: optional, and one answer is enough to save.
    click_and_load(page, page.get_by_role("link", name="Equality monitoring", exact=True))
    assert tab.path().endswith("/equality"), tab.path()
    expect(page.get_by_role("heading", level=1)).to_have_text("Equality monitoring")
    checked(tab)
    group(page, "Your age").get_by_label("35 to 44", exact=True).check()
    group(page, "Your sex").get_by_label("Prefer not to say", exact=True).check()
    click_and_load(page, page.get_by_role("button", name="Save answers", exact=True))
    assert tab.path() == task_list, tab.path()
    checked(tab)


def check_and_submit_in_english(tab: Tab, task_list: str) -> None:
    page = tab.page
    click_and_load(page, page.get_by_role("link", name="Check your answers", exact=True))
    assert tab.path() == f"{task_list}/check", tab.path()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting your application"
    )
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    main = page.get_by_role("main")
    expect(main).to_contain_text("01632 960 001")
    expect(main).to_contain_text(MOTIVATION + " Together")
    expect(main).to_contain_text("morgan.manager@example.org")
    checked(tab)

    click_and_load(page, page.get_by_role("button", name="Submit application", exact=True))
    panel = page.locator(".nhsuk-panel")
    expect(panel.get_by_role("heading", level=1)).to_have_text("Application submitted")
    expect(panel).to_contain_text(f"Your application to {INTAKE} has been sent")
    checked(tab)

    click_and_load(
        page, page.get_by_role("link", name="See your application and its progress", exact=True)
    )
    assert tab.path() == task_list, tab.path()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your application")
    expect(page.locator("main .nhsuk-tag").first).to_have_text("Submitted")
    expect(page.get_by_role("main")).to_contain_text("Waiting for line manager")
    checked(tab)


def test_applying_and_submitting_in_english(tab: Tab) -> None:
    email = new_email("applicant-en")
    register(tab, email, "Ceri Applicant")
    task_list = start_application(tab)
    page = tab.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Your application")
    # Name and email come from the account, so the personal section is already begun.
    expect(section_status(page, "personal")).to_have_text("In progress")
    for key in SECTION_KEYS[2:]:  # role may have the account's organisation
        expect(section_status(page, key)).to_have_text("Not started")

    fill_in_english(tab, task_list)
    check_and_submit_in_english(tab, task_list)

    # A submitted application can no longer be changed.
    tab.goto(f"{task_list}/sections/personal", expect_status=200)
    assert tab.path() == task_list, tab.path()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "You have submitted this application"
    )
    checked(tab)


# --- Welsh: fields by their names ---------------------------------------------------------


def choice(page: Page, name: str, value: str) -> Locator:
    return page.locator(f"input[name={name}][value={value}]")


def expect_welsh(tab: Tab) -> None:
    """The page is marked as Welsh and its header names the service in Welsh."""
    page = tab.page
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("banner")).to_contain_text(WELSH_SERVICE_NAME)


def english_headings(tab: Tab, english: str, found: list[str]) -> None:
    """Note the page if its h1 is still the English one (the test fails on these at its end,
    once the rest of the journey has been checked)."""
    heading = tab.page.get_by_role("heading", level=1).first.inner_text().strip()
    if heading == english:
        found.append(f"{tab.path()}: {heading!r}")


def welsh_section(
    tab: Tab, task_list: str, key: str, english_heading: str, fill, untranslated: list[str]
) -> None:
    open_section(tab, key)
    expect_welsh(tab)
    english_headings(tab, english_heading, untranslated)
    fill(tab.page)
    save_and_continue(tab, task_list, welsh=True)
    expect_welsh(tab)


def fill_role(page: Page) -> None:
    page.locator("#job_title").fill("Rheolwr ward")
    page.locator("#organisation_id").select_option(index=1)
    choice(page, "staff_group", "allied_health").check()
    choice(page, "sector", "community").check()
    page.locator("#band").select_option(value="band_6")
    page.locator("#region").select_option(value="london")


def fill_eligibility(page: Page) -> None:
    choice(page, "works_in_health_care", "yes").check()
    choice(page, "can_commit_time", "yes").check()


def fill_programmes(page: Page) -> None:
    choice(page, "previous_programmes", "none").check()


def fill_experience(page: Page) -> None:
    page.locator("#facilitation_experience").fill("Rwy'n cadeirio cyfarfod dysgu misol.")


def fill_motivation(page: Page) -> None:
    page.locator("#motivation").fill("Rwyf am helpu arweinwyr newydd i feddwl yn glir.")
    # The live word count is there in Welsh too (its words are not checked here).
    expect(page.locator(".nhsuk-character-count__status")).to_contain_text("491")


def fill_delivery(page: Page) -> None:
    choice(page, "preferred_mode", "blended").check()
    page.locator("#availability").fill("Bore dydd Llun")


def fill_adjustments(page: Page) -> None:
    choice(page, "has_adjustments", "yes").check()
    page.locator("#adjustments").fill("Capsiynau mewn sesiynau ar-lein")


def fill_manager(page: Page) -> None:
    page.locator("#manager_name").fill("Rhiannon Rheolwr")
    page.locator("#manager_email").fill("rhiannon.rheolwr@example.org")


def test_applying_and_submitting_in_welsh(tab: Tab) -> None:
    page = tab.page
    untranslated: list[str] = []  # pages whose h1 is still the English one
    tab.goto("/register", expect_status=200)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    click_and_load(page, page.get_by_role("button", name="Cymraeg", exact=True))
    assert tab.path() == "/register", tab.path()
    expect_welsh(tab)
    checked(tab)

    register(tab, new_email("applicant-cy"), "Ceri Ymgeisydd", welsh=True)
    expect_welsh(tab)
    task_list = start_application(tab, welsh=True)
    expect_welsh(tab)
    english_headings(tab, "Your application", untranslated)

    # Personal details: first with the phone number left out, to see the error in Welsh.
    open_section(tab, "personal")
    expect_welsh(tab)
    english_headings(tab, "Personal and contact details", untranslated)
    page.locator("#full_name").fill("Ceri Ymgeisydd")
    page.locator("#phone").fill("")
    click_and_load(page, page.locator("button[name=action][value=continue]"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#phone']")).to_be_visible()
    expect(page.locator("#full_name")).to_have_value("Ceri Ymgeisydd")
    expect_welsh(tab)
    checked(tab)
    page.locator("#phone").fill("029 2018 0000")
    save_and_continue(tab, task_list, welsh=True)

    for key, english, fill in (
        ("role", "Your current role", fill_role),
        ("eligibility", "Eligibility", fill_eligibility),
        ("programmes", "Previous programmes", fill_programmes),
        ("experience", "Facilitation and coaching experience", fill_experience),
        ("motivation", "Motivation statement", fill_motivation),
        ("delivery", "Delivery mode and availability", fill_delivery),
        ("adjustments", "Reasonable adjustments", fill_adjustments),
        ("manager", "Your line manager", fill_manager),
    ):
        welsh_section(tab, task_list, key, english, fill, untranslated)
    for key in SECTION_KEYS:
        # Completed is plain text; "not started" and "in progress" are tags.
        expect(section_status(page, key).locator(".nhsuk-tag")).to_have_count(0)

    tab.goto(f"{task_list}/equality", expect_status=200)
    expect_welsh(tab)
    english_headings(tab, "Equality monitoring", untranslated)
    checked(tab)
    choice(page, "age_band", "prefer_not_to_say").check()
    click_and_load(page, page.locator("main form button[type=submit]"))
    assert tab.path() == task_list, tab.path()
    checked(tab)

    click_and_load(page, page.locator(f"main a.nhsuk-button[href='{task_list}/check']"))
    assert tab.path() == f"{task_list}/check", tab.path()
    expect_welsh(tab)
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    english_headings(tab, "Check your answers before submitting your application", untranslated)
    checked(tab)

    click_and_load(page, page.locator("main form button[type=submit]"))
    expect_welsh(tab)
    expect(page.locator(".nhsuk-panel")).to_contain_text(INTAKE)
    english_headings(tab, "Application submitted", untranslated)
    checked(tab)

    click_and_load(page, page.locator(f"main a[href='{task_list}']"))
    assert tab.path() == task_list, tab.path()
    expect_welsh(tab)
    expect(page.locator("main .nhsuk-tag").first).to_be_visible()
    checked(tab)

    # TRANSLATION-DEPENDENT, the one assertion here that is: the Welsh for these pages is
    # being written alongside this test, so until lms/translations/cy has it, headings
    # (the task list's "Your application" first) are still in English and this fails.
    # No Welsh wording is asserted, only that the English heading is not shown.
    assert not untranslated, "pages with an English h1 in Welsh:\n  " + "\n  ".join(untranslated)


# --- The whole selection journey ---------------------------------------------------------


def apply_quickly(tab: Tab, manager_email: str) -> str:
    """Fill in and submit every section (by field names: this journey's pages are checked
    by the tests above); returns the application's path."""
    page = tab.page
    task_list = start_application(tab)

    def fill_role_not_listed(p: Page) -> None:
        # An organisation not in the list, so no demo reviewer works in the same one.
        fill_role(p)
        p.locator("#organisation_id").select_option(value="")
        p.locator("#organisation_other").fill("Aneurin Bevan University Health Board")

    def fill_manager_for_this_test(p: Page) -> None:
        p.locator("#manager_name").fill("Morgan Manager")
        p.locator("#manager_email").fill(manager_email)

    sections: dict[str, Callable[[Page], object]] = {
        "personal": lambda p: p.locator("#phone").fill("01632 960 002"),
        "role": fill_role_not_listed,
        "eligibility": fill_eligibility,
        "programmes": fill_programmes,
        "experience": fill_experience,
        "motivation": lambda p: p.locator("#motivation").fill(MOTIVATION),
        "delivery": fill_delivery,
        "adjustments": lambda p: choice(p, "has_adjustments", "no").check(),
        "manager": fill_manager_for_this_test,
    }
    for key, fill in sections.items():
        tab.goto(f"{task_list}/sections/{key}", expect_status=200)
        fill(page)
        save_and_continue(tab, task_list)
    tab.goto(f"{task_list}/check", expect_status=200)
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    click_and_load(page, page.get_by_role("button", name="Submit application", exact=True))
    expect(page.locator(".nhsuk-panel")).to_contain_text("Application submitted")
    checked(tab)
    return task_list


def endorsement_path(tab: Tab, manager_email: str) -> str:
    """The link in the email to the line manager, from the admin's outbox."""
    page = tab.page
    sign_in(tab, "admin@example.org")
    tab.goto("/admin/outbox", expect_status=200)
    checked(tab)
    row = page.locator("tbody tr", has_text=manager_email).first
    click_and_load(page, row.get_by_role("link"))
    checked(tab)
    body = page.locator(".app-pre-wrap").inner_text()
    found = re.search(r"/endorse/[A-Za-z0-9_\-]+", body)
    assert found, f"no endorsement link in the email:\n{body}"
    return found.group(0)


def score(tab: Tab, reviewer_email: str, applicant: str, scores: dict[str, str]) -> None:
    page = tab.page
    sign_in(tab, reviewer_email)
    tab.goto("/reviews", expect_status=200)
    checked(tab)
    click_and_load(page, page.get_by_role("link", name=applicant, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Score {applicant}'s application")
    # Reviewers never see reasonable adjustments.
    expect(page.get_by_role("main")).not_to_contain_text("Reasonable adjustments")
    checked(tab)
    for criterion, value in scores.items():
        group(page, criterion).get_by_label(value, exact=True).check()
    page.get_by_label("Comments", exact=True).fill("A clear, thoughtful application.")
    click_and_load(page, page.get_by_role("button", name="Submit scores", exact=True))
    assert tab.path() == "/reviews", tab.path()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(applicant)
    checked(tab)
    # Their scores, read-only now.
    click_and_load(page, page.get_by_role("link", name=applicant, exact=True))
    checked(tab)


def test_applying_endorsing_reviewing_offering_and_accepting(
    tab: Tab, open_tab: Callable[[], Tab]
) -> None:
    applicant_name = f"Sam Selected {next(_accounts)}"
    manager_email = new_email("manager")
    register(tab, new_email("applicant-selected"), applicant_name)
    task_list = apply_quickly(tab, manager_email)

    # The line manager's link, opened with no session at all.
    path = endorsement_path(open_tab(), manager_email)
    manager = open_tab()
    manager.goto(path, expect_status=200)
    page = manager.page
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Endorse {applicant_name}'s application"
    )
    checked(manager)
    group(page, "Do you endorse this application?").get_by_label(
        "I endorse this application", exact=True
    ).check()
    click_and_load(page, page.get_by_role("button", name="Send your answer", exact=True))
    expect(page.locator(".nhsuk-panel")).to_contain_text(
        f"You have endorsed {applicant_name}'s application"
    )
    checked(manager)
    # The link works once.
    manager.goto(path, expect_status=410)
    checked(manager)

    # The lead finds the application and assigns two reviewers.
    lead = open_tab()
    page = lead.page
    sign_in(lead, "lead@example.org")
    lead.goto("/lead/applications", expect_status=200)
    checked(lead)
    click_and_load(
        page, page.get_by_role("link", name=re.compile(rf"submitted applications? in {INTAKE}$"))
    )
    checked(lead)
    page.get_by_text("Filter and sort applications", exact=True).click()  # a details
    page.get_by_label("Name or email address", exact=True).fill(applicant_name)
    click_and_load(page, page.get_by_role("button", name="Apply filters", exact=True))
    checked(lead)
    click_and_load(page, page.get_by_role("link", name=applicant_name, exact=True))
    application_page = lead.path()
    assert re.fullmatch(r"/lead/applications/\d+", application_page), application_page
    expect(page.get_by_role("heading", level=1)).to_have_text(applicant_name)
    expect(page.get_by_role("main")).to_contain_text("Endorsed")
    checked(lead)
    reviewers = group(page, "Choose reviewers")
    reviewers.get_by_label(re.compile(r"Rhys Reviewer \(")).check()
    reviewers.get_by_label(re.compile(r"Rachel Reviewer \(")).check()
    click_and_load(page, page.get_by_role("button", name="Assign chosen reviewers", exact=True))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Assigned to review"
    )
    checked(lead)

    # Each reviewer scores it.
    score(
        open_tab(),
        "reviewer@example.org",
        applicant_name,
        {
            "Motivation": "4",
            "Reflective capacity": "3",
            "Facilitation potential": "3",
            "Commitment": "4",
        },
    )
    score(
        open_tab(),
        "reviewer2@example.org",
        applicant_name,
        {
            "Motivation": "3",
            "Reflective capacity": "3",
            "Facilitation potential": "4",
            "Commitment": "4",
        },
    )

    # The lead sees both reviews and offers a place.
    lead.goto(application_page, expect_status=200)
    expect(page.get_by_role("main")).to_contain_text("Mean total score: 14.0 out of 16")
    checked(lead)
    click_and_load(page, page.get_by_role("button", name="Offer a place", exact=True))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        f"{applicant_name} has been offered a place"
    )
    checked(lead)

    # The applicant accepts, and their home page now has the facilitator's section.
    page = tab.page
    tab.goto(task_list, expect_status=200)
    expect(page.get_by_role("heading", name="You have been offered a place")).to_be_visible()
    checked(tab)
    click_and_load(page, page.get_by_role("link", name="Accept your place", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Accept your place on {INTAKE}")
    checked(tab)
    click_and_load(page, page.get_by_role("button", name="Accept my place", exact=True))
    assert tab.path() == "/", tab.path()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        f"Welcome to {INTAKE}"
    )
    expect(page.get_by_role("heading", level=2, name="Trainee facilitator")).to_be_visible()
    checked(tab)
