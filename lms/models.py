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
from lms.curriculum.models import (
    ActivityProgress,
    Module,
    ModuleCompletion,
    ModuleVersion,
    QuizAttempt,
    Reflection,
    WorkshopAttendance,
    WorkshopDay,
)
from lms.jobs import JobFailure
from lms.notifications.models import EmailMessage, Notification

__all__ = [
    "ActivityProgress",
    "Application",
    "ApplicationEvent",
    "AuditEvent",
    "EmailMessage",
    "EndorsementRequest",
    "EqualityResponse",
    "Intake",
    "IntakeFacilitator",
    "JobFailure",
    "Module",
    "ModuleCompletion",
    "ModuleVersion",
    "Notification",
    "Organisation",
    "PasswordResetToken",
    "QuizAttempt",
    "Reflection",
    "ReviewAssignment",
    "User",
    "UserRole",
    "WorkshopAttendance",
    "WorkshopDay",
]
