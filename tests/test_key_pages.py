"""Key pages stay within 12 SQL statements (SPEC section 12), however much they show.

``scripts/bench.py`` measures every key page on the demo and scale data; these tests
guard the pages that once went over, with a small and a larger data set each: the count
must be the same for both (nothing is loaded row by row) and at most 12.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.accounts.models import Role, User
from lms.curriculum.services import join_intake
from lms.db_types import utcnow
from lms.extensions import db
from lms.practice import confidential, running
from lms.practice.models import (
    FollowThroughStatus,
    PracticeAttendanceStatus,
    PracticeSession,
    PracticeSet,
    Theme,
)
from lms.practice.running import ActionDraft
from lms.supervision.models import ObservationKind
from tests.assessment.conftest import EvidenceBuilder

MAX_STATEMENTS = 12


def statements(client, count_queries, path: str) -> tuple[int, list[str]]:
    """Statements for one request to ``path``, after a warm-up request."""
    assert client.get(path).status_code == 200, path
    with count_queries() as counted:
        response = client.get(path)
    assert response.status_code == 200, path
    return counted.count, counted.statements


# --- The session console ------------------------------------------------------------------


def run_session(
    session: PracticeSession, facilitator: User, presenters: list[User], close: bool = True
) -> None:
    """Hold ``session`` as a facilitator would: everyone present, every earlier action
    reported back on (the first one carried forward), and each presenter with a challenge
    and two actions."""
    running.start_session(session, facilitator)
    members = session.set.members
    running.record_register(
        session, {m.user_id: PracticeAttendanceStatus.PRESENT for m in members}, facilitator
    )
    items = confidential.report_back(session)
    running.record_follow_through(
        session,
        {
            item.action.id: (
                FollowThroughStatus.CARRIED_FORWARD if n == 0 else FollowThroughStatus.DONE,
                "Learnt something",
            )
            for n, item in enumerate(items)
        },
        facilitator,
    )
    for person in presenters:
        presentation = running.add_presenter(session, person.id, facilitator)
        running.save_presentation(
            presentation,
            Theme.PRIORITISATION,
            "A challenge",
            [ActionDraft("Ring the ward manager", "Support", "Risk"), ActionDraft("Second")],
            facilitator,
        )
    if close:
        running.close_session(session, facilitator)


def console_of(practice_set: PracticeSet, held: int, presenters: int) -> tuple[User, str]:
    """Hold the set's first ``held`` sessions with ``presenters`` presenters each, start
    the next one with as many; returns its facilitator and its console's address."""
    facilitator = practice_set.facilitators[0].user
    members = [m.user for m in practice_set.members]
    for n, session in enumerate(practice_set.sessions[: held + 1]):
        chosen = members[n % 2 :][:presenters]
        run_session(session, facilitator, chosen, close=n < held)
    db.session.flush()
    return facilitator, f"/practice/sessions/{practice_set.sessions[held].id}/console"


def test_the_session_console_stays_within_twelve_statements(make_set, login, client, count_queries):
    start = (utcnow() - timedelta(weeks=4)).replace(second=0, microsecond=0)
    small = make_set(trainees=5, sessions=5, first=start)
    large = make_set(trainees=8, sessions=5, first=start, intake=small.intake)
    counts = []
    for practice_set, held, presenters in ((small, 1, 1), (large, 3, 4)):
        facilitator, path = console_of(practice_set, held, presenters)
        client._cookies.clear()  # sign the last facilitator out
        page = login(facilitator)
        counts.append(statements(page, count_queries, path))
        # The page shows what it loaded: this session's presenters' actions, and the
        # earlier actions to report back on.
        session = practice_set.sessions[held]
        open_items = [
            item
            for item in confidential.report_back(session)
            if item.action.text == "Ring the ward manager"
        ]
        text = page.get(path).get_data(as_text=True)
        assert text.count("Ring the ward manager") == presenters + len(open_items)
        # One carried forward at every session stays open, beside the last session's.
        assert len(open_items) == (presenters if held == 1 else presenters + 1)
    (few, _), (many, listed) = counts
    assert many == few, listed
    assert many <= MAX_STATEMENTS, listed


# --- Portfolios -----------------------------------------------------------------------------


def add_evidence(builder: EvidenceBuilder, user: User, intake, supervisor: User, n: int) -> None:
    """``n`` of every kind of evidence for ``user``."""
    buddy = builder.make_user(Role.FACILITATOR)
    builder.supervision(user, intake, count=n)
    builder.cases(user, intake, count=n)
    builder.check_ins(user, intake, count=n)
    practice_set = builder.practice_set(user, intake, held=n, logs=n)
    builder.observations(user, practice_set, count=n, observer=supervisor)
    builder.observations(user, practice_set, count=n, observer=buddy, kind=ObservationKind.BUDDY)
    builder.feedback(practice_set, responses=3 + n)
    builder.uploads(user, count=n)


@pytest.fixture
def portfolio_world(make_user, make_set, make_intake):
    builder = EvidenceBuilder(make_user, make_set)
    intake = make_intake()
    supervisor = make_user(Role.SUPERVISOR)
    facilitator = make_user(Role.FACILITATOR)
    join_intake(intake, facilitator)
    builder.group(facilitator, intake, supervisor)
    add_evidence(builder, facilitator, intake, supervisor, 1)
    return builder, intake, supervisor, facilitator


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("supervisor", "/portfolio/people/{id}"),
        ("lead", "/portfolio/people/{id}"),
        ("facilitator", "/portfolio"),
        ("facilitator", "/portfolio/readiness"),
    ],
)
def test_portfolio_pages_stay_within_twelve_statements(
    portfolio_world, make_user, login, count_queries, who, path
):
    builder, intake, supervisor, facilitator = portfolio_world
    viewer = {
        "supervisor": supervisor,
        "lead": make_user(Role.LEAD),
        "facilitator": facilitator,
    }[who]
    client = login(viewer)
    path = path.format(id=facilitator.id)
    few, _ = statements(client, count_queries, path)
    add_evidence(builder, facilitator, intake, supervisor, 3)
    many, listed = statements(client, count_queries, path)
    assert many == few, listed
    assert many <= MAX_STATEMENTS, listed
