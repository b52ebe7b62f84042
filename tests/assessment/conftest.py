"""Fixtures for the portfolio and award: people around an intake, evidence of every kind
made cheaply (rows written directly, as the sources read them), and ``make_ready`` for
someone who meets every default criterion."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from lms.accounts.models import Role, User
from lms.applications.models import Intake
from lms.assessment.models import EvidenceUpload
from lms.buddy.models import BuddyGroup, BuddyMember, BuddyStatus, CheckIn
from lms.curriculum import queries as curriculum_queries
from lms.curriculum.models import AttendanceStatus, ModuleCompletion
from lms.curriculum.services import join_intake
from lms.db_types import utcnow
from lms.extensions import db
from lms.practice.models import FeedbackResponse, PracticeSet, SessionLog
from lms.supervision.models import (
    GroupMembership,
    Observation,
    ObservationKind,
    Outcome,
    SessionMode,
    SupervisionAttendance,
    SupervisionCase,
    SupervisionGroup,
    SupervisionSession,
)


class EvidenceBuilder:
    """Makes portfolio evidence for a person in an intake, a few rows at a time."""

    def __init__(self, make_user, make_set) -> None:
        self.make_user = make_user
        self.make_set = make_set
        self.counter = itertools.count(1)

    # Supervision ------------------------------------------------------------------------

    def group_of(self, user: User) -> SupervisionGroup | None:
        return db.session.scalar(
            db.select(SupervisionGroup)
            .join(GroupMembership, GroupMembership.group_id == SupervisionGroup.id)
            .where(GroupMembership.user_id == user.id, GroupMembership.left_at.is_(None))
        )

    def group(self, user: User, intake: Intake, supervisor: User | None = None) -> SupervisionGroup:
        """The person's supervision group, made (with ``supervisor``) if they have none."""
        found = self.group_of(user)
        if found is not None:
            return found
        supervisor = supervisor or self.make_user(Role.SUPERVISOR)
        group = SupervisionGroup(
            intake_id=intake.id, name=f"Group {next(self.counter)}", supervisor_id=supervisor.id
        )
        db.session.add(group)
        db.session.flush()
        db.session.add(GroupMembership(group_id=group.id, user_id=user.id))
        db.session.flush()
        return group

    def supervision(self, user: User, intake: Intake, count: int = 1) -> SupervisionGroup:
        """``count`` past supervision sessions the person attended."""
        group = self.group(user, intake)
        for _n in range(count):
            starts = utcnow() - timedelta(days=next(self.counter))
            session = SupervisionSession(
                group_id=group.id,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=90),
                mode=SessionMode.ONLINE,
                joining_link="https://meet.example.org/sup",
            )
            db.session.add(session)
            db.session.flush()
            db.session.add(
                SupervisionAttendance(
                    session_id=session.id, user_id=user.id, status=AttendanceStatus.PRESENT
                )
            )
        db.session.flush()
        return group

    def cases(self, user: User, intake: Intake, count: int = 1) -> None:
        group = self.group(user, intake)
        for n in range(count):
            db.session.add(
                SupervisionCase(
                    user_id=user.id,
                    group_id=group.id,
                    what_happened=f"Case {n}",
                    help_wanted="Ideas",
                )
            )
        db.session.flush()

    # Buddies ----------------------------------------------------------------------------

    def check_ins(self, user: User, intake: Intake, count: int = 1) -> BuddyGroup:
        buddy = self.make_user(Role.FACILITATOR)
        pair = BuddyGroup(
            intake_id=intake.id,
            status=BuddyStatus.CONFIRMED,
            members=[BuddyMember(user_id=user.id), BuddyMember(user_id=buddy.id)],
        )
        db.session.add(pair)
        db.session.flush()
        for n in range(count):
            db.session.add(
                CheckIn(
                    group_id=pair.id,
                    met_on=(utcnow() - timedelta(days=n + 1)).date(),
                    minutes=30,
                    logged_by_id=user.id,
                )
            )
        db.session.flush()
        return pair

    # Sets, sessions, logs, observations and feedback -------------------------------------

    def practice_set(
        self, user: User, intake: Intake, held: int = 4, logs: int = 0, sessions: int = 0
    ) -> PracticeSet:
        """A confirmed set the person facilitates alone, with ``held`` sessions closed
        and a session log on each of the first ``logs`` sessions."""
        total = max(held, logs, sessions, 1)
        first = (utcnow() - timedelta(weeks=total + 1)).replace(second=0, microsecond=0)
        practice_set = self.make_set(
            facilitators=[user], trainees=0, sessions=total, intake=intake, first=first
        )
        practice_set.confirmed_at = first - timedelta(days=7)
        for session in practice_set.sessions[:held]:
            session.closed_at = session.ends_at
        for session in practice_set.sessions[:logs]:
            db.session.add(
                SessionLog(
                    session_id=session.id,
                    author_id=user.id,
                    went_well="Timing",
                    do_differently="Silence",
                )
            )
        db.session.flush()
        return practice_set

    def observations(
        self,
        user: User,
        practice_set: PracticeSet,
        count: int = 1,
        observer: User | None = None,
        outcome: Outcome | None = Outcome.SIGNED_OFF,
        kind: ObservationKind = ObservationKind.SUPERVISOR,
    ) -> list[Observation]:
        """Recorded observations of the person on the set's first ``count`` sessions."""
        observer = observer or self.make_user(Role.SUPERVISOR)
        made = [
            Observation(
                session_id=session.id,
                facilitator_id=user.id,
                observer_id=observer.id,
                kind=kind,
                outcome=outcome if kind is ObservationKind.SUPERVISOR else None,
                summary="Well held",
                recorded_at=utcnow(),
            )
            for session in practice_set.sessions[:count]
        ]
        db.session.add_all(made)
        db.session.flush()
        return made

    def feedback(self, practice_set: PracticeSet, responses: int = 3) -> None:
        for _n in range(responses):
            db.session.add(
                FeedbackResponse(
                    session_id=practice_set.sessions[0].id,
                    kept_to_time=5,
                    fair_say=4,
                    questions_helped=4,
                    clear_action=3,
                )
            )
        db.session.flush()

    # Modules and uploads ----------------------------------------------------------------

    def core_modules(self, user: User) -> None:
        """Complete every current core module (there are none unless a test synced them)."""
        for module in curriculum_queries.current_modules():
            if module.is_core:
                db.session.add(
                    ModuleCompletion(user_id=user.id, module_id=module.id, version=module.version)
                )
        db.session.flush()

    def uploads(self, user: User, count: int = 1, **fields) -> list[EvidenceUpload]:
        made = []
        for _n in range(count):
            n = next(self.counter)
            values = {
                "owner_id": user.id,
                "storage_name": f"stored-{user.id}-{n}",
                "filename": f"evidence-{n}.pdf",
                "content_type": "application/pdf",
                "size": 2048 + n,
                "description": f"Evidence {n}",
                "outcomes": ["reflect", "inquiry"],
                **fields,
            }
            made.append(EvidenceUpload(**values))
        db.session.add_all(made)
        db.session.flush()
        return made


