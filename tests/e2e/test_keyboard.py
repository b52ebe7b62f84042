"""The application form by keyboard alone (issue 9): a new account registers, applies to
the open demo intake and submits, using only Tab, Shift+Tab, Enter, Space, the arrow keys
and typing. Nothing is clicked.

On every page the first Tab lands on the skip link, which takes focus to the main
content; every element Tab reaches shows a visible focus indicator and is on screen.
After a bad submit the error summary has the focus, and its link takes focus to the field.
Each page is checked by axe-core and has a clean console, as in the other journeys.

The session console's keyboard pass is in
tests/e2e/test_observed_practice_journey.py (``test_the_console_by_keyboard_alone_on_a_tablet``);
it is not repeated here.
"""

from __future__ import annotations

import re
from itertools import count

import pytest
from playwright.sync_api import Locator, expect

from lms.demo import DEMO_PASSWORD
from tests.e2e.conftest import SKIP_REASON, Tab, checked, chromium_executable, in_ci

if chromium_executable() is None and not in_ci():
    # In CI the ``browser`` fixture fails instead: CI must always run these tests.
    pytest.skip(SKIP_REASON, allow_module_level=True)

pytestmark = pytest.mark.browser

INTAKE = "Open demo intake"
_accounts = count(1)  # the live server lasts the session: each test's people are new

