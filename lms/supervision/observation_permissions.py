"""Who may observe whom, and who may see, change, correct or reflect on an observation
(SPEC sections 5 and 7). The records and writes are in :mod:`lms.supervision.observations`.

- A supervisor observes, and may sign off, only the facilitators in groups they run now,
  and never themselves. A confirmed buddy observes formatively: no outcome.
- Drafts are the observer's alone. A recorded observation is seen by its observer, the
  facilitator, leads and the supervisor who runs the facilitator's group now.
- A recorded observation never changes, so a correction is a new record pointing at the
  old. A supervisor's is corrected by whoever supervises the facilitator now; a buddy's only
  by that buddy, while still their buddy.
- The facilitator reflects on a recorded supervisor's or buddy's observation of them that
  has not been replaced by a correction.
- Nothing here reads a presenter's challenge, actions or follow-through.
"""

from __future__ import annotations

from sqlalchemy.orm import aliased

from lms.accounts.models import Role, User
from lms.buddy.models import BuddyGroup, BuddyMember, BuddyStatus
from lms.extensions import db
from lms.practice.models import PracticeSession, PracticeSet, SetFacilitator, SetStatus
from lms.supervision.models import (
    GroupMembership,
    Observation,
    ObservationKind,
    SupervisionGroup,
)
from lms.supervision.permissions import runs

SUPERVISOR, BUDDY, SELF = ObservationKind.SUPERVISOR, ObservationKind.BUDDY, ObservationKind.SELF


def facilitates(user_id: int, session: PracticeSession) -> bool:
    """The person is one of the facilitators of the session's (confirmed) set."""
    return (
        db.session.scalar(
            db.select(SetFacilitator.id)
            .join(PracticeSet, PracticeSet.id == SetFacilitator.set_id)
            .where(
                SetFacilitator.set_id == session.set_id,
                SetFacilitator.user_id == user_id,
                PracticeSet.status == SetStatus.CONFIRMED,
            )
        )
        is not None
    )


def supervises(user: User, facilitator_id: int) -> bool:
    """``user`` runs a supervision group the facilitator is in now."""
    if not user.has_role(Role.SUPERVISOR):
        return False
    groups = db.session.scalars(
        db.select(SupervisionGroup)
        .join(GroupMembership)
        .where(
            GroupMembership.user_id == facilitator_id,
            GroupMembership.left_at.is_(None),
            SupervisionGroup.supervisor_id == user.id,
        )
    )
    return any(runs(user, group) for group in groups)


def are_buddies(user: User, facilitator_id: int) -> bool:
    """Both are in one confirmed buddy pair (or triad) and ``user`` is a facilitator."""
    if user.id == facilitator_id or not user.has_role(Role.FACILITATOR):
        return False
    mine, theirs = aliased(BuddyMember), aliased(BuddyMember)
    return (
        db.session.scalar(
            db.select(BuddyGroup.id)
            .join(mine, mine.group_id == BuddyGroup.id)
            .join(theirs, theirs.group_id == BuddyGroup.id)
            .where(
                BuddyGroup.status == BuddyStatus.CONFIRMED,
                mine.user_id == user.id,
                theirs.user_id == facilitator_id,
            )
            .limit(1)
        )
        is not None
    )


def is_superseded(observation_id: int) -> bool:
    """A recorded correction has replaced it."""
    return (
        db.session.scalar(
            db.select(Observation.id).where(
                Observation.corrects_id == observation_id, Observation.recorded_at.is_not(None)
            )
        )
        is not None
    )


def may_observe_as(
    user: User, facilitator_id: int, session: PracticeSession, kind: ObservationKind
) -> bool:
    if user.id == facilitator_id:
        return False  # nobody observes, still less signs off, their own practice
    if kind is SUPERVISOR:
        related = supervises(user, facilitator_id)
    elif kind is BUDDY:
        related = are_buddies(user, facilitator_id)
    else:
        return False
    return related and facilitates(facilitator_id, session)


def may_observe(user: User, facilitator: User, session: PracticeSession) -> ObservationKind | None:
    """How ``user`` may observe ``facilitator`` running ``session``: as their supervisor
    (which wins for someone who is both), as their buddy, or not at all."""
    for kind in (SUPERVISOR, BUDDY):
        if may_observe_as(user, facilitator.id, session, kind):
            return kind
    return None


def may_self_assess(user: User, session: PracticeSession) -> bool:
    return user.has_role(Role.FACILITATOR) and facilitates(user.id, session)


def can_see(user: User, observation: Observation) -> bool:
    """The observer always; once recorded, the facilitator, leads, and the supervisor who
    runs the facilitator's group now."""
    if observation.observer_id == user.id:
        return True
    if not observation.is_recorded:
        return False
    if observation.facilitator_id == user.id or user.has_role(Role.LEAD):
        return True
    return supervises(user, observation.facilitator_id)


def can_edit(user: User, observation: Observation) -> bool:
    return observation.observer_id == user.id and not observation.is_recorded


def can_correct(user: User, observation: Observation) -> bool:
    """A recorded supervisor's observation by whoever supervises the facilitator now (its
    observer or a successor); a buddy's only by that buddy, while still their buddy."""
    if observation.kind is SELF or not observation.is_recorded:
        return False
    if observation.kind is BUDDY and observation.observer_id != user.id:
        return False
    return may_observe_as(user, observation.facilitator_id, observation.session, observation.kind)


def can_reflect(user: User, observation: Observation) -> bool:
    """The facilitator, on a recorded supervisor's or buddy's observation that has not been
    replaced by a correction."""
    return (
        observation.facilitator_id == user.id
        and user.has_role(Role.FACILITATOR)
        and observation.kind is not SELF
        and observation.is_recorded
        and not is_superseded(observation.id)
    )
