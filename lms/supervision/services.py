"""Supervision: forming groups, moving people between them, scheduling sessions, keeping
registers and notes, and cases. Plain functions, tested without HTTP; views call these."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import format_datetime
from flask_babel import gettext as _

from lms import audit
from lms.accounts.models import Role, User
from lms.applications.models import Intake
from lms.calendar import CalendarEvent, event_uid, ics_many
from lms.curriculum import queries as curriculum_queries
from lms.curriculum.models import AttendanceStatus
from lms.curriculum.services import london_to_utc
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import absolute_url, tell
from lms.supervision import queries
from lms.supervision.models import (
    GroupMembership,
    PrivateNote,
    SessionMode,
    SupervisionAttendance,
    SupervisionCase,
    SupervisionGroup,
    SupervisionSession,
)

NAME_MAX = 120
TEXT_MAX = 5_000  # the messages say "5,000": change them with it
SERIES_MAX = 12
CASE_WINDOW = timedelta(days=7)  # a case can be for a session up to a week past


class SupervisionError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def sessions_required(intake_id: int | None) -> int:
    """Supervision sessions the intake's award needs (its criteria, or the defaults)."""
    from lms.assessment.criteria import RequirementKind
    from lms.assessment.portfolio import required_count

    return required_count(intake_id, RequirementKind.SUPERVISION_SESSIONS)


# --- Groups ----------------------------------------------------------------------------


def _check_group(intake: Intake, name: str, supervisor: User | None, group_id: int | None):
    name = name.strip()
    if not name:
        raise SupervisionError(_("Enter a name for the group"), "name")
    if len(name) > NAME_MAX:
        raise SupervisionError(_("The name must be 120 characters or fewer"), "name")
    taken = db.session.scalar(
        db.select(SupervisionGroup.id).where(
            SupervisionGroup.intake_id == intake.id,
            db.func.lower(SupervisionGroup.name) == name.lower(),
        )
    )
    if taken is not None and taken != group_id:
        raise SupervisionError(_("This intake already has a group with that name"), "name")
    if supervisor is None or not supervisor.has_role(Role.SUPERVISOR) or not supervisor.is_active:
        raise SupervisionError(_("Select a supervisor"), "supervisor")
    return name


def create_group(
    intake: Intake, name: str, supervisor: User | None, members: list[User], by: User
) -> SupervisionGroup:
    """Form a group; anyone chosen who is already in another of the intake's groups moves."""
    name = _check_group(intake, name, supervisor, None)
    group = SupervisionGroup(
        intake_id=intake.id, name=name, supervisor_id=supervisor.id, created_by_id=by.id
    )
    db.session.add(group)
    db.session.flush()
    audit.record("supervision.group_formed", group, actor=by, supervisor=supervisor.id)
    for person in members:
        move_member(intake, person, group, by)
    return group


def update_group(group: SupervisionGroup, name: str, supervisor: User | None, by: User):
    name = _check_group(group.intake, name, supervisor, group.id)
    changed_supervisor = supervisor.id != group.supervisor_id
    group.name = name
    group.supervisor_id = supervisor.id
    db.session.flush()
    audit.record("supervision.group_changed", group, actor=by, supervisor=supervisor.id)
    if changed_supervisor:
        _tell_new_supervisor(group, supervisor)
    return group


def move_member(
    intake: Intake, person: User, to: SupervisionGroup | None, by: User
) -> GroupMembership | None:
    """Put ``person`` in group ``to`` (or in no group), ending their current membership.
    Nothing is deleted: the old row keeps when they joined and left."""
    if not curriculum_queries.is_member(person.id, intake.id):
        raise SupervisionError(_("Only the intake's trainee facilitators can be in its groups"))
    if to is not None and to.intake_id != intake.id:
        raise SupervisionError(_("Select one of this intake's groups"), "group")
    current = queries.current_membership(person.id, intake.id)
    if current is not None and to is not None and current.group_id == to.id:
        return current
    now = utcnow()
    if current is not None:
        current.left_at = now
        current.removed_by_id = by.id
    membership = None
    if to is not None:
        membership = GroupMembership(group_id=to.id, user_id=person.id, joined_at=now)
        membership.added_by_id = by.id
        to.memberships.append(membership)  # keeps a loaded group's list up to date
    db.session.flush()
    audit.record(
        "supervision.member_moved",
        person,
        actor=by,
        intake=intake.id,
        from_group=current.group_id if current else None,
        to_group=to.id if to else None,
    )
    if to is not None:
        _tell_member_placed(person, to)
    return membership


