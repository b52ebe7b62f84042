"""Set and session pages and the session console: who may use each one, the console run
end to end with and without JavaScript, the forms, and constant query counts."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from lms.accounts.models import Role, User
from lms.db_types import utcnow
from lms.extensions import db
from lms.practice import confidential, queries, running, services
from lms.practice.models import (
    FeedbackReceipt,
    FeedbackResponse,
    FollowThroughStatus,
    PracticeAttendanceStatus,
    PracticeSession,
    PracticeSet,
    Presentation,
    SessionLog,
    SetStatus,
    Theme,
)
from lms.practice.running import ActionDraft
from lms.supervision.models import GroupMembership, SupervisionGroup

NAMES = ("Ada Able", "Ben Bold", "Cal Calm", "Dee Deft", "Eve Even", "Fin Fair")
FETCH = {"X-Requested-With": "fetch"}


def first_start():
    """Sessions 1 to 3 have taken place; session 4 is tomorrow."""
    return (utcnow() - timedelta(weeks=3, days=-1)).replace(second=0, microsecond=0)


def supervise(supervisor: User, facilitator: User, intake, name: str) -> SupervisionGroup:
    group = SupervisionGroup(intake_id=intake.id, name=name, supervisor_id=supervisor.id)
    db.session.add(group)
    db.session.flush()
    db.session.add(GroupMembership(group_id=group.id, user_id=facilitator.id))
    db.session.flush()
    return group


@dataclass
class World:
    practice_set: PracticeSet
    other_set: PracticeSet
    people: dict[str, User]

    @property
    def session(self) -> PracticeSession:
        return self.practice_set.sessions[0]

    @property
    def upcoming(self) -> PracticeSession:
        return self.practice_set.sessions[3]

    @property
    def facilitator(self) -> User:
        return self.people["facilitator"]

    @property
    def members(self) -> list[User]:
        return [m.user for m in self.practice_set.members]

    def __getitem__(self, who: str) -> User:
        return self.people[who]


def build_world(make_set, make_user) -> World:
    """A confirmed set (members named Ada to Fin) with its two facilitators, a supervisor
    of one of them, another set with its own people and supervisor, and everyone else."""
    practice_set = make_set(first=first_start())
    for member, name in zip(practice_set.members, NAMES, strict=True):
        member.user.name = name
    other_set = make_set(first=first_start(), intake=practice_set.intake)
    people = {
        "facilitator": practice_set.facilitators[0].user,
        "co_facilitator": practice_set.facilitators[1].user,
        "member": practice_set.members[0].user,
        "other_member": practice_set.members[1].user,
        "other_facilitator": other_set.facilitators[0].user,
        "other_trainee": other_set.members[0].user,
        "supervisor": make_user(Role.SUPERVISOR, name="Sue Supervisor"),
        "other_supervisor": make_user(Role.SUPERVISOR),
        "lead": make_user(Role.LEAD),
        "admin": make_user(Role.ADMIN),
        "applicant": make_user(Role.APPLICANT),
        "reviewer": make_user(Role.REVIEWER),
    }
    supervise(people["supervisor"], people["co_facilitator"], practice_set.intake, "Group A")
    supervise(
        people["other_supervisor"], people["other_facilitator"], practice_set.intake, "Group B"
    )
    db.session.flush()
    return World(practice_set, other_set, people)


@pytest.fixture
def world(make_set, make_user) -> World:
    return build_world(make_set, make_user)


@pytest.fixture
def login(client, login):
    """Sign in, first signing out whoever was signed in (so one test can switch people)."""

    def switch(user):
        client._cookies.clear()
        return login(user)

    return switch


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def assert_error_links_land(page: str) -> None:
    """Each link in the error summary goes to something on the page."""
    summary = re.search(r'<div class="nhsuk-error-summary.*?</div>\s*</div>', page, re.S)
    assert summary, "no error summary"
    targets = re.findall(r'href="#([^"]+)"', summary.group(0))
    assert targets
    for target in targets:
        assert f'id="{target}"' in page, target


# --- Who may use each page -----------------------------------------------------------------


def page_urls(w: World) -> dict[str, str]:
    s, p = w.practice_set.id, w.session.id
    return {
        "overview": "/practice",
        "set": f"/practice/sets/{s}",
        "calendar": f"/practice/sets/{s}/calendar.ics",
        "book": f"/practice/sets/{s}/book",
        "charter": f"/practice/sets/{s}/charter",
        "csv": f"/practice/sets/{s}/summary.csv",
        "session": f"/practice/sessions/{p}",
        "feedback": f"/practice/sessions/{p}/feedback",
        "log": f"/practice/sessions/{p}/log",
        "console": f"/practice/sessions/{p}/console",
    }


def post_urls(w: World, presentation_id: int) -> dict[str, str]:
    p, pr = w.session.id, presentation_id
    return {
        "start": f"/practice/sessions/{p}/console/start",
        "stage": f"/practice/sessions/{p}/console/stage",
        "register": f"/practice/sessions/{p}/console/register",
        "add_presenter": f"/practice/sessions/{p}/console/presenters",
        "save_presentation": f"/practice/presentations/{pr}",
        "remove_presenter": f"/practice/presentations/{pr}/remove",
        "follow_through": f"/practice/sessions/{p}/console/follow-through",
        "close": f"/practice/sessions/{p}/console/close",
        "reopen": f"/practice/sessions/{p}/console/reopen",
        "book": page_urls(w)["book"],
        "charter": page_urls(w)["charter"],
        "feedback": page_urls(w)["feedback"],
        "log": page_urls(w)["log"],
    }


WHO = (
    "facilitator",
    "other_facilitator",
    "member",
    "other_trainee",
    "supervisor",
    "other_supervisor",
    "lead",
    "admin",
    "applicant",
    "reviewer",
)
# 404 where the set's existence is private to its people; a booked set's booking page sends
# those who may book back to the set (302). Admins, applicants and reviewers: 403 throughout.
SET_PAGE = {
    "facilitator": 200,
    "other_facilitator": 404,
    "member": 200,
    "other_trainee": 404,
    "supervisor": 200,
    "other_supervisor": 404,
    "lead": 200,
}
GETS: dict[str, dict[str, int]] = {
    "overview": {
        "facilitator": 200,
        "other_facilitator": 200,
        "member": 200,
        "other_trainee": 200,
        "supervisor": 200,
        "other_supervisor": 200,
        "lead": 403,  # leads have their own pages under /lead/practice
    },
    "set": SET_PAGE,
    "calendar": SET_PAGE,
    "session": SET_PAGE,
    "book": {"facilitator": 302, "other_facilitator": 404, "member": 403, "lead": 302},
    "charter": {"facilitator": 403, "member": 200, "other_trainee": 404, "lead": 403},
    "feedback": {"facilitator": 403, "member": 200, "other_trainee": 404, "lead": 403},
    "csv": {
        "facilitator": 200,
        "other_facilitator": 404,
        "member": 403,
        "other_trainee": 403,
        "supervisor": 200,
        "other_supervisor": 404,
        "lead": 200,
    },
    "log": {"facilitator": 200, "other_facilitator": 404, "member": 403, "supervisor": 403},
    "console": {"facilitator": 200, "other_facilitator": 404, "member": 403, "supervisor": 403},
}
CONSOLE_POST = {"facilitator": None, "other_facilitator": 404}  # None: allowed, tested below
POSTS: dict[str, dict[str, int | None]] = {
    **dict.fromkeys(
        (
            "start",
            "stage",
            "register",
            "add_presenter",
            "save_presentation",
            "remove_presenter",
            "follow_through",
            "close",
            "reopen",
        ),
        CONSOLE_POST,
    ),
    "book": {"facilitator": None, "other_facilitator": 404, "lead": 302},  # already booked
    "charter": {"facilitator": 403, "member": None, "other_trainee": 404},
    "feedback": {"facilitator": 403, "member": None, "other_trainee": 404},
    "log": {"facilitator": None, "other_facilitator": 404},
}


def expected(table: dict[str, dict], page: str, who: str):
    return table[page].get(who, 403)


def a_presentation(w: World) -> Presentation:
    """A presenter with an action at the first session, for the presentation routes."""
    presentation = running.add_presenter(w.session, w.members[2].id, w.facilitator)
    running.save_presentation(presentation, None, None, [ActionDraft("Act")], w.facilitator)
    return presentation


@pytest.mark.parametrize("who", WHO)
def test_who_may_open_each_page(world, login, who):
    client = login(world[who])
    wrong = []
    for page, url in page_urls(world).items():
        response = client.get(url)
        if response.status_code != expected(GETS, page, who):
            wrong.append((page, response.status_code))
        if response.status_code == 302:
            assert response.location.endswith(page_urls(world)["set"])
    assert wrong == []


@pytest.mark.parametrize("who", [w for w in WHO if w != "facilitator"])
def test_nobody_but_the_sets_facilitators_changes_it(world, login, who):
    presentation = a_presentation(world)
    client = login(world[who])
    wrong = []
    for page, url in post_urls(world, presentation.id).items():
        status = expected(POSTS, page, who)
        if status is None:
            continue
        response = client.post(url, data={"stage-step": "1", "agree": "y"})
        if response.status_code != status:
            wrong.append((page, response.status_code))
    assert wrong == []
    # Nothing changed.
    session = db.session.get(PracticeSession, world.session.id)
    assert session.started_at is None and session.closed_at is None
    assert queries.register(session.id) == {}
    assert [pid for pid, _ in queries.presenters(session.id)] == [world.members[2].id]
    assert len(confidential.actions_of(presentation.id)) == 1
    assert db.session.scalar(db.select(db.func.count(FeedbackReceipt.id))) == 0
    assert db.session.scalar(db.select(db.func.count(SessionLog.id))) == 0
    if who != "member":
        assert all(m.charter_acknowledged_at is None for m in world.practice_set.members)


def test_anonymous_people_are_sent_to_sign_in(world, client):
    presentation = a_presentation(world)
    for url in page_urls(world).values():
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.location, url
    for url in post_urls(world, presentation.id).values():
        response = client.post(url)
        assert response.status_code == 302 and "/sign-in" in response.location, url


def test_the_co_facilitator_and_a_supervisor_of_either_facilitator(world, login, make_user):
    client = login(world["co_facilitator"])
    assert client.get(page_urls(world)["console"]).status_code == 200
    # A supervisor whose group the facilitator has left no longer sees the set.
    former = make_user(Role.SUPERVISOR)
    group = supervise(former, world.facilitator, world.practice_set.intake, "Group C")
    client = login(former)
    assert client.get(page_urls(world)["set"]).status_code == 200
    group.memberships[0].left_at = utcnow()
    db.session.flush()
    assert client.get(page_urls(world)["set"]).status_code == 404


def test_unknown_and_proposed_sets_are_not_found(world, login, make_set):
    client = login(world.facilitator)
    for url in (
        "/practice/sets/999999",
        "/practice/sessions/999999",
        "/practice/sessions/999999/console",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/practice/presentations/999999").status_code == 404
    proposed = make_set(
        facilitators=[world.facilitator], status=SetStatus.PROPOSED, first=first_start()
    )
    assert client.get(f"/practice/sets/{proposed.id}").status_code == 404
    assert client.get(f"/practice/sessions/{proposed.sessions[0].id}/console").status_code == 404
    assert login(world["lead"]).get(f"/practice/sets/{proposed.id}").status_code == 200


def test_the_overview_lists_each_persons_sets(world, login):
    name = world.practice_set.name
    for who, sees in {
        "facilitator": True,
        "member": True,
        "supervisor": True,
        "other_facilitator": False,
        "other_trainee": False,
        "other_supervisor": False,
    }.items():
        page = text(login(world[who]).get("/practice"))
        assert (f">{name}</a>" in page) is sees, who


# --- The console without JavaScript --------------------------------------------------------


def register_data(statuses: dict[User, str]) -> dict[str, str]:
    return {f"register-person_{user.id}": status for user, status in statuses.items()}


def presentation_data(presentation_id: int, **fields: str) -> dict[str, str]:
    return {f"presentation-{presentation_id}-{name}": value for name, value in fields.items()}


def selected_presenter(page: str) -> str | None:
    select = re.search(r'<select[^>]*name="presenter-presenter".*?</select>', page, re.S)
    assert select, "no presenter list"
    chosen = re.search(r'<option value="(\d+)" selected', select.group(0))
    return chosen.group(1) if chosen else None


def test_running_a_session_from_the_console_without_javascript(world, login):
    client = login(world.facilitator)
    session = world.session
    ada, ben, cal, dee, eve, fin = world.members
    console = page_urls(world)["console"]
    base = f"/practice/sessions/{session.id}/console"

    page = text(client.get(console))
    assert "Start the session" in page
    response = client.post(base + "/start")
    assert response.status_code == 302 and response.location.endswith(console + "#stages")
    page = text(client.get(console))
    assert "Check-in" in page and "Next: Report-back on last time" in page

    response = client.post(base + "/stage", data={"stage-step": "1"})
    assert response.status_code == 302
    assert db.session.get(PracticeSession, session.id).stage == "report_back"

    # Ada sent apologies; Fin is not on the register yet.
    statuses = {ada: "apologies", ben: "present", cal: "present", dee: "late", eve: "present"}
    assert client.post(base + "/register", data=register_data(statuses)).status_code == 302
    assert queries.register(session.id)[dee.id] == PracticeAttendanceStatus.LATE

    # Everyone has presented 0 times: by name, Ada first, but she is away, so Ben.
    page = text(client.get(console))
    suggestion = "everyone presents once before anyone presents twice: Ben Bold, Cal Calm."
    assert suggestion in page
    assert selected_presenter(page) == str(ben.id)
    assert f'value="{ada.id}"' not in re.search(
        r'<select[^>]*name="presenter-presenter".*?</select>', page, re.S
    ).group(0)
    response = client.post(base + "/presenters", data={"presenter-presenter": str(ben.id)})
    assert response.status_code == 302 and response.location.endswith("#presenters")
    [(_, presentation_id)] = queries.presenters(session.id)
    assert selected_presenter(text(client.get(console))) == str(cal.id)

    response = client.post(
        f"/practice/presentations/{presentation_id}",
        data=presentation_data(
            presentation_id,
            theme="rota_workflow",
            challenge="Rota gaps every weekend",
            action_1_text="Ask for the rota data",
            action_1_supports="My manager",
            action_1_risks="No time",
            action_2_text="Talk to the other ward",
        ),
    )
    assert response.status_code == 302
    assert response.location.endswith(f"#presentation-{presentation_id}")
    presentation = db.session.get(Presentation, presentation_id)
    assert presentation.theme == Theme.ROTA_WORKFLOW
    assert [a.text for a in confidential.actions_of(presentation_id)] == [
        "Ask for the rota data",
        "Talk to the other ward",
    ]
    page = text(client.get(console))
    assert "Rota gaps every weekend" in page and "My manager" in page

    # Fin has no entry: the session cannot end yet.
    response = client.post(base + "/close")
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and "Fin Fair has no entry" in page
    assert_error_links_land(page)
    assert db.session.get(PracticeSession, session.id).closed_at is None

    assert client.post(base + "/register", data=register_data({fin: "absent"})).status_code == 302
    response = client.post(base + "/close")
    assert response.status_code == 302
    assert response.location.endswith(page_urls(world)["log"])
    assert db.session.get(PracticeSession, session.id).closed_at is not None

    page = text(client.get(console))
    assert "Reopen the session to make changes" in page
    assert client.post(base + "/reopen").status_code == 302
    assert db.session.get(PracticeSession, session.id).closed_at is None


def test_report_back_and_removing_a_presenter_without_javascript(world, login):
    s1, s2 = world.practice_set.sessions[:2]
    ada, ben = world.members[:2]
    running.start_session(s1, world.facilitator)
    presentation = running.add_presenter(s1, ada.id, world.facilitator)
    running.save_presentation(
        presentation, None, None, [ActionDraft("Ada's first step")], world.facilitator
    )
    client = login(world.facilitator)
    page = text(client.get(f"/practice/sessions/{s2.id}/console"))
    assert "Ada's first step" in page and "from session 1" in page
    [item] = confidential.report_back(s2)
    field = f"follow-action_{item.action.id}"
    base = f"/practice/sessions/{s2.id}/console"
    # A note without an answer is refused, and what was typed stays.
    response = client.post(base + "/follow-through", data={field + "_note": "NOTE-KEPT"})
    assert response.status_code == 400
    assert "NOTE-KEPT" in text(response) and "There is a problem" in text(response)
    assert_error_links_land(text(response))
    response = client.post(
        base + "/follow-through", data={field: "carried_forward", field + "_note": "Next time"}
    )
    assert response.status_code == 302
    [item] = confidential.report_back(s2)
    assert item.follow_through.status == FollowThroughStatus.CARRIED_FORWARD
    assert "carried forward 1 time" in text(
        client.get(f"/practice/sessions/{world.practice_set.sessions[2].id}/console")
    )

    running.start_session(s2, world.facilitator)
    empty = running.add_presenter(s2, ben.id, world.facilitator)
    assert f"Remove {ben.name} as a presenter" in text(client.get(base))
    assert client.post(f"/practice/presentations/{empty.id}/remove").status_code == 302
    assert queries.presenters(s2.id) == []


def test_a_console_error_without_javascript_keeps_what_was_typed(world, login):
    client = login(world.facilitator)
    running.start_session(world.session, world.facilitator)
    presentation = running.add_presenter(world.session, world.members[0].id, world.facilitator)
    url = f"/practice/presentations/{presentation.id}"
    # Supports without an action: the service refuses it.
    response = client.post(
        url,
        data=presentation_data(
            presentation.id, challenge="CHALLENGE-KEPT", action_1_supports="SUPPORT-KEPT"
        ),
    )
    assert response.status_code == 400
    page = text(response)
    assert "nhsuk-error-summary" in page and "There is a problem" in page
    assert "Enter action 1, or clear its supports and risks" in page
    assert "CHALLENGE-KEPT" in page and "SUPPORT-KEPT" in page
    assert_error_links_land(page)
    # Too long for the form: refused before the service, and kept too.
    response = client.post(
        url, data=presentation_data(presentation.id, action_1_text="LONG" + "x" * 2000)
    )
    assert response.status_code == 400
    page = text(response)
    assert "This must be 2,000 characters or fewer" in page and "LONG" + "x" * 2000 in page
    assert_error_links_land(page)
    # Someone away cannot be added as a presenter.
    running.record_register(
        world.session, {world.members[1].id: PracticeAttendanceStatus.ABSENT}, world.facilitator
    )
    response = client.post(
        f"/practice/sessions/{world.session.id}/console/presenters",
        data={"presenter-presenter": str(world.members[1].id)},
    )
    assert response.status_code == 400
    assert "Someone who is not here cannot present" in text(response)
    assert_error_links_land(text(response))
    assert confidential.actions_of(presentation.id) == []


# --- The console with JavaScript (JSON) ----------------------------------------------------


def test_the_console_answers_json_when_asked(world, login):
    client = login(world.facilitator)
    session = world.session
    ada, ben = world.members[:2]
    base = f"/practice/sessions/{session.id}/console"

    response = client.post(base + "/start", headers=FETCH)
    assert response.status_code == 200 and response.json["ok"] is True
    assert response.json["message"] == "Session started: check-in"

    response = client.post(base + "/stage", data={"stage-step": "3"}, headers=FETCH)
    assert response.json["ok"] is True
    assert (response.json["step"], response.json["minutes"]) == (3, 20)
    assert response.json["started_at"]
    response = client.post(base + "/stage", data={"stage-step": "99"}, headers=FETCH)
    assert response.status_code == 400
    assert response.json == {"ok": False, "errors": ["There is no such stage"], "field": None}

    response = client.post(
        base + "/register", data=register_data({ada: "absent", ben: "present"}), headers=FETCH
    )
    assert response.json["ok"] is True and response.json["saved_at"]
    response = client.post(base + "/register", data=register_data({ada: "asleep"}), headers=FETCH)
    assert response.status_code == 400 and response.json["ok"] is False
    assert response.json["errors"]

    response = client.post(
        base + "/presenters", data={"presenter-presenter": str(ada.id)}, headers=FETCH
    )
    assert response.status_code == 400
    assert response.json["errors"] == ["Someone who is not here cannot present"]
    response = client.post(
        base + "/presenters", data={"presenter-presenter": str(ben.id)}, headers=FETCH
    )
    assert response.json == {"ok": True, "reload": True}
    [(_, presentation_id)] = queries.presenters(session.id)

    url = f"/practice/presentations/{presentation_id}"
    response = client.post(
        url,
        data=presentation_data(presentation_id, action_1_text="Draft", action_2_text="Second"),
        headers=FETCH,
    )
    assert response.json["ok"] is True and response.json["message"] == "Saved for Ben Bold"
    response = client.post(
        url, data=presentation_data(presentation_id, action_1_text="x" * 2001), headers=FETCH
    )
    assert response.status_code == 400
    assert response.json["errors"] == ["This must be 2,000 characters or fewer"]
    assert [a.text for a in confidential.actions_of(presentation_id)] == ["Draft", "Second"]

    response = client.post(base + "/close", headers=FETCH)
    assert response.status_code == 400 and response.json["ok"] is False
    assert "has no entry" in response.json["errors"][0]
    others = dict.fromkeys(world.members[2:], "present")
    client.post(base + "/register", data=register_data(others), headers=FETCH)
    response = client.post(base + "/close", headers=FETCH)
    assert response.status_code == 200 and response.json["ok"] is True
    assert response.json["redirect"].endswith(page_urls(world)["log"])
    assert db.session.get(PracticeSession, session.id).closed_at is not None

    # Closed: changes are refused until it is reopened.
    response = client.post(
        url, data=presentation_data(presentation_id, action_1_text="Later"), headers=FETCH
    )
    assert response.status_code == 400 and "Reopen it" in response.json["errors"][0]


def test_report_back_answers_json(world, login):
    s1, s2 = world.practice_set.sessions[:2]
    presentation = running.add_presenter(s1, world.members[0].id, world.facilitator)
    running.save_presentation(presentation, None, None, [ActionDraft("A step")], world.facilitator)
    [item] = confidential.report_back(s2)
    field = f"follow-action_{item.action.id}"
    client = login(world.facilitator)
    url = f"/practice/sessions/{s2.id}/console/follow-through"
    response = client.post(url, data={field + "_note": "No answer"}, headers=FETCH)
    assert response.status_code == 400 and response.json["ok"] is False
    assert "Select what became of Ada Able's action" in response.json["errors"][0]
    response = client.post(url, data={field: "done", field + "_note": "Went well"}, headers=FETCH)
    assert response.json["ok"] is True
    [item] = confidential.report_back(s2)
    assert item.follow_through.learning_note == "Went well"


# --- Booking, the charter, feedback and logs -----------------------------------------------


def booking(first: date, action: str, **changes) -> dict[str, str]:
    data = {
        "first[day]": str(first.day),
        "first[month]": str(first.month),
        "first[year]": str(first.year),
        "starts": "18:00",
        "count": "4",
        "every_weeks": "1",
        "minutes": "90",
        "nation": "england_wales",
        "joining_link": "https://meet.example.org/our-set",
        "action": action,
    }
    data.update(changes)
    return data


def test_booking_the_sessions_previews_then_books(world, login, make_set, outbox):
    unbooked = make_set(
        facilitators=[world.facilitator, world["co_facilitator"]], sessions=0, joining_link=None
    )
    url = f"/practice/sets/{unbooked.id}/book"
    assert login(world["member"]).get(url).status_code == 403
    assert login(world["other_facilitator"]).get(url).status_code == 404
    assert login(world["lead"]).get(url).status_code == 200
    client = login(world.facilitator)
    page = text(client.get(url))
    assert "Book the sessions" in page and 'value="england_wales" checked' in page

    response = client.post(url, data=booking(date(2027, 3, 22), "preview"))
    assert response.status_code == 200
    page = text(response)
    assert "Monday 22 March 2027" in page
    assert "Tuesday 30 March 2027 \N{EN DASH} moved from Monday 29 March, Easter Monday" in page
    assert "Book these sessions" in page
    assert not unbooked.sessions

    response = client.post(url, data=booking(date(2027, 3, 22), "book"))
    assert response.status_code == 302 and response.location.endswith(
        f"/practice/sets/{unbooked.id}"
    )
    sessions = db.session.scalars(
        db.select(PracticeSession).filter_by(set_id=unbooked.id).order_by(PracticeSession.number)
    ).all()
    assert len(sessions) == 4 and sessions[1].holiday == "easter_monday"
    assert len([e for e in outbox() if "sessions are booked" in e.subject]) == 8
    page = text(client.get(f"/practice/sets/{unbooked.id}"))
    assert "Moved from Monday 29 March (Easter Monday)" in page
    # Booked: the form sends people back to the set.
    assert client.get(url).status_code == 302


def test_a_booking_error_keeps_what_was_typed(world, login, make_set):
    unbooked = make_set(facilitators=[world.facilitator], sessions=0, joining_link=None)
    client = login(world.facilitator)
    url = f"/practice/sets/{unbooked.id}/book"
    past = (utcnow() - timedelta(days=2)).date()
    response = client.post(url, data=booking(past, "book", count="5"))
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page and "The first session must be in the future" in page
    assert f'value="{past.year}"' in page and 'value="5" checked' in page
    response = client.post(url, data=booking(date(2027, 3, 22), "book", joining_link=""))
    page = text(response)
    assert "Enter the joining link for the online sessions" in page
    response = client.post(
        url, data=booking(date(2027, 3, 22), "preview", joining_link="http://insecure.example")
    )
    assert "Enter a joining link starting with https://" in text(response)
    assert (
        db.session.scalar(
            db.select(db.func.count(PracticeSession.id)).filter_by(set_id=unbooked.id)
        )
        == 0
    )


def test_a_member_agrees_to_the_charter(world, login):
    client = login(world["member"])
    url = page_urls(world)["charter"]
    page = text(client.get(page_urls(world)["set"]))
    assert "Agree to the charter" in page
    page = text(client.get(url))
    assert "Confidentiality" in page and "The right to pass" in page and "I agree" in page
    response = client.post(url, data={})
    assert response.status_code == 200
    assert "Confirm that you will keep to the charter" in text(response)
    response = client.post(url, data={"agree": "y"})
    assert response.status_code == 302
    membership = queries.membership(world.practice_set.id, world["member"].id)
    assert membership.charter_acknowledged_at is not None
    assert "You agreed to the charter on" in text(client.get(page_urls(world)["set"]))
    # The facilitator sees who has not agreed yet.
    page = text(login(world.facilitator).get(page_urls(world)["set"]))
    assert page.count("Charter not yet agreed") == 5


def test_feedback_form_errors_keep_the_answers(world, login):
    client = login(world["member"])
    url = page_urls(world)["feedback"]
    assert "Give anonymous feedback on the facilitation" in text(
        client.get(page_urls(world)["session"])
    )
    response = client.post(url, data={"kept_to_time": "4", "comment": "COMMENT-KEPT"})
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page and "Answer every question" in page
    assert "COMMENT-KEPT" in page
    assert re.search(r'name="kept_to_time"[^>]*value="4"[^>]*checked', page) or re.search(
        r'value="4"[^>]*name="kept_to_time"[^>]*checked', page
    )
    answers = {"kept_to_time": "4", "fair_say": "5", "questions_helped": "3", "clear_action": "2"}
    response = client.post(url, data={**answers, "comment": "Kind and clear"})
    assert response.status_code == 302
    [answer] = db.session.scalars(db.select(FeedbackResponse)).all()
    assert (answer.kept_to_time, answer.comment) == (4, "Kind and clear")
    # Once only.
    assert client.get(url).status_code == 302
    assert "You have given feedback on this session" in text(
        client.get(page_urls(world)["session"])
    )
    # Not before the session.
    upcoming = f"/practice/sessions/{world.upcoming.id}/feedback"
    assert "You can give feedback once the session has taken place" in text(client.get(upcoming))
    response = client.post(upcoming, data=answers)
    assert response.status_code == 200
    assert db.session.scalar(db.select(db.func.count(FeedbackResponse.id))) == 1


def test_the_facilitator_sees_feedback_only_from_three_answers(world, login):
    answers = {"kept_to_time": 4, "fair_say": 5, "questions_helped": 3, "clear_action": 2}
    for member in world.members[:2]:
        services.give_feedback(world.session, member, answers, f"From {member.name}")
    client = login(world.facilitator)
    page = text(client.get(page_urls(world)["session"]))
    assert "2 members have answered" in page and "From Ada" not in page
    services.give_feedback(world.session, world.members[2], answers, None)
    page = text(client.get(page_urls(world)["session"]))
    assert "From Ada Able" in page and "From Ben Bold" in page and "100%" in page


def test_writing_the_log(world, login):
    client = login(world.facilitator)
    url = page_urls(world)["log"]
    response = client.post(url, data={"went_well": "KEPT-WELL", "do_differently": ""})
    assert response.status_code == 200
    page = text(response)
    assert "Enter what you would do differently" in page and "KEPT-WELL" in page
    response = client.post(url, data={"went_well": "Held the time", "do_differently": "Fewer"})
    assert response.status_code == 302 and response.location.endswith(page_urls(world)["session"])
    assert "Held the time" in text(client.get(url))
    assert "Change your reflective log" in text(client.get(page_urls(world)["session"]))
    upcoming = f"/practice/sessions/{world.upcoming.id}/log"
    assert "You can write the log once the session has taken place" in text(client.get(upcoming))
    response = client.post(upcoming, data={"went_well": "Too soon", "do_differently": "Wait"})
    assert response.status_code == 200
    assert db.session.scalar(db.select(db.func.count(SessionLog.id))) == 1


# --- Query counts ----------------------------------------------------------------------------


def fill(practice_set: PracticeSet, sessions: int) -> None:
    """Give the first ``sessions`` sessions everything: register, two presenters with two
    actions each, report-back on the last session's actions, three feedback answers and
    a log."""
    facilitator = practice_set.facilitators[0].user
    members = [m.user for m in practice_set.members]
    for n, session in enumerate(practice_set.sessions[:sessions]):
        running.start_session(session, facilitator)
        running.record_register(
            session, {m.id: PracticeAttendanceStatus.PRESENT for m in members}, facilitator
        )
        running.record_follow_through(
            session,
            {
                i.action.id: (FollowThroughStatus.DONE, "Note")
                for i in confidential.report_back(session)
            },
            facilitator,
        )
        # The first member presents every time, so they have actions on their page.
        for who in (members[0], members[1 + n % (len(members) - 1)]):
            presentation = running.add_presenter(session, who.id, facilitator)
            running.save_presentation(
                presentation,
                Theme.PRIORITISATION,
                "Challenge",
                [ActionDraft("One", "S", "R"), ActionDraft("Two")],
                facilitator,
            )
        for member in members[:3]:
            services.give_feedback(
                session,
                member,
                {"kept_to_time": 4, "fair_say": 4, "questions_helped": 4, "clear_action": 4},
                "Fine",
            )
        services.save_log(session, facilitator, "Well", "Better")
        running.close_session(session, facilitator)


def measure(client, count_queries, urls: list[str]) -> list[int]:
    counts = []
    for url in urls:
        client.get(url)  # warm up
        with count_queries() as counted:
            assert client.get(url).status_code == 200, url
        counts.append(counted.count)
    return counts


@pytest.mark.parametrize("who", ["facilitator", "member", "supervisor", "lead"])
def test_pages_use_a_constant_number_of_queries(make_set, make_user, login, count_queries, who):
    def pages(practice_set: PracticeSet, data_sessions: int) -> list[str]:
        last = practice_set.sessions[data_sessions - 1]
        urls = [f"/practice/sets/{practice_set.id}", f"/practice/sessions/{last.id}"]
        if who == "facilitator":
            urls.append(f"/practice/sessions/{practice_set.sessions[data_sessions].id}/console")
            urls.append(f"/practice/sessions/{last.id}/console")
        if who in ("supervisor", "lead"):
            urls.append(f"/practice/sets/{practice_set.id}/summary.csv")
        return urls

    start = (utcnow() - timedelta(weeks=5)).replace(second=0, microsecond=0)
    small = make_set(trainees=6, sessions=6, first=start)
    large = make_set(trainees=8, sessions=6, first=start, intake=small.intake)
    fill(small, 2)
    fill(large, 4)
    people = {
        "facilitator": lambda s: s.facilitators[0].user,
        "member": lambda s: s.members[0].user,
        "supervisor": lambda s: make_user(Role.SUPERVISOR),
        "lead": lambda s: make_user(Role.LEAD),
    }
    counts = []
    for practice_set, data_sessions in ((small, 2), (large, 4)):
        user = people[who](practice_set)
        if who == "supervisor":
            supervise(user, practice_set.facilitators[0].user, practice_set.intake, f"G{user.id}")
        counts.append(measure(login(user), count_queries, pages(practice_set, data_sessions)))
    assert counts[0] == counts[1], counts
    assert max(counts[0]) <= 25, counts
