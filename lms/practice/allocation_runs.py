"""Allocation runs: allocating a GMTS cohort's trainees to sets held as proposals for the
lead, the lead's hand edits (moving trainees, changing facilitators) with the rules
checked again, discarding proposals, and confirming a run, which tells everyone.

Plain functions, tested without HTTP. Every function checks its input before it changes
anything, because the request commits whatever was changed even after a handled error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from lms import audit
from lms.accounts.models import Region, User
from lms.accounts.services import invitation_link
from lms.applications.models import DeliveryMode, Intake
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import absolute_url, tell
from lms.practice import allocation, holidays, queries
from lms.practice.allocation_data import (
    _reason_dict,
    _region_value,
    _trainee_mode,
    facilitator_pool,
    facilitator_teams,
    unallocated_trainees,
)
from lms.practice.models import (
    AllocationRun,
    PracticeSet,
    SetFacilitator,
    SetMember,
    SetStatus,
    TraineeProfile,
)
from lms.practice.services import PracticeError

# --- Allocation runs -------------------------------------------------------------------------


def run_allocation(
    intake: Intake, gmts_intake: str, mode: str | None, by: User, seed: int = 0
) -> AllocationRun:
    """Allocate the cohort's unplaced trainees to sets, held as proposed for the lead."""
    if mode is not None and mode not in {m.value for m in DeliveryMode}:
        raise PracticeError(_("Select how the sets will meet"), "mode")
    trainees = unallocated_trainees(gmts_intake)
    if not trainees:
        raise PracticeError(_("Everyone in this GMTS intake is already in a set"), "gmts_intake")
    teams = facilitator_teams(intake, mode)
    if not teams:
        raise PracticeError(
            _("This intake has no trainee facilitators free to take a set"), "gmts_intake"
        )
    result = allocation.allocate(trainees, teams, seed=seed)
    discard_proposals(intake, by)
    run = AllocationRun(
        intake_id=intake.id,
        gmts_intake=gmts_intake,
        mode=mode,
        points=result.score,
        unplaced=[{"trainee_id": t.id, **_reason_dict(r)} for t, r in result.unplaced],
        created_by_id=by.id,
    )
    db.session.add(run)
    db.session.flush()
    taken = _taken_names(intake)
    for proposed in result.sets:
        name = _next_name(taken)
        taken.add(name)
        region = proposed.team.region
        practice_set = PracticeSet(
            intake_id=intake.id,
            gmts_intake=gmts_intake,
            name=name,
            run_id=run.id,
            mode=DeliveryMode(proposed.team.mode),
            region=Region(region) if region else None,
            nation=holidays.nation_for_region(region),
            points=proposed.score,
            reasons=[_reason_dict(r) for r in proposed.reasons],
            created_by_id=by.id,
        )
        practice_set.facilitators = [
            SetFacilitator(user_id=f.id) for f in proposed.team.facilitators
        ]
        practice_set.members = [SetMember(user_id=t.id) for t in proposed.trainees]
        db.session.add(practice_set)
    db.session.flush()
    audit.record(
        "practice.allocation_run",
        run,
        actor=by,
        gmts_intake=gmts_intake,
        sets=len(result.sets),
        unplaced=len(result.unplaced),
    )
    return run


def _taken_names(intake: Intake) -> set[str]:
    return set(
        db.session.scalars(
            db.select(PracticeSet.name).where(
                PracticeSet.intake_id == intake.id, PracticeSet.status == SetStatus.CONFIRMED
            )
        )
    )


def _next_name(taken: set[str]) -> str:
    n = 1
    while f"Set {n}" in taken:
        n += 1
    return f"Set {n}"


