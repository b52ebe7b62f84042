"""The observation list pages' reads: a supervisor's facilitators with their sessions to
observe, a facilitator's own observations, and the lead's list. Each runs a fixed number
of queries whatever the data size. Nothing here reads a presenter's challenge, actions or
follow-through."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.buddy import queries as buddy_queries
from lms.db_types import utcnow
from lms.extensions import db
from lms.practice.models import PracticeSession, PracticeSet, SetFacilitator, SetStatus
from lms.supervision import queries as supervision_queries
from lms.supervision.models import (
    Observation,
    ObservationReflection,
    Outcome,
    SupervisionGroup,
)
from lms.supervision.observations import (
    BUDDY,
    SELF,
    SUPERVISOR,
    load_options,
    not_superseded,
)
from lms.supervision.permissions import runs

PAST_WINDOW = timedelta(weeks=8)  # sessions the list pages offer to observe
FUTURE_WINDOW = timedelta(weeks=4)
PAGE_SIZE = 50


def window(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or utcnow()
    return now - PAST_WINDOW, now + FUTURE_WINDOW


def _sessions_run_by(user_ids: list[int]) -> dict[int, list[PracticeSession]]:
    """Each person's confirmed sets' sessions in the window, in date order (one query)."""
    if not user_ids:
        return {}
    start, end = window()
    rows = db.session.execute(
        db.select(SetFacilitator.user_id, PracticeSession)
        .join(PracticeSet, PracticeSet.id == SetFacilitator.set_id)
        .join(PracticeSession, PracticeSession.set_id == PracticeSet.id)
        .where(
            SetFacilitator.user_id.in_(user_ids),
            PracticeSet.status == SetStatus.CONFIRMED,
            PracticeSession.starts_at >= start,
            PracticeSession.starts_at <= end,
        )
        .options(joinedload(PracticeSession.set))
        .order_by(PracticeSession.starts_at, PracticeSession.id)
    ).all()
    sessions: dict[int, list[PracticeSession]] = {}
    for user_id, session in rows:
        sessions.setdefault(user_id, []).append(session)
    return sessions


def _observations(*where) -> list[Observation]:
    return list(
        db.session.scalars(
            db.select(Observation)
            .join(Observation.session)
            .where(*where)
            .options(*load_options())
            .order_by(PracticeSession.starts_at.desc(), Observation.id.desc())
        )
    )


def _superseded_ids(observations: list[Observation]) -> set[int]:
    return {o.corrects_id for o in observations if o.is_recorded and o.corrects_id is not None}


def _pick_own(observations: list[Observation]) -> dict[tuple[int, int], Observation]:
    """(session id, facilitator id) -> the observer's draft, else their latest record."""
    own: dict[tuple[int, int], Observation] = {}
    for o in observations:
        key = (o.session_id, o.facilitator_id)
        held = own.get(key)
        if held is None or (not o.is_recorded, o.id) > (not held.is_recorded, held.id):
            own[key] = o
    return own


@dataclass
class SessionLine:
    session: PracticeSession
    facilitator: User
    own: Observation | None  # the viewer's observation of it, if any
    observable: bool = True  # False for a supervisor's own sessions in their own group


@dataclass
class FacilitatorObservations:
    facilitator: User
    group: SupervisionGroup
    sessions: list[SessionLine]
    recorded: list[Observation]
    superseded: set[int]
    signed_off: int


def supervisor_overview(user: User) -> list[FacilitatorObservations]:
    """For each facilitator in the groups ``user`` runs: their sets' sessions in the window
    and the observations of them recorded (with ``user``'s own drafts). Constant queries."""
    groups = [g for g in supervision_queries.groups_run_by(user.id) if runs(user, g)]
    people = [(m.user, g) for g in groups for m in g.current_members]
    ids = [person.id for person, _group in people]
    sessions = _sessions_run_by(ids)
    found = (
        _observations(
            Observation.facilitator_id.in_(ids),
            db.or_(Observation.recorded_at.is_not(None), Observation.observer_id == user.id),
        )
        if ids
        else []
    )
    superseded = _superseded_ids(found)
    mine = _pick_own([o for o in found if o.observer_id == user.id and o.kind is SUPERVISOR])
    result = []
    for person, group in people:
        recorded = [o for o in found if o.facilitator_id == person.id and o.is_recorded]
        lines = [
            SessionLine(s, person, mine.get((s.id, person.id)), person.id != user.id)
            for s in sessions.get(person.id, [])
        ]
        signed_off = sum(
            1
            for o in recorded
            if o.kind is SUPERVISOR and o.outcome is Outcome.SIGNED_OFF and o.id not in superseded
        )
        result.append(
            FacilitatorObservations(person, group, lines, recorded, superseded, signed_off)
        )
    return result


