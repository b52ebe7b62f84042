"""An application to join an intake, its timeline, and the people who join an intake."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Organisation, Region, Sector, User
from lms.applications.models.intake import DeliveryMode, Intake
from lms.db_types import LabelledEnum, UTCDateTime, enum_column, set_labels, utcnow
from lms.extensions import db

if TYPE_CHECKING:
    from lms.applications.models.review import ReviewAssignment


class ApplicationStatus(LabelledEnum):
    """Where an application is. The allowed moves are ``TRANSITIONS`` in ``decisions.py``."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    SHORTLISTED = "shortlisted"
    OFFERED = "offered"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


APPLICATION_STATUS_LABELS = set_labels(
    ApplicationStatus,
    {
        ApplicationStatus.DRAFT: _l("Not submitted"),
        ApplicationStatus.SUBMITTED: _l("Submitted"),
        ApplicationStatus.SHORTLISTED: _l("Shortlisted"),
        ApplicationStatus.OFFERED: _l("Place offered"),
        ApplicationStatus.WAITLISTED: _l("On the waiting list"),
        ApplicationStatus.REJECTED: _l("Not successful"),
        ApplicationStatus.ACCEPTED: _l("Place accepted"),
        ApplicationStatus.DECLINED: _l("Place declined"),
        ApplicationStatus.WITHDRAWN: _l("Withdrawn"),
    },
)

# nhsuk tag colours, so a status reads the same everywhere it is shown.
STATUS_TAG_CLASSES = {
    ApplicationStatus.DRAFT: "nhsuk-tag--grey",
    ApplicationStatus.SUBMITTED: "nhsuk-tag--blue",
    ApplicationStatus.SHORTLISTED: "nhsuk-tag--aqua-green",
    ApplicationStatus.OFFERED: "nhsuk-tag--purple",
    ApplicationStatus.WAITLISTED: "nhsuk-tag--yellow",
    ApplicationStatus.REJECTED: "nhsuk-tag--red",
    ApplicationStatus.ACCEPTED: "nhsuk-tag--green",
    ApplicationStatus.DECLINED: "nhsuk-tag--grey",
    ApplicationStatus.WITHDRAWN: "nhsuk-tag--grey",
}


class StaffGroup(LabelledEnum):
    """The applicant's role family, as NHS workforce statistics group staff."""

    NURSING_MIDWIFERY = "nursing_midwifery"
    MEDICAL_DENTAL = "medical_dental"
    ALLIED_HEALTH = "allied_health"
    HEALTHCARE_SCIENCE = "healthcare_science"
    PSYCHOLOGY_THERAPIES = "psychology_therapies"
    MANAGEMENT_ADMIN = "management_admin"
    SOCIAL_CARE = "social_care"
    OTHER = "other"


STAFF_GROUP_LABELS = set_labels(
    StaffGroup,
    {
        StaffGroup.NURSING_MIDWIFERY: _l("Nursing and midwifery"),
        StaffGroup.MEDICAL_DENTAL: _l("Medical and dental"),
        StaffGroup.ALLIED_HEALTH: _l("Allied health professions"),
        StaffGroup.HEALTHCARE_SCIENCE: _l("Healthcare science"),
        StaffGroup.PSYCHOLOGY_THERAPIES: _l("Psychology and psychological therapies"),
        StaffGroup.MANAGEMENT_ADMIN: _l("Management, administration and corporate services"),
        StaffGroup.SOCIAL_CARE: _l("Social care"),
        StaffGroup.OTHER: _l("Another role"),
    },
)


class Band(LabelledEnum):
    """Agenda for Change band, or the nearest equivalent."""

    BAND_4_OR_BELOW = "band_4_or_below"
    BAND_5 = "band_5"
    BAND_6 = "band_6"
    BAND_7 = "band_7"
    BAND_8A = "band_8a"
    BAND_8B = "band_8b"
    BAND_8C = "band_8c"
    BAND_8D = "band_8d"
    BAND_9 = "band_9"
    VSM = "vsm"
    MEDICAL = "medical"
    OUTSIDE_AFC = "outside_afc"


BAND_LABELS = set_labels(
    Band,
    {
        Band.BAND_4_OR_BELOW: _l("Band 4 or below"),
        Band.BAND_5: _l("Band 5"),
        Band.BAND_6: _l("Band 6"),
        Band.BAND_7: _l("Band 7"),
        Band.BAND_8A: _l("Band 8a"),
        Band.BAND_8B: _l("Band 8b"),
        Band.BAND_8C: _l("Band 8c"),
        Band.BAND_8D: _l("Band 8d"),
        Band.BAND_9: _l("Band 9"),
        Band.VSM: _l("Very senior manager"),
        Band.MEDICAL: _l("Medical or dental grade"),
        Band.OUTSIDE_AFC: _l("Equivalent outside Agenda for Change"),
    },
)


class Programme(LabelledEnum):
    """Leadership programmes an applicant may already have done."""

    GMTS = "gmts"
    ELIZABETH_GARRETT_ANDERSON = "elizabeth_garrett_anderson"
    NYE_BEVAN = "nye_bevan"
    OTHER = "other"
    NONE = "none"


PROGRAMME_LABELS = set_labels(
    Programme,
    {
        Programme.GMTS: _l("NHS Graduate Management Training Scheme (GMTS)"),
        Programme.ELIZABETH_GARRETT_ANDERSON: _l("Elizabeth Garrett Anderson Programme"),
        Programme.NYE_BEVAN: _l("Nye Bevan Programme"),
        Programme.OTHER: _l("Another leadership or coaching programme"),
        Programme.NONE: _l("None of these"),
    },
)


