"""Fixtures for applications: intakes, complete answers, and applications at any stage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from lms.accounts.models import Role, User
from lms.applications import services
from lms.applications.models import Application, Intake
from lms.applications.sections import SECTIONS_BY_KEY

# Valid form answers for every section, as a browser would post them.
ANSWERS: dict[str, dict] = {
    "personal": {
        "full_name": "Aisha Applicant",
        "contact_email": "aisha@example.org",
        "phone": "029 2000 0000",
    },
    "role": {
        "job_title": "Ward manager",
        "organisation_id": "",
        "organisation_other": "St Elsewhere",
        "staff_group": "nursing_midwifery",
        "sector": "acute",
        "band": "band_7",
        "region": "wales",
    },
    "eligibility": {"works_in_health_care": "yes", "can_commit_time": "yes"},
    "programmes": {"previous_programmes": ["gmts"], "previous_other": ""},
    "experience": {"facilitation_experience": "I run reflective practice groups on my ward."},
    "motivation": {"motivation": "I want to help new managers think for themselves."},
    "delivery": {"preferred_mode": "online", "availability": "Tuesdays and Thursdays"},
    "adjustments": {"has_adjustments": "no", "adjustments": ""},
    "manager": {"manager_name": "Morgan Manager", "manager_email": "morgan@example.org"},
}


@pytest.fixture
def make_intake(db) -> Callable[..., Intake]:
    counter = iter(range(1, 10_000))

    def make(open_for_days: int = 14, opened_days_ago: int = 7, capacity: int = 10, **fields):
        today = services.today()
        opens_on = today - timedelta(days=opened_days_ago)
        closes_on = today + timedelta(days=open_for_days)
        intake = Intake(
            name=fields.pop("name", f"Intake {next(counter)}"),
            opens_on=fields.pop("opens_on", opens_on),
            closes_on=fields.pop("closes_on", closes_on),
            programme_starts_on=fields.pop("programme_starts_on", closes_on + timedelta(days=30)),
            capacity=capacity,
            delivery_modes=fields.pop("delivery_modes", ["online", "blended", "in_person"]),
            regions=fields.pop("regions", ["wales", "london"]),
        )
        db.session.add(intake)
        db.session.flush()
        return intake

    return make


def fill_in(application: Application, *skip: str) -> Application:
    """Complete every section (except ``skip``) through the service, as a draft save would."""
    for key, values in ANSWERS.items():
        if key not in skip:
            missing = services.save_section(
                application, SECTIONS_BY_KEY[key], values, complete=True
            )
            assert not missing, missing
    return application


@pytest.fixture
def make_application(db, make_user, make_intake) -> Callable[..., Application]:
    """An application by a new applicant: a complete draft, or submitted with ``submit``."""

    def make(
        intake: Intake | None = None,
        applicant: User | None = None,
        *,
        submit: bool = False,
        skip: tuple[str, ...] = (),
        **answers,
    ) -> Application:
        intake = intake or make_intake()
        applicant = applicant or make_user(Role.APPLICANT)
        application = services.start_application(intake, applicant, services.today())
        fill_in(application, *skip)
        for name, value in answers.items():
            setattr(application, name, value)
        if submit:
            services.submit_application(application, services.today(), by=applicant)
        db.session.flush()
        return application

    return make
