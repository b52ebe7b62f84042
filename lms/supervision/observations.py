"""Observations of facilitators running their set sessions (SPEC sections 5 and 7): single
records, drafting and recording against the criteria, corrections, self-assessments and
reflections. Who may observe and see what is in
:mod:`lms.supervision.observation_permissions`; the list pages' reads are in
:mod:`lms.supervision.observation_queries`.

- Drafts are the observer's alone. Recording needs every criterion rated and, for a
  supervisor, an outcome. A recorded observation never changes (the model refuses), so a
  correction is a new record pointing at the old; the latest in a chain is what counts.
- Self-assessment locking: the facilitator can change their self-assessment of a session
  (it stays a draft, which only they see) until a supervisor's observation of that session
  for them is recorded. At that moment it is recorded as it stands, even if some criteria
  are unrated (it is their own view, not a judgement), so from then on it cannot change and
  it lines up, readable by the supervisor and leads, beside the supervisor's ratings. The
  supervisor's judgement is formed without it, and it cannot be rewritten afterwards to
  match theirs. A self-assessment is never recorded or corrected by hand.
- Nothing here reads a presenter's challenge, actions or follow-through.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy.orm import aliased, joinedload, selectinload

from lms import audit
from lms.accounts.models import User
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import absolute_url, tell
from lms.practice.models import PracticeSession
from lms.supervision.models import (
    Criterion,
    Observation,
    ObservationKind,
    ObservationRating,
    ObservationReflection,
    Outcome,
    Rating,
)
from lms.supervision.observation_permissions import (
    can_correct,
    can_reflect,
    can_see,
    may_observe,
    may_observe_as,
    may_self_assess,
)
from lms.supervision.services import TEXT_MAX, SupervisionError

COMMENT_MAX = 2_000  # the messages say "2,000": change them with it
REASON_MAX = 2_000

SUPERVISOR, BUDDY, SELF = ObservationKind.SUPERVISOR, ObservationKind.BUDDY, ObservationKind.SELF

Ratings = Mapping[Criterion, tuple[Rating | None, str | None]]


class ObservationError(SupervisionError):
    """A refusal; ``problems`` holds one (field, message) per problem, so a form can show a
    missing rating against each criterion."""

    def __init__(
        self,
        message: str,
        field: str | None = None,
        problems: list[tuple[str | None, str]] | None = None,
    ) -> None:
        super().__init__(message, field)
        self.problems = problems or [(field, message)]


def rating_field(criterion: Criterion) -> str:
    return f"rating_{criterion.value}"


def comment_field(criterion: Criterion) -> str:
    return f"comment_{criterion.value}"


# --- Single records ---------------------------------------------------------------------


def load_options():
    return (
        joinedload(Observation.session).joinedload(PracticeSession.set),
        joinedload(Observation.observer).lazyload(User.role_grants),
        joinedload(Observation.facilitator).lazyload(User.role_grants),
    )


def observation(observation_id: int) -> Observation | None:
    return db.session.scalar(
        db.select(Observation)
        .where(Observation.id == observation_id)
        .options(
            *load_options(),
            selectinload(Observation.ratings),
            joinedload(Observation.corrects)
            .joinedload(Observation.observer)
            .lazyload(User.role_grants),
        )
    )


def practice_session(session_id: int) -> PracticeSession | None:
    return db.session.scalar(
        db.select(PracticeSession)
        .where(PracticeSession.id == session_id)
        .options(joinedload(PracticeSession.set))
    )


def correction_of(observation_id: int) -> Observation | None:
    """The record that corrects this one (a draft or recorded), if any."""
    return db.session.scalar(
        db.select(Observation)
        .where(Observation.corrects_id == observation_id)
        .options(*load_options())
    )


def not_superseded():
    later = aliased(Observation)
    return ~(
        db.select(later.id)
        .where(later.corrects_id == Observation.id, later.recorded_at.is_not(None))
        .exists()
    )


def reflection(observation_id: int) -> ObservationReflection | None:
    return db.session.scalar(
        db.select(ObservationReflection).where(
            ObservationReflection.observation_id == observation_id
        )
    )


def own_observation(
    observer_id: int, facilitator_id: int, session_id: int, kind: ObservationKind
) -> Observation | None:
    """The observer's draft for the session if they have one, else their latest record."""
    return db.session.scalar(
        db.select(Observation)
        .where(
            Observation.observer_id == observer_id,
            Observation.facilitator_id == facilitator_id,
            Observation.session_id == session_id,
            Observation.kind == kind,
        )
        .order_by(Observation.recorded_at.is_not(None), Observation.id.desc())
        .limit(1)
    )


