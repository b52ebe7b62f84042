"""Demo data: one account per role, so every part of the programme has someone to show it.

Idempotent: running it again changes nothing that is already there. Later features add
their own demo records here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from lms.accounts import services as accounts
from lms.accounts import two_factor
from lms.accounts.models import Organisation, Region, Role, Sector, User
from lms.extensions import db

DEMO_PASSWORD = "action-learning-demo"  # noqa: S105 - published demo password, demo data only
# The demo admin, lead and supervisors sign in with two-factor codes from this published
# secret: add it to an authenticator app, or run `flask totp-code EMAIL`. Demo data only.
DEMO_TOTP_SECRET = "DEMOALSFACILITATORPROGRAMME23456"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    organisation: str


DEMO_ORGANISATIONS = [
    ("Leeds Teaching Hospitals NHS Trust", Sector.ACUTE, Region.NORTH_EAST_YORKSHIRE, "RR8"),
    ("Cardiff and Vale University Health Board", Sector.ACUTE, Region.WALES, "7A4"),
    ("Bristol Community Health", Sector.COMMUNITY, Region.SOUTH_WEST, None),
    (
        "Greater Manchester Mental Health NHS Foundation Trust",
        Sector.MENTAL_HEALTH,
        Region.NORTH_WEST,
        "RXV",
    ),
    ("NHS North East London Integrated Care Board", Sector.ICB, Region.LONDON, "QMF"),
]

DEMO_ACCOUNTS = [
    DemoAccount(
        "admin@example.org", "Alex Admin", Role.ADMIN, "NHS North East London Integrated Care Board"
    ),
    DemoAccount(
        "lead@example.org", "Lowri Lead", Role.LEAD, "Cardiff and Vale University Health Board"
    ),
    DemoAccount(
        "supervisor@example.org",
        "Sam Supervisor",
        Role.SUPERVISOR,
        "Greater Manchester Mental Health NHS Foundation Trust",
    ),
    DemoAccount(
        "supervisor2@example.org", "Seren Supervisor", Role.SUPERVISOR, "Bristol Community Health"
    ),
    DemoAccount("reviewer@example.org", "Rhys Reviewer", Role.REVIEWER, "Bristol Community Health"),
    DemoAccount(
        "reviewer2@example.org",
        "Rachel Reviewer",
        Role.REVIEWER,
        "Leeds Teaching Hospitals NHS Trust",
    ),
    DemoAccount(
        "facilitator@example.org",
        "Fatima Facilitator",
        Role.FACILITATOR,
        "Leeds Teaching Hospitals NHS Trust",
    ),
    DemoAccount("trainee@example.org", "Tom Trainee", Role.TRAINEE, "Bristol Community Health"),
    DemoAccount(
        "applicant@example.org",
        "Aisha Applicant",
        Role.APPLICANT,
        "Greater Manchester Mental Health NHS Foundation Trust",
    ),
]


def seed_demo() -> list[DemoAccount]:
    """Create the demo organisations and accounts that do not exist yet."""
    organisations = {}
    for name, sector, region, ods in DEMO_ORGANISATIONS:
        org = db.session.scalar(db.select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name, sector=sector, region=region, ods_code=ods)
            db.session.add(org)
        organisations[name] = org
    db.session.flush()
    for account in DEMO_ACCOUNTS:
        user = db.session.scalar(db.select(User).where(User.email == account.email))
        if user is None:
            user = accounts.register_user(
                account.email, account.name, DEMO_PASSWORD, roles=(account.role,)
            )
            user.organisation_id = organisations[account.organisation].id
        if two_factor.is_required(user) and two_factor.record_for(user) is None:
            two_factor.enable_with_secret(user, DEMO_TOTP_SECRET)
    db.session.flush()
    intakes = _seed_intakes()
    from lms.applications.demo_data import seed_applications
    from lms.buddy.demo_data import seed_buddies
    from lms.curriculum.demo_data import seed_curriculum
    from lms.practice.demo_data import seed_practice
    from lms.supervision.demo_data import seed_cohort, seed_supervision

    running = intakes["Running demo intake"]
    seed_applications(intakes["Open demo intake"], organisations)
    seed_curriculum(running, organisations)
    people = seed_cohort(running, organisations)
    seed_supervision(running, people)
    seed_buddies(running, people)
    seed_practice(running, organisations, people)
    from lms.assessment.demo_data import seed_awards

    lead = db.session.scalar(db.select(User).where(User.email == "lead@example.org"))
    supervisor = db.session.scalar(db.select(User).where(User.email == "supervisor@example.org"))
    seed_awards(organisations, lead, supervisor, people["facilitator@example.org"])
    return DEMO_ACCOUNTS


def _seed_intakes() -> dict:
    """An intake whose programme is running, one open for applications now, and the next
    one, dated from today. Returns them by name."""
    from lms.applications.models import DeliveryMode, Intake
    from lms.applications.services import today

    start = today()
    every_mode = [m.value for m in DeliveryMode]
    every_region = [r.value for r in Region]
    intakes = [
        ("Running demo intake", start - timedelta(days=150), start - timedelta(days=100), 40),
        ("Open demo intake", start - timedelta(days=14), start + timedelta(days=28), 60),
        ("Next demo intake", start + timedelta(days=90), start + timedelta(days=130), 40),
    ]
    for name, opens_on, closes_on, capacity in intakes:
        if db.session.scalar(db.select(Intake).where(Intake.name == name)) is None:
            db.session.add(
                Intake(
                    name=name,
                    opens_on=opens_on,
                    closes_on=closes_on,
                    programme_starts_on=closes_on + timedelta(days=42),
                    capacity=capacity,
                    delivery_modes=every_mode,
                    regions=every_region,
                )
            )
    db.session.flush()
    names = [name for name, *_ in intakes]
    return {i.name: i for i in db.session.scalars(db.select(Intake).where(Intake.name.in_(names)))}
