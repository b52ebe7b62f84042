"""The demo's supervision and buddies: Group A with past and booked sessions, registers,
notes and a case; two confirmed buddy pairs with check-ins, one of them the demo
facilitator's; everyone else in the running intake free to be grouped and paired."""

from __future__ import annotations

from lms.accounts.models import Role, User
from lms.applications.models import Intake
from lms.applications.queries import facilitator_profiles
from lms.buddy import queries as buddy_queries
from lms.buddy.models import BuddyStatus
from lms.db_types import utcnow
from lms.demo import seed_demo
from lms.supervision import queries
from lms.supervision.models import SupervisionCase, SupervisionGroup


def person(db, email: str) -> User:
    return db.session.scalar(db.select(User).where(User.email == email))


def test_the_demo_has_a_supervision_group_with_its_history(db):
    seed_demo()
    fatima = person(db, "facilitator@example.org")
    [group] = queries.current_groups_of(fatima.id)
    assert group.name == "Group A" and group.supervisor.email == "supervisor@example.org"
    sessions = queries.group_sessions(group.id)
    now = utcnow()
    assert len([s for s in sessions if s.ends_at < now]) == 3
    assert len([s for s in sessions if s.starts_at > now]) == 2
    assert queries.attended_count(fatima.id) == 3
    assert sessions[2].shared_summary
    supervisor = person(db, "supervisor@example.org")
    assert queries.private_note(sessions[2].id, supervisor.id) is not None
    [case] = queries.cases_of(fatima.id)
    assert case.response and case.session_id == sessions[2].id


def test_the_demo_has_buddies_and_people_left_to_group_and_pair(db):
    seed_demo()
    fatima = person(db, "facilitator@example.org")
    [pair] = buddy_queries.current_groups_of(fatima.id)
    assert [p.email for p in pair.others(fatima.id)] == ["dev.sharma@example.org"]
    assert buddy_queries.check_in_count(fatima.id) == 2
    assert buddy_queries.check_in_count(person(db, "kwame.asante@example.org").id) == 4
    intake = db.session.scalar(db.select(Intake).where(Intake.name == "Running demo intake"))
    profiles = facilitator_profiles(intake.id)
    assert len(profiles) == 12
    assert all(p.user.has_role(Role.FACILITATOR) for p in profiles)
    assert all(p.staff_group and p.preferred_mode for p in profiles)
    paired = buddy_queries.confirmed_member_ids(intake.id)
    assert len(paired) == 4
    grouped = {m.user_id for g in queries.intake_groups(intake.id) for m in g.current_members}
    assert len(grouped) == 6


def test_seeding_twice_changes_nothing(db):
    seed_demo()
    counts = [
        db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (SupervisionGroup, SupervisionCase)
    ]
    seed_demo()
    again = [
        db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (SupervisionGroup, SupervisionCase)
    ]
    assert again == counts
    intake = db.session.scalar(db.select(Intake).where(Intake.name == "Running demo intake"))
    assert len(buddy_queries.groups(intake.id, BuddyStatus.CONFIRMED)) == 2
