"""Proof that a table's ``state`` checks are not empty: the body a refused person posts
does change the record when someone allowed posts it.

A refused POST is checked to leave the route's ``state`` as it was; that means little if
the same body would change nothing anyway (a form that does not validate, a record already
in that state). ``allowed_posts(ROUTES)`` gives one (route, allowed actor) per route with a
``state``; ``check_allowed_post`` posts its ``data`` as that actor and asserts the state
moved. Routes whose allowed post changes nothing in the demo world are named in ``skip``
with the reason beside them in the calling module.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from flask import url_for

from tests.access_matrix.conftest import Matrix, Route


def allowed_posts(routes: Iterable[Route], skip: Iterable[str] = ()) -> list:
    """pytest params (route, actor): each route with a ``state`` and someone allowed, once."""
    skipped = set(skip)
    params = []
    for route in routes:
        if route.state is None or not route.allow or route.label in skipped:
            continue
        actor = sorted(route.allow)[0]  # type: ignore[arg-type]
        params.append(pytest.param(route, actor, id=f"{route.label}-{actor}"))
    return params


def check_allowed_post(matrix: Matrix, route: Route, actor: str) -> None:
    w = matrix.world
    before = route.state(w)  # type: ignore[misc]
    with w.app.test_request_context():
        url = url_for(route.endpoint, **route.values(w))
    response = w.clients[actor].post(url, data=route.data(w) if route.data else {})
    assert response.status_code in (200, 302), f"POST {url} as {actor}: {response.status_code}"
    assert route.state(w) != before, f"POST {url} as {actor} changed nothing"  # type: ignore[misc]