def discard_proposals(intake: Intake, by: User) -> int:
    """Throw away the intake's proposed sets (confirmed sets are untouched)."""
    proposed = db.session.scalars(
        db.select(PracticeSet).where(
            PracticeSet.intake_id == intake.id, PracticeSet.status == SetStatus.PROPOSED
        )
    ).all()
    for practice_set in proposed:
        db.session.delete(practice_set)
    for run in db.session.scalars(
        db.select(AllocationRun).where(
            AllocationRun.intake_id == intake.id,
            AllocationRun.confirmed_at.is_(None),
            AllocationRun.discarded_at.is_(None),
        )
    ):
        run.discarded_at = utcnow()
    if proposed:
        audit.record("practice.proposals_discarded", intake, actor=by, sets=len(proposed))
    db.session.flush()
    return len(proposed)


def _as_team(practice_set: PracticeSet) -> allocation.Team:
    return allocation.Team(
        key=str(practice_set.id),
        facilitators=tuple(
            allocation.Facilitator(
                id=f.user.id,
                email=f.user.email,
                organisation=f.user.organisation.name if f.user.organisation else None,
                region=_region_value(f.user.organisation.region if f.user.organisation else None),
            )
            for f in practice_set.facilitators
        ),
        mode=practice_set.mode.value,
        region=_region_value(practice_set.region),
    )


def _as_trainees(practice_set: PracticeSet, profiles: dict[int, TraineeProfile]) -> list:
    trainees = []
    for member in practice_set.members:
        user = member.user
        profile = profiles.get(user.id)
        trainees.append(
            allocation.Trainee(
                id=user.id,
                email=user.email,
                organisation=user.organisation.name if user.organisation else None,
                region=_region_value(profile.region) if profile else None,
                mode=_trainee_mode(profile.mode) if profile else None,
                line_manager_email=profile.line_manager_email if profile else None,
            )
        )
    return trainees


@dataclass
class SetCheck:
    practice_set: PracticeSet
    breaches: list[dict]  # hard rules broken: confirm refuses
    reasons: list[dict]  # preferences not met
    points: int


def check_sets(sets: Sequence[PracticeSet]) -> list[SetCheck]:
    """Re-check the rules and re-score each set (after a lead's hand edits)."""
    profiles = queries.trainee_profiles([uid for s in sets for uid in s.member_ids])
    checks = []
    proposed = []
    for practice_set in sets:
        team = _as_team(practice_set)
        trainees = _as_trainees(practice_set, profiles)
        breaches = allocation.check_set(team, trainees)
        points, reasons = allocation.score_set(team, trainees)
        proposed.append(allocation.ProposedSet(team, trainees, points, reasons))
        checks.append(
            SetCheck(
                practice_set,
                [_reason_dict(r) for r in breaches],
                [_reason_dict(r) for r in reasons],
                points,
            )
        )
    across = {"trainee_placed_twice", "facilitator_in_two_sets"}
    for reason in allocation.violations(proposed):
        if reason.code not in across:
            continue
        found = _reason_dict(reason)
        people = {*reason.trainee_ids, *reason.facilitator_ids}
        for check in checks:
            in_set = people & {*check.practice_set.member_ids, *check.practice_set.facilitator_ids}
            if in_set and found not in check.breaches:
                check.breaches.append(found)
    return checks


def _proposed(practice_set: PracticeSet) -> None:
    if practice_set.status != SetStatus.PROPOSED:
        raise PracticeError(_("This set has been confirmed, so it can no longer be changed here"))


def move_trainee(trainee_id: int, to_set: PracticeSet, by: User) -> None:
    """Move a trainee between the run's proposed sets (or into one, if unplaced)."""
    _proposed(to_set)
    if trainee_id in to_set.member_ids:
        raise PracticeError(_("They are already in this set"), "trainee")
    run_sets = queries.run_sets(to_set.run_id) if to_set.run_id else [to_set]
    if not db.session.scalar(db.select(TraineeProfile.id).filter_by(user_id=trainee_id)):
        raise PracticeError(_("Select a trainee"), "trainee")
    for practice_set in run_sets:
        for member in list(practice_set.members):
            if member.user_id == trainee_id:
                practice_set.members.remove(member)
    to_set.members.append(SetMember(user_id=trainee_id))
    _refresh(run_sets)
    audit.record("practice.trainee_moved", to_set, actor=by, trainee_id=trainee_id)