# What has the focus, and whether a sighted keyboard user can see it: the NHS.UK focus
# style is a yellow background, outline or box-shadow; a radio's or checkbox's is drawn on
# its label's ::before (the input itself is hidden under it).
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const seen = (node, pseudo) => {
    const s = getComputedStyle(node, pseudo);
    const clear = (c) => c === 'transparent' || c === 'rgba(0, 0, 0, 0)';
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !clear(s.outlineColor))
      || (s.boxShadow && s.boxShadow !== 'none')
      || s.backgroundColor === 'rgb(255, 235, 59)';
  };
  const choice = el.matches('input[type=radio], input[type=checkbox]');
  const shown = choice ? el.labels[0] : el;
  const r = shown.getBoundingClientRect();
  return {
    what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + ' "' + (el.labels && el.labels[0] ? el.labels[0].innerText : el.innerText || el.value || '')
        .trim().slice(0, 60) + '"',
    visible: choice ? seen(shown, '::before') : seen(el),
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
      && r.top < window.innerHeight && r.left < window.innerWidth,
  };
}"""


# What a page gives the focus to when it loads: its success banner, or its error summary.
PAGE_FOCUS = ".nhsuk-notification-banner--success, .nhsuk-error-summary"
skipped: list[str] = []  # the pages where the skip link was used


def focus(tab: Tab) -> dict:
    """The focused element, checked: something has the focus, it is on screen and it
    shows a focus indicator."""
    state = tab.page.evaluate(FOCUS)
    assert state is not None, f"nothing has the focus on {tab.path()}"
    assert state["onScreen"], f"the focused {state['what']} is off screen on {tab.path()}"
    assert state["visible"], f"the focused {state['what']} shows no focus on {tab.path()}"
    return state


def is_focused(target: Locator) -> bool:
    return target.evaluate("(el) => el === document.activeElement")


def press(tab: Tab, key: str) -> dict:
    tab.page.keyboard.press(key)
    return focus(tab)


def tab_to(tab: Tab, target: Locator, key: str = "Tab", limit: int = 40) -> int:
    """Press Tab (or ``key``) until ``target`` has the focus, checking the focus is visible
    at every stop; returns how many presses it took."""
    for presses in range(1, limit + 1):
        press(tab, key)
        if is_focused(target):
            return presses
    raise AssertionError(f"{key} never reached {target} on {tab.path()}")


def follow(tab: Tab, key: str = "Enter") -> None:
    """Press ``key`` on the focused link or button and wait for the next page."""
    with tab.page.expect_navigation(wait_until="load"):
        tab.page.keyboard.press(key)


def skip_to_main(tab: Tab) -> None:
    """A page has just loaded. If it gave the focus to its success banner or error summary
    (as NHS.UK pages do), Tab goes on from there. Otherwise the first Tab reaches the skip
    link, and Enter on it moves focus to the main content, so the next Tab is inside it."""
    page = tab.page
    given = page.locator(PAGE_FOCUS)
    if given.count() and is_focused(given.first):
        return
    state = press(tab, "Tab")
    skip = page.locator("a.nhsuk-skip-link")
    assert is_focused(skip), f"the first Tab on {tab.path()} reached {state['what']}"
    expect(skip).to_have_text("Skip to main content")
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#maincontent")).to_be_focused()
    # The address does not keep #maincontent, so a form posted from here cannot carry it
    # through its redirect and take the next page's focus (lms/static/js/app.js).
    expect(page).not_to_have_url(re.compile("#"))
    skipped.append(tab.path())


def go(tab: Tab, target: Locator, key: str = "Enter") -> None:
    """From a fresh page: skip to the main content, Tab to ``target``, press ``key``."""
    skip_to_main(tab)
    tab_to(tab, target)
    follow(tab, key)
    checked(tab)


def type_into(tab: Tab, target: Locator, text: str) -> None:
    """Tab to a field and type into it (replacing what is there)."""
    tab_to(tab, target)
    tab.page.keyboard.press("ControlOrMeta+A")
    tab.page.keyboard.type(text)


def arrow_to(tab: Tab, group: Locator, label: str) -> None:
    """Tab into a radio group, move with the arrow keys to ``label`` (an arrow key also
    chooses) and, if the focus landed on it unchosen, choose it with Space."""
    target = group.get_by_label(label, exact=True)
    tab_to(tab, group.locator("input").first)
    for _ in range(group.locator("input").count()):
        if is_focused(target):
            break
        press(tab, "ArrowDown")
    if not target.is_checked():
        press(tab, "Space")
    expect(target).to_be_checked()
    expect(target).to_be_focused()


def tick(tab: Tab, box: Locator) -> None:
    """Tab to a checkbox and press Space."""
    tab_to(tab, box)
    press(tab, "Space")
    expect(box).to_be_checked()


def group(tab: Tab, legend: str) -> Locator:
    return tab.page.get_by_role("group", name=legend, exact=True)


def section(tab: Tab, title: str) -> None:
    """From the task list, to a section by its link."""
    go(tab, tab.page.get_by_role("link", name=title, exact=True))
    expect(tab.page.get_by_role("heading", level=1)).to_have_text(title)


def save_and_continue(tab: Tab, task_list: str) -> None:
    tab_to(tab, tab.page.get_by_role("button", name="Save and continue", exact=True))
    follow(tab)
    assert tab.path() == task_list, f"saving a section ended on {tab.path()}"
    expect(tab.page.locator(".nhsuk-notification-banner--success")).to_be_visible()
    checked(tab)


def register(tab: Tab, email: str) -> None:
    page = tab.page
    tab.goto("/register", expect_status=200)
    checked(tab)
    skip_to_main(tab)
    type_into(tab, page.get_by_label("Full name", exact=True), "Kim Keyboard")
    type_into(tab, page.get_by_label("Email address", exact=True), email)
    type_into(tab, page.get_by_label("Create a password", exact=True), DEMO_PASSWORD)
    type_into(tab, page.get_by_label("Confirm your password", exact=True), DEMO_PASSWORD)
    tab_to(tab, page.get_by_role("button", name="Create account", exact=True))
    follow(tab)
    assert tab.path() == "/", f"registering ended on {tab.path()}"
    checked(tab)


def start_application(tab: Tab) -> str:
    page = tab.page
    go(tab, page.get_by_role("main").get_by_role("link", name="Your applications", exact=True))
    assert tab.path() == "/applications", tab.path()
    go(tab, page.get_by_role("link", name=f"Apply to {INTAKE}", exact=True))
    assert re.fullmatch(r"/intakes/\d+/apply", tab.path()), tab.path()
    go(tab, page.get_by_role("button", name="Start your application", exact=True))
    assert re.fullmatch(r"/applications/\d+", tab.path()), tab.path()
    return tab.path()


def personal_details_with_a_mistake(tab: Tab, task_list: str) -> None:
    """Save without a phone number: the error summary takes the focus, its link takes
    focus to the field, and the number is typed there."""
    page = tab.page
    section(tab, "Personal and contact details")
    skip_to_main(tab)
    phone = page.get_by_label("Phone number", exact=True)
    tab_to(tab, phone)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Delete")
    tab_to(tab, page.get_by_role("button", name="Save and continue", exact=True))
    follow(tab)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter your phone number")
    checked(tab)
    link = summary.get_by_role("link", name="Enter your phone number")
    assert tab_to(tab, link) == 1, "the summary's link is not the first stop after it"
    page.keyboard.press("Enter")
    expect(phone).to_be_focused()
    focus(tab)
    page.keyboard.type("01632 960 001")
    save_and_continue(tab, task_list)


def fill_in_the_rest(tab: Tab, task_list: str) -> None:
    page = tab.page

    section(tab, "Your current role")
    skip_to_main(tab)
    type_into(tab, page.get_by_label("Job title", exact=True), "Charge nurse")
    organisation = page.get_by_label("Organisation", exact=True)
    tab_to(tab, organisation)
    press(tab, "ArrowDown")  # a closed select changes with the arrow keys
    expect(organisation).not_to_have_value("")
    arrow_to(tab, group(tab, "Staff group"), "Nursing and midwifery")
    arrow_to(tab, group(tab, "Sector"), "Acute")
    band = page.get_by_label("Band or equivalent", exact=True)
    tab_to(tab, band)
    page.keyboard.type("Band 6")  # type-ahead picks the option
    expect(band.locator("option:checked")).to_have_text("Band 6")
    region = page.get_by_label("Region", exact=True)
    tab_to(tab, region)
    page.keyboard.type("Wales")
    expect(region.locator("option:checked")).to_have_text("Wales")
    save_and_continue(tab, task_list)

    section(tab, "Eligibility")
    skip_to_main(tab)
    arrow_to(tab, group(tab, "Do you work in health and care?"), "Yes")
    arrow_to(tab, group(tab, "Can you commit the time the programme needs?"), "Yes")
    save_and_continue(tab, task_list)

    section(tab, "Previous programmes")
    skip_to_main(tab)
    tick(tab, page.get_by_label("Nye Bevan Programme", exact=True))
    save_and_continue(tab, task_list)

    section(tab, "Facilitation and coaching experience")
    skip_to_main(tab)
    type_into(
        tab,
        page.get_by_label("Tell us about your facilitation and coaching experience", exact=True),
        "I run our ward's learning huddles.",
    )
    save_and_continue(tab, task_list)

    section(tab, "Motivation statement")
    skip_to_main(tab)
    motivation = page.get_by_label(
        "Why do you want to become an action learning set facilitator?", exact=True
    )
    type_into(tab, motivation, "I want to help leaders find their own answers.")
    expect(page.locator(".nhsuk-character-count__status")).to_have_text(
        "You have 491 words remaining"
    )
    save_and_continue(tab, task_list)

    section(tab, "Delivery mode and availability")
    skip_to_main(tab)
    arrow_to(tab, group(tab, "How would you prefer the programme to be delivered?"), "Online")
    type_into(tab, page.get_by_label("When are you usually available?", exact=True), "Mornings")
    save_and_continue(tab, task_list)

    section(tab, "Reasonable adjustments")
    skip_to_main(tab)
    arrow_to(tab, group(tab, "Would you like us to make any reasonable adjustments?"), "No")
    save_and_continue(tab, task_list)

    section(tab, "Your line manager")
    skip_to_main(tab)
    type_into(tab, page.get_by_label("Your line manager's full name", exact=True), "Lee Manager")
    type_into(
        tab,
        page.get_by_label("Your line manager's work email address", exact=True),
        "lee.manager@example.org",
    )
    save_and_continue(tab, task_list)
    expect(page.get_by_text("You have completed 9 of 9 sections.")).to_be_visible()


def check_and_submit(tab: Tab, task_list: str) -> None:
    page = tab.page
    go(tab, page.get_by_role("link", name="Check your answers", exact=True))
    assert tab.path() == f"{task_list}/check", tab.path()
    expect(page.get_by_role("main")).to_contain_text("01632 960 001")
    # Back up the page with Shift+Tab to a "Change" link and forward again: both ways work.
    skip_to_main(tab)
    submit = page.get_by_role("button", name="Submit application", exact=True)
    tab_to(tab, submit)
    tab_to(tab, page.get_by_role("link", name=re.compile(r"^Change")).last, key="Shift+Tab")
    tab_to(tab, submit)
    follow(tab)
    expect(page.locator(".nhsuk-panel").get_by_role("heading", level=1)).to_have_text(
        "Application submitted"
    )
    checked(tab)
    go(tab, page.get_by_role("link", name="See your application and its progress", exact=True))
    assert tab.path() == task_list, tab.path()
    expect(page.locator("main .nhsuk-tag").first).to_have_text("Submitted")


def test_applying_by_keyboard_alone(tab: Tab) -> None:
    skipped.clear()
    register(tab, f"keyboard-{next(_accounts)}@example.org")
    task_list = start_application(tab)
    personal_details_with_a_mistake(tab, task_list)
    fill_in_the_rest(tab, task_list)
    check_and_submit(tab, task_list)
    assert len(skipped) >= 15, skipped  # the skip link was first on every fresh page

    # The focus check itself notices an element that shows no focus.
    page = tab.page
    skip_to_main(tab)
    back = page.locator("a.nhsuk-back-link")
    assert tab_to(tab, back, key="Shift+Tab") == 1  # just before the main content
    back.evaluate(
        """(el) => {
          el.style.setProperty('outline', 'none', 'important')
          el.style.setProperty('box-shadow', 'none', 'important')
          el.style.setProperty('background-color', 'transparent', 'important')
        }"""
    )
    with pytest.raises(AssertionError, match="shows no focus"):
        focus(tab)
