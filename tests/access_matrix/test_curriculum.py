"""Curriculum (SPEC section 9, "modules"): facilitators work through the modules and see
only their own progress and answers; supervisors read the modules; leads see everyone's
progress and schedule workshop days; admins read it all.

Relationships: a knowledge-check attempt is its maker's alone (anyone else: 404). A
workshop day is seen by its intake's facilitators, whoever runs it, leads and admins; to
anyone else with one of those roles it is not there (404). Its register is kept by the
person named to run it or a lead (another supervisor: 403).
"""

from __future__ import annotations

import pytest

from lms.accounts.models import Role
from lms.curriculum.models import Module, WorkshopDay
from lms.extensions import db
from tests.access_matrix.changes import allowed_posts, check_allowed_post
from tests.access_matrix.conftest import Route, cases, holders

FACILITATORS = holders(Role.FACILITATOR)
READERS = holders(Role.FACILITATOR, Role.SUPERVISOR, Role.LEAD, Role.ADMIN)
LEADS = holders(Role.LEAD)
PROGRESS_READERS = holders(Role.LEAD, Role.ADMIN)
# The running intake's facilitators among the actors (all four are in it).
IN_INTAKE = FACILITATORS


def module(w):
    return {"slug": w.attempt_slug}


def activity(key: str):
    return lambda w: {"slug": w.attempt_slug, "key": key}


def workshop_state(name: str):
    def read(w):
        workshop = db.session.get(WorkshopDay, getattr(w, name))
        db.session.refresh(workshop)
        return (workshop.starts_at, workshop.cancelled_at, workshop.run_by_id, workshop.sequence)

    return read


def extend_world(w) -> None:
    """The first module's reading and reflection keys (the attempt is on its check), and
    a workshop day still to come (a held one, with people present, cannot be cancelled)."""
    from lms.curriculum.activities import Reading, Reflection
    from lms.db_types import utcnow

    w.future_workshop = db.session.scalar(
        db.select(WorkshopDay.id)
        .where(
            WorkshopDay.intake_id == w.running_intake,
            WorkshopDay.cancelled_at.is_(None),
            WorkshopDay.starts_at > utcnow(),
        )
        .order_by(WorkshopDay.starts_at)
    )

    current = db.session.scalar(db.select(Module).where(Module.slug == w.attempt_slug)).current
    w.reading_key = next(a.key for a in current.activities if isinstance(a, Reading))
    w.reflection_key = next(a.key for a in current.activities if isinstance(a, Reflection))


MODULES = [
    Route("curriculum.show_module", module, allow=READERS),
    Route("curriculum.show_activity", lambda w: activity(w.reading_key)(w), allow=READERS),
    Route("curriculum.complete_module", module, allow=FACILITATORS),
    Route("curriculum.mark_read", lambda w: activity(w.reading_key)(w), allow=FACILITATORS),
    Route(
        "curriculum.save_reflection",
        lambda w: activity(w.reflection_key)(w),
        allow=FACILITATORS,
        data=lambda w: {"answer": "Written by someone else"},
    ),
    Route(
        "curriculum.submit_answers",
        lambda w: activity(w.attempt_key)(w),
        allow=FACILITATORS,
    ),
    Route(
        "curriculum.show_attempt",
        lambda w: {**activity(w.attempt_key)(w), "attempt_id": w.attempt},
        allow={"facilitator"},
        hide=FACILITATORS - {"facilitator"},  # nobody sees someone else's answers
    ),
]

WORKSHOPS = [
    Route(
        "curriculum.show_workshop",
        lambda w: {"workshop_id": w.workshop},
        allow=IN_INTAKE | {"supervisor", "lead", "admin"},
        hide={"other_supervisor"},
    ),
    Route(
        "curriculum.show_workshop",
        lambda w: {"workshop_id": w.other_workshop},
        allow={"other_supervisor", "lead", "admin"},
        hide=IN_INTAKE | {"supervisor"},
        case="other intake",
    ),
    Route(
        "curriculum.workshop_calendar",
        lambda w: {"workshop_id": w.workshop},
        allow=IN_INTAKE | {"supervisor", "lead", "admin"},
        hide={"other_supervisor"},
    ),
    Route(
        "curriculum.workshop_calendar",
        lambda w: {"workshop_id": w.other_workshop},
        allow={"other_supervisor", "lead", "admin"},
        hide=IN_INTAKE | {"supervisor"},
        case="other intake",
    ),
    Route(
        "curriculum.keep_register",
        lambda w: {"workshop_id": w.workshop},
        allow={"supervisor", "lead"},
        data=lambda w: {f"person_{w.users['other_group_facilitator']}": "absent"},
        state=lambda w: _register(w.workshop),
    ),
    Route(
        "curriculum.keep_register",
        lambda w: {"workshop_id": w.other_workshop},
        allow={"other_supervisor", "lead"},
        state=lambda w: _register(w.other_workshop),  # nobody on it yet: checked, not changed
        case="other intake",
    ),
]

LEAD_PAGES = [
    Route(
        "curriculum.intake_progress",
        lambda w: {"intake_id": w.running_intake},
        allow=PROGRESS_READERS,
    ),
    Route(
        "curriculum.intake_workshops",
        lambda w: {"intake_id": w.running_intake},
        allow=PROGRESS_READERS,
    ),
    Route("curriculum.new_workshop", lambda w: {"intake_id": w.running_intake}, allow=LEADS),
    Route(
        "curriculum.edit_workshop",
        lambda w: {"workshop_id": w.future_workshop},
        allow=LEADS,
        data=lambda w: {
            "day[day]": "4",
            "day[month]": "3",
            "day[year]": "2031",
            "starts_at": "09:00",
            "ends_at": "17:00",
            "mode": "online",
            "joining_link": "https://meet.example.org/moved",
        },
        state=workshop_state("future_workshop"),
    ),
    Route(
        "curriculum.cancel_workshop",
        lambda w: {"workshop_id": w.future_workshop},
        allow=LEADS,
        data=lambda w: {"reason": "Cancelled by someone who may not"},
        state=workshop_state("future_workshop"),
    ),
]


def _register(workshop_id: int) -> list:
    from lms.curriculum.models import WorkshopAttendance

    return sorted(
        db.session.execute(
            db.select(WorkshopAttendance.user_id, WorkshopAttendance.status).where(
                WorkshopAttendance.workshop_id == workshop_id
            )
        ).all()
    )


ROUTES = MODULES + WORKSHOPS + LEAD_PAGES


@pytest.mark.parametrize("case", cases(ROUTES))
def test_access(matrix, case):
    matrix.check(case)


# The next intake has no facilitators yet, so its day's register has nobody to mark.
UNCHANGEABLE = {"curriculum.keep_register[other intake]"}


@pytest.mark.parametrize(("route", "actor"), allowed_posts(ROUTES, skip=UNCHANGEABLE))
def test_the_refused_body_would_have_changed_the_record(matrix, route, actor):
    check_allowed_post(matrix, route, actor)
