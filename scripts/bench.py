"""Benchmark the platform against SPEC section 12: key pages, reports, pairing, allocation.

Not a test: it prints markdown tables with the target beside each figure. Run from the
project root (it takes several minutes at ``--factor 1``):

    PYTHONPATH=. .venv/bin/python scripts/bench.py [--factor 1] [--requests 30]
        [--database-url URL] [--skip-scale] [--no-gc-freeze]

By default each data set goes into a throwaway SQLite file under a temporary folder. A
``--database-url`` database is WIPED (every table dropped) before each data set: give it
a database of its own. Jobs run inline (no Redis) and rate limits are off.

1. Demo data (``flask seed demo``): SQL statements for one request to each key page.
2. Scale data (``lms.scale.seed_scale``): the seed time; statements, median and p95 time
   for each key page as a typical person of each role; each report's background build.
3. Each report's ``load`` + ``build`` over all the scale data.
4. Buddy pairing of 500 facilitators and set allocation of 1,000 trainees.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import logging
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, url_for
from sqlalchemy import MetaData, event, func, text

from config import DevelopmentConfig, _database_url

MAX_STATEMENTS = 12
MAX_P95_MS = 100.0
MAX_REPORT_S = 3.0
MAX_ALGORITHM_S = 10.0
SKIPPED = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
misses: list[str] = []
FREEZE_GC = True  # --no-gc-freeze turns it off


# The app and its databases ---------------------------------------------------------------


def make_app(url: str, uploads: Path) -> Flask:
    """The app as it runs in production, on ``url``: jobs inline, no rate limits."""
    from lms import create_app

    return create_app(
        DevelopmentConfig,
        SQLALCHEMY_DATABASE_URI=_database_url(url),
        REDIS_URL=None,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_ENABLED=False,
        WTF_CSRF_ENABLED=False,  # the benchmark signs in with the test client
        SERVER_NAME="localhost",
        UPLOAD_FOLDER=str(uploads),
        DEBUG=False,
    )


def fresh_database(app: Flask) -> None:
    """Drop every table, migrate to the newest revision (never ``create_all``) and load
    the module content, as ``make content`` does."""
    import flask_migrate

    from lms.curriculum.content import load_directory
    from lms.curriculum.sync import sync_modules
    from lms.extensions import db

    with app.app_context():
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":  # its enum types go with the schema
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            else:
                tables = MetaData()
                tables.reflect(bind=connection)
                tables.drop_all(bind=connection)
        logging.disable(logging.INFO)  # Alembic's line per migration
        try:
            flask_migrate.upgrade()
        finally:
            logging.disable(logging.NOTSET)
        modules, errors = load_directory(Path(app.config["CONTENT_DIR"]))
        if errors:
            raise SystemExit(f"content problems: {errors}")
        sync_modules(modules)
        db.session.commit()


class StatementCounter:
    """Counts SQL statements on an engine, leaving out transaction control."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, conn, cursor, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(SKIPPED):
            self.count += 1


@contextmanager
def counting(app: Flask) -> Iterator[StatementCounter]:
    from lms.extensions import db

    with app.app_context():
        engine = db.engine
    counter = StatementCounter()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


# Who looks at what -------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    who: str  # a key of Setting.people
    endpoint: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class Setting:
    """The people (role -> email) and records the key pages are shown for."""

    password: str
    people: dict[str, str]
    ids: dict[str, int | None]


def _scalar(statement) -> Any:
    from lms.extensions import db

    return db.session.scalar(statement)


