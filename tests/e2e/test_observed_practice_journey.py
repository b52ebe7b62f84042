"""Observed practice in a real browser (issue 6): the lead imports GMTS trainees from a CSV
file (a bad row first, then a good file) and allocates the unplaced ones to a new set; the
demo facilitator runs session 4 of Set 1 from the session console, reloading mid-way and
dropping the connection without losing a word, keeps the register with JavaScript off, and
uses it by keyboard alone at tablet size;
a trainee agrees to the charter, another reads his actions and gives anonymous feedback;
the supervisor observes the session and signs it off, and the facilitator sees it. axe-core
and a clean console on every page on the way.

The tests run in order on one live server, each building on the last.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Locator, Route, expect

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
COHORT = "GMTS 2026 cohort A"
FACILITATOR = "facilitator@example.org"
UNPLACED = ["Lucy Hughes", "Matthew Osei", "Isla Robertson", "George Whitaker", "Anjali Desai"]
IMPORTED = ["Priya Natarajan", "Owen Gallagher"]
ROWS = [
    "Priya Natarajan,priya.natarajan@example.org,Northgate Hospitals NHS Foundation Trust,"
    f"Midlands,{COHORT},helen.ward@example.org,Online\r\n",
    "Owen Gallagher,owen.gallagher@example.org,Thameside Primary Care Network,"
    f"London,{COHORT},rachel.moss@example.org,\r\n",
]
BAD_ROW = f"Bad Row,not-an-email,Thameside Primary Care Network,London,{COHORT},a@example.org,\r\n"
SBAR = "Use SBAR when I escalate anyone waiting more than 48 hours"
LEARNING = "Escalated twice with SBAR; both were picked up the same day."
ACTION_1 = "Ask the hub lead to join the Monday huddle for a month"
SUPPORT = "The discharge hub lead; my line manager to ask her"
ACTION_2 = "Write up the rota options on one page for the consultants"
CRITERIA = [
    "Contracting and charter",
    "Holding process and time",
    "Questioning: inquiry, not advice",
    "Managing group dynamics",
    "Inclusion and equal airtime",
    "Actions and accountability",
    "Closing and capturing learning",
    "Self-awareness and use of self",
]
PENDING = "() => Object.keys(localStorage).filter((k) => k.startsWith('als-console:'))"


def _banner(tab: Tab, text: str) -> None:
    expect(tab.page.locator(".nhsuk-notification-banner")).to_contain_text(text)


def _csv(name: str, header: str, rows: list[str]) -> dict:
    body = header + "\r\n" + "".join(rows)
    return {"name": name, "mimeType": "text/csv", "buffer": body.encode()}


def _upload(tab: Tab, file: dict) -> None:
    page = tab.page
    page.locator("input[type='file']").set_input_files(file)
    click_and_load(page, page.get_by_role("button", name="Check the file"))


def _saved(form: Locator) -> None:
    """The form's autosave status says the server has what was typed."""
    expect(form.locator("[data-save-status]")).to_contain_text("Saved at")


class Connection:
    """Stands between a console form and the server: lets its saves through ("up"), drops
    them as if the server could not be reached ("down"), or holds them ("hold") until
    ``release``."""

    def __init__(self, tab: Tab, action: str) -> None:
        self.url = tab.url(action)
        self.mode = "up"
        self.held: list[Route] = []
        tab.expected_failures.add(self.url)  # Chromium logs each dropped save
        tab.page.route(self.url, self._handle)

    def _handle(self, route: Route) -> None:
        if self.mode == "hold":
            self.held.append(route)
        elif self.mode == "down":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    def release(self) -> None:
        for route in self.held:
            route.continue_()
        self.held.clear()


def _to_session_4(tab: Tab, check: Callable[[Tab], None] = checked) -> None:
    page = tab.page
    click_and_load(page, page.get_by_role("link", name="Action learning sets").first)
    check(tab)
    click_and_load(page, page.get_by_role("link", name="Set 1", exact=True))
    check(tab)
    click_and_load(page, page.get_by_role("link", name="Session 4", exact=True))
    check(tab)


