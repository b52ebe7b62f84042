"""What the mass-assignment cases are made of: the demo people who post the forms, how
to find records in the demo data (``lms/demo.py``), valid answers to forms, and the steps
some forms need first. The cases themselves are in ``tests/mass_assignment_cases.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO
from typing import Any

from flask import current_app
from flask.testing import FlaskClient

from lms.demo import DEMO_PASSWORD
from lms.extensions import db, limiter
from tests.crawling import Form

ADMIN, LEAD, SUPERVISOR = "admin@example.org", "lead@example.org", "supervisor@example.org"
FACILITATOR, TRAINEE = "facilitator@example.org", "trainee@example.org"
APPLICANT, REVIEWER = "applicant@example.org", "reviewer@example.org"
COHORT = "kwame.asante@example.org"  # facilitates set 2 in the running intake
GMTS_TRAINEE = "chloe.adebayo@example.org"  # in set 1; turns two-factor on (the test's seed)
SUBMITTED = "owen.evans@example.org"  # an application waiting for its endorsement
ENDORSED = "priya.shah@example.org"  # a submitted, endorsed and reviewed application
SHORTLISTED = "daniel.okafor@example.org"
OFFERED = "megan.jones@example.org"  # a place offered, not yet answered
HOLDER = "grace.okafor@example.org"  # holds an award, from the completed intake
ERASED = "liam.murphy@example.org"  # an applicant who declined; the admin erases them
PASSPHRASE = "a different long passphrase"
PASSWORDS = {"password": PASSPHRASE, "confirm": PASSPHRASE}
GMTS_MODULE = "working-with-gmts-trainees"  # a module the cohort facilitator has not begun


@dataclass(frozen=True)
class Case:
    """Who uses a form (an email; None when signed out), the page it is on, the answers
    it needs beyond the page's defaults (``data``; a list value sets every value of a
    name, an empty one removes it), and what must happen first in the same savepoint."""

    who: str | None
    page: str | Callable[[], str]
    data: dict[str, Any] | Callable[[Form], dict[str, Any]] = field(default_factory=dict)
    prepare: Callable[[Any, FlaskClient], None] | None = None  # (world, client)


# --- Finding records in the demo data ---------------------------------------------------


def user(email: str) -> int:
    from lms.accounts.models import User

    return db.session.scalar(db.select(User.id).where(User.email == email))


def intake(name: str) -> int:
    from lms.applications.models import Intake

    return db.session.scalar(db.select(Intake.id).where(Intake.name == f"{name} demo intake"))


def application(email: str) -> int:
    from lms.applications.models import Application

    return db.session.scalar(
        db.select(Application.id).where(Application.applicant_id == user(email))
    )


def practice_session(set_name: str, number: int) -> int:
    """A session of a set of the running intake ("Set 1", "Set 2")."""
    from lms.practice.models import PracticeSession, PracticeSet

    return db.session.scalar(
        db.select(PracticeSession.id)
        .join(PracticeSet, PracticeSet.id == PracticeSession.set_id)
        .where(PracticeSet.name == set_name, PracticeSession.number == number)
    )


def practice_set(name: str) -> int:
    from lms.practice.models import PracticeSet

    return db.session.scalar(db.select(PracticeSet.id).where(PracticeSet.name == name))


def console() -> str:
    """Set 1's next session, started in SETUP with a presenter added."""
    return f"/practice/sessions/{practice_session('Set 1', 4)}/console"


def group() -> int:
    """The running intake's supervision group."""
    from lms.supervision.models import SupervisionGroup

    return db.session.scalar(
        db.select(SupervisionGroup.id).where(SupervisionGroup.name == "Group A")
    )


def group_session(*, past: bool) -> int:
    """Group A's latest session held, or its next one."""
    from lms.db_types import utcnow
    from lms.supervision.models import SupervisionSession as Held

    when = Held.starts_at < utcnow() if past else Held.starts_at > utcnow()
    order = Held.starts_at.desc() if past else Held.starts_at
    return db.session.scalar(
        db.select(Held.id).where(Held.group_id == group(), when).order_by(order)
    )


