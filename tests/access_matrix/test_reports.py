"""Reports (SPEC sections 2 and 10): programme leads see the reports and their downloads,
built in the request or in the background; every other role is refused with 403. Any lead
may read any lead's background run, as any lead may build the same report."""

from __future__ import annotations

import pytest

from lms.accounts.models import Role
from lms.extensions import db
from lms.reports.models import ReportRun
from tests.access_matrix.changes import allowed_posts, check_allowed_post
from tests.access_matrix.conftest import Route, cases, holders

LEADS = holders(Role.LEAD)


def report(w):
    return {"key": w.report_key}


def run(w):
    return {"run_id": w.report_run}


def runs_of_report(w) -> int:
    """How many runs there are: a refused build must not queue one."""
    return db.session.scalar(db.select(db.func.count()).select_from(ReportRun))


ROUTES = [
    Route("reports.show", report, allow=LEADS),
    Route("reports.build", report, allow=LEADS, state=runs_of_report),
    Route("reports.download_csv", lambda w: {**report(w), "table": "funnel"}, allow=LEADS),
    Route("reports.download_xlsx", report, allow=LEADS),
    Route("reports.show_run", run, allow=LEADS),
    Route("reports.rebuild_run", run, allow=LEADS, state=runs_of_report),
    Route("reports.download_run_csv", lambda w: {**run(w), "table": "funnel"}, allow=LEADS),
    Route("reports.download_run_xlsx", run, allow=LEADS),
]


@pytest.mark.parametrize("case", cases(ROUTES))
def test_access(matrix, case):
    matrix.check(case)


# Building a run again is only for a failed run; the world's run is ready.
UNCHANGEABLE = {"reports.rebuild_run"}


@pytest.mark.parametrize(("route", "actor"), allowed_posts(ROUTES, skip=UNCHANGEABLE))
def test_the_refused_body_would_have_changed_the_record(matrix, route, actor):
    check_allowed_post(matrix, route, actor)