@pytest.fixture
def no_js_tab(browser: Browser, live_server: str) -> Iterator[Tab]:
    """A tab like ``tab`` with JavaScript switched off. axe cannot run in it (its promises
    wait on timers that never fire), so it only collects the console: the pages are the
    ones the other tabs check with axe, less their scripts."""
    context = browser.new_context(base_url=live_server, locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    made = Tab(page=page, base_url=live_server)
    page.on(
        "console",
        lambda m: (
            made.console.append({"type": m.type, "text": m.text, "url": m.location.get("url", "")})
            if m.type == "error"
            else None
        ),
    )
    try:
        yield made
    finally:
        context.close()


def test_the_lead_imports_trainees_and_allocates_a_set(tab: Tab) -> None:
    page = tab.page
    sign_in(tab, "lead@example.org")
    click_and_load(page, page.get_by_role("link", name="Sets and trainees").first)
    checked(tab)
    click_and_load(page, page.get_by_role("link", name="Import GMTS trainees"))
    checked(tab)
    # The columns as the template file names them, in its order.
    template = page.get_by_role("link", name="Download a template CSV file").get_attribute("href")
    header = page.request.get(tab.url(template)).text().removeprefix("\ufeff").splitlines()[0]
    assert header == "Name,Email,Organisation,Region,GMTS intake,Line manager's email,Mode"

    # One bad row: the report names it and why, and nothing will be imported.
    _upload(tab, _csv("trainees.csv", header, [ROWS[0], BAD_ROW]))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("1 row has a problem")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Nothing will be imported")
    rejected = page.locator("table", has=page.locator("caption", has_text="Rows with problems"))
    expect(rejected.locator("tbody tr")).to_have_count(1)
    expect(rejected).to_contain_text("not-an-email")
    expect(rejected).to_contain_text("email address in the correct format")
    expect(page.get_by_text("Nothing has been imported.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Import"))).to_have_count(0)
    checked(tab)

    click_and_load(page, page.get_by_role("link", name="Upload the corrected file"))
    _upload(tab, _csv("trainees-fixed.csv", header, ROWS))
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    checked(tab)
    click_and_load(page, page.get_by_role("button", name="Import 2 trainees"))
    _banner(tab, "2 trainees imported: 2 new")
    for name in IMPORTED:
        expect(page.get_by_role("row", name=re.compile(name))).to_contain_text("Not in a set")
    checked(tab)

    click_and_load(page, page.get_by_role("link", name="Sets and trainees").first)
    click_and_load(page, page.get_by_role("link", name=INTAKE))
    checked(tab)
    page.get_by_label("GMTS intake").select_option(label=COHORT)
    click_and_load(page, page.get_by_role("button", name="Propose sets"))
    _banner(tab, "1 set proposed")
    proposal = page.locator(".nhsuk-card", has=page.locator("caption", has_text="Trainees in"))
    expect(proposal).to_have_count(1)
    members = proposal.locator("tbody tr")
    expect(members).to_have_count(7)
    for name in UNPLACED + IMPORTED:
        expect(proposal).to_contain_text(name)
    set_name = proposal.locator("h3").inner_text().split("\n")[0].strip()
    checked(tab)

    click_and_load(page, page.get_by_role("button", name="Confirm these sets"))
    _banner(tab, "1 set confirmed")
    confirmed = page.locator("table", has=page.locator("caption", has_text="Confirmed sets"))
    row = confirmed.get_by_role("row", name=re.compile(rf"^{set_name}\b"))
    expect(row).to_contain_text("7")
    expect(page.get_by_role("heading", name="Proposed sets")).to_have_count(0)
    checked(tab)


