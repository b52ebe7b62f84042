"""People, their roles, their organisations and their password-reset tokens."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db_types import LabelledEnum, UTCDateTime, enum_column, set_labels, utcnow
from lms.extensions import db


class Role(LabelledEnum):
    APPLICANT = "applicant"
    FACILITATOR = "facilitator"
    TRAINEE = "trainee"
    SUPERVISOR = "supervisor"
    REVIEWER = "reviewer"
    LEAD = "lead"
    ADMIN = "admin"


ROLE_LABELS = set_labels(
    Role,
    {
        Role.APPLICANT: _l("Applicant"),
        Role.FACILITATOR: _l("Trainee facilitator"),
        Role.TRAINEE: _l("GMTS trainee"),
        Role.SUPERVISOR: _l("Supervisor"),
        Role.REVIEWER: _l("Reviewer"),
        Role.LEAD: _l("Programme lead"),
        Role.ADMIN: _l("Administrator"),
    },
)


class Sector(LabelledEnum):
    ACUTE = "acute"
    COMMUNITY = "community"
    MENTAL_HEALTH = "mental_health"
    PRIMARY_CARE = "primary_care"
    ICB = "icb"
    SOCIAL_CARE = "social_care"
    OTHER = "other"


SECTOR_LABELS = set_labels(
    Sector,
    {
        Sector.ACUTE: _l("Acute"),
        Sector.COMMUNITY: _l("Community"),
        Sector.MENTAL_HEALTH: _l("Mental health"),
        Sector.PRIMARY_CARE: _l("Primary care"),
        Sector.ICB: _l("Integrated care board"),
        Sector.SOCIAL_CARE: _l("Social care"),
        Sector.OTHER: _l("Other"),
    },
)


class Region(LabelledEnum):
    EAST_OF_ENGLAND = "east_of_england"
    LONDON = "london"
    MIDLANDS = "midlands"
    NORTH_EAST_YORKSHIRE = "north_east_yorkshire"
    NORTH_WEST = "north_west"
    SOUTH_EAST = "south_east"
    SOUTH_WEST = "south_west"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


REGION_LABELS = set_labels(
    Region,
    {
        Region.EAST_OF_ENGLAND: _l("East of England"),
        Region.LONDON: _l("London"),
        Region.MIDLANDS: _l("Midlands"),
        Region.NORTH_EAST_YORKSHIRE: _l("North East and Yorkshire"),
        Region.NORTH_WEST: _l("North West"),
        Region.SOUTH_EAST: _l("South East"),
        Region.SOUTH_WEST: _l("South West"),
        Region.WALES: _l("Wales"),
        Region.SCOTLAND: _l("Scotland"),
        Region.NORTHERN_IRELAND: _l("Northern Ireland"),
    },
)


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sector: Mapped[Sector] = mapped_column(enum_column(Sector, "sector"))
    region: Mapped[Region] = mapped_column(enum_column(Region, "region"))
    ods_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    personal_email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5), default="en")
    needs_captions: Mapped[bool] = mapped_column(default=False)
    needs_extra_processing_time: Mapped[bool] = mapped_column(default=False)
    needs_low_stimulation: Mapped[bool] = mapped_column(default=False)
    access_notes: Mapped[str | None] = mapped_column(Text)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # lms/privacy/erasure.py

    organisation: Mapped[Organisation | None] = relationship()
    role_grants: Mapped[list[UserRole]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        lazy="selectin",
        foreign_keys="UserRole.user_id",
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    @property
    def roles(self) -> list[Role]:
        """The person's roles in the programme's own order, for navigation and home."""
        held = {grant.role for grant in self.role_grants}
        return [role for role in Role if role in held]

    def has_role(self, *roles: Role) -> bool:
        held = {grant.role for grant in self.role_grants}
        return any(role in held for role in roles)

    @property
    def access_needs(self) -> list[str]:
        needs = []
        if self.needs_captions:
            needs.append(str(_l("Captions")))
        if self.needs_extra_processing_time:
            needs.append(str(_l("Extra processing time")))
        if self.needs_low_stimulation:
            needs.append(str(_l("Low-stimulation options")))
        return needs


class UserRole(db.Model):
    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(back_populates="role_grants", foreign_keys=[user_id])


class PasswordResetToken(db.Model):
    """A single-use, expiring reset link. Only a SHA-256 of the token is stored."""

    __tablename__ = "password_reset_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
