"""Read helpers for the leads' pages: the filtered application list, counts and the
selection view's rows. Filters and score sorts run in SQL, so a page of 50 costs the
same few queries however many applications an intake has."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, or_

from lms.accounts.models import Region, Sector, User
from lms.applications.models import (
    CRITERION_KEYS,
    DISAGREEMENT,
    Application,
    ApplicationStatus,
    Band,
    DeliveryMode,
    EndorsementStatus,
    EqualityResponse,
    Intake,
    ReviewAssignment,
    StaffGroup,
)
from lms.applications.selection import MIX_DIMENSIONS
from lms.extensions import db

SORTS = ("submitted", "name", "score", "spread")


@dataclass(frozen=True)
class ApplicationFilter:
    """What a lead asked the list for; every field left as None means "any"."""

    status: ApplicationStatus | None = None
    endorsement: EndorsementStatus | None = None
    sector: Sector | None = None
    region: Region | None = None
    staff_group: StaffGroup | None = None
    band: Band | None = None
    mode: DeliveryMode | None = None
    disagree: bool = False
    name: str = ""
    sort: str = "submitted"


def review_stats(intake_id: int | None = None) -> Select:
    """Per application, from review_assignment: reviewers assigned and done, the mean total
    and spread of submitted totals, and whether any criterion is ``DISAGREEMENT`` apart.

    With ``intake_id``, only that intake's applications: the list joins these figures to
    one intake, and grouping every review of every intake first took 15 times longer."""
    r = ReviewAssignment
    done = r.submitted_at.is_not(None)
    total = case((done, r.motivation + r.reflection + r.potential + r.commitment))
    scored = {key: case((done, getattr(r, key))) for key in CRITERION_KEYS}
    reviews_done = func.count(r.submitted_at)
    query = db.select(
        r.application_id.label("application_id"),
        func.count(r.id).label("assigned"),
        reviews_done.label("done"),
        func.avg(total).label("mean_total"),
        case((reviews_done > 1, func.max(total) - func.min(total))).label("spread"),
        case(
            (
                or_(
                    *(
                        func.max(column) - func.min(column) >= DISAGREEMENT
                        for column in scored.values()
                    )
                ),
                1,
            ),
            else_=0,
        ).label("disagree"),
    )
    if intake_id is not None:
        in_intake = db.select(Application.id).where(Application.intake_id == intake_id)
        query = query.where(r.application_id.in_(in_intake))
    return query.group_by(r.application_id)


def submitted_applications(intake_id: int, wanted: ApplicationFilter) -> Select:
    """Submitted (and later) applications to an intake matching ``wanted``, sorted, with
    the applicant, organisation and reviews loaded alongside."""
    stats = review_stats(intake_id).subquery()
    query = (
        db.select(Application)
        .outerjoin(stats, stats.c.application_id == Application.id)
        .where(Application.intake_id == intake_id, Application.status != ApplicationStatus.DRAFT)
        .options(
            # Applicants' roles are never shown here: skip loading them.
            db.joinedload(Application.applicant).lazyload(User.role_grants),
            db.joinedload(Application.organisation),
            db.selectinload(Application.reviews),
        )
    )
    column_filters = {
        Application.status: wanted.status,
        Application.endorsement_status: wanted.endorsement,
        Application.sector: wanted.sector,
        Application.region: wanted.region,
        Application.staff_group: wanted.staff_group,
        Application.band: wanted.band,
        Application.preferred_mode: wanted.mode,
    }
    for column, value in column_filters.items():
        if value is not None:
            query = query.where(column == value)
    if wanted.disagree:
        query = query.where(stats.c.disagree == 1)
    name = wanted.name.strip()
    if name:
        query = query.where(
            or_(
                Application.full_name.icontains(name, autoescape=True),
                Application.contact_email.icontains(name, autoescape=True),
            )
        )
    order = {
        "name": [func.lower(Application.full_name)],
        "score": [stats.c.mean_total.desc().nulls_last()],
        "spread": [stats.c.spread.desc().nulls_last(), stats.c.mean_total.desc().nulls_last()],
    }.get(wanted.sort, [])
    return query.order_by(*order, Application.submitted_at, Application.id)


def draft_count(intake_id: int) -> int:
    return (
        db.session.scalar(
            db.select(func.count(Application.id)).where(
                Application.intake_id == intake_id,
                Application.status == ApplicationStatus.DRAFT,
            )
        )
        or 0
    )


def status_counts() -> dict[int, dict[ApplicationStatus, int]]:
    """Applications per intake and status, in one grouped query."""
    counts: dict[int, dict[ApplicationStatus, int]] = defaultdict(dict)
    rows = db.session.execute(
        db.select(Application.intake_id, Application.status, func.count(Application.id)).group_by(
            Application.intake_id, Application.status
        )
    )
    for intake_id, status, count in rows:
        counts[intake_id][status] = count
    return counts


def intakes_newest_first() -> list[Intake]:
    return list(
        db.session.scalars(
            db.select(Intake).order_by(Intake.programme_starts_on.desc(), Intake.name)
        )
    )


def selection_rows(intake_id: int) -> list[dict[str, Any]]:
    """Each submitted application's status and mix dimensions, as plain values."""
    columns = [getattr(Application, name) for name in MIX_DIMENSIONS]
    rows = db.session.execute(
        db.select(Application.status, *columns).where(
            Application.intake_id == intake_id, Application.status != ApplicationStatus.DRAFT
        )
    )
    return [
        {
            "status": row[0].value,
            **{
                name: (value.value if value is not None else None)
                for name, value in zip(MIX_DIMENSIONS, row[1:], strict=True)
            },
        }
        for row in rows
    ]


def equality_rows(intake_id: int, fields: tuple[str, ...]) -> list[dict[str, str | None]]:
    """The intake's submitted equality answers (only their values: nothing that identifies
    anyone, and never joined to an application). Drafts' answers, still tied to a person,
    are left out until they are submitted."""
    rows = db.session.execute(
        db.select(*(getattr(EqualityResponse, name) for name in fields)).where(
            EqualityResponse.intake_id == intake_id, EqualityResponse.user_id.is_(None)
        )
    )
    return [dict(zip(fields, row, strict=True)) for row in rows]
