"""Issuing, revoking and renewing awards, the holder's choice of email, and finding an award
by its public code (SPEC section 8).

- Issuing is idempotent: an award already made for the submission, or for the same person
  in the same intake, is returned unchanged (no second row, no second message). Two leads
  pressing the button at once meet the unique constraints; the loser's savepoint rolls
  back and they get the winner's award.
- A revoked award stays revoked; its reason is for the audit log and the holder, never for
  the public verification page.
- An award expires ``renewal_months`` after issue when the intake's scheme sets one;
  renewing moves that date on by the same period.

Services check everything before they change anything, write the audit entry and flush;
the request commits.
"""

from __future__ import annotations

import calendar
from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from lms import audit, jobs
from lms.accounts.models import User
from lms.assessment import portfolio
from lms.assessment.models import (
    AWARD_TITLE,
    CODE_ALPHABET,
    CODE_LENGTH,
    Award,
    PortfolioSubmission,
    SubmissionStatus,
    new_code,
)
from lms.assessment.permissions import holds, is_lead
from lms.assessment.submission import SubmissionError, checked_email
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import absolute_url, tell

REASON_MAX = 2_000  # the message says "2,000": change them together
CODE_ATTEMPTS = 5  # 100 random bits: a second attempt is already astronomically unlikely

# Crockford's base32 reads these as the digits they look like.
_LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_ALPHABET = frozenset(CODE_ALPHABET)


class AwardError(Exception):
    """A refusal, with a message for people (translated) and the form field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- Dates --------------------------------------------------------------------------------


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months; a day the month lacks becomes its last day
    (31 January + 1 month is 28 or 29 February)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def renewal_months(intake_id: int) -> int | None:
    """The intake's renewal period in months, or None when its awards do not lapse."""
    found = portfolio.scheme(intake_id)
    months = found.renewal_months if found is not None else None
    return months if months and months > 0 else None


# --- Issuing ------------------------------------------------------------------------------


def existing_award(submission: PortfolioSubmission) -> Award | None:
    """The award already made for this submission, or for its person in its intake."""
    return db.session.scalar(
        db.select(Award)
        .where(
            sa.or_(
                Award.submission_id == submission.id,
                sa.and_(
                    Award.user_id == submission.user_id,
                    Award.intake_id == submission.intake_id,
                ),
            )
        )
        .order_by(Award.id)
        .limit(1)
    )


def _unused_code() -> str:
    for _attempt in range(CODE_ATTEMPTS):
        code = new_code()
        if db.session.scalar(db.select(Award.id).where(Award.code == code)) is None:
            return code
    raise RuntimeError("could not find an unused award code")  # pragma: no cover


def issue_award(submission: PortfolioSubmission, by: User) -> Award:
    """Issue the award for a submitted portfolio (leads only), or return the one already
    issued. Makes the certificate in the background and tells the holder."""
    if not is_lead(by):
        raise AwardError(_("Only programme leads can issue awards."))
    found = existing_award(submission)
    if found is not None:
        return found
    if submission.status is not SubmissionStatus.SUBMITTED:
        raise AwardError(
            _("This portfolio is not waiting for review, so an award cannot be issued for it.")
        )
    holder = submission.user
    months = renewal_months(submission.intake_id)
    for _attempt in range(CODE_ATTEMPTS):
        now = utcnow()
        award = Award(
            code=_unused_code(),
            user_id=submission.user_id,
            intake_id=submission.intake_id,
            submission_id=submission.id,
            holder_name=holder.name,
            holder_email=submission.personal_email,
            issued_at=now,
            issued_by_id=by.id,
            expires_at=add_months(now, months) if months else None,
        )
        try:
            with db.session.begin_nested():
                db.session.add(award)
                submission.status = SubmissionStatus.AWARDED
                submission.reviewed_at = now
                submission.reviewed_by_id = by.id
                db.session.flush()
        except IntegrityError:
            # Issued meanwhile in another request (or, vanishingly rarely, the same code
            # drawn twice): the savepoint is undone, so look again.
            found = existing_award(submission)
            if found is not None:
                return found
            continue
        break
    else:  # pragma: no cover - only if the database keeps refusing every code
        raise RuntimeError("could not store the award")

    audit.record("award.issued", award, actor=by, submission_id=submission.id)
    jobs.enqueue("lms.assessment.tasks.make_certificate", award.id)
    tell(
        holder,
        lambda: _("You have been awarded the %(award)s", award=str(AWARD_TITLE)),
        lambda: _(
            "Congratulations: your portfolio has been reviewed and you have been awarded the "
            "%(award)s. Your certificate and your digital credential are on your award page.",
            award=str(AWARD_TITLE),
        ),
        absolute_url("assessment.show_award", award_id=award.id),
        lambda: _("See your award:"),
    )
    return award