def workshop(*, past: bool) -> int:
    """The running intake's first workshop day held, or its last one to come."""
    from lms.curriculum.models import WorkshopDay
    from lms.db_types import utcnow

    when = WorkshopDay.starts_at < utcnow() if past else WorkshopDay.starts_at > utcnow()
    order = WorkshopDay.starts_at if past else WorkshopDay.starts_at.desc()
    return db.session.scalar(
        db.select(WorkshopDay.id)
        .where(WorkshopDay.intake_id == intake("Running"), when)
        .order_by(order)
    )


def buddy_group(email: str) -> int:
    from lms.buddy.models import BuddyMember

    return db.session.scalar(
        db.select(BuddyMember.group_id).where(BuddyMember.user_id == user(email))
    )


def observation(observer: str, facilitator: str) -> int:
    """The latest observation one person made of another."""
    from lms.supervision.models import Observation

    return _latest(
        Observation,
        Observation.observer_id == user(observer),
        Observation.facilitator_id == user(facilitator),
    )


def owned(model, email: str) -> int:
    """The latest evidence upload, portfolio submission or award of someone."""
    owner = model.owner_id if hasattr(model, "owner_id") else model.user_id
    return _latest(model, owner == user(email))


def evidence(email: str) -> int:
    from lms.assessment.models import EvidenceUpload

    return owned(EvidenceUpload, email)


def submission(email: str) -> int:
    from lms.assessment.models import PortfolioSubmission

    return owned(PortfolioSubmission, email)


def award(email: str) -> int:
    from lms.assessment.models import Award

    return owned(Award, email)


def _latest(model, *where) -> int:
    return db.session.scalar(db.select(model.id).where(*where).order_by(model.id.desc()))


def _link_in_email(to: str, path: str) -> str:
    """The newest link to ``path...`` in an email to ``to``."""
    from lms.notifications.models import EmailMessage

    bodies = db.session.scalars(
        db.select(EmailMessage.body)
        .where(EmailMessage.recipient == to)
        .order_by(EmailMessage.id.desc())
    )
    for body in bodies:
        found = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"\S+)", body)
        if found:
            return found.group(1)
    raise AssertionError(f"no email to {to} with a link to {path}")


def reset_link() -> str:
    limiter.reset()
    current_app.test_client().post("/reset-password", data={"email": TRAINEE})
    return _link_in_email(TRAINEE, "/reset-password/")


def endorsement_link() -> str:
    from lms.applications.models import Application

    manager = db.session.get(Application, application(SUBMITTED)).manager_email
    return _link_in_email(manager, "/endorse/")


def open_review() -> str:
    from lms.applications.models import ReviewAssignment

    return "/reviews/{}".format(
        _latest(
            ReviewAssignment,
            ReviewAssignment.reviewer_id == user(REVIEWER),
            ReviewAssignment.submitted_at.is_(None),
        )
    )


def pending_import() -> str:
    from lms.practice.models import TraineeImport

    pending = _latest(TraineeImport, TraineeImport.imported_at.is_(None))
    return f"/lead/practice/trainees/imports/{pending}"


def failed_report_run() -> str:
    from lms.reports.models import ReportRun

    return f"/reports/runs/{_latest(ReportRun)}"


def open_case() -> str:
    from lms.supervision.models import SupervisionCase

    case = _latest(SupervisionCase, SupervisionCase.responded_at.is_(None))
    return f"/supervision/cases/{case}"


def draft_observation() -> str:
    from lms.supervision.models import Observation

    draft = _latest(Observation, Observation.observer_id == user(SUPERVISOR))
    return f"/supervision/observations/{draft}/edit"


def activity(kind: str) -> str:
    from lms.curriculum.models import Module

    module = db.session.scalar(db.select(Module).where(Module.slug == GMTS_MODULE))
    key = next(a["key"] for a in module.current.activities_json if a["kind"] == kind)
    return f"/modules/{GMTS_MODULE}/{key}"


# --- Answers ------------------------------------------------------------------------------


def day(prefix: str, when: date) -> dict[str, str]:
    return {
        f"{prefix}[day]": str(when.day),
        f"{prefix}[month]": str(when.month),
        f"{prefix}[year]": str(when.year),
    }


def pdf(form: Form) -> dict[str, Any]:
    return {"file": (BytesIO(b"%PDF-1.4\n%evidence\n"), "evidence.pdf"), **tick_first(form)}