def test_the_facilitator_runs_a_session_and_a_reload_loses_nothing(tab: Tab) -> None:
    page = tab.page
    sign_in(tab, FACILITATOR)
    _to_session_4(tab)
    click_and_load(page, page.get_by_role("link", name="Open the session console"))
    console_url = tab.path()
    checked(tab)  # before it starts
    click_and_load(page, page.get_by_role("button", name="Start the session"))
    _banner(tab, "Session started")
    checked(tab)  # started: the stage, its timer and "End the session"

    # The register, by clicking: one autosave for the lot.
    register = page.locator("#register form")
    groups = register.get_by_role("group")
    expect(groups).to_have_count(6)
    for i in range(6):
        groups.nth(i).get_by_label("Present", exact=True).check()
    _saved(register)

    # Report-back: Tom's SBAR action, carried forward at session 3, is done now.
    report_back = page.locator("#report-back form")
    tom = report_back.locator(".nhsuk-card", has_text=SBAR)
    expect(tom).to_contain_text("Tom Trainee")
    expect(tom).to_contain_text("carried forward 1 time")
    tom.get_by_label("Done", exact=True).check()
    _saved(report_back)
    tom.get_by_label("Learning note (optional)").fill(LEARNING)
    _saved(report_back)

    # The presenter the equity ledger suggests is already chosen.
    chooser = page.get_by_label("Who is presenting?")
    presenter = chooser.locator("option:checked").inner_text().strip()
    expect(page.locator("#presenters .nhsuk-inset-text")).to_contain_text(presenter)
    click_and_load(page, page.get_by_role("button", name="Add presenter"))
    _banner(tab, "Presenter added")
    card = page.locator(".nhsuk-card", has=page.get_by_role("heading", name=presenter))
    presentation = card.locator("form[data-autosave]")
    action_1 = presentation.get_by_role("textbox", name="Action 1", exact=True)
    support_1 = presentation.locator("textarea[name$='action_1_supports']")
    action_2 = presentation.get_by_role("textbox", name="Action 2 (optional)", exact=True)
    status = presentation.locator("[data-save-status]")
    server = Connection(tab, presentation.get_attribute("action"))

    # What is typed while a save is on its way waits in the browser until it is sent too:
    # the first save's answer must not take it out of the browser.
    server.mode = "hold"
    with page.expect_request(server.url):
        action_1.fill(ACTION_1)
    support_1.fill(SUPPORT)
    server.mode = "down"
    server.release()
    expect(status).to_contain_text("Not saved yet")  # the second save could not get through
    [waiting] = page.evaluate(PENDING)
    assert SUPPORT in page.evaluate("(key) => localStorage.getItem(key)", waiting)
    server.mode = "up"
    page.reload(wait_until="load")
    expect(support_1).to_have_value(SUPPORT)  # from the browser: the server never had it
    _saved(presentation)
    checked(tab)

    # Reload: everything is there, from the server (nothing is waiting in the browser).
    assert page.evaluate(PENDING) == []
    page.reload(wait_until="load")
    for i in range(6):
        expect(groups.nth(i).get_by_label("Present", exact=True)).to_be_checked()
    expect(tom.get_by_label("Done", exact=True)).to_be_checked()
    expect(tom.get_by_label("Learning note (optional)")).to_have_value(LEARNING)
    expect(action_1).to_have_value(ACTION_1)
    expect(support_1).to_have_value(SUPPORT)
    expect(action_2).to_have_value("")

    # The connection drops while action 2 is typed: it is kept in the browser.
    context = page.context
    context.set_offline(True)
    action_2.fill(ACTION_2)
    expect(status).to_contain_text("Not saved yet")
    assert len(page.evaluate(PENDING)) == 1
    # The connection returns and the console tries again at once; the server is still out
    # of reach for that try, so the reload is what finds action 2 in the browser.
    server.mode = "down"
    with page.expect_request(server.url):
        context.set_offline(False)
    expect(status).to_contain_text("Not saved yet")
    server.mode = "up"
    page.reload(wait_until="load")
    expect(action_2).to_have_value(ACTION_2)  # restored from this browser, not the server
    _saved(presentation)  # and sent
    assert page.evaluate(PENDING) == []
    page.reload(wait_until="load")
    expect(action_2).to_have_value(ACTION_2)  # and now from the server
    expect(action_1).to_have_value(ACTION_1)
    checked(tab)

    # On to the next stage: its timer counts down from the server's time.
    next_stage = page.get_by_role("button", name=re.compile(r"^Next: "))
    stage = next_stage.inner_text().removeprefix("Next: ").strip()
    click_and_load(page, next_stage)
    _banner(tab, f"Now: {stage}")
    expect(page.locator("[data-timer]")).to_contain_text("left of")
    assert tab.path().split("#")[0] == console_url
    checked(tab)


def test_the_console_works_without_javascript(no_js_tab: Tab) -> None:
    tab = no_js_tab
    page = tab.page
    sign_in(tab, FACILITATOR)
    _to_session_4(tab, check=Tab.assert_no_console_errors)
    click_and_load(page, page.get_by_role("link", name="Open the session console"))
    register = page.locator("#register form")
    aled = register.get_by_role("group", name=re.compile(r"^Aled Williams"))
    expect(aled.get_by_label("Present", exact=True)).to_be_checked()
    tab.assert_no_console_errors()
    aled.get_by_label("Late", exact=True).check()
    click_and_load(page, register.get_by_role("button", name="Save register"))
    _banner(tab, "Register saved")
    expect(aled.get_by_label("Late", exact=True)).to_be_checked()
    # Nothing but the page itself: the timer stays as the server wrote it.
    expect(page.locator("[data-timer]")).to_contain_text("Time-box")
    tab.assert_no_console_errors()


def _tab_to(tab: Tab, target: Locator, key: str = "Tab", limit: int = 400) -> None:
    """Press Tab (or ``key``) until ``target`` has the focus, as someone using only a
    keyboard would."""
    page = tab.page
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_the_console_by_keyboard_alone_on_a_tablet(open_tab) -> None:
    tab = open_tab()
    page = tab.page
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet held upright
    sign_in(tab, FACILITATOR)
    _to_session_4(tab)
    click_and_load(page, page.get_by_role("link", name="Open the session console"))
    checked(tab)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Aled is late (the last test): Tab to his answer, arrow to "Present". It saves itself.
    register = page.locator("#register form")
    aled = register.get_by_role("group", name=re.compile(r"^Aled Williams"))
    _tab_to(tab, aled.get_by_label("Late", exact=True))
    page.keyboard.press("ArrowLeft")
    expect(aled.get_by_label("Present", exact=True)).to_be_checked()
    _saved(register)

    # Tab on to the next stage and press Enter.
    next_stage = page.get_by_role("button", name=re.compile(r"^Next: "))
    stage = next_stage.inner_text().removeprefix("Next: ").strip()
    _tab_to(tab, next_stage, key="Shift+Tab")  # the stage buttons come before the register
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    _banner(tab, f"Now: {stage}")
    expect(aled.get_by_label("Present", exact=True)).to_be_checked()
    checked(tab)


