"""Renewal reminders: holders hear once, at their personal address, before their award
lapses."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, format_date

from lms import jobs
from lms.assessment.models import Award
from lms.assessment.tasks import send_renewal_reminders
from lms.db_types import utcnow
from lms.notifications.models import Notification
from lms.schedule import PERIODIC_JOBS
from tests.assessment.test_certificate import build_award

JOB = "lms.assessment.tasks.send_renewal_reminders"


@pytest.fixture
def make_award(db, make_user, make_intake):
    def make(**fields) -> Award:
        return build_award(db, make_user, make_intake, issued_at=utcnow(), **fields)

    return make


@pytest.fixture
def window(app) -> int:
    return app.config["AWARD_RENEWAL_REMINDER_DAYS"]


def notifications_of(db, user_id: int) -> list[Notification]:
    return list(db.session.scalars(db.select(Notification).filter_by(user_id=user_id)))


def test_reminds_once_at_the_personal_address(db, make_award, outbox, window):
    lapses = utcnow() + timedelta(days=window - 1)
    award = make_award(expires_at=lapses, holder_email="gwen.personal@example.net")

    jobs.enqueue(JOB)
    sent = outbox()

    assert [m.recipient for m in sent] == ["gwen.personal@example.net"]
    assert award.user.email != "gwen.personal@example.net"
    email = sent[0]
    assert email.subject == "Your award lapses soon"
    assert "contact the programme team" in email.body
    assert re.search(rf"^https?://\S+/awards/{award.id}$", email.body, re.MULTILINE)
    notes = notifications_of(db, award.user_id)
    assert len(notes) == 1
    assert "contact the programme team" in notes[0].message
    assert notes[0].link == f"/awards/{award.id}"
    db.session.expire_all()
    assert award.renewal_reminded_at is not None

    jobs.enqueue(JOB)

    assert len(outbox()) == 1
    assert len(notifications_of(db, award.user_id)) == 1


def test_the_reminder_says_when_it_lapses_in_the_holders_language(db, make_award, outbox):
    lapses = utcnow() + timedelta(days=10)
    award = make_award(expires_at=lapses, language="cy")

    assert send_renewal_reminders() == 1

    with force_locale("cy"):
        welsh_date = format_date(lapses, "long")
    (email,) = outbox()
    assert welsh_date in email.body
    assert lapses.strftime("%B") not in email.body  # the English month
    assert welsh_date in notifications_of(db, award.user_id)[0].message


def test_only_awards_lapsing_within_the_window(db, make_award, outbox, window, make_intake):
    now = utcnow()
    due = make_award(expires_at=now + timedelta(days=window, hours=-1))
    later = make_award(expires_at=now + timedelta(days=window, hours=1))
    lapsed = make_award(expires_at=now - timedelta(hours=1))
    revoked = make_award(
        expires_at=now + timedelta(days=5), revoked_at=now, revoke_reason="Issued in error"
    )
    for_life = make_award(expires_at=None)

    assert send_renewal_reminders(now) == 1

    assert [m.recipient for m in outbox()] == [due.holder_email]
    for award in (later, lapsed, revoked, for_life):
        assert award.renewal_reminded_at is None
        assert notifications_of(db, award.user_id) == []


def test_an_award_reaching_the_window_later_is_reminded_then(db, make_award, outbox, window):
    now = utcnow()
    award = make_award(expires_at=now + timedelta(days=window + 3))

    assert send_renewal_reminders(now) == 0
    assert send_renewal_reminders(now + timedelta(days=4)) == 1
    assert send_renewal_reminders(now + timedelta(days=5)) == 0

    assert [m.recipient for m in outbox()] == [award.holder_email]


def test_the_reminders_run_periodically():
    assert JOB in PERIODIC_JOBS
