"""The facilitator's portfolio pages and the read-only view for their supervisor and leads:
who may use each route, what the pages show, the showcase, and a fixed number of queries
however much evidence there is."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import url_for

from lms.accounts.models import Role
from lms.assessment import portfolio, submission
from lms.assessment.models import ShowcaseItem
from lms.curriculum.services import join_intake
from lms.extensions import db
from lms.supervision.models import ObservationKind


@pytest.fixture
def world(db, intake, facilitator, supervisor, lead, make_user, evidence_maker):
    """The facilitator (in ``supervisor``'s group) and everyone around them."""
    other_facilitator = make_user(Role.FACILITATOR, name="Olly Other")
    join_intake(intake, other_facilitator)
    other_supervisor = make_user(Role.SUPERVISOR, name="Otto Supervisor")
    evidence_maker.group(other_facilitator, intake, other_supervisor)
    return SimpleNamespace(
        facilitator=facilitator,
        other_facilitator=other_facilitator,
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        lead=lead,
        reviewer=make_user(Role.REVIEWER),
        trainee=make_user(Role.TRAINEE),
        admin=make_user(Role.ADMIN),
        anonymous=None,
    )


PEOPLE = (
    "facilitator",
    "other_facilitator",
    "supervisor",
    "other_supervisor",
    "lead",
    "reviewer",
    "trainee",
    "admin",
    "anonymous",
)
OWN_ONLY = {
    "facilitator": 200,
    "other_facilitator": 200,  # their own portfolio
    "supervisor": 403,
    "other_supervisor": 403,
    "lead": 403,
    "reviewer": 403,
    "trainee": 403,
    "admin": 403,
    "anonymous": "sign-in",
}


def check(response, expected) -> None:
    if expected == "sign-in":
        assert response.status_code == 302
        assert "/sign-in" in response.headers["Location"]
    elif isinstance(expected, str):  # a redirect to this path
        assert response.status_code == 302
        assert response.headers["Location"].endswith(expected)
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:500]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("path", ["/portfolio", "/portfolio?by=source", "/portfolio/readiness"])
def test_own_pages_are_for_facilitators_only(world, switch, who, path):
    client = switch(getattr(world, who))
    check(client.get(path), OWN_ONLY[who])


@pytest.mark.parametrize("who", PEOPLE)
def test_saving_the_showcase_is_for_facilitators_only(world, switch, who):
    client = switch(getattr(world, who))
    expected = {**OWN_ONLY, "facilitator": "/portfolio?by=source"}
    expected["other_facilitator"] = "/portfolio?by=source"
    check(client.post("/portfolio/showcase", data={}), expected[who])


@pytest.mark.parametrize("who", PEOPLE)
def test_submitting_is_for_facilitators_only(world, switch, who):
    client = switch(getattr(world, who))
    # Facilitators are refused too here, as nobody is ready: 400 with the reason.
    expected = {**OWN_ONLY, "facilitator": 400, "other_facilitator": 400}
    check(client.post("/portfolio/submit", data={}), expected[who])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("facilitator", "/portfolio"),
        ("other_facilitator", 404),
        ("supervisor", 200),
        ("other_supervisor", 404),
        ("lead", 200),
        ("reviewer", 404),
        ("trainee", 404),
        ("admin", 404),
        ("anonymous", "sign-in"),
    ],
)
def test_a_persons_portfolio_is_for_their_supervisor_and_leads(world, switch, who, expected):
    client = switch(getattr(world, who))
    check(client.get(f"/portfolio/people/{world.facilitator.id}"), expected)


def test_an_unknown_person_or_a_non_facilitator_is_not_found(world, switch):
    client = switch(world.lead)
    assert client.get("/portfolio/people/999999").status_code == 404
    assert client.get(f"/portfolio/people/{world.trainee.id}").status_code == 404


def test_a_refusal_is_logged(world, switch):
    from lms.audit import AuditEvent

    switch(world.other_supervisor).get(f"/portfolio/people/{world.facilitator.id}")
    refused = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "access.refused")
    ).all()
    assert any(e.detail.get("endpoint") == "assessment.person_portfolio" for e in refused)


# --- What the pages show --------------------------------------------------------------------


