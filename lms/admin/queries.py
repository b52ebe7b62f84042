"""Read helpers for the admin pages (filters and eager loading live here)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import selectinload

from lms.accounts.models import Organisation, Role, User, UserRole
from lms.audit import AuditEvent
from lms.db_types import day_bounds
from lms.extensions import db

PAGE_SIZE = 50


def people_query(search: str | None, role: Role | None):
    query = db.select(User).options(selectinload(User.organisation)).order_by(User.name, User.id)
    if search:
        like = f"%{search.strip().lower()}%"
        query = query.where(
            db.or_(db.func.lower(User.name).like(like), db.func.lower(User.email).like(like))
        )
    if role is not None:
        query = query.where(User.role_grants.any(UserRole.role == role))
    return query


def organisations_query():
    return db.select(Organisation).order_by(Organisation.name)


def audit_query(
    person_email: str | None, action: str | None, date_from: date | None, date_to: date | None
):
    query = (
        db.select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if person_email:
        person_ids = db.select(User.id).where(User.email == person_email.strip().lower())
        query = query.where(
            db.or_(
                AuditEvent.actor_id.in_(person_ids),
                db.and_(AuditEvent.subject_type == "User", AuditEvent.subject_id.in_(person_ids)),
            )
        )
    if action:
        query = query.where(AuditEvent.action.like(f"{action.strip()}%"))
    start, end = day_bounds(date_from, date_to)
    if start:
        query = query.where(AuditEvent.at >= start)
    if end:
        query = query.where(AuditEvent.at < end)
    return query
