"""Observed practice (SPEC sections 7 and 9: "set registers", "challenge and action text").

A set's page, calendar and session pages are open to its facilitators, its members, the
supervisor of a group one of its facilitators is in, and leads. To every other facilitator,
trainee and supervisor the set is not there (404). Registers (the summary CSV) are read by
the facilitators, that supervisor and leads; trainees see only their own attendance, on
the pages. The console, where challenges, actions and registers are written, and the
session logs are the set's facilitators' alone. Only a member acknowledges the charter or
gives feedback. A set the allocator has only proposed is the leads' until they confirm it.
Allocation, imports and changing a set's facilitators are the leads'. Admins manage
accounts, not sets: 403 throughout.

Relationships in the demo world: Set 1 is Fatima's ("facilitator"), co-facilitated with
Dev ("buddy"), with Tom ("trainee"); Set 2 is Kwame's ("same_group_facilitator") with
Ravi ("other_trainee"). Sam ("supervisor") runs Group A, which holds all three
facilitators; Seren ("other_supervisor") runs Group B (Ioan, "other_group_facilitator",
who has no confirmed set, but is to facilitate the set an allocation run proposes).
"""

from __future__ import annotations

import pytest

from lms.accounts.models import Role
from lms.extensions import db
from tests.access_matrix.changes import allowed_posts, check_allowed_post
from tests.access_matrix.conftest import Route, cases, holders

FACILITATORS = holders(Role.FACILITATOR)
TRAINEES = holders(Role.TRAINEE)
SUPERVISORS = holders(Role.SUPERVISOR)
LEADS = holders(Role.LEAD)

SET_1_RUNNERS = {"facilitator", "buddy"}
SET_2_RUNNERS = {"same_group_facilitator"}
# Everyone who may open Set 1's pages, and the people with those roles who may not.
SET_1_PEOPLE = SET_1_RUNNERS | {"trainee", "supervisor", "lead"}
SET_1_STRANGERS = (FACILITATORS | TRAINEES | SUPERVISORS) - SET_1_PEOPLE
SET_2_PEOPLE = SET_2_RUNNERS | {"other_trainee", "supervisor", "lead"}
SET_2_STRANGERS = (FACILITATORS | TRAINEES | SUPERVISORS) - SET_2_PEOPLE
SET_1_REGISTER_READERS = SET_1_RUNNERS | {"supervisor", "lead"}


def extend_world(w) -> None:
    """The demo's two confirmed sets, their sessions and a presentation; a proposed set
    from an allocation run; and a trainee import waiting to be confirmed."""
    from lms.accounts.models import User
    from lms.applications.models import Intake
    from lms.practice import allocation_runs, confidential, queries, running, services, trainees
    from lms.practice.demo_data import GMTS
    from lms.practice.models import PracticeAttendanceStatus, PracticeSet

    sets = {
        s.name: s
        for s in db.session.scalars(
            db.select(PracticeSet).where(PracticeSet.intake_id == w.running_intake)
        )
    }
    set_1, set_2 = sets["Set 1"], sets["Set 2"]
    w.set_1, w.set_2 = set_1.id, set_2.id
    first = next(s for s in set_1.sessions if s.number == 1)
    w.set_1_session = first.id  # held: register, presenters, actions, logs, feedback
    w.set_2_session = min(set_2.sessions, key=lambda s: s.number).id  # booked
    w.set_1_unstarted = next(s for s in set_1.sessions if s.number == 5).id
    fatima, tom = (
        db.session.scalar(db.select(User).where(User.email == email))
        for email in ("facilitator@example.org", "trainee@example.org")
    )
    w.feedback_session = next(  # held, Tom was there, and he has not answered yet
        s.id
        for s in sorted(set_1.sessions, key=lambda s: s.number)
        if s.closed_at is not None
        and not services.was_away(s, tom)
        and not queries.gave_feedback(s.id, tom.id)
    )
    # Session 4 running now: everyone on the register, Tom presenting with an action, a
    # second presenter with none yet; it opens with report-back on earlier actions.
    live = next(s for s in set_1.sessions if s.number == 4)
    w.live_session = live.id
    running.start_session(live, fatima)
    running.record_register(
        live, dict.fromkeys(set_1.member_ids, PracticeAttendanceStatus.PRESENT), fatima
    )
    presenting = running.add_presenter(live, tom.id, fatima)
    running.save_presentation(
        presenting, None, "A challenge", [running.ActionDraft(text="An action")], fatima
    )
    others = [uid for uid in set_1.member_ids if uid != tom.id]
    w.presentation = presenting.id
    w.bare_presentation = running.add_presenter(live, others[0], fatima).id
    w.next_presenter = others[1]
    w.open_actions = [item.action.id for item in confidential.report_back(live)]
    assert w.open_actions
    lead = db.session.scalar(db.select(User).where(User.email == "lead@example.org"))
    run = allocation_runs.run_allocation(
        db.session.get(Intake, w.running_intake), GMTS, None, by=lead
    )
    w.allocation_run = run.id
    proposed_set = queries.run_sets(run.id)[0]
    w.proposed_set = proposed_set.id
    # Ioan is to facilitate it: he still may not see it until a lead confirms it.
    w.proposed_facilitators = proposed_set.facilitator_ids
    ioan = db.session.scalar(db.select(User).where(User.email == "ioan.jones@example.org"))
    allocation_runs.set_facilitators(proposed_set, [ioan.id], by=lead)
    csv = (
        "Name,Email,Organisation,Region,GMTS intake,Line manager's email,Mode\r\n"
        "Alex Morgan,alex.morgan@nhs.net,Leeds Trust,London,GMTS 2027,sam.patel@nhs.net,"
        "Online\r\n"
    )
    w.trainee_import = trainees.check_upload("trainees.csv", csv.encode(), by=lead).id


