"""Supervision and observation (SPEC sections 5 and 9: "supervision notes", "observation
sign-off").

A group, its sessions and their calendars are seen by its members, its supervisor and
leads; to other facilitators and supervisors the group is not there (404). Only the
group's supervisor schedules, changes, cancels, keeps the register and writes notes (the
shared summary the group reads, and private notes nobody else reads); leads read but do
not run sessions. A case is seen by the facilitator who brought it, their supervisor and
leads; only they change it (until it is answered) and only the supervisor answers it.

Observations: a supervisor observes and signs off only facilitators in the groups they
run, never their own practice; a confirmed buddy observes formatively. A draft is its
observer's alone. A recorded observation is read by its observer, the facilitator, their
supervisor and leads, and corrected only by whoever supervises the facilitator now (a
buddy's, only by that buddy). The facilitator reflects on it. Leads form and change groups
and move people. Admins have no part in supervision: 403 throughout.

Relationships in the demo world: Group A is Sam's ("supervisor"), with Fatima
("facilitator"), her buddy Dev ("buddy") and Kwame ("same_group_facilitator"); Group B is
Seren's ("other_supervisor") with Ioan ("other_group_facilitator"). Sam signed off
Fatima's Set 1 session 2, Dev observed session 1 as her buddy, and Fatima assessed
herself at session 3.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from lms.accounts.models import Role
from lms.extensions import db
from tests.access_matrix.changes import allowed_posts, check_allowed_post
from tests.access_matrix.conftest import Route, cases, holders

FACILITATORS = holders(Role.FACILITATOR)
SUPERVISORS = holders(Role.SUPERVISOR)
LEADS = holders(Role.LEAD)

GROUP_A = {"facilitator", "buddy", "same_group_facilitator"}
GROUP_B = {"other_group_facilitator"}
GROUP_A_PEOPLE = GROUP_A | {"supervisor", "lead"}
GROUP_B_PEOPLE = GROUP_B | {"other_supervisor", "lead"}
# The facilitators and supervisors outside each group: to them it is not there.
NOT_GROUP_A = (FACILITATORS | SUPERVISORS) - GROUP_A_PEOPLE
NOT_GROUP_B = (FACILITATORS | SUPERVISORS) - GROUP_B_PEOPLE


def _user(email: str):
    from lms.accounts.models import User

    return db.session.scalar(db.select(User).where(User.email == email))


def extend_world(w) -> None:
    """Group A's last held and next booked sessions, a booked session of Group B, Fatima's
    answered case and an open one, the demo's observations of Fatima, and Sam's draft."""
    from lms.db_types import utcnow
    from lms.practice.models import PracticeSet
    from lms.supervision import observations as obs
    from lms.supervision import services
    from lms.supervision.models import (
        Observation,
        ObservationKind,
        SessionMode,
        SupervisionCase,
        SupervisionGroup,
        SupervisionSession,
    )

    fatima, dev, sam = (
        _user(e)
        for e in ("facilitator@example.org", "dev.sharma@example.org", "supervisor@example.org")
    )
    group_a = db.session.scalar(
        db.select(SupervisionGroup).where(
            SupervisionGroup.intake_id == w.running_intake, SupervisionGroup.name == "Group A"
        )
    )
    w.group_a = group_a.id
    sessions = sorted(
        db.session.scalars(
            db.select(SupervisionSession).where(SupervisionSession.group_id == group_a.id)
        ),
        key=lambda s: s.starts_at,
    )
    now = utcnow()
    w.group_a_session = [s for s in sessions if s.ends_at < now][-1].id  # notes, register
    w.group_a_booked = next(s for s in sessions if s.starts_at > now).id
    day = (now + timedelta(days=12)).date()
    plan = services.SessionPlan(
        day=day,
        start=time(10, 0),
        minutes=90,
        mode=SessionMode.ONLINE,
        joining_link="https://meet.example.org/group-b",
    )
    group_b = db.session.get(SupervisionGroup, w.group_b)
    [booked] = services.schedule_sessions(group_b, plan, by=_user("supervisor2@example.org"))
    w.group_b_session = booked.id

    w.answered_case = db.session.scalar(
        db.select(SupervisionCase.id).where(
            SupervisionCase.user_id == fatima.id, SupervisionCase.responded_at.is_not(None)
        )
    )
    w.open_case = services.bring_case(
        fatima,
        group_a,
        None,
        "A quiet member did not speak in the inquiry.",
        "How can I invite them in without putting them on the spot?",
    ).id

    set_1 = db.session.scalar(
        db.select(PracticeSet).where(
            PracticeSet.intake_id == w.running_intake, PracticeSet.name == "Set 1"
        )
    )
    by_number = {s.number: s for s in set_1.sessions}
    w.set_1_session = by_number[1].id
    w.set_1_booked = by_number[4].id  # nobody has observed it yet
    w.fatima = fatima.id
    recorded = list(
        db.session.scalars(
            db.select(Observation).where(
                Observation.facilitator_id == fatima.id, Observation.recorded_at.is_not(None)
            )
        )
    )

    def recorded_by(kind: ObservationKind, observer_id: int, number: int) -> int:
        return next(
            o.id
            for o in recorded
            if (o.kind, o.observer_id, o.session_id) == (kind, observer_id, by_number[number].id)
        )

    w.signed_off = recorded_by(ObservationKind.SUPERVISOR, sam.id, 2)
    w.buddy_observation = recorded_by(ObservationKind.BUDDY, dev.id, 1)
    w.self_assessment = recorded_by(ObservationKind.SELF, fatima.id, 3)
    draft = obs.start_or_get_draft(sam, fatima, by_number[1])
    obs.save_observation(draft, {}, "Sam's first thoughts", None, record=False, by=sam)
    w.draft_observation = draft.id
    kwame = _user("kwame.asante@example.org")
    set_2 = next(
        s for s in db.session.scalars(db.select(PracticeSet)) if kwame.id in s.facilitator_ids
    )
    w.set_2_session = min(set_2.sessions, key=lambda s: s.number).id
    w.kwame = kwame.id


# --- What a refused request must leave alone --------------------------------------------------


def _rows(*columns, where) -> list:
    found = db.session.execute(db.select(*columns).where(where))
    return sorted((tuple(row) for row in found), key=repr)


def group_state(w) -> tuple:
    from lms.supervision.models import GroupMembership as M
    from lms.supervision.models import SupervisionGroup as G

    return (
        _rows(G.id, G.name, G.supervisor_id, where=G.intake_id == w.running_intake),
        _rows(M.group_id, M.user_id, M.left_at, where=M.left_at.is_(None)),
    )


def sessions_of(name: str):
    def read(w) -> list:
        from lms.supervision.models import SupervisionSession as S

        return _rows(S.id, S.starts_at, where=S.group_id == getattr(w, name))

    return read


def session_state(name: str):
    def read(w) -> tuple:
        from lms.supervision.models import PrivateNote as N
        from lms.supervision.models import SupervisionAttendance as A
        from lms.supervision.models import SupervisionSession as S

        session_id = getattr(w, name)
        columns = (S.starts_at, S.ends_at, S.cancelled_at, S.shared_summary, S.sequence)
        return (
            tuple(db.session.execute(db.select(*columns).where(S.id == session_id)).one()),
            _rows(A.user_id, A.status, where=A.session_id == session_id),
            _rows(N.author_id, N.text, where=N.session_id == session_id),
        )

    return read


def cases_state(w) -> list:
    from lms.supervision.models import SupervisionCase as C

    return _rows(
        C.id, C.what_happened, C.help_wanted, C.response, where=C.user_id == w.fatima
    ) + _rows(C.id, where=C.group_id.in_([w.group_a, w.group_b]))


def observations_state(w) -> list:
    from lms.supervision.models import Observation as O
    from lms.supervision.models import ObservationReflection as R

    columns = (O.id, O.kind, O.observer_id, O.summary, O.outcome, O.recorded_at, O.corrects_id)
    return _rows(*columns, where=O.id.is_not(None)) + _rows(
        R.observation_id, R.text, where=R.id.is_not(None)
    )


# --- What is posted (valid, so a missing check would show as a change) ------------------------


def session_form(w) -> dict:
    from lms.db_types import utcnow

    day = (utcnow() + timedelta(days=20)).date()
    return {
        "day[day]": str(day.day),
        "day[month]": str(day.month),
        "day[year]": str(day.year),
        "start": "14:00",
        "minutes": "60",
        "mode": "online",
        "joining_link": "https://meet.example.org/moved",
        "count": "1",
        "every_weeks": "1",
    }


CASE = {
    "what_happened": "Written by someone who may not",
    "help_wanted": "Nothing: this should not be saved",
}


def group(name: str):
    return lambda w: {"group_id": getattr(w, name)}


def session(name: str):
    return lambda w: {"session_id": getattr(w, name)}


def case(name: str):
    return lambda w: {"case_id": getattr(w, name)}


def observation(name: str):
    return lambda w: {"observation_id": getattr(w, name)}


def intake(w) -> dict:
    return {"intake_id": w.running_intake}


GROUPS = [
    Route("supervision.show_group", group("group_a"), allow=GROUP_A_PEOPLE, hide=NOT_GROUP_A),
    Route(
        "supervision.show_group",
        group("group_b"),
        allow=GROUP_B_PEOPLE,
        hide=NOT_GROUP_B,
        case="group B",
    ),
    Route(
        "supervision.new_sessions",
        group("group_a"),
        allow={"supervisor"},
        hide={"other_supervisor"},
        data=session_form,
        state=sessions_of("group_a"),
    ),
    Route(
        "supervision.new_sessions",
        group("group_b"),
        allow={"other_supervisor"},
        hide={"supervisor"},
        data=session_form,
        state=sessions_of("group_b"),
        case="group B",
    ),
    Route(
        "supervision.new_case",
        group("group_a"),
        allow=GROUP_A,
        hide=FACILITATORS - GROUP_A,
        data=lambda w: CASE,
        state=cases_state,
    ),
    Route(
        "supervision.new_case",
        group("group_b"),
        allow=GROUP_B,
        hide=FACILITATORS - GROUP_B,
        data=lambda w: CASE,
        state=cases_state,
        case="group B",
    ),
]

SESSIONS = [
    Route(
        "supervision.show_session",
        session("group_a_session"),
        allow=GROUP_A_PEOPLE,
        hide=NOT_GROUP_A,
    ),
    Route(
        "supervision.show_session",
        session("group_b_session"),
        allow=GROUP_B_PEOPLE,
        hide=NOT_GROUP_B,
        case="group B",
    ),
    Route(
        "supervision.session_calendar",
        session("group_a_session"),
        allow=GROUP_A_PEOPLE,
        hide=NOT_GROUP_A,
    ),
    Route(
        "supervision.session_calendar",
        session("group_b_session"),
        allow=GROUP_B_PEOPLE,
        hide=NOT_GROUP_B,
        case="group B",
    ),
    # Running a session: its supervisor only. Facilitators and leads lack the role (403);
    # to another supervisor the session is not there (404).
    Route(
        "supervision.edit_session",
        session("group_a_booked"),
        allow={"supervisor"},
        hide={"other_supervisor"},
        data=session_form,
        state=session_state("group_a_booked"),
    ),
    Route(
        "supervision.cancel_session",
        session("group_a_booked"),
        allow={"supervisor"},
        hide={"other_supervisor"},
        data=lambda w: {"reason": "Cancelled by someone who may not"},
        state=session_state("group_a_booked"),
    ),
    Route(
        "supervision.cancel_session",
        session("group_b_session"),
        allow={"other_supervisor"},
        hide={"supervisor"},
        data=lambda w: {"reason": "Cancelled by someone who may not"},
        state=session_state("group_b_session"),
        case="group B",
    ),
    Route(
        "supervision.session_register",
        session("group_a_session"),
        allow={"supervisor"},
        hide={"other_supervisor"},
        data=lambda w: {f"person_{w.fatima}": "absent"},
        state=session_state("group_a_session"),
    ),
    Route(
        "supervision.session_notes",
        session("group_a_session"),
        allow={"supervisor"},
        hide={"other_supervisor"},
        data=lambda w: {"shared_summary": "Rewritten", "private_notes": "Read by nobody"},
        state=session_state("group_a_session"),
    ),
]

CASES = [
    Route(
        "supervision.show_case",
        case("open_case"),
        allow={"facilitator", "supervisor", "lead"},
        hide=(FACILITATORS | SUPERVISORS) - {"facilitator", "supervisor"},
    ),
    Route(
        "supervision.edit_case",
        case("open_case"),
        allow={"facilitator"},
        hide=FACILITATORS - {"facilitator"},
        data=lambda w: CASE,
        state=cases_state,
    ),
    # Once answered, not even its author changes it.
    Route(
        "supervision.edit_case",
        case("answered_case"),
        deny={"facilitator"},
        hide=FACILITATORS - {"facilitator"},
        data=lambda w: CASE,
        state=cases_state,
        case="answered",
    ),
    Route(
        "supervision.respond_to_case",
        case("open_case"),
        allow={"supervisor"},
        hide={"other_supervisor"},
        data=lambda w: {"response": "Answered by someone who may not"},
        state=cases_state,
    ),
]

OTHERS = (FACILITATORS | SUPERVISORS) - {"facilitator", "supervisor"}
OBSERVATIONS = [
    Route(
        "supervision.show_observation",
        observation("signed_off"),
        allow={"facilitator", "supervisor", "lead"},
        hide=OTHERS,  # Dev co-facilitates the set, but the sign-off is Fatima's
    ),
    Route(
        "supervision.show_observation",
        observation("buddy_observation"),
        allow={"facilitator", "buddy", "supervisor", "lead"},
        hide=OTHERS - {"buddy"},
        case="buddy's",
    ),
    Route(
        "supervision.show_observation",
        observation("self_assessment"),
        allow={"facilitator", "supervisor", "lead"},
        hide=OTHERS,
        case="self-assessment",
    ),
    Route(
        "supervision.show_observation",
        observation("draft_observation"),
        allow={"supervisor"},
        hide=(FACILITATORS | SUPERVISORS | LEADS) - {"supervisor"},
        case="draft",
    ),
    Route(
        "supervision.edit_observation",
        observation("draft_observation"),
        allow={"supervisor"},
        hide=(FACILITATORS | SUPERVISORS) - {"supervisor"},
        data=lambda w: {"summary": "Changed by someone who may not"},
        state=observations_state,
    ),
    # A recorded one is never edited: those who may see it are sent to read it.
    Route(
        "supervision.edit_observation",
        observation("signed_off"),
        allow={"facilitator", "supervisor"},
        hide=OTHERS,
        data=lambda w: {"summary": "Changed by someone who may not"},
        case="recorded",
    ),
    Route(
        "supervision.correct_observation",
        observation("signed_off"),
        allow={"supervisor"},
        deny={"facilitator"},  # reads it, may not correct it
        hide=OTHERS,
        data=lambda w: {"reason": "Corrected by someone who may not"},
        state=observations_state,
    ),
    Route(
        "supervision.correct_observation",
        observation("buddy_observation"),
        allow={"buddy"},
        deny={"facilitator", "supervisor"},  # a buddy's is corrected by that buddy only
        hide=OTHERS - {"buddy"},
        data=lambda w: {"reason": "Corrected by someone who may not"},
        state=observations_state,
        case="buddy's",
    ),
    Route(
        "supervision.observation_reflection",
        observation("signed_off"),
        allow={"facilitator"},
        hide=FACILITATORS - {"facilitator"},
        data=lambda w: {"text": "Reflected by someone who may not"},
        state=observations_state,
    ),
    Route(
        "supervision.observation_reflection",
        observation("buddy_observation"),
        allow={"facilitator"},
        deny={"buddy"},  # the observer does not reflect on their own observation
        hide=FACILITATORS - {"facilitator", "buddy"},
        data=lambda w: {"text": "Reflected by someone who may not"},
        state=observations_state,
        case="buddy's",
    ),
    # Observing Fatima at a Set 1 session: Sam (her supervisor) and Dev (her buddy). Never
    # Fatima herself, nor a supervisor or facilitator unrelated to her; leads do not observe.
    Route(
        "supervision.new_observation",
        lambda w: {"session_id": w.set_1_booked, "facilitator_id": w.fatima},
        allow={"supervisor", "buddy"},
        data=lambda w: {"summary": "Observed by someone who may not"},
        state=observations_state,
    ),
    Route(
        "supervision.new_observation",
        lambda w: {"session_id": w.set_2_session, "facilitator_id": w.kwame},
        allow={"supervisor"},
        data=lambda w: {"summary": "Observed by someone who may not"},
        state=observations_state,
        case="set 2",
    ),
    Route(
        "supervision.self_assessment",
        lambda w: {"session_id": w.set_1_session},
        allow={"facilitator", "buddy"},
        data=lambda w: {"summary": "Assessed by someone who may not"},
        state=observations_state,
    ),
]

LEAD_PAGES = [
    Route("supervision.intake_groups", intake, allow=LEADS),
    Route(
        "supervision.new_group",
        intake,
        allow=LEADS,
        data=lambda w: {
            "name": "Group C",
            "supervisor": str(w.users["other_supervisor"]),
            "members": [str(w.users["same_group_facilitator"])],
        },
        state=group_state,
    ),
    Route(
        "supervision.edit_group",
        group("group_a"),
        allow=LEADS,
        data=lambda w: {"name": "Renamed", "supervisor": str(w.users["other_supervisor"])},
        state=group_state,
    ),
    Route(
        "supervision.move_member",
        intake,
        allow=LEADS,
        data=lambda w: {"person": str(w.users["facilitator"]), "group": str(w.group_b)},
        state=group_state,
    ),
]

ROUTES = GROUPS + SESSIONS + CASES + OBSERVATIONS + LEAD_PAGES


@pytest.mark.parametrize("case", cases(ROUTES))
def test_access(matrix, case):
    matrix.check(case)


# An answered case is nobody's to change, so no allowed post changes it.
NOT_CHANGED_BY_THE_ALLOWED = {"supervision.edit_case[answered]"}


@pytest.mark.parametrize(("route", "actor"), allowed_posts(ROUTES, NOT_CHANGED_BY_THE_ALLOWED))
def test_what_refused_people_post_would_change_the_record(matrix, route, actor):
    check_allowed_post(matrix, route, actor)


def test_the_world_has_the_relationships_the_table_relies_on(world):
    """If the demo changes, the table above must change with it, not silently mean less."""
    from lms.supervision import queries
    from lms.supervision.models import Observation, SupervisionGroup

    u = world.users
    group_a, group_b = (db.session.get(SupervisionGroup, i) for i in (world.group_a, world.group_b))
    assert group_a.supervisor_id == u["supervisor"]
    assert group_b.supervisor_id == u["other_supervisor"]
    for name in GROUP_A:
        assert queries.is_current_member(u[name], group_a.id), name
    for name in GROUP_B:
        assert queries.is_current_member(u[name], group_b.id), name
    signed_off, buddy, own, draft = (
        db.session.get(Observation, i)
        for i in (
            world.signed_off,
            world.buddy_observation,
            world.self_assessment,
            world.draft_observation,
        )
    )
    assert signed_off.observer_id == u["supervisor"] and signed_off.outcome.value == "signed_off"
    assert buddy.observer_id == u["buddy"] and buddy.is_recorded
    assert own.observer_id == u["facilitator"] and own.is_recorded
    assert draft.observer_id == u["supervisor"] and not draft.is_recorded
    assert {o.facilitator_id for o in (signed_off, buddy, own, draft)} == {u["facilitator"]}
