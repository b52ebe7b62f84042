"""The object-access matrix (issue 9, SPEC section 9): who may use each route that takes a
value from its address, checked for every role *and* relationship.

How it works
============

Each ``test_<area>.py`` here declares a table, ``ROUTES``: a list of :class:`Route`. A
route names its endpoint, how to build its address from the :class:`World`, and the
outcome for each actor. One test per module is parametrised over (route, method, actor),
so a failure names all three, e.g. ``applications.show_application-GET-admin``::

    ROUTES = [
        Route(
            "applications.score_application",
            lambda w: {"assignment_id": w.open_assignment},
            allow={"reviewer"},
            hide={"other_reviewer"},  # a reviewer who was not assigned: 404
            # everyone else signed in gets ``default`` (DENY, 403); anonymous people are
            # always sent to sign in
        ),
    ]

    @pytest.mark.parametrize("case", cases(ROUTES))
    def test_access(matrix, case):
        matrix.check(case)

Outcomes
--------
``ALLOW``
    The answer is not 401, 403, 404, 405 or 5xx (200, a redirect that is not to a sign-in
    page, or 400 for a POST without a valid body are all fine), and nothing is refused.
``DENY``
    403, and an ``access.refused`` audit entry for this actor and address was written.
``HIDE``
    404 (the record's existence is itself private), with the same audit entry.
``PUBLIC``
    For token and code addresses anyone may use: the same as ALLOW, anonymous included.

Anyone signed in and not named in ``allow``/``deny``/``hide`` gets ``default`` (DENY unless
the route says HIDE). The anonymous actor is always expected to be sent to sign in, unless
the route's default is PUBLIC.

A refused POST must change nothing: apart from its ``access.refused`` entry no audit entry
may be written (every state change in the app is audited), and if the route gives
``state`` (a function of the world read from the database before and after the request),
it must read the same.

Actors
------
:data:`ACTORS` names everyone asked, by their relationship to the demo's records (each
entry says who they are: "facilitator" is Fatima, owner of Set 1 and her portfolio, in
supervision Group A; "buddy" is Dev, her buddy and co-facilitator; "same_group_facilitator"
is Kwame, "other_group_facilitator" Ioan in Group B; "supervisor" Sam runs Group A,
"other_supervisor" Seren Group B; and so on). :func:`holders` gives the actors holding a
role, for routes that only check one; :data:`SIGNED_IN` is everyone but "anonymous".

Adding a route
--------------
1. Find the records it needs on :class:`World` (built once per module from the demo data,
   see :func:`_build`). If something is missing, add it in your module with a module-level
   ``def extend_world(w: World) -> None``: it runs inside the module's transaction and a
   request context, before anyone signs in; use the services and set ``w.<name> = id``.
2. Add a :class:`Route` to your module's ``ROUTES``. ``values`` returns ``url_for`` values
   (values the rule does not take go into the query string). ``methods`` defaults to every
   method the rule accepts; POSTs send ``data`` (default: an empty body). Use ``case`` to
   tell apart two entries for one endpoint (e.g. a draft and a submitted application).
3. Someone the table needs is not an actor? Define ``ACTORS = {**conftest.ACTORS, "name":
   new_actor(...)}`` in your module (make the person in ``extend_world``) and parametrise with
   ``cases(ROUTES, ACTORS)``: the world signs in whoever the module's ``ACTORS`` names.
4. ``test_meta.py`` fails while any route that takes a value from its address is not
   declared by some module's ``ROUTES`` (or listed there as out of scope, with a reason).

Run the matrix with ``.venv/bin/pytest tests/access_matrix``; ``-k "show_set and trainee"``
picks cases by endpoint and actor.

Speed and isolation
-------------------
Seeding the demo takes a second or two, so each module gets one world: the demo is seeded
inside an outer transaction on one connection, every actor signs in once (through the real
sign-in, two-factor code included), and each test runs inside a savepoint that is rolled
back afterwards, so a POST in one test never shows in the next. It works the same on
SQLite in memory and on PostgreSQL (``DATABASE_URL``), with or without pytest-xdist.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from lms.accounts.models import Role, User
from lms.audit import AuditEvent
from lms.extensions import db as _db
from tests.conftest import rolled_back
from tests.conftest import sign_in as root_sign_in
from tests.crawling import enable_two_factor


class Outcome(enum.Enum):
    ALLOW = "allow"
    DENY = "deny"
    HIDE = "hide"
    PUBLIC = "public"
    SIGN_IN = "sign in"  # anonymous people on a private route


ALLOW, DENY, HIDE, PUBLIC, SIGN_IN = Outcome


@dataclass(frozen=True)
class Actor:
    name: str
    email: str | None  # None: not signed in
    roles: frozenset[Role]
    relationship: str


def new_actor(name: str, email: str | None, roles: Iterable[Role], relationship: str) -> Actor:
    """An actor: ``email`` None for someone not signed in; ``relationship`` says who they
    are to the world's records (it is printed when a case fails)."""
    return Actor(name, email, frozenset(roles), relationship)