# --- What a refused request must leave alone --------------------------------------------------


def _rows(*columns, where) -> list:
    return sorted(
        (tuple(row) for row in db.session.execute(db.select(*columns).where(where))), key=repr
    )


def register_of(w) -> list:
    from lms.practice.models import PracticeAttendance as A

    return _rows(A.user_id, A.status, where=A.session_id == w.live_session)


def session_state(name: str):
    def read(w) -> tuple:
        from lms.practice.models import PracticeSession as S

        columns = (S.stage, S.stage_round, S.stage_started_at, S.started_at, S.closed_at)
        return tuple(db.session.execute(db.select(*columns).where(S.id == getattr(w, name))).one())

    return read


def presentations_of(w) -> list:
    from lms.practice.models import Action
    from lms.practice.models import Presentation as P

    return _rows(
        P.id, P.presenter_id, P.theme, P.challenge, where=P.session_id == w.live_session
    ) + _rows(Action.id, Action.text, where=Action.session_id == w.live_session)


def follow_through_of(w) -> list:
    from lms.practice.models import FollowThrough as FT

    return _rows(FT.action_id, FT.status, FT.learning_note, where=FT.action_id.in_(w.open_actions))


def logs_of(w) -> list:
    from lms.practice.models import SessionLog as L

    return _rows(L.author_id, L.went_well, L.do_differently, where=L.session_id == w.set_1_session)


def feedback_of(w) -> list:
    from lms.practice.models import FeedbackReceipt as R

    return _rows(R.user_id, where=R.session_id == w.feedback_session)


def charter_of(w) -> list:
    from lms.practice.models import SetMember as M

    return _rows(M.user_id, M.charter_acknowledged_at, where=M.set_id == w.set_1)


def set_state(name: str):
    def read(w) -> tuple:
        from lms.practice.models import PracticeSet, SetFacilitator, SetMember

        set_id = getattr(w, name)
        status = db.session.scalar(db.select(PracticeSet.status).where(PracticeSet.id == set_id))
        return (
            status,
            _rows(SetFacilitator.user_id, where=SetFacilitator.set_id == set_id),
            _rows(SetMember.user_id, where=SetMember.set_id == set_id),
        )

    return read


def run_state(w) -> tuple:
    from lms.practice.models import AllocationRun as R

    return tuple(
        db.session.execute(
            db.select(R.confirmed_at, R.discarded_at).where(R.id == w.allocation_run)
        ).one()
    )


def import_state(w):
    from lms.practice.models import TraineeImport as I

    return db.session.scalar(db.select(I.imported_at).where(I.id == w.trainee_import))


def sessions_of_set(w) -> list:
    from lms.practice.models import PracticeSession as S

    return _rows(S.id, S.starts_at, where=S.set_id == w.proposed_set)


# --- What is posted (valid, so a missing check would show as a change) ------------------------


def register_data(w) -> dict:
    return {f"register-person_{w.users['trainee']}": "late"}


def presentation_data(w) -> dict:
    prefix = f"presentation-{w.presentation}"
    return {
        f"{prefix}-challenge": "Rewritten by someone who may not",
        f"{prefix}-action_1_text": "An action nobody agreed",
    }