def set_facilitators(practice_set: PracticeSet, user_ids: Sequence[int], by: User) -> None:
    """Change who facilitates a proposed set (one to three people from its intake or the
    faculty)."""
    _proposed(practice_set)
    ids = list(dict.fromkeys(user_ids))
    if not 1 <= len(ids) <= 3:
        raise PracticeError(_("Select one, two or three facilitators"), "facilitators")
    allowed = {p.user.id for p in facilitator_pool(practice_set.intake)}
    if not set(ids) <= allowed:
        raise PracticeError(
            _("Select facilitators from this intake or the faculty"), "facilitators"
        )
    # Keep the rows of those who stay: a new row for the same person would be inserted
    # before the old one is deleted, and break the unique constraint.
    kept = [f for f in practice_set.facilitators if f.user_id in ids]
    staying = {f.user_id for f in kept}
    practice_set.facilitators = kept + [
        SetFacilitator(user_id=uid) for uid in ids if uid not in staying
    ]
    db.session.flush()
    db.session.refresh(practice_set)
    _refresh([practice_set])
    audit.record("practice.facilitators_set", practice_set, actor=by, facilitator_ids=ids)


def _refresh(sets: Sequence[PracticeSet]) -> None:
    db.session.flush()
    for practice_set in sets:
        db.session.refresh(practice_set)
    for check in check_sets(sets):
        check.practice_set.points = check.points
        check.practice_set.reasons = check.reasons


def confirm_run(run: AllocationRun, by: User) -> list[PracticeSet]:
    """Confirm every proposed set of the run, if no hard rule is broken; tell everyone."""
    if run.confirmed_at is not None or run.discarded_at is not None:
        raise PracticeError(_("These sets have already been confirmed or discarded"))
    sets = queries.run_sets(run.id)
    if not sets:
        raise PracticeError(_("There are no proposed sets to confirm"))
    broken = [c for c in check_sets(sets) if c.breaches]
    if broken:
        raise PracticeError(
            _(
                "%(name)s breaks a rule. Move people until every set keeps the rules, then confirm",
                name=broken[0].practice_set.name,
            )
        )
    now = utcnow()
    for practice_set in sets:
        practice_set.status = SetStatus.CONFIRMED
        practice_set.confirmed_at = now
    run.confirmed_at = now
    db.session.flush()
    for practice_set in sets:
        _tell_set_confirmed(practice_set)
    audit.record("practice.sets_confirmed", run, actor=by, sets=[s.id for s in sets])
    return sets


def _tell_set_confirmed(practice_set: PracticeSet) -> None:
    link = absolute_url("practice.show_set", set_id=practice_set.id)
    for facilitator in practice_set.facilitators:
        tell(
            facilitator.user,
            lambda: _("You are facilitating an action learning set"),
            lambda name=practice_set.name, n=len(practice_set.members): ngettext(  # noqa: B008
                "You are facilitating %(name)s, with %(num)d GMTS trainee. "
                "Book its sessions and read your members' access needs.",
                "You are facilitating %(name)s, with %(num)d GMTS trainees. "
                "Book its sessions and read your members' access needs.",
                n,
                name=name,
            ),
            link,
            lambda: _("See your set"),
        )
    for member in practice_set.members:
        user = member.user
        if user.last_login_at is None:
            link_for = invitation_link(user)
            message = lambda name=practice_set.name, invite=link_for: _(  # noqa: E731
                "You are a member of the action learning set %(name)s. Choose a password "
                "to sign in, within 14 days: %(invite)s",
                name=name,
                invite=invite,
            )
        else:
            message = lambda name=practice_set.name: _(  # noqa: E731
                "You are a member of the action learning set %(name)s.", name=name
            )
        tell(
            user,
            lambda: _("You have a place in an action learning set"),
            message,
            link,
            lambda: _("See your set"),
        )
