"""Supervision's domain logic, without HTTP."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from icalendar import Calendar

from lms.accounts.models import Role
from lms.curriculum.models import AttendanceStatus
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.models import Notification
from lms.supervision import queries, services
from lms.supervision.models import GroupMembership, PrivateNote, SessionMode
from lms.supervision.services import SessionPlan, SupervisionError
from tests.supervision.conftest import add_session


def _next_weekday(days_ahead: int = 10) -> date:
    return (utcnow() + timedelta(days=days_ahead)).date()


def online(day: date, at: time = time(10, 0), minutes: int = 90) -> SessionPlan:
    return SessionPlan(
        day=day, start=at, minutes=minutes, mode=SessionMode.ONLINE, joining_link="https://x.org/j"
    )


# --- Groups -----------------------------------------------------------------------------


def test_forming_a_group_places_and_tells_its_members(group, members, outbox):
    assert [m.user_id for m in group.current_members] == [m.id for m in members]
    told = {e.recipient for e in outbox() if "supervision group" in e.subject}
    assert told == {m.email for m in members}


def test_moving_someone_keeps_their_history(intake, group, members, supervisor, lead):
    other = services.create_group(intake, "Group B", supervisor, [], by=lead)
    services.move_member(intake, members[0], other, by=lead)
    rows = db.session.scalars(
        db.select(GroupMembership).where(GroupMembership.user_id == members[0].id)
    ).all()
    assert [(r.group_id, r.left_at is not None) for r in rows] == [
        (group.id, True),
        (other.id, False),
    ]
    assert queries.current_membership(members[0].id, intake.id).group_id == other.id
    services.move_member(intake, members[0], None, by=lead)
    assert queries.current_membership(members[0].id, intake.id) is None


def test_moving_to_the_same_group_changes_nothing(intake, group, members, lead):
    before = queries.current_membership(members[0].id, intake.id)
    assert services.move_member(intake, members[0], group, by=lead) is before


def test_only_the_intakes_facilitators_can_join(intake, group, make_user, lead):
    stranger = make_user(Role.FACILITATOR)
    with pytest.raises(SupervisionError):
        services.move_member(intake, stranger, group, by=lead)


def test_a_group_needs_a_unique_name_and_a_supervisor(intake, group, supervisor, make_user, lead):
    with pytest.raises(SupervisionError) as exc:
        services.create_group(intake, " group a ", supervisor, [], by=lead)
    assert exc.value.field == "name"
    with pytest.raises(SupervisionError) as exc:
        services.create_group(intake, "Group C", make_user(Role.FACILITATOR), [], by=lead)
    assert exc.value.field == "supervisor"


def test_group_mix_counts_organisations_and_flags_shared_ones(group, members, intake):
    from lms.applications.queries import facilitator_profiles

    members[1].organisation = members[0].organisation
    db.session.flush()
    profiles = {p.user.id: p for p in facilitator_profiles(intake.id)}
    mix = services.group_mix(group, profiles)
    assert mix["organisations"] == 3
    assert mix["shared"] == [members[0].organisation.name]


# --- Sessions ---------------------------------------------------------------------------


def test_scheduling_tells_members_and_supervisor_with_an_invitation(
    group, members, supervisor, outbox
):
    [session] = services.schedule_sessions(group, online(_next_weekday()), by=supervisor)
    emails = [e for e in outbox() if "booked" in e.subject]
    assert {e.recipient for e in emails} == {m.email for m in members} | {supervisor.email}
    calendar = Calendar.from_ical(emails[0].calendar)
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]).startswith(f"supervision-{session.id}@")
    assert event.decoded("dtstart") == session.starts_at
    assert "https://x.org/j" in str(event["location"])
    assert (
        db.session.scalar(
            db.select(db.func.count(Notification.id)).where(Notification.user_id == members[0].id)
        )
        == 2
    )  # placed in the group, then the booking


def test_a_series_keeps_the_uk_clock_time_across_the_clock_change(group, supervisor, outbox):
    # 17 October 2030 is in BST; the clocks go back on 27 October, so 31 October is GMT.
    plan = online(date(2030, 10, 17), time(14, 0))
    sessions = services.schedule_sessions(group, plan, by=supervisor, count=3, every_weeks=2)
    assert [s.starts_at.hour for s in sessions] == [13, 14, 14]  # 14:00 UK each time, in UTC
    assert len({s.series_key for s in sessions}) == 1
    email = next(e for e in outbox() if "3 supervision sessions booked" in e.subject)
    assert len(Calendar.from_ical(email.calendar).walk("VEVENT")) == 3


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        (SessionPlan(date(2030, 1, 7), time(10), 90, SessionMode.IN_PERSON, venue=" "), "venue"),
        (SessionPlan(date(2030, 1, 7), time(10), 90, SessionMode.ONLINE), "joining_link"),
        (
            SessionPlan(date(2030, 1, 7), time(10), 10, SessionMode.ONLINE, None, "https://a.b"),
            "minutes",
        ),
        (
            SessionPlan(date(2020, 1, 7), time(10), 90, SessionMode.ONLINE, None, "https://a.b"),
            "day",
        ),
    ],
)
def test_a_session_plan_is_checked(group, supervisor, plan, field):
    with pytest.raises(SupervisionError) as exc:
        services.schedule_sessions(group, plan, by=supervisor)
    assert exc.value.field == field


def test_changing_a_session_tells_the_group_and_asks_for_a_new_reminder(group, supervisor, outbox):
    [session] = services.schedule_sessions(group, online(_next_weekday()), by=supervisor)
    session.reminder_sent_at = utcnow()
    services.update_session(session, online(_next_weekday(12), time(11, 0)), by=supervisor)
    assert session.sequence == 1
    assert session.reminder_sent_at is None
    assert any("changed" in e.subject for e in outbox())


def test_a_session_with_people_present_cannot_be_cancelled(group, members, supervisor):
    session = add_session(group, hours=-2)
    services.record_register(session, {members[0].id: AttendanceStatus.PRESENT}, by=supervisor)
    with pytest.raises(SupervisionError):
        services.cancel_session(session, "Snow", by=supervisor)


def test_cancelling_needs_a_reason_and_tells_the_group(group, supervisor, outbox):
    session = add_session(group, hours=30)
    with pytest.raises(SupervisionError):
        services.cancel_session(session, "  ", by=supervisor)
    services.cancel_session(session, "Supervisor unwell", by=supervisor)
    assert session.is_cancelled
    email = next(e for e in outbox() if "cancelled" in e.subject)
    assert "Supervisor unwell" in email.body
    assert "STATUS:CANCELLED" in email.calendar


# --- The register -------------------------------------------------------------------------


def test_apologies_before_and_present_only_after_the_start(group, members, supervisor):
    future = add_session(group, hours=5)
    assert (
        services.record_register(future, {members[0].id: AttendanceStatus.APOLOGIES}, by=supervisor)
        == 1
    )
    with pytest.raises(SupervisionError):
        services.record_register(future, {members[1].id: AttendanceStatus.PRESENT}, by=supervisor)
    past = add_session(group, hours=-3)
    changed = services.record_register(
        past,
        {members[0].id: AttendanceStatus.PRESENT, members[1].id: AttendanceStatus.ABSENT},
        by=supervisor,
    )
    assert changed == 2
    assert (
        services.record_register(past, {members[0].id: AttendanceStatus.PRESENT}, by=supervisor)
        == 0
    )


def test_someone_who_moves_keeps_their_line_and_strangers_are_refused(
    intake, group, members, supervisor, lead, make_member
):
    past = add_session(group, hours=-3)
    services.record_register(past, {members[0].id: AttendanceStatus.PRESENT}, by=supervisor)
    services.move_member(intake, members[0], None, by=lead)
    assert members[0] in services.register_people(past)
    with pytest.raises(SupervisionError):
        services.record_register(past, {make_member().id: AttendanceStatus.PRESENT}, by=supervisor)


def test_attendance_counts_present_at_sessions_not_cancelled(group, members, supervisor):
    for hours in (-100, -50, -3):
        services.record_register(
            add_session(group, hours=hours),
            {members[0].id: AttendanceStatus.PRESENT},
            by=supervisor,
        )
    services.record_register(
        add_session(group, hours=-20), {members[0].id: AttendanceStatus.APOLOGIES}, by=supervisor
    )
    cancelled = add_session(group, hours=-30)
    services.record_register(cancelled, {members[0].id: AttendanceStatus.PRESENT}, by=supervisor)
    cancelled.cancelled_at = utcnow()
    db.session.flush()
    assert queries.attended_count(members[0].id) == 3
    assert queries.attended_counts([members[0].id, members[1].id]) == {members[0].id: 3}


# --- Notes ------------------------------------------------------------------------------


def test_private_notes_belong_to_their_author(group, intake, supervisor, make_user, lead):
    session = add_session(group, hours=-2)
    services.save_notes(session, "We explored silence.", "Member 2 seemed flat.", by=supervisor)
    assert session.shared_summary == "We explored silence."
    assert queries.private_note(session.id, supervisor.id).text == "Member 2 seemed flat."
    # A new supervisor takes over: they do not inherit the old notes, and write their own.
    successor = make_user(Role.SUPERVISOR)
    services.update_group(group, group.name, successor, by=lead)
    assert queries.private_note(session.id, successor.id) is None
    services.save_notes(session, "We explored silence.", "My own view.", by=successor)
    assert db.session.scalar(db.select(db.func.count(PrivateNote.id))) == 2
    # Clearing your private notes deletes them.
    services.save_notes(session, "We explored silence.", "", by=supervisor)
    assert queries.private_note(session.id, supervisor.id) is None


# --- Cases ------------------------------------------------------------------------------


def test_bringing_and_responding_to_a_case(group, members, supervisor, outbox):
    session = add_session(group, hours=30)
    case = services.bring_case(members[0], group, session, "Advice kept creeping in.", "Ideas.")
    assert case.session_id == session.id
    assert any(e.recipient == supervisor.email and "case" in e.subject for e in outbox())
    services.respond_to_case(case, "Try naming the pattern.", by=supervisor)
    assert case.responded_at is not None
    assert any(e.recipient == members[0].email and "responded" in e.subject for e in outbox())
    with pytest.raises(SupervisionError):
        services.update_case(case, None, "Changed", "Changed")
    assert [c.id for c in queries.cases_of(members[0].id)] == [case.id]


def test_a_case_needs_both_answers_and_your_own_group(intake, group, members, supervisor, lead):
    with pytest.raises(SupervisionError) as exc:
        services.bring_case(members[0], group, None, " ", "Help")
    assert exc.value.field == "what_happened"
    with pytest.raises(SupervisionError) as exc:
        services.bring_case(members[0], group, None, "Something", "")
    assert exc.value.field == "help_wanted"
    other = services.create_group(intake, "Group B", supervisor, [], by=lead)
    with pytest.raises(SupervisionError):
        services.bring_case(members[0], other, None, "Something", "Help")
    with pytest.raises(SupervisionError):
        services.bring_case(members[0], group, add_session(other), "Something", "Help")


# --- Reminders --------------------------------------------------------------------------


def test_reminders_go_once_for_sessions_in_the_next_24_hours(group, members, supervisor, outbox):
    soon = add_session(group, hours=20)
    add_session(group, hours=30)  # too far ahead
    cancelled = add_session(group, hours=10)
    cancelled.cancelled_at = utcnow()
    add_session(group, hours=-1)  # already started
    assert services.send_session_reminders() == 1
    assert soon.reminder_sent_at is not None
    assert services.send_session_reminders() == 0
    reminders = [e for e in outbox() if e.subject.startswith("Reminder")]
    assert {e.recipient for e in reminders} == {m.email for m in members} | {supervisor.email}


def test_the_reminders_job_is_in_the_schedule():
    from lms.schedule import PERIODIC_JOBS

    assert "lms.supervision.tasks.send_session_reminders" in PERIODIC_JOBS


def test_the_reminders_job_runs_through_the_job_helper(group, members, supervisor, outbox, app):
    from lms import jobs

    add_session(group, hours=23)
    jobs.enqueue("lms.supervision.tasks.send_session_reminders")
    assert any(e.subject.startswith("Reminder") for e in outbox())


def test_moving_a_session_into_the_past_is_refused_and_changes_nothing(group, supervisor):
    [session] = services.schedule_sessions(group, online(_next_weekday()), by=supervisor)
    before = session.starts_at
    with pytest.raises(SupervisionError) as exc:
        services.update_session(session, online(date(2020, 1, 6)), by=supervisor)
    assert exc.value.field == "day"
    assert session.starts_at == before and session.sequence == 0
