"""Confidentiality by design (SPEC section 7): what a presenter's challenge and actions say
is visible to that presenter and the set's facilitators only. Supervisors and leads see
counts, rates and themes; other members and other sets see nothing of it. Checked in
every page, CSV and JSON answer each person may reach, and in the SQL itself."""

from __future__ import annotations

import html

import pytest

from lms.extensions import db
from lms.practice import aggregates, confidential, running, scheduling
from lms.practice.models import FollowThroughStatus, PracticeAttendanceStatus, Theme
from lms.practice.running import ActionDraft
from tests.practice.test_pages import FETCH, World, build_world

# Distinctive strings in every confidential column.
CHALLENGE = "MARKER-CHALLENGE my manager shouts at handover"
ACTION = "MARKER-ACTION ask for a handover protocol"
SUPPORTS = "MARKER-SUPPORTS the matron"
RISKS = "MARKER-RISKS nobody reads it"
NOTE = "MARKER-NOTE it went better than feared"
ADA_MARKERS = (CHALLENGE, ACTION, SUPPORTS, RISKS, NOTE)
BEN_ACTION = "BEN-MARKER-ACTION rota swap rules"
BEN_CHALLENGE = "BEN-MARKER-CHALLENGE weekend cover"
ALL_MARKERS = (*ADA_MARKERS, BEN_ACTION, BEN_CHALLENGE)
# The columns that hold them, as they would appear in a SELECT.
TEXT_COLUMNS = (
    "practice_presentation.challenge",
    "practice_action.text",
    "practice_action.supports",
    "practice_action.risks",
    "practice_follow_through.learning_note",
)


@pytest.fixture
def login(client, login):
    def switch(user):
        client._cookies.clear()
        return login(user)

    return switch


@pytest.fixture
def world(make_set, make_user) -> World:
    """Ada presented at session 1 (challenge, action with supports and risks) and reported
    back at session 2 (a learning note); Ben presented at session 2."""
    w = build_world(make_set, make_user)
    s1, s2 = w.practice_set.sessions[:2]
    ada, ben = w.members[:2]
    facilitator = w.facilitator
    present = {m.id: PracticeAttendanceStatus.PRESENT for m in w.members}
    running.start_session(s1, facilitator)
    running.record_register(s1, present, facilitator)
    presentation = running.add_presenter(s1, ada.id, facilitator)
    running.save_presentation(
        presentation,
        Theme.ESCALATION,
        CHALLENGE,
        [ActionDraft(ACTION, SUPPORTS, RISKS)],
        facilitator,
    )
    running.close_session(s1, facilitator)
    running.start_session(s2, facilitator)
    running.record_register(s2, present, facilitator)
    [item] = confidential.report_back(s2)
    running.record_follow_through(
        s2, {item.action.id: (FollowThroughStatus.DONE, NOTE)}, facilitator
    )
    presentation = running.add_presenter(s2, ben.id, facilitator)
    running.save_presentation(
        presentation, Theme.ROTA_WORKFLOW, BEN_CHALLENGE, [ActionDraft(BEN_ACTION)], facilitator
    )
    db.session.flush()
    w.presentation_id = presentation.id  # type: ignore[attr-defined]
    return w


