"""The pure allocator's data to and from the database: a GMTS cohort's unplaced trainees
and an intake's free facilitator teams as :mod:`lms.practice.allocation` dataclasses, and
the allocator's reasons as stored dicts and as sentences for leads.

``allocation_runs`` uses these to run the allocator and check a lead's hand edits.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.applications.models import DeliveryMode, Intake
from lms.applications.queries import FacilitatorProfile, facilitator_profiles
from lms.buddy.models import BuddyGroup, BuddyStatus
from lms.extensions import db
from lms.practice import allocation
from lms.practice.models import (
    PracticeSet,
    SetFacilitator,
    SetMember,
    SetStatus,
    TraineeProfile,
)

# The allocator's reason codes as sentences for leads. A test checks every code has one.
REASON_LABELS = {
    # Hard rules: confirming is refused while a set breaks one.
    "line_manager_in_set": _l("A line manager and their direct report are in the same set"),
    "same_organisation_as_facilitator": _l(
        "A trainee is from the same organisation as a facilitator"
    ),
    "facilitator_is_line_manager": _l("A facilitator is a trainee's line manager"),
    "set_too_small": _l("Fewer than 5 trainees"),
    "set_too_large": _l("More than 8 trainees"),
    "trainee_placed_twice": _l("A trainee is in more than one set"),
    "facilitator_in_two_sets": _l("A facilitator is facilitating more than one set"),
    # Why a trainee could not be placed.
    "too_few_trainees": _l("Too few trainees left to form a set of at least 5"),
    "no_team_without_conflict": _l(
        "Every facilitator team has someone from their organisation or their line manager"
    ),
    "not_enough_teams": _l("Not enough facilitator teams for everyone"),
    "too_few_for_another_set": _l(
        "A facilitator team is free, but too few trainees are left to start another set"
    ),
    "line_manager_conflict": _l("Could not be kept apart from their line manager or report"),
    # Preferences not met in a set.
    "organisation_repeated": _l("More than one trainee from the same organisation"),
    "mode_mismatch": _l("A trainee cannot meet the way this set meets"),
    "mode_partly_met": _l(
        "The way this set meets only partly suits a trainee (one of the two is blended)"
    ),
    "region_mismatch": _l("A trainee is from another region than the one this set meets in"),
}


def reason_text(reason: dict) -> str:
    """A stored allocator reason as a sentence (falls back to the code if unknown)."""
    label = REASON_LABELS.get(reason.get("code", ""))
    return str(label) if label is not None else reason.get("code", "")


def _reason_dict(reason: allocation.Reason) -> dict:
    return {
        "code": reason.code,
        "trainee_ids": list(reason.trainee_ids),
        "facilitator_ids": list(reason.facilitator_ids),
        "detail": reason.detail,
    }


# --- From the database to the allocator ------------------------------------------------------


def _region_value(region) -> str | None:
    return region.value if region is not None else None


def gmts_cohorts() -> list[str]:
    return list(
        db.session.scalars(
            db.select(TraineeProfile.gmts_intake).distinct().order_by(TraineeProfile.gmts_intake)
        )
    )


def unallocated_trainees(gmts_intake: str) -> list[allocation.Trainee]:
    """The cohort's trainees not yet in a confirmed set."""
    placed = (
        db.select(SetMember.user_id)
        .join(PracticeSet)
        .where(PracticeSet.status == SetStatus.CONFIRMED)
    )
    rows = db.session.execute(
        db.select(TraineeProfile, User)
        .join(User, User.id == TraineeProfile.user_id)
        .where(
            TraineeProfile.gmts_intake == gmts_intake,
            User.is_active.is_(True),
            User.id.not_in(placed),
        )
        .options(db.joinedload(User.organisation))
        .order_by(User.id)
    ).all()
    return [
        allocation.Trainee(
            id=user.id,
            email=user.email,
            organisation=user.organisation.name if user.organisation else None,
            region=_region_value(profile.region),
            mode=_trainee_mode(profile.mode),
            line_manager_email=profile.line_manager_email,
        )
        for profile, user in rows
    ]


def _trainee_mode(mode: DeliveryMode | None) -> str | None:
    if mode in (None, DeliveryMode.BLENDED):
        return None
    return mode.value


def facilitator_pool(intake: Intake) -> list[FacilitatorProfile]:
    """Who may facilitate the intake's sets: its own trainee facilitators, then the faculty
    (anyone holding a valid award, from any intake), each once."""
    from lms.assessment.faculty import faculty_profiles  # assessment reads practice's models

    profiles = facilitator_profiles(intake.id)
    own = {p.user.id for p in profiles}
    return profiles + [p for p in faculty_profiles() if p.user.id not in own]


def facilitator_teams(intake: Intake, mode: str | None) -> list[allocation.Team]:
    """Who can take a set: each confirmed buddy pair (or triad) as a co-facilitating team,
    and each facilitator without a buddy (faculty included) on their own. People already
    facilitating a confirmed set are left out. ``mode`` sets every team's mode; None takes
    each team's own preference (blended when they differ)."""
    profiles = {p.user.id: p for p in facilitator_pool(intake)}
    busy = set(
        db.session.scalars(
            db.select(SetFacilitator.user_id)
            .join(PracticeSet)
            .where(PracticeSet.status == SetStatus.CONFIRMED, PracticeSet.intake_id == intake.id)
        )
    )
    groups = db.session.scalars(
        db.select(BuddyGroup)
        .where(BuddyGroup.intake_id == intake.id, BuddyGroup.status == BuddyStatus.CONFIRMED)
        .options(db.selectinload(BuddyGroup.members))
        .order_by(BuddyGroup.id)
    ).all()
    teams: list[list[int]] = []
    seen: set[int] = set()
    for group in groups:
        ids = [uid for uid in group.member_ids if uid in profiles and uid not in busy]
        if ids:
            teams.append(ids)
            seen.update(ids)
    teams += [[uid] for uid in profiles if uid not in seen and uid not in busy]
    return [_team(ids, profiles, mode) for ids in teams]


def _team(ids: list[int], profiles: dict, mode: str | None) -> allocation.Team:
    people = [profiles[uid] for uid in ids]
    if mode is None:
        modes = {p.preferred_mode.value for p in people if p.preferred_mode is not None}
        mode = modes.pop() if len(modes) == 1 else DeliveryMode.BLENDED.value
    first = people[0]
    return allocation.Team(
        key="-".join(str(uid) for uid in ids),
        facilitators=tuple(
            allocation.Facilitator(
                id=p.user.id,
                email=p.user.email,
                organisation=p.organisation_name,
                region=_region_value(p.region),
            )
            for p in people
        ),
        mode=mode,
        region=_region_value(first.region),
    )