@pytest.fixture
def full(db, facilitator, intake, supervisor, evidence_maker, make_user):
    """The facilitator with evidence of many kinds."""
    evidence_maker.supervision(facilitator, intake, count=2)
    evidence_maker.check_ins(facilitator, intake, count=2)
    practice_set = evidence_maker.practice_set(facilitator, intake, held=3, logs=2)
    evidence_maker.observations(facilitator, practice_set, count=1, observer=supervisor)
    evidence_maker.observations(
        facilitator,
        practice_set,
        count=1,
        observer=make_user(Role.FACILITATOR),
        kind=ObservationKind.BUDDY,
    )
    evidence_maker.feedback(practice_set, responses=4)
    evidence_maker.cases(facilitator, intake)
    [upload] = evidence_maker.uploads(facilitator, description="My reflective essay", size=3 * 1024)
    return SimpleNamespace(set=practice_set, upload=upload)


def test_the_portfolio_lists_items_from_every_source_with_facts_in_words(
    db, facilitator, full, login
):
    page = login(facilitator).get("/portfolio?by=source").get_data(as_text=True)
    for label in (
        "Supervision sessions attended",
        "Cases brought to supervision",
        "Buddy check-ins",
        "Action learning sets facilitated",
        "Set sessions facilitated",
        "Session logs",
        "Observed by a supervisor",
        "Observed by a buddy",
        "Feedback from trainees",
        "Evidence you uploaded",
    ):
        assert label in page, label
    assert "3 sessions held" in page
    assert "90 minutes" in page
    assert "Signed off" in page
    assert "4 responses, 75% agree" in page
    assert "My reflective essay" in page and "3 KB" in page
    assert "No response yet" in page
    # Links to each record, and the upload's Delete link.
    assert f'href="/practice/sets/{full.set.id}"' in page
    assert f'href="/portfolio/evidence/{full.upload.id}"' in page
    assert f'href="/portfolio/evidence/{full.upload.id}/delete"' in page
    assert 'href="/portfolio/evidence/new"' in page
    # One showcase box per item, posting to the showcase.
    items = portfolio.readiness(facilitator.id).items
    assert page.count('name="items"') == len(items)
    assert 'action="/portfolio/showcase"' in page


def test_grouping_by_learning_outcome(db, facilitator, full, login):
    page = login(facilitator).get("/portfolio").get_data(as_text=True)
    assert "Reflect on your own practice" in page
    assert "Help a set inquire with questions, not advice" in page
    assert 'name="items"' not in page  # boxes only where each item appears once
    assert "group your portfolio by where it came from" in page
    assert 'aria-current="page">learning outcome' in page


def test_an_empty_portfolio_says_so(db, facilitator, login):
    page = login(facilitator).get("/portfolio").get_data(as_text=True)
    assert "Nothing in your portfolio yet" in page
    assert "of 6 award criteria met" in page
    assert 'href="/portfolio/evidence/new"' in page


def test_saving_the_showcase(db, facilitator, full, login):
    client = login(facilitator)
    items = portfolio.readiness(facilitator.id).items[:2]
    response = client.post(
        "/portfolio/showcase", data={"items": [f"{i.source}:{i.ref}" for i in items]}
    )
    assert response.status_code == 302
    assert portfolio.showcased(facilitator.id) == {i.key for i in items}
    page = client.get("/portfolio?by=source").get_data(as_text=True)
    assert page.count(" checked") == 2


@pytest.mark.parametrize("value", ["nonsense", "uploads:abc", ":1", "uploads:999999"])
def test_a_bad_showcase_pick_is_refused(db, facilitator, full, login, value):
    client = login(facilitator)
    response = client.post("/portfolio/showcase", data={"items": value})
    assert response.status_code == 400
    assert "Choose only items that are in your portfolio" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(ShowcaseItem)) == 0


def test_the_readiness_page_says_what_is_missing(db, facilitator, intake, evidence_maker, login):
    evidence_maker.supervision(facilitator, intake, count=3)
    evidence_maker.practice_set(facilitator, intake, held=1, logs=0)
    page = login(facilitator).get("/portfolio/readiness").get_data(as_text=True)
    assert "3 of 6" in page
    assert "Attend 3 more supervision sessions" in page
    assert "Hold 3 more sessions in Set" in page
    assert "Have 2 more observed sessions signed off by your supervisor" in page
    assert "Write 6 more session logs" in page
    assert "Log 4 more buddy check-ins" in page
    assert "You can submit your portfolio once every award criterion is met" in page
    assert 'action="/portfolio/submit"' not in page