def find_records(people: dict[str, str]) -> dict[str, int | None]:
    """The records behind the key pages, found from the people chosen."""
    from lms.accounts.models import User
    from lms.applications.models import Application, ApplicationStatus, IntakeFacilitator
    from lms.db_types import utcnow
    from lms.extensions import db
    from lms.practice.models import PracticeSession, SetFacilitator
    from lms.supervision.models import GroupMembership, SupervisionGroup

    def user_id(role: str) -> int | None:
        return _scalar(db.select(User.id).where(User.email == people[role]))

    facilitator, supervisor = user_id("facilitator"), user_id("supervisor")
    busiest_intake = (
        db.select(Application.intake_id)
        .where(Application.status != ApplicationStatus.DRAFT)
        .group_by(Application.intake_id)
        .order_by(func.count().desc(), Application.intake_id)
        .limit(1)
    )
    now = utcnow()
    held = (
        db.select(PracticeSession.id)
        .join(SetFacilitator, SetFacilitator.set_id == PracticeSession.set_id)
        .where(SetFacilitator.user_id == facilitator)
        .order_by((PracticeSession.starts_at <= now).desc(), PracticeSession.starts_at.desc())
        .limit(1)
    )
    member_count = (
        db.select(func.count())
        .where(GroupMembership.group_id == SupervisionGroup.id, GroupMembership.left_at.is_(None))
        .scalar_subquery()
    )
    group = (
        db.select(SupervisionGroup.id)
        .where(SupervisionGroup.supervisor_id == supervisor)
        .order_by(member_count.desc(), SupervisionGroup.id)
        .limit(1)
    )
    group_id = _scalar(group)
    member = _scalar(
        db.select(GroupMembership.user_id)
        .where(GroupMembership.group_id == group_id, GroupMembership.left_at.is_(None))
        .order_by(GroupMembership.user_id)
        .limit(1)
    )
    return {
        "applications_intake": _scalar(busiest_intake),
        "facilitator_intake": _scalar(
            db.select(IntakeFacilitator.intake_id)
            .where(IntakeFacilitator.user_id == facilitator)
            .order_by(IntakeFacilitator.intake_id.desc())
            .limit(1)
        ),
        "session": _scalar(held),
        "group": group_id,
        "group_member": member,
    }


def key_pages(ids: dict[str, int | None]) -> list[Page]:
    pages = [
        Page(f"home ({role})", role, "main.home")
        for role in ("applicant", "facilitator", "trainee", "supervisor", "reviewer", "lead")
    ]
    pages += [
        Page("home (admin)", "admin", "main.home"),
        Page(
            "lead: applications for an intake",
            "lead",
            "applications.list_applications",
            {"intake_id": ids["applications_intake"]},
        ),
        Page("reviewer: reviews", "reviewer", "applications.list_reviews"),
        Page("applicant: my applications", "applicant", "applications.list_my_applications"),
        Page(
            "lead: training progress",
            "lead",
            "curriculum.intake_progress",
            {"intake_id": ids["facilitator_intake"]},
        ),
        Page(
            "facilitator: session console",
            "facilitator",
            "practice.console",
            {"session_id": ids["session"]},
        ),
        Page("facilitator: portfolio", "facilitator", "assessment.portfolio"),
        Page("facilitator: readiness", "facilitator", "assessment.readiness"),
        Page(
            "supervisor: person's portfolio",
            "supervisor",
            "assessment.person_portfolio",
            {"user_id": ids["group_member"]},
        ),
        Page(
            "supervisor: supervision group",
            "supervisor",
            "supervision.show_group",
            {"group_id": ids["group"]},
        ),
        Page(
            "lead: supervision group", "lead", "supervision.show_group", {"group_id": ids["group"]}
        ),
    ]
    return pages + report_pages(ids)


def report_pages(ids: dict[str, int | None]) -> list[Page]:
    registry = reports_registry()
    if registry is None:
        return []
    pages = []
    for key in registry.REPORTS:
        pages.append(Page(f"report {key}", "lead", "reports.show", {"key": key}))
        if ids.get(f"run:{key}"):
            run = {"run_id": ids[f"run:{key}"]}
            pages.append(Page(f"report {key} (built run)", "lead", "reports.show_run", run))
        intake = {"key": key, "intake": ids["facilitator_intake"]}
        pages.append(Page(f"report {key} (one intake)", "lead", "reports.show", intake))
    return pages


def reports_registry():
    """``lms.reports.registry`` once the report pages exist, else None."""
    if importlib.util.find_spec("lms.reports.routes") is None:
        return None
    from lms.reports import registry

    return registry


# Measuring pages -------------------------------------------------------------------------


@dataclass
class Measure:
    name: str
    status: int
    statements: int
    times_ms: list[float] = field(default_factory=list)

    def percentile(self, share: float) -> float | None:
        if not self.times_ms:
            return None
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_pages(app: Flask, setting: Setting, pages: list[Page], requests: int) -> list[Measure]:
    """Statements for one request to each page (after a warm-up), and ``requests`` timings.

    Unless ``--no-gc-freeze``, what the process holds before the pages are measured is
    frozen out of the garbage collector first, as ``wsgi.py`` does after start-up:
    otherwise a full collection (~100 ms over the ~200,000 objects the app holds after
    start-up) lands on whichever request is running, about one request in ten."""
    if FREEZE_GC:
        gc.collect()
        gc.freeze()
    try:
        return _measure_pages(app, setting, pages, requests)
    finally:
        gc.unfreeze()


