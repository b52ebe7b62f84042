"""Demo applications for the open demo intake: one in every status, one still waiting for
its line manager, and one where the two reviewers disagree.

Built through the services, so every record has its timeline, audit entries and emails
as it would in real use. Idempotent: an applicant who already has an application to the
intake is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lms.accounts import services as accounts
from lms.accounts.models import Organisation, Role, User
from lms.applications import decisions, endorsement, review, services
from lms.applications.models import EndorsementDecision, Intake
from lms.applications.sections import SECTIONS_BY_KEY
from lms.extensions import db

MANCHESTER = "Greater Manchester Mental Health NHS Foundation Trust"
CARDIFF = "Cardiff and Vale University Health Board"
LONDON_ICB = "NHS North East London Integrated Care Board"

# Scores per reviewer: motivation, reflection, potential, commitment.
AGREE = ((3, 3, 3, 4), (3, 4, 3, 4))
DISAGREE = ((4, 3, 4, 4), (2, 3, 2, 3))


@dataclass(frozen=True)
class DemoApplication:
    email: str
    name: str
    job_title: str
    organisation: str | None  # a demo organisation's name, or None for "not listed"
    staff_group: str
    sector: str
    band: str
    region: str
    mode: str
    outcome: str  # draft, submitted, shortlisted, offered, waitlisted, rejected, ...
    endorse: bool = True
    scores: tuple = AGREE
    equality: dict = field(default_factory=dict)


DEMO_APPLICATIONS = [
    DemoApplication(
        "owen.evans@example.org",
        "Owen Evans",
        "Physiotherapy team lead",
        CARDIFF,
        "allied_health",
        "acute",
        "band_7",
        "wales",
        "blended",
        "submitted",
        endorse=False,
    ),
    DemoApplication(
        "priya.shah@example.org",
        "Priya Shah",
        "Clinical psychologist",
        MANCHESTER,
        "psychology_therapies",
        "mental_health",
        "band_8a",
        "north_west",
        "online",
        "submitted",
        scores=DISAGREE,
        equality={"age_band": "35_44", "sex": "female"},
    ),
    DemoApplication(
        "daniel.okafor@example.org",
        "Daniel Okafor",
        "Practice manager",
        None,
        "management_admin",
        "primary_care",
        "band_6",
        "london",
        "in_person",
        "shortlisted",
        equality={"age_band": "35_44", "sex": "male"},
    ),
    DemoApplication(
        "megan.jones@example.org",
        "Megan Jones",
        "Ward sister",
        CARDIFF,
        "nursing_midwifery",
        "acute",
        "band_6",
        "wales",
        "in_person",
        "offered",
        equality={"age_band": "25_34", "sex": "female"},
    ),
    DemoApplication(
        "tomasz.nowak@example.org",
        "Tomasz Nowak",
        "Commissioning manager",
        LONDON_ICB,
        "management_admin",
        "icb",
        "band_8b",
        "london",
        "online",
        "waitlisted",
    ),
    DemoApplication(
        "grace.mensah@example.org",
        "Grace Mensah",
        "Healthcare scientist",
        MANCHESTER,
        "healthcare_science",
        "mental_health",
        "band_5",
        "north_west",
        "online",
        "rejected",
    ),
    DemoApplication(
        "sian.roberts@example.org",
        "Siân Roberts",
        "Consultant paediatrician",
        CARDIFF,
        "medical_dental",
        "acute",
        "medical",
        "wales",
        "blended",
        "accepted",
        equality={"age_band": "45_54", "sex": "female"},
    ),
    DemoApplication(
        "liam.murphy@example.org",
        "Liam Murphy",
        "Social worker",
        None,
        "social_care",
        "social_care",
        "outside_afc",
        "north_west",
        "online",
        "declined",
    ),
    DemoApplication(
        "hannah.clarke@example.org",
        "Hannah Clarke",
        "Community matron",
        LONDON_ICB,
        "nursing_midwifery",
        "community",
        "band_8a",
        "london",
        "blended",
        "withdrawn",
    ),
]


def _answers(demo: DemoApplication, organisation: Organisation | None) -> dict[str, dict]:
    first = demo.name.split()[0]
    return {
        "personal": {
            "full_name": demo.name,
            "contact_email": demo.email,
            "phone": "0300 311 22 33",
        },
        "role": {
            "job_title": demo.job_title,
            "organisation_id": str(organisation.id) if organisation else "",
            "organisation_other": "" if organisation else "Riverside Health and Care Partnership",
            "staff_group": demo.staff_group,
            "sector": demo.sector,
            "band": demo.band,
            "region": demo.region,
        },
        "eligibility": {"works_in_health_care": "yes", "can_commit_time": "yes"},
        "programmes": {"previous_programmes": ["gmts"] if demo.band == "band_6" else ["none"]},
        "experience": {
            "facilitation_experience": (
                "I chair our monthly team learning meetings and have co-facilitated "
                "Schwartz Rounds. I completed a coaching skills course last year."
            )
        },
        "motivation": {
            "motivation": (
                "Action learning helped me through my first management role. I want to give "
                "new leaders the same space to think, and to learn to ask better questions "
                "instead of jumping in with advice."
            )
        },
        "delivery": {
            "preferred_mode": demo.mode,
            "availability": "Tuesday and Thursday afternoons",
        },
        "adjustments": {"has_adjustments": "no"},
        "manager": {
            "manager_name": f"{first}'s line manager",
            "manager_email": f"manager.of.{demo.email}",
        },
    }


def _person(email: str, name: str, organisation: Organisation | None, *roles: Role) -> User:
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        from lms.demo import DEMO_PASSWORD

        user = accounts.register_user(email, name, DEMO_PASSWORD, roles=roles)
        user.organisation_id = organisation.id if organisation else None
        db.session.flush()
    return user


def seed_applications(intake: Intake, organisations: dict[str, Organisation]) -> None:
    """Applications to ``intake`` in every status (see the module docstring)."""
    today = services.today()
    lead = db.session.scalar(db.select(User).where(User.email == "lead@example.org"))
    reviewers = list(
        db.session.scalars(
            db.select(User)
            .where(User.email.in_(["reviewer@example.org", "reviewer2@example.org"]))
            .order_by(User.email)
        )
    )

    # The demo applicant has a draft part-way through, to show the task list.
    aisha = db.session.scalar(db.select(User).where(User.email == "applicant@example.org"))
    if aisha is not None and services.find_application(intake, aisha) is None:
        draft = services.start_application(intake, aisha, today)
        for key, values in {
            "personal": {
                "full_name": aisha.name,
                "contact_email": aisha.email,
                "phone": "0161 496 0000",
            },
            "eligibility": {"works_in_health_care": "yes", "can_commit_time": "yes"},
        }.items():
            services.save_section(draft, SECTIONS_BY_KEY[key], values, complete=True)
        services.save_section(
            draft,
            SECTIONS_BY_KEY["motivation"],
            {"motivation": "I first met action learning on the GMTS and"},
            complete=False,
        )

    for demo in DEMO_APPLICATIONS:
        organisation = organisations.get(demo.organisation) if demo.organisation else None
        applicant = _person(demo.email, demo.name, organisation, Role.APPLICANT)
        if services.find_application(intake, applicant) is not None:
            continue
        application = services.start_application(intake, applicant, today)
        for key, values in _answers(demo, organisation).items():
            services.save_section(application, SECTIONS_BY_KEY[key], values, complete=True)
        if demo.equality:
            services.save_equality(application, demo.equality)
        services.submit_application(application, today, by=applicant)
        if demo.endorse:
            endorsement.record_response(
                endorsement.latest_request(application),
                EndorsementDecision.ENDORSED,
                "Fully supported; time agreed with the team.",
            )
            for reviewer, scores in zip(reviewers, demo.scores, strict=True):
                assignment = review.assign_reviewer(application, reviewer, by=lead)
                review.submit_review(
                    assignment,
                    dict(
                        zip(
                            ("motivation", "reflection", "potential", "commitment"),
                            scores,
                            strict=True,
                        )
                    ),
                    "Clear examples of reflective practice.",
                    by=reviewer,
                )
        _decide(application, demo.outcome, lead, today)
    db.session.flush()


def _decide(application, outcome: str, lead: User, today) -> None:
    applicant = application.applicant
    if outcome == "submitted":
        return
    if outcome == "shortlisted":
        decisions.shortlist(application, lead)
    elif outcome == "waitlisted":
        decisions.waitlist(application, lead)
    elif outcome == "rejected":
        decisions.reject(
            application,
            lead,
            "We had many strong applications from your region this time. Your statement "
            "focused on your own development; we would welcome a future application that "
            "says more about how you would help others learn.",
        )
    else:  # offered, and the applicant's answers to an offer
        decisions.offer_place(application, lead, today)
        if outcome == "accepted":
            decisions.accept_offer(application, applicant, today)
        elif outcome == "declined":
            decisions.decline_offer(application, applicant, "I have started a new role.")
        elif outcome == "withdrawn":
            decisions.withdraw(application, applicant, "Personal circumstances.")
