"""Leads see every facilitator's progress in an intake, by module, with filters; admins may
read it too. Nobody else can."""

from __future__ import annotations

import pytest

from lms.accounts.models import Role
from lms.curriculum import queries, services
from lms.curriculum.models import AttendanceStatus, WorkshopMode
from tests.curriculum.conftest import schedule_day


@pytest.fixture
def intake(make_intake):
    return make_intake(name="Spring intake")


def finish(db, person, module) -> None:
    """Do every activity of ``module`` and complete it, through the services."""
    for key in module.current.activity_keys:
        services.record_done(person, module, key)
    progress = queries.progress_for(person.id, queries.current_modules())[module.id]
    services.complete_module(person, module, progress)


@pytest.fixture
def people(db, curriculum, intake, make_intake_member, make_organisation):
    trust = make_organisation("Leeds Teaching Hospitals")
    done = make_intake_member(intake, name="Ada Done", organisation_id=trust.id)
    for slug in ("basics", "next-steps"):
        finish(db, done, curriculum[slug])
    partway = make_intake_member(intake, name="Ben Partway")
    services.record_done(partway, curriculum["basics"], "origins")
    fresh = make_intake_member(intake, name="Cat New")
    return {"done": done, "partway": partway, "fresh": fresh}


def rows(html: str) -> list[str]:
    names = ("Ada Done", "Ben Partway", "Cat New")
    return [name for name in names if f"{name}<" in html or f"{name}\n" in html]


def test_the_lead_sees_each_facilitator_by_module(login_as, intake, people):
    client = login_as(Role.LEAD)
    response = client.get(f"/lead/training/{intake.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 trainee facilitators are in this intake." in html
    assert rows(html) == ["Ada Done", "Ben Partway", "Cat New"]
    assert "Leeds Teaching Hospitals" in html
    assert "2 of 2" in html  # Ada's core modules
    assert "1 of 4" in html  # Ben's activities in the basics


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"name": "ben"}, ["Ben Partway"]),
        ({"name": "leeds teaching"}, ["Ada Done"]),
        ({"core": "complete"}, ["Ada Done"]),
        ({"core": "incomplete"}, ["Ben Partway", "Cat New"]),
        ({"module": "basics", "state": "in_progress"}, ["Ben Partway"]),
        ({"module": "basics", "state": "not_started"}, ["Cat New"]),
        ({"module": "next-steps", "state": "locked"}, ["Ben Partway", "Cat New"]),
    ],
)
def test_the_lead_filters_the_progress_view(login_as, intake, people, curriculum, args, expected):
    if "module" in args:
        args = {**args, "module": str(curriculum[args["module"]].id)}
    client = login_as(Role.LEAD)
    html = client.get(f"/lead/training/{intake.id}", query_string=args).get_data(as_text=True)
    body = html.split("By trainee facilitator", 1)[1]
    assert rows(body) == expected


def test_a_progress_filter_without_its_module_says_what_to_do(login_as, intake, people):
    client = login_as(Role.LEAD)
    html = client.get(f"/lead/training/{intake.id}", query_string={"state": "completed"}).get_data(
        as_text=True
    )
    assert "Select a module to filter by its progress" in html


def test_attended_workshop_days_count_in_the_lead_view(
    db, login_as, intake, people, curriculum, make_user
):
    lead = make_user(Role.LEAD)
    workshop = schedule_day(
        intake,
        curriculum["next-steps"],
        lead,
        days=-2,
        mode=WorkshopMode.ONLINE,
        joining_link="https://meet.example.org/x",
    )
    services.record_attendance(workshop, {people["partway"].id: AttendanceStatus.PRESENT}, lead)
    progress = {p.user.id: p for p in queries.intake_progress(intake.id, queries.current_modules())}
    assert progress[people["partway"].id].workshops_attended == 1
    assert progress[people["fresh"].id].workshops_attended == 0


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.SUPERVISOR, Role.TRAINEE, Role.APPLICANT])
def test_only_leads_and_admins_see_progress(login_as, intake, curriculum, role):
    client = login_as(role)
    for path in (
        "/lead/training",
        f"/lead/training/{intake.id}",
        f"/lead/training/{intake.id}/workshops",
    ):
        assert client.get(path).status_code == 403, path


def test_an_admin_reads_progress_but_cannot_schedule(login_as, intake, people):
    client = login_as(Role.ADMIN)
    assert client.get("/lead/training").status_code == 200
    assert client.get(f"/lead/training/{intake.id}").status_code == 200
    html = client.get(f"/lead/training/{intake.id}/workshops").get_data(as_text=True)
    assert "Schedule a workshop day" not in html


def test_the_training_overview_counts_facilitators_and_days(login_as, intake, people):
    client = login_as(Role.LEAD)
    html = client.get("/lead/training").get_data(as_text=True)
    assert "Spring intake" in html
    assert f"/lead/training/{intake.id}" in html


def test_the_progress_view_takes_the_same_number_of_queries_for_more_people(
    db, login_as, intake, people, curriculum, make_intake_member, count_queries
):
    client = login_as(Role.LEAD)
    path = f"/lead/training/{intake.id}"
    client.get(path)
    with count_queries() as before:
        client.get(path)
    for n in range(6):
        person = make_intake_member(intake, name=f"Extra {n}")
        finish(db, person, curriculum["basics"])
    db.session.flush()
    with count_queries() as after:
        html = client.get(path).get_data(as_text=True)
    assert "9 trainee facilitators" in html
    assert after.count == before.count
    assert after.count <= 12, after.statements
