"""Supervision pages: who may use each one, privacy of notes and cases, forms, queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.curriculum.models import AttendanceStatus
from lms.db_types import utcnow
from lms.extensions import db
from lms.supervision import services
from lms.supervision.models import SupervisionSession
from tests.supervision.conftest import add_session

PRIVATE = "PRIVATE-NOTE-TEXT only the supervisor reads"
SUMMARY = "SHARED-SUMMARY-TEXT the group reads"
CASE_TEXT = "CASE-TEXT a member kept advising"


@pytest.fixture
def world(intake, group, members, supervisor, lead, make_user, make_member):
    """A group with a past session (notes, register) and a case, plus people around it."""
    past = add_session(group, hours=-5)
    services.record_register(past, {members[0].id: AttendanceStatus.PRESENT}, by=supervisor)
    services.save_notes(past, SUMMARY, PRIVATE, by=supervisor)
    future = add_session(group, hours=72)
    case = services.bring_case(members[0], group, future, CASE_TEXT, "Ideas please")
    other_supervisor = make_user(Role.SUPERVISOR)
    other_group = services.create_group(intake, "Group B", other_supervisor, [], by=lead)
    outsider = make_member()
    services.move_member(intake, outsider, other_group, by=lead)
    return {
        "past": past,
        "future": future,
        "case": case,
        "member": members[0],
        "peer": members[1],
        "supervisor": supervisor,
        "other_supervisor": other_supervisor,
        "outsider": outsider,
        "lead": lead,
        "admin": make_user(Role.ADMIN),
        "group": group,
        "intake": intake,
    }


@pytest.fixture
def login(client, login):
    """Sign in, first signing out whoever was signed in (so one test can switch people)."""

    def switch(user):
        client._cookies.clear()
        return login(user)

    return switch


def urls(w):
    g, p, f, c, i = w["group"].id, w["past"].id, w["future"].id, w["case"].id, w["intake"].id
    return {
        "overview": "/supervision",
        "group": f"/supervision/groups/{g}",
        "new_sessions": f"/supervision/groups/{g}/sessions/new",
        "session": f"/supervision/sessions/{p}",
        "calendar": f"/supervision/sessions/{f}/calendar.ics",
        "edit_session": f"/supervision/sessions/{f}/edit",
        "cancel_session": f"/supervision/sessions/{f}/cancel",
        "register": f"/supervision/sessions/{p}/register",
        "notes": f"/supervision/sessions/{p}/notes",
        "new_case": f"/supervision/groups/{g}/cases/new",
        "case": f"/supervision/cases/{c}",
        "edit_case": f"/supervision/cases/{c}/edit",
        "respond": f"/supervision/cases/{c}/respond",
        "lead_overview": "/lead/supervision",
        "lead_intake": f"/lead/supervision/{i}",
        "new_group": f"/lead/supervision/{i}/groups/new",
        "edit_group": f"/supervision/groups/{g}/edit",
    }


# Who gets what on GET. 404 where the record's existence is private to its group.
EXPECTED = {
    "overview": {
        "member": 200,
        "peer": 200,
        "supervisor": 200,
        "other_supervisor": 200,
        "outsider": 200,
        "lead": 403,
        "admin": 403,
    },
    "group": {
        "member": 200,
        "peer": 200,
        "supervisor": 200,
        "other_supervisor": 404,
        "outsider": 404,
        "lead": 200,
        "admin": 403,
    },
    "new_sessions": {
        "member": 403,
        "supervisor": 200,
        "other_supervisor": 404,
        "lead": 403,
        "admin": 403,
    },
    "session": {
        "member": 200,
        "peer": 200,
        "supervisor": 200,
        "other_supervisor": 404,
        "outsider": 404,
        "lead": 200,
        "admin": 403,
    },
    "calendar": {
        "member": 200,
        "supervisor": 200,
        "other_supervisor": 404,
        "outsider": 404,
        "lead": 200,
        "admin": 403,
    },
    "edit_session": {"member": 403, "supervisor": 200, "other_supervisor": 404, "lead": 403},
    "cancel_session": {"member": 403, "supervisor": 200, "other_supervisor": 404, "lead": 403},
    "register": {"member": 403, "supervisor": 200, "other_supervisor": 404, "lead": 403},
    "notes": {"member": 403, "supervisor": 200, "other_supervisor": 404, "lead": 403},
    "new_case": {"member": 200, "peer": 200, "outsider": 404, "supervisor": 403, "lead": 403},
    "case": {
        "member": 200,
        "peer": 404,
        "supervisor": 200,
        "other_supervisor": 404,
        "outsider": 404,
        "lead": 200,
        "admin": 403,
    },
    "edit_case": {"member": 200, "peer": 404, "supervisor": 403, "lead": 403},
    "respond": {"member": 403, "supervisor": 200, "other_supervisor": 404, "lead": 403},
    "lead_overview": {"member": 403, "supervisor": 403, "lead": 200, "admin": 403},
    "lead_intake": {"member": 403, "supervisor": 403, "lead": 200, "admin": 403},
    "new_group": {"member": 403, "supervisor": 403, "lead": 200, "admin": 403},
    "edit_group": {"member": 403, "supervisor": 403, "lead": 200, "admin": 403},
}

CASES = [(page, who, status) for page, row in EXPECTED.items() for who, status in row.items()]


@pytest.mark.parametrize(("page", "who", "status"), CASES)
def test_who_may_open_each_page(world, login, page, who, status):
    client = login(world[who])
    assert client.get(urls(world)[page]).status_code == status


def test_anonymous_people_are_sent_to_sign_in(world, client):
    for url in urls(world).values():
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.location, url


# --- Privacy ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "peer", "lead"])
def test_private_notes_show_to_nobody_but_their_author(world, login, who):
    page = login(world[who]).get(urls(world)["session"]).get_data(as_text=True)
    assert SUMMARY in page
    assert PRIVATE not in page


def test_the_supervisor_reads_their_private_notes(world, login):
    page = login(world["supervisor"]).get(urls(world)["session"]).get_data(as_text=True)
    assert PRIVATE in page and SUMMARY in page


def test_a_new_supervisor_does_not_see_the_old_ones_private_notes(world, login, make_user):
    successor = make_user(Role.SUPERVISOR)
    services.update_group(world["group"], "Group A", successor, by=world["lead"])
    client = login(successor)
    assert PRIVATE not in client.get(urls(world)["session"]).get_data(as_text=True)
    assert PRIVATE not in client.get(urls(world)["notes"]).get_data(as_text=True)


def test_a_case_shows_to_its_facilitator_supervisor_and_leads_only(world, login):
    for who in ("member", "supervisor", "lead"):
        page = (
            login(world[who])
            .get(urls(world)["session"].replace(str(world["past"].id), str(world["future"].id)))
            .get_data(as_text=True)
        )
        assert "Case from" in page, who
    page = (
        login(world["peer"])
        .get(f"/supervision/sessions/{world['future'].id}")
        .get_data(as_text=True)
    )
    assert "Case from" not in page
    assert CASE_TEXT not in page


def test_members_see_no_register_or_contact_details_of_others(world, login):
    page = login(world["peer"]).get(urls(world)["session"]).get_data(as_text=True)
    assert "Keep the register" not in page
    assert world["member"].email not in login(world["peer"]).get(urls(world)["group"]).get_data(
        as_text=True
    )


# --- Forms --------------------------------------------------------------------------------


def test_booking_a_series_from_the_form(world, login, outbox):
    client = login(world["supervisor"])
    day = (utcnow() + timedelta(days=20)).date()
    response = client.post(
        urls(world)["new_sessions"],
        data={
            "day[day]": day.day,
            "day[month]": day.month,
            "day[year]": day.year,
            "start": "09:30",
            "minutes": "120",
            "mode": "in_person",
            "venue": "Room 2, Trust HQ",
            "count": "3",
            "every_weeks": "2",
        },
    )
    assert response.status_code == 302
    sessions = db.session.scalars(
        db.select(SupervisionSession).where(SupervisionSession.venue == "Room 2, Trust HQ")
    ).all()
    assert len(sessions) == 3
    assert sessions[1].starts_at - sessions[0].starts_at in (
        timedelta(weeks=2),
        timedelta(weeks=2, hours=1),
        timedelta(weeks=2, hours=-1),
    )


def test_a_bad_booking_shows_errors_and_keeps_what_was_typed(world, login):
    client = login(world["supervisor"])
    response = client.post(
        urls(world)["new_sessions"],
        data={
            "day[day]": "31",
            "day[month]": "2",
            "day[year]": "2031",
            "start": "25:99",
            "minutes": "90",
            "mode": "online",
            "joining_link": "http://insecure.example",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'value="25:99"' in page
    assert "http://insecure.example" in page
    assert "starting with https://" in page


def test_the_register_form_saves(world, login):
    client = login(world["supervisor"])
    member = world["member"]
    response = client.post(
        urls(world)["register"],
        data={f"person_{member.id}": "absent", f"person_{world['peer'].id}": "present"},
    )
    assert response.status_code == 302
    statuses = {a.user_id: a.status for a in world["past"].attendance}
    assert statuses[member.id] is AttendanceStatus.ABSENT
    assert statuses[world["peer"].id] is AttendanceStatus.PRESENT


def test_notes_form_saves_both_kinds(world, login):
    client = login(world["supervisor"])
    client.post(
        urls(world)["notes"], data={"shared_summary": "New summary", "private_notes": "Mine"}
    )
    assert world["past"].shared_summary == "New summary"
    assert "Mine" in client.get(urls(world)["session"]).get_data(as_text=True)


def test_bringing_a_case_from_the_form_and_an_empty_one(world, login):
    client = login(world["peer"])
    empty = client.post(urls(world)["new_case"], data={"what_happened": "", "help_wanted": "x"})
    assert "Enter what happened" in empty.get_data(as_text=True)
    response = client.post(
        urls(world)["new_case"],
        data={
            "session": str(world["future"].id),
            "what_happened": "Silence",
            "help_wanted": "Help",
        },
    )
    assert response.status_code == 302


def test_the_supervisor_responds(world, login):
    client = login(world["supervisor"])
    response = client.post(urls(world)["respond"], data={"response": "Name the pattern."})
    assert response.status_code == 302
    page = login(world["member"]).get(urls(world)["case"]).get_data(as_text=True)
    assert "Name the pattern." in page


def test_a_lead_forms_a_group_and_moves_someone(world, login, make_member):
    newcomer = make_member(name="Nia Newcomer")
    client = login(world["lead"])
    response = client.post(
        urls(world)["new_group"],
        data={
            "name": "Group C",
            "supervisor": str(world["supervisor"].id),
            "members": [str(newcomer.id)],
        },
    )
    assert response.status_code == 302
    page = client.get(urls(world)["lead_intake"]).get_data(as_text=True)
    assert "Group C" in page and "Nia Newcomer" in page
    response = client.post(
        f"/lead/supervision/{world['intake'].id}/move",
        data={"person": str(newcomer.id), "group": str(world["group"].id)},
    )
    assert response.status_code == 302
    history = client.get(f"/supervision/groups/{world['group'].id}").get_data(as_text=True)
    assert "Nia Newcomer" in history


def test_moving_without_choosing_a_person_shows_an_error(world, login):
    client = login(world["lead"])
    response = client.post(f"/lead/supervision/{world['intake'].id}/move", data={"group": ""})
    assert response.status_code == 400
    assert "Select a trainee facilitator" in response.get_data(as_text=True)


def test_mass_assignment_on_a_case_changes_nothing(world, login):
    client = login(world["member"])
    client.post(
        urls(world)["edit_case"],
        data={
            "what_happened": "Edited",
            "help_wanted": "Edited",
            "user_id": world["peer"].id,
            "response": "forged",
            "group_id": 999,
        },
    )
    case = world["case"]
    assert case.user_id == world["member"].id and case.response is None
    assert case.group_id == world["group"].id


# --- Query counts -------------------------------------------------------------------------


def _grow(world, make_member, extra: int):
    for n in range(extra):
        person = make_member(name=f"Extra {n}")
        services.move_member(world["intake"], person, world["group"], by=world["lead"])
        session = add_session(world["group"], hours=-10 * (n + 2))
        services.record_register(
            session, {person.id: AttendanceStatus.PRESENT}, by=world["supervisor"]
        )


@pytest.mark.parametrize(
    ("page", "who"),
    [
        (page, who)
        for page in ("group", "lead_intake", "overview", "session")
        for who in ("supervisor", "lead", "member")
        if EXPECTED[page].get(who) == 200
    ],
)
def test_pages_use_a_constant_number_of_queries(
    world, login, make_member, count_queries, page, who
):
    client = login(world[who])
    url = urls(world)[page]
    client.get(url)
    db.session.flush()
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _grow(world, make_member, 6)
    db.session.flush()
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count, (small.count, large.count)


def test_the_home_page_shows_counts_towards_the_award(world, login):
    page = login(world["member"]).get("/").get_data(as_text=True)
    assert "Towards your award" in page
    assert "Supervision sessions attended" in page and "1 of 6" in page
    assert "Buddy check-ins" in page and "0 of 4" in page
    assert "Towards your award" not in login(world["lead"]).get("/").get_data(as_text=True)


def test_changing_a_case_keeps_its_session_after_the_week_has_passed(world, login, supervisor):
    case = world["case"]
    old = world["past"]
    old.starts_at = utcnow() - timedelta(days=20)
    old.ends_at = old.starts_at + timedelta(minutes=90)
    case.session_id = old.id
    db.session.flush()
    client = login(world["member"])
    page = client.get(urls(world)["edit_case"]).get_data(as_text=True)
    assert f'value="{old.id}" selected' in page
    response = client.post(
        urls(world)["edit_case"],
        data={"session": str(old.id), "what_happened": "Changed", "help_wanted": "Still"},
    )
    assert response.status_code == 302
    assert case.session_id == old.id and case.what_happened == "Changed"


def test_a_case_cannot_be_brought_to_a_session_long_past(world, login):
    old = world["past"]
    old.starts_at = utcnow() - timedelta(days=20)
    db.session.flush()
    client = login(world["member"])
    assert "Bring a case to this session" not in client.get(urls(world)["session"]).get_data(
        as_text=True
    )
    response = client.post(
        urls(world)["new_case"],
        data={"session": str(old.id), "what_happened": "x", "help_wanted": "y"},
    )
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