def csv(form: Form) -> dict[str, Any]:
    """Twelve GMTS trainees, enough for the allocator to make sets of."""
    rows = ["Name,Email,Organisation,Region,GMTS intake,Line manager's email,Mode"] + [
        f"Trainee {n},trainee.{n}@nhs.net,Trust {n},London,GMTS 2027,manager@nhs.net,Online"
        for n in range(1, 13)
    ]
    return {"file": (BytesIO("\r\n".join(rows).encode()), "trainees.csv")}


def tick_first(form: Form) -> dict[str, Any]:
    """The first box of every group of checkboxes with none ticked."""
    groups: dict[str, list] = {}
    for f in form.fields:
        if f.kind == "checkbox":
            groups.setdefault(f.name, []).append(f)
    return {
        name: boxes[0].value for name, boxes in groups.items() if not any(b.checked for b in boxes)
    }


def choose(*names: str) -> Callable[[Form], dict[str, Any]]:
    """Different real options in the selects ``names``: the first, the second..."""

    def data(form: Form) -> dict[str, Any]:
        chosen = {}
        for n, name in enumerate(names):
            options = next([o for o in f.options if o] for f in form.fields if f.name == name)
            chosen[name] = options[n]
        return chosen

    return data


def second(name: str) -> Callable[[Form], dict[str, Any]]:
    """The second real option of the select ``name`` (the first is where things are)."""

    def data(form: Form) -> dict[str, Any]:
        select = next(f for f in form.fields if f.name == name)
        return {name: [o for o in select.options if o][1]}

    return data


def other_choice(form: Form) -> dict[str, Any]:
    """The first group of radios set to another answer than the one it has."""
    radios = [f for f in form.fields if f.kind == "radio"]
    answers = [f for f in radios if f.name == radios[0].name]
    return {answers[0].name: next(f.value for f in answers if not f.checked)}


def scores(form: Form) -> dict[str, Any]:
    return {f.name: "3" for f in form.fields if f.kind == "radio"}


def totp(email: str) -> str:
    import pyotp

    from lms.accounts.models import User
    from lms.accounts.two_factor import record_for

    person = db.session.scalar(db.select(User).where(User.email == email))
    return pyotp.TOTP(record_for(person).secret).now()


# --- Steps a case needs first: each takes the world (for other people's browsers) and
# the case's own browser.

# Valid typed input for boxes a case does not fill itself, by the end of the field's name.
SAMPLES = {
    "[day]": "15",
    "[month]": "6",
    "[year]": str(date.today().year + 1),
    "start": "10:00",
    "starts_at": "10:00",
    "ends_at": "11:30",
    "minutes": "45",
    "joining_link": "https://meet.example.org/checked",
    "ods_code": "ABC12",
    "capacity": "20",
    "renewal_months": "36",
}


def sample(name: str, value: str) -> str:
    """Valid typed input for a free-text box a case does not fill itself."""
    for end, typed in SAMPLES.items():
        if name.endswith(end):
            return value or typed
    if value and re.fullmatch(r"[\d:./ +-]+|https?://\S+", value):
        return value  # a number or link already there stays
    return f"{value} (changed)" if value else "Checked for mass assignment"


def post_form(client: FlaskClient, page: str, action: str, data: Any = None) -> None:
    """Post the form on ``page`` whose action contains ``action``, as a browser would."""
    from werkzeug.datastructures import MultiDict

    from tests.crawling import parse

    parsed = parse(f"http://localhost{page}", client.get(page).get_data(as_text=True))
    form = next(f for f in parsed.forms if f.method == "post" and action in f.target)
    posted = MultiDict(form.fill(text=lambda f: sample(f.name, f.value)))
    given = data(form) if callable(data) else (data or {})
    for name, value in {**tick_first(form), **given}.items():
        posted.setlist(name, value if isinstance(value, list) else [value])
    response = client.post(form.target.removeprefix("http://localhost"), data=posted)
    errors = re.findall(r'<a href="#[^"]*">\s*(.*?)\s*</a>', response.get_data(as_text=True))
    assert response.status_code == 302, (page, action, response.status_code, errors)


