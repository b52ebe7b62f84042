"""Reports in a real browser (issue 8): the lead opens every report on the demo data, with
its charts and tables; narrows one to an intake; types an impossible date and gets the
error summary with what they typed kept; downloads the spreadsheet; and reads a report in
Welsh. axe-core and a clean console on every page.
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

LEAD = "lead@example.org"
REPORTS = [
    "Application funnel and faculty mix",
    "Module completion",
    "Supervision attendance",
    "Set delivery",
    "Award pipeline",
    "Cohort themes and feedback",
]


def test_the_lead_opens_every_report_with_its_charts_and_tables(tab: Tab):
    page = tab.page
    sign_in(tab, LEAD)
    click_and_load(page, page.get_by_role("link", name="Reports", exact=True).first)
    assert tab.path() == "/reports"
    checked(tab)
    main = page.get_by_role("main")
    for title in REPORTS:
        expect(main.get_by_role("link", name=title, exact=True)).to_have_count(1)

    for title in REPORTS:
        tab.goto("/reports", expect_status=200)
        click_and_load(page, main.get_by_role("link", name=title, exact=True))
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        assert main.locator("table.nhsuk-table").count() >= 1, title
        charts = main.locator("svg[role='img']")
        for index in range(charts.count()):
            label = charts.nth(index).get_attribute("aria-labelledby") or ""
            assert label, f"a chart on {title} has no text alternative"
        checked(tab)


def test_the_lead_narrows_a_report_and_is_told_about_a_bad_date(tab: Tab):
    page = tab.page
    sign_in(tab, LEAD)
    tab.goto("/reports/delivery", expect_status=200)
    page.get_by_label("Intake", exact=True).select_option(label="Completed demo intake")
    click_and_load(page, page.get_by_role("button", name="Apply filters"))
    assert "intake=" in page.url
    main = page.get_by_role("main")
    expect(main).to_contain_text("Autumn set 1")
    expect(main).not_to_contain_text("Set 2")
    checked(tab)

    page.locator("input[name='date_from[day]']").fill("31")
    page.locator("input[name='date_from[month]']").fill("2")
    page.locator("input[name='date_from[year]']").fill("2026")
    click_and_load(page, page.get_by_role("button", name="Apply filters"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("input[name='date_from[day]']")).to_have_value("31")
    expect(page.get_by_label("Intake", exact=True)).to_have_value(re.compile(r"^\d+$"))
    checked(tab)


def test_the_lead_downloads_a_report_as_a_spreadsheet(tab: Tab):
    page = tab.page
    sign_in(tab, LEAD)
    tab.goto("/reports/awards", expect_status=200)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("spreadsheet|XLSX", re.I)).first.click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_a_report_reads_in_welsh(tab: Tab):
    page = tab.page
    sign_in(tab, LEAD)
    tab.goto("/reports/supervision", expect_status=200)
    click_and_load(page, page.get_by_role("button", name="Cymraeg", exact=True))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading != "Supervision attendance", "the report title is not translated"
    checked(tab)
    # The choice is kept on the lead's account: back to English for the journeys after.
    click_and_load(page, page.get_by_role("button", name="English", exact=True))
    expect(page.locator("html")).to_have_attribute("lang", "en")
