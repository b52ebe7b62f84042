"""Demo data for assessment and award: an intake whose programme has finished, with four
trainee facilitators who have done everything the award asks. Rhiannon is ready to submit,
Owen has submitted, Grace holds the award and Daniel's award was revoked.

Their evidence is made as the records it would be (module completions, supervision
registers, buddy check-ins, a set of six held sessions with registers, session logs,
signed-off observations and trainee feedback); the submissions and awards go through
the real services, so they are audited and Grace's certificate is made by its job.
Idempotent: nothing is added once the intake's set exists.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from lms.accounts import services as accounts
from lms.accounts.models import Organisation, Region, Role, User
from lms.applications.models import DeliveryMode, Intake
from lms.applications.services import today
from lms.assessment import awards, submission, uploads
from lms.assessment.models import Award, PortfolioSubmission
from lms.buddy.models import BuddyGroup, BuddyMember, BuddyStatus, CheckIn, CheckInTopic
from lms.curriculum.models import ModuleCompletion
from lms.curriculum.queries import current_modules
from lms.curriculum.services import join_intake, london_to_utc
from lms.extensions import db
from lms.practice.models import (
    FeedbackReceipt,
    FeedbackResponse,
    PracticeAttendance,
    PracticeAttendanceStatus,
    PracticeSession,
    PracticeSet,
    SessionLog,
    SetFacilitator,
    SetMember,
    SetStatus,
    TraineeProfile,
)
from lms.supervision.models import (
    AttendanceStatus,
    Criterion,
    GroupMembership,
    Observation,
    ObservationKind,
    ObservationRating,
    Outcome,
    Rating,
    SessionMode,
    SupervisionAttendance,
    SupervisionGroup,
    SupervisionSession,
)

INTAKE = "Completed demo intake"
GMTS = "GMTS 2025 cohort"
READY, SUBMITTED, AWARDED, REVOKED = (
    "rhiannon.price@example.org",
    "owen.jenkins@example.org",
    "grace.okafor@example.org",
    "daniel.reid@example.org",
)
FACILITATORS = [
    (READY, "Rhiannon Price", "Cardiff and Vale University Health Board"),
    (SUBMITTED, "Owen Jenkins", "Bristol Community Health"),
    (AWARDED, "Grace Okafor", "Greater Manchester Mental Health NHS Foundation Trust"),
    (REVOKED, "Daniel Reid", "NHS North East London Integrated Care Board"),
]
# Two sets, each run by a pair of buddies, with five GMTS trainees.
SETS = [("Autumn set 1", (READY, SUBMITTED)), ("Autumn set 2", (AWARDED, REVOKED))]
TRAINEES = [
    ("Megan Lloyd", "megan.lloyd@example.org"),
    ("Hamza Iqbal", "hamza.iqbal@example.org"),
    ("Olivia Grant", "olivia.grant@example.org"),
    ("Tomos Rees", "tomos.rees@example.org"),
    ("Priya Nair", "priya.nair@example.org"),
    ("Jack Dempsey", "jack.dempsey@example.org"),
    ("Efua Mensah", "efua.mensah@example.org"),
    ("Niamh Doyle", "niamh.doyle@example.org"),
    ("Samuel Cohen", "samuel.cohen@example.org"),
    ("Leah Francis", "leah.francis@example.org"),
]
LOG = (
    "Everyone spoke in the check-in and the presenters kept to their airtime. The set asked "
    "open questions and held back advice.",
    "Notice sooner when one voice fills the inquiry, and invite the quieter members in.",
)
UPLOADED_TEXT = (
    "Reflective account: contracting with Set 1. I opened the first session by agreeing the "
    "charter with the set. Two trainees asked what would happen to what they said; talking "
    "it through took longer than I planned, and it was time well spent."
)
REVOKE_REASON = (
    "Issued in error: the signed-off observations were recorded against the wrong "
    "facilitator. The programme team will review the portfolio again."
)


def seed_awards(
    organisations: dict[str, Organisation], lead: User, supervisor: User, facilitator: User
) -> None:
    if db.session.scalar(db.select(PracticeSet.id).where(PracticeSet.gmts_intake == GMTS)):
        return
    _upload_for(facilitator)
    from lms.demo import DEMO_PASSWORD

    intake = _intake()
    people = {}
    for email, name, org_name in FACILITATORS:
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is None:
            user = accounts.register_user(email, name, DEMO_PASSWORD, roles=(Role.FACILITATOR,))
            user.organisation_id = organisations[org_name].id
        join_intake(intake, user)
        people[email] = user
    db.session.flush()
    start = intake.programme_starts_on
    _complete_core_modules(list(people.values()), start)
    _supervise(intake, list(people.values()), supervisor, start)
    _buddies(intake, people, start)
    trainees = _trainees(organisations, DEMO_PASSWORD)
    for n, (name, emails) in enumerate(SETS):
        _run_set(intake, name, [people[e] for e in emails], trainees[5 * n : 5 * n + 5], start)
    _observe(people, supervisor)
    db.session.flush()
    _submit_and_award(people, lead)


def _upload_for(person: User) -> None:
    """A reflective account the demo facilitator uploaded, so their portfolio has evidence
    from every source."""
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.multi_cell(0, 8, UPLOADED_TEXT)
    uploads.add_upload(
        person,
        bytes(document.output()),
        "Reflective account - first set session.pdf",
        "A reflective account of contracting with Set 1 at its first session.",
        ["contract", "reflect"],
    )


def _intake() -> Intake:
    intake = db.session.scalar(db.select(Intake).where(Intake.name == INTAKE))
    if intake is None:
        opens_on = today() - timedelta(days=400)
        intake = Intake(
            name=INTAKE,
            opens_on=opens_on,
            closes_on=opens_on + timedelta(days=40),
            programme_starts_on=opens_on + timedelta(days=82),
            capacity=30,
            delivery_modes=[m.value for m in DeliveryMode],
            regions=[r.value for r in Region],
        )
        db.session.add(intake)
        db.session.flush()
    return intake


def _at(day: date, hour: int = 10) -> datetime:
    return london_to_utc(day, time(hour))


def _complete_core_modules(people: list[User], start: date) -> None:
    for n, module in enumerate(m for m in current_modules() if m.is_core):
        for person in people:
            db.session.add(
                ModuleCompletion(
                    user_id=person.id,
                    module_id=module.id,
                    version=module.version,
                    completed_at=_at(start + timedelta(days=10 + 9 * n)),
                )
            )


def _supervise(intake: Intake, people: list[User], supervisor: User, start: date) -> None:
    group = SupervisionGroup(intake_id=intake.id, name="Autumn group", supervisor_id=supervisor.id)
    group.memberships = [
        GroupMembership(user_id=p.id, joined_at=_at(start), added_by_id=supervisor.id)
        for p in people
    ]
    db.session.add(group)
    db.session.flush()
    for n in range(6):
        starts_at = _at(start + timedelta(weeks=3 + 5 * n), 15)
        session = SupervisionSession(
            group_id=group.id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=90),
            mode=SessionMode.ONLINE,
            joining_link="https://meet.example.org/autumn-supervision",
            created_by_id=supervisor.id,
        )
        session.attendance = [
            SupervisionAttendance(
                user_id=p.id,
                status=AttendanceStatus.PRESENT,
                recorded_by_id=supervisor.id,
                recorded_at=starts_at,
            )
            for p in people
        ]
        db.session.add(session)


def _buddies(intake: Intake, people: dict[str, User], start: date) -> None:
    for _, emails in SETS:
        group = BuddyGroup(
            intake_id=intake.id, status=BuddyStatus.CONFIRMED, confirmed_at=_at(start)
        )
        group.members = [BuddyMember(user_id=people[e].id) for e in emails]
        db.session.add(group)
        db.session.flush()
        for n in range(5):
            db.session.add(
                CheckIn(
                    group_id=group.id,
                    met_on=start + timedelta(weeks=2 + 4 * n),
                    minutes=45,
                    topics=[CheckInTopic.SETS.value],
                    logged_by_id=people[emails[n % 2]].id,
                )
            )


def _trainees(organisations: dict[str, Organisation], password: str) -> list[User]:
    chosen = list(organisations.values())
    result = []
    for n, (name, email) in enumerate(TRAINEES):
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is None:
            user = accounts.register_user(email, name, password, roles=(Role.TRAINEE,))
            user.organisation_id = chosen[n % len(chosen)].id
            db.session.add(TraineeProfile(user_id=user.id, gmts_intake=GMTS))
        result.append(user)
    db.session.flush()
    return result


def _run_set(
    intake: Intake, name: str, facilitators: list[User], members: list[User], start: date
) -> None:
    """A confirmed set whose six sessions were all held, with registers, the
    facilitators' logs and enough anonymous feedback to count."""
    first = start + timedelta(weeks=8)
    practice_set = PracticeSet(
        intake_id=intake.id,
        gmts_intake=GMTS,
        name=name,
        status=SetStatus.CONFIRMED,
        mode=DeliveryMode.ONLINE,
        joining_link="https://meet.example.org/autumn-set",
        confirmed_at=_at(first - timedelta(weeks=3), 16),
    )
    practice_set.facilitators = [SetFacilitator(user_id=f.id) for f in facilitators]
    practice_set.members = [
        SetMember(user_id=m.id, charter_acknowledged_at=_at(first - timedelta(days=2)))
        for m in members
    ]
    db.session.add(practice_set)
    db.session.flush()
    for number in range(1, 7):
        starts_at = _at(first + timedelta(weeks=2 * (number - 1)))
        session = PracticeSession(
            set_id=practice_set.id,
            number=number,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=90),
            started_at=starts_at,
            closed_at=starts_at + timedelta(minutes=89),
            reminder_sent_at=starts_at - timedelta(hours=24),
        )
        session.attendance = [
            PracticeAttendance(
                user_id=m.id,
                status=PracticeAttendanceStatus.PRESENT,
                recorded_by_id=facilitators[0].id,
                recorded_at=starts_at,
            )
            for m in members
        ]
        db.session.add(session)
        db.session.flush()
        for facilitator in facilitators:
            db.session.add(
                SessionLog(
                    session_id=session.id,
                    author_id=facilitator.id,
                    went_well=LOG[0],
                    do_differently=LOG[1],
                    created_at=session.ends_at,
                    updated_at=session.ends_at,
                )
            )
        for n, member in enumerate(members[:3]):
            db.session.add(FeedbackReceipt(session_id=session.id, user_id=member.id))
            db.session.add(
                FeedbackResponse(
                    session_id=session.id,
                    kept_to_time=5 - n % 2,
                    fair_say=4,
                    questions_helped=5,
                    clear_action=4 - n % 2,
                )
            )


