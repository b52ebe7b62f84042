"""Report pages: who may see them, the filters, a report built in the request, and what
each page costs in SQL statements."""

from __future__ import annotations

import re

import pytest

from lms.accounts.models import Region, Role
from lms.reports.models import ReportRun, RunStatus

NOT_LEADS = ["applicant", "facilitator", "trainee", "supervisor", "reviewer", "admin"]


@pytest.fixture
def a_run(db, fake):
    run = ReportRun(report="fake", filters={}, filters_key="{}", status=RunStatus.FAILED)
    db.session.add(run)
    db.session.flush()
    return run


def routes(run):
    return [
        ("GET", "/reports"),
        ("GET", "/reports/fake"),
        ("POST", "/reports/fake/build"),
        ("GET", "/reports/fake/download.xlsx"),
        ("GET", "/reports/fake/download.csv?table=regions"),
        ("GET", f"/reports/runs/{run.id}"),
        ("POST", f"/reports/runs/{run.id}/build"),
        ("GET", f"/reports/runs/{run.id}/download.xlsx"),
        ("GET", f"/reports/runs/{run.id}/download.csv?table=regions"),
    ]


def test_anonymous_people_are_sent_to_sign_in(client, a_run):
    for method, path in routes(a_run):
        response = client.open(path, method=method)
        assert response.status_code == 302, path
        assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", NOT_LEADS)
def test_only_leads_see_reports(login_as, a_run, role, db):
    client = login_as(Role(role))
    for method, path in routes(a_run):
        assert client.open(path, method=method).status_code == 403, (method, path)
    assert db.session.scalar(db.select(db.func.count(ReportRun.id))) == 1  # nothing built
    refused = db.session.execute(
        db.text("SELECT count(*) FROM audit_event WHERE action = 'access.refused'")
    ).scalar()
    assert refused == len(routes(a_run))


def test_leads_see_every_page(as_lead, a_run, organisations):
    for path in ("/reports", "/reports/fake", f"/reports/runs/{a_run.id}"):
        assert as_lead.get(path).status_code == 200, path
    assert as_lead.get("/reports/fake/download.xlsx").status_code == 200
    assert as_lead.get("/reports/fake/download.csv?table=regions").status_code == 200


def test_unknown_reports_runs_and_tables_are_not_found(as_lead, fake, a_run):
    assert as_lead.get("/reports/nonesuch").status_code == 404
    assert as_lead.post("/reports/nonesuch/build").status_code == 404
    assert as_lead.get("/reports/runs/999999").status_code == 404
    assert as_lead.get("/reports/fake/download.csv?table=nonesuch").status_code == 404
    # A run that is not ready has nothing to download.
    assert as_lead.get(f"/reports/runs/{a_run.id}/download.xlsx").status_code == 404


def test_the_list_links_every_report(as_lead, fake):
    page = as_lead.get("/reports").get_data(as_text=True)
    assert 'href="/reports/fake"' in page
    assert "Organisations by region" in page
    assert "How many organisations each region has" in page


def test_leads_have_a_reports_link(as_lead, fake):
    page = as_lead.get("/").get_data(as_text=True)
    assert 'href="/reports"' in page


# --- A report built in the request ------------------------------------------------------------


