"""Shared fixtures: the app, a database rolled back per test, clients and factories.

The suite runs on SQLite in memory by default. With ``DATABASE_URL`` set (CI sets it
to PostgreSQL) it runs there; with ``REDIS_URL`` set, jobs go through Redis and
:func:`run_jobs` drains them with a real RQ worker. Under pytest-xdist each worker has
its own PostgreSQL database (``<name>_<worker>``), made and dropped here.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import Connection

from config import TestingConfig
from lms import create_app
from lms.accounts.models import Organisation, Region, Role, Sector, User
from lms.applications.models import Intake
from lms.extensions import db as _db
from lms.extensions import limiter

PASSWORD = "a-long-test-passphrase"
# The authenticator secret make_user gives people whose role needs two-factor sign-in.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class RequestIsolatingClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    Without this, a request would reuse the test's app context: ``g`` (and the signed-in
    user cached there) and the database session would leak from one request to the next.
    The test's own session flushes before and expires after each request, so what a test
    reads afterwards comes from the database.
    """

    def open(self, *args, **kwargs):
        if has_app_context() and _db.session.registry.has():
            _db.session.flush()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context() and _db.session.registry.has():
            _db.session.expire_all()
        return response


def _worker_database() -> Iterator[str | None]:
    """Under pytest-xdist on PostgreSQL, a database of this worker's own (its URL)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("DATABASE_URL", "")
    if not worker or not url.startswith(("postgres://", "postgresql")):
        yield None
        return
    import sqlalchemy as sa

    from config import _database_url

    base = sa.make_url(_database_url(url))
    name = f"{base.database}_{worker}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _worker_redis(url: str) -> str:
    """Under pytest-xdist, a Redis database of this worker's own for rate limits: resetting
    the limiter between tests clears every limit in its database, whatever the prefix."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    from urllib.parse import urlsplit, urlunsplit

    number = 1 + int(worker.removeprefix("gw"))
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


@pytest.fixture(scope="session")
def database_url() -> Iterator[str | None]:
    yield from _worker_database()


@pytest.fixture(scope="session")
def app(database_url) -> Iterator[Flask]:
    overrides = {}
    if database_url:
        overrides["SQLALCHEMY_DATABASE_URI"] = database_url
    if os.environ.get("REDIS_URL"):
        overrides["REDIS_URL"] = os.environ["REDIS_URL"]
        overrides["RQ_QUEUE"] = f"lms-test-{os.getpid()}"
        overrides["RATELIMIT_STORAGE_URI"] = _worker_redis(os.environ["REDIS_URL"])
        overrides["RATELIMIT_KEY_PREFIX"] = f"lms-test-{os.getpid()}"
    app = create_app(TestingConfig, **overrides)
    app.test_client_class = RequestIsolatingClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()  # tests only; the app itself is built by migrations
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


@contextmanager
def rolled_back(app: Flask) -> Iterator[Connection]:
    """Everything inside happens in one outer transaction that is rolled back at the end.

    Requests still "commit": each commit only releases a savepoint inside the outer
    transaction. Yields the connection, so a caller can take a savepoint of its own.
    The ``db`` fixture uses it per test; module-scoped worlds of demo data use it once.
    """
    with app.app_context():
        engine = _db.engine
        connection = engine.connect()
        outer = connection.begin()
        _db.session.remove()
        factory = _db.session.session_factory
        factory.configure(join_transaction_mode="create_savepoint")
        # Flask-SQLAlchemy picks the bind from db.engines, so point the default at the
        # connection for as long as this lasts.
        engines = _db.engines
        engines[None] = connection
        try:
            yield connection
        finally:
            _db.session.remove()
            engines[None] = engine
            if outer.is_active:
                outer.rollback()
            connection.close()
    limiter.reset()


@pytest.fixture
def db(app: Flask) -> Iterator:
    """A database session whose work is rolled back after each test."""
    with rolled_back(app):
        yield _db


@pytest.fixture
def client(app: Flask, db) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_organisation(db) -> Callable[..., Organisation]:
    counter = iter(range(1, 10_000))

    def make(
        name: str | None = None,
        sector: Sector = Sector.ACUTE,
        region: Region = Region.LONDON,
        ods_code: str | None = None,
    ) -> Organisation:
        org = Organisation(
            name=name or f"Test Trust {next(counter)}",
            sector=sector,
            region=region,
            ods_code=ods_code,
        )
        db.session.add(org)
        db.session.flush()
        return org

    return make


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(
        *roles: Role,
        email: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
        **fields,
    ) -> User:
        """``two_factor=False`` leaves out the confirmed authenticator that people whose
        role needs one get (``True`` gives one to anybody)."""
        from lms.accounts import services, two_factor

        n = next(counter)
        wants_two_factor = fields.pop("two_factor", None)
        user = services.register_user(
            email or f"person{n}@example.org", name or f"Person {n}", password, roles=roles
        )
        for key, value in fields.items():
            setattr(user, key, value)
        if wants_two_factor or (wants_two_factor is None and two_factor.is_required(user)):
            two_factor.enable_with_secret(user, TOTP_SECRET)
        db.session.flush()
        return user

    return make


