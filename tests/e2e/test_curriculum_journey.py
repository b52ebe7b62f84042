"""The training modules in a real browser (issue 4): the demo facilitator finishes the core
curriculum (reading, reflecting, failing and then passing knowledge checks, and attending
a workshop day whose register the lead keeps), and the lead sees it in the progress view.
In Welsh too. axe-core and a clean console on every kind of page on the way.

The answers come from the module files themselves, as a facilitator who had read them
would know them.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from config import Config
from lms.curriculum.activities import KnowledgeCheck, Reading, Reflection, Workshop
from lms.curriculum.content import ModuleSpec, load_directory
from lms.curriculum.services import LONDON
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
    # In CI the ``browser`` fixture fails instead: CI must always run these tests.
    pytest.skip(SKIP_REASON, allow_module_level=True)

pytestmark = pytest.mark.browser

CONTENT = Path(Config.CONTENT_DIR)  # what the live server's demo was seeded from
FACILITATOR = "facilitator@example.org"
FACILITATOR_NAME = "Fatima Facilitator"
INTAKE = "Running demo intake"


def core_modules() -> list[ModuleSpec]:
    modules, errors = load_directory(CONTENT)
    assert not errors
    return [m for m in modules if m.core]


class Checker:
    """axe and the console, once for each kind of page (one reading page is like another)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def once(self, tab: Tab, kind: str) -> None:
        if kind not in self.seen:
            self.seen.add(kind)
            checked(tab)


def answer(page: Page, check: KnowledgeCheck, *, right: bool) -> None:
    for question in check.questions:
        name = "q_" + question.key.replace("-", "_")
        picks = sorted(question.correct)
        if not right:
            picks = [next(i for i in range(len(question.options)) if i not in question.correct)]
        for index in picks:
            page.locator(f"input[name='{name}'][value='{index}']").check()


def do_reading(tab: Tab, done: bool) -> None:
    page = tab.page
    if done:
        expect(page.get_by_text("You have read this page.")).to_be_visible()
        return
    click_and_load(page, page.get_by_role("button", name=re.compile(r"^Mark as read")))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def do_reflection(tab: Tab, check: Checker) -> None:
    page = tab.page
    box = page.locator("textarea#answer")
    if box.input_value():
        return
    if "reflection-error" not in check.seen:
        # An empty answer: the error summary takes focus, and nothing is lost.
        click_and_load(page, page.get_by_role("button", name=re.compile(r"^Save reflection")))
        summary = page.locator(".nhsuk-error-summary")
        expect(summary).to_be_focused()
        expect(summary).to_contain_text("Enter your reflection")
        check.once(tab, "reflection-error")
        box = page.locator("textarea#answer")
    box.fill("I noticed how often I rush to fix things for people. Next time I will ask first.")
    click_and_load(page, page.get_by_role("button", name=re.compile(r"^Save reflection")))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Your reflection has been saved to your portfolio"
    )


def do_knowledge_check(tab: Tab, activity: KnowledgeCheck, check: Checker) -> None:
    page = tab.page
    if "quiz-fail" not in check.seen:
        answer(page, activity, right=False)
        click_and_load(page, page.get_by_role("button", name="Check my answers"))
        expect(page.get_by_role("heading", level=1)).to_have_text("You did not pass this time")
        check.once(tab, "quiz-fail")
        click_and_load(page, page.get_by_role("link", name="Try again", exact=True))
    answer(page, activity, right=True)
    click_and_load(page, page.get_by_role("button", name="Check my answers"))
    expect(page.locator(".nhsuk-panel")).to_contain_text("You passed")
    expect(page.locator(".nhsuk-panel")).to_contain_text(
        f"You scored {len(activity.questions)} out of {len(activity.questions)}."
    )
    check.once(tab, "quiz-pass")


def hold_workshop(lead: Tab, module: ModuleSpec, activity: Workshop, check: Checker) -> None:
    """The lead books a day (yesterday: the register needs the day to have started) and
    marks the facilitator present."""
    page = lead.page
    lead.goto("/lead/training", expect_status=200)
    check.once(lead, "lead-training")
    row = page.locator("tr", has_text=INTAKE)
    click_and_load(page, row.get_by_role("link", name=re.compile(r"^Workshop days")))
    check.once(lead, "lead-workshops")
    click_and_load(page, page.get_by_role("link", name="Schedule a workshop day"))
    day = (utcnow().astimezone(LONDON) - timedelta(days=1)).date()
    page.get_by_label("Workshop", exact=True).select_option(f"{module.slug}:{activity.key}")
    page.get_by_label("Day", exact=True).fill(str(day.day))
    page.get_by_label("Month", exact=True).fill(str(day.month))
    page.get_by_label("Year", exact=True).fill(str(day.year))
    page.get_by_label("Start time", exact=True).fill("09:30")
    page.get_by_label("Finish time", exact=True).fill("16:00")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Venue (for a workshop in person)").fill("Room 2, Education Centre")
    check.once(lead, "workshop-form")
    click_and_load(page, page.get_by_role("button", name="Schedule the workshop day"))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "has been scheduled"
    )
    booked = page.locator("li", has_text=f"{day.day} {day:%B %Y}, 09:30 to 16:00")
    click_and_load(page, booked.get_by_role("link", name=activity.title, exact=True))
    check.once(lead, "workshop-page")
    click_and_load(page, page.get_by_role("link", name="Keep the register"))
    check.once(lead, "register")
    person = page.get_by_role("group", name=re.compile(FACILITATOR_NAME))
    person.get_by_label("Present", exact=True).check()
    click_and_load(page, page.get_by_role("button", name="Save the register"))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "The register has been saved"
    )