def _code(app: Flask, who: str, setting: Setting) -> str:
    """The current two-factor code of a benchmark person whose role needs one."""
    import pyotp

    from lms.accounts.services import find_user_by_email
    from lms.accounts.two_factor import record_for

    with app.app_context():
        return pyotp.TOTP(record_for(find_user_by_email(setting.people[who])).secret).now()


def _measure_pages(app: Flask, setting: Setting, pages: list[Page], requests: int) -> list[Measure]:
    clients = {}
    results = []
    for page in pages:
        if page.who not in clients:
            client = app.test_client()
            response = client.post(
                "/sign-in",
                data={"email": setting.people[page.who], "password": setting.password},
            )
            if response.headers.get("Location", "").startswith("/sign-in/code"):
                response = client.post(
                    "/sign-in/code", data={"code": _code(app, page.who, setting)}
                )
            if response.status_code != 302:
                raise SystemExit(f"could not sign in as {setting.people[page.who]}")
            clients[page.who] = client
        client = clients[page.who]
        if any(value is None for value in page.args.values()):
            results.append(Measure(page.name + " (no such record)", 0, 0))
            continue
        with app.test_request_context():
            path = url_for(page.endpoint, **page.args)
        client.get(path)  # warm-up: templates compiled, caches filled
        with counting(app) as counter:
            response = client.get(path)
        measure = Measure(page.name, response.status_code, counter.count)
        for _ in range(requests):
            started = time.perf_counter()
            client.get(path)
            measure.times_ms.append((time.perf_counter() - started) * 1000)
        results.append(measure)
    return results


def verdict(ok: bool, what: str) -> str:
    if not ok:
        misses.append(what)
    return "PASS" if ok else "MISS"


def page_table(title: str, results: list[Measure], timed: bool) -> None:
    print(f"\n### {title}\n")
    label = "scale" if timed else "demo"
    if timed:
        print("| Page | HTTP | Statements (<= 12) | Median ms | p95 ms (< 100) | Result |")
        print("|---|---|---|---|---|---|")
    else:
        print("| Page | HTTP | Statements (<= 12) | Result |")
        print("|---|---|---|---|")
    for m in results:
        ok = m.status == 200 and m.statements <= MAX_STATEMENTS
        if timed:
            p95 = m.percentile(0.95)
            ok = ok and p95 is not None and p95 < MAX_P95_MS
            median = f"{statistics.median(m.times_ms):.1f}" if m.times_ms else "-"
            p95_text = f"{p95:.1f}" if p95 is not None else "-"
            result = verdict(ok, f"{label}: {m.name}")
            print(f"| {m.name} | {m.status} | {m.statements} | {median} | {p95_text} | {result} |")
        else:
            result = verdict(ok, f"{label}: {m.name}")
            print(f"| {m.name} | {m.status} | {m.statements} | {result} |")


# The data sets -----------------------------------------------------------------------------


def demo_setting() -> Setting:
    from lms.demo import DEMO_PASSWORD, seed_demo
    from lms.extensions import db

    seed_demo()
    db.session.commit()
    people = {
        role: f"{role}@example.org"
        for role in ("applicant", "facilitator", "trainee", "supervisor", "reviewer", "lead")
    }
    people["admin"] = "admin@example.org"
    return Setting(DEMO_PASSWORD, people, find_records(people))