def self_assessment_of(facilitator_id: int, session_id: int) -> Observation | None:
    return db.session.scalar(
        db.select(Observation)
        .where(
            Observation.facilitator_id == facilitator_id,
            Observation.observer_id == facilitator_id,
            Observation.session_id == session_id,
            Observation.kind == SELF,
        )
        .options(selectinload(Observation.ratings))
        .order_by(Observation.id)
        .limit(1)
    )


def self_assessment_locked(facilitator_id: int, session_id: int) -> bool:
    """A supervisor's observation of the session for this facilitator has been recorded."""
    return (
        db.session.scalar(
            db.select(Observation.id).where(
                Observation.facilitator_id == facilitator_id,
                Observation.session_id == session_id,
                Observation.kind == SUPERVISOR,
                Observation.recorded_at.is_not(None),
            )
        )
        is not None
    )


def latest_buddy_observation(facilitator_id: int) -> Observation | None:
    """The facilitator's most recent recorded (and current) buddy observation."""
    return db.session.scalar(
        db.select(Observation)
        .join(Observation.session)
        .where(
            Observation.facilitator_id == facilitator_id,
            Observation.kind == BUDDY,
            Observation.recorded_at.is_not(None),
            not_superseded(),
        )
        .options(*load_options(), selectinload(Observation.ratings))
        .order_by(PracticeSession.starts_at.desc(), Observation.recorded_at.desc())
        .limit(1)
    )


def companions(viewer: User, shown: Observation) -> tuple[Observation | None, Observation | None]:
    """What lines up beside an observation for ``viewer``: the facilitator's self-assessment
    of the same session and their latest buddy observation, each only if ``viewer`` may
    see it (and not the observation itself)."""
    own = None
    if shown.kind is not SELF:
        own = self_assessment_of(shown.facilitator_id, shown.session_id)
    buddy = latest_buddy_observation(shown.facilitator_id) if shown.kind is not BUDDY else None
    return (
        own if own is not None and can_see(viewer, own) else None,
        buddy if buddy is not None and can_see(viewer, buddy) else None,
    )


def ratings_by_criterion(observation: Observation | None) -> dict[Criterion, ObservationRating]:
    return {r.criterion: r for r in observation.ratings} if observation is not None else {}


# --- Writing observations -----------------------------------------------------------------


def _unsaved(
    session: PracticeSession, facilitator: User, observer: User, kind: ObservationKind
) -> Observation:
    """A new observation, not yet added to the database session."""
    return Observation(
        session=session,
        facilitator=facilitator,
        observer=observer,
        session_id=session.id,
        facilitator_id=facilitator.id,
        observer_id=observer.id,
        kind=kind,
    )


def start_or_get_draft(observer: User, facilitator: User, session: PracticeSession) -> Observation:
    """The observer's draft of ``session`` for ``facilitator``. A new draft is only stored
    when it is first saved (see :func:`save_observation`), so opening the page or a refused
    first save leaves nothing behind."""
    kind = may_observe(observer, facilitator, session)
    if kind is None:
        raise ObservationError(_("You cannot observe this facilitator's sessions."))
    existing = own_observation(observer.id, facilitator.id, session.id, kind)
    if existing is not None and not existing.is_recorded:
        return existing
    if existing is not None:
        raise ObservationError(
            _("You have already recorded an observation of this session. To change it, correct it.")
        )
    return _unsaved(session, facilitator, observer, kind)


def self_assessment(facilitator: User, session: PracticeSession) -> Observation:
    """The facilitator's self-assessment of ``session``, or a new one (stored when saved)."""
    if not may_self_assess(facilitator, session):
        raise ObservationError(_("You can only assess yourself on sessions you facilitate."))
    existing = self_assessment_of(facilitator.id, session.id)
    if existing is not None:
        return existing
    return _unsaved(session, facilitator, facilitator, SELF)


def _check_access(observation: Observation, record: bool, by: User) -> None:
    if observation.is_recorded:
        raise ObservationError(_("This observation has been recorded, so it cannot be changed."))
    if observation.observer_id != by.id:
        raise ObservationError(_("Only the person observing can change this observation."))
    if observation.kind is SELF:
        if not may_self_assess(by, observation.session):
            raise ObservationError(_("You can only assess yourself on sessions you facilitate."))
        if record:
            raise ObservationError(
                _(
                    "Your self-assessment is recorded when your supervisor records their "
                    "observation of the session."
                )
            )
        if self_assessment_locked(observation.facilitator_id, observation.session_id):
            raise ObservationError(
                _(
                    "Your supervisor has recorded their observation of this session, so your "
                    "self-assessment can no longer be changed."
                )
            )
    elif not may_observe_as(by, observation.facilitator_id, observation.session, observation.kind):
        raise ObservationError(_("You can no longer observe this facilitator's sessions."))
    # Started means started at the console too (it may start early), as for its register.
    session = observation.session
    if record and session.started_at is None and session.starts_at > utcnow():
        raise ObservationError(_("You can record the observation once the session has started."))


