"""Sending notifications and email. Both go through the job helper."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale

from lms import jobs
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.models import EmailMessage, Notification
from lms.security import safe_next


def send_email(
    recipient: str, subject: str, body: str, calendar: bytes | None = None
) -> EmailMessage:
    """Record an email (with an optional .ics invitation) and hand its delivery to a job."""
    message = EmailMessage(
        recipient=recipient,
        subject=subject,
        body=body,
        calendar=calendar.decode() if calendar else None,
    )
    db.session.add(message)
    db.session.flush()
    jobs.enqueue("lms.notifications.tasks.deliver_email", message.id)
    return message


def notify(user, message: str, link: str | None = None) -> Notification:
    """Show ``message`` to ``user`` in the service (with an optional link)."""
    # Only links within the service are kept, so a notification can never send someone away.
    link = safe_next(link, None) if link else None
    notification = Notification(user_id=user.id, message=message, link=link)
    db.session.add(notification)
    db.session.flush()
    return notification


def unread_count(user_id: int) -> int:
    return (
        db.session.scalar(
            db.select(db.func.count(Notification.id)).where(
                Notification.user_id == user_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_all_read(user) -> int:
    """Mark every unread notification of ``user`` as read; returns how many."""
    result = db.session.execute(
        db.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0


def absolute_url(endpoint: str, **values) -> str:
    """A full link for an email, also outside a request (jobs, commands, demo data)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)


def path_for(endpoint: str, **values) -> str:
    """A link within the service (for notifications), also outside a request."""
    return _path(absolute_url(endpoint, **values))


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[-1].split("/", 1)[-1]


def tell(
    user,
    subject: Callable[[], str],
    message: Callable[[], str],
    link: str,
    link_text: Callable[[], str],
    calendar: Callable[[], bytes] | None = None,
) -> None:
    """Tell ``user`` in the service and by email, in their own language.

    ``subject``, ``message`` and ``link_text`` are callables so they are translated in the
    person's locale, not the locale of whoever made the change. ``link`` is absolute
    (see :func:`absolute_url`); the notification keeps only its path. ``calendar``, if
    given, makes the .ics invitation sent with the email (also in their language).
    """
    with force_locale(user.language):
        text = message()
        notify(user, text, _path(link))
        send_email(
            user.email,
            subject(),
            render_template(
                "notifications/email/message.txt",
                user=user,
                message=text,
                link=link,
                link_text=link_text(),
            ),
            calendar() if calendar else None,
        )
