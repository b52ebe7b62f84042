"""The portfolio's own records (showcase picks and uploaded evidence), each intake's award
scheme, submissions for review, and awards.

Everything else in a portfolio is read from the records where it happened: see
:mod:`lms.assessment.evidence`.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.applications.models import Intake
from lms.db_types import LabelledEnum, UTCDateTime, enum_column, set_labels, utcnow
from lms.extensions import db

# Crockford's base32: no I, L, O or U, so a code read aloud or typed is not mistaken.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20  # 100 random bits


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class AwardScheme(db.Model):
    """An intake's award criteria and renewal period, set by a lead. An intake without a
    row uses the defaults in :mod:`lms.assessment.criteria`."""

    __tablename__ = "award_scheme"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), unique=True)
    # {kind: {"required": bool, "threshold": int, "sessions_per_set": int}}
    requirements: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    renewal_months: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    intake: Mapped[Intake] = relationship()


class ShowcaseItem(db.Model):
    """A portfolio item its holder picked to show their supervisor and reviewer."""

    __tablename__ = "portfolio_showcase"
    __table_args__ = (UniqueConstraint("user_id", "source", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(40))
    ref: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EvidenceUpload(db.Model):
    """A file a facilitator added to their portfolio. The file itself lives outside the web
    root under ``storage_name`` (random); ``filename`` is only what they called it."""

    __tablename__ = "evidence_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    outcomes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User] = relationship()


class SubmissionStatus(LabelledEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    AWARDED = "awarded"


SUBMISSION_STATUS_LABELS = set_labels(
    SubmissionStatus,
    {
        SubmissionStatus.SUBMITTED: _l("Submitted"),
        SubmissionStatus.RETURNED: _l("Returned"),
        SubmissionStatus.AWARDED: _l("Awarded"),
    },
)


class PortfolioSubmission(db.Model):
    """A portfolio sent for review. ``snapshot`` freezes what was sent (items and criteria
    results) so the reviewer sees exactly that; while it is ``SUBMITTED`` the holder cannot
    change their portfolio. Returning it unfreezes; submitting again makes a new row."""

    __tablename__ = "portfolio_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), index=True)
    status: Mapped[SubmissionStatus] = mapped_column(
        enum_column(SubmissionStatus, "submission_status")
    )
    personal_email: Mapped[str] = mapped_column(String(254))
    statement: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    comments: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    intake: Mapped[Intake] = relationship()
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class AwardStatus(LabelledEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


AWARD_STATUS_LABELS = set_labels(
    AwardStatus,
    {
        AwardStatus.VALID: _l("Valid"),
        AwardStatus.EXPIRED: _l("Expired"),
        AwardStatus.REVOKED: _l("Revoked"),
    },
)


class Award(db.Model):
    """An issued award. One per person per intake, and one per submission, so issuing twice
    finds the first. ``code`` is the public verification code; ``holder_email`` is the
    personal address the holder chose, so the award outlives a change of employer."""

    __tablename__ = "award"
    __table_args__ = (UniqueConstraint("user_id", "intake_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, default=new_code)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("portfolio_submission.id"), unique=True)
    holder_name: Mapped[str] = mapped_column(String(200))
    holder_email: Mapped[str] = mapped_column(String(254))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    renewal_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    certificate_name: Mapped[str | None] = mapped_column(String(64))
    certificate_made_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    intake: Mapped[Intake] = relationship()
    submission: Mapped[PortfolioSubmission] = relationship()

    def __repr__(self) -> str:
        return f"<Award {self.id} of {self.user_id}>"

    def status(self, now: datetime | None = None) -> AwardStatus:
        if self.revoked_at is not None:
            return AwardStatus.REVOKED
        if self.expires_at is not None and (now or utcnow()) >= self.expires_at:
            return AwardStatus.EXPIRED
        return AwardStatus.VALID

    @property
    def verification_url(self) -> str:
        """The public address that verifies this award: the same in emails, on the
        certificate and in the credential, so it always starts with ``PUBLIC_URL``."""
        from flask import current_app

        return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/verify/{self.code}"

    @property
    def display_code(self) -> str:
        """The code in groups of four, as printed: ``ABCD-EFGH-...``."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


# What the award is called and who issues it, on the certificate, the verification page
# and the credential.
AWARD_TITLE = _l("NHS award in action learning set facilitation")
ISSUER_NAME = _l("NHS Action Learning Set Facilitator Programme")