def password_given(email: str) -> Callable[[Any, FlaskClient], None]:
    """The password typed, so the code is owed; this step's code not used yet."""

    def prepare(world, client: FlaskClient) -> None:
        from lms.accounts.two_factor import TwoFactor

        record = db.session.scalar(db.select(TwoFactor).where(TwoFactor.user_id == user(email)))
        record.last_used_step = None  # its own sign-in for the world used this step's code
        db.session.commit()
        limiter.reset()
        client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD})

    return prepare


def do_every_activity(world, client: FlaskClient) -> None:
    from lms.curriculum.models import Module

    module = db.session.scalar(db.select(Module).where(Module.slug == GMTS_MODULE))
    for activity in module.current.activities_json:
        post_form(client, f"/modules/{GMTS_MODULE}/{activity['key']}", "/modules/")


def complete_sections(world, client: FlaskClient) -> None:
    from tests.applications.conftest import ANSWERS

    for key, answers in ANSWERS.items():
        page = f"/applications/{application(APPLICANT)}/sections/{key}"
        response = client.post(page, data={**answers, "action": "continue"})
        assert response.status_code == 302, (key, response.status_code)


def little_required(world, client: FlaskClient) -> None:
    """The lead asks only for one supervision session in the running intake's award."""
    page = f"/lead/awards/{intake('Running')}/criteria"
    post_form(
        world.client(LEAD),
        page,
        "/criteria",
        lambda form: {
            **{f.name: [] for f in form.fields if f.name.endswith("_required")},
            "supervision_sessions_required": "y",
            "supervision_sessions_threshold": "1",
        },
    )


def renewal_scheme(world, client: FlaskClient) -> None:
    page = f"/lead/awards/{intake('Completed')}/criteria"
    post_form(world.client(LEAD), page, "/criteria", {"renewal_months": "36"})


def ready_to_close(world, client: FlaskClient) -> None:
    """Everyone on the register, and the presenter's challenge and actions written down."""
    post_form(client, console(), "/console/register")
    post_form(client, console(), "/practice/presentations/")


def offer_past_reply_date(world, client: FlaskClient) -> None:
    from lms.applications.models import Application

    offered = db.session.get(Application, application(OFFERED))
    offered.offer_expires_on = date.today() - timedelta(days=1)
    db.session.commit()


def repair_requested(world, client: FlaskClient) -> None:
    page = f"/buddy/{buddy_group(FACILITATOR)}/re-pair"
    post_form(world.client(FACILITATOR), page, "/re-pair")


def reviewer_assigned(world, client: FlaskClient) -> None:
    page = f"/lead/applications/{application(SUBMITTED)}"
    post_form(world.client(LEAD), page, "/reviewers", {"assign-reviewers": str(user(REVIEWER))})


def pairs_proposed(world, client: FlaskClient) -> None:
    """The pending proposal (made in SETUP) thrown away, so there are people to pair."""
    post_form(world.client(LEAD), f"/lead/buddies/{intake('Running')}", "/discard")


def one_without_a_buddy(world, client: FlaskClient) -> None:
    """Every pair confirmed, then one more facilitator joins the intake."""
    from lms.applications.models import IntakeFacilitator

    post_form(world.client(LEAD), f"/lead/buddies/{intake('Running')}", "/confirm")
    newcomer = user("rhiannon.price@example.org")
    db.session.add(IntakeFacilitator(intake_id=intake("Running"), user_id=newcomer))
    db.session.commit()


def charter_not_yet_agreed(world, client: FlaskClient) -> None:
    from lms.practice.models import SetMember

    member = db.session.scalar(
        db.select(SetMember).where(
            SetMember.user_id == user(GMTS_TRAINEE), SetMember.set_id == practice_set("Set 1")
        )
    )
    member.charter_acknowledged_at = None
    db.session.commit()


def sets_confirmed(world, client: FlaskClient) -> None:
    """The allocation run made in SETUP confirmed: new sets, with no sessions yet."""
    post_form(world.client(LEAD), f"/lead/practice/{intake('Running')}", "/confirm")


def new_set() -> str:
    from lms.practice.models import PracticeSet

    return f"/practice/sets/{_latest(PracticeSet)}/book"
