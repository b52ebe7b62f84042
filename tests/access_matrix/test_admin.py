"""Admin pages that take an id: people (and erasing one), organisations, the outbox and
failed jobs. Only admins use them (SPEC section 2: admins manage accounts, roles,
organisations and settings); every other role is refused with 403."""

from __future__ import annotations

import pytest

from lms.accounts.models import Role, User
from tests.access_matrix.changes import allowed_posts, check_allowed_post
from tests.access_matrix.conftest import Route, cases, holders

ADMINS = holders(Role.ADMIN)


def person(w):
    return {"user_id": w.person}


def person_state(w):
    """What an admin's change to a person would alter: their roles, organisation, status."""
    from lms.extensions import db

    user = db.session.get(User, w.person)
    db.session.refresh(user)
    return (sorted(r.value for r in user.roles), user.organisation_id, user.is_active)


ROUTES = [
    Route("admin.show_person", person, allow=ADMINS),
    Route(
        "admin.grant_role",
        person,
        allow=ADMINS,
        data=lambda w: {"grant-role": Role.LEAD.value},
        state=person_state,
    ),
    Route(
        "admin.revoke_role",
        person,
        allow=ADMINS,
        data=lambda w: {"role": Role.APPLICANT.value},
        state=person_state,
    ),
    Route(
        "admin.set_person_organisation",
        person,
        allow=ADMINS,
        data=lambda w: {"org-organisation_id": ""},
        state=person_state,
    ),
    Route("admin.toggle_active", person, allow=ADMINS, state=person_state),
    Route(
        "admin.edit_organisation",
        lambda w: {"organisation_id": w.organisation},
        allow=ADMINS,
        data=lambda w: {"name": "Renamed by the matrix", "sector": "acute", "region": "london"},
        state=lambda w: _organisation_name(w.organisation),
    ),
    Route(
        "privacy.erase_person",  # UK GDPR erasure (SPEC section 10): admins only
        person,
        allow=ADMINS,
        data=lambda w: {"email": "owen.evans@example.org"},
        state=lambda w: _name_and_email(w.person),
    ),
    Route("admin.show_email", lambda w: {"message_id": w.email_message}, allow=ADMINS),
    Route(
        "admin.retry_job",
        lambda w: {"failure_id": w.job_failure},
        allow=ADMINS,
        state=lambda w: _retried_at(w.job_failure),
    ),
]


def _name_and_email(user_id: int) -> tuple[str, str]:
    from lms.extensions import db

    row = db.session.execute(db.select(User.name, User.email).where(User.id == user_id)).one()
    return (row.name, row.email)


def _organisation_name(organisation_id: int) -> str:
    from lms.accounts.models import Organisation
    from lms.extensions import db

    return db.session.scalar(db.select(Organisation.name).where(Organisation.id == organisation_id))


def _retried_at(failure_id: int):
    from lms.extensions import db
    from lms.jobs import JobFailure

    return db.session.scalar(db.select(JobFailure.retried_at).where(JobFailure.id == failure_id))


@pytest.mark.parametrize("case", cases(ROUTES))
def test_access(matrix, case):
    matrix.check(case)


@pytest.mark.parametrize(("route", "actor"), allowed_posts(ROUTES))
def test_the_refused_body_would_have_changed_the_record(matrix, route, actor):
    check_allowed_post(matrix, route, actor)
