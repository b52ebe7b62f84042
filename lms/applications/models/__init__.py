"""The applications feature's tables: intakes, applications, endorsement and review."""

from lms.applications.models.application import (  # noqa: F401  (re-exported)
    APPLICATION_STATUS_LABELS,
    BAND_LABELS,
    ENDORSEMENT_STATUS_LABELS,
    PROGRAMME_LABELS,
    STAFF_GROUP_LABELS,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Band,
    EndorsementStatus,
    EventKind,
    IntakeFacilitator,
    Programme,
    StaffGroup,
)
from lms.applications.models.intake import (  # noqa: F401
    DELIVERY_MODE_LABELS,
    INTAKE_STATUS_LABELS,
    DeliveryMode,
    Intake,
    IntakeStatus,
)
from lms.applications.models.review import (  # noqa: F401
    CRITERION_KEYS,
    DISAGREEMENT,
    RUBRIC,
    SCORE_MAX,
    SCORE_MIN,
    EndorsementDecision,
    EndorsementRequest,
    EqualityResponse,
    ReviewAssignment,
)
