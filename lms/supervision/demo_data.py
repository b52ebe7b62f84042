"""Demo supervision for the running intake (idempotent).

The running intake gets ten more trainee facilitators, each with the accepted application
that brought them in (so grouping and pairing have organisations, role families, sectors
and modes to work with). Sam Supervisor's "Group A" holds the demo facilitator, Kwame
and four others, with three past sessions (registers, a shared summary, private notes),
two booked sessions, and a case the demo facilitator brought, with Sam's response. The
other six are in no group yet, so a lead can form a second group in the browser.
"""

from __future__ import annotations

from datetime import timedelta

from lms.accounts import services as accounts
from lms.accounts.models import Organisation, Role, User
from lms.applications.models import (
    Application,
    ApplicationStatus,
    DeliveryMode,
    EndorsementStatus,
    Intake,
    StaffGroup,
)
from lms.curriculum.models import AttendanceStatus
from lms.curriculum.services import join_intake
from lms.db_types import utcnow
from lms.extensions import db
from lms.supervision import services
from lms.supervision.models import SessionMode, SupervisionGroup, SupervisionSession

LEEDS = "Leeds Teaching Hospitals NHS Trust"
CARDIFF = "Cardiff and Vale University Health Board"
BRISTOL = "Bristol Community Health"
GMMH = "Greater Manchester Mental Health NHS Foundation Trust"
NEL = "NHS North East London Integrated Care Board"

# email, name, organisation, role family, preferred mode, job title
COHORT = [
    (
        "facilitator@example.org",
        "Fatima Facilitator",
        LEEDS,
        StaffGroup.MANAGEMENT_ADMIN,
        DeliveryMode.ONLINE,
        "Service manager, outpatients",
    ),
    (
        "kwame.asante@example.org",
        "Kwame Asante",
        NEL,
        StaffGroup.MANAGEMENT_ADMIN,
        DeliveryMode.BLENDED,
        "Programme lead, population health",
    ),
    (
        "bethan.morgan@example.org",
        "Bethan Morgan",
        CARDIFF,
        StaffGroup.NURSING_MIDWIFERY,
        DeliveryMode.BLENDED,
        "Senior sister, acute medicine",
    ),
    (
        "dev.sharma@example.org",
        "Dev Sharma",
        GMMH,
        StaffGroup.PSYCHOLOGY_THERAPIES,
        DeliveryMode.ONLINE,
        "Principal clinical psychologist",
    ),
    (
        "grace.liu@example.org",
        "Grace Liu",
        BRISTOL,
        StaffGroup.ALLIED_HEALTH,
        DeliveryMode.BLENDED,
        "Clinical lead physiotherapist",
    ),
    (
        "harry.patel@example.org",
        "Harry Patel",
        LEEDS,
        StaffGroup.MEDICAL_DENTAL,
        DeliveryMode.ONLINE,
        "Consultant in emergency medicine",
    ),
    (
        "ioan.jones@example.org",
        "Ioan Jones",
        CARDIFF,
        StaffGroup.MANAGEMENT_ADMIN,
        DeliveryMode.IN_PERSON,
        "Head of workforce planning",
    ),
    (
        "jade.wilson@example.org",
        "Jade Wilson",
        NEL,
        StaffGroup.MANAGEMENT_ADMIN,
        DeliveryMode.ONLINE,
        "Commissioning manager",
    ),
    (
        "leila.haddad@example.org",
        "Leila Haddad",
        BRISTOL,
        StaffGroup.SOCIAL_CARE,
        DeliveryMode.IN_PERSON,
        "Team manager, adult social care",
    ),
    (
        "marcus.reid@example.org",
        "Marcus Reid",
        GMMH,
        StaffGroup.NURSING_MIDWIFERY,
        DeliveryMode.BLENDED,
        "Ward manager",
    ),
    (
        "nadia.hussain@example.org",
        "Nadia Hussain",
        NEL,
        StaffGroup.HEALTHCARE_SCIENCE,
        DeliveryMode.ONLINE,
        "Quality improvement lead",
    ),
    (
        "owain.price@example.org",
        "Owain Price",
        CARDIFF,
        StaffGroup.ALLIED_HEALTH,
        DeliveryMode.IN_PERSON,
        "Lead occupational therapist",
    ),
]
GROUP_A = [email for email, *_ in COHORT[:6]]

