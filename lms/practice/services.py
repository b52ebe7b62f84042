"""Observed practice around the pure allocator and equity rules: allocation runs and hand
edits, confirming sets, scheduling, running sessions (register, presenters, actions,
follow-through, stages), the charter, facilitators' logs and anonymous feedback.

Plain functions, tested without HTTP. Every function checks its input before it changes
anything, because the request commits whatever was changed even after a handled error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from lms import audit
from lms.accounts.models import Region, User
from lms.accounts.services import invitation_link
from lms.applications.models import DeliveryMode, Intake
from lms.applications.queries import facilitator_profiles
from lms.buddy.models import BuddyGroup, BuddyStatus
from lms.calendar import CalendarEvent, event_uid, ics_many
from lms.curriculum.services import LONDON, london_to_utc
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import absolute_url, tell
from lms.practice import allocation, equity, holidays, queries
from lms.practice.models import (
    Action,
    AllocationRun,
    FeedbackReceipt,
    FeedbackResponse,
    FollowThrough,
    FollowThroughStatus,
    PracticeAttendance,
    PracticeAttendanceStatus,
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

TEXT_MAX = 2_000
FEEDBACK_THRESHOLD = 3  # responses before a facilitator sees anything
MIN_SESSIONS, MAX_SESSIONS = 4, 6
FINAL = {
    FollowThroughStatus.DONE,
    FollowThroughStatus.PARTLY,
    FollowThroughStatus.NOT_DONE,
    FollowThroughStatus.DROPPED,
}

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


class PracticeError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


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


def facilitator_teams(intake: Intake, mode: str | None) -> list[allocation.Team]:
    """Who can take a set: each confirmed buddy pair (or triad) as a co-facilitating team,
    and each facilitator without a buddy on their own. People already facilitating a
    confirmed set are left out. ``mode`` sets every team's mode; None takes each team's
    own preference (blended when they differ)."""
    profiles = {p.user.id: p for p in facilitator_profiles(intake.id)}
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
    """Change who facilitates a proposed set (one to three people from its intake)."""
    _proposed(practice_set)
    ids = list(dict.fromkeys(user_ids))
    if not 1 <= len(ids) <= 3:
        raise PracticeError(_("Select one, two or three facilitators"), "facilitators")
    allowed = {p.user.id for p in facilitator_profiles(practice_set.intake_id)}
    if not set(ids) <= allowed:
        raise PracticeError(_("Select facilitators from this intake"), "facilitators")
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


# --- Scheduling ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchedulePlan:
    first: date
    starts: time
    count: int
    every_weeks: int = 2
    minutes: int = 90
    nation: str = "england_wales"


def preview_schedule(plan: SchedulePlan) -> list[holidays.PlannedDate]:
    _check_plan(plan)
    return holidays.plan_dates(plan.first, plan.count, plan.every_weeks, plan.nation)


def _check_plan(plan: SchedulePlan) -> None:
    if not MIN_SESSIONS <= plan.count <= MAX_SESSIONS:
        raise PracticeError(_("A set meets 4, 5 or 6 times"), "count")
    if not 1 <= plan.every_weeks <= 6:
        raise PracticeError(_("Sessions are 1 to 6 weeks apart"), "every_weeks")
    if not 30 <= plan.minutes <= 180:
        raise PracticeError(_("A session lasts between 30 and 180 minutes"), "minutes")
    if plan.nation not in holidays.NATIONS:
        raise PracticeError(_("Select whose bank holidays to avoid"), "nation")


def schedule_set(
    practice_set: PracticeSet,
    plan: SchedulePlan,
    venue: str | None,
    joining_link: str | None,
    by: User,
) -> list[PracticeSession]:
    """Book the set's sessions, moving any that fall on a bank holiday of its nation, and
    send everyone the calendar invitation."""
    if practice_set.status != SetStatus.CONFIRMED:
        raise PracticeError(_("Confirm the set before booking its sessions"))
    if practice_set.sessions:
        raise PracticeError(_("This set's sessions are already booked"))
    _check_place(practice_set.mode, venue, joining_link)
    dates = preview_schedule(plan)
    if london_to_utc(dates[0].day, plan.starts) < utcnow():
        raise PracticeError(_("The first session must be in the future"), "first")
    practice_set.nation = plan.nation
    practice_set.venue = venue or None
    practice_set.joining_link = joining_link or None
    for number, planned in enumerate(dates, start=1):
        starts_at = london_to_utc(planned.day, plan.starts)
        practice_set.sessions.append(
            PracticeSession(
                number=number,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=plan.minutes),
                moved_from=london_to_utc(planned.moved_from, plan.starts)
                if planned.moved_from
                else None,
                holiday=planned.holiday.code if planned.holiday else None,
            )
        )
    db.session.flush()
    audit.record("practice.sessions_booked", practice_set, actor=by, count=len(dates))
    _send_invitations(practice_set)
    return practice_set.sessions


def _check_place(mode: DeliveryMode, venue: str | None, joining_link: str | None) -> None:
    if mode in (DeliveryMode.IN_PERSON, DeliveryMode.BLENDED) and not venue:
        raise PracticeError(_("Enter where the set will meet"), "venue")
    if mode in (DeliveryMode.ONLINE, DeliveryMode.BLENDED) and not joining_link:
        raise PracticeError(_("Enter the joining link for the online sessions"), "joining_link")


def calendar_events(practice_set: PracticeSet) -> list[CalendarEvent]:
    """One event per session, with the place and joining link (stable UIDs)."""
    place = " · ".join(x for x in (practice_set.venue, practice_set.joining_link) if x)
    return [
        CalendarEvent(
            uid=event_uid("practice-session", s.id),
            summary=_(
                "%(set)s: action learning set, session %(number)d",
                set=practice_set.name,
                number=s.number,
            ),
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            description=_(
                "Action learning set session %(number)d of %(total)d. %(where)s",
                number=s.number,
                total=len(practice_set.sessions),
                where=place,
            ),
            location=practice_set.venue or practice_set.joining_link or "",
            url=absolute_url("practice.show_session", session_id=s.id),
            sequence=s.sequence,
        )
        for s in practice_set.sessions
    ]


def _send_invitations(practice_set: PracticeSet) -> None:
    link = absolute_url("practice.show_set", set_id=practice_set.id)
    people = [f.user for f in practice_set.facilitators] + [m.user for m in practice_set.members]
    for person in people:
        tell(
            person,
            lambda: _("Your action learning set's sessions are booked"),
            lambda name=practice_set.name, n=len(practice_set.sessions): _(  # noqa: B008
                "%(name)s has %(count)d sessions booked. The calendar invitation has the "
                "dates, times and how to join.",
                name=name,
                count=n,
            ),
            link,
            lambda: _("See the sessions"),
            calendar=lambda: ics_many(calendar_events(practice_set)),
        )


# --- Running a session -----------------------------------------------------------------------


def start_session(session: PracticeSession, by: User) -> None:
    if session.closed_at is not None:
        raise PracticeError(_("This session has ended"))
    if session.started_at is None:
        session.started_at = utcnow()
        session.stage = "check_in"
        session.stage_round = 0
        session.stage_started_at = session.started_at
        audit.record("practice.session_started", session, actor=by)


def stages(session: PracticeSession, presenters: int | None = None) -> list[equity.Stage]:
    """The session's stages: two presenters' worth, or more if more are presenting
    (``presenters`` if the caller has counted them already)."""
    if presenters is None:
        presenters = queries.presentation_count(session.id)
    return equity.plan_stages(session.minutes, max(presenters, 2))


def go_to_stage(session: PracticeSession, step: int, by: User) -> None:
    """Move the console to stage ``step`` (its index in :func:`stages`) and restart its clock."""
    if session.started_at is None or session.closed_at is not None:
        raise PracticeError(_("Start the session first"))
    plan = stages(session)
    if not 0 <= step < len(plan):
        raise PracticeError(_("There is no such stage"))
    session.stage = plan[step].key
    session.stage_round = plan[step].round
    session.stage_started_at = utcnow()


def close_session(session: PracticeSession, by: User) -> None:
    """End the session: everyone on the register, and every presenter with an action."""
    if session.closed_at is not None:
        return
    if session.started_at is None:
        raise PracticeError(_("Start the session first"))
    register = queries.register(session.id)
    missing = [m for m in session.set.members if m.user_id not in register]
    if missing:
        raise PracticeError(
            _("Complete the register: %(name)s has no entry", name=missing[0].user.name),
            "register",
        )
    for presentation in queries.presentations(session.id):
        if not presentation.actions:
            raise PracticeError(
                _(
                    "Record at least one action for %(name)s, or remove them as a presenter",
                    name=presentation.presenter.name,
                ),
                "presenters",
            )
    session.closed_at = utcnow()
    session.stage = None
    audit.record("practice.session_closed", session, actor=by)


def reopen_session(session: PracticeSession, by: User) -> None:
    if session.closed_at is None:
        return
    session.closed_at = None
    session.stage = "check_out"
    session.stage_started_at = utcnow()
    audit.record("practice.session_reopened", session, actor=by)


def record_register(
    session: PracticeSession, statuses: dict[int, PracticeAttendanceStatus], by: User
) -> None:
    members = set(session.set.member_ids)
    if not set(statuses) <= members:
        raise PracticeError(_("Only the set's members can be on its register"))
    started = session.started_at is not None or session.starts_at <= utcnow()
    if not started and any(s != PracticeAttendanceStatus.APOLOGIES for s in statuses.values()):
        raise PracticeError(
            _("Before the session starts you can only record apologies"), "register"
        )
    existing = {a.user_id: a for a in session.attendance}
    for user_id, status in statuses.items():
        line = existing.get(user_id)
        if line is None:
            session.attendance.append(
                PracticeAttendance(user_id=user_id, status=status, recorded_by_id=by.id)
            )
        elif line.status != status:
            line.status = status
            line.recorded_by_id = by.id
    db.session.flush()


def add_presenter(session: PracticeSession, user_id: int, by: User) -> Presentation:
    _open(session)
    if user_id not in session.set.member_ids:
        raise PracticeError(_("Select a member of the set"), "presenter")
    current = queries.presentations(session.id)
    if any(p.presenter_id == user_id for p in current):
        raise PracticeError(_("They are already presenting at this session"), "presenter")
    if queries.register(session.id).get(user_id) in (
        PracticeAttendanceStatus.APOLOGIES,
        PracticeAttendanceStatus.ABSENT,
    ):
        raise PracticeError(_("Someone who is not here cannot present"), "presenter")
    presentation = Presentation(
        session_id=session.id,
        set_id=session.set_id,
        presenter_id=user_id,
        position=len(current) + 1,
    )
    db.session.add(presentation)
    db.session.flush()
    return presentation


def remove_presenter(presentation: Presentation, by: User) -> None:
    _open(presentation.session)
    if queries.action_ids(presentation.id):
        raise PracticeError(_("Remove their actions first"), "presenters")
    db.session.delete(presentation)
    db.session.flush()


@dataclass
class ActionDraft:
    text: str = ""
    supports: str = ""
    risks: str = ""


def save_presentation(
    presentation: Presentation,
    theme: Theme | None,
    challenge: str | None,
    actions: Sequence[ActionDraft],
    by: User,
) -> None:
    """The presenter's challenge (confidential), its theme and their one or two actions.

    A blank action is removed, unless it has been reported back on already."""
    _open(presentation.session)
    drafts = list(actions)[:2]
    for n, draft in enumerate(drafts, start=1):
        for value in (draft.text, draft.supports, draft.risks):
            if len(value or "") > TEXT_MAX:
                raise PracticeError(
                    _("Action %(n)d must be 2,000 characters or fewer", n=n), f"action_{n}"
                )
        if not (draft.text or "").strip() and (
            (draft.supports or "").strip() or (draft.risks or "").strip()
        ):
            raise PracticeError(
                _("Enter action %(n)d, or clear its supports and risks", n=n), f"action_{n}_text"
            )
    if challenge and len(challenge) > TEXT_MAX:
        raise PracticeError(_("The challenge must be 2,000 characters or fewer"), "challenge")
    existing = {a.position: a for a in queries.actions_of(presentation.id)}
    reported = queries.reported_action_ids([a.id for a in existing.values()])
    for n in range(1, 3):
        draft = drafts[n - 1] if n <= len(drafts) else ActionDraft()
        if not draft.text.strip() and n in existing and existing[n].id in reported:
            raise PracticeError(
                _("Action %(n)d has been reported back on, so it cannot be removed", n=n),
                f"action_{n}_text",
            )
    presentation.theme = theme
    presentation.challenge = (challenge or "").strip() or None
    for n in range(1, 3):
        draft = drafts[n - 1] if n <= len(drafts) else ActionDraft()
        action = existing.get(n)
        if draft.text.strip():
            if action is None:
                action = Action(
                    presentation_id=presentation.id,
                    set_id=presentation.set_id,
                    session_id=presentation.session_id,
                    owner_id=presentation.presenter_id,
                    position=n,
                    text="",
                )
                db.session.add(action)
            action.text = draft.text.strip()
            action.supports = draft.supports.strip() or None
            action.risks = draft.risks.strip() or None
        elif action is not None:
            db.session.delete(action)
    db.session.flush()


def _open(session: PracticeSession) -> None:
    if session.closed_at is not None:
        raise PracticeError(_("This session has ended. Reopen it to make changes"))


def record_follow_through(
    session: PracticeSession,
    entries: dict[int, tuple[FollowThroughStatus, str | None]],
    by: User,
) -> None:
    """Report-back on earlier actions at this session."""
    _open(session)
    open_ids = {item.action.id for item in queries.report_back(session)}
    if not set(entries) <= open_ids:
        raise PracticeError(_("Those actions are not for report-back at this session"))
    for _status, note in entries.values():
        if note and len(note) > TEXT_MAX:
            raise PracticeError(_("A learning note must be 2,000 characters or fewer"))
    existing = {
        f.action_id: f
        for f in db.session.scalars(
            db.select(FollowThrough).where(FollowThrough.session_id == session.id)
        )
    }
    for action_id, (status, note) in entries.items():
        record = existing.get(action_id)
        note = (note or "").strip() or None
        if record is None:
            db.session.add(
                FollowThrough(
                    action_id=action_id,
                    session_id=session.id,
                    status=status,
                    learning_note=note,
                    recorded_by_id=by.id,
                )
            )
        elif (record.status, record.learning_note) != (status, note):
            record.status = status
            record.learning_note = note
            record.recorded_by_id = by.id
    db.session.flush()


def ledger(practice_set: PracticeSet) -> list[equity.LedgerEntry]:
    counts = queries.presentation_ledger(practice_set.id)
    return [
        equity.LedgerEntry(
            user_id=m.user_id,
            name=m.user.name,
            presentations=counts.get(m.user_id, (0, None))[0],
            last_presented=counts.get(m.user_id, (0, None))[1],
        )
        for m in practice_set.members
    ]


# --- Trainees: the charter and feedback ------------------------------------------------------


def acknowledge_charter(member: SetMember, by: User) -> None:
    if member.user_id != by.id:
        raise PracticeError(_("Only the member can acknowledge the charter"))
    if member.charter_acknowledged_at is None:
        member.charter_acknowledged_at = utcnow()
        audit.record("practice.charter_acknowledged", member.set, actor=by)


FEEDBACK_QUESTIONS = {
    "kept_to_time": _l("The facilitator kept the session to time"),
    "fair_say": _l("Everyone had a fair say"),
    "questions_helped": _l(
        "Questions helped me think for myself, rather than telling me what to do"
    ),
    "clear_action": _l("I left with a clear next step"),
}
AGREEMENT = {
    1: _l("Strongly disagree"),
    2: _l("Disagree"),
    3: _l("Neither agree nor disagree"),
    4: _l("Agree"),
    5: _l("Strongly agree"),
}


def can_give_feedback(session: PracticeSession, user: User) -> bool:
    return (
        user.id in session.set.member_ids
        and session.starts_at <= utcnow()
        and not queries.gave_feedback(session.id, user.id)
    )


def give_feedback(
    session: PracticeSession, user: User, answers: dict[str, int], comment: str | None
) -> None:
    """Anonymous: the response carries no person; the receipt stops a second answer."""
    if user.id not in session.set.member_ids:
        raise PracticeError(_("Only the set's members give feedback on its sessions"))
    if session.starts_at > utcnow():
        raise PracticeError(_("You can give feedback once the session has taken place"))
    if queries.gave_feedback(session.id, user.id):
        raise PracticeError(_("You have already given feedback on this session"))
    if set(answers) != set(FEEDBACK_QUESTIONS) or not all(1 <= v <= 5 for v in answers.values()):
        raise PracticeError(_("Answer every question"))
    if comment and len(comment) > TEXT_MAX:
        raise PracticeError(_("Your comment must be 2,000 characters or fewer"), "comment")
    db.session.add(FeedbackReceipt(session_id=session.id, user_id=user.id))
    db.session.add(
        FeedbackResponse(session_id=session.id, comment=(comment or "").strip() or None, **answers)
    )
    db.session.flush()


# --- Facilitators' logs ----------------------------------------------------------------------


def save_log(
    session: PracticeSession, author: User, went_well: str, do_differently: str
) -> SessionLog:
    if author.id not in session.set.facilitator_ids:
        raise PracticeError(_("Only the set's facilitators write its session logs"))
    if session.starts_at > utcnow():
        raise PracticeError(_("You can write the log once the session has taken place"))
    if not went_well.strip():
        raise PracticeError(_("Enter what went well"), "went_well")
    if not do_differently.strip():
        raise PracticeError(_("Enter what you would do differently"), "do_differently")
    if len(went_well) > TEXT_MAX or len(do_differently) > TEXT_MAX:
        raise PracticeError(_("Each answer must be 2,000 characters or fewer"))
    log = queries.session_log(session.id, author.id)
    if log is None:
        log = SessionLog(
            session_id=session.id, author_id=author.id, went_well="", do_differently=""
        )
        db.session.add(log)
    log.went_well = went_well.strip()
    log.do_differently = do_differently.strip()
    db.session.flush()
    return log


def local_start(session: PracticeSession) -> datetime:
    return session.starts_at.astimezone(LONDON)


def summary_csv(practice_set: PracticeSet) -> str:
    """One row per session: date, register counts, presenters, themes and follow-through
    counts. Built from the count queries only, so no confidential text can reach it."""
    import csv
    import io

    session_ids = [s.id for s in practice_set.sessions]
    presenters = queries.session_presenter_counts(session_ids)
    themes = queries.themes_of(session_ids)
    registers = queries.register_counts(session_ids)
    follow = queries.follow_through_counts(session_ids)
    out = io.StringIO()
    writer = csv.writer(out)
    statuses = list(PracticeAttendanceStatus)
    outcomes = list(FollowThroughStatus)
    writer.writerow(
        [_("Session"), _("Date")]
        + [s.label for s in statuses]
        + [_("Presenters"), _("Themes")]
        + [_("Report-back: %(status)s", status=s.label) for s in outcomes]
    )
    for session in practice_set.sessions:
        writer.writerow(
            [session.number, local_start(session).strftime("%Y-%m-%d %H:%M")]
            + [registers.get((session.id, s), 0) for s in statuses]
            + [presenters.get(session.id, 0), "; ".join(t.label for t in themes[session.id])]
            + [follow.get((session.id, s), 0) for s in outcomes]
        )
    return out.getvalue()


def send_session_reminders(now: datetime | None = None) -> int:
    """Remind each set session's members and facilitators the day before; facilitators'
    reminders list the members' access needs. Idempotent: one reminder per session."""
    now = now or utcnow()
    sent = 0
    due = db.session.scalars(
        db.select(PracticeSession)
        .join(PracticeSet)
        .where(
            PracticeSet.status == SetStatus.CONFIRMED,
            PracticeSession.starts_at > now,
            PracticeSession.starts_at <= now + timedelta(hours=24),
            PracticeSession.reminder_sent_at.is_(None),
        )
        .order_by(PracticeSession.starts_at)
    ).all()
    for session in due:
        practice_set = queries.practice_set(session.set_id)
        link = absolute_url("practice.show_session", session_id=session.id)
        for person in [f.user for f in practice_set.facilitators]:
            tell(
                person,
                lambda: _("Reminder: your action learning set meets tomorrow"),
                lambda s=session, ps=practice_set: _(
                    "%(set)s, session %(number)d, starts at %(time)s. Members' access needs: "
                    "%(needs)s",
                    set=ps.name,
                    number=s.number,
                    time=local_start(s).strftime("%H:%M"),
                    needs=_needs_text(ps),
                ),
                link,
                lambda: _("Open the session"),
            )
        for person in [m.user for m in practice_set.members]:
            tell(
                person,
                lambda: _("Reminder: your action learning set meets tomorrow"),
                lambda s=session, ps=practice_set: _(
                    "%(set)s, session %(number)d, starts at %(time)s.",
                    set=ps.name,
                    number=s.number,
                    time=local_start(s).strftime("%H:%M"),
                ),
                link,
                lambda: _("See the session"),
            )
        session.reminder_sent_at = now
        sent += 1
    db.session.flush()
    return sent


def _needs_text(practice_set: PracticeSet) -> str:
    """Members' access needs in one line, in the reader's language."""
    lines = []
    for member in practice_set.members:
        user = member.user
        needs = user.access_needs + ([user.access_notes] if user.access_notes else [])
        if needs:
            lines.append(f"{user.name}: {', '.join(needs)}")
    return "; ".join(lines) if lines else _("none recorded")
