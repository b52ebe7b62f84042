"""Sending notifications and email. Both go through the job helper."""

from __future__ import annotations

from lms import jobs
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.models import EmailMessage, Notification
from lms.security import safe_next


def send_email(recipient: str, subject: str, body: str) -> EmailMessage:
    """Record an email and hand its delivery to a background job."""
    message = EmailMessage(recipient=recipient, subject=subject, body=body)
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