def test_readiness_with_no_set_and_no_intake(db, make_user, login):
    loner = make_user(Role.FACILITATOR)
    page = login(loner).get("/portfolio/readiness").get_data(as_text=True)
    assert "Facilitate a set: none yet" in page
    assert "default criteria" in page
    assert "joined an intake" in page


def test_readiness_of_core_modules(db, facilitator, intake, login, app):
    from lms.curriculum import queries as curriculum_queries
    from lms.curriculum.content import load_directory
    from lms.curriculum.sync import sync_modules

    found, errors = load_directory(Path(__file__).parents[2] / "content" / "modules")
    assert errors == []
    sync_modules(found)
    core = [m for m in curriculum_queries.current_modules() if m.is_core]
    page = login(facilitator).get("/portfolio/readiness").get_data(as_text=True)
    assert f"0 of {len(core)}" in page
    assert "Complete these core modules: " + core[0].title in page


def test_the_supervisor_sees_the_picked_items_first_and_only_shared_links(
    db, facilitator, supervisor, full, switch, app
):
    items = portfolio.readiness(facilitator.id).items
    log = next(i for i in items if i.source == "session_logs")
    submission.set_showcase(facilitator, {log.key, ("uploads", full.upload.id)})
    page = switch(supervisor).get(f"/portfolio/people/{facilitator.id}").get_data(as_text=True)
    picked_at = page.index("Picked to show you")
    assert picked_at < page.index("Readiness for the award")
    assert page.index("My reflective essay") > picked_at
    with app.test_request_context():
        log_link = url_for(*log.link[:1], **log.link[1])
    # The holder's own session log stays theirs: listed, but no link for others.
    assert f'href="{log_link}"' not in page
    assert f'href="/portfolio/evidence/{full.upload.id}"' in page
    assert 'href="/supervision/observations/' in page
    assert 'name="items"' not in page and "/delete" not in page
    own = switch(facilitator).get("/portfolio?by=source").get_data(as_text=True)
    assert f'href="{log_link}"' in own


# --- Queries ------------------------------------------------------------------------------------


def add_everything(evidence_maker, user, intake, observer, buddy, n: int) -> None:
    evidence_maker.supervision(user, intake, count=n)
    evidence_maker.cases(user, intake, count=n)
    evidence_maker.check_ins(user, intake, count=n)
    for _ in range(n):
        practice_set = evidence_maker.practice_set(user, intake, held=n, logs=n)
        evidence_maker.observations(user, practice_set, count=n, observer=observer)
        evidence_maker.observations(
            user, practice_set, count=n, observer=buddy, kind=ObservationKind.BUDDY
        )
        evidence_maker.feedback(practice_set, responses=3 + n)
    uploads = evidence_maker.uploads(user, count=n)
    db.session.add(ShowcaseItem(user_id=user.id, source="uploads", ref=uploads[-1].id))
    db.session.flush()


@pytest.mark.parametrize("path", ["/portfolio", "/portfolio?by=source", "/portfolio/readiness"])
def test_own_pages_cost_the_same_queries_however_much_evidence(
    db, facilitator, intake, supervisor, evidence_maker, make_user, login, count_queries, path
):
    buddy = make_user(Role.FACILITATOR)
    add_everything(evidence_maker, facilitator, intake, supervisor, buddy, 1)
    client = login(facilitator)
    client.get(path)  # warm up
    with count_queries() as few:
        assert client.get(path).status_code == 200
    add_everything(evidence_maker, facilitator, intake, supervisor, buddy, 4)
    assert len(portfolio.readiness(facilitator.id).items) > 60
    with count_queries() as many:
        page = client.get(path)
    assert page.status_code == 200
    assert many.count == few.count, many.statements


def test_the_supervisors_view_costs_the_same_queries(
    db, facilitator, intake, supervisor, evidence_maker, make_user, switch, count_queries
):
    buddy = make_user(Role.FACILITATOR)
    add_everything(evidence_maker, facilitator, intake, supervisor, buddy, 1)
    client = switch(supervisor)
    path = f"/portfolio/people/{facilitator.id}"
    client.get(path)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    add_everything(evidence_maker, facilitator, intake, supervisor, buddy, 3)
    with count_queries() as many:
        assert client.get(path).status_code == 200
    assert many.count == few.count
