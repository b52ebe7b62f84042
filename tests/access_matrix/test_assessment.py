"""Portfolios and awards (SPEC sections 8 and 9: "portfolio", "issue / revoke award",
"verification page").

A facilitator builds their own portfolio and alone deletes what they uploaded; it is read
by the supervisor of a group they are in now and by leads. Anyone else who asks for
someone's portfolio is told it is not there (404): whether a person has one is itself
private. An award's own page, certificate and credential are its holder's and the leads';
only the holder chooses the email it is keyed to. Leads review submissions, return them,
issue, renew and revoke awards and set each intake's criteria. The verification page and
the credential's status are public, signed in or not.

Relationships in the demo world: Fatima ("facilitator") has uploaded evidence and is in
Sam's ("supervisor") Group A with Dev ("buddy") and Kwame ("same_group_facilitator");
Ioan ("other_group_facilitator") is in Seren's ("other_supervisor") Group B. Grace
("award_holder", added here) holds an award from the completed intake; Daniel's was
revoked; Owen's portfolio is waiting for a lead's review.
"""

from __future__ import annotations

import pytest

from lms.accounts.models import Role
from lms.extensions import db
from tests.access_matrix.changes import allowed_posts, check_allowed_post
from tests.access_matrix.conftest import ACTORS as EVERYONE
from tests.access_matrix.conftest import HIDE, PUBLIC, Actor, Route, cases, holders

# This module's actors (the world signs them all in): everyone, and an award holder.
ACTORS = {
    **EVERYONE,
    "award_holder": Actor(
        "award_holder",
        "grace.okafor@example.org",
        frozenset({Role.FACILITATOR}),
        "Grace: holds an award (the completed intake)",
    ),
}

FACILITATORS = holders(Role.FACILITATOR, actors=ACTORS)
SUPERVISORS = holders(Role.SUPERVISOR, actors=ACTORS)
LEADS = holders(Role.LEAD, actors=ACTORS)


def _user(email: str):
    from lms.accounts.models import User

    return db.session.scalar(db.select(User).where(User.email == email))


def extend_world(w) -> None:
    """The demo's awards, Owen's submission, Fatima's upload and a copy she may delete."""
    from lms.applications.models import Intake
    from lms.assessment import storage, uploads
    from lms.assessment.models import Award, EvidenceUpload, PortfolioSubmission

    awards = {a.user.email: a for a in db.session.scalars(db.select(Award))}
    held, revoked = awards["grace.okafor@example.org"], awards["daniel.reid@example.org"]
    w.award, w.award_code = held.id, held.code
    w.revoked_award, w.revoked_code = revoked.id, revoked.code
    owen = _user("owen.jenkins@example.org")
    w.submission = db.session.scalar(
        db.select(PortfolioSubmission.id).where(PortfolioSubmission.user_id == owen.id)
    )
    w.owen = owen.id
    w.completed_intake = db.session.scalar(
        db.select(Intake.id).where(Intake.name == "Completed demo intake")
    )
    fatima = _user("facilitator@example.org")
    w.fatima, w.ioan = fatima.id, _user("ioan.jones@example.org").id
    upload = db.session.scalar(
        db.select(EvidenceUpload).where(EvidenceUpload.owner_id == fatima.id)
    )
    w.upload = upload.id
    # Deleting removes the file, which no rollback brings back: a copy of its own.
    copy = uploads.add_upload(
        fatima,
        storage.read(upload.storage_name),
        "Copy to delete.pdf",
        "A second copy of the reflective account.",
        ["contract"],
    )
    w.deletable_upload = copy.id


# --- What a refused request must leave alone --------------------------------------------------


def award_state(name: str):
    def read(w) -> tuple:
        from lms.assessment.models import Award as A

        columns = (A.holder_email, A.expires_at, A.revoked_at, A.revoke_reason)
        return tuple(db.session.execute(db.select(*columns).where(A.id == getattr(w, name))).one())

    return read


def submission_state(w) -> tuple:
    from lms.assessment.models import Award
    from lms.assessment.models import PortfolioSubmission as S

    columns = (S.status, S.reviewed_at, S.comments)
    return (
        tuple(db.session.execute(db.select(*columns).where(S.id == w.submission)).one()),
        db.session.scalar(db.select(db.func.count(Award.id)).where(Award.user_id == w.owen)),
    )


def upload_state(w):
    from lms.assessment.models import EvidenceUpload as U

    return db.session.scalar(db.select(U.id).where(U.id == w.deletable_upload))


def award(name: str):
    return lambda w: {"award_id": getattr(w, name)}


def portfolio_of(name: str):
    return lambda w: {"user_id": getattr(w, name)}


def upload(name: str):
    return lambda w: {"upload_id": getattr(w, name)}


def submission(w) -> dict:
    return {"submission_id": w.submission}


def completed_intake(w) -> dict:
    return {"intake_id": w.completed_intake}


