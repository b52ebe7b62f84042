"""Background jobs for notifications. They take ids and are safe to run twice."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage as MimeMessage

from flask import current_app

from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.models import EmailMessage, EmailStatus


def deliver_email(message_id: int) -> str:
    """Deliver one email by SMTP, or leave it in the outbox; does nothing if already done."""
    message = db.session.get(EmailMessage, message_id)
    if message is None or message.status is not EmailStatus.QUEUED:
        return "skipped"
    config = current_app.config
    if config["MAIL_BACKEND"] == "smtp":
        mime = MimeMessage()
        mime["From"] = config["MAIL_DEFAULT_SENDER"]
        mime["To"] = message.recipient
        mime["Subject"] = message.subject
        mime.set_content(message.body)
        if message.calendar:
            mime.add_attachment(
                message.calendar.encode(), "text", "calendar", filename="invite.ics"
            )
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(mime)
        message.status = EmailStatus.SENT
    else:
        message.status = EmailStatus.IN_OUTBOX
    message.sent_at = utcnow()
    db.session.flush()
    return message.status.value