def group_mix(group: SupervisionGroup, profiles: Mapping[int, object]) -> dict:
    """How mixed a group is: distinct organisations, role families and sectors, and the
    organisations with more than one person in it (so a lead can spread them)."""
    people = [profiles[m.user_id] for m in group.current_members if m.user_id in profiles]
    names = Counter(p.organisation_name for p in people if p.organisation)
    return {
        "organisations": len(names),
        "role_families": len({p.staff_group for p in people if p.staff_group}),
        "sectors": len({p.sector for p in people if p.sector}),
        "shared": sorted(name for name, n in names.items() if n > 1),
    }


# --- Sessions --------------------------------------------------------------------------


@dataclass
class SessionPlan:
    """When and where a session is: the local (UK) date and time a supervisor types."""

    day: date
    start: time
    minutes: int
    mode: SessionMode
    venue: str | None = None
    joining_link: str | None = None

    def check(self) -> None:
        if not 30 <= self.minutes <= 240:
            raise SupervisionError(_("A session must last between 30 and 240 minutes"), "minutes")
        if self.mode is SessionMode.IN_PERSON and not (self.venue or "").strip():
            raise SupervisionError(_("Enter where the session will be held"), "venue")
        if self.mode is SessionMode.ONLINE and not (self.joining_link or "").strip():
            raise SupervisionError(_("Enter the link people use to join online"), "joining_link")

    def times(self, weeks_later: int = 0) -> tuple[datetime, datetime]:
        """Start and end in UTC; a later week keeps the same UK clock time across a change
        between GMT and BST."""
        starts = london_to_utc(self.day + timedelta(weeks=weeks_later), self.start)
        return starts, starts + timedelta(minutes=self.minutes)

    def apply(self, session: SupervisionSession, weeks_later: int = 0) -> bool:
        starts, ends = self.times(weeks_later)
        venue = self.venue.strip() if self.mode is SessionMode.IN_PERSON and self.venue else None
        link = self.joining_link.strip() if self.mode is SessionMode.ONLINE else None
        where = (starts, ends, self.mode, venue, link)
        moved = where != (
            session.starts_at,
            session.ends_at,
            session.mode,
            session.venue,
            session.joining_link,
        )
        session.starts_at, session.ends_at, session.mode = starts, ends, self.mode
        session.venue, session.joining_link = venue, link
        return moved


def schedule_sessions(
    group: SupervisionGroup, plan: SessionPlan, by: User, count: int = 1, every_weeks: int = 1
) -> list[SupervisionSession]:
    """Schedule one session, or a series of ``count`` every ``every_weeks`` weeks at the same
    time. The group is told once, with every session in one calendar invitation."""
    plan.check()
    if not 1 <= count <= SERIES_MAX:
        raise SupervisionError(_("A series can have between 1 and 12 sessions"), "count")
    if every_weeks not in (1, 2, 3, 4):
        raise SupervisionError(_("Select how often the sessions are"), "every_weeks")
    if plan.times()[0] <= utcnow():
        raise SupervisionError(_("The first session must be in the future"), "day")
    series_key = secrets.token_hex(8) if count > 1 else None
    sessions = []
    for n in range(count):
        session = SupervisionSession(group_id=group.id, series_key=series_key, created_by_id=by.id)
        plan.apply(session, weeks_later=n * every_weeks)
        db.session.add(session)
        sessions.append(session)
    db.session.flush()
    audit.record(
        "supervision.sessions_scheduled", group, actor=by, sessions=[s.id for s in sessions]
    )
    _tell_group(group, sessions, "scheduled")
    return sessions