F, T, S, R, L, A, P = (
    Role.FACILITATOR,
    Role.TRAINEE,
    Role.SUPERVISOR,
    Role.REVIEWER,
    Role.LEAD,
    Role.ADMIN,
    Role.APPLICANT,
)

# Everyone the matrix asks, by their relationship to the demo's records. "Fatima" (the
# demo facilitator) is the owner of the facilitator-side records: Set 1, her portfolio,
# her place in supervision Group A.
ACTORS: dict[str, Actor] = {
    a.name: a
    for a in (
        new_actor("anonymous", None, (), "not signed in"),
        new_actor("applicant", "applicant@example.org", {P}, "Aisha: owns the draft application"),
        new_actor(
            "other_applicant",
            "megan.jones@example.org",
            {P},
            "Megan: owns the offered application (submitted, endorsed, reviewed)",
        ),
        new_actor(
            "reviewer",
            "reviewer@example.org",
            {R},
            "Rhys: assigned to review Owen's application (not scored yet) and others",
        ),
        new_actor(
            "other_reviewer",
            "reviewer2@example.org",
            {R},
            "Rachel: a reviewer, not assigned to Owen's application",
        ),
        new_actor(
            "facilitator",
            "facilitator@example.org",
            {F},
            "Fatima: running intake, Set 1 (with Dev), Group A, buddy of Dev",
        ),
        new_actor(
            "buddy",
            "dev.sharma@example.org",
            {F},
            "Dev: Fatima's buddy and co-facilitator of Set 1, Group A",
        ),
        new_actor(
            "same_group_facilitator",
            "kwame.asante@example.org",
            {F},
            "Kwame: Group A with Fatima, but Set 2 and another buddy pair (Bethan)",
        ),
        new_actor(
            "other_group_facilitator",
            "ioan.jones@example.org",
            {F},
            "Ioan: running intake, supervision Group B (Seren), no set, no buddy",
        ),
        new_actor("trainee", "trainee@example.org", {T}, "Tom: a GMTS trainee in Set 1"),
        new_actor("other_trainee", "ravi.menon@example.org", {T}, "Ravi: a GMTS trainee in Set 2"),
        new_actor(
            "supervisor",
            "supervisor@example.org",
            {S},
            "Sam: supervises Group A (Fatima's) and runs the intake's workshop days",
        ),
        new_actor(
            "other_supervisor",
            "supervisor2@example.org",
            {S},
            "Seren: supervises Group B only, runs the other intake's workshop day",
        ),
        new_actor("lead", "lead@example.org", {L}, "Lowri: programme lead"),
        new_actor("admin", "admin@example.org", {A}, "Alex: admin"),
    )
}

SIGNED_IN = frozenset(name for name, a in ACTORS.items() if a.email is not None)


def holders(*roles: Role, actors: dict[str, Actor] | None = None) -> frozenset[str]:
    """The actors holding any of ``roles`` (for routes that only check a role)."""
    return frozenset(name for name, actor in (actors or ACTORS).items() if actor.roles & set(roles))


