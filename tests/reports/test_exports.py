"""Report downloads: CSV per table and an XLSX of the whole report, with formulas made
inert, suppressed cells left empty, and headers that keep them out of caches."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pandas as pd
import pytest

from lms.reports.base import Table
from lms.reports.exports import csv_bytes, filename, sheet_names, xlsx_bytes


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


def people() -> Table:
    frame = pd.DataFrame(
        {"name": ['=HYPERLINK("http://evil")', "Siân", "@SUM(A1)"], "count": [3, None, 7]}
    )
    return Table("people", "People: by name?", frame, {"name": "Name", "count": "Count"}, "A note")


def test_csv_has_a_bom_headings_and_inert_formulas():
    data = csv_bytes(people())
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines == ["Name,Count", '"\'=HYPERLINK(""http://evil"")",3', "Siân,", "'@SUM(A1),7"]


def test_xlsx_has_an_about_sheet_and_one_sheet_per_table():
    other = Table("other", "People: by name?", pd.DataFrame({"n": [1]}), {"n": "N"})
    data = xlsx_bytes(
        "Application funnel",
        [("Intake", "All intakes"), ("Region", "Wales")],
        [people(), other],
        datetime(2026, 11, 30, 14, 5, tzinfo=UTC),
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["About", "People by name", "People by name (2)"]
    about = [[c.value for c in row] for row in book["About"].iter_rows()]
    assert ["Report", "Application funnel"] in about
    assert ["Region", "Wales"] in about
    assert ["Made", "30 November 2026, 14:05"] in about
    assert ["People: by name?", "A note"] in about
    sheet = [[c.value for c in row] for row in book["People by name"].iter_rows()]
    assert sheet == [
        ["Name", "Count"],
        ['\'=HYPERLINK("http://evil")', 3],
        ["Siân", None],
        ["'@SUM(A1)", 7],
    ]
    # No cell anywhere is a formula.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            assert b"<f>" not in archive.read(name), name


def test_sheet_names_are_what_excel_accepts():
    names = sheet_names(["A" * 40, "A" * 40, "a/b\\c[d]:e*f?", "About"], taken={"About"})
    assert names[0] == "A" * 31
    assert names[1] == "A" * 27 + " (2)"
    assert names[2] == "a b c d e f"
    assert names[3] == "About (2)"
    assert all(len(n) <= 31 for n in names)


def test_file_names_say_what_and_when():
    assert filename("delivery", "xlsx", date(2026, 11, 30)) == "report-delivery-2026-11-30.xlsx"
    assert (
        filename("delivery", "csv", date(2026, 11, 30), table="by_set")
        == "report-delivery-by-set-2026-11-30.csv"
    )


def test_downloads_are_attachments_that_are_not_cached(as_lead, organisations):
    response = as_lead.get("/reports/fake/download.xlsx?region=london")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="report-fake-')
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["About", "By region", "Every organisation"]
    about = [[c.value for c in row] for row in book["About"].iter_rows()]
    assert ["Region", "London"] in about and ["Intake", "All intakes"] in about

    response = as_lead.get("/reports/fake/download.csv?table=regions")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/csv"
    assert response.data.decode("utf-8-sig").splitlines() == [
        "Region,Organisations,Share of all",
        "London,4,80",
        "Wales,,",
    ]


def test_downloads_are_audited(as_lead, organisations, db):
    from lms.audit import AuditEvent

    as_lead.get("/reports/fake/download.csv?table=names")
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "report.downloaded"))
    assert event.actor_id == as_lead.user.id
    assert event.detail["report"] == "fake" and event.detail["table"] == "names"