# --- Revoking and renewing ----------------------------------------------------------------


def revoke(award: Award, by: User, reason: str) -> Award:
    """Revoke an award (leads only) with a reason, which is audited and told to the holder
    but never shown on the public verification page."""
    if not is_lead(by):
        raise AwardError(_("Only programme leads can revoke awards."))
    reason = (reason or "").strip()
    if not reason:
        raise AwardError(_("Enter the reason for revoking this award"), "reason")
    if len(reason) > REASON_MAX:
        raise AwardError(_("The reason must be 2,000 characters or fewer"), "reason")
    if award.revoked_at is not None:
        raise AwardError(_("This award has already been revoked."))
    award.revoked_at = utcnow()
    award.revoked_by_id = by.id
    award.revoke_reason = reason
    db.session.flush()
    audit.record("award.revoked", award, actor=by, reason=reason)
    tell(
        award.user,
        lambda: _("Your award has been revoked"),
        lambda: _(
            "Your %(award)s has been revoked by the programme team. Anyone checking it will "
            "now see that it is revoked. The reason given: %(reason)s",
            award=str(AWARD_TITLE),
            reason=reason,
        ),
        absolute_url("assessment.show_award", award_id=award.id),
        lambda: _("See your award:"),
    )
    return award


def renew(award: Award, by: User) -> Award:
    """Move the expiry date on by the intake's renewal period, from today or from the
    current expiry if that is later (leads only). Reminders start again."""
    if not is_lead(by):
        raise AwardError(_("Only programme leads can renew awards."))
    if award.revoked_at is not None:
        raise AwardError(_("A revoked award cannot be renewed."))
    months = renewal_months(award.intake_id)
    if months is None:
        raise AwardError(_("Awards from this intake do not lapse, so they need no renewal."))
    now = utcnow()
    start = max(now, award.expires_at) if award.expires_at else now
    award.expires_at = add_months(start, months)
    award.renewal_reminded_at = None
    db.session.flush()
    audit.record("award.renewed", award, actor=by, expires_at=award.expires_at.isoformat())
    expires_at = award.expires_at
    tell(
        award.user,
        lambda: _("Your award has been renewed"),
        lambda: _(
            "Your %(award)s has been renewed. It is now valid until %(date)s.",
            award=str(AWARD_TITLE),
            date=format_date(expires_at, "long"),
        ),
        absolute_url("assessment.show_award", award_id=award.id),
        lambda: _("See your award:"),
    )
    return award


# --- The holder's email -------------------------------------------------------------------


def set_holder_email(award: Award, user: User, email: str) -> Award:
    """Key the award to another personal address of the holder's (only they may), and keep
    it as their personal address on their account too."""
    if not holds(user, award):
        raise AwardError(_("Only the holder of an award can change its email address."))
    try:
        email = checked_email(email)
    except SubmissionError as exc:
        raise AwardError(exc.message, "email") from None
    changed = email != award.holder_email
    award.holder_email = email
    user.personal_email = email
    db.session.flush()
    if changed:
        # The address itself stays out of the audit log: it is personal data.
        audit.record("award.email_changed", award, actor=user)
    return award


# --- Finding by code ----------------------------------------------------------------------


def normalise_code(text: str | None) -> str | None:
    """The code as stored, from what someone typed (any case, spaces or hyphens, and I, L
    or O for 1 or 0), or None if it cannot be a code."""
    if not text:
        return None
    code = text.strip().upper().replace(" ", "").replace("-", "").translate(_LOOK_ALIKES)
    if len(code) != CODE_LENGTH or not set(code) <= _ALPHABET:
        return None
    return code


def find_by_code(text: str | None) -> Award | None:
    """The award with this code, or None. A malformed code costs no query."""
    code = normalise_code(text)
    if code is None:
        return None
    return db.session.scalar(db.select(Award).where(Award.code == code))


# --- The faculty --------------------------------------------------------------------------
