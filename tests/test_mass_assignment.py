"""Mass assignment (issue 9): posting extra fields (role, status, owner ids...) changes nothing.

Every endpoint that accepts POST is a case (``tests/mass_assignment_cases.py``) or is
excluded there with a reason. Each case posts its form twice on the demo data, each time
in a savepoint rolled back afterwards: once as a browser would (the page's defaults plus
valid answers), once with ``EXTRAS`` added. The rows the two posts leave must be the same,
and the first post must have changed something, so the case really exercises the form.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from lms.demo import DEMO_PASSWORD
from lms.extensions import db
from tests import mass_assignment_cases as cases
from tests import mass_assignment_steps as steps
from tests.crawling import Form, demo_world, endpoint_of, parse, sign_in
from tests.row_changes import RowChanges

LMS = Path(__file__).resolve().parent.parent / "lms"
VICTIM = "hannah.clarke@example.org"  # nothing to do with anyone posting a form

# Fields a form does not have, posted on top of its own. Ids point at someone and
# something the person posting has nothing to do with.
EXTRAS: dict[str, str | Callable[[], object]] = {
    "role": "admin",
    "roles": "admin",
    "status": "awarded",
    "is_active": "false",
    "is_admin": "y",
    **{
        name: (lambda: steps.user(VICTIM))
        for name in (
            "user_id",
            "owner_id",
            "applicant_id",
            "facilitator_id",
            "reviewer_id",
            "trainee_id",
            "author_id",
            "supervisor_id",
            "observer_id",
            "presenter_id",
            "created_by_id",
            "issued_by_id",
        )
    },
    "intake_id": lambda: steps.intake("Completed"),
    "organisation_id": "1",
    "id": "1",
    "email": "someone.else@example.org",
    "awarded": "y",
    "score": "4",
    "total": "16",
    "outcome": "signed_off",
    "password_hash": "x",
    "language": "cy",
    "capacity": "999",
}


class World:
    """The demo data with a signed-in browser per account, kept as session cookies so
    each post starts from a fresh browser in the same state."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.cookies: dict[str | None, str | None] = {None: None}
        self.changes: RowChanges | None = None

    def client(self, who: str | None) -> FlaskClient:
        if who not in self.cookies:
            client = sign_in(self.app.test_client(), who, DEMO_PASSWORD)
            self.cookies[who] = client.get_cookie("session").value
        client = self.app.test_client()
        if self.cookies[who]:
            client.set_cookie("session", self.cookies[who])
        return client

    def endpoint(self, form: Form) -> str | None:
        return endpoint_of(self.app, form.target.removeprefix("http://localhost"), "POST")

    def form(self, endpoint: str, page: str, client: FlaskClient) -> Form:
        response = client.get(page)
        assert response.status_code == 200, f"{endpoint}: {page} answered {response.status_code}"
        parsed = parse(f"http://localhost{page}", response.get_data(as_text=True))
        forms = [f for f in parsed.forms if f.method == "post" and self.endpoint(f) == endpoint]
        assert forms, f"{endpoint}: no form for it on {page}"
        return forms[0]

    def post(self, endpoint: str, case: steps.Case, extras: bool = False):
        client = self.client(case.who)
        if case.prepare:
            case.prepare(self, client)
        page = case.page() if callable(case.page) else case.page
        form = self.form(endpoint, page, client)
        data = MultiDict(form.fill(text=lambda f: steps.sample(f.name, f.value)))
        given = case.data(form) if callable(case.data) else dict(case.data)
        for name, value in given.items():
            data.setlist(name, value if isinstance(value, list) else [value])
        if extras:
            for name, value in EXTRAS.items():
                if name not in form.names and name not in given:
                    data.add(name, str(value() if callable(value) else value))
        return client.post(form.target.removeprefix("http://localhost"), data=data)


def _failed_job_and_report() -> None:
    """A job that failed, and a report build that failed, for admins and leads to retry."""
    from lms.jobs import JobFailure
    from lms.reports.models import ReportRun, RunStatus

    db.session.add(JobFailure(func="lms.notifications.tasks.deliver_email", args=[1], error="x"))
    run = db.session.scalar(db.select(ReportRun).order_by(ReportRun.id.desc()))
    run.status = RunStatus.FAILED
    db.session.commit()