# --- The table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One entry in an area's table: an endpoint, its address, and who gets what."""

    endpoint: str
    values: Callable[[World], dict[str, Any]]
    allow: Iterable[str] = ()
    deny: Iterable[str] = ()
    hide: Iterable[str] = ()
    default: Outcome = DENY
    methods: tuple[str, ...] = ()
    data: Callable[[World], dict[str, Any]] | None = None
    state: Callable[[World], Any] | None = None
    case: str = ""

    def __post_init__(self) -> None:
        for name in ("allow", "deny", "hide"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        overlap = (self.allow & self.deny) | (self.allow & self.hide) | (self.deny & self.hide)
        if overlap:
            raise ValueError(f"{self.endpoint}: {sorted(overlap)} listed twice")

    @property
    def label(self) -> str:
        return f"{self.endpoint}[{self.case}]" if self.case else self.endpoint

    def outcome(self, actor: Actor) -> Outcome:
        if self.default is PUBLIC:
            return PUBLIC
        if actor.email is None:
            return SIGN_IN
        if actor.name in self.allow:
            return ALLOW
        if actor.name in self.hide:
            return HIDE
        if actor.name in self.deny:
            return DENY
        return self.default


@dataclass(frozen=True)
class Case:
    route: Route
    method: str
    actor: Actor

    @property
    def expected(self) -> Outcome:
        return self.route.outcome(self.actor)


@functools.cache
def _url_map():
    """The app's rules, to know each endpoint's methods while collecting tests."""
    from config import TestingConfig
    from lms import create_app

    return create_app(TestingConfig).url_map


def rule_methods(endpoint: str) -> list[str]:
    """Every method the endpoint's rules that take values accept (HEAD and OPTIONS aside)."""
    rules = [r for r in _url_map().iter_rules() if r.endpoint == endpoint]
    if not rules:
        raise LookupError(f"no route called {endpoint!r}")
    with_values = [r for r in rules if r.arguments] or rules
    return sorted(set().union(*(r.methods for r in with_values)) - {"HEAD", "OPTIONS"})


def cases(routes: Iterable[Route], actors: dict[str, Actor] | None = None) -> list:
    """pytest params for every (route, method, actor): ``@pytest.mark.parametrize("case",
    cases(ROUTES))``."""
    actors = actors or ACTORS
    params = []
    labels = [route.label for route in routes]
    twice = sorted({label for label in labels if labels.count(label) > 1})
    if twice:
        raise ValueError(f"give these entries a case to tell them apart: {twice}")
    for route in routes:
        named = route.allow | route.deny | route.hide  # type: ignore[operator]
        if named - set(actors):
            raise ValueError(f"{route.label}: unknown actors {sorted(named - set(actors))}")
        if any(actors[name].email is None for name in named):
            raise ValueError(f"{route.label}: anonymous people are sent to sign in (or PUBLIC)")
        for method in route.methods or rule_methods(route.endpoint):
            for actor in actors.values():
                case = Case(route, method, actor)
                params.append(pytest.param(case, id=f"{route.label}-{method}-{actor.name}"))
    return params


# --- The world ------------------------------------------------------------------------------


class World:
    """The records the tables point at (as ids, set as attributes by the build steps),
    the people behind the actors, and one signed-in client per actor."""

    def __init__(self, app: Flask, connection, actors: dict[str, Actor]) -> None:
        self.app = app
        self.connection = connection
        self.actors = actors
        self.users: dict[str, int] = {}  # actor name -> user id
        self.clients: dict[str, FlaskClient] = {}

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes that were never set: say which one, plainly.
        raise AttributeError(f"the world has no {name!r}; add it in extend_world")

    def user_id(self, email: str) -> int:
        user_id = _db.session.scalar(_db.select(User.id).where(User.email == email))
        if user_id is None:
            raise LookupError(email)
        return user_id


def _user(email: str) -> User:
    user = _db.session.scalar(_db.select(User).where(User.email == email))
    if user is None:
        raise LookupError(f"the demo has no {email}")
    return user


def _build(w: World) -> None:
    """The demo data, plus the few relationships the demo lacks."""
    from lms.applications import endorsement, review
    from lms.applications.models import Application, Intake, ReviewAssignment
    from lms.curriculum import services as curriculum
    from lms.curriculum.models import QuizAttempt, WorkshopDay, WorkshopMode
    from lms.demo import seed_demo
    from lms.jobs import JobFailure
    from lms.notifications.models import EmailMessage
    from lms.reports import runs
    from lms.reports.base import Filters
    from lms.reports.registry import REPORTS
    from lms.supervision import services as supervision

    seed_demo()
    lead, admin = _user("lead@example.org"), _user("admin@example.org")
    intakes = {i.name: i for i in _db.session.scalars(_db.select(Intake))}
    running = intakes["Running demo intake"]
    w.running_intake = running.id
    w.open_intake = intakes["Open demo intake"].id
    w.next_intake = intakes["Next demo intake"].id

    # Supervision Group B: Seren with Ioan, Jade and Leila (the demo leaves them ungrouped).
    group_b = supervision.create_group(
        running,
        "Group B",
        _user("supervisor2@example.org"),
        [_user(e) for e in ("ioan.jones@example.org", "jade.wilson@example.org")],
        by=lead,
    )
    w.group_b = group_b.id

    # Applications: the draft (Aisha), the offered one (Megan), Owen's (submitted, waiting
    # for his line manager, and now assigned to Rhys only), and Priya's (both scored).
    def application_of(email: str) -> Application:
        return _db.session.scalar(
            _db.select(Application).where(
                Application.applicant_id == _user(email).id,
                Application.intake_id == w.open_intake,
            )
        )

    w.draft_application = application_of("applicant@example.org").id
    w.offered_application = application_of("megan.jones@example.org").id
    owen = application_of("owen.evans@example.org")
    w.awaiting_application = owen.id
    w.open_assignment = review.assign_reviewer(owen, _user("reviewer@example.org"), by=lead).id
    priya = application_of("priya.shah@example.org")
    w.scored_application = priya.id
    scored = {a.reviewer.email: a.id for a in priya.reviews}
    w.scored_assignment = scored["reviewer@example.org"]  # Rhys's, submitted
    w.endorsement_token = endorsement.request_endorsement(owen, by=lead)
    w.removable_review = w.open_assignment
    assert _db.session.get(ReviewAssignment, w.open_assignment).application_id == owen.id

    # Workshop days: the running intake's (run by Sam), and one for the next intake run by
    # Seren, which nobody in the running intake may see.
    workshop = _db.session.scalar(
        _db.select(WorkshopDay)
        .where(WorkshopDay.intake_id == running.id, WorkshopDay.cancelled_at.is_(None))
        .order_by(WorkshopDay.id)
    )
    w.workshop = workshop.id
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=200)
    other = curriculum.schedule_workshop(
        intakes["Next demo intake"],
        workshop.module,
        workshop.activity_key,
        curriculum.WorkshopPlan(
            starts_at=start,
            ends_at=start + timedelta(hours=6),
            mode=WorkshopMode.ONLINE,
            joining_link="https://meet.example.org/next-intake-workshop",
            run_by=_user("supervisor2@example.org"),
        ),
        by=lead,
    )
    w.other_workshop = other.id

    # Fatima's knowledge-check attempt, and the module and activity it belongs to.
    attempt = _db.session.scalar(
        _db.select(QuizAttempt)
        .where(QuizAttempt.user_id == _user("facilitator@example.org").id)
        .order_by(QuizAttempt.id)
    )
    w.attempt = attempt.id
    w.attempt_slug = attempt.module.slug
    w.attempt_key = attempt.activity_key

    # Admin records: an email in the outbox, a failed job, an organisation, a person.
    w.email_message = _db.session.scalar(_db.select(EmailMessage.id).order_by(EmailMessage.id))
    failure = JobFailure(func="lms.reports.tasks.build_report", args=[0], error="Boom")
    _db.session.add(failure)
    _db.session.flush()
    w.job_failure = failure.id
    w.organisation = admin.organisation_id
    w.person = _user("owen.evans@example.org").id  # not an actor: safe to change

    # A report built in the background, ready to read and download.
    report = REPORTS["applications"]
    run = runs.request_run(report, Filters(), lead)  # built at once: jobs run inline here
    w.report_run = run.id
    w.report_key = report.key

    # A password reset link (for Owen, who is not an actor).
    from lms.accounts import services as accounts

    w.reset_token = accounts.request_password_reset("owen.evans@example.org")