def code(name: str):
    return lambda w: {"code": getattr(w, name)}


OTHER_FACILITATORS = FACILITATORS - {"award_holder"}

AWARDS = [
    Route(
        "assessment.show_award",
        award("award"),
        allow={"award_holder"} | LEADS,
        hide=OTHER_FACILITATORS,
    ),
    Route(
        "assessment.award_certificate",
        award("award"),
        allow={"award_holder"} | LEADS,
        hide=OTHER_FACILITATORS,
    ),
    Route(
        "assessment.award_credential",
        award("award"),
        allow={"award_holder"} | LEADS,
        hide=OTHER_FACILITATORS,
    ),
    Route(
        "assessment.award_email",
        award("award"),
        allow={"award_holder"},
        deny=LEADS,  # leads see the award; the email it is keyed to is the holder's choice
        hide=OTHER_FACILITATORS,
        data=lambda w: {"email": "changed.by.someone.else@example.com"},
        state=award_state("award"),
    ),
    # A revoked award is still its holder's; Grace has nothing to do with Daniel's.
    Route(
        "assessment.show_award",
        award("revoked_award"),
        allow=LEADS,
        hide=FACILITATORS,
        case="someone else's, revoked",
    ),
    Route("assessment.verify_award", code("award_code"), default=PUBLIC),
    Route("assessment.verify_award", code("revoked_code"), default=PUBLIC, case="revoked"),
    Route("assessment.credential_status", code("award_code"), default=PUBLIC),
]

PORTFOLIOS = [
    # Anyone else is told there is no such portfolio, whatever their role.
    Route(
        "assessment.person_portfolio",
        portfolio_of("fatima"),
        allow={"facilitator", "supervisor", "lead"},  # Fatima is sent to her own page
        default=HIDE,
    ),
    Route(
        "assessment.person_portfolio",
        portfolio_of("ioan"),
        allow={"other_group_facilitator", "other_supervisor", "lead"},
        default=HIDE,
        case="group B",
    ),
    Route(
        "assessment.download_upload",
        upload("upload"),
        allow={"facilitator", "supervisor"} | LEADS,
        hide=(FACILITATORS | SUPERVISORS) - {"facilitator", "supervisor"},
    ),
    Route(
        "assessment.delete_upload",
        upload("deletable_upload"),
        allow={"facilitator"},
        hide=FACILITATORS - {"facilitator"},
        state=upload_state,
    ),
]

LEAD_PAGES = [
    Route("assessment.review_submission", submission, allow=LEADS),
    Route(
        "assessment.return_submission",
        submission,
        allow=LEADS,
        data=lambda w: {"comments": "Returned by someone who may not"},
        state=submission_state,
    ),
    Route("assessment.issue_award", submission, allow=LEADS, state=submission_state),
    Route("assessment.lead_award", award("award"), allow=LEADS),
    Route(
        "assessment.revoke_award",
        award("award"),
        allow=LEADS,
        data=lambda w: {"reason": "Revoked by someone who may not"},
        state=award_state("award"),
    ),
    Route("assessment.renew_award", award("award"), allow=LEADS, state=award_state("award")),
    Route("assessment.lead_pipeline", completed_intake, allow=LEADS),
    Route("assessment.lead_scheme", completed_intake, allow=LEADS),
]

ROUTES = AWARDS + PORTFOLIOS + LEAD_PAGES


@pytest.mark.parametrize("case", cases(ROUTES, ACTORS))
def test_access(matrix, case):
    matrix.check(case)


# The completed intake's awards have no renewal period, so renewing changes nothing.
NOT_CHANGED_BY_THE_ALLOWED = {"assessment.renew_award"}


@pytest.mark.parametrize(("route", "actor"), allowed_posts(ROUTES, NOT_CHANGED_BY_THE_ALLOWED))
def test_what_refused_people_post_would_change_the_record(matrix, route, actor):
    check_allowed_post(matrix, route, actor)


def test_the_world_has_the_relationships_the_table_relies_on(world):
    """If the demo changes, the table above must change with it, not silently mean less."""
    from lms.assessment import permissions
    from lms.assessment.models import Award, EvidenceUpload
    from lms.supervision.observation_permissions import supervises

    u = world.users
    held, revoked = (db.session.get(Award, i) for i in (world.award, world.revoked_award))
    assert held.user_id == u["award_holder"] and held.revoked_at is None
    assert revoked.revoked_at is not None and revoked.user_id not in u.values()
    for name in ("upload", "deletable_upload"):
        assert db.session.get(EvidenceUpload, getattr(world, name)).owner_id == u["facilitator"]
    users = {name: db.session.get(type(held.user), uid) for name, uid in u.items()}
    assert supervises(users["supervisor"], u["facilitator"])
    assert not supervises(users["other_supervisor"], u["facilitator"])
    assert supervises(users["other_supervisor"], u["other_group_facilitator"])
    assert not permissions.holds(users["facilitator"], held)
