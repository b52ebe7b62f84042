"""Every model, imported in one place so metadata (and Alembic) sees all the tables."""

from lms.accounts.models import Organisation, PasswordResetToken, User, UserRole
from lms.applications.models import (
    Application,
    ApplicationEvent,
    EndorsementRequest,
    EqualityResponse,
    Intake,
    IntakeFacilitator,
    ReviewAssignment,
)
from lms.audit import AuditEvent
from lms.jobs import JobFailure
from lms.notifications.models import EmailMessage, Notification

__all__ = [
    "Application",
    "ApplicationEvent",
    "AuditEvent",
    "EmailMessage",
    "EndorsementRequest",
    "EqualityResponse",
    "Intake",
    "IntakeFacilitator",
    "JobFailure",
    "Notification",
    "Organisation",
    "PasswordResetToken",
    "ReviewAssignment",
    "User",
    "UserRole",
]
