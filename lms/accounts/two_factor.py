"""Two-factor sign-in: a time-based code from an authenticator app (TOTP, RFC 6238),
or one of ten single-use recovery codes.

Required for the roles in ``TWO_FACTOR_ROLES`` and open to everyone. A code is accepted
from the step before to the step after now (about a minute and a half), and never twice:
the last step used is kept. Recovery codes are stored as SHA-256 hashes and shown once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lms import audit
from lms.accounts.models import Role, User
from lms.db_types import UTCDateTime, utcnow
from lms.extensions import db

RECOVERY_CODES = 10
# No 0/o, 1/l/i: easy to read off paper and type.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class TwoFactor(db.Model):
    """A person's authenticator secret. Until ``confirmed_at`` it is only being set up."""

    __tablename__ = "two_factor"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The 30-second step of the last code accepted: that code, and older ones, fail.
    last_used_step: Mapped[int | None]


class RecoveryCode(db.Model):
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TwoFactorError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def record_for(user: User) -> TwoFactor | None:
    return db.session.scalar(db.select(TwoFactor).where(TwoFactor.user_id == user.id))


def is_enabled(user: User) -> bool:
    record = record_for(user)
    return record is not None and record.confirmed_at is not None


def required_roles() -> tuple[Role, ...]:
    return tuple(Role(value) for value in current_app.config["TWO_FACTOR_ROLES"])


def is_required(user: User) -> bool:
    """Whether one of the person's roles needs two-factor sign-in."""
    return user.has_role(*required_roles())


def begin_setup(user: User) -> TwoFactor:
    """A new (or the unfinished) secret for the person to add to their app."""
    record = record_for(user)
    if record is not None and record.confirmed_at is not None:
        raise TwoFactorError(_("Two-factor authentication is already turned on"))
    if record is None:
        record = TwoFactor(user_id=user.id, secret=pyotp.random_base32())
        db.session.add(record)
        db.session.flush()
    return record


def provisioning_uri(record: TwoFactor, user: User) -> str:
    return pyotp.TOTP(record.secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["SERVICE_NAME"]
    )


def qr_code_svg(uri: str) -> Markup:
    """The setup address as an inline SVG QR code (segno writes only its own markup)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#212b32", light="#ffffff")
    # Reviewed: segno writes only paths and numbers; the address is ours, encoded as modules.
    return Markup(svg)  # noqa: S704  # nosec B704


def secret_in_groups(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _matching_step(record: TwoFactor, code: str, now: datetime) -> int | None:
    """The step ``code`` belongs to (one either side of now), if unused; else None."""
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(record.secret)
    current_step = totp.timecode(now)
    for step in (current_step - 1, current_step, current_step + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if record.last_used_step is not None and step <= record.last_used_step:
                return None
            return step
    return None


def confirm_setup(user: User, code: str, now: datetime | None = None) -> list[str]:
    """Turn two-factor on once the person's app gives a right code; returns their new
    recovery codes (shown once)."""
    record = record_for(user)
    if record is None or record.confirmed_at is not None:
        raise TwoFactorError(_("Start setting up two-factor authentication again"))
    now = now or utcnow()
    step = _matching_step(record, _clean(code), now)
    if step is None:
        raise TwoFactorError(
            _("The code is not correct. Enter the 6-digit code your app shows now")
        )
    record.confirmed_at = now
    record.last_used_step = step
    audit.record("account.two_factor_enabled", user, actor=user)
    return _new_recovery_codes(user)


def verify(user: User, code: str, now: datetime | None = None) -> bool:
    """Whether ``code`` is a right, unused app code or an unused recovery code of the
    person's; either way it cannot be used again."""
    record = record_for(user)
    if record is None or record.confirmed_at is None:
        return False
    now = now or utcnow()
    cleaned = _clean(code)
    step = _matching_step(record, cleaned, now)
    if step is not None:
        record.last_used_step = step
        return True
    if len(cleaned) != 12:
        return False
    recovery = db.session.scalar(
        db.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(cleaned),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is None:
        return False
    recovery.used_at = now
    audit.record("account.recovery_code_used", user, actor=user, left=recovery_codes_left(user))
    return True


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        db.select(db.func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def regenerate_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not is_enabled(user):
        raise TwoFactorError(_("Turn on two-factor authentication first"))
    codes = _new_recovery_codes(user)
    audit.record("account.recovery_codes_replaced", user, actor=user)
    return codes


def disable(user: User) -> None:
    """Turn two-factor off, unless one of the person's roles needs it."""
    if is_required(user):
        raise TwoFactorError(
            _("You cannot turn off two-factor authentication because your role needs it")
        )
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(db.delete(TwoFactor).where(TwoFactor.user_id == user.id))
    audit.record("account.two_factor_disabled", user, actor=user)


def enable_with_secret(user: User, secret: str) -> TwoFactor:
    """Two-factor on with a known secret and no recovery codes: for the demo accounts and
    tests, whose codes must be reproducible."""
    record = record_for(user) or TwoFactor(user_id=user.id)
    record.secret = secret
    record.confirmed_at = utcnow()
    db.session.add(record)
    db.session.flush()
    return record


def _hash(cleaned: str) -> str:
    return hashlib.sha256(cleaned.encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _i in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    db.session.flush()
    return codes
