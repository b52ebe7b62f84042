"""Access control: the role decorator, object checks and the single refusal path.

Routes take two steps (STYLE.md rule 3): ``@role_required(Role.LEAD)`` on the view,
then ``require(can_do_x(current_user, obj))`` with an object check from the feature's
``permissions.py``. Every refusal goes through :func:`refuse`, which writes it to the
audit log before answering 403, or 404 where the record's existence is itself private.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar

from flask import abort, request
from flask_login import current_user, login_required

from lms import audit
from lms.accounts.models import Role

F = TypeVar("F", bound=Callable[..., Any])


def refuse(
    status: int = 403, reason: str = "not permitted", subject: Any | None = None
) -> NoReturn:
    """Log the refused request and answer ``status`` (403, or 404 to hide existence)."""
    audit.record(
        "access.refused",
        subject,
        status=status,
        reason=reason,
        method=request.method,
        path=request.path,
        endpoint=request.endpoint,
    )
    abort(status)


def require(
    allowed: bool,
    *,
    hide: bool = False,
    subject: Any | None = None,
    reason: str = "object check failed",
) -> None:
    """Refuse unless ``allowed``; ``hide=True`` answers 404 so existence stays private."""
    if not allowed:
        refuse(404 if hide else 403, reason, subject)


def role_required(*roles: Role) -> Callable[[F], F]:
    """Let signed-in people with any of ``roles`` through; refuse everyone else."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                refuse(403, "missing role: " + ", ".join(r.value for r in roles))
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