FEEDBACK = {
    "kept_to_time": "5",
    "fair_say": "5",
    "questions_helped": "5",
    "clear_action": "5",
    "comment": "Sent by someone who may not",
}


def set_1(w) -> dict:
    return {"set_id": w.set_1}


def set_2(w) -> dict:
    return {"set_id": w.set_2}


def proposed(w) -> dict:
    return {"set_id": w.proposed_set}


def session_1(w) -> dict:
    return {"session_id": w.set_1_session}


def session_2(w) -> dict:
    return {"session_id": w.set_2_session}


def live(w) -> dict:
    return {"session_id": w.live_session}


def unstarted(w) -> dict:
    return {"session_id": w.set_1_unstarted}


def bare_presentation(w) -> dict:
    return {"presentation_id": w.bare_presentation}


def presentation(w) -> dict:
    return {"presentation_id": w.presentation}


def intake(w) -> dict:
    return {"intake_id": w.running_intake}


def run(w) -> dict:
    return {"run_id": w.allocation_run}


def trainee_import(w) -> dict:
    return {"import_id": w.trainee_import}


SETS = [
    Route("practice.show_set", set_1, allow=SET_1_PEOPLE, hide=SET_1_STRANGERS),
    Route("practice.show_set", set_2, allow=SET_2_PEOPLE, hide=SET_2_STRANGERS, case="set 2"),
    Route(
        "practice.show_set",
        proposed,
        allow=LEADS,
        hide=FACILITATORS | TRAINEES | SUPERVISORS,
        case="proposed",
    ),
    Route("practice.set_calendar", set_1, allow=SET_1_PEOPLE, hide=SET_1_STRANGERS),
    Route("practice.set_calendar", set_2, allow=SET_2_PEOPLE, hide=SET_2_STRANGERS, case="set 2"),
    # Registers: never a trainee (not even their own set's whole register).
    Route(
        "practice.set_summary_csv",
        set_1,
        allow=SET_1_REGISTER_READERS,
        hide=SET_1_STRANGERS - TRAINEES,
    ),
    Route(
        "practice.set_summary_csv",
        set_2,
        allow=SET_2_RUNNERS | {"supervisor", "lead"},
        hide=SET_2_STRANGERS - TRAINEES,
        case="set 2",
    ),
    # Set 1 is booked: its facilitators and leads are sent back to its page.
    Route(
        "practice.book_sessions",
        set_1,
        allow=SET_1_RUNNERS | LEADS,
        hide=FACILITATORS - SET_1_RUNNERS,
        data=lambda w: {"count": "4", "action": "book"},
    ),
    Route(
        "practice.book_sessions",
        proposed,
        allow=LEADS,
        hide=FACILITATORS,
        data=lambda w: {"count": "4", "action": "book"},
        state=sessions_of_set,
        case="proposed",
    ),
    Route(
        "practice.charter",
        set_1,
        allow={"trainee"},
        hide={"other_trainee"},
        data=lambda w: {"agree": "y"},
        state=charter_of,
    ),
]

SESSIONS = [
    Route("practice.show_session", session_1, allow=SET_1_PEOPLE, hide=SET_1_STRANGERS),
    Route(
        "practice.show_session",
        session_2,
        allow=SET_2_PEOPLE,
        hide=SET_2_STRANGERS,
        case="set 2",
    ),
    Route(
        "practice.give_feedback",
        lambda w: {"session_id": w.feedback_session},
        allow={"trainee"},
        hide={"other_trainee"},
        data=lambda w: FEEDBACK,
        state=feedback_of,
    ),
    Route(
        "practice.session_log",
        session_1,
        allow=SET_1_RUNNERS,
        hide=FACILITATORS - SET_1_RUNNERS,
        data=lambda w: {"went_well": "Written by someone else", "do_differently": "Nothing"},
        state=logs_of,
    ),
]


def console(endpoint: str, values=session_1, **kwargs) -> Route:
    """A console page or action: the set's facilitators only; to other facilitators the
    session is not there; everyone else lacks the role."""
    return Route(endpoint, values, allow=SET_1_RUNNERS, hide=FACILITATORS - SET_1_RUNNERS, **kwargs)