def table_rows(page: str, caption: str) -> list[list[str]]:
    """The cells of the table with this caption, as text."""
    found = re.search(rf"<caption[^>]*>{re.escape(caption)}</caption>(.*?)</table>", page, re.S)
    assert found, caption
    body = found.group(1).split("<tbody", 1)[1]
    rows = []
    for row in re.findall(r"<tr.*?</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cells])
    return rows


def test_the_report_shows_its_tables_with_known_numbers(as_lead, organisations):
    page = as_lead.get("/reports/fake").get_data(as_text=True)
    rows = table_rows(page, "By region")
    # Headings repeat in each cell for small screens (hidden from screen readers).
    assert rows == [
        ["Region London", "Organisations 4", "Share of all 80.0%"],
        ["Region Wales", "Organisations Not shown", "Share of all Not shown"],
    ]
    assert "fewer than 3 organisations are not shown" in page  # the table's note
    assert "“Not shown” means" in page
    assert '<th scope="col"' in page
    assert len(table_rows(page, "Every organisation")) == 5


def test_the_chart_sits_beside_its_table(as_lead, organisations):
    page = as_lead.get("/reports/fake").get_data(as_text=True)
    svg = re.search(r"<svg[^>]*app-chart.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg
    ident = re.search(r'aria-labelledby="([^" ]+) ([^"]+)"', svg)
    assert f'<title id="{ident.group(1)}">Organisations in each region</title>' in svg
    assert f'<desc id="{ident.group(2)}">London: 4; Wales: not shown</desc>' in svg
    assert "style" not in svg


def test_long_tables_are_cut_short_on_the_page(app, as_lead, organisations, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_PAGE_ROWS", 2)
    page = as_lead.get("/reports/fake").get_data(as_text=True)
    assert len(table_rows(page, "Every organisation")) == 2
    assert "Showing the first 2 of 5 rows. Download the report to see them all." in page


def test_the_page_links_its_downloads_with_the_filters(as_lead, organisations):
    page = as_lead.get("/reports/fake?region=london").get_data(as_text=True)
    assert 'href="/reports/fake/download.xlsx?region=london"' in page
    assert 'href="/reports/fake/download.csv?table=regions&amp;region=london"' in page


def test_filters_narrow_the_report(as_lead, organisations):
    page = as_lead.get("/reports/fake?region=wales").get_data(as_text=True)
    assert [r[0] for r in table_rows(page, "Every organisation")] == ["Organisation Welsh Board"]
    assert '<option value="wales" selected' in page
    page = as_lead.get(f"/reports/fake?organisation={organisations[1].id}").get_data(as_text=True)
    assert [r[0] for r in table_rows(page, "Every organisation")] == ["Organisation London Trust 1"]


def test_the_filter_form_offers_intakes_regions_and_organisations(
    as_lead, organisations, make_intake
):
    older = make_intake(name="Older intake", opened_days_ago=400, open_for_days=-300)
    newer = make_intake(name="Newer intake")
    page = as_lead.get("/reports/fake").get_data(as_text=True)
    assert page.index(">Newer intake<") < page.index(">Older intake<")
    assert f'<option value="{newer.id}">Newer intake</option>' in page
    assert f'<option value="{older.id}">Older intake</option>' in page
    for region in Region:
        assert f'value="{region.value}"' in page
    assert page.index("London Trust 0") < page.index("Welsh Board")
    assert 'name="date_from[day]"' in page
    assert "Apply filters" in page
    assert 'href="/reports/fake">Clear filters</a>' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("intake=99999", "Select an intake from the list"),
        ("region=atlantis", "Select a region from the list"),
        ("organisation=99999", "Select an organisation from the list"),
        (
            "date_from[day]=31&date_from[month]=2&date_from[year]=2026",
            "Enter a real start date, for example 1 4 2026",
        ),
        (
            "date_from[day]=2&date_from[month]=3&date_from[year]=2026"
            "&date_to[day]=1&date_to[month]=3&date_to[year]=2026",
            "The end date must be the same as or after the start date",
        ),
    ],
)
def test_wrong_filters_are_explained_and_no_report_is_built(as_lead, organisations, query, message):
    page = as_lead.get(f"/reports/fake?{query}").get_data(as_text=True)
    assert "There is a problem" in page
    assert message in page
    assert "<caption" not in page and "app-chart" not in page
    assert "download.xlsx" not in page


def test_typed_dates_are_kept_when_they_are_wrong(as_lead, organisations):
    query = "date_from[day]=31&date_from[month]=2&date_from[year]=2026&region=wales"
    page = as_lead.get(f"/reports/fake?{query}").get_data(as_text=True)
    assert re.search(r'name="date_from\[day\]"[^>]*value="31"', page)
    assert re.search(r'name="date_from\[month\]"[^>]*value="2"', page)
    assert '<option value="wales" selected' in page


def test_a_download_with_wrong_filters_goes_back_to_the_page(as_lead, organisations):
    response = as_lead.get("/reports/fake/download.xlsx?region=atlantis")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/reports/fake?region=atlantis")


# --- What a page costs --------------------------------------------------------------------------


def test_the_page_costs_a_fixed_number_of_statements(
    as_lead, organisations, make_organisation, make_intake, count_queries
):
    as_lead.get("/reports/fake")  # warm up: first-request work is not the page's
    with count_queries() as small:
        assert as_lead.get("/reports/fake").status_code == 200
    for n in range(30):
        make_organisation(name=f"Another Trust {n}", region=Region.NORTH_WEST)
    for _n in range(3):
        make_intake()
    with count_queries() as large:
        page = as_lead.get("/reports/fake").get_data(as_text=True)
    assert "Another Trust 29" in page
    assert small.count <= 12, small.statements
    assert large.count == small.count, large.statements


def test_the_page_speaks_welsh(login_as, organisations):
    client = login_as(Role.LEAD, language="cy")
    page = client.get("/reports/fake").get_data(as_text=True)
    assert 'lang="cy"' in page
    assert "Rhanbarth" in page  # the fake's heading, translated
    assert "80.0%" in page
