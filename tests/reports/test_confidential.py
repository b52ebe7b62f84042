"""No report, on its page or in any download, shows what people said in confidence:
challenge text, actions and their supports and risks, learning notes, session logs,
feedback comments, or trainees' names (SPEC section 10; issue 8).

Every real report is checked, built in the request and built in the background.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.extensions import db
from lms.practice.models import (
    Action,
    FeedbackResponse,
    FollowThrough,
    FollowThroughStatus,
    PracticeAttendance,
    PracticeAttendanceStatus,
    Presentation,
    SessionLog,
    Theme,
)
from lms.reports.models import ReportRun
from lms.reports.registry import REPORTS

MARK = "SECRET-"


@pytest.fixture
def programme(make_set, make_user, make_organisation):
    """One set with two sessions held: presenters with confidential challenges, actions,
    follow-through learning notes, the facilitators' session logs and feedback comments.
    Every piece of confidential text, and every trainee's name, carries the marker."""
    trainees = [
        make_user(Role.TRAINEE, name=f"{MARK}TRAINEE-{n}", organisation=make_organisation())
        for n in range(6)
    ]
    practice_set = make_set(trainees=trainees, sessions=4)
    first, second = practice_set.sessions[:2]
    for session in (first, second):
        session.started_at = session.starts_at
        session.closed_at = session.ends_at - timedelta(minutes=1)
        for person in trainees:
            db.session.add(
                PracticeAttendance(
                    session_id=session.id,
                    user_id=person.id,
                    status=PracticeAttendanceStatus.PRESENT,
                )
            )
    for n, person in enumerate(trainees[:4]):
        presentation = Presentation(
            session_id=first.id,
            set_id=practice_set.id,
            presenter_id=person.id,
            position=n + 1,
            theme=Theme.ESCALATION,
            challenge=f"{MARK}CHALLENGE-{n}",
        )
        db.session.add(presentation)
        db.session.flush()
        action = Action(
            presentation_id=presentation.id,
            set_id=practice_set.id,
            session_id=first.id,
            owner_id=person.id,
            text=f"{MARK}ACTION-{n}",
            supports=f"{MARK}SUPPORTS-{n}",
            risks=f"{MARK}RISKS-{n}",
        )
        db.session.add(action)
        db.session.flush()
        db.session.add(
            FollowThrough(
                action_id=action.id,
                session_id=second.id,
                status=FollowThroughStatus.DONE,
                learning_note=f"{MARK}LEARNING-{n}",
            )
        )
    for n in range(5):
        db.session.add(
            FeedbackResponse(
                session_id=first.id,
                kept_to_time=4,
                fair_say=5,
                questions_helped=4,
                clear_action=3,
                comment=f"{MARK}COMMENT-{n}",
            )
        )
    for facilitator in practice_set.facilitators:
        db.session.add(
            SessionLog(
                session_id=first.id,
                author_id=facilitator.user_id,
                went_well=f"{MARK}WENT-WELL",
                do_differently=f"{MARK}DIFFERENTLY",
            )
        )
    db.session.flush()
    return practice_set


def no_marker(where: str, text: str) -> None:
    assert MARK not in text, f"{where}: {text[text.index(MARK) - 200 : text.index(MARK) + 60]}"


def check_xlsx(where: str, data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.namelist():
            no_marker(f"{where} {part}", archive.read(part).decode("utf-8", "replace"))


def csv_tables(page: str, prefix: str) -> list[str]:
    return re.findall(rf'href="{re.escape(prefix)}download\.csv\?table=([\w-]+)', page)


@pytest.mark.parametrize("key", list(REPORTS))
def test_no_report_shows_confidential_text(login_as, programme, key):
    client = login_as(Role.LEAD)
    response = client.get(f"/reports/{key}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    no_marker(f"{key} page", page)
    assert "download.xlsx" in page, "built in the request"
    response = client.get(f"/reports/{key}/download.xlsx")
    assert response.status_code == 200
    check_xlsx(f"{key} xlsx", response.data)
    tables = csv_tables(page, f"/reports/{key}/")
    assert tables, "every report has at least one table"
    for table in tables:
        response = client.get(f"/reports/{key}/download.csv?table={table}")
        assert response.status_code == 200, table
        no_marker(f"{key} {table}.csv", response.data.decode("utf-8-sig"))


@pytest.mark.parametrize("key", list(REPORTS))
def test_no_report_built_in_the_background_keeps_confidential_text(
    app, login_as, programme, run_jobs, monkeypatch, key
):
    monkeypatch.setitem(app.config, "REPORT_INLINE_LIMIT", -1)
    client = login_as(Role.LEAD)
    client.post(f"/reports/{key}/build")
    run_jobs()
    db.session.expire_all()
    run = db.session.scalar(db.select(ReportRun).where(ReportRun.report == key))
    assert run.status.value == "ready", run.error
    no_marker(f"{key} stored result", repr(run.result))
    page = client.get(f"/reports/runs/{run.id}").get_data(as_text=True)
    no_marker(f"{key} run page", page)
    check_xlsx(f"{key} run xlsx", client.get(f"/reports/runs/{run.id}/download.xlsx").data)
    for table in csv_tables(page, f"/reports/runs/{run.id}/"):
        data = client.get(f"/reports/runs/{run.id}/download.csv?table={table}").data
        no_marker(f"{key} run {table}.csv", data.decode("utf-8-sig"))


@pytest.mark.parametrize("key", list(REPORTS))
def test_every_report_page_works_empty_and_filtered(login_as, make_intake, key, count_queries):
    client = login_as(Role.LEAD)
    assert client.get(f"/reports/{key}").status_code == 200  # no data at all
    intake = make_intake()
    query = (
        f"intake={intake.id}&region=wales&date_from[day]=1&date_from[month]=1"
        "&date_from[year]=2020&date_to[day]=31&date_to[month]=12&date_to[year]=2030"
    )
    with count_queries() as counted:
        assert client.get(f"/reports/{key}?{query}").status_code == 200
    assert counted.count <= 12, counted.statements