def scale_people() -> dict[str, str]:
    """A typical person of each role in the scale data."""
    from lms.accounts.models import Role, User, UserRole
    from lms.applications.models import Application, ApplicationStatus, ReviewAssignment
    from lms.db_types import utcnow
    from lms.extensions import db
    from lms.practice.models import PracticeSession, PracticeSet, SetFacilitator, SetMember
    from lms.supervision.models import GroupMembership, SupervisionGroup

    def email(statement) -> str | None:
        user_id = _scalar(statement.limit(1))
        return _scalar(db.select(User.email).where(User.id == user_id))

    def with_role(role: Role):
        return db.select(UserRole.user_id).where(UserRole.role == role).order_by(UserRole.user_id)

    in_group = db.select(GroupMembership.user_id).where(GroupMembership.left_at.is_(None))
    held_sets = db.select(PracticeSession.set_id).where(PracticeSession.starts_at <= utcnow())
    busiest_group = (
        db.select(SupervisionGroup.supervisor_id)
        .join(GroupMembership, GroupMembership.group_id == SupervisionGroup.id)
        .where(GroupMembership.left_at.is_(None))
        .group_by(SupervisionGroup.id, SupervisionGroup.supervisor_id)
        .order_by(func.count().desc(), SupervisionGroup.id)
    )
    busiest_reviewer = (
        db.select(ReviewAssignment.reviewer_id)
        .group_by(ReviewAssignment.reviewer_id)
        .order_by(func.count().desc(), ReviewAssignment.reviewer_id)
    )
    people = {
        "facilitator": email(
            db.select(SetFacilitator.user_id)
            .join(PracticeSet, PracticeSet.id == SetFacilitator.set_id)
            .where(SetFacilitator.user_id.in_(in_group), PracticeSet.id.in_(held_sets))
            .order_by(PracticeSet.id.desc(), SetFacilitator.user_id)
        ),
        "trainee": email(db.select(SetMember.user_id).order_by(SetMember.id)),
        "supervisor": email(busiest_group),
        "reviewer": email(busiest_reviewer),
        "lead": email(with_role(Role.LEAD)),
        "admin": email(with_role(Role.ADMIN)),
        "applicant": email(
            db.select(Application.applicant_id)
            .where(Application.status == ApplicationStatus.SUBMITTED)
            .where(Application.applicant_id.in_(with_role(Role.APPLICANT)))
            .order_by(Application.id)
        ),
    }
    missing = [role for role, address in people.items() if address is None]
    if missing:
        print(f"No {', '.join(missing)} in the scale data: those pages are left out.")
    return {role: address for role, address in people.items() if address is not None}