@pytest.fixture
def evidence_maker(db, make_user, make_set) -> EvidenceBuilder:
    return EvidenceBuilder(make_user, make_set)


@pytest.fixture
def make_ready(evidence_maker):
    """``make_ready(user, intake)``: evidence that meets every default criterion: core
    modules, 6 supervision sessions, a set with 6 sessions held and 6 session logs, 2
    observations signed off and 4 buddy check-ins."""

    def make(user: User, intake: Intake) -> PracticeSet:
        join_intake(intake, user)
        evidence_maker.core_modules(user)
        group = evidence_maker.supervision(user, intake, count=6)
        practice_set = evidence_maker.practice_set(user, intake, held=6, logs=6)
        evidence_maker.observations(
            user, practice_set, count=2, observer=db.session.get(User, group.supervisor_id)
        )
        evidence_maker.check_ins(user, intake, count=4)
        return practice_set

    return make


# --- People around an intake ---------------------------------------------------------------------


@pytest.fixture
def intake(make_intake):
    return make_intake(name="Award intake")


@pytest.fixture
def lead(make_user):
    return make_user(Role.LEAD, name="Lena Lead")


@pytest.fixture
def supervisor(make_user):
    return make_user(Role.SUPERVISOR, name="Sam Supervisor")


@pytest.fixture
def facilitator(make_user, intake, supervisor, evidence_maker):
    """A trainee facilitator in the intake, in ``supervisor``'s group."""
    user = make_user(Role.FACILITATOR, name="Fran Facilitator")
    join_intake(intake, user)
    evidence_maker.group(user, intake, supervisor)
    return user


@pytest.fixture
def switch(client, login):
    """Sign in as someone else on the same client (signing out whoever was signed in);
    ``switch(None)`` leaves nobody signed in."""

    def do(user: User | None):
        client._cookies.clear()
        if user is not None:
            login(user)
        return client

    return do
