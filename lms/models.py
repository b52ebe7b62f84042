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
from lms.buddy.models import BuddyGroup, BuddyMember, CheckIn, PairingRule, RepairRequest
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
from lms.supervision.models import (
    GroupMembership,
    PrivateNote,
    SupervisionAttendance,
    SupervisionCase,
    SupervisionGroup,
    SupervisionSession,
)

__all__ = [
    "ActivityProgress",
    "Application",
    "ApplicationEvent",
    "AuditEvent",
    "BuddyGroup",
    "BuddyMember",
    "CheckIn",
    "EmailMessage",
    "EndorsementRequest",
    "EqualityResponse",
    "GroupMembership",
    "Intake",
    "IntakeFacilitator",
    "JobFailure",
    "Module",
    "ModuleCompletion",
    "ModuleVersion",
    "Notification",
    "Organisation",
    "PairingRule",
    "PasswordResetToken",
    "PrivateNote",
    "QuizAttempt",
    "Reflection",
    "RepairRequest",
    "ReviewAssignment",
    "SupervisionAttendance",
    "SupervisionCase",
    "SupervisionGroup",
    "SupervisionSession",
    "User",
    "UserRole",
    "WorkshopAttendance",
    "WorkshopDay",
]