def update_session(session: SupervisionSession, plan: SessionPlan, by: User):
    if session.is_cancelled:
        raise SupervisionError(_("This session has been cancelled, so it cannot be changed."))
    plan.check()
    starts, _ends = plan.times()
    if starts != session.starts_at and starts <= utcnow():
        raise SupervisionError(_("The session must be in the future"), "day")
    moved = plan.apply(session)
    if moved:
        session.sequence += 1
        session.reminder_sent_at = None  # a new time deserves a new reminder
    db.session.flush()
    audit.record("supervision.session_changed", session, actor=by, moved=moved)
    if moved:
        _tell_group(session.group, [session], "changed")
    return session


def cancel_session(session: SupervisionSession, reason: str, by: User) -> SupervisionSession:
    if session.is_cancelled:
        return session
    if any(a.status is AttendanceStatus.PRESENT for a in session.attendance):
        raise SupervisionError(
            _("People have been marked present at this session, so it cannot be cancelled.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise SupervisionError(_("Enter why the session is cancelled"), "reason")
    session.cancelled_at = utcnow()
    session.cancel_reason = reason
    session.sequence += 1
    db.session.flush()
    audit.record("supervision.session_cancelled", session, actor=by)
    if session.ends_at > utcnow():
        _tell_group(session.group, [session], "cancelled")
    return session


def register_people(session: SupervisionSession) -> list[User]:
    """Who belongs on a register: the group's current members, and anyone already on it
    (someone who has since moved group keeps their line)."""
    group = queries.group(session.group_id)
    people = {m.user_id: m.user for m in group.current_members}
    missing = [a.user_id for a in session.attendance if a.user_id not in people]
    if missing:
        for person in db.session.scalars(db.select(User).where(User.id.in_(missing))):
            people[person.id] = person
    return sorted(people.values(), key=lambda p: (p.name, p.id))


def record_register(
    session: SupervisionSession,
    statuses: Mapping[int, AttendanceStatus | None],
    by: User,
) -> int:
    """Save a session's register (person id -> status, None to clear). Present and absent
    only once it has started; apologies at any time. Returns how many lines changed."""
    if session.is_cancelled:
        raise SupervisionError(_("This session has been cancelled."))
    allowed = {p.id for p in register_people(session)}
    if set(statuses) - allowed:
        raise SupervisionError(_("Only the group's members can be on the register."))
    if session.starts_at > utcnow() and any(
        s in (AttendanceStatus.PRESENT, AttendanceStatus.ABSENT) for s in statuses.values()
    ):
        raise SupervisionError(
            _(
                "You can only mark people present or absent once the session has started. "
                "You can record apologies before then."
            )
        )
    lines = {a.user_id: a for a in session.attendance}
    changes = {}
    for user_id, status in statuses.items():
        line = lines.get(user_id)
        if (line.status if line else None) == status:
            continue
        if status is None:
            session.attendance.remove(line)
        elif line is None:
            session.attendance.append(
                SupervisionAttendance(user_id=user_id, status=status, recorded_by_id=by.id)
            )
        else:
            line.status, line.recorded_by_id = status, by.id
        changes[str(user_id)] = status.value if status else None
    db.session.flush()
    if changes:
        audit.record("supervision.register_saved", session, actor=by, changes=changes)
    return len(changes)


def save_notes(
    session: SupervisionSession, summary: str | None, private: str | None, by: User
) -> None:
    """The shared summary (the group reads it) and ``by``'s own private notes."""
    for text in (summary, private):
        if text and len(text) > TEXT_MAX:
            raise SupervisionError(_("Notes must be 5,000 characters or fewer"))
    summary = (summary or "").strip() or None
    if summary != session.shared_summary:
        session.shared_summary = summary
        session.summary_by_id = by.id
        session.summary_updated_at = utcnow()
    note = queries.private_note(session.id, by.id)
    private = (private or "").strip()
    if note is None and private:
        db.session.add(PrivateNote(session_id=session.id, author_id=by.id, text=private))
    elif note is not None and private:
        note.text = private
    elif note is not None:
        db.session.delete(note)
    db.session.flush()
    audit.record("supervision.notes_saved", session, actor=by)


# --- Cases -----------------------------------------------------------------------------


def _check_case_text(what_happened: str, help_wanted: str) -> tuple[str, str]:
    what_happened, help_wanted = (what_happened or "").strip(), (help_wanted or "").strip()
    if not what_happened:
        raise SupervisionError(_("Enter what happened"), "what_happened")
    if not help_wanted:
        raise SupervisionError(_("Enter what help you want"), "help_wanted")
    if len(what_happened) > TEXT_MAX or len(help_wanted) > TEXT_MAX:
        raise SupervisionError(_("Each answer must be 5,000 characters or fewer"))
    return what_happened, help_wanted


def can_take_case(session: SupervisionSession) -> bool:
    """A case can go to a session that is not cancelled, coming or up to a week past."""
    return not session.is_cancelled and session.starts_at >= utcnow() - CASE_WINDOW


def case_sessions(group: SupervisionGroup) -> list[SupervisionSession]:
    """The group's sessions a case can be brought to, in date order."""
    return [s for s in queries.group_sessions(group.id) if can_take_case(s)]


def bring_case(
    person: User,
    group: SupervisionGroup,
    session: SupervisionSession | None,
    what_happened: str,
    help_wanted: str,
) -> SupervisionCase:
    if not queries.is_current_member(person.id, group.id):
        raise SupervisionError(_("You can only bring a case to your own group"))
    if session is not None and (session.group_id != group.id or not can_take_case(session)):
        raise SupervisionError(_("Select one of your group's sessions"), "session")
    what_happened, help_wanted = _check_case_text(what_happened, help_wanted)
    case = SupervisionCase(
        user_id=person.id,
        group_id=group.id,
        session_id=session.id if session else None,
        what_happened=what_happened,
        help_wanted=help_wanted,
    )
    db.session.add(case)
    db.session.flush()
    audit.record("supervision.case_brought", case, actor=person, group=group.id)
    supervisor = group.supervisor
    tell(
        supervisor,
        lambda: _("A case for supervision from %(name)s", name=person.name),
        lambda: _(
            "%(name)s has brought a case to %(group)s and would like your response.",
            name=person.name,
            group=group.name,
        ),
        absolute_url("supervision.show_case", case_id=case.id),
        lambda: _("Read the case:"),
    )
    return case


def update_case(
    case: SupervisionCase, session: SupervisionSession | None, what_happened: str, help_wanted: str
) -> SupervisionCase:
    if case.responded_at is not None:
        raise SupervisionError(_("Your supervisor has responded, so the case cannot be changed."))
    if (
        session is not None
        and session.id != case.session_id
        and (session.group_id != case.group_id or not can_take_case(session))
    ):
        raise SupervisionError(_("Select one of your group's sessions"), "session")
    case.what_happened, case.help_wanted = _check_case_text(what_happened, help_wanted)
    case.session_id = session.id if session else None
    db.session.flush()
    audit.record("supervision.case_changed", case, actor=case.user)
    return case


def respond_to_case(case: SupervisionCase, response: str, by: User) -> SupervisionCase:
    response = (response or "").strip()
    if not response:
        raise SupervisionError(_("Enter your response"), "response")
    if len(response) > TEXT_MAX:
        raise SupervisionError(_("Your response must be 5,000 characters or fewer"), "response")
    first = case.responded_at is None
    case.response, case.responded_by_id, case.responded_at = response, by.id, utcnow()
    db.session.flush()
    audit.record("supervision.case_responded", case, actor=by)
    if first:
        tell(
            case.user,
            lambda: _("Your supervisor has responded to your case"),
            lambda: _(
                "%(name)s has responded to the case you brought to supervision.", name=by.name
            ),
            absolute_url("supervision.show_case", case_id=case.id),
            lambda: _("Read the response:"),
        )
    return case


# --- Telling people ---------------------------------------------------------------------


def _when(session: SupervisionSession) -> str:
    return format_datetime(session.starts_at, "EEEE d MMMM yyyy, HH:mm")


def session_label(session: SupervisionSession) -> str:
    """A session as a choice in a list: its day and time, in the UK."""
    return _(
        "%(day)s at %(time)s",
        day=format_datetime(session.starts_at, "EEEE d MMMM yyyy"),
        time=format_datetime(session.starts_at, "HH:mm"),
    )


def calendar_events(sessions: list[SupervisionSession]) -> list[CalendarEvent]:
    events = []
    for s in sessions:
        page = absolute_url("supervision.show_session", session_id=s.id)
        where = s.venue if s.mode is SessionMode.IN_PERSON else s.joining_link
        description = "\n\n".join(
            part
            for part in (
                _("Join online: %(link)s", link=s.joining_link) if s.joining_link else "",
                _("Details: %(link)s", link=page),
            )
            if part
        )
        events.append(
            CalendarEvent(
                uid=event_uid("supervision", s.id),
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                summary=_("Supervision: %(group)s", group=s.group.name),
                description=description,
                location=where or "",
                url=page,
                sequence=s.sequence,
                is_cancelled=s.is_cancelled,
            )
        )
    return events


def _messages(what: str, group: SupervisionGroup, sessions: list[SupervisionSession]):
    first = sessions[0]
    if what == "scheduled" and len(sessions) == 1:
        return (
            lambda: _("Supervision session booked: %(group)s", group=group.name),
            lambda: _(
                "A supervision session for %(group)s is booked for %(when)s. The calendar "
                "invitation is attached to the email.",
                group=group.name,
                when=_when(first),
            ),
        )
    if what == "scheduled":
        return (
            lambda: _(
                "%(num)d supervision sessions booked: %(group)s",
                num=len(sessions),
                group=group.name,
            ),
            lambda: _(
                "%(num)d supervision sessions for %(group)s are booked, starting on %(when)s. "
                "The calendar invitation for all of them is attached to the email.",
                num=len(sessions),
                group=group.name,
                when=_when(first),
            ),
        )
    if what == "changed":
        return (
            lambda: _("Supervision session changed: %(group)s", group=group.name),
            lambda: _(
                "The time or place of a supervision session for %(group)s has changed. It is "
                "now on %(when)s.",
                group=group.name,
                when=_when(first),
            ),
        )
    if what == "cancelled":
        return (
            lambda: _("Supervision session cancelled: %(group)s", group=group.name),
            lambda: _(
                "The supervision session for %(group)s on %(when)s has been cancelled. "
                "Reason: %(reason)s",
                group=group.name,
                when=_when(first),
                reason=first.cancel_reason,
            ),
        )
    return (
        lambda: _("Reminder: supervision session, %(group)s", group=group.name),
        lambda: _(
            "This is a reminder that your supervision session for %(group)s is on %(when)s.",
            group=group.name,
            when=_when(first),
        ),
    )


def _tell_group(group: SupervisionGroup, sessions: list[SupervisionSession], what: str) -> None:
    """Tell the members and the supervisor, each in their language, with an .ics file."""
    subject, message = _messages(what, group, sessions)
    link = absolute_url("supervision.show_session", session_id=sessions[0].id)
    people = [m.user for m in group.current_members]
    if group.supervisor not in people:
        people.append(group.supervisor)
    for person in people:
        tell(
            person,
            subject,
            message,
            link,
            lambda: _("See the session:"),
            calendar=lambda: ics_many(calendar_events(sessions)),
        )


def _tell_member_placed(person: User, group: SupervisionGroup) -> None:
    tell(
        person,
        lambda: _("Your supervision group: %(group)s", group=group.name),
        lambda: _(
            "You are in the supervision group %(group)s, supervised by %(supervisor)s.",
            group=group.name,
            supervisor=group.supervisor.name,
        ),
        absolute_url("supervision.show_group", group_id=group.id),
        lambda: _("See your group:"),
    )


def _tell_new_supervisor(group: SupervisionGroup, supervisor: User) -> None:
    tell(
        supervisor,
        lambda: _("You are supervising %(group)s", group=group.name),
        lambda: _(
            "You are now the supervisor of %(group)s (%(intake)s).",
            group=group.name,
            intake=group.intake.name,
        ),
        absolute_url("supervision.show_group", group_id=group.id),
        lambda: _("See the group:"),
    )


def send_session_reminders(now: datetime | None = None) -> int:
    """Remind each session's people the day before. Idempotent: one reminder per session
    (until its time changes). Run hourly so reminders arrive about 24 hours ahead."""
    now = now or utcnow()
    sent = 0
    for session in queries.sessions_due_reminder(now, now + timedelta(hours=24)):
        _tell_group(session.group, [session], "reminder")
        session.reminder_sent_at = now
        sent += 1
    db.session.flush()
    return sent