# Where a signed-in person is sent when their sign-in is not good enough for the page.
AUTH_PATHS = ("/sign-in", "/account/two-factor", "/account/confirm-identity")


def sign_in(client: FlaskClient, user: User, password: str) -> None:
    """The real sign-in (the root conftest's: the password, then the authenticator code
    for people who have two-factor), which must end fully signed in."""
    response = root_sign_in(client, user, password)
    assert not urlsplit(response.location).path.startswith(AUTH_PATHS), (
        f"{user.email} was not signed in: sent to {response.location}"
    )


@pytest.fixture(scope="module")
def world(app: Flask, request: pytest.FixtureRequest) -> Iterator[World]:
    """The demo world for one test module, in a transaction rolled back at its end."""
    from lms.demo import DEMO_PASSWORD

    actors: dict[str, Actor] = getattr(request.module, "ACTORS", ACTORS)
    with rolled_back(app) as connection:
        try:
            w = World(app, connection, actors)
            # The world's jobs (emails, certificates, ...) run as it is built, as they do
            # without Redis: with it, they would wait for a worker that never comes.
            redis_url = app.config.get("REDIS_URL")
            app.config["REDIS_URL"] = None
            try:
                with app.test_request_context():
                    _build(w)
                    extend = getattr(request.module, "extend_world", None)
                    if extend is not None:
                        extend(w)
                    enable_two_factor()
                    _db.session.commit()
            finally:
                app.config["REDIS_URL"] = redis_url
            with app.test_request_context():
                for actor in actors.values():
                    if actor.email is not None:
                        w.users[actor.name] = w.user_id(actor.email)
            for actor in actors.values():
                client = app.test_client()
                if actor.email is not None:
                    sign_in(client, _user(actor.email), DEMO_PASSWORD)
                w.clients[actor.name] = client
            # Kept for the module: the sign-ins' session records are in the outer transaction.
            _db.session.commit()
            _db.session.remove()
            yield w
        finally:
            if app.config.get("REDIS_URL"):
                from lms.jobs import queue

                queue().empty()  # jobs for records that were just rolled back


