"""Buddy pages: who may use each one, check-in privacy, the lead's workflow, queries."""

from __future__ import annotations

import pytest

from lms.accounts.models import Role, Sector
from lms.applications.models import StaffGroup
from lms.buddy import queries, services
from lms.buddy.models import BuddyStatus, CheckInTopic, RepairRequest
from lms.db_types import utcnow
from lms.extensions import db

NOTES = "CHECK-IN-NOTES for the pair alone"


@pytest.fixture
def login(client, login):
    """Sign in, first signing out whoever was signed in (so one test can switch people)."""

    def switch(user):
        client._cookies.clear()
        return login(user)

    return switch


@pytest.fixture
def world(intake, four, lead, make_user):
    services.run_pairing(intake, by=lead)
    services.confirm(intake, by=lead)
    mine, theirs = queries.groups(intake.id, BuddyStatus.CONFIRMED)
    me = mine.members[0].user
    services.log_check_in(mine, me, utcnow().date(), 40, [CheckInTopic.SETS], NOTES)
    request = services.request_repair(theirs, theirs.members[0].user, "REPAIR-REASON text")
    return {
        "intake": intake,
        "mine": mine,
        "theirs": theirs,
        "me": me,
        "buddy": mine.members[1].user,
        "other": theirs.members[0].user,
        "request": request,
        "lead": lead,
        "supervisor": make_user(Role.SUPERVISOR),
        "admin": make_user(Role.ADMIN),
    }


def urls(w):
    i, g, r = w["intake"].id, w["mine"].id, w["request"].id
    return {
        "overview": ("GET", "/buddy"),
        "check_in": ("GET", f"/buddy/{g}/check-ins/new"),
        "repair": ("GET", f"/buddy/{g}/re-pair"),
        "lead_overview": ("GET", "/lead/buddies"),
        "lead_intake": ("GET", f"/lead/buddies/{i}"),
        "run": ("POST", f"/lead/buddies/{i}/run"),
        "confirm": ("POST", f"/lead/buddies/{i}/confirm"),
        "discard": ("POST", f"/lead/buddies/{i}/discard"),
        "swap": ("POST", f"/lead/buddies/{i}/swap"),
        "rules": ("POST", f"/lead/buddies/{i}/rules"),
        "join": ("POST", f"/lead/buddies/{i}/join"),
        "resolve": ("POST", f"/lead/buddies/requests/{r}/resolve"),
    }


LEAD_ONLY = {"me": 403, "supervisor": 403, "admin": 403}
EXPECTED = {
    "overview": {"me": 200, "other": 200, "lead": 403, "supervisor": 403, "admin": 403},
    "check_in": {"me": 200, "buddy": 200, "other": 404, "lead": 403, "supervisor": 403},
    "repair": {"me": 200, "buddy": 200, "other": 404, "lead": 403},
    "lead_overview": {**LEAD_ONLY, "lead": 200},
    "lead_intake": {**LEAD_ONLY, "lead": 200},
    **dict.fromkeys(("run", "confirm", "discard", "swap", "rules", "join", "resolve"), LEAD_ONLY),
}
CASES = [(page, who, status) for page, row in EXPECTED.items() for who, status in row.items()]


@pytest.mark.parametrize(("page", "who", "status"), CASES)
def test_who_may_use_each_page(world, login, page, who, status):
    method, url = urls(world)[page]
    client = login(world[who])
    response = client.get(url) if method == "GET" else client.post(url, data={})
    assert response.status_code == status


def test_anonymous_people_are_sent_to_sign_in(world, client):
    for method, url in urls(world).values():
        response = client.get(url) if method == "GET" else client.post(url)
        assert response.status_code == 302 and "/sign-in" in response.location, url


def test_buddies_see_each_others_contact_details_and_their_notes(world, login):
    page = login(world["me"]).get("/buddy").get_data(as_text=True)
    assert world["buddy"].email in page and "0113 496 0000" in page
    assert NOTES in page
    assert "1 buddy check-in" in page
    page = login(world["buddy"]).get("/buddy").get_data(as_text=True)
    assert NOTES in page and world["me"].email in page


def test_nobody_else_sees_the_notes(world, login):
    assert NOTES not in login(world["other"]).get("/buddy").get_data(as_text=True)
    lead_page = login(world["lead"]).get(urls(world)["lead_intake"][1]).get_data(as_text=True)
    assert NOTES not in lead_page
    assert "REPAIR-REASON text" in lead_page
    assert "1 of 4" in lead_page


