"""Demo observed practice for the running intake (idempotent).

A GMTS cohort of sixteen trainees, the demo trainee among them. "Set 1" is the demo
facilitator's, co-facilitated with her buddy Dev Sharma: six online sessions a fortnight
apart, the first three held (registers, two presenters each, actions and what became of
them, her session logs, anonymous feedback) and three to come, the next with an action
carried forward to report back on. Sam Supervisor signed off her practice at session 2
and recorded "not yet" at session 3 (beside her self-assessment); Dev observed session 1.
"Set 2" (Kwame Asante and Bethan Morgan, blended) has only booked sessions. Five trainees
are in no set, so a lead can run the allocator in the browser.

Rows are written directly, dated when they happened, and nobody is told: going through
the services would stamp everything with today's date and send every member an email.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from lms import audit
from lms.accounts import services as accounts
from lms.accounts.models import Organisation, Region, Role, Sector, User
from lms.applications.models import DeliveryMode, Intake
from lms.applications.services import today
from lms.curriculum.services import london_to_utc
from lms.extensions import db
from lms.practice import allocation_runs, holidays
from lms.practice.models import (
    Action,
    FeedbackReceipt,
    FeedbackResponse,
    FollowThrough,
    PracticeAttendance,
    PracticeSession,
    PracticeSet,
    Presentation,
    SessionLog,
    SetFacilitator,
    SetMember,
    SetStatus,
    Theme,
    TraineeProfile,
)
from lms.practice.models import FollowThroughStatus as FT
from lms.practice.models import PracticeAttendanceStatus as AS
from lms.supervision.models import (
    Criterion,
    Observation,
    ObservationKind,
    ObservationRating,
    Outcome,
    Rating,
)

GMTS = "GMTS 2026 cohort A"
BRISTOL = "Bristol Community Health"
CARDIFF = "Cardiff and Vale University Health Board"
GMMH = "Greater Manchester Mental Health NHS Foundation Trust"
LEEDS = "Leeds Teaching Hospitals NHS Trust"
NEL = "NHS North East London Integrated Care Board"
NORTHGATE = "Northgate Hospitals NHS Foundation Trust"
WEALD = "Kent Weald Community Health NHS Trust"
FENLAND = "Fenland and Broads Mental Health NHS Trust"
THAMESIDE = "Thameside Primary Care Network"

# Made-up organisations, so the cohort comes from more places than the facilitators do.
ORGANISATIONS = [
    (NORTHGATE, Sector.ACUTE, Region.MIDLANDS),
    (WEALD, Sector.COMMUNITY, Region.SOUTH_EAST),
    (FENLAND, Sector.MENTAL_HEALTH, Region.EAST_OF_ENGLAND),
    (THAMESIDE, Sector.PRIMARY_CARE, Region.LONDON),
]


@dataclass(frozen=True)
class DemoTrainee:
    email: str
    name: str
    organisation: str
    mode: DeliveryMode
    line_manager: str | None = None
    needs: dict = field(default_factory=dict)  # User access-need fields, set on creation


ONLINE, BLENDED, IN_PERSON = DeliveryMode.ONLINE, DeliveryMode.BLENDED, DeliveryMode.IN_PERSON

# The tables below read better as rows than as the formatter would lay them out.
# fmt: off
TRAINEES = [
    # Set 1: the demo facilitator (Leeds) and Dev Sharma (GMMH); nobody from either.
    DemoTrainee("trainee@example.org", "Tom Trainee", BRISTOL, ONLINE, "helen.carter@example.org"),
    # Chloe's line manager is Ravi, a trainee too, so he is in Set 2.
    DemoTrainee("chloe.adebayo@example.org", "Chloe Adebayo", NORTHGATE, ONLINE,
                "ravi.menon@example.org"),
    DemoTrainee("ewan.mcallister@example.org", "Ewan McAllister", NEL, BLENDED,
                "samira.begum@example.org"),
    DemoTrainee(
        "sophie.turner@example.org", "Sophie Turner", WEALD, ONLINE, "mark.dawson@example.org",
        {"needs_extra_processing_time": True,
         "access_notes": "Dyslexic: please share any written material the day before."},
    ),
    DemoTrainee("aled.williams@example.org", "Aled Williams", CARDIFF, ONLINE),
    DemoTrainee(
        "zainab.ali@example.org", "Zainab Ali", FENLAND, ONLINE, "karen.lloyd@example.org",
        {"needs_captions": True,
         "access_notes": "Hard of hearing: captions on, and one person speaking at a time."},
    ),
    # Set 2: Kwame Asante (North East London ICB) and Bethan Morgan (Cardiff and Vale).
    DemoTrainee("ravi.menon@example.org", "Ravi Menon", NORTHGATE, BLENDED,
                "paul.jenkins@example.org"),
    DemoTrainee("freya.campbell@example.org", "Freya Campbell", THAMESIDE, IN_PERSON),
    DemoTrainee("joseph.okoro@example.org", "Joseph Okoro", LEEDS, BLENDED),
    DemoTrainee("amira.rahman@example.org", "Amira Rahman", GMMH, ONLINE),
    DemoTrainee(
        "callum.fraser@example.org", "Callum Fraser", BRISTOL, BLENDED, None,
        {"needs_low_stimulation": True,
         "access_notes": "Autistic: a quiet room and cameras optional help me take part."},
    ),
    # In no set yet: enough for the allocator to form one more.
    DemoTrainee("lucy.hughes@example.org", "Lucy Hughes", WEALD, IN_PERSON),
    DemoTrainee("matthew.osei@example.org", "Matthew Osei", LEEDS, BLENDED,
                "joanne.firth@example.org"),
    DemoTrainee("isla.robertson@example.org", "Isla Robertson", FENLAND, ONLINE),
    DemoTrainee("george.whitaker@example.org", "George Whitaker", GMMH, IN_PERSON),
    DemoTrainee("anjali.desai@example.org", "Anjali Desai", THAMESIDE, ONLINE),
]
TOM, CHLOE, EWAN, SOPHIE, ALED, ZAINAB = (t.email for t in TRAINEES[:6])
SET_1 = [t.email for t in TRAINEES[:6]]
SET_2 = [t.email for t in TRAINEES[6:11]]
NOT_ACKNOWLEDGED = EWAN  # the one member of Set 1 who has not acknowledged the charter

# Per held session: who was not simply present, and each presenter's theme, challenge and
# actions (text, supports, risks). Everyone presents once before anyone presents twice.
HELD = [
    {
        "register": {ALED: AS.LATE},
        "presenters": [
            (CHLOE, Theme.ROTA_WORKFLOW,
             "Theatre lists overrun every week and I have been asked to fix the weekend "
             "rota, with no authority over the consultants who set it.",
             [("Map last month's theatre overruns with the theatre coordinator before the "
               "scheduling meeting", "The theatre coordinator; the theatre system's data",
               "The coordinator is on leave next week"),
              ("Ask my line manager to introduce me at the consultants' meeting so I can "
               "present the rota options", None, "The meeting is often cancelled")]),
            (EWAN, Theme.ESCALATION,
             "A provider keeps missing its ambulance handover target and senior colleagues "
             "keep saying it is not the time to escalate.",
             [("Use SBAR to write a one-page escalation on handover delays for the deputy "
               "director", "The quality team's SBAR template",
               "Being seen to go over my manager's head")]),
        ],
    },
    {
        "register": {ZAINAB: AS.APOLOGIES},
        "presenters": [
            (TOM, Theme.ACROSS_TEAMS,
             "I send the weekly discharge-to-assess delays report and nobody acts on it.",
             [("Meet the hospital discharge hub lead to agree what the weekly delays report "
               "should show", "My line manager can set up the meeting", None),
              ("Use SBAR when I escalate anyone waiting more than 48 hours for a care "
               "package", "The SBAR card from the last session",
               "Not feeling senior enough to call the hub")]),
            (SOPHIE, Theme.DELEGATION,
             "Two district nursing team leaders keep bringing me decisions that are theirs "
             "to make.",
             [("Agree with each team leader which decisions are theirs, and write it down "
               "together", None, "One of them may feel criticised"),
              ("When asked to decide, ask 'what would you do?' before answering", None,
               None)]),
        ],
    },
    {
        "register": {},
        "presenters": [
            (ALED, Theme.PRIORITISATION,
             "I lead four improvement projects in outpatients and every one is urgent.",
             [("List my projects with my manager and agree the two that matter most this "
               "quarter", "Monthly one-to-one with my manager", None),
              ("Block two hours every Friday for the outpatient booking review", None,
               "Clinic cover requests on Fridays")]),
            (ZAINAB, Theme.WELLBEING,
             "The crisis team is exhausted after two vacancies, and I feel I should fix it "
             "and cannot.",
             [("Ask the team at Tuesday's huddle which one change would help most, and take "
               "it to the service manager", "The team's practice development nurse",
               "Raising hopes I cannot meet")]),
        ],
    },
]
# What became of actions, by (session agreed at, presenter, action position):
# the session it was reported back at, the status and the presenter's learning.
FOLLOW_THROUGH = {
    (1, CHLOE, 1): [(2, FT.DONE, "Most overruns were late starts, not long cases. That "
                                 "changed the conversation.")],
    (1, CHLOE, 2): [(2, FT.CARRIED_FORWARD, "The meeting was cancelled; asking again."),
                    (3, FT.PARTLY, "Presented two options; the consultants will trial one "
                                   "for a month.")],
    (1, EWAN, 1): [(2, FT.DONE, "The deputy director took it to the system call that week. "
                                "SBAR kept it short.")],
    (2, TOM, 1): [(3, FT.DONE, "We cut the report to three numbers, and the hub now reads "
                               "it out at the Monday huddle.")],
    (2, TOM, 2): [(3, FT.CARRIED_FORWARD, "Nobody waited over 48 hours this fortnight; "
                                          "keeping it for next time.")],
    (2, SOPHIE, 1): [(3, FT.DONE, None)],
    (2, SOPHIE, 2): [(3, FT.PARTLY, "Works with one team leader; the other finds it "
                                    "frustrating.")],
}
LOGS = [
    ("The charter conversation took longer than planned but everyone spoke. Chloe's "
     "inquiry stayed in questions.",
     "Give the second presenter a time check earlier; Ewan's inquiry was rushed."),
    ("Kept to time. Tom found his own action rather than taking Sophie's suggestion.",
     "Name it sooner when a member slides into advice, as Sam suggested in supervision."),
    ("Zainab's presentation was emotional and the set held it well. Dev led check-out.",
     "One member dominated inquiry for Aled. Try a round so everyone asks one question."),
]
# Anonymous feedback per held session: who answered (their receipts) and the answers,
# in kept_to_time, fair_say, questions_helped, clear_action order.
FEEDBACK = [
    ([CHLOE, EWAN, TOM, SOPHIE],
     [(5, 4, 4, 5, "Felt safe to say what was really going on."), (4, 4, 5, 4, None),
      (4, 5, 4, 4, None), (3, 4, 4, 5, "Ran a few minutes over.")]),
    ([TOM, CHLOE, ALED],
     [(5, 5, 4, 5, None), (4, 4, 4, 4, "Good to be asked, not told."), (5, 4, 5, 4, None)]),
    ([SOPHIE, ALED], [(4, 3, 4, 4, None), (5, 4, 4, 5, None)]),  # below the threshold of 3
]

C = Criterion
R = Rating
BUDDY_1 = (
    {C.CONTRACTING: (R.COMPETENT, "Clear charter conversation."),
     C.PROCESS_AND_TIME: (R.DEVELOPING, "The second inquiry was squeezed."),
     C.QUESTIONING: (R.COMPETENT, None), C.GROUP_DYNAMICS: (R.DEVELOPING, None),
     C.INCLUSION: (R.COMPETENT, "Brought Aled in when he arrived late."),
     C.ACTIONS: (R.COMPETENT, None), C.CLOSING: (R.DEVELOPING, None),
     C.SELF_AWARENESS: (R.COMPETENT, None)},
    "A calm first session. Watch the clock in the second round.",
)
SIGNED_OFF = (
    {C.CONTRACTING: (R.STRONG, "Revisited the charter briefly and naturally."),
     C.PROCESS_AND_TIME: (R.COMPETENT, "Both rounds had their full time."),
     C.QUESTIONING: (R.COMPETENT, "Turned two suggestions back into questions."),
     C.GROUP_DYNAMICS: (R.COMPETENT, None),
     C.INCLUSION: (R.STRONG, "Everyone asked at least one question."),
     C.ACTIONS: (R.COMPETENT, "Actions specific and owned by the presenters."),
     C.CLOSING: (R.COMPETENT, None), C.SELF_AWARENESS: (R.COMPETENT, None)},
    "Confident, well-held session. Signed off.",
)
NOT_YET = (
    {C.CONTRACTING: (R.COMPETENT, None), C.PROCESS_AND_TIME: (R.COMPETENT, None),
     C.QUESTIONING: (R.DEVELOPING, "Offered an answer twice during Aled's inquiry."),
     C.GROUP_DYNAMICS: (R.DEVELOPING, "One member took over the inquiry; step in sooner."),
     C.INCLUSION: (R.COMPETENT, "Kept space for Zainab with care."),
     C.ACTIONS: (R.COMPETENT, None), C.CLOSING: (R.COMPETENT, None),
     C.SELF_AWARENESS: (R.DEVELOPING, "Talk through in supervision what pulled you in.")},
    "A harder session than the last. Not yet for this one: bring the dominant-member moment "
    "to supervision.",
)
SELF_3 = (
    {C.CONTRACTING: (R.COMPETENT, None), C.PROCESS_AND_TIME: (R.COMPETENT, None),
     C.QUESTIONING: (R.DEVELOPING, "I gave advice when the inquiry stalled."),
     C.GROUP_DYNAMICS: (R.DEVELOPING, None), C.INCLUSION: (R.STRONG, None),
     C.ACTIONS: (R.COMPETENT, None), C.CLOSING: (R.COMPETENT, None),
     C.SELF_AWARENESS: (R.COMPETENT, None)},
    "I lost my nerve when one member took over.",
)
# fmt: on

STARTS, MINUTES = time(10, 0), 90
SUPERVISOR, BUDDY, SELF = ObservationKind.SUPERVISOR, ObservationKind.BUDDY, ObservationKind.SELF


def seed_practice(
    intake: Intake, organisations: dict[str, Organisation], people: dict[str, User]
) -> PracticeSet | None:
    """The GMTS cohort, Set 1 with its history and observations, and Set 2 booked. Returns
    Set 1 (None without the demo lead and supervisor)."""
    lead = db.session.scalar(db.select(User).where(User.email == "lead@example.org"))
    supervisor = db.session.scalar(db.select(User).where(User.email == "supervisor@example.org"))
    if lead is None or supervisor is None:
        return None
    trainees = _seed_trainees(_seed_organisations(organisations))
    set_1 = _existing(intake, "Set 1")
    if set_1 is None:
        set_1 = _seed_set_1(intake, trainees, people, lead, supervisor)
    if _existing(intake, "Set 2") is None:
        _seed_set_2(intake, trainees, people, lead)
    return set_1


def _seed_organisations(organisations: dict[str, Organisation]) -> dict[str, Organisation]:
    found = dict(organisations)
    for name, sector, region in ORGANISATIONS:
        org = db.session.scalar(db.select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name, sector=sector, region=region)
            db.session.add(org)
        found[name] = org
    db.session.flush()
    return found


def _seed_trainees(organisations: dict[str, Organisation]) -> dict[str, User]:
    from lms.demo import DEMO_PASSWORD

    trainees = {}
    for trainee in TRAINEES:
        organisation = organisations[trainee.organisation]
        user = db.session.scalar(db.select(User).where(User.email == trainee.email))
        if user is None:
            user = accounts.register_user(
                trainee.email, trainee.name, DEMO_PASSWORD, roles=(Role.TRAINEE,)
            )
            user.organisation_id = organisation.id
            for key, value in trainee.needs.items():
                setattr(user, key, value)
        elif not user.has_role(Role.TRAINEE):
            accounts.grant_role(user, Role.TRAINEE, None)
        if db.session.scalar(db.select(TraineeProfile.id).filter_by(user_id=user.id)) is None:
            db.session.add(
                TraineeProfile(
                    user_id=user.id,
                    gmts_intake=GMTS,
                    region=organisation.region,
                    mode=trainee.mode,
                    line_manager_email=trainee.line_manager,
                )
            )
        trainees[trainee.email] = user
    db.session.flush()
    return trainees


def _existing(intake: Intake, name: str) -> PracticeSet | None:
    return db.session.scalar(
        db.select(PracticeSet).where(PracticeSet.intake_id == intake.id, PracticeSet.name == name)
    )


def _weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _new_set(
    intake: Intake,
    name: str,
    facilitators: list[User],
    members: list[User],
    first: date,
    starts: time,
    by: User,
    **place,
) -> PracticeSet:
    """A confirmed set with six fortnightly sessions, moved off bank holidays."""
    region = facilitators[0].organisation.region
    nation = holidays.nation_for_region(region)
    confirmed_at = london_to_utc(first - timedelta(weeks=3), time(16))
    practice_set = PracticeSet(
        intake_id=intake.id,
        gmts_intake=GMTS,
        name=name,
        status=SetStatus.CONFIRMED,
        region=region,
        nation=nation,
        created_by_id=by.id,
        created_at=confirmed_at - timedelta(days=2),
        confirmed_at=confirmed_at,
        **place,
    )
    practice_set.facilitators = [SetFacilitator(user_id=f.id) for f in facilitators]
    practice_set.members = [SetMember(user_id=m.id) for m in members]
    for number, planned in enumerate(holidays.plan_dates(first, 6, 2, nation), start=1):
        starts_at = london_to_utc(planned.day, starts)
        practice_set.sessions.append(
            PracticeSession(
                number=number,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=MINUTES),
                moved_from=planned.moved_from and london_to_utc(planned.moved_from, starts),
                holiday=planned.holiday.code if planned.holiday else None,
            )
        )
    db.session.add(practice_set)
    db.session.flush()
    [check] = allocation_runs.check_sets([practice_set])
    practice_set.points, practice_set.reasons = check.points, check.reasons
    return practice_set


def _seed_set_1(
    intake: Intake, trainees: dict[str, User], people: dict[str, User], lead: User, sam: User
) -> PracticeSet:
    fatima, dev = people["facilitator@example.org"], people["dev.sharma@example.org"]
    # Sessions 1-3 five, three and one fortnight back (on a Wednesday), 4-6 to come.
    first = _weekday_on_or_before(today() - timedelta(weeks=5), 2)
    practice_set = _new_set(
        intake,
        "Set 1",
        [fatima, dev],
        [trainees[email] for email in SET_1],
        first,
        STARTS,
        lead,
        mode=DeliveryMode.ONLINE,
        joining_link="https://meet.example.org/als-set-1",
    )
    for member in practice_set.members:
        if member.user.email != NOT_ACKNOWLEDGED:
            member.charter_acknowledged_at = practice_set.sessions[0].starts_at - timedelta(days=3)
    ids = {email: trainees[email].id for email in SET_1}
    actions: dict[tuple[int, str, int], Action] = {}
    for session, held, log, feedback in zip(
        practice_set.sessions[: len(HELD)], HELD, LOGS, FEEDBACK, strict=True
    ):
        _hold(session, held, ids, fatima, actions)
        _report_back(session, actions, fatima)
        after = session.ends_at + timedelta(hours=2)
        db.session.add(
            SessionLog(
                session_id=session.id,
                author_id=fatima.id,
                went_well=log[0],
                do_differently=log[1],
                created_at=after,
                updated_at=after,
            )
        )
        answered, answers = feedback
        for email in answered:
            db.session.add(
                FeedbackReceipt(session_id=session.id, user_id=ids[email], created_at=after)
            )
        for kept, fair, helped, clear, comment in answers:
            db.session.add(
                FeedbackResponse(
                    session_id=session.id,
                    kept_to_time=kept,
                    fair_say=fair,
                    questions_helped=helped,
                    clear_action=clear,
                    comment=comment,
                )
            )
    db.session.flush()
    one, two, three = practice_set.sessions[:3]
    _observe(one, fatima, dev, BUDDY, BUDDY_1, None, days=1)
    _observe(two, fatima, sam, SUPERVISOR, SIGNED_OFF, Outcome.SIGNED_OFF, days=2)
    # Her self-assessment was recorded at the moment Sam recorded the observation of session 3.
    _observe(three, fatima, fatima, SELF, SELF_3, None, days=1)
    _observe(three, fatima, sam, SUPERVISOR, NOT_YET, Outcome.NOT_YET, days=1)
    return practice_set


def _hold(
    session: PracticeSession,
    held: dict,
    ids: dict[str, int],
    by: User,
    actions: dict[tuple[int, str, int], Action],
) -> None:
    """A past session: started and closed, the register, presenters and their actions."""
    session.started_at = session.starts_at + timedelta(minutes=2)
    session.closed_at = session.ends_at - timedelta(minutes=1)
    session.reminder_sent_at = session.starts_at - timedelta(hours=24)
    for email, user_id in ids.items():
        session.attendance.append(
            PracticeAttendance(
                user_id=user_id,
                status=held["register"].get(email, AS.PRESENT),
                recorded_by_id=by.id,
                recorded_at=session.started_at + timedelta(minutes=5),
            )
        )
    for position, (email, theme, challenge, drafts) in enumerate(held["presenters"], start=1):
        at = session.starts_at + timedelta(minutes=25 + 35 * position)
        presentation = Presentation(
            session_id=session.id,
            set_id=session.set_id,
            presenter_id=ids[email],
            position=position,
            theme=theme,
            challenge=challenge,
            created_at=at,
            updated_at=at,
        )
        db.session.add(presentation)
        db.session.flush()
        for n, (text, supports, risks) in enumerate(drafts, start=1):
            action = Action(
                presentation_id=presentation.id,
                set_id=session.set_id,
                session_id=session.id,
                owner_id=ids[email],
                position=n,
                text=text,
                supports=supports,
                risks=risks,
                created_at=at,
                updated_at=at,
            )
            db.session.add(action)
            actions[(session.number, email, n)] = action
    db.session.flush()


def _report_back(
    session: PracticeSession, actions: dict[tuple[int, str, int], Action], by: User
) -> None:
    at = session.starts_at + timedelta(minutes=18)
    for key, reports in FOLLOW_THROUGH.items():
        for number, status, note in reports:
            if number == session.number:
                db.session.add(
                    FollowThrough(
                        action_id=actions[key].id,
                        session_id=session.id,
                        status=status,
                        learning_note=note,
                        recorded_by_id=by.id,
                        recorded_at=at,
                    )
                )


def _observe(
    session: PracticeSession,
    facilitator: User,
    observer: User,
    kind: ObservationKind,
    content: tuple[dict, str],
    outcome: Outcome | None,
    days: int,
) -> Observation:
    """A recorded observation. The ratings are stored before ``recorded_at`` is, because
    the model refuses a rating for an observation already recorded in the database."""
    ratings, summary = content
    at = session.ends_at + timedelta(days=days)
    observation = Observation(
        session_id=session.id,
        facilitator_id=facilitator.id,
        observer_id=observer.id,
        kind=kind,
        outcome=outcome,
        summary=summary,
        created_at=session.ends_at,
        updated_at=at,
        ratings=[
            ObservationRating(criterion=criterion, rating=rating, comment=comment)
            for criterion, (rating, comment) in ratings.items()
        ],
    )
    db.session.add(observation)
    db.session.flush()
    observation.recorded_at = at
    db.session.flush()
    entry = audit.record(
        "observation.recorded",
        observation,
        actor=observer,
        kind=kind,
        session=session.id,
        facilitator=facilitator.id,
        outcome=outcome,
    )
    entry.at = at
    if outcome is Outcome.SIGNED_OFF:
        entry = audit.record(
            "observation.signed_off",
            observation,
            actor=observer,
            session=session.id,
            facilitator=facilitator.id,
        )
        entry.at = at
    return observation


def _seed_set_2(
    intake: Intake, trainees: dict[str, User], people: dict[str, User], lead: User
) -> PracticeSet:
    kwame, bethan = people["kwame.asante@example.org"], people["bethan.morgan@example.org"]
    # Thursdays, from one and a half to two and a half weeks ahead.
    first = _weekday_on_or_before(today() + timedelta(days=16), 3)
    practice_set = _new_set(
        intake,
        "Set 2",
        [kwame, bethan],
        [trainees[email] for email in SET_2],
        first,
        time(14, 0),
        lead,
        mode=DeliveryMode.BLENDED,
        venue="Seminar room 2, Stratford Education Centre, London E15",
        joining_link="https://meet.example.org/als-set-2",
    )
    for member in practice_set.members[:2]:
        member.charter_acknowledged_at = practice_set.confirmed_at + timedelta(days=1)
    db.session.flush()
    return practice_set