# --- The check ------------------------------------------------------------------------------

NOT_ALLOWED = {401, 403, 404, 405}


@dataclass
class Matrix:
    world: World
    requests: list[str] = field(default_factory=list)

    def url(self, case: Case) -> str:
        with self.world.app.test_request_context():
            return url_for(case.route.endpoint, **case.route.values(self.world))

    def check(self, case: Case) -> None:
        w, route, actor = self.world, case.route, case.actor
        url = self.url(case)
        path = urlsplit(url).path
        last_audit = _db.session.scalar(_db.select(_db.func.max(AuditEvent.id))) or 0
        before = route.state(w) if route.state else None
        client = w.clients[actor.name]
        data = route.data(w) if route.data else {}
        response = client.open(url, method=case.method, data=data if case.method != "GET" else None)
        status = response.status_code
        where = f"{case.method} {url} as {actor.name} ({actor.relationship}): {status}"
        location = urlsplit(response.headers.get("Location", "")).path
        written = list(
            _db.session.scalars(
                _db.select(AuditEvent).where(AuditEvent.id > last_audit).order_by(AuditEvent.id)
            )
        )
        refusals = [e for e in written if e.action == "access.refused"]
        expected = case.expected

        if expected is SIGN_IN:
            assert status == 302 and location == "/sign-in", f"expected sign-in; {where}"
            return
        if expected in (ALLOW, PUBLIC):
            assert status not in NOT_ALLOWED and status < 500, f"expected {expected.value}; {where}"
            assert not (300 <= status < 400 and location.startswith(AUTH_PATHS)), (
                f"expected {expected.value}, was sent to {location}; {where}"
            )
            assert not refusals, f"expected {expected.value}, a refusal was logged; {where}"
            return
        wanted = 403 if expected is DENY else 404
        assert status == wanted, f"expected {wanted} ({expected.value}); {where}"
        mine = [
            e
            for e in refusals
            if e.actor_id == w.users[actor.name]
            and e.detail.get("path") == path
            and e.detail.get("status") == wanted
        ]
        assert mine, f"the refusal was not logged; {where}"
        changes = [e.action for e in written if e.action != "access.refused"]
        assert not changes, f"a refused request changed something ({changes}); {where}"
        if route.state:
            assert route.state(w) == before, f"a refused request changed the record; {where}"


@pytest.fixture
def matrix(world: World) -> Iterator[Matrix]:
    """Checks one case; whatever the request wrote is rolled back afterwards."""
    _db.session.remove()  # whatever an earlier test left open ends before this one starts
    savepoint = world.connection.begin_nested()
    try:
        yield Matrix(world)
    finally:
        _db.session.remove()
        if savepoint.is_active:
            savepoint.rollback()
