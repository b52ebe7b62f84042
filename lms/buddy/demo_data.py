"""Demo buddies for the running intake (idempotent).

Two confirmed pairs: the demo facilitator with Dev Sharma (two check-ins logged), and
Kwame Asante with Bethan Morgan (four, enough for the award). The intake's other eight
trainee facilitators have no buddy yet, so a lead can run pairing in the browser.
"""

from __future__ import annotations

from datetime import timedelta

from lms.accounts.models import User
from lms.applications.models import Intake
from lms.applications.queries import facilitator_profiles
from lms.buddy import pairing, services
from lms.buddy.models import BuddyGroup, BuddyMember, BuddyStatus, CheckInTopic
from lms.db_types import utcnow
from lms.extensions import db

PAIRS = [
    (("facilitator@example.org", "dev.sharma@example.org"), 2),
    (("kwame.asante@example.org", "bethan.morgan@example.org"), 4),
]
NOTES = [
    "Talked through how my first set session went. Dev suggested I write the charter on "
    "the whiteboard before people arrive.",
    "Practised turning advice into questions. Agreed to watch each other's timekeeping.",
    "Compared notes on supervision; both want to bring a case about quiet members.",
    "Planned our buddy observations for next month.",
]


def seed_buddies(intake: Intake, people: dict[str, User]) -> None:
    if db.session.scalar(
        db.select(BuddyGroup.id).where(BuddyGroup.intake_id == intake.id).limit(1)
    ):
        return
    profiles = {p.user.id: p for p in facilitator_profiles(intake.id)}
    confirmed_at = utcnow() - timedelta(weeks=10)
    for emails, check_ins in PAIRS:
        members = [people[email] for email in emails]
        scored = pairing.score_group(
            [services.candidate(profiles[m.id]) for m in members], pairing.Rules()
        )
        group = BuddyGroup(
            intake_id=intake.id, status=BuddyStatus.CONFIRMED, confirmed_at=confirmed_at
        )
        services.apply_score(group, scored)
        group.members = [BuddyMember(user_id=m.id) for m in members]
        db.session.add(group)
        db.session.flush()
        for n in range(check_ins):
            services.log_check_in(
                group,
                members[n % 2],
                (confirmed_at + timedelta(weeks=2 * n + 1)).date(),
                45 + 15 * (n % 2),
                [CheckInTopic.SETS, CheckInTopic.SUPERVISION if n % 2 else CheckInTopic.WELLBEING],
                NOTES[n],
            )