def _optional_two_factor() -> None:
    """Two-factor turned on by someone whose role does not need it (so they may turn it off)."""
    import pyotp

    from lms.accounts.two_factor import TwoFactor
    from lms.db_types import utcnow

    person = steps.user(steps.GMTS_TRAINEE)
    db.session.add(TwoFactor(user_id=person, secret=pyotp.random_base32(), confirmed_at=utcnow()))
    db.session.commit()


@pytest.fixture(scope="module")
def world(app: Flask):
    # Reports over this many records are built in the background, by a form.
    inline_limit = app.config["REPORT_INLINE_LIMIT"]
    app.config["REPORT_INLINE_LIMIT"] = 0
    try:
        with demo_world(app, seed=_optional_two_factor) as connection:
            world = World(app)
            # Signed in before any savepoint: a session made inside one would be undone.
            for who in {case.who for case in cases.CASES.values()} | {s[0] for s in cases.SETUP}:
                world.client(who)
            for who, page, action, data in cases.SETUP:
                steps.post_form(world.client(who), page() if callable(page) else page, action, data)
            _failed_job_and_report()
            world.changes = RowChanges(connection, db.metadata, db.session)
            yield world
    finally:
        app.config["REPORT_INLINE_LIMIT"] = inline_limit


def run_case(world: World, endpoint: str, case: steps.Case) -> list[str]:
    """Problems with one case: none when the extras changed nothing."""
    changes = world.changes
    with changes.run() as plain:
        first = world.post(endpoint, case)
    with changes.run() as extra:
        second = world.post(endpoint, case, extras=True)
    did = [line for line in changes.changes(plain) if "access.refused" not in line]
    if first.status_code not in (200, 302, 303) or not did:
        errors = re.findall(r'<a href="#[^"]*">\s*(.*?)\s*</a>', first.get_data(as_text=True))
        return [
            f"{endpoint}: the plain post changed nothing (answered {first.status_code}"
            f" {first.location or ''}) {errors}"
        ]
    if second.status_code != first.status_code:
        return [f"{endpoint}: answered {first.status_code}, with extras {second.status_code}"]
    return [f"{endpoint}: with extras, {line}" for line in changes.compare(plain, extra)]


def test_a_planted_hole_is_found(world: World, monkeypatch):
    """The check itself: a view that saves a posted field it never offered is caught."""
    from flask import request
    from flask_login import current_user

    view = world.app.view_functions["accounts.edit_details"]

    def leaky(*args, **kwargs):
        if "email" in request.form:
            current_user.email = request.form["email"]
        return view(*args, **kwargs)

    monkeypatch.setitem(world.app.view_functions, "accounts.edit_details", leaky)
    problems = run_case(world, "accounts.edit_details", cases.CASES["accounts.edit_details"])
    assert any("user_account" in p and "someone.else@example.org" in p for p in problems)


def test_every_post_endpoint_has_a_case_or_a_reason(app: Flask):
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    both = set(cases.CASES) & set(cases.EXCLUDED)
    assert not both, f"both a case and excluded: {sorted(both)}"
    unknown = (set(cases.CASES) | set(cases.EXCLUDED)) - posts
    assert not unknown, f"no such POST endpoint: {sorted(unknown)}"
    missing = posts - set(cases.CASES) - set(cases.EXCLUDED)
    assert not missing, (
        "POST endpoints with no mass-assignment case (tests/mass_assignment_cases.py) "
        f"and no reason to leave them out: {sorted(missing)}"
    )
    print(
        f"\nPOST endpoints: {len(posts)} found, {len(cases.CASES)} covered,"
        f" {len(cases.EXCLUDED)} excluded"
    )


def test_extra_fields_change_nothing(world: World):
    problems = []
    for endpoint, case in cases.CASES.items():
        try:
            problems += run_case(world, endpoint, case)
        except AssertionError as error:
            problems.append(f"{endpoint}: {error}")
    print(f"\nmass assignment: {len(cases.CASES)} forms posted with {len(EXTRAS)} extra fields")
    assert not problems, "\n".join(problems)


# --- No code copies request data wholesale into records ---------------------------------