CONSOLE = [
    console("practice.console"),
    Route(
        "practice.console",
        session_2,
        allow=SET_2_RUNNERS,
        hide=FACILITATORS - SET_2_RUNNERS,
        case="set 2",
    ),
    console("practice.start_session", unstarted, state=session_state("set_1_unstarted")),
    console(
        "practice.move_stage",
        live,
        data=lambda w: {"stage-step": "2"},
        state=session_state("live_session"),
    ),
    console("practice.save_register", live, data=register_data, state=register_of),
    console(
        "practice.add_presenter",
        live,
        data=lambda w: {"presenter-presenter": str(w.next_presenter)},
        state=presentations_of,
    ),
    console(
        "practice.save_presentation",
        presentation,
        data=presentation_data,
        state=presentations_of,
    ),
    console("practice.remove_presenter", bare_presentation, state=presentations_of),
    console(
        "practice.save_follow_through",
        live,
        data=lambda w: {f"follow-action_{action_id}": "dropped" for action_id in w.open_actions},
        state=follow_through_of,
    ),
    # Refused (a presenter has no action yet), so only the refusals are checked here.
    console("practice.close_session", live, state=session_state("live_session")),
    console("practice.reopen_session", state=session_state("set_1_session")),
]

LEAD_PAGES = [
    Route("practice.lead_intake", intake, allow=LEADS),
    Route(
        "practice.allocate_sets",
        intake,
        allow=LEADS,
        data=lambda w: {"allocate-gmts_intake": "GMTS 2026 cohort A"},
        state=set_state("proposed_set"),
    ),
    Route("practice.discard_sets", intake, allow=LEADS, state=run_state),
    Route("practice.confirm_sets", run, allow=LEADS, state=run_state),
    Route("practice.move_trainee", run, allow=LEADS, state=set_state("proposed_set")),
    Route(
        "practice.change_facilitators",
        proposed,
        allow=LEADS,
        data=lambda w: {
            f"set{w.proposed_set}-facilitators": [str(i) for i in w.proposed_facilitators]
        },
        state=set_state("proposed_set"),
    ),
    Route("practice.import_report", trainee_import, allow=LEADS),
    Route("practice.confirm_import", trainee_import, allow=LEADS, state=import_state),
]

ROUTES = SETS + SESSIONS + CONSOLE + LEAD_PAGES


@pytest.mark.parametrize("case", cases(ROUTES))
def test_access(matrix, case):
    matrix.check(case)


def test_the_world_has_the_relationships_the_table_relies_on(world):
    """If the demo changes, the table above must change with it, not silently mean less."""
    from lms.practice import permissions
    from lms.practice.models import PracticeSet
    from lms.supervision.models import GroupMembership, SupervisionGroup

    u = world.users
    set_1, set_2, proposed_set = (
        db.session.get(PracticeSet, i) for i in (world.set_1, world.set_2, world.proposed_set)
    )
    assert set(set_1.facilitator_ids) == {u["facilitator"], u["buddy"]}
    assert u["same_group_facilitator"] in set_2.facilitator_ids
    assert not {u["facilitator"], u["buddy"]} & set(set_2.facilitator_ids)
    assert u["trainee"] in set_1.member_ids and u["trainee"] not in set_2.member_ids
    assert u["other_trainee"] in set_2.member_ids and u["other_trainee"] not in set_1.member_ids
    assert proposed_set.status.value == "proposed"
    assert proposed_set.facilitator_ids == [u["other_group_facilitator"]]
    assert proposed_set.member_ids
    group_of = dict(
        db.session.execute(
            db.select(GroupMembership.user_id, SupervisionGroup.supervisor_id)
            .join(SupervisionGroup)
            .where(GroupMembership.left_at.is_(None))
        ).all()
    )
    for name in ("facilitator", "buddy", "same_group_facilitator"):
        assert group_of[u[name]] == u["supervisor"], name
    assert group_of[u["other_group_facilitator"]] == u["other_supervisor"]
    from lms.accounts.models import User

    ioan = db.session.get(User, u["other_group_facilitator"])
    assert not any(permissions.facilitates(ioan, s) for s in (set_1, set_2))
    assert permissions.facilitates(ioan, proposed_set)


# Routes whose allowed post changes nothing in this world, so only the refusals say
# anything: Tom has agreed to the charter already; booking asks for a whole schedule; the
# live session cannot close (a presenter has no action); the proposal already holds every
# trainee left to allocate, in one set, so there is nobody to allocate or move.
NOT_CHANGED_BY_THE_ALLOWED = {
    "practice.charter",
    "practice.book_sessions[proposed]",
    "practice.close_session",
    "practice.allocate_sets",
    "practice.move_trainee",
}


@pytest.mark.parametrize(("route", "actor"), allowed_posts(ROUTES, NOT_CHANGED_BY_THE_ALLOWED))
def test_what_refused_people_post_would_change_the_record(matrix, route, actor):
    check_allowed_post(matrix, route, actor)
