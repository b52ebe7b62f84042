"""Read helpers that pages share: intakes, and reviewers' assignments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import joinedload, lazyload

from lms.accounts.models import Organisation, User
from lms.applications.models import Application, Intake, IntakeFacilitator, ReviewAssignment
from lms.extensions import db


def public_intakes(today: date) -> list[Intake]:
    """Intakes people can apply to now or soon, soonest closing first."""
    return list(
        db.session.scalars(
            db.select(Intake)
            .where(Intake.closes_on >= today)
            .order_by(Intake.closes_on, Intake.name)
        )
    )


def all_intakes():
    return db.select(Intake).order_by(Intake.programme_starts_on.desc(), Intake.name)


def intakes_newest_first() -> list[Intake]:
    return list(db.session.scalars(all_intakes()))


def facilitator_counts() -> dict[int, int]:
    """Current trainee facilitators per intake id (one aggregate query)."""
    return dict(
        db.session.execute(
            db.select(IntakeFacilitator.intake_id, db.func.count())
            .where(IntakeFacilitator.left_at.is_(None))
            .group_by(IntakeFacilitator.intake_id)
        ).all()
    )


def reviewer_assignments(reviewer_id: int) -> list[ReviewAssignment]:
    """A reviewer's assignments, those still to score first, each with its application and
    intake loaded (one query, however many there are). Only the columns the list shows
    are read: a reviewer can have hundreds of assignments over the years."""
    application = db.joinedload(ReviewAssignment.application).load_only(
        Application.full_name, Application.status, Application.intake_id
    )
    return list(
        db.session.scalars(
            db.select(ReviewAssignment)
            .where(ReviewAssignment.reviewer_id == reviewer_id)
            .options(application.joinedload(Application.intake).load_only(Intake.name))
            .order_by(
                ReviewAssignment.submitted_at.is_not(None),
                ReviewAssignment.assigned_at,
                ReviewAssignment.id,
            )
        )
    )


@dataclass(frozen=True)
class FacilitatorProfile:
    """What grouping and pairing need to know about one of an intake's facilitators, from
    their account and the application that brought them in."""

    user: User
    organisation: Organisation | None
    staff_group: object | None  # StaffGroup
    sector: object | None  # Sector
    region: object | None  # Region
    preferred_mode: object | None  # DeliveryMode
    faculty: bool = False  # holds a valid award: may facilitate in any intake

    @property
    def organisation_name(self) -> str | None:
        return self.organisation.name if self.organisation else None


def facilitator_profiles(intake_id: int) -> list[FacilitatorProfile]:
    """The intake's current facilitators by name, in one query. The application's answers
    win; the account's organisation fills in where the application has none."""
    return profiles_where(
        IntakeFacilitator.intake_id == intake_id, IntakeFacilitator.left_at.is_(None)
    )


def profiles_where(*conditions) -> list[FacilitatorProfile]:
    """Profiles of the facilitators whose intake membership (``IntakeFacilitator``) meets
    ``conditions``, by name, in one query."""
    rows = db.session.execute(
        db.select(User, Application)
        .join(IntakeFacilitator, IntakeFacilitator.user_id == User.id)
        .outerjoin(Application, Application.id == IntakeFacilitator.application_id)
        .where(*conditions)
        .options(
            joinedload(User.organisation),
            lazyload(User.role_grants),
            joinedload(Application.organisation),
            lazyload(Application.intake),
            lazyload(Application.applicant),
        )
        .order_by(User.name, User.id)
    ).all()
    profiles = []
    for user, application in rows:
        organisation = (application and application.organisation) or user.organisation
        profiles.append(
            FacilitatorProfile(
                user=user,
                organisation=organisation,
                staff_group=application.staff_group if application else None,
                sector=(application and application.sector)
                or (organisation.sector if organisation else None),
                region=(application and application.region)
                or (organisation.region if organisation else None),
                preferred_mode=application.preferred_mode if application else None,
            )
        )
    return profiles