def test_the_facilitator_completes_the_core_curriculum_and_the_lead_sees_it(
    open_tab,
) -> None:
    check = Checker()
    facilitator = open_tab()
    lead = open_tab()
    sign_in(facilitator, FACILITATOR)
    sign_in(lead, "lead@example.org")
    page = facilitator.page

    click_and_load(page, page.get_by_role("link", name="Training modules").first)
    assert facilitator.path() == "/modules"
    check.once(facilitator, "modules")
    core = core_modules()
    expect(page.locator("main")).to_contain_text(f"of {len(core)} core modules")

    for module in core:
        facilitator.goto(f"/modules/{module.slug}", expect_status=200)
        check.once(facilitator, "module")
        if page.get_by_text("You completed this module").count():
            continue
        expect(page.get_by_text("You cannot start this module yet")).to_have_count(0)
        for activity in module.activities:
            facilitator.goto(f"/modules/{module.slug}/{activity.key}", expect_status=200)
            if isinstance(activity, Reading):
                check.once(facilitator, "reading")
                read = page.get_by_role("button", name=re.compile(r"^Mark as read")).count() == 0
                do_reading(facilitator, read)
            elif isinstance(activity, Reflection):
                check.once(facilitator, "reflection")
                do_reflection(facilitator, check)
            elif isinstance(activity, KnowledgeCheck):
                check.once(facilitator, "knowledge-check")
                do_knowledge_check(facilitator, activity, check)
            elif isinstance(activity, Workshop):
                check.once(facilitator, "workshop-activity")
                if not page.get_by_text("The register shows you attended this workshop.").count():
                    hold_workshop(lead, module, activity, check)
                    facilitator.goto(f"/modules/{module.slug}/{activity.key}", expect_status=200)
                    expect(page.get_by_text("The register shows you attended")).to_be_visible()
        facilitator.goto(f"/modules/{module.slug}", expect_status=200)
        click_and_load(page, page.get_by_role("button", name="Mark this module as complete"))
        assert facilitator.path() == "/modules"
        expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
            f"You have completed {module.title}"
        )

    facilitator.goto("/modules", expect_status=200)
    expect(page.locator("main")).to_contain_text(
        f"You have completed {len(core)} of {len(core)} core modules."
    )
    expect(page.locator("main")).to_contain_text("You have completed every core module.")
    checked(facilitator)
    click_and_load(page, page.get_by_role("link", name="Your reflections", exact=True))
    check.once(facilitator, "reflections")
    expect(page.locator(".nhsuk-card").first).to_be_visible()

    # The lead sees it.
    page = lead.page
    lead.goto("/lead/training", expect_status=200)
    row = page.locator("tr", has_text=INTAKE)
    click_and_load(page, row.get_by_role("link", name=re.compile(r"^Progress")))
    checked(lead)
    fatima = page.locator("tr", has_text=FACILITATOR_NAME)
    expect(fatima).to_contain_text(f"{len(core)} of {len(core)}")
    # Filtered to those who have finished the core modules, she is still there.
    page.get_by_text("Filter trainee facilitators").click()
    page.get_by_label("Core modules", exact=True).select_option("complete")
    click_and_load(page, page.get_by_role("button", name="Apply filters"))
    expect(page.locator("tr", has_text=FACILITATOR_NAME)).to_have_count(1)
    checked(lead)


def test_the_modules_in_welsh(tab: Tab) -> None:
    """The modules' pages work in Welsh (the module texts themselves are in English, and
    say so to screen readers)."""
    page = tab.page
    sign_in(tab, "kwame.asante@example.org")
    page.locator("form.app-language-switcher button").click()
    page.wait_for_load_state("load")
    for path in ("/modules", f"/modules/{core_modules()[0].slug}"):
        tab.goto(path, expect_status=200)
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        expect(page.get_by_role("heading", level=1)).not_to_have_text("Training modules")
        checked(tab)
    module = core_modules()[0]
    reading = module.activities[0]
    tab.goto(f"/modules/{module.slug}/{reading.key}", expect_status=200)
    expect(page.locator(".app-reading")).to_have_attribute("lang", "en")
    checked(tab)
