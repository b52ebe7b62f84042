"""Every curriculum route, for every role: who may use it and who gets 403 (SPEC section 9,
"modules"). Object checks (someone else's answers, another intake's workshop day, a day
someone else runs) are tested beside the pages they guard."""

from __future__ import annotations

import pytest
from flask import url_for

from lms.accounts.models import Role
from lms.curriculum import services
from tests.curriculum.conftest import schedule_day

F, T, S, R, L, A, P = (
    Role.FACILITATOR,
    Role.TRAINEE,
    Role.SUPERVISOR,
    Role.REVIEWER,
    Role.LEAD,
    Role.ADMIN,
    Role.APPLICANT,
)

# endpoint, method, the roles let in (everyone else gets 403)
MATRIX = [
    ("curriculum.list_modules", "GET", {F, S, L, A}),
    ("curriculum.show_module", "GET", {F, S, L, A}),
    ("curriculum.show_activity", "GET", {F, S, L, A}),
    ("curriculum.mark_read", "POST", {F}),
    ("curriculum.save_reflection", "POST", {F}),
    ("curriculum.submit_answers", "POST", {F}),
    ("curriculum.complete_module", "POST", {F}),
    ("curriculum.show_attempt", "GET", {F}),
    ("curriculum.list_reflections", "GET", {F}),
    ("curriculum.list_workshops", "GET", {F, S, L}),
    ("curriculum.show_workshop", "GET", {F, S, L, A}),
    ("curriculum.workshop_calendar", "GET", {F, S, L, A}),
    ("curriculum.keep_register", "GET", {S, L}),
    ("curriculum.training_overview", "GET", {L, A}),
    ("curriculum.intake_progress", "GET", {L, A}),
    ("curriculum.intake_workshops", "GET", {L, A}),
    ("curriculum.new_workshop", "GET", {L}),
    ("curriculum.edit_workshop", "GET", {L}),
    ("curriculum.cancel_workshop", "GET", {L}),
]


def test_the_matrix_covers_every_curriculum_route(app):
    endpoints = {
        r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("curriculum.")
    }
    assert endpoints == {endpoint for endpoint, _method, _roles in MATRIX}


@pytest.fixture
def world(db, curriculum, make_intake, make_user):
    intake = make_intake()
    workshop = schedule_day(intake, curriculum["next-steps"], make_user(Role.LEAD), days=-1)
    return {"intake": intake, "workshop": workshop}


def url(app, endpoint: str, world) -> str:
    values = {
        "slug": "basics",
        "key": {
            "curriculum.save_reflection": "experience",
            "curriculum.submit_answers": "check",
            "curriculum.show_attempt": "check",
        }.get(endpoint, "origins"),
        "intake_id": world["intake"].id,
        "workshop_id": world["workshop"].id,
        "attempt_id": world.get("attempt_id", 1),
    }
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        return url_for(endpoint, **{k: v for k, v in values.items() if k in rule.arguments})


def _matrix_id(value) -> str:
    # Sets print in hash order, which differs between processes (and pytest-xdist workers).
    if isinstance(value, set | frozenset):
        return "+".join(sorted(role.value for role in value)) or "nobody"
    return str(value)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize(("endpoint", "method", "allowed"), MATRIX, ids=_matrix_id)
def test_each_role_is_let_in_or_refused(
    app, login_as, curriculum, world, role, endpoint, method, allowed
):
    client = login_as(role)
    if role is Role.FACILITATOR:
        services.join_intake(world["intake"], client.user)
        module = curriculum["basics"]
        check = module.current.activity("check")
        progress = services.module_progress(client.user, module)
        attempt, _ = services.submit_answers(
            client.user, module, check, {"formula": [0], "stages": [0, 1]}, progress
        )
        world["attempt_id"] = attempt.id
    if role is Role.SUPERVISOR:
        world["workshop"].run_by_id = client.user.id  # the relationship that lets them in
    response = client.open(url(app, endpoint, world), method=method, data={})
    if role in allowed:
        assert response.status_code in (200, 302), (role, endpoint, response.status_code)
    else:
        assert response.status_code == 403, (role, endpoint, response.status_code)
