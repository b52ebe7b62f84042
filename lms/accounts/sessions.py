"""Signed-in sessions: one record per sign-in, checked on every request.

The raw token lives only in the signed session cookie (``session["sid"]``); the table
keeps its SHA-256. Ending a record (signing out, a password change or reset, an
administrator disabling the account, "sign out everywhere") ends every copy of that
cookie, wherever it was copied to. A record also ends after ``SESSION_IDLE_MINUTES``
without a request, and ``SESSION_MAX_HOURS`` after the sign-in, whatever happens.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, flash, g, has_request_context, redirect, request, session
from flask_babel import gettext as _
from flask_login import current_user, login_url, login_user, logout_user
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lms import audit
from lms.accounts.models import User
from lms.db_types import UTCDateTime, utcnow
from lms.extensions import db, login_manager

# Why a session ended by itself (kept in ``g.session_ended`` for the sign-in page).
IDLE = "idle"
EXPIRED = "expired"

# A request writes last_seen_at at most this often, so most pages write nothing.
TOUCH_EVERY = timedelta(minutes=1)


class UserSession(db.Model):
    """One signed-in browser. ``authenticated_at`` is the last time the password was
    typed (for actions that need a fresh sign-in); ``two_factor_at`` when this session
    passed the second factor."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    authenticated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    two_factor_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str | None] = mapped_column(String(200))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<UserSession {self.id} user={self.user_id}>"

    @property
    def browser(self) -> str:
        """The browser and system in a few words, like "Firefox on Windows"."""
        return describe_browser(self.user_agent)


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_browser(user_agent: str | None) -> str:
    agent = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or _("Unknown browser")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(record: UserSession) -> str:
    token = secrets.token_urlsafe(32)
    record.token_hash = token_hash(token)
    return token


def start(user: User, *, two_factor: bool = False) -> str:
    """Sign ``user`` in on this browser with a new session; returns the raw token.

    The old cookie's contents go first, so a session id planted before sign-in
    (fixation) is worthless afterwards.
    """
    from lms.accounts.services import record_sign_in

    session.clear()
    now = utcnow()
    _forget_old(user, now)
    record = UserSession(
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        authenticated_at=now,
        two_factor_at=now if two_factor else None,
        user_agent=(request.user_agent.string or "")[:200] or None,
    )
    token = _new_token(record)
    db.session.add(record)
    db.session.flush()
    login_user(user)
    session["sid"] = token
    session["lang"] = user.language
    g.user_session = record
    record_sign_in(user)
    return token


def _forget_old(user: User, now: datetime) -> None:
    """Delete this person's records that ended, or could not be used, a day ago or more."""
    cutoff = now - timedelta(days=1)
    too_old = now - timedelta(hours=current_app.config["SESSION_MAX_HOURS"]) - timedelta(days=1)
    db.session.execute(
        db.delete(UserSession)
        .where(UserSession.user_id == user.id)
        .where((UserSession.ended_at < cutoff) | (UserSession.created_at < too_old))
        .execution_options(synchronize_session=False)
    )


def rotate() -> None:
    """Give this browser's session a new token (after a password change), keeping it open."""
    record = current()
    if record is not None:
        session["sid"] = _new_token(record)


def current() -> UserSession | None:
    """This browser's live session record, or None when nobody is signed in."""
    if not has_request_context() or not current_user.is_authenticated:
        return None
    return g.get("user_session")


