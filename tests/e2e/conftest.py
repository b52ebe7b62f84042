"""Browser-test fixtures: a live server on a migrated, seeded database, and Debian's chromium.

These fixtures stand alone: the live server is its own app on its own SQLite file, built
by the migrations, so nothing here uses the root conftest's ``app``, ``db`` or ``client``.
Playwright drives Debian's ``chromium`` (``CHROMIUM_PATH`` names another); its own browser
download is never used. axe-core is injected as an init script, which the app's
Content-Security-Policy does not block, so the policy is tested exactly as it is served.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import pytest

import lms

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Browser, BrowserContext, Locator, Page, Response

HERE = Path(__file__).resolve().parent
AXE_JS = Path(lms.__file__).resolve().parent / "static" / "vendor" / "axe.min.js"
SKIP_REASON = "chromium is not installed: browser tests skipped (apt-get install chromium)"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WCAG 2.2 AA as axe-core tests it, plus its best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}
AXE_RUN = """async (options) => {
  const results = await axe.run(document, options);
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) =>
      n.target.map((t) => (typeof t === 'string' ? t : JSON.stringify(t))).join(' ')
    ),
  }));
}"""


def chromium_wanted() -> str:
    """``CHROMIUM_PATH`` (a path or a command name) if set, else Debian's /usr/bin/chromium."""
    return os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"


def chromium_executable() -> str | None:
    return shutil.which(chromium_wanted())


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Every test under tests/e2e is a browser test, whichever file it is in.
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