SUMMARY = (
    "We worked on holding silence after a question, and on what to do when a set member "
    "slips into advice. Agreed: each of us will try one 'turn it into a question' prompt "
    "in our next set and bring back what happened."
)
PRIVATE = (
    "Fatima held back today; check in with her about the first session of her set. Kwame "
    "ready to be observed next month."
)


def seed_cohort(intake: Intake, organisations: dict[str, Organisation]) -> dict[str, User]:
    """The running intake's trainee facilitators, each with an accepted application."""
    from lms.demo import DEMO_PASSWORD

    people = {}
    for email, name, org_name, staff_group, mode, job_title in COHORT:
        user = db.session.scalar(db.select(User).where(User.email == email))
        organisation = organisations[org_name]
        if user is None:
            user = accounts.register_user(email, name, DEMO_PASSWORD, roles=(Role.FACILITATOR,))
            user.organisation_id = organisation.id
            db.session.flush()
        accounts.grant_role(user, Role.FACILITATOR, None)  # no change if they have it
        membership = join_intake(intake, user)
        if membership.application_id is None:
            application = Application(
                intake_id=intake.id,
                applicant_id=user.id,
                status=ApplicationStatus.ACCEPTED,
                full_name=user.name,
                contact_email=user.email,
                job_title=job_title,
                organisation_id=organisation.id,
                staff_group=staff_group,
                sector=organisation.sector,
                region=organisation.region,
                preferred_mode=mode,
                endorsement_status=EndorsementStatus.ENDORSED,
                submitted_at=utcnow() - timedelta(days=140),
                decided_at=utcnow() - timedelta(days=110),
            )
            db.session.add(application)
            db.session.flush()
            membership.application_id = application.id
        people[email] = user
    db.session.flush()
    return people


def seed_supervision(intake: Intake, people: dict[str, User]) -> SupervisionGroup | None:
    lead = db.session.scalar(db.select(User).where(User.email == "lead@example.org"))
    supervisor = db.session.scalar(db.select(User).where(User.email == "supervisor@example.org"))
    if lead is None or supervisor is None:
        return None
    existing = db.session.scalar(
        db.select(SupervisionGroup).where(
            SupervisionGroup.intake_id == intake.id, SupervisionGroup.name == "Group A"
        )
    )
    if existing is not None:
        return existing
    members = [people[email] for email in GROUP_A]
    group = services.create_group(intake, "Group A", supervisor, members, by=lead)
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    past = []
    for days_ago in (56, 35, 5):  # the last within the week a case can still be brought to
        starts = now - timedelta(days=days_ago) + timedelta(hours=1)
        session = SupervisionSession(
            group_id=group.id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=90),
            mode=SessionMode.ONLINE,
            joining_link="https://meet.example.org/als-group-a",
            created_by_id=supervisor.id,
            reminder_sent_at=starts - timedelta(hours=24),
        )
        db.session.add(session)
        past.append(session)
    db.session.flush()
    absent = {1: "dev.sharma@example.org", 2: "grace.liu@example.org"}
    for n, session in enumerate(past):
        statuses = {p.id: AttendanceStatus.PRESENT for p in members}
        if n in absent:
            statuses[people[absent[n]].id] = AttendanceStatus.APOLOGIES
        services.record_register(session, statuses, by=supervisor)
    services.save_notes(past[-1], SUMMARY, PRIVATE, by=supervisor)
    case = services.bring_case(
        people["facilitator@example.org"],
        group,
        past[-1],
        "In my set's second session one member kept offering solutions, even after I reminded "
        "the group we ask questions. The presenter started defending her plan and the energy "
        "dropped.",
        "Ideas for stepping in earlier without shutting the member down, and a check on "
        "whether I should have paused the cycle.",
    )
    services.respond_to_case(
        case,
        "You noticed the pattern, which is the first step. Next time try naming it gently "
        "for the whole group ('I notice we have moved to suggestions; can we turn those into "
        "questions?') rather than to one person. Pausing would have been fine. Bring this "
        "to your next observation as something to watch for.",
        by=supervisor,
    )
    for weeks_ahead in (2, 6):
        starts = now + timedelta(weeks=weeks_ahead) + timedelta(hours=1)
        db.session.add(
            SupervisionSession(
                group_id=group.id,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=90),
                mode=SessionMode.ONLINE,
                joining_link="https://meet.example.org/als-group-a",
                created_by_id=supervisor.id,
            )
        )
    db.session.flush()
    return group
