"""Fixtures for buddies: an intake of facilitators with varied organisations and roles."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from lms.accounts.models import Region, Role, Sector
from lms.applications.models import (
    Application,
    ApplicationStatus,
    DeliveryMode,
    IntakeFacilitator,
    StaffGroup,
)
from lms.curriculum.services import join_intake
from lms.extensions import db

# In CI the property tests draw the same examples every run, so a run is reproducible; on a
# developer's machine they explore afresh each time (and remember failures in .hypothesis/).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def intake(make_intake):
    return make_intake(name="Buddy intake")


@pytest.fixture
def lead(make_user):
    return make_user(Role.LEAD, name="Lena Lead")


@pytest.fixture
def make_member(make_user, intake, make_organisation):
    """A facilitator in the intake with the application that brought them in."""
    orgs = {}

    def make(
        name: str,
        org: str = "Trust A",
        staff_group: StaffGroup = StaffGroup.NURSING_MIDWIFERY,
        sector: Sector = Sector.ACUTE,
        region: Region = Region.LONDON,
        mode: DeliveryMode = DeliveryMode.ONLINE,
    ):
        if org not in orgs:
            orgs[org] = make_organisation(org, sector=sector, region=region)
        user = make_user(Role.FACILITATOR, name=name, organisation=orgs[org])
        membership: IntakeFacilitator = join_intake(intake, user)
        application = Application(
            intake_id=intake.id,
            applicant_id=user.id,
            status=ApplicationStatus.ACCEPTED,
            organisation_id=orgs[org].id,
            staff_group=staff_group,
            sector=sector,
            region=region,
            preferred_mode=mode,
            phone="0113 496 0000",
            job_title=f"{name}'s job",
        )
        db.session.add(application)
        db.session.flush()
        membership.application_id = application.id
        db.session.flush()
        return user

    return make


@pytest.fixture
def four(make_member):
    """Two pairs' worth: A1 and A2 share an organisation, as do B1 and B2."""
    return [
        make_member("A1", "Trust A", StaffGroup.NURSING_MIDWIFERY),
        make_member("A2", "Trust A", StaffGroup.MEDICAL_DENTAL),
        make_member("B1", "Trust B", StaffGroup.NURSING_MIDWIFERY, Sector.COMMUNITY),
        make_member("B2", "Trust B", StaffGroup.ALLIED_HEALTH, Sector.COMMUNITY),
    ]
