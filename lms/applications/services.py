"""Applications: intakes and the applicant's journey from a draft to submission.

Endorsement, review and decisions build on this in ``endorsement.py``, ``review.py`` and
``decisions.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import gettext as _

from lms import audit
from lms.accounts import services as accounts
from lms.accounts.models import Region, Role, User
from lms.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    DeliveryMode,
    EqualityResponse,
    EventKind,
    Intake,
    IntakeStatus,
    Programme,
)
from lms.applications.sections import (
    SECTIONS,
    Missing,
    Section,
    answered_ineligible,
    incomplete_sections,
)
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import absolute_url, tell

LONDON = ZoneInfo("Europe/London")


class IntakeError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def today() -> date:
    """Today in the UK, which is what application windows are measured in."""
    return datetime.now(LONDON).date()


def save_intake(
    intake: Intake | None,
    *,
    name: str,
    opens_on: date,
    closes_on: date,
    programme_starts_on: date,
    capacity: int,
    delivery_modes: list[str],
    regions: list[str],
    by,
) -> Intake:
    """Create (``intake`` None) or update an intake, enforcing its rules."""
    name = " ".join(name.split())
    same_name = db.session.scalar(
        db.select(Intake).where(db.func.lower(Intake.name) == name.lower())
    )
    if same_name is not None and same_name is not intake:
        raise IntakeError(_("An intake with this name already exists"), "name")
    if closes_on < opens_on:
        raise IntakeError(_("The closing date must be on or after the opening date"), "closes_on")
    if programme_starts_on <= closes_on:
        raise IntakeError(
            _("The programme must start after applications close"), "programme_starts_on"
        )
    modes = [m.value for m in DeliveryMode if m.value in set(delivery_modes)]
    chosen_regions = [r.value for r in Region if r.value in set(regions)]
    if not modes:
        raise IntakeError(_("Select at least one delivery mode"), "delivery_modes")
    if not chosen_regions:
        raise IntakeError(_("Select at least one region"), "regions")
    created = intake is None
    if intake is None:
        intake = Intake()
        db.session.add(intake)
    intake.name = name
    intake.opens_on, intake.closes_on = opens_on, closes_on
    intake.programme_starts_on = programme_starts_on
    intake.capacity = capacity
    intake.delivery_modes, intake.regions = modes, chosen_regions
    db.session.flush()
    audit.record("intake.created" if created else "intake.updated", intake, name=name)
    return intake


# --- The applicant's journey -----------------------------------------------------------


class ApplicationError(ValueError):
    """A refused change to an application, with the message to show (and its field)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def tell_applicant(
    application: Application, subject: Callable[[], str], message: Callable[[], str]
) -> None:
    """Tell the applicant in the service and by email, in their language."""
    tell(
        application.applicant,
        subject,
        message,
        absolute_url("applications.show_my_application", application_id=application.id),
        lambda: _("See your application:"),
    )


def add_event(
    application: Application,
    kind: EventKind,
    *,
    by: User | None = None,
    status: ApplicationStatus | None = None,
    note: str | None = None,
) -> ApplicationEvent:
    event = ApplicationEvent(kind=kind, status=status, note=note, actor_id=getattr(by, "id", None))
    application.events.append(event)
    return event


def find_application(intake: Intake, user: User) -> Application | None:
    return db.session.scalar(
        db.select(Application).where(
            Application.intake_id == intake.id, Application.applicant_id == user.id
        )
    )


def start_application(intake: Intake, user: User, on: date) -> Application:
    """Open a draft for ``user`` (or return the one they have), filled in from their account."""
    existing = find_application(intake, user)
    if existing is not None:
        return existing
    status = intake.status(on)
    if status is IntakeStatus.UPCOMING:
        raise ApplicationError(
            _(
                "Applications for %(intake)s open on %(date)s",
                intake=intake.name,
                date=format_date(intake.opens_on, "long"),
            )
        )
    if status is IntakeStatus.CLOSED:
        raise ApplicationError(
            _(
                "Applications for %(intake)s closed on %(date)s",
                intake=intake.name,
                date=format_date(intake.closes_on, "long"),
            )
        )
    if not user.has_role(Role.APPLICANT):
        accounts.grant_role(user, Role.APPLICANT, by=None)
    organisation = user.organisation
    application = Application(
        intake=intake,
        applicant=user,
        full_name=user.name,
        contact_email=user.email,
        organisation_id=organisation.id if organisation else None,
        sector=organisation.sector if organisation else None,
        region=organisation.region if organisation else None,
        previous_programmes=[],
        completed_sections=[],
    )
    db.session.add(application)
    add_event(application, EventKind.STARTED, by=user)
    db.session.flush()
    audit.record("application.started", application, actor=user, intake_id=intake.id)
    return application


