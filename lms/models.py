"""Every model, imported in one place so metadata (and Alembic) sees all the tables."""

from lms.accounts.models import Organisation, PasswordResetToken, User, UserRole
from lms.audit import AuditEvent
from lms.jobs import JobFailure
from lms.notifications.models import EmailMessage, Notification

__all__ = [
    "AuditEvent",
    "EmailMessage",
    "JobFailure",
    "Notification",
    "Organisation",
    "PasswordResetToken",
    "User",
    "UserRole",
]