def _check_values(
    kind: ObservationKind, ratings: Ratings, summary: str | None, outcome, record: bool
) -> tuple[dict[Criterion, tuple[Rating | None, str | None]], str | None]:
    """The ratings and summary, tidied; every problem found at once."""
    problems: list[tuple[str | None, str]] = []
    clean = {}
    for criterion in Criterion:
        rating, comment = ratings.get(criterion, (None, None))
        if rating is not None and not isinstance(rating, Rating):
            raise ObservationError(_("Select a rating from the list"), rating_field(criterion))
        comment = (comment or "").strip() or None
        label = criterion.label
        if comment and len(comment) > COMMENT_MAX:
            problems.append(
                (
                    comment_field(criterion),
                    _(
                        "The comment on %(criterion)s must be 2,000 characters or fewer",
                        criterion=label,
                    ),
                )
            )
        if rating is None and comment:
            problems.append(
                (
                    rating_field(criterion),
                    _(
                        "Select a rating for %(criterion)s to keep your comment on it",
                        criterion=label,
                    ),
                )
            )
        elif rating is None and record:
            problems.append(
                (rating_field(criterion), _("Select a rating for %(criterion)s", criterion=label))
            )
        clean[criterion] = (rating, comment)
    summary = (summary or "").strip() or None
    if summary and len(summary) > TEXT_MAX:
        problems.append(("summary", _("The summary must be 5,000 characters or fewer")))
    if kind is SUPERVISOR:
        if outcome is not None and not isinstance(outcome, Outcome):
            problems.append(("outcome", _("Select signed off or not yet")))
        elif record and outcome is None:
            problems.append(("outcome", _("Select the outcome: signed off or not yet")))
    elif outcome is not None:
        problems.append(
            (None, _("Only a supervisor's observation has an outcome. This one is formative."))
        )
    if kind is SELF and summary is None and all(r is None for r, _c in clean.values()):
        problems.append((None, _("Rate yourself on at least one criterion or write a summary")))
    if problems:
        raise ObservationError(problems[0][1], problems[0][0], problems)
    return clean, summary


def save_observation(
    observation: Observation,
    ratings: Ratings,
    summary: str | None,
    outcome: Outcome | None,
    record: bool,
    by: User,
) -> Observation:
    """Save a draft (it may be incomplete), or record it: every criterion rated and, for a
    supervisor, an outcome. Recording is final; the facilitator is told, and a supervisor's
    recording also records the facilitator's self-assessment of the session as it stands."""
    _check_access(observation, record, by)
    clean, summary = _check_values(observation.kind, ratings, summary, outcome, record)
    if observation.id is None:
        db.session.add(observation)
    existing = {r.criterion: r for r in observation.ratings}
    for criterion, (rating, comment) in clean.items():
        row = existing.get(criterion)
        if rating is None:
            if row is not None:
                observation.ratings.remove(row)
        elif row is None:
            observation.ratings.append(
                ObservationRating(criterion=criterion, rating=rating, comment=comment)
            )
        else:
            row.rating, row.comment = rating, comment
    observation.summary = summary
    observation.outcome = outcome
    observation.updated_at = utcnow()
    # Ratings go in first: the model refuses any rating written once recorded_at is stored.
    db.session.flush()
    if record:
        observation.recorded_at = utcnow()
        db.session.flush()
        _recorded(observation, by)
    return observation


def _recorded(observation: Observation, by: User) -> None:
    audit.record(
        "observation.recorded",
        observation,
        actor=by,
        kind=observation.kind,
        session=observation.session_id,
        facilitator=observation.facilitator_id,
        outcome=observation.outcome,
        corrects=observation.corrects_id,
    )
    if observation.outcome is Outcome.SIGNED_OFF:
        audit.record(
            "observation.signed_off",
            observation,
            actor=by,
            session=observation.session_id,
            facilitator=observation.facilitator_id,
        )
    if observation.corrects_id is not None:
        audit.record(
            "observation.corrected",
            observation,
            actor=by,
            corrects=observation.corrects_id,
            correction=observation.id,
            reason=observation.correction_reason,
        )
    if observation.kind is SUPERVISOR:
        _lock_self_assessment(observation, by)
    if observation.kind is not SELF:
        _tell_facilitator(observation, by)


