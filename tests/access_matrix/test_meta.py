"""The matrix covers every route that takes a value from its address, and its world keeps
each test's changes to that test."""

from __future__ import annotations

import importlib
from pathlib import Path

from lms.accounts.models import User
from lms.extensions import db
from tests.access_matrix.conftest import ACTORS, Route, cases
from tests.test_access import PUBLIC_ENDPOINTS

# Routes that take a value but have no owner, role or relationship to check: anyone who
# has the address may use it. (Public token routes may instead be declared in a table with
# ``default=PUBLIC``, to show that who is signed in makes no difference.)
OUT_OF_SCOPE = {
    "static": "stylesheets, scripts and images, public by design",
    "assessment.verify_award": "anyone may check an award by its code (SPEC section 8)",
    "assessment.credential_status": (
        "the Open Badges credential's status, public by its code so verifiers can read it"
    ),
}


def table_modules() -> list:
    """Every module in this folder that declares a ``ROUTES`` table."""
    modules = [
        importlib.import_module(f"{__package__}.{path.stem}")
        for path in sorted(Path(__file__).parent.glob("test_*.py"))
    ]
    return [module for module in modules if hasattr(module, "ROUTES")]


def declared_routes() -> list[Route]:
    """Every ``ROUTES`` entry of every module in this folder."""
    return [route for module in table_modules() for route in module.ROUTES]


def test_every_route_that_takes_a_value_is_in_the_matrix(app):
    declared = {route.endpoint for route in declared_routes()}
    with_values = {rule.endpoint for rule in app.url_map.iter_rules() if rule.arguments}
    missing = sorted(with_values - declared - set(OUT_OF_SCOPE))
    assert not missing, "not in any access_matrix ROUTES table:\n" + "\n".join(missing)


def test_every_table_is_checked_case_by_case():
    """A table counts only if a test of its module is parametrised over all its cases."""
    for module in table_modules():
        expected = len(cases(module.ROUTES, getattr(module, "ACTORS", None)))
        counts = [
            len(mark.args[1])
            for test in vars(module).values()
            if callable(test) and getattr(test, "__name__", "").startswith("test_")
            for mark in getattr(test, "pytestmark", [])
            if mark.name == "parametrize" and mark.args[0] == "case"
        ]
        assert expected in counts, f"{module.__name__}: no test runs every case of ROUTES"


def test_only_public_routes_are_left_out():
    assert set(OUT_OF_SCOPE) <= PUBLIC_ENDPOINTS | {"static"}


def test_the_tables_name_real_routes(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unknown = sorted({route.endpoint for route in declared_routes()} - endpoints)
    assert not unknown


def test_each_actor_is_who_the_table_says(world, matrix):
    for name, actor in ACTORS.items():
        if actor.email is None:
            continue
        user = db.session.get(User, world.users[name])
        assert user.email == actor.email
        assert set(user.roles) == set(actor.roles), name


def test_one_test_changes_the_world(world, matrix):
    """A change made in one test (rolled back at its end); the next test checks it is gone."""
    client = world.clients["admin"]
    assert client.post(f"/admin/people/{world.person}/active").status_code == 302
    assert db.session.get(User, world.person).is_active is False


def test_the_next_test_does_not_see_it(world, matrix):
    assert db.session.get(User, world.person).is_active is True
    # The actors are still signed in after other tests' changes were rolled back.
    assert world.clients["facilitator"].get("/account").status_code == 200