REQUEST_DATA = {"form", "values", "args", "json", "files"}
# Reviewed uses of whole request data: (file, what the line starts with) -> why it is safe.
REVIEWED = {
    ("lms/admin/routes.py", "filters = {k: v for k, v in request.args.items()"): (
        "the audit log's filters, kept to build its page links; the query reads the validated form"
    ),
    ("lms/curriculum/lead_routes.py", "args = {k: v for k, v in request.args.items()"): (
        "the progress page's filters (only the form's own fields), kept for its links"
    ),
    (
        "lms/reports/routes.py",
        'return redirect(url_for("reports.show", key=key, **request.args))',
    ): ("sends the lead back to the report page with the filters they had; writes nothing"),
    ("lms/reports/routes.py", 'args = {k: v for k, v in request.args.items() if k != "table"}'): (
        "a download's filters, read by the report's own filter form"
    ),
    ("lms/applications/apply_routes.py", "missing = services.save_section(application, section"): (
        "an application section's answers: Section.from_form keeps only the section's own "
        "fields (lms/applications/sections.py)"
    ),
}


def _is_request_data(node: ast.AST) -> bool:
    """``request.form`` and the like, ``request.form.to_dict()``, ``request.get_json()``,
    or a WTForms form's ``.data`` (every field, not the ones a page means to save)."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("to_dict", "items", "get_json"):
            return _is_request_data(func.value) or func.attr == "get_json"
        return False
    if isinstance(node, ast.Attribute):
        base = node.value
        if isinstance(base, ast.Name) and base.id in ("request", "flask_request"):
            return node.attr in REQUEST_DATA
        return node.attr == "data" and isinstance(base, ast.Name) and base.id.endswith("form")
    return False


def wholesale_uses(root: Path = LMS) -> list[tuple[str, str]]:
    """Places that pass whole request data on: ``populate_obj``, ``**request.form``,
    ``request.form.to_dict()``, a function given ``form.data``, or loops over every
    posted field."""
    loops = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
    found = []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text()
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            hit = False
            if isinstance(node, ast.Call):
                func = node.func
                hit = isinstance(func, ast.Attribute) and (
                    func.attr == "populate_obj"
                    or (func.attr == "to_dict" and _is_request_data(func.value))
                )
                hit = hit or any(k.arg is None and _is_request_data(k.value) for k in node.keywords)
                # Whole request data handed to a function (a form class reading its own
                # fields from it is how WTForms works).
                callee = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                hit = hit or (
                    not callee.endswith("Form")
                    and callee not in ("bool", "len")
                    and any(_is_request_data(a) for a in node.args)
                )
            elif isinstance(node, ast.For):
                hit = _is_request_data(node.iter)
            elif isinstance(node, loops):
                hit = any(_is_request_data(g.iter) for g in node.generators)
            elif isinstance(node, ast.Dict):
                pairs = zip(node.keys, node.values, strict=True)
                hit = any(k is None and _is_request_data(v) for k, v in pairs)
            if hit:
                found.append((str(path.relative_to(root.parent)), lines[node.lineno - 1].strip()))
    return sorted(set(found))


def test_no_code_passes_whole_request_data_into_records():
    uses = wholesale_uses()
    unreviewed = [
        (path, line)
        for path, line in uses
        if not any(path == file and line.startswith(start) for file, start in REVIEWED)
    ]
    assert not unreviewed, (
        "request data passed on whole (review each, then list it in REVIEWED): "
        + "; ".join(f"{path}: {line}" for path, line in unreviewed)
    )
    gone = [
        (file, start)
        for file, start in REVIEWED
        if not any(path == file and line.startswith(start) for path, line in uses)
    ]
    assert not gone, f"reviewed uses that are no longer there (take them out): {gone}"


def test_the_scan_finds_wholesale_uses(tmp_path):
    (tmp_path / "views.py").write_text(
        "def save(form, request, user):\n"
        "    form.populate_obj(user)\n"
        "    User(**request.form)\n"
        "    user.update(request.values.to_dict())\n"
        "    Model(**form.data)\n"
        "    for key, value in request.form.items():\n"
        "        setattr(user, key, value)\n"
        "    save_answers(user, form.data)\n"
        "    User(name=form.name.data)\n"
        "    return bool(request.args)\n"
    )
    found = sorted(line for _path, line in wholesale_uses(tmp_path))
    # the same line found twice (the call and its argument) is listed once
    assert found == sorted(
        [
            "form.populate_obj(user)",
            "User(**request.form)",
            "user.update(request.values.to_dict())",
            "Model(**form.data)",
            "save_answers(user, form.data)",
            "for key, value in request.form.items():",
        ]
    )