@pytest.fixture
def make_intake(db) -> Callable[..., Intake]:
    from lms.applications import services

    counter = iter(range(1, 10_000))

    def make(open_for_days: int = 14, opened_days_ago: int = 7, capacity: int = 10, **fields):
        today = services.today()
        opens_on = today - timedelta(days=opened_days_ago)
        closes_on = today + timedelta(days=open_for_days)
        intake = Intake(
            name=fields.pop("name", f"Intake {next(counter)}"),
            opens_on=fields.pop("opens_on", opens_on),
            closes_on=fields.pop("closes_on", closes_on),
            programme_starts_on=fields.pop("programme_starts_on", closes_on + timedelta(days=30)),
            capacity=capacity,
            delivery_modes=fields.pop("delivery_modes", ["online", "blended", "in_person"]),
            regions=fields.pop("regions", ["wales", "london"]),
        )
        db.session.add(intake)
        db.session.flush()
        return intake

    return make


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], FlaskClient]:
    def do_login(user: User, password: str = PASSWORD) -> FlaskClient:
        sign_in(client, user, password)
        return client

    return do_login


def sign_in(client: FlaskClient, user: User, password: str = PASSWORD):
    """Sign ``client`` in as ``user`` the real way: the password, then the authenticator
    code if they have two-factor sign-in. Returns the last response (a redirect)."""
    response = client.post("/sign-in", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    if response.location.endswith("/sign-in/code"):
        response = client.post("/sign-in/code", data={"code": fresh_code(user)})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def fresh_code(user: User) -> str:
    """The person's current authenticator code, usable now: the guard against a code used
    twice is reset first, so a test may sign the same person in several times a minute."""
    import pyotp

    from lms.accounts import two_factor

    record = two_factor.record_for(user)
    record.last_used_step = None
    _db.session.flush()
    return pyotp.TOTP(record.secret).now()


@pytest.fixture
def login_as(make_user, login) -> Callable[..., FlaskClient]:
    """Sign in as a new person holding ``roles``; returns the client (``.user`` is set)."""

    def do(*roles: Role, **fields) -> FlaskClient:
        user = make_user(*roles, **fields)
        client = login(user)
        client.user = user  # type: ignore[attr-defined]
        return client

    return do


@pytest.fixture
def run_jobs(app: Flask) -> Callable[[], None]:
    """Run queued jobs now: a real RQ worker in burst mode when Redis is in use."""

    def run() -> None:
        if not app.config.get("REDIS_URL"):
            return  # inline: they already ran
        from redis import Redis
        from rq import SimpleWorker

        connection = Redis.from_url(app.config["REDIS_URL"])
        worker = SimpleWorker([app.config["RQ_QUEUE"]], connection=connection)
        worker.work(burst=True)

    return run


@pytest.fixture
def outbox(db, run_jobs) -> Callable[[], list]:
    from lms.notifications.models import EmailMessage

    def read() -> list[EmailMessage]:
        _db.session.commit()  # hand pending jobs to Redis (a savepoint release here)
        run_jobs()
        return list(_db.session.scalars(_db.select(EmailMessage).order_by(EmailMessage.id)))

    return read


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(db) -> Callable[[], QueryCounter]:
    """``with count_queries() as q: ...`` then ``q.count``: SQL statements issued."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = QueryCounter()
        engine = _db.session.get_bind().engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


@pytest.fixture
def make_set(db, make_user, make_intake, make_organisation) -> Callable[..., object]:
    """A confirmed action learning set: ``facilitators`` (made if not given, each from
    their own organisation), ``trainees`` members (default 6, each from their own
    organisation), and ``sessions`` weekly sessions of 90 minutes starting ``first``
    (default: three weeks ago, so the first three are past)."""
    from lms.applications.models import DeliveryMode, IntakeFacilitator
    from lms.practice.models import (
        PracticeSession,
        PracticeSet,
        SetFacilitator,
        SetMember,
        SetStatus,
        TraineeProfile,
    )

    counter = iter(range(1, 10_000))

    def make(
        facilitators: list[User] | None = None,
        trainees: list[User] | int = 6,
        sessions: int = 4,
        first: datetime | None = None,
        intake: Intake | None = None,
        **fields,
    ):
        n = next(counter)
        intake = intake or make_intake()
        if facilitators is None:
            facilitators = [
                make_user(Role.FACILITATOR, organisation=make_organisation()) for _ in range(2)
            ]
        for person in facilitators:
            joined = db.select(IntakeFacilitator).filter_by(intake_id=intake.id, user_id=person.id)
            if db.session.scalar(joined) is None:
                db.session.add(IntakeFacilitator(intake_id=intake.id, user_id=person.id))
        if isinstance(trainees, int):
            trainees = [
                make_user(Role.TRAINEE, organisation=make_organisation()) for _ in range(trainees)
            ]
        for person in trainees:
            if (
                db.session.scalar(
                    db.select(TraineeProfile).where(TraineeProfile.user_id == person.id)
                )
                is None
            ):
                db.session.add(TraineeProfile(user_id=person.id, gmts_intake="GMTS 2026"))
        practice_set = PracticeSet(
            intake_id=intake.id,
            gmts_intake="GMTS 2026",
            name=fields.pop("name", f"Set {n}"),
            status=fields.pop("status", SetStatus.CONFIRMED),
            mode=fields.pop("mode", DeliveryMode.ONLINE),
            joining_link=fields.pop("joining_link", "https://meet.example.org/set"),
            **fields,
        )
        practice_set.facilitators = [SetFacilitator(user_id=p.id) for p in facilitators]
        practice_set.members = [SetMember(user_id=p.id) for p in trainees]
        start = first or (datetime.now(UTC) - timedelta(weeks=3)).replace(
            hour=9, minute=30, second=0, microsecond=0
        )
        practice_set.sessions = [
            PracticeSession(
                number=i + 1,
                starts_at=start + timedelta(weeks=i),
                ends_at=start + timedelta(weeks=i, minutes=90),
            )
            for i in range(sessions)
        ]
        db.session.add(practice_set)
        db.session.flush()
        return practice_set

    return make