def run_scale(app: Flask, factor: float, requests: int) -> None:
    """Seed the scale data (timed), build each report, measure the key pages, and time
    each report's load + build."""
    if importlib.util.find_spec("lms.scale") is None:
        print("\nScale data: not available yet (lms.scale does not exist).")
        return
    from lms.extensions import db
    from lms.scale import SCALE_PASSWORD, seed_scale

    with app.app_context():
        started = time.perf_counter()
        counts = seed_scale(factor)
        seconds = time.perf_counter() - started
        print(f"\n### Scale data (factor {factor})\n")
        print(f"Seeded in {seconds:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        people = scale_people()
        setting = Setting(SCALE_PASSWORD, people, find_records(people))
        db.session.remove()
    build_reports(app, setting)
    pages = [p for p in key_pages(setting.ids) if p.who in setting.people]
    page_table(
        f"Key pages, scale data ({requests} requests each)",
        measure_pages(app, setting, pages, requests),
        timed=True,
    )
    report_algorithms(app)


def build_reports(app: Flask, setting: Setting) -> None:
    """Each report's background build over all the data, as a worker runs the job; the
    runs are kept in ``setting.ids`` so their pages can be measured."""
    registry = reports_registry()
    if registry is None:
        print("\nReport builds: not available yet (lms.reports.routes does not exist).")
        return
    from lms import jobs
    from lms.accounts.models import User
    from lms.extensions import db
    from lms.reports.base import Filters
    from lms.reports.models import ReportRun, RunStatus
    from lms.reports.runs import filters_key
    from lms.reports.tasks import JOB

    print("\n### Report background builds, whole scale data\n")
    print("| Report | Build s (< 3) | Rows | Result |")
    print("|---|---|---|---|")
    for key in registry.REPORTS:
        with app.app_context():
            lead = _scalar(db.select(User.id).where(User.email == setting.people["lead"]))
            run = ReportRun(
                report=key,
                filters=Filters().as_dict(),
                filters_key=filters_key(Filters()),
                requested_by_id=lead,
                status=RunStatus.QUEUED,
            )
            db.session.add(run)
            db.session.commit()
            run_id = run.id
        with app.app_context():
            started = time.perf_counter()
            jobs.execute(JOB, [run_id])
            seconds = time.perf_counter() - started
            run = db.session.get(ReportRun, run_id)
            built = run.status is RunStatus.READY
            rows = run.row_count if built else run.status.value
        setting.ids[f"run:{key}"] = run_id
        ok = built and seconds < MAX_REPORT_S
        print(f"| {key} | {seconds:.2f} | {rows} | {verdict(ok, f'report build {key}')} |")


def report_algorithms(app: Flask) -> None:
    """Each report's load + build with no filters, outside any request."""
    registry = reports_registry()
    if registry is None:
        print("\nReport load + build: not available yet (lms.reports does not exist).")
        return
    from lms.reports.base import Filters

    print("\n### Report load + build, whole scale data\n")
    print("| Report | load s | build s | Total s (< 3) | Result |")
    print("|---|---|---|---|---|")
    with app.test_request_context():
        for key, report in registry.REPORTS.items():
            started = time.perf_counter()
            rows = report.load(Filters())
            loaded = time.perf_counter()
            report.build(rows)
            done = time.perf_counter()
            total = done - started
            result = verdict(total < MAX_REPORT_S, f"report load+build {key}")
            print(
                f"| {key} | {loaded - started:.2f} | {done - loaded:.2f} | {total:.2f} | {result} |"
            )


def algorithms() -> None:
    """Buddy pairing of 500 facilitators and set allocation of 1,000 trainees."""
    scripts = Path(__file__).resolve().parent
    sys.path.insert(0, str(scripts))
    from bench_allocation import build_programme
    from bench_pairing import build_intake

    from lms.buddy.pairing import pair
    from lms.buddy.pairing import violations as pairing_violations
    from lms.practice.allocation import allocate
    from lms.practice.allocation import violations as allocation_violations

    candidates, rules = build_intake(500, random.Random(2026))  # noqa: S311 (test data)
    started = time.perf_counter()
    pairing = pair(candidates, rules)
    pair_s = time.perf_counter() - started
    pair_broken = len(pairing_violations(pairing, candidates, rules))
    trainees, teams = build_programme(1000, random.Random(2026))  # noqa: S311 (test data)
    started = time.perf_counter()
    allocation = allocate(trainees, teams, seed=2026)
    allocate_s = time.perf_counter() - started
    allocate_broken = len(allocation_violations(allocation.sets))
    print("\n### Pairing and allocation\n")
    print("| Run | Seconds (< 10) | Violations (0) | Result |")
    print("|---|---|---|---|")
    for name, seconds, broken in (
        ("buddy pairing, 500 facilitators", pair_s, pair_broken),
        ("set allocation, 1,000 trainees", allocate_s, allocate_broken),
    ):
        result = verdict(seconds < MAX_ALGORITHM_S and broken == 0, name)
        print(f"| {name} | {seconds:.2f} | {broken} | {result} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=float, default=1.0, help="scale data size (default 1)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--database-url", help="a throwaway database (it is wiped)")
    parser.add_argument("--skip-scale", action="store_true", help="demo data and algorithms only")
    parser.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="leave the garbage collector as it is (wsgi.py freezes start-up objects)",
    )
    arguments = parser.parse_args()
    global FREEZE_GC
    FREEZE_GC = not arguments.no_gc_freeze
    print(
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{'PostgreSQL' if arguments.database_url else 'SQLite'}"
        f"{', gc.freeze() before timing' if FREEZE_GC else ''}; factor {arguments.factor}, "
        f"{arguments.requests} requests a page"
    )
    with tempfile.TemporaryDirectory(prefix="lms-bench-") as folder:
        base = Path(folder)

        def url(name: str) -> str:
            return arguments.database_url or f"sqlite:///{base / name}.sqlite"

        demo = make_app(url("demo"), base / "uploads")
        started = time.perf_counter()
        fresh_database(demo)
        with demo.app_context():
            setting = demo_setting()
        print(f"Demo data loaded in {time.perf_counter() - started:.1f} s")
        page_table(
            "Key pages, demo data", measure_pages(demo, setting, key_pages(setting.ids), 0), False
        )
        dispose(demo)
        if not arguments.skip_scale:
            scale = make_app(url("scale"), base / "uploads")
            fresh_database(scale)
            run_scale(scale, arguments.factor, arguments.requests)
            dispose(scale)
        algorithms()
    print(f"\nTargets missed: {'; '.join(misses) if misses else 'none'}")


def dispose(app: Flask) -> None:
    from lms.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
