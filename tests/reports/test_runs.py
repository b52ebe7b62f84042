"""Reports too large to build in the request: asking for a background build, the job that
builds it and tells the lead, the run's page and downloads, and a failed build."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from lms.accounts.models import Role
from lms.extensions import db
from lms.jobs import JobFailure
from lms.notifications.models import Notification
from lms.reports import runs, tasks
from lms.reports.base import Filters
from lms.reports.models import ReportRun, RunStatus


@pytest.fixture
def large(app, monkeypatch, organisations):
    """Every report is too large to build in the request."""
    monkeypatch.setitem(app.config, "REPORT_INLINE_LIMIT", 0)


@pytest.fixture
def held(monkeypatch):
    """Jobs are only noted, not run, so a run stays queued until a test builds it."""
    queued: list[tuple] = []
    monkeypatch.setattr(runs.jobs, "enqueue", lambda func, *args: queued.append((func, args)))
    return queued


def all_runs() -> list[ReportRun]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(ReportRun).order_by(ReportRun.id)))


def test_a_large_report_offers_a_background_build(as_lead, large):
    page = as_lead.get("/reports/fake?region=london").get_data(as_text=True)
    assert "This report covers 4 records, so it is built in the background." in page
    assert 'action="/reports/fake/build?region=london"' in page
    assert "Build the report" in page
    assert "<caption" not in page  # nothing built in the request
    assert all_runs() == []  # and a GET asks for nothing


def test_asking_twice_while_it_is_built_makes_one_run(as_lead, large, held):
    for _attempt in range(2):
        response = as_lead.post("/reports/fake/build?region=london")
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/reports/fake?region=london")
    (run,) = all_runs()
    assert held == [("lms.reports.tasks.build_report", (run.id,))]
    assert run.report == "fake"
    assert run.status is RunStatus.QUEUED
    assert run.requested_by_id == as_lead.user.id
    assert runs.run_filters(run) == Filters(region="london")
    page = as_lead.get("/reports/fake?region=london").get_data(as_text=True)
    assert "Being built. We'll send you a notification when it is ready." in page
    assert "Refresh this page" in page
    assert 'action="/reports/fake/build' not in page
    # Other filters are another report.
    as_lead.post("/reports/fake/build?region=wales")
    assert len(all_runs()) == 2


def test_the_job_builds_the_report_and_tells_the_lead(as_lead, large, run_jobs, outbox):
    response = as_lead.post("/reports/fake/build?region=london", follow_redirects=True)
    assert response.status_code == 200
    run_jobs()
    (run,) = all_runs()
    assert run.status is RunStatus.READY
    assert run.started_at and run.finished_at and run.error is None
    assert run.row_count == 1 + 4  # one region row, four organisations
    notes = db.session.scalars(
        db.select(Notification).where(Notification.user_id == as_lead.user.id)
    ).all()
    assert [n.link for n in notes] == [f"/reports/runs/{run.id}"]
    assert "Organisations by region" in notes[0].message
    (email,) = [m for m in outbox() if m.recipient == as_lead.user.email]
    assert email.subject == "Your report is ready"
    assert f"/reports/runs/{run.id}" in email.body

    page = as_lead.get("/reports/fake?region=london").get_data(as_text=True)
    assert "The latest report with these filters was built on" in page
    assert f'href="/reports/runs/{run.id}"' in page
    assert "Build the report again" in page


def test_the_run_page_shows_the_stored_tables(as_lead, large, run_jobs, login_as):
    as_lead.post("/reports/fake/build?region=london")
    run_jobs()
    (run,) = all_runs()
    other_lead = login_as(Role.LEAD)  # any lead may see it
    page = other_lead.get(f"/reports/runs/{run.id}").get_data(as_text=True)
    assert "Built on" in page
    assert "London" in page and "All intakes" in page and "All organisations" in page
    assert "Date the organisation was added" in page
    caption = 'class="nhsuk-table__caption nhsuk-table__caption--s" id="caption-regions">By region'
    assert caption in page
    assert "80.0%" not in page and "100.0%" in page  # London is all of the filtered four
    assert 'class="app-chart"' in page
    assert f'href="/reports/runs/{run.id}/download.xlsx"' in page
    assert f'href="/reports/runs/{run.id}/download.csv?table=names"' in page

    response = other_lead.get(f"/reports/runs/{run.id}/download.xlsx")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["About", "By region", "Every organisation"]
    assert [c.value for c in book["By region"][2]] == ["London", 4, 100]

    response = other_lead.get(f"/reports/runs/{run.id}/download.csv?table=names")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Organisation,Region code"
    assert len(lines) == 5


def test_inline_downloads_of_a_large_report_go_to_its_page(as_lead, large):
    response = as_lead.get("/reports/fake/download.xlsx?region=london")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/reports/fake?region=london")
    response = as_lead.get("/reports/fake/download.csv?table=names&region=london")
    assert response.headers["Location"].endswith("/reports/fake?region=london")


def test_the_run_is_built_in_the_language_of_the_lead_who_asked(login_as, large, held, make_user):
    welsh = make_user(Role.LEAD, language="cy")
    run = runs.request_run(runs_report(), Filters(), welsh)
    tasks.build_report(run.id)
    assert run.status is RunStatus.READY
    assert runs.tables_of(run)[0].headings["region"] == "Rhanbarth"


def runs_report():
    from lms.reports import registry

    return registry.get("fake")


def test_building_is_safe_to_run_twice(large, held, make_user):
    lead = make_user(Role.LEAD)
    run = runs.request_run(runs_report(), Filters(), lead)
    tasks.build_report(run.id)
    finished, result = run.finished_at, run.result
    tasks.build_report(run.id)
    assert run.finished_at == finished and run.result == result
    tasks.build_report(999999)  # a run that is gone is ignored
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 1


def test_stored_tables_read_back_as_they_were_built(large, held, make_user, fake):
    run = runs.request_run(fake, Filters(), make_user(Role.LEAD))
    tasks.build_report(run.id)
    built = fake.build(fake.load(Filters()))
    stored = runs.tables_of(run)
    assert [t.key for t in stored] == ["regions", "names"]
    assert stored[0].frame.values.tolist() == [["London", 4, 80.0], ["Wales", None, None]]
    assert stored[0].note == built[0].note
    assert stored[1].frame.values.tolist() == built[1].frame.values.tolist()


def test_a_start_after_the_end_is_refused(large, held, make_user, fake):
    with pytest.raises(runs.RunError):
        runs.request_run(fake, Filters(start=date(2026, 5, 2), end=date(2026, 5, 1)), None)


def test_a_failed_build_is_shown_and_can_be_built_again(as_lead, large, fake, run_jobs, outbox):
    fake.fail = True
    as_lead.post("/reports/fake/build")
    run_jobs()
    (run,) = all_runs()
    assert run.status is RunStatus.FAILED
    assert "the fake report failed" in run.error
    failure = db.session.scalar(db.select(JobFailure))
    assert failure.func == "lms.reports.tasks.build_report" and failure.args == [run.id]
    assert any(m.subject == "Your report could not be built" for m in outbox())
    page = as_lead.get(f"/reports/runs/{run.id}").get_data(as_text=True)
    assert "The report could not be built" in page
    assert f'action="/reports/runs/{run.id}/build"' in page
    # The report page offers to build it again too (a failed run is not "being built").
    assert "Build the report" in as_lead.get("/reports/fake").get_data(as_text=True)

    fake.fail = False
    response = as_lead.post(f"/reports/runs/{run.id}/build")
    run_jobs()
    first, again = all_runs()
    assert response.headers["Location"].endswith(f"/reports/runs/{again.id}")
    assert first.status is RunStatus.FAILED and again.status is RunStatus.READY
    assert "Built on" in as_lead.get(f"/reports/runs/{again.id}").get_data(as_text=True)
