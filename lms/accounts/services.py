"""Accounts: registration, sign-in, password reset, profile changes and roles.

Each function enforces its rule, writes any audit entry and flushes; the request
commits once (STYLE.md rule 2).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from lms import audit
from lms.accounts import sessions
from lms.accounts.models import PasswordResetToken, Role, User, UserRole
from lms.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import notify, send_email


class AccountError(ValueError):
    """A rule was broken; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def register_user(
    email: str,
    name: str,
    password: str,
    language: str = "en",
    roles: tuple[Role, ...] = (Role.APPLICANT,),
) -> User:
    """Create an account. New accounts are applicants unless other ``roles`` are given."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(
            _("An account with this email address already exists. Sign in or reset your password"),
            "email",
        )
    problem = password_problem(password, email=email)
    if problem:
        raise AccountError(problem, "password")
    user = User(
        email=email, name=name.strip(), password_hash=hash_password(password), language=language
    )
    user.role_grants = [UserRole(role=role) for role in roles]
    db.session.add(user)
    db.session.flush()
    audit.record("account.registered", user, actor=user)
    return user


# A real hash of a random password, so an unknown email costs as much time as a known one.
_DUMMY_HASH: dict[str, str] = {}


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None (same answer either way)."""
    user = find_user_by_email(email)
    if user is None:
        if "hash" not in _DUMMY_HASH:
            _DUMMY_HASH["hash"] = hash_password(secrets.token_urlsafe(16))
        verify_password(_DUMMY_HASH["hash"], password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def check_password(user: User, password: str) -> bool:
    """Whether ``password`` is the person's (to confirm who they are mid-session)."""
    return verify_password(user.password_hash, password)


def record_sign_in(user: User) -> None:
    user.last_login_at = utcnow()
    audit.record("account.signed_in", user, actor=user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_("Your current password is not correct"), "current_password")
    problem = password_problem(new_password, email=user.email)
    if problem:
        raise AccountError(problem, "new_password")
    user.password_hash = hash_password(new_password)
    audit.record("account.password_changed", user, actor=user)
    # Anyone else using the account is signed out; this browser stays (with a new token).
    sessions.end_all(user, "password changed", except_current=True)
    _tell_password_changed(user)


def _tell_password_changed(user: User) -> None:
    """Email the person so that a change they did not make does not go unnoticed."""
    with force_locale(user.language):
        send_email(
            user.email,
            _("Your ALS Facilitator Programme password has been changed"),
            render_template("email/password_changed.txt", user=user),
        )


def update_details(user: User, name: str, personal_email: str | None) -> None:
    user.name = name.strip()
    user.personal_email = normalise_email(personal_email) if personal_email else None
    audit.record("account.details_changed", user, actor=user)


def update_access_needs(
    user: User,
    *,
    captions: bool,
    extra_processing_time: bool,
    low_stimulation: bool,
    notes: str | None,
) -> None:
    user.needs_captions = captions
    user.needs_extra_processing_time = extra_processing_time
    user.needs_low_stimulation = low_stimulation
    user.access_notes = (notes or "").strip() or None


def set_language(user: User, language: str) -> None:
    if language not in current_app.config["LANGUAGES"]:
        raise AccountError(_("Choose English or Welsh"), "language")
    user.language = language


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_password_reset(email: str) -> str | None:
    """Email a single-use reset link if the account exists; returns the token (for tests).

    The caller shows the same message whether or not the account exists.
    """
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return None
    token = secrets.token_urlsafe(32)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_token_hash(token),
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    link = url_for("accounts.reset_password", token=token, _external=True)
    with force_locale(user.language):
        send_email(
            user.email,
            _("Reset your password for the ALS Facilitator Programme"),
            render_template("email/password_reset.txt", user=user, link=link, hours=hours),
        )
    audit.record("account.password_reset_requested", user, actor=user)
    return token


def invitation_link(user: User, days: int = 14) -> str:
    """A single-use link for someone whose account was made for them (an imported
    trainee, say) to choose a password; it lasts ``days`` days."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_token_hash(token),
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    audit.record("account.invited", user)
    return url_for("accounts.reset_password", token=token, _external=True)


def check_reset_token(token: str, now: datetime | None = None) -> PasswordResetToken:
    """The live token, or AccountError saying why the link cannot be used."""
    record = db.session.scalar(
        db.select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
    )
    now = now or utcnow()
    if record is None:
        raise AccountError(
            _("This link is not valid. Check you copied the whole link, or ask for a new one")
        )
    if record.used_at is not None:
        raise AccountError(
            _(
                "This link has already been used. Ask for a new one if you "
                "still need to reset your password"
            )
        )
    if record.expires_at <= now:
        raise AccountError(_("This link has expired. Ask for a new one"))
    return record


def reset_password(token: str, new_password: str) -> User:
    record = check_reset_token(token)
    problem = password_problem(new_password, email=record.user.email)
    if problem:
        raise AccountError(problem, "password")
    record.used_at = utcnow()
    record.user.password_hash = hash_password(new_password)
    # Any other outstanding links for this person stop working too.
    db.session.execute(
        db.update(PasswordResetToken)
        .where(PasswordResetToken.user_id == record.user_id, PasswordResetToken.used_at.is_(None))
        .values(used_at=record.used_at)
    )
    audit.record("account.password_reset", record.user, actor=record.user)
    sessions.end_all(record.user, "password reset")
    _tell_password_changed(record.user)
    return record.user


def grant_role(user: User, role: Role, by: User | None) -> bool:
    """Give ``user`` the role; returns False if they already held it."""
    if user.has_role(role):
        return False
    user.role_grants.append(UserRole(role=role, granted_by_id=getattr(by, "id", None)))
    db.session.flush()
    audit.record("role.granted", user, actor=by, role=role.value)
    with force_locale(user.language):
        notify(
            user,
            _(
                "You now have the %(role)s role. Your home page shows what you can do.",
                role=role.label,
            ),
            url_for("main.home") if has_request_context() else None,
        )
    return True


def revoke_role(user: User, role: Role, by: User | None) -> bool:
    """Take the role away; an admin cannot remove their own admin role (no lock-out)."""
    if role is Role.ADMIN and by is not None and by.id == user.id:
        raise AccountError(_("You cannot remove your own administrator role"))
    grant = next((g for g in user.role_grants if g.role is role), None)
    if grant is None:
        return False
    user.role_grants.remove(grant)
    db.session.flush()
    audit.record("role.revoked", user, actor=by, role=role.value)
    return True


def set_active(user: User, active: bool, by: User) -> None:
    if not active and user.id == by.id:
        raise AccountError(_("You cannot disable your own account"))
    user.is_active = active
    audit.record("account.enabled" if active else "account.disabled", user, actor=by)
    if not active:
        sessions.end_all(user, "account disabled")


def set_organisation(user: User, organisation_id: int | None, by: User) -> None:
    user.organisation_id = organisation_id
    audit.record("account.organisation_changed", user, actor=by, organisation_id=organisation_id)