class EndorsementStatus(LabelledEnum):
    NOT_REQUESTED = "not_requested"
    AWAITING = "awaiting"
    ENDORSED = "endorsed"
    DECLINED = "declined"


ENDORSEMENT_STATUS_LABELS = set_labels(
    EndorsementStatus,
    {
        EndorsementStatus.NOT_REQUESTED: _l("Not requested yet"),
        EndorsementStatus.AWAITING: _l("Waiting for line manager"),
        EndorsementStatus.ENDORSED: _l("Endorsed"),
        EndorsementStatus.DECLINED: _l("Not endorsed"),
    },
)


class Application(db.Model):
    """One person's application to one intake. Each section's answers are columns here;
    equality monitoring is not (see ``EqualityResponse``)."""

    __tablename__ = "application"
    __table_args__ = (UniqueConstraint("intake_id", "applicant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus, "application_status"),
        default=ApplicationStatus.DRAFT,
        index=True,
    )
    completed_sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Personal and contact details
    full_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    # Current role
    job_title: Mapped[str | None] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    organisation_other: Mapped[str | None] = mapped_column(String(200))
    staff_group: Mapped[StaffGroup | None] = mapped_column(enum_column(StaffGroup, "staff_group"))
    sector: Mapped[Sector | None] = mapped_column(enum_column(Sector, "sector"))
    band: Mapped[Band | None] = mapped_column(enum_column(Band, "band"))
    region: Mapped[Region | None] = mapped_column(enum_column(Region, "region"))
    # Eligibility
    works_in_health_care: Mapped[bool | None]
    can_commit_time: Mapped[bool | None]
    # Previous programmes
    previous_programmes: Mapped[list[str]] = mapped_column(JSON, default=list)
    previous_other: Mapped[str | None] = mapped_column(String(200))
    # Experience and motivation
    facilitation_experience: Mapped[str | None] = mapped_column(Text)
    motivation: Mapped[str | None] = mapped_column(Text)
    # Delivery
    preferred_mode: Mapped[DeliveryMode | None] = mapped_column(
        enum_column(DeliveryMode, "delivery_mode")
    )
    availability: Mapped[str | None] = mapped_column(Text)
    # Reasonable adjustments
    has_adjustments: Mapped[bool | None]
    adjustments: Mapped[str | None] = mapped_column(Text)
    # Line manager
    manager_name: Mapped[str | None] = mapped_column(String(200))
    manager_email: Mapped[str | None] = mapped_column(String(254))
    endorsement_status: Mapped[EndorsementStatus] = mapped_column(
        enum_column(EndorsementStatus, "endorsement_status"),
        default=EndorsementStatus.NOT_REQUESTED,
    )
    # Equality monitoring: only whether it was answered; the answers live apart.
    has_equality_response: Mapped[bool] = mapped_column(default=False)
    # Decisions
    offer_expires_on: Mapped[date | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    intake: Mapped[Intake] = relationship()
    applicant: Mapped[User] = relationship(foreign_keys=[applicant_id])
    organisation: Mapped[Organisation | None] = relationship()
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="ApplicationEvent.id",
    )
    reviews: Mapped[list[ReviewAssignment]] = relationship(
        back_populates="application", order_by="ReviewAssignment.id"
    )

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.status.value}>"

    @property
    def is_draft(self) -> bool:
        return self.status is ApplicationStatus.DRAFT

    @property
    def organisation_name(self) -> str | None:
        return self.organisation.name if self.organisation else self.organisation_other

    @property
    def status_tag_class(self) -> str:
        return STATUS_TAG_CLASSES[self.status]

    @property
    def programme_labels(self) -> list[str]:
        return [Programme(value).label for value in self.previous_programmes]


class EventKind(LabelledEnum):
    """What happened on an application's timeline."""

    STARTED = "started"
    SUBMITTED = "submitted"
    ENDORSEMENT_REQUESTED = "endorsement_requested"
    ENDORSEMENT_RESENT = "endorsement_resent"
    ENDORSED = "endorsed"
    ENDORSEMENT_DECLINED = "endorsement_declined"
    STATUS_CHANGED = "status_changed"


EVENT_KIND_LABELS = set_labels(
    EventKind,
    {
        EventKind.STARTED: _l("Application started"),
        EventKind.SUBMITTED: _l("Application submitted"),
        EventKind.ENDORSEMENT_REQUESTED: _l("Line manager asked to endorse"),
        EventKind.ENDORSEMENT_RESENT: _l("Endorsement link sent again"),
        EventKind.ENDORSED: _l("Line manager endorsed the application"),
        EventKind.ENDORSEMENT_DECLINED: _l("Line manager did not endorse the application"),
        EventKind.STATUS_CHANGED: _l("Status changed"),
    },
)


class ApplicationEvent(db.Model):
    """One entry on the applicant's timeline, timestamped (the audit log has the detail)."""

    __tablename__ = "application_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "application_event_kind"))
    status: Mapped[ApplicationStatus | None] = mapped_column(
        enum_column(ApplicationStatus, "application_status")
    )
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="events")

    @property
    def title(self) -> str:
        if self.kind is EventKind.STATUS_CHANGED and self.status is not None:
            return self.status.label
        return self.kind.label


class IntakeFacilitator(db.Model):
    """A trainee facilitator in an intake: made by accepting an offer."""

    __tablename__ = "intake_facilitator"
    __table_args__ = (UniqueConstraint("intake_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("application.id", ondelete="SET NULL")
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    intake: Mapped[Intake] = relationship()
    user: Mapped[User] = relationship()