@dataclass
class SelfLine:
    session: PracticeSession
    assessment: Observation | None
    locked: bool


@dataclass
class MyObservations:
    observed: list[Observation]  # recorded supervisor and buddy observations of me
    superseded: set[int]
    reflected: set[int]  # observation ids I have reflected on
    self_lines: list[SelfLine]
    buddy_lines: list[SessionLine] = field(default_factory=list)
    buddy_recorded: list[Observation] = field(default_factory=list)  # mine, of my buddies


def facilitator_overview(user: User) -> MyObservations:
    """A facilitator's page: observations of them, their self-assessments against their
    sessions, and their buddies' sessions they may observe. Constant queries."""
    about_me = _observations(
        Observation.facilitator_id == user.id,
        db.or_(Observation.recorded_at.is_not(None), Observation.observer_id == user.id),
    )
    observed = [o for o in about_me if o.kind is not SELF and o.is_recorded]
    own_self = {o.session_id: o for o in about_me if o.kind is SELF}
    locked = {o.session_id for o in observed if o.kind is SUPERVISOR}
    reflected = set(
        db.session.scalars(
            db.select(ObservationReflection.observation_id).where(
                ObservationReflection.author_id == user.id
            )
        )
    )
    sessions = {s.id: s for s in _sessions_run_by([user.id]).get(user.id, [])}
    for o in own_self.values():
        sessions.setdefault(o.session_id, o.session)
    self_lines = [
        SelfLine(s, own_self.get(s.id), s.id in locked)
        for s in sorted(sessions.values(), key=lambda s: (s.starts_at, s.id))
    ]

    buddies: dict[int, User] = {}
    for group in buddy_queries.current_groups_of(user.id):
        for other in group.others(user.id):
            buddies.setdefault(other.id, other)
    by_buddy = _sessions_run_by(list(buddies))
    written = _observations(Observation.observer_id == user.id, Observation.kind == BUDDY)
    mine = _pick_own(written)
    buddy_lines = [
        SessionLine(s, buddies[buddy_id], mine.get((s.id, buddy_id)))
        for buddy_id, lines in by_buddy.items()
        for s in lines
    ]
    buddy_lines.sort(key=lambda line: (line.session.starts_at, line.facilitator.name))
    return MyObservations(
        observed=observed,
        superseded=_superseded_ids(about_me) | _superseded_ids(written),
        reflected=reflected,
        self_lines=self_lines,
        buddy_lines=buddy_lines,
        buddy_recorded=[o for o in written if o.is_recorded],
    )


def _in_intake(intake_id: int | None):
    if intake_id is None:
        return db.true()
    return Observation.session_id.in_(
        db.select(PracticeSession.id)
        .join(PracticeSet, PracticeSet.id == PracticeSession.set_id)
        .where(PracticeSet.intake_id == intake_id)
    )


def lead_page(intake_id: int | None, page: int):
    """Recorded observations, newest first, one page of them (Flask-SQLAlchemy Pagination)."""
    query = (
        db.select(Observation)
        .where(Observation.recorded_at.is_not(None), _in_intake(intake_id))
        .options(*load_options())
        .order_by(Observation.recorded_at.desc(), Observation.id.desc())
    )
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def superseded_among(observation_ids: list[int]) -> set[int]:
    if not observation_ids:
        return set()
    return set(
        db.session.scalars(
            db.select(Observation.corrects_id).where(
                Observation.corrects_id.in_(observation_ids), Observation.recorded_at.is_not(None)
            )
        )
    )


def outcome_counts(intake_id: int | None) -> dict[str, int]:
    """Current records (a corrected one counts through its correction): supervisors' by
    outcome, buddies' and self-assessments."""
    rows = db.session.execute(
        db.select(Observation.kind, Observation.outcome, db.func.count(Observation.id))
        .where(Observation.recorded_at.is_not(None), not_superseded(), _in_intake(intake_id))
        .group_by(Observation.kind, Observation.outcome)
    ).all()
    counts = {"signed_off": 0, "not_yet": 0, "buddy": 0, "self": 0}
    for kind, outcome, n in rows:
        key = outcome.value if kind is SUPERVISOR and outcome is not None else kind.value
        counts[key] = counts.get(key, 0) + n
    return counts
