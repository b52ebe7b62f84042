"""Live workshop days: leads schedule them for an intake, facilitators see them (and take
them to their calendar), leads or the named supervisor keep the register, and attending
completes the workshop in the facilitator's progress."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from lms.accounts.models import Role
from lms.audit import AuditEvent
from lms.curriculum import services
from lms.curriculum.models import AttendanceStatus, ModuleCompletion, WorkshopDay, WorkshopMode
from lms.db_types import utcnow
from lms.notifications.models import Notification
from tests.curriculum.conftest import schedule_day


@pytest.fixture
def intake(make_intake):
    return make_intake(name="Spring intake")


@pytest.fixture
def lead(login_as):
    return login_as(Role.LEAD)


def schedule(intake, curriculum, lead_user, *, days: int = 7, **changes) -> WorkshopDay:
    return schedule_day(intake, curriculum["next-steps"], lead_user, days=days, **changes)


def form_for(day: datetime, **changes) -> dict:
    data = {
        "workshop": "next-steps:practice-day",
        "day[day]": str(day.day),
        "day[month]": str(day.month),
        "day[year]": str(day.year),
        "starts_at": "09:30",
        "ends_at": "16:00",
        "mode": "in_person",
        "venue": "Room 4, Education Centre, Leeds",
        "joining_link": "",
        "details": "Bring a real challenge.",
        "run_by": "",
    }
    data.update(changes)
    return data


def test_a_lead_schedules_a_workshop_day_and_the_intake_is_told(
    db, lead, curriculum, intake, make_intake, make_intake_member, outbox
):
    people = [make_intake_member(intake) for _ in range(2)]
    outsider = make_intake_member(make_intake(name="Other intake"))
    day = (utcnow() + timedelta(days=30)).date()
    html = lead.get(f"/lead/training/{intake.id}/workshops/new").get_data(as_text=True)
    assert "Practice day (Next steps)" in html
    response = lead.post(f"/lead/training/{intake.id}/workshops/new", data=form_for(day))
    assert response.status_code == 302, response.get_data(as_text=True)
    workshop = db.session.scalar(db.select(WorkshopDay))
    assert workshop.intake_id == intake.id and workshop.activity_key == "practice-day"
    # 09:30 in London is stored in UTC.
    local = workshop.starts_at.astimezone(services.LONDON)
    assert (local.date(), local.hour, local.minute) == (day, 9, 30)
    told = {n.user_id for n in db.session.scalars(db.select(Notification))}
    assert told == {p.id for p in people}
    assert outsider.id not in told
    emails = [e for e in outbox() if e.subject.startswith("Workshop day booked")]
    assert sorted(e.recipient for e in emails) == sorted(p.email for p in people)
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "workshop.scheduled"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"workshop": ""}, "Select a workshop from the curriculum"),
        ({"workshop": "basics:check"}, "Not a valid choice"),
        ({"day[day]": "31", "day[month]": "2"}, "Enter a real date"),
        ({"starts_at": "9.75"}, "Enter a time in the 24-hour clock"),
        ({"starts_at": ""}, "Enter a start time"),
        ({"ends_at": "08:00"}, "The finish time must be after the start time"),
        ({"venue": ""}, "Enter where the workshop will be held"),
        ({"mode": "online", "venue": ""}, "Enter the link people use to join online"),
        ({"mode": "online", "joining_link": "http://meet.example.org/x"}, "starting with https://"),
        ({"mode": ""}, "Select in person or online"),
    ],
)
def test_a_workshop_form_with_a_problem_says_so_and_keeps_what_was_typed(
    db, lead, curriculum, intake, changes, message
):
    day = (utcnow() + timedelta(days=30)).date()
    response = lead.post(f"/lead/training/{intake.id}/workshops/new", data=form_for(day, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert "Room 4, Education Centre, Leeds" in html or changes.get("venue") == ""
    assert "Bring a real challenge." in html
    assert db.session.scalar(db.select(db.func.count()).select_from(WorkshopDay)) == 0


def test_only_supervisors_or_leads_can_be_named_to_run_a_day(
    db, lead, curriculum, intake, make_user
):
    trainee = make_user(Role.TRAINEE)
    supervisor = make_user(Role.SUPERVISOR, name="Sam Supervisor")
    day = (utcnow() + timedelta(days=30)).date()
    html = lead.get(f"/lead/training/{intake.id}/workshops/new").get_data(as_text=True)
    assert "Sam Supervisor" in html and trainee.name not in html
    response = lead.post(
        f"/lead/training/{intake.id}/workshops/new", data=form_for(day, run_by=str(trainee.id))
    )
    assert "Not a valid choice" in response.get_data(as_text=True)
    lead.post(
        f"/lead/training/{intake.id}/workshops/new", data=form_for(day, run_by=str(supervisor.id))
    )
    assert db.session.scalar(db.select(WorkshopDay)).run_by_id == supervisor.id


def test_facilitators_see_their_intakes_days_and_download_a_calendar_file(
    db, login, curriculum, intake, make_intake, make_intake_member, make_user
):
    lead_user = make_user(Role.LEAD)
    workshop = schedule(intake, curriculum, lead_user, details="Lunch is provided.")
    elsewhere = schedule(make_intake(name="Other"), curriculum, lead_user)
    member = make_intake_member(intake)
    client = login(member)
    html = client.get("/modules").get_data(as_text=True)
    assert "Practice day" in html and "Room 4, Education Centre, Leeds" in html
    html = client.get("/workshops").get_data(as_text=True)
    assert f"/workshops/{workshop.id}" in html and f"/workshops/{elsewhere.id}" not in html
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Lunch is provided." in html and "Add to your calendar" in html
    assert "Keep the register" not in html

    response = client.get(f"/workshops/{workshop.id}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Practice day"
    assert event.decoded("DTSTART") == workshop.starts_at
    assert event.decoded("DTEND") == workshop.ends_at
    assert str(event["LOCATION"]) == "Room 4, Education Centre, Leeds"
    assert "Lunch is provided." in str(event["DESCRIPTION"])
    assert str(event["UID"]) == f"workshop-{workshop.id}@localhost"

    # Another intake's day is private: not found, and logged.
    assert client.get(f"/workshops/{elsewhere.id}").status_code == 404
    assert client.get(f"/workshops/{elsewhere.id}/calendar.ics").status_code == 404


def test_the_workshop_activity_lists_the_days_for_the_intake(
    db, login, curriculum, intake, make_intake_member, make_user
):
    member = make_intake_member(intake)
    db.session.add(
        ModuleCompletion(user_id=member.id, module_id=curriculum["basics"].id, version=1)
    )
    client = login(member)
    html = client.get("/modules/next-steps/practice-day").get_data(as_text=True)
    assert "No dates have been booked for your intake yet." in html
    workshop = schedule(intake, curriculum, make_user(Role.LEAD))
    html = client.get("/modules/next-steps/practice-day").get_data(as_text=True)
    assert f"/workshops/{workshop.id}" in html


def register_data(statuses: dict) -> dict:
    return {f"person_{user.id}": status for user, status in statuses.items()}


def test_the_register_completes_the_workshop_in_progress(
    db, lead, curriculum, intake, make_intake_member
):
    past = schedule(intake, curriculum, lead.user, days=-1)
    here, away, sick = (make_intake_member(intake) for _ in range(3))
    html = lead.get(f"/workshops/{past.id}/register").get_data(as_text=True)
    assert here.name in html and "Present" in html and "Apologies" in html
    response = lead.post(
        f"/workshops/{past.id}/register",
        data=register_data({here: "present", away: "absent", sick: "apologies"}),
    )
    assert response.status_code == 302
    assert {a.user_id: a.status for a in past.attendance} == {
        here.id: AttendanceStatus.PRESENT,
        away.id: AttendanceStatus.ABSENT,
        sick.id: AttendanceStatus.APOLOGIES,
    }
    from lms.curriculum import queries

    module = curriculum["next-steps"]
    assert "practice-day" in queries.progress_for(here.id, [module])[module.id].done_keys
    assert "practice-day" not in queries.progress_for(away.id, [module])[module.id].done_keys

    # Correcting the register undoes the attendance.
    lead.post(f"/workshops/{past.id}/register", data=register_data({here: "absent"}))
    assert "practice-day" not in queries.progress_for(here.id, [module])[module.id].done_keys
    entries = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "workshop.register_saved")
    ).all()
    assert len(entries) == 2


def test_people_are_marked_present_only_once_the_day_has_started(
    db, lead, curriculum, intake, make_intake_member
):
    future = schedule(intake, curriculum, lead.user, days=3)
    person = make_intake_member(intake)
    html = lead.post(
        f"/workshops/{future.id}/register", data=register_data({person: "present"})
    ).get_data(as_text=True)
    assert "You can only mark people present or absent once the workshop has started" in html
    assert future.attendance == []
    response = lead.post(
        f"/workshops/{future.id}/register", data=register_data({person: "apologies"})
    )
    assert response.status_code == 302


def test_only_the_intakes_facilitators_can_be_on_a_register(
    curriculum, intake, make_intake, make_intake_member, make_user
):
    past = schedule(intake, curriculum, make_user(Role.LEAD), days=-1)
    stranger = make_intake_member(make_intake(name="Elsewhere"))
    with pytest.raises(services.CurriculumError):
        services.record_attendance(
            past, {stranger.id: AttendanceStatus.PRESENT}, by=make_user(Role.LEAD)
        )


def test_the_supervisor_running_a_day_keeps_its_register_and_others_cannot(
    db, login, curriculum, intake, make_intake_member, make_user, app
):
    runner = make_user(Role.SUPERVISOR)
    other = make_user(Role.SUPERVISOR)
    past = schedule(intake, curriculum, make_user(Role.LEAD), days=-1, run_by=runner)
    person = make_intake_member(intake)
    client = login(runner)
    assert f"/workshops/{past.id}" in client.get("/workshops").get_data(as_text=True)
    assert "Keep the register" in client.get(f"/workshops/{past.id}").get_data(as_text=True)
    assert (
        client.post(
            f"/workshops/{past.id}/register", data=register_data({person: "present"})
        ).status_code
        == 302
    )
    client.post("/sign-out")

    client = login(other)
    assert client.get(f"/workshops/{past.id}/register").status_code == 403
    assert client.get(f"/workshops/{past.id}").status_code == 404
    client.post("/sign-out")
    client = login(person)
    assert client.get(f"/workshops/{past.id}/register").status_code == 403


def test_a_lead_changes_a_day_and_facilitators_are_told_when_it_moves(
    db, lead, curriculum, intake, make_intake_member
):
    workshop = schedule(intake, curriculum, lead.user, days=10)
    member = make_intake_member(intake)
    html = lead.get(f"/lead/training/workshops/{workshop.id}/edit").get_data(as_text=True)
    assert "Room 4, Education Centre, Leeds" in html and 'value="09:30"' in html
    day = (utcnow() + timedelta(days=12)).date()
    response = lead.post(
        f"/lead/training/workshops/{workshop.id}/edit",
        data=form_for(day, mode="online", venue="", joining_link="https://meet.example.org/als"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(workshop)
    assert workshop.mode is WorkshopMode.ONLINE and workshop.venue is None
    assert workshop.joining_link == "https://meet.example.org/als" and workshop.sequence == 1
    notes = db.session.scalars(
        db.select(Notification).where(Notification.user_id == member.id)
    ).all()
    assert any("has changed" in n.message for n in notes)


def test_a_lead_cancels_a_day_with_a_reason_the_facilitators_see(
    db, lead, curriculum, intake, make_intake_member, login
):
    workshop = schedule(intake, curriculum, lead.user, days=10)
    member = make_intake_member(intake)
    html = lead.post(
        f"/lead/training/workshops/{workshop.id}/cancel", data={"reason": ""}
    ).get_data(as_text=True)
    assert "Enter why the workshop is cancelled" in html
    lead.post(
        f"/lead/training/workshops/{workshop.id}/cancel", data={"reason": "The venue flooded."}
    )
    db.session.refresh(workshop)
    assert workshop.is_cancelled and workshop.sequence == 1
    note = db.session.scalar(
        db.select(Notification)
        .where(Notification.user_id == member.id)
        .order_by(Notification.id.desc())
    )
    assert "The venue flooded." in note.message
    assert lead.get(f"/lead/training/workshops/{workshop.id}/edit").status_code == 404
    response = login(member).get(f"/workshops/{workshop.id}/calendar.ics")
    assert Calendar.from_ical(response.data).walk("VEVENT")[0]["STATUS"] == "CANCELLED"


def test_a_day_with_people_marked_present_cannot_be_cancelled(
    curriculum, intake, make_intake_member, make_user
):
    lead_user = make_user(Role.LEAD)
    past = schedule(intake, curriculum, lead_user, days=-1)
    person = make_intake_member(intake)
    services.record_attendance(past, {person.id: AttendanceStatus.PRESENT}, by=lead_user)
    with pytest.raises(services.CurriculumError, match="marked present"):
        services.cancel_workshop(past, "Oops", by=lead_user)


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.SUPERVISOR, Role.ADMIN, Role.TRAINEE])
def test_only_leads_schedule_change_or_cancel(login_as, curriculum, intake, make_user, role):
    workshop = schedule(intake, curriculum, make_user(Role.LEAD))
    client = login_as(role)
    for path in (
        f"/lead/training/{intake.id}/workshops/new",
        f"/lead/training/workshops/{workshop.id}/edit",
        f"/lead/training/workshops/{workshop.id}/cancel",
    ):
        assert client.get(path).status_code == 403, path
        assert client.post(path, data={}).status_code == 403, path


def test_london_times_become_utc_across_the_clock_change():
    from datetime import date, time

    summer = services.london_to_utc(date(2027, 7, 1), time(9, 30))
    winter = services.london_to_utc(date(2027, 1, 15), time(9, 30))
    assert summer == datetime(2027, 7, 1, 8, 30, tzinfo=UTC)
    assert winter == datetime(2027, 1, 15, 9, 30, tzinfo=UTC)