# The live server's app, for sign_in's two-factor codes.
LIVE: dict[str, Flask] = {}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a real HTTP server in a thread, on a migrated and seeded database."""
    from flask_migrate import upgrade
    from werkzeug.serving import WSGIRequestHandler, make_server

    from lms import create_app
    from lms.demo import seed_demo
    from lms.extensions import db

    tmpdir = tmp_path_factory.mktemp("e2e")
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmpdir}/e2e.sqlite",
        WTF_CSRF_ENABLED=True,
        SERVER_NAME=None,
        REDIS_URL=None,
        RATELIMIT_STORAGE_URI="memory://",
    )
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        db.session.remove()

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            pass  # errors are still logged; one line per request is only noise here

    LIVE["app"] = app
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    if executable is None:
        if in_ci():
            pytest.fail(
                f"chromium is not installed ({chromium_wanted()} not found) and CI must run "
                "the browser tests: apt-get install chromium",
                pytrace=False,
            )
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@dataclass
class Tab:
    """One page in its own browser context, with its console and an axe check."""

    page: Page
    base_url: str
    console: list[dict] = field(default_factory=list)
    # Documents that were meant to answer 4xx: Chromium logs "Failed to load resource"
    # for them, which is not an error in the page.
    expected_failures: set[str] = field(default_factory=set)

    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path)

    def goto(self, path: str, expect_status: int | None = None) -> Response:
        url = self.url(path)
        if expect_status is not None and expect_status >= 400:
            self.expected_failures.add(url)
        response = self.page.goto(url, wait_until="load")
        assert response is not None, f"no response for {url}"
        if expect_status is not None:
            assert response.status == expect_status, f"{url} answered {response.status}"
        return response

    def path(self) -> str:
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def axe_violations(self) -> list[str]:
        """Each violation as one line: id, impact, help and the first few targets."""
        violations = self.page.evaluate(AXE_RUN, AXE_OPTIONS)
        record_axe(self.path(), len(violations))
        return [
            f"{v['id']} ({v['impact']}): {v['help']} -> "
            + ", ".join(v["targets"][:4])
            + (f" (+{len(v['targets']) - 4} more)" if len(v["targets"]) > 4 else "")
            for v in violations
        ]

    def assert_accessible(self) -> None:
        violations = self.axe_violations()
        assert not violations, f"axe violations on {self.path()}:\n  " + "\n  ".join(violations)

    def console_errors(self) -> list[str]:
        """Console errors, less the 4xx pages a test asked for."""
        errors = []
        for message in self.console:
            if (
                message["text"].startswith("Failed to load resource")
                and message["url"] in self.expected_failures
            ):
                continue
            errors.append(f"{message['type']} at {message['url']}: {message['text']}")
        return errors

    def assert_no_console_errors(self) -> None:
        errors = self.console_errors()
        assert not errors, "console errors:\n  " + "\n  ".join(errors)


def new_tab(browser: Browser, live_server: str) -> tuple[Tab, BrowserContext]:
    """A fresh context (no cookies) and page, with axe-core injected into every document
    and console errors collected on the tab."""
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.add_init_script(path=str(AXE_JS))
    context.set_default_timeout(10_000)
    page = context.new_page()
    tab = Tab(page=page, base_url=live_server)

    def on_console(message) -> None:
        if message.type == "error":
            tab.console.append(
                {"type": "error", "text": message.text, "url": message.location.get("url", "")}
            )

    def on_page_error(error) -> None:
        tab.console.append({"type": "pageerror", "text": str(error), "url": page.url})

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return tab, context


@pytest.fixture
def tab(browser: Browser, live_server: str) -> Iterator[Tab]:
    made, context = new_tab(browser, live_server)
    try:
        yield made
    finally:
        context.close()


@pytest.fixture
def open_tab(browser: Browser, live_server: str) -> Iterator[Callable[[], Tab]]:
    """More tabs like ``tab``, each in its own context (its own cookies): one per person."""
    contexts: list[BrowserContext] = []

    def make() -> Tab:
        made, context = new_tab(browser, live_server)
        contexts.append(context)
        return made

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


# --- Steps every journey takes ------------------------------------------------------------


def checked(tab: Tab) -> None:
    """The page the tab has landed on passes axe and has logged no errors."""
    tab.assert_accessible()
    tab.assert_no_console_errors()


# Every axe-core run in the session, by page: (checks, violations) per path pattern.
AXE_CHECKS: dict[str, list[int]] = {}
AXE_REPORT = Path(lms.__file__).resolve().parents[1] / "instance" / "axe-pages.txt"


def page_pattern(path: str) -> str:
    """A path with its query dropped and its ids and tokens replaced: /applications/12 and
    /applications/13 are one page, /applications/<id>."""
    parts = urlsplit(path).path.split("/")
    return "/".join(
        "<id>" if p.isdigit() else "<token>" if re.fullmatch(r"(?=.*\d)[\w-]{16,}", p) else p
        for p in parts
    )


def record_axe(path: str, violations: int) -> None:
    counts = AXE_CHECKS.setdefault(page_pattern(path), [0, 0])
    counts[0] += 1
    counts[1] += violations


def axe_summary() -> str:
    checks = sum(c for c, _v in AXE_CHECKS.values())
    violations = sum(v for _c, v in AXE_CHECKS.values())
    return (
        f"axe-core checked {len(AXE_CHECKS)} distinct pages ({checks} checks), "
        f"{violations} violations"
    )


def pytest_terminal_summary(terminalreporter) -> None:
    """Say how many pages axe-core checked, and list them in instance/axe-pages.txt."""
    if not AXE_CHECKS:
        return
    summary = axe_summary()
    terminalreporter.write_sep("-", summary)
    lines = [f"{path}  ({c} checks, {v} violations)" for path, (c, v) in sorted(AXE_CHECKS.items())]
    AXE_REPORT.parent.mkdir(exist_ok=True)
    AXE_REPORT.write_text("\n".join([summary, "", *lines]) + "\n")
    terminalreporter.write_line(f"pages checked: {AXE_REPORT}")


def click_and_load(page: Page, target: Locator) -> None:
    with page.expect_navigation(wait_until="load"):
        target.click()


def authenticator_code(email: str) -> str:
    """The account's current two-factor code, as its authenticator app shows it.

    Journeys sign the same demo account in many times a minute, and a code works once:
    so, as the root conftest's ``fresh_code`` does, the record of the last code used is
    cleared first (tests/accounts covers the refusal of a code used twice)."""
    import pyotp

    from lms.accounts.models import User
    from lms.accounts.two_factor import record_for
    from lms.extensions import db

    with LIVE["app"].app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        record = record_for(user)
        record.last_used_step = None
        db.session.commit()
        code = pyotp.TOTP(record.secret).now()
        db.session.remove()
    return code


def enter_code(tab: Tab, code: str) -> None:
    """Give the code on the sign-in code page (whatever the page's language)."""
    page = tab.page
    assert tab.path() == "/sign-in/code", f"expected the code page, on {tab.path()}"
    page.locator("input[name=code]").fill(code)
    click_and_load(page, page.locator("main button.nhsuk-button[type=submit]"))


def sign_in(tab: Tab, email: str, password: str | None = None) -> None:
    """Sign in through the form (demo password by default) and land on the home page,
    giving a code from the account's authenticator when it has two-factor sign-in."""
    from lms.demo import DEMO_PASSWORD

    page = tab.page
    tab.goto("/sign-in", expect_status=200)
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password or DEMO_PASSWORD)
    click_and_load(page, page.get_by_role("button", name="Sign in", exact=True))
    if tab.path() == "/sign-in/code":
        enter_code(tab, authenticator_code(email))
    assert tab.path() == "/", f"signing in as {email} ended on {tab.path()}"