def open_sessions(user: User) -> list[UserSession]:
    """The person's sessions that have not ended, newest activity first."""
    return list(
        db.session.scalars(
            db.select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def end_current() -> None:
    """Sign this browser out: end its record and empty the cookie (the language stays)."""
    record = current()
    if record is not None:
        record.ended_at = utcnow()
        audit.record("account.signed_out", record, actor=current_user._get_current_object())
    clear_browser()


def clear_browser() -> None:
    """Forget the signed-in person in this browser (Flask-Login and the cookie), keeping
    the language."""
    language = session.get("lang")
    logout_user()
    session.clear()
    if language:
        session["lang"] = language


def end_all(user: User, reason: str, except_current: bool = False) -> int:
    """End every open session of ``user`` (but this browser's, if ``except_current``);
    returns how many ended. ``reason`` goes in the audit entry."""
    keep = current() if except_current else None
    statement = db.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep is not None and keep.user_id == user.id:
        statement = statement.where(UserSession.id != keep.id)
    result = db.session.execute(
        statement.values(ended_at=utcnow()).execution_options(synchronize_session="fetch")
    )
    audit.record("account.sessions_ended", user, reason=reason, count=result.rowcount)
    return result.rowcount


def check(record: UserSession, now: datetime) -> str | None:
    """Why ``record`` can no longer be used (IDLE or EXPIRED), or None if it can."""
    config = current_app.config
    if now - record.created_at > timedelta(hours=config["SESSION_MAX_HOURS"]):
        return EXPIRED
    if now - record.last_seen_at > timedelta(minutes=config["SESSION_IDLE_MINUTES"]):
        return IDLE
    return None


def touch(record: UserSession, now: datetime) -> None:
    """Note activity, writing at most once a minute."""
    if now - record.last_seen_at >= TOUCH_EVERY:
        record.last_seen_at = now


def is_fresh(record: UserSession | None, now: datetime | None = None) -> bool:
    """Whether the password was typed in this session within ``FRESH_LOGIN_MINUTES``."""
    if record is None:
        return False
    limit = timedelta(minutes=current_app.config["FRESH_LOGIN_MINUTES"])
    return (now or utcnow()) - record.authenticated_at <= limit


def reauthenticated(*, two_factor: bool) -> None:
    """The person has just typed their password (and a code, if ``two_factor``) again."""
    record = current()
    if record is None:
        return
    now = utcnow()
    record.authenticated_at = now
    record.last_seen_at = now
    if two_factor:
        record.two_factor_at = now
    audit.record("account.identity_confirmed", record)


def passed_two_factor() -> None:
    """This browser's session has just passed the second factor (two-factor set up)."""
    record = current()
    if record is not None:
        record.two_factor_at = utcnow()


def load(user_id: str) -> User | None:
    """Flask-Login's user loader: the person and their live session in one statement.

    The person comes with their roles (every page's navigation needs both). A missing,
    ended, idle or too old session, or a disabled account, signs the browser out.
    """
    token = session.get("sid")
    if not token or not user_id.isdigit():
        _clear_cookie_quietly()
        return None
    row = (
        db.session.execute(
            db.select(User, UserSession)
            .join(UserSession, UserSession.user_id == User.id)
            .where(
                User.id == int(user_id),
                UserSession.token_hash == token_hash(token),
                UserSession.ended_at.is_(None),
            )
            .options(db.joinedload(User.role_grants))
        )
        .unique()
        .one_or_none()
    )
    if row is None or not row[0].is_active:
        _clear_cookie_quietly()
        return None
    user, record = row
    now = utcnow()
    reason = check(record, now)
    if reason is not None:
        record.ended_at = now
        audit.record("account.session_timed_out", record, actor=user, reason=reason)
        g.session_ended = reason
        flash(ended_message(reason), "info")
        _clear_cookie_quietly()
        return None
    touch(record, now)
    g.user_session = record
    return user


def _clear_cookie_quietly() -> None:
    """Drop a dead session's keys so later requests do not look it up again."""
    language = session.get("lang")
    flashes = session.get("_flashes")
    session.clear()
    if language:
        session["lang"] = language
    if flashes:
        session["_flashes"] = flashes


def ended_message(reason: str) -> str:
    if reason == IDLE:
        return _(
            "You were signed out because you had not done anything for %(minutes)d minutes. "
            "Sign in again to carry on",
            minutes=current_app.config["SESSION_IDLE_MINUTES"],
        )
    return _(
        "You were signed out because you had been signed in for %(hours)d hours. "
        "Sign in again to carry on",
        hours=current_app.config["SESSION_MAX_HOURS"],
    )


def unauthorized():
    """Flask-Login's answer to a signed-out request for a page that needs a sign-in.

    The usual "Sign in to see this page" unless the session has just ended by itself,
    when the sign-in page says why instead.
    """
    if not g.get("session_ended"):
        flash(str(login_manager.login_message), login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))