def body(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def get_urls(w: World) -> list[str]:
    s = w.practice_set.id
    s1, s2 = (x.id for x in w.practice_set.sessions[:2])
    return [
        "/practice",
        f"/practice/sets/{s}",
        f"/practice/sets/{s}/calendar.ics",
        f"/practice/sets/{s}/summary.csv",
        f"/practice/sessions/{s1}",
        f"/practice/sessions/{s2}",
        f"/practice/sessions/{s1}/console",
        f"/practice/sessions/{s2}/console",
        f"/practice/sessions/{s1}/log",
        f"/practice/sessions/{s1}/feedback",
        f"/practice/sets/{s}/charter",
        "/lead/practice",
        f"/lead/practice/{w.practice_set.intake_id}",
    ]


def console_posts(w: World) -> list[tuple[str, dict]]:
    s2 = w.practice_set.sessions[1].id
    return [
        (f"/practice/sessions/{s2}/console/register", {}),
        (f"/practice/sessions/{s2}/console/follow-through", {}),
        (f"/practice/sessions/{s2}/console/stage", {"stage-step": "1"}),
        (f"/practice/presentations/{w.presentation_id}", {}),  # type: ignore[attr-defined]
        (f"/practice/sessions/{s2}/console/close", {}),
    ]


def everything(client, w: World) -> tuple[str, dict[str, int]]:
    """Every page, download and JSON answer the signed-in person can reach, joined."""
    seen, statuses = [], {}
    for url in get_urls(w):
        for headers in ({}, FETCH):
            response = client.get(url, headers=headers)
            statuses.setdefault(url, response.status_code)
            seen.append(body(response))
    for url, data in console_posts(w):
        response = client.post(url, data=data, headers=FETCH)
        statuses[url] = response.status_code
        seen.append(body(response))
    return "\n".join(seen), statuses


OUTSIDERS = ("supervisor", "lead", "other_member", "other_facilitator", "other_trainee")


@pytest.mark.parametrize("who", OUTSIDERS)
def test_nobody_else_reads_adas_challenge_or_actions(world, login, count_queries, who):
    client = login(world[who])
    with count_queries() as sql:
        seen, statuses = everything(client, world)
    for marker in ADA_MARKERS:
        assert marker not in seen, marker
    if who != "other_member":
        for marker in (BEN_ACTION, BEN_CHALLENGE):
            assert marker not in seen, marker
        # Not only hidden by templates: the text was never read from the database.
        selected = "\n".join(sql.statements)
        for column in TEXT_COLUMNS:
            assert column not in selected, (column, who)
    # Only facilitators reach the console, and nobody here is one of this set's.
    for url, status in statuses.items():
        if "/console" in url or "/practice/presentations/" in url:
            assert status in (403, 404), (url, status)
    # What they may open, they did open: the absence above means something.
    s = world.practice_set.id
    readable = {
        "supervisor": [f"/practice/sets/{s}", f"/practice/sets/{s}/summary.csv"],
        "lead": [
            f"/practice/sets/{s}",
            f"/practice/sets/{s}/summary.csv",
            "/lead/practice",
            f"/lead/practice/{world.practice_set.intake_id}",
        ],
        "other_member": [f"/practice/sets/{s}", f"/practice/sets/{s}/charter"],
        "other_facilitator": ["/practice"],
        "other_trainee": ["/practice"],
    }[who]
    readable.append(f"/practice/sessions/{world.practice_set.sessions[0].id}")
    for url in readable if who in ("supervisor", "lead", "other_member") else readable[:1]:
        assert statuses[url] == 200, (url, statuses[url])


def test_supervisors_and_leads_see_counts_and_themes(world, login):
    csv_url = f"/practice/sets/{world.practice_set.id}/summary.csv"
    for who in ("supervisor", "lead"):
        client = login(world[who])
        page = body(client.get(f"/practice/sets/{world.practice_set.id}"))
        assert "Escalation and SBAR: 1" in page and "Rota and workflow: 1" in page
        assert "2, by 2 of 6 members" in page  # presentations
        assert "100% done or partly done" in page
        session = body(client.get(f"/practice/sessions/{world.practice_set.sessions[0].id}"))
        assert "Themes: Escalation and SBAR" in session and "1 member presented" in session
        assert "Present" in session  # the register, for those who may read it
        csv = body(client.get(csv_url))
        assert "Escalation and SBAR" in csv and "Rota and workflow" in csv


def test_the_presenter_reads_their_own_actions_only(world, login):
    ada, ben = world.members[:2]
    client = login(ada)
    seen, statuses = everything(client, world)
    page = body(client.get(f"/practice/sets/{world.practice_set.id}"))
    assert "Your actions" in page
    for marker in (ACTION, SUPPORTS, RISKS, NOTE):
        assert marker in page, marker
    assert BEN_ACTION not in seen and BEN_CHALLENGE not in seen
    # The register and presenters of others are not for members either.
    session = body(client.get(f"/practice/sessions/{world.practice_set.sessions[0].id}"))
    assert "member presented" not in session and "Not recorded" not in session
    assert statuses[f"/practice/sets/{world.practice_set.id}/summary.csv"] == 403

    # The session page sends them to their actions on the set page.
    assert "#your-actions" in session and 'id="your-actions"' in page

    client = login(ben)
    page = body(client.get(f"/practice/sets/{world.practice_set.id}"))
    assert BEN_ACTION in page
    assert all(marker not in page for marker in ADA_MARKERS)


@pytest.mark.parametrize("who", ["facilitator", "co_facilitator"])
def test_the_sets_facilitators_read_everything(world, login, who):
    client = login(world[who])
    s1, s2 = world.practice_set.sessions[:2]
    first = body(client.get(f"/practice/sessions/{s1.id}/console"))
    for marker in (CHALLENGE, ACTION, SUPPORTS, RISKS):
        assert marker in first, marker
    second = body(client.get(f"/practice/sessions/{s2.id}/console"))
    for marker in (ACTION, NOTE, BEN_ACTION, BEN_CHALLENGE):
        assert marker in second, marker
    # But never in what can leave the console: the CSV, the calendar, the set page.
    for url in (
        f"/practice/sets/{world.practice_set.id}/summary.csv",
        f"/practice/sets/{world.practice_set.id}/calendar.ics",
        f"/practice/sets/{world.practice_set.id}",
        f"/practice/sessions/{s1.id}",
    ):
        page = body(client.get(url))
        assert all(marker not in page for marker in ALL_MARKERS), url


def test_the_console_json_never_echoes_text(world, login):
    client = login(world.facilitator)
    seen = []
    for url, data in console_posts(world)[:-1]:
        response = client.post(url, data=data, headers=FETCH)
        assert response.is_json, url
        seen.append(response.get_data(as_text=True))
    assert all(marker not in "\n".join(seen) for marker in ALL_MARKERS)


def test_the_count_queries_never_select_text(world, count_queries):
    set_ids = [world.practice_set.id, world.other_set.id]
    session_ids = [s.id for s in world.practice_set.sessions]
    with count_queries() as sql:
        summaries = aggregates.set_summaries(set_ids)
        registers = aggregates.register_counts(session_ids)
        follow = aggregates.follow_through_counts(session_ids)
        themes = aggregates.themes_of(session_ids)
        presenters = aggregates.session_presenter_counts(session_ids)
        feedback = aggregates.feedback_counts(session_ids)
        csv = scheduling.summary_csv(world.practice_set)
    # They did find the data...
    summary = summaries[world.practice_set.id]
    assert (summary.presentations, summary.actions, summary.presenters) == (2, 2, 2)
    assert summary.themes == {Theme.ESCALATION: 1, Theme.ROTA_WORKFLOW: 1}
    assert registers[(session_ids[0], PracticeAttendanceStatus.PRESENT)] == 6
    assert follow == {(session_ids[1], FollowThroughStatus.DONE): 1}
    assert themes[session_ids[0]] == [Theme.ESCALATION]
    assert presenters == {session_ids[0]: 1, session_ids[1]: 1}
    assert feedback == {}
    # ...without reading a word of it.
    assert sql.statements
    selected = "\n".join(sql.statements)
    for column in TEXT_COLUMNS:
        assert column not in selected, column
    assert all(marker not in csv for marker in ALL_MARKERS)


def test_the_text_queries_do_select_text(world, count_queries):
    """The check above would catch a text column: the confidential queries show it."""
    with count_queries() as sql:
        confidential.report_back(world.practice_set.sessions[1])
        confidential.presentations(world.practice_set.sessions[0].id)
    selected = "\n".join(sql.statements)
    for column in TEXT_COLUMNS:
        assert column in selected, column