def _require_draft(application: Application) -> None:
    if not application.is_draft:
        raise ApplicationError(
            _("You have already submitted this application, so it can no longer be changed")
        )


def save_section(
    application: Application, section: Section, values: dict, *, complete: bool
) -> Missing:
    """Save a section's answers, gaps and all; returns what it still needs.

    With ``complete`` the section is marked completed when nothing is missing. Saving
    never throws away what was typed: a draft with gaps is kept as it is.
    """
    _require_draft(application)
    for name, value in section.from_form(values).items():
        setattr(application, name, value)
    if application.organisation_id is not None:
        application.organisation_other = None
    if Programme.NONE.value in application.previous_programmes:
        application.previous_programmes = [Programme.NONE.value]
    if Programme.OTHER.value not in application.previous_programmes:
        application.previous_other = None
    if application.has_adjustments is False:
        application.adjustments = None
    missing = section.missing(application) if complete else {}
    done = set(application.completed_sections)
    if complete and not missing:
        done.add(section.key)
    else:
        done.discard(section.key)
    application.completed_sections = [s.key for s in SECTIONS if s.key in done]
    db.session.flush()
    return missing


EQUALITY_FIELDS = ("age_band", "sex", "ethnicity", "disability", "sexual_orientation", "religion")


def equality_response(application: Application) -> EqualityResponse | None:
    """The applicant's own equality answers, while they can still change them (a draft)."""
    if not application.is_draft:
        return None
    return db.session.scalar(
        db.select(EqualityResponse).where(
            EqualityResponse.intake_id == application.intake_id,
            EqualityResponse.user_id == application.applicant_id,
        )
    )


def save_equality(application: Application, answers: dict[str, str | None]) -> EqualityResponse:
    """Keep the optional equality answers apart from the application."""
    _require_draft(application)
    response = equality_response(application)
    if response is None:
        response = EqualityResponse(
            intake_id=application.intake_id, user_id=application.applicant_id
        )
        db.session.add(response)
    for name in EQUALITY_FIELDS:
        setattr(response, name, answers.get(name) or None)
    application.has_equality_response = True
    db.session.flush()
    return response


def submit_problems(application: Application, on: date) -> list[tuple[str, str | None]]:
    """Why the application cannot be submitted yet: (message, section key) pairs."""
    if not application.is_draft:
        return [(_("You have already submitted this application"), None)]
    problems: list[tuple[str, str | None]] = []
    if application.intake.status(on) is not IntakeStatus.OPEN:
        problems.append(
            (
                _(
                    "Applications for %(intake)s closed on %(date)s",
                    intake=application.intake.name,
                    date=format_date(application.intake.closes_on, "long"),
                )
                if on > application.intake.closes_on
                else _(
                    "Applications for %(intake)s open on %(date)s",
                    intake=application.intake.name,
                    date=format_date(application.intake.opens_on, "long"),
                ),
                None,
            )
        )
    for section in incomplete_sections(application):
        problems.append(
            (_("Complete the section: %(section)s", section=section.title), section.key)
        )
    if answered_ineligible(application):
        problems.append(
            (
                _(
                    "You can apply only if you work in health and care and can commit the "
                    "time the programme needs"
                ),
                "eligibility",
            )
        )
    return problems


def submit_application(application: Application, on: date, by: User) -> Application:
    """Submit a complete application in its window, then ask the line manager to endorse."""
    problems = submit_problems(application, on)
    if problems:
        raise ApplicationError(problems[0][0], problems[0][1])
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = utcnow()
    add_event(application, EventKind.SUBMITTED, by=by, status=ApplicationStatus.SUBMITTED)
    # Equality answers are cut loose from the person: from now on they are only counted.
    db.session.execute(
        db.update(EqualityResponse)
        .where(
            EqualityResponse.intake_id == application.intake_id,
            EqualityResponse.user_id == application.applicant_id,
        )
        .values(user_id=None)
    )
    db.session.flush()
    audit.record("application.submitted", application, actor=by)
    from lms.applications import endorsement  # endorsement builds on this module

    endorsement.request_endorsement(application, by=by)
    tell_applicant(
        application,
        lambda: _(
            "Your application to %(intake)s has been submitted", intake=application.intake.name
        ),
        lambda: _(
            "We have received your application to %(intake)s. We have asked %(manager)s to "
            "endorse it.",
            intake=application.intake.name,
            manager=application.manager_name,
        ),
    )
    return application
