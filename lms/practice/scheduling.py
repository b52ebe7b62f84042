"""Booking a confirmed set's sessions around bank holidays, the calendar invitations, the
reminders the day before, and the set's summary export (counts only, never text).

Plain functions, tested without HTTP. Every function checks its input before it changes
anything, because the request commits whatever was changed even after a handled error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _

from lms import audit
from lms.accounts.models import User
from lms.applications.models import DeliveryMode
from lms.calendar import CalendarEvent, event_uid, ics_many
from lms.curriculum.services import london_to_utc
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import absolute_url, tell
from lms.practice import aggregates, holidays, queries
from lms.practice.models import (
    FollowThroughStatus,
    PracticeAttendanceStatus,
    PracticeSession,
    PracticeSet,
    SetStatus,
)
from lms.practice.running import local_start
from lms.practice.services import MAX_SESSIONS, MIN_SESSIONS, PracticeError

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


def summary_csv(practice_set: PracticeSet) -> str:
    """One row per session: date, register counts, presenters, themes and follow-through
    counts. Built from the count queries only, so no confidential text can reach it."""
    import csv
    import io

    session_ids = [s.id for s in practice_set.sessions]
    presenters = aggregates.session_presenter_counts(session_ids)
    themes = aggregates.themes_of(session_ids)
    registers = aggregates.register_counts(session_ids)
    follow = aggregates.follow_through_counts(session_ids)
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
