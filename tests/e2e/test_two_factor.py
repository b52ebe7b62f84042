"""Two-factor sign-in and sessions in the browser: the demo lead gives a code, a new
person sets up two-factor reading the key off the page, and "sign out everywhere" ends
another tab's session. axe-core and a clean console on every page on the way."""

from __future__ import annotations

import pyotp
from playwright.sync_api import expect

from tests.e2e.conftest import (
    Tab,
    authenticator_code,
    checked,
    click_and_load,
    enter_code,
    sign_in,
)

PASSWORD = "two factors are better than one"


def test_the_demo_lead_signs_in_with_a_code(tab: Tab) -> None:
    from lms.demo import DEMO_PASSWORD

    page = tab.page
    tab.goto("/sign-in", expect_status=200)
    page.get_by_label("Email address", exact=True).fill("lead@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    click_and_load(page, page.get_by_role("button", name="Sign in", exact=True))
    assert tab.path() == "/sign-in/code"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    checked(tab)

    page.get_by_label("Code", exact=True).fill("000000")
    click_and_load(page, page.get_by_role("button", name="Continue", exact=True))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The code is not correct")
    expect(page.get_by_label("Code", exact=True)).to_have_value("")
    checked(tab)

    enter_code(tab, authenticator_code("lead@example.org"))
    assert tab.path() == "/"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lowri Lead")
    checked(tab)


def test_a_person_sets_up_two_factor_from_their_account(tab: Tab) -> None:
    page = tab.page
    tab.goto("/register", expect_status=200)
    page.get_by_label("Full name").fill("Tegan Twofactor")
    page.get_by_label("Email address").fill("tegan.twofactor@example.org")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    click_and_load(page, page.get_by_role("button", name="Create account", exact=True))

    tab.goto("/account", expect_status=200)
    checked(tab)  # the account page, with its list of sessions
    expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()
    click_and_load(
        page, page.get_by_role("link", name="Change two-factor authentication", exact=True)
    )
    expect(page.get_by_text("Two-factor authentication is off.")).to_be_visible()
    checked(tab)
    click_and_load(page, page.get_by_role("link", name="Set up two-factor authentication"))
    checked(tab)
    click_and_load(page, page.get_by_role("button", name="Start setting up"))
    assert tab.path() == "/account/two-factor/set-up"
    expect(page.locator(".app-qr-code svg")).to_be_visible()
    checked(tab)

    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your app").fill(pyotp.TOTP(secret).now())
    click_and_load(
        page, page.get_by_role("button", name="Turn on two-factor authentication", exact=True)
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    checked(tab)
    click_and_load(page, page.get_by_role("link", name="I have kept my recovery codes safe"))
    expect(page.get_by_text("Two-factor authentication is on.")).to_be_visible()

    # Signing in again needs a code: a recovery code will do.
    page.get_by_role("banner").get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(tab.url("/sign-in"))
    page.get_by_label("Email address", exact=True).fill("tegan.twofactor@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    click_and_load(page, page.get_by_role("button", name="Sign in", exact=True))
    enter_code(tab, codes[0])
    assert tab.path() == "/"
    checked(tab)


def test_sign_out_everywhere_ends_the_session_in_another_tab(tab: Tab, open_tab) -> None:
    other = open_tab()
    sign_in(tab, "reviewer2@example.org")
    sign_in(other, "reviewer2@example.org")

    page = tab.page
    tab.goto("/account", expect_status=200)
    click_and_load(page, page.get_by_role("button", name="Sign out everywhere", exact=True))
    assert tab.path() == "/sign-in"
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "You have signed out on every device, including this one"
    )
    checked(tab)

    other.goto("/account")
    assert other.path().startswith("/sign-in?next=")
    expect(other.page.get_by_role("heading", level=1)).to_have_text("Sign in")
    checked(other)
