"""Background jobs for awards. They take ids (or nothing) and are safe to run twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from lms.assessment import storage
from lms.assessment.models import AWARD_TITLE, Award
from lms.db_types import utcnow
from lms.extensions import db
from lms.i18n import LOCALES
from lms.notifications.services import absolute_url, notify, path_for, send_email


def make_certificate(award_id: int) -> str | None:
    """Draw the award's certificate and keep it in storage; returns its storage name.

    Does nothing if the award is gone or its certificate is already stored, so a retry
    never makes a second file.
    """
    from lms.assessment.certificate import certificate_pdf

    award = db.session.get(Award, award_id)
    if award is None:
        return None
    if award.certificate_name and storage.exists(award.certificate_name):
        return award.certificate_name
    award.certificate_name = storage.save(certificate_pdf(award))
    award.certificate_made_at = utcnow()
    db.session.flush()
    return award.certificate_name


def send_renewal_reminders(now: datetime | None = None) -> int:
    """Tell holders whose award lapses within ``AWARD_RENEWAL_REMINDER_DAYS`` how to renew
    it: by email to the personal address the award is keyed to, and in the service.
    Each award is reminded once; returns how many were reminded."""
    now = now or utcnow()
    window = timedelta(days=current_app.config["AWARD_RENEWAL_REMINDER_DAYS"])
    due = db.session.scalars(
        db.select(Award)
        .options(joinedload(Award.user))
        .where(
            Award.revoked_at.is_(None),
            Award.expires_at.is_not(None),
            Award.expires_at > now,
            Award.expires_at <= now + window,
            Award.renewal_reminded_at.is_(None),
        )
        .order_by(Award.expires_at, Award.id)
    ).all()
    for award in due:
        _remind(award)
        award.renewal_reminded_at = now
    db.session.flush()
    return len(due)


def _remind(award: Award) -> None:
    user = award.user
    language = user.language if user.language in LOCALES else "en"
    with force_locale(LOCALES[language]):
        link = absolute_url("assessment.show_award", award_id=award.id)
        message = _(
            "Your %(award)s lapses on %(date)s. To renew it, please contact the programme "
            "team before then.",
            award=str(AWARD_TITLE),
            date=format_date(award.expires_at, "long"),
        )
        notify(user, message, path_for("assessment.show_award", award_id=award.id))
        # Only to the personal address: the award is keyed to it so that it outlives a
        # move between employers, and a work address may no longer be read.
        send_email(
            award.holder_email,
            _("Your award lapses soon"),
            render_template(
                "notifications/email/message.txt",
                user=user,
                message=message,
                link=link,
                link_text=_("See your award"),
            ),
        )