def test_the_lead_runs_swaps_and_confirms_in_the_browser(intake, four, lead, login, outbox):
    client = login(lead)
    page = client.get(f"/lead/buddies/{intake.id}").get_data(as_text=True)
    assert "Pair the 4 people without a buddy" in page
    assert client.post(f"/lead/buddies/{intake.id}/run").status_code == 302
    page = client.get(f"/lead/buddies/{intake.id}").get_data(as_text=True)
    assert "Proposed pairs" in page and "Different organisations" in page
    a, b = (g.members[0].user for g in queries.groups(intake.id, BuddyStatus.PENDING))
    response = client.post(
        f"/lead/buddies/{intake.id}/swap", data={"swap-first": a.id, "swap-second": b.id}
    )
    assert response.status_code == 302
    assert client.post(f"/lead/buddies/{intake.id}/confirm").status_code == 302
    assert len(queries.groups(intake.id, BuddyStatus.CONFIRMED)) == 2
    assert len([e for e in outbox() if e.subject == "Your buddy for the programme"]) == 4


def test_a_bad_swap_shows_an_error_summary(intake, four, lead, login):
    client = login(lead)
    client.post(f"/lead/buddies/{intake.id}/run")
    response = client.post(f"/lead/buddies/{intake.id}/swap", data={"swap-first": ""})
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)


def test_a_rule_from_the_form(intake, four, lead, login):
    client = login(lead)
    response = client.post(
        f"/lead/buddies/{intake.id}/rules",
        data={"rule-first": four[0].id, "rule-second": four[1].id, "rule-kind": "must_pair"},
    )
    assert response.status_code == 302
    page = client.get(f"/lead/buddies/{intake.id}").get_data(as_text=True)
    assert "Must be buddies" in page
    same = client.post(
        f"/lead/buddies/{intake.id}/rules",
        data={"rule-first": four[0].id, "rule-second": four[0].id, "rule-kind": "must_pair"},
    )
    assert same.status_code == 400 and "Select two different people" in same.get_data(as_text=True)


def test_logging_a_check_in_and_keeping_what_was_typed(world, login):
    client = login(world["me"])
    url = urls(world)["check_in"][1]
    bad = client.post(
        url,
        data={
            "met_on[day]": "1",
            "met_on[month]": "1",
            "met_on[year]": "2099",
            "minutes": "30",
            "topics": ["sets"],
            "notes": "Kept text",
        },
    )
    page = bad.get_data(as_text=True)
    assert "There is a problem" in page and "Kept text" in page
    today = utcnow().date()
    response = client.post(
        url,
        data={
            "met_on[day]": today.day,
            "met_on[month]": today.month,
            "met_on[year]": today.year,
            "minutes": "30",
            "topics": ["sets", "wellbeing"],
        },
    )
    assert response.status_code == 302
    assert queries.check_in_count(world["me"].id) == 2


def test_asking_to_be_re_paired_and_the_lead_ending_the_pair(world, login):
    client = login(world["me"])
    assert "Enter why" in client.post(urls(world)["repair"][1], data={"reason": ""}).get_data(
        as_text=True
    )
    client.post(urls(world)["repair"][1], data={"reason": "Clash of diaries"})
    request = db.session.scalar(
        db.select(RepairRequest).where(RepairRequest.user_id == world["me"].id)
    )
    lead = login(world["lead"])
    response = lead.post(
        f"/lead/buddies/requests/{request.id}/resolve", data={"decision": "repair"}
    )
    assert response.status_code == 302
    assert world["mine"].status is BuddyStatus.ENDED
    assert (
        lead.post(
            f"/lead/buddies/requests/{world['request'].id}/resolve", data={"decision": "nonsense"}
        ).status_code
        == 400
    )


@pytest.mark.parametrize(("who", "url"), [("lead", "lead_intake"), ("me", "overview")])
def test_pages_use_a_constant_number_of_queries(
    world, login, make_member, count_queries, lead, who, url
):
    # Something of every kind on the page first: a proposal as well as confirmed pairs.
    make_member("Early 1", "Trust X")
    make_member("Early 2", "Trust Y")
    services.run_pairing(world["intake"], by=lead)
    client = login(world[who])
    path = urls(world)[url][1]
    client.get(path)
    with count_queries() as small:
        assert client.get(path).status_code == 200
    for n in range(8):
        make_member(f"More {n}", f"Trust {n % 3}", StaffGroup.ALLIED_HEALTH, Sector.MENTAL_HEALTH)
    services.run_pairing(world["intake"], by=lead)
    group = world["mine"]
    for _ in range(5):
        services.log_check_in(group, world["me"], utcnow().date(), 30, [CheckInTopic.SETS], "x")
    db.session.flush()
    with count_queries() as large:
        assert client.get(path).status_code == 200
    assert large.count == small.count, "\n".join(large.statements)


def test_minutes_in_words_get_one_clear_error_and_keep_what_was_typed(world, login):
    client = login(world["me"])
    page = client.post(
        urls(world)["check_in"][1],
        data={
            "met_on[day]": "1",
            "met_on[month]": "1",
            "met_on[year]": "2026",
            "minutes": "forty",
            "topics": ["sets"],
            "notes": "Kept",
        },
    ).get_data(as_text=True)
    assert "Enter how long you met as a number of minutes, for example 45" in page
    assert "Not a valid integer value" not in page
    assert 'value="forty"' in page and "Kept" in page
