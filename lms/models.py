"""Every model, imported in one place so metadata (and Alembic) sees all the tables."""

from lms.accounts.models import Organisation, PasswordResetToken, User, UserRole
from lms.applications.models import Intake
from lms.audit import AuditEvent
from lms.jobs import JobFailure
from lms.notifications.models import EmailMessage, Notification

__all__ = [
    "AuditEvent",
    "EmailMessage",
    "Intake",
    "JobFailure",
    "Notification",
    "Organisation",
    "PasswordResetToken",
    "User",
    "UserRole",
]
