"""Fixtures for applications: intakes, complete answers, and applications at any stage."""

from __future__ import annotations

from collections.abc import Callable

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