def _observe(people: dict[str, User], supervisor: User) -> None:
    """Two signed-off supervisor observations each (sessions 3 and 5 of their set). The
    ratings are stored before ``recorded_at``, which the model requires."""
    sessions = {
        (s.set.name, s.number): s
        for s in db.session.scalars(
            db.select(PracticeSession).join(PracticeSet).where(PracticeSet.gmts_intake == GMTS)
        )
    }
    for name, emails in SETS:
        for email in emails:
            for number in (3, 5):
                session = sessions[(name, number)]
                observation = Observation(
                    session_id=session.id,
                    facilitator_id=people[email].id,
                    observer_id=supervisor.id,
                    kind=ObservationKind.SUPERVISOR,
                    outcome=Outcome.SIGNED_OFF,
                    summary="A well-held session: clear contracting and real inquiry.",
                    ratings=[
                        ObservationRating(criterion=c, rating=Rating.COMPETENT) for c in Criterion
                    ],
                )
                db.session.add(observation)
                db.session.flush()
                observation.recorded_at = session.ends_at + timedelta(days=2)


def _submit_and_award(people: dict[str, User], lead: User) -> None:
    for email in (SUBMITTED, AWARDED, REVOKED):
        person = people[email]
        personal = email.replace("@example.org", "@example.com")
        submission.submit(person, personal, "My portfolio for the award.")
    for email in (AWARDED, REVOKED):
        sent = db.session.scalar(
            db.select(PortfolioSubmission).where(PortfolioSubmission.user_id == people[email].id)
        )
        award = awards.issue_award(sent, lead)
        if email == REVOKED:
            awards.revoke(award, lead, REVOKE_REASON)


def demo_award() -> Award | None:
    """Grace's award, whose code `flask seed demo` prints."""
    return db.session.scalar(
        db.select(Award).join(User, User.id == Award.user_id).where(User.email == AWARDED)
    )