def test_trainees_agree_to_the_charter_read_their_actions_and_give_feedback(
    open_tab,
) -> None:
    ewan = open_tab()
    page = ewan.page
    sign_in(ewan, "ewan.mcallister@example.org")
    click_and_load(page, page.get_by_role("link", name="Action learning sets").first)
    checked(ewan)
    click_and_load(page, page.get_by_role("link", name="Set 1", exact=True))
    charter = page.get_by_role("heading", name=re.compile(r"Agree to the charter$"))
    expect(charter).to_be_visible()
    checked(ewan)
    click_and_load(page, page.get_by_role("link", name="Read the charter"))
    checked(ewan)
    page.get_by_label("I have read the charter and I will keep to it").check()
    click_and_load(page, page.get_by_role("button", name="I agree"))
    _banner(ewan, "You have agreed to the set's charter")
    expect(charter).to_have_count(0)
    expect(page.get_by_text("You agreed to the charter on")).to_be_visible()
    checked(ewan)

    tom = open_tab()
    page = tom.page
    sign_in(tom, "trainee@example.org")
    click_and_load(page, page.get_by_role("link", name="Action learning sets").first)
    click_and_load(page, page.get_by_role("link", name="Set 1", exact=True))
    action = page.locator("#your-actions ~ .nhsuk-card", has_text=SBAR)
    expect(action).to_contain_text("Carried forward")
    expect(action.locator("li", has_text="Done")).to_contain_text(LEARNING)
    checked(tom)

    click_and_load(page, page.get_by_role("link", name="Give feedback on session 3"))
    checked(tom)
    click_and_load(page, page.get_by_role("button", name="Send feedback"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Answer every question")
    checked(tom)
    for question in (
        "The facilitator kept the session to time",
        "Everyone had a fair say",
        "Questions helped me think for myself",
        "I left with a clear next step",
    ):
        page.get_by_role("group", name=re.compile(rf"^{question}")).get_by_label(
            "Agree", exact=True
        ).check()
    page.get_by_label("Anything else about how the session was facilitated").fill(
        "Good pace; the check-in helped."
    )
    click_and_load(page, page.get_by_role("button", name="Send feedback"))
    _banner(tom, "sent without your name")
    expect(page.get_by_text("You have given feedback on this session.")).to_be_visible()
    checked(tom)


def test_the_supervisor_observes_and_signs_off(open_tab) -> None:
    sam = open_tab()
    page = sam.page
    sign_in(sam, "supervisor@example.org")
    click_and_load(page, page.get_by_role("link", name="Observations", exact=True).first)
    checked(sam)
    click_and_load(
        page,
        page.get_by_role(
            "link", name="Observe this session (Fatima Facilitator, Set 1, session 4)"
        ),
    )
    checked(sam)
    for criterion in CRITERIA:
        page.get_by_role("group", name=criterion, exact=True).get_by_label(
            "Competent", exact=True
        ).check()
    page.get_by_label("Comments on Inclusion and equal airtime (optional)").fill(
        "Brought everyone into the report-back."
    )
    page.get_by_role("group", name="Outcome", exact=True).get_by_label(
        "Signed off", exact=True
    ).check()
    click_and_load(page, page.get_by_role("button", name="Record observation"))
    _banner(sam, "Fatima Facilitator has been told")
    outcome = page.locator(".nhsuk-summary-list__row", has_text="Outcome")
    expect(outcome).to_contain_text("Signed off")
    expect(page.get_by_text("Brought everyone into the report-back.")).to_be_visible()
    checked(sam)

    fatima = open_tab()
    page = fatima.page
    sign_in(fatima, FACILITATOR)
    click_and_load(page, page.get_by_role("link", name="Observations of your practice"))
    assert fatima.path() == "/supervision/observations/mine"
    observed = page.locator("table", has=page.locator("caption", has_text="Recorded by"))
    row = observed.get_by_role("row", name=re.compile(r"Set 1, session 4"))
    expect(row).to_contain_text("Signed off")
    expect(row).to_contain_text("Sam Supervisor")
    checked(fatima)
    click_and_load(page, row.get_by_role("link", name="Set 1, session 4", exact=True))
    expect(page.locator(".nhsuk-summary-list__row", has_text="Outcome")).to_contain_text(
        "Signed off"
    )
    checked(fatima)