def _lock_self_assessment(supervisor_observation: Observation, by: User) -> None:
    own = self_assessment_of(
        supervisor_observation.facilitator_id, supervisor_observation.session_id
    )
    if own is None or own.is_recorded:
        return
    own.recorded_at = utcnow()
    db.session.flush()
    audit.record(
        "observation.recorded",
        own,
        actor=by,
        kind=SELF,
        session=own.session_id,
        facilitator=own.facilitator_id,
        locked_by=supervisor_observation.id,
    )


def _tell_facilitator(observation: Observation, by: User) -> None:
    session = observation.session

    def day() -> str:
        return format_datetime(session.starts_at, "EEEE d MMMM yyyy")

    if observation.corrects_id is not None:
        subject, message = (
            lambda: _("An observation of your practice has been corrected"),
            lambda: _(
                "%(name)s has corrected the observation of your set session on %(day)s. The "
                "correction replaces it.",
                name=by.name,
                day=day(),
            ),
        )
    elif observation.kind is BUDDY:
        subject, message = (
            lambda: _("Your buddy has observed your practice"),
            lambda: _(
                "%(name)s has recorded their observation of your set session on %(day)s. It "
                "is formative feedback, not a sign-off.",
                name=by.name,
                day=day(),
            ),
        )
    elif observation.outcome is Outcome.SIGNED_OFF:
        subject, message = (
            lambda: _("Your observed practice has been signed off"),
            lambda: _(
                "%(name)s has recorded their observation of your set session on %(day)s and "
                "signed it off.",
                name=by.name,
                day=day(),
            ),
        )
    else:
        subject, message = (
            lambda: _("Your supervisor has recorded an observation of your practice"),
            lambda: _(
                "%(name)s has recorded their observation of your set session on %(day)s. It "
                "is not signed off yet.",
                name=by.name,
                day=day(),
            ),
        )
    tell(
        observation.facilitator,
        subject,
        message,
        absolute_url("supervision.show_observation", observation_id=observation.id),
        lambda: _("Read the observation and add your reflection:"),
    )


def correct(observation: Observation, by: User, reason: str) -> Observation:
    """Start a correction: a new draft of the same kind, session and facilitator, filled in
    from ``observation`` and pointing at it. The original never changes. Asking again for
    your own unfinished correction returns it."""
    reason = (reason or "").strip()
    if not reason:
        raise ObservationError(_("Enter why the observation needs correcting"), "reason")
    if len(reason) > REASON_MAX:
        raise ObservationError(_("The reason must be 2,000 characters or fewer"), "reason")
    if not observation.is_recorded:
        raise ObservationError(_("This observation is still a draft: change it instead."))
    existing = correction_of(observation.id)
    if existing is not None and existing.is_recorded:
        raise ObservationError(
            _("This observation has already been corrected. You can correct the correction.")
        )
    if existing is not None and existing.observer_id != by.id:
        raise ObservationError(
            _(
                "%(name)s has already started correcting this observation.",
                name=existing.observer.name,
            )
        )
    if not can_correct(by, observation):
        raise ObservationError(
            _("Only the observer or the facilitator's supervisor can correct this observation.")
        )
    if existing is not None:
        existing.correction_reason = reason
        db.session.flush()
        return existing
    draft = Observation(
        session_id=observation.session_id,
        facilitator_id=observation.facilitator_id,
        observer_id=by.id,
        kind=observation.kind,
        outcome=observation.outcome,
        summary=observation.summary,
        corrects_id=observation.id,
        correction_reason=reason,
        ratings=[
            ObservationRating(criterion=r.criterion, rating=r.rating, comment=r.comment)
            for r in observation.ratings
        ],
    )
    db.session.add(draft)
    db.session.flush()
    audit.record("observation.correction_started", draft, actor=by, corrects=observation.id)
    return draft


def save_reflection(observation: Observation, by: User, text: str) -> ObservationReflection:
    """The facilitator's reflection on a recorded observation of them. It is theirs, so they
    can change it."""
    text = (text or "").strip()
    if not text:
        raise ObservationError(_("Enter your reflection"), "text")
    if len(text) > TEXT_MAX:
        raise ObservationError(_("Your reflection must be 5,000 characters or fewer"), "text")
    if not can_reflect(by, observation):
        raise ObservationError(
            _(
                "You can only reflect on a recorded observation of your own practice that "
                "has not been corrected."
            )
        )
    row = reflection(observation.id)
    if row is None:
        row = ObservationReflection(observation_id=observation.id, author_id=by.id, text=text)
        db.session.add(row)
    else:
        row.text = text
    db.session.flush()
    audit.record("observation.reflection_saved", observation, actor=by)
    return row
