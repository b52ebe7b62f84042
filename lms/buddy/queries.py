"""Read helpers for buddy pages: each loads what its page shows in a fixed number of
queries, however many pairs or check-ins there are."""

from __future__ import annotations

from itertools import combinations

from sqlalchemy.orm import joinedload, lazyload, selectinload

from lms.accounts.models import User
from lms.buddy.models import (
    BuddyGroup,
    BuddyMember,
    BuddyStatus,
    CheckIn,
    PairingRule,
    RepairRequest,
)
from lms.extensions import db


def _members():
    return (
        selectinload(BuddyGroup.members)
        .joinedload(BuddyMember.user)
        .options(joinedload(User.organisation), lazyload(User.role_grants))
    )


def group(group_id: int) -> BuddyGroup | None:
    return db.session.scalar(
        db.select(BuddyGroup)
        .where(BuddyGroup.id == group_id)
        .options(joinedload(BuddyGroup.intake), _members())
    )


def groups(intake_id: int, *statuses: BuddyStatus) -> list[BuddyGroup]:
    """An intake's groups in one of ``statuses``, with members, lowest score first (so a
    lead sees the weakest pairs at the top)."""
    return list(
        db.session.scalars(
            db.select(BuddyGroup)
            .where(BuddyGroup.intake_id == intake_id, BuddyGroup.status.in_(statuses))
            .options(_members())
            .order_by(BuddyGroup.points, BuddyGroup.id)
        )
    )


def confirmed_member_ids(intake_id: int) -> set[int]:
    return set(
        db.session.scalars(
            db.select(BuddyMember.user_id)
            .join(BuddyGroup)
            .where(BuddyGroup.intake_id == intake_id, BuddyGroup.status == BuddyStatus.CONFIRMED)
        )
    )


def past_pairs(people: set[int]) -> set[frozenset[int]]:
    """Pairs among ``people`` who have been in a confirmed (or since ended) group together."""
    if not people:
        return set()
    rows = db.session.execute(
        db.select(BuddyMember.group_id, BuddyMember.user_id)
        .join(BuddyGroup)
        .where(
            BuddyMember.user_id.in_(people),
            BuddyGroup.status.in_((BuddyStatus.CONFIRMED, BuddyStatus.ENDED)),
        )
    ).all()
    by_group: dict[int, list[int]] = {}
    for group_id, user_id in rows:
        by_group.setdefault(group_id, []).append(user_id)
    return {frozenset(pair) for members in by_group.values() for pair in combinations(members, 2)}


def rules(intake_id: int) -> list[PairingRule]:
    return list(
        db.session.scalars(
            db.select(PairingRule)
            .where(PairingRule.intake_id == intake_id)
            .options(
                joinedload(PairingRule.first).lazyload(User.role_grants),
                joinedload(PairingRule.second).lazyload(User.role_grants),
            )
            .order_by(PairingRule.id)
        )
    )


def current_groups_of(user_id: int) -> list[BuddyGroup]:
    """A facilitator's confirmed buddy groups (one per intake), with the other members."""
    return list(
        db.session.scalars(
            db.select(BuddyGroup)
            .join(BuddyMember)
            .where(BuddyMember.user_id == user_id, BuddyGroup.status == BuddyStatus.CONFIRMED)
            .options(joinedload(BuddyGroup.intake), _members())
            .order_by(BuddyGroup.id)
        ).unique()
    )


def check_ins(group_ids: list[int]) -> list[CheckIn]:
    if not group_ids:
        return []
    return list(
        db.session.scalars(
            db.select(CheckIn)
            .where(CheckIn.group_id.in_(group_ids))
            .options(joinedload(CheckIn.logged_by).lazyload(User.role_grants))
            .order_by(CheckIn.met_on.desc(), CheckIn.id.desc())
        )
    )


def check_in_count(user_id: int) -> int:
    """Check-ins with any buddy the person has had: each counts for every member."""
    return (
        db.session.scalar(
            db.select(db.func.count(CheckIn.id))
            .join(BuddyMember, BuddyMember.group_id == CheckIn.group_id)
            .where(BuddyMember.user_id == user_id)
        )
        or 0
    )


def check_in_counts_by_group(group_ids: list[int]) -> dict[int, int]:
    if not group_ids:
        return {}
    return dict(
        db.session.execute(
            db.select(CheckIn.group_id, db.func.count(CheckIn.id))
            .where(CheckIn.group_id.in_(group_ids))
            .group_by(CheckIn.group_id)
        ).all()
    )


def open_request(group_id: int, user_id: int) -> RepairRequest | None:
    return db.session.scalar(
        db.select(RepairRequest).where(
            RepairRequest.group_id == group_id,
            RepairRequest.user_id == user_id,
            RepairRequest.resolved_at.is_(None),
        )
    )


def open_requests_for_group(group_id: int) -> list[RepairRequest]:
    return list(
        db.session.scalars(
            db.select(RepairRequest).where(
                RepairRequest.group_id == group_id, RepairRequest.resolved_at.is_(None)
            )
        )
    )


def open_requests(intake_id: int) -> list[RepairRequest]:
    return list(
        db.session.scalars(
            db.select(RepairRequest)
            .join(BuddyGroup)
            .where(BuddyGroup.intake_id == intake_id, RepairRequest.resolved_at.is_(None))
            .options(joinedload(RepairRequest.user).lazyload(User.role_grants))
            .order_by(RepairRequest.created_at)
        )
    )


def open_requests_of(user_id: int) -> dict[int, RepairRequest]:
    """A person's open re-pairing requests, by group."""
    return {
        r.group_id: r
        for r in db.session.scalars(
            db.select(RepairRequest).where(
                RepairRequest.user_id == user_id, RepairRequest.resolved_at.is_(None)
            )
        )
    }


def request(request_id: int) -> RepairRequest | None:
    return db.session.scalar(
        db.select(RepairRequest)
        .where(RepairRequest.id == request_id)
        .options(joinedload(RepairRequest.group).options(_members_of_group()))
    )


def _members_of_group():
    return selectinload(BuddyGroup.members).joinedload(BuddyMember.user)


def contacts(groups: list[BuddyGroup]) -> dict[tuple[int, int], object]:
    """The application each buddy joined their intake with (job title, phone, contact
    email), keyed by (intake id, user id): one query for every buddy on the page."""
    from lms.applications.models import Application, IntakeFacilitator

    wanted = {(g.intake_id, m.user_id) for g in groups for m in g.members}
    if not wanted:
        return {}
    rows = db.session.execute(
        db.select(IntakeFacilitator.intake_id, IntakeFacilitator.user_id, Application)
        .join(Application, Application.id == IntakeFacilitator.application_id)
        .where(
            IntakeFacilitator.intake_id.in_({i for i, _ in wanted}),
            IntakeFacilitator.user_id.in_({u for _, u in wanted}),
        )
        .options(lazyload("*"))
    ).all()
    return {(i, u): a for i, u, a in rows if (i, u) in wanted}
