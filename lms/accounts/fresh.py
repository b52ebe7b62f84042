"""Sensitive actions need a fresh sign-in: the password typed within FRESH_LOGIN_MINUTES.

``@fresh_login_required`` goes under the route's role decorator, so the access check
still comes first. A page that is not fresh sends the person to confirm who they are
and back again; nothing is changed on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts import sessions
from lms.extensions import login_manager
from lms.security import safe_next

F = TypeVar("F", bound=Callable[..., Any])


def _same_site_referrer() -> str | None:
    """The path (and query) of the page the form was on, if it was on this site."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return safe_next(path, "") or None


def confirm_identity_url() -> str:
    """Where to send this request to confirm identity, with where to come back to."""
    if request.method in ("GET", "HEAD"):
        back = request.full_path if request.query_string else request.path
    else:
        back = _same_site_referrer() or url_for("main.home")
    return url_for("accounts.confirm_identity", next=back)


def fresh_login_required(view: F) -> F:
    """Let the request through only if this session's password entry is recent."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if sessions.is_fresh(sessions.current()):
            return view(*args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            flash(
                _(
                    "For your security, confirm it is you before you do this. "
                    "Then do it again: nothing has been changed yet"
                ),
                "info",
            )
        return redirect(confirm_identity_url())

    return wrapped  # type: ignore[return-value]
