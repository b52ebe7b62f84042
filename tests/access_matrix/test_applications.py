"""Applications (SPEC section 9, "own application" and "others' applications").

An applicant edits their own application until they submit it and answers their own
offer; anyone else asking for it is answered 404, as if it did not exist. Reviewers read
and score only the applications assigned to them (another reviewer's assignment: 404).
Leads read every submitted application and decide; admins read them too but do not act
(403). A draft stays the applicant's own: even a lead is answered 404. The line manager's
link works for whoever holds it.
"""

from __future__ import annotations

import pytest

from lms.accounts.models import Role
from lms.applications.models import (
    Application,
    ApplicationStatus,
    EndorsementRequest,
    ReviewAssignment,
)
from lms.extensions import db
from tests.access_matrix.changes import allowed_posts, check_allowed_post
from tests.access_matrix.conftest import HIDE, PUBLIC, SIGNED_IN, Route, cases, holders

LEADS = holders(Role.LEAD)
READERS = holders(Role.LEAD, Role.ADMIN)


def draft(w):
    return {"application_id": w.draft_application}


def offered(w):
    return {"application_id": w.offered_application}


def awaiting(w):
    return {"application_id": w.awaiting_application}


def status_of(name: str):
    """The application's status and answers, to show a refused request changed nothing."""

    def read(w):
        application = db.session.get(Application, getattr(w, name))
        db.session.refresh(application)
        return (application.status, application.full_name, application.endorsement_status)

    return read


def links_of(name: str):
    """How many endorsement links the application has had: resending adds one."""

    def read(w):
        return db.session.scalar(
            db.select(db.func.count())
            .select_from(EndorsementRequest)
            .where(EndorsementRequest.application_id == getattr(w, name))
        )

    return read


def reviewers_of(name: str):
    def read(w):
        return sorted(
            db.session.scalars(
                db.select(ReviewAssignment.reviewer_id).where(
                    ReviewAssignment.application_id == getattr(w, name)
                )
            )
        )

    return read


def scores_of(name: str):
    def read(w):
        assignment = db.session.get(ReviewAssignment, getattr(w, name))
        db.session.refresh(assignment)
        return (assignment.submitted_at, assignment.scores)

    return read


SCORES = {"motivation": "3", "reflection": "3", "potential": "3", "commitment": "3"}

# The applicant's own pages: the owner only; to everyone else the application is not there.
OWN = [
    Route("applications.show_my_application", draft, allow={"applicant"}, default=HIDE),
    Route(
        "applications.show_my_application",
        offered,
        allow={"other_applicant"},
        default=HIDE,
        case="offered",
    ),
    Route(
        "applications.edit_section",
        lambda w: {**draft(w), "key": "personal"},
        allow={"applicant"},
        default=HIDE,
        data=lambda w: {"full_name": "Someone Else", "action": "draft"},
        state=status_of("draft_application"),
    ),
    Route(
        "applications.edit_equality",
        draft,
        allow={"applicant"},
        default=HIDE,
        data=lambda w: {"age_band": "25_34"},
    ),
    Route("applications.check_answers", draft, allow={"applicant"}, default=HIDE),
    Route(
        "applications.submit_application",
        draft,
        allow={"applicant"},
        default=HIDE,
        state=status_of("draft_application"),
    ),
    Route(
        "applications.resend_my_endorsement",
        awaiting,
        allow=(),  # Owen, its owner, is not an actor
        default=HIDE,
        state=links_of("awaiting_application"),
        case="someone else's",
    ),
    Route(
        "applications.resend_my_endorsement",
        offered,
        allow={"other_applicant"},  # answered, so nothing is sent; but it is hers to ask
        default=HIDE,
    ),
    Route(
        "applications.accept_offer",
        offered,
        allow={"other_applicant"},
        default=HIDE,
        state=status_of("offered_application"),
    ),
    Route(
        "applications.decline_offer",
        offered,
        allow={"other_applicant"},
        default=HIDE,
        data=lambda w: {"reason": "Not now"},
        state=status_of("offered_application"),
    ),
    Route(
        "applications.withdraw_application",
        offered,
        allow={"other_applicant"},
        default=HIDE,
        data=lambda w: {"reason": "Not now"},
        state=status_of("offered_application"),
    ),
    # Anyone with an account may apply to an open intake.
    Route(
        "applications.start_application",
        lambda w: {"intake_id": w.open_intake},
        allow=SIGNED_IN,
    ),
]

# Reviewers: their own assignments only.
REVIEWS = [
    Route(
        "applications.score_application",
        lambda w: {"assignment_id": w.open_assignment},
        allow={"reviewer"},
        hide={"other_reviewer"},
        data=lambda w: {**SCORES, "comment": "Scored by someone else"},
        state=scores_of("open_assignment"),
    ),
    Route(
        "applications.score_application",
        # Rhys's submitted scores on Priya's application, which Rachel also reviewed:
        # she reads her own scores (and Rhys's) only through her own assignment.
        lambda w: {"assignment_id": w.scored_assignment},
        allow={"reviewer"},
        hide={"other_reviewer"},
        state=scores_of("scored_assignment"),
        case="submitted",
    ),
]

# Leads' pages: leads decide; admins read (SPEC section 9: others' applications, "all").
LEAD_PAGES = [
    Route(
        "applications.edit_intake",
        lambda w: {"intake_id": w.open_intake},
        allow=LEADS,
        data=lambda w: {"name": "Renamed by someone else"},
    ),
    Route("applications.list_applications", lambda w: {"intake_id": w.open_intake}, allow=READERS),
    Route(
        "applications.export_applications",
        lambda w: {"intake_id": w.open_intake, "format": "csv"},
        allow=READERS,
    ),
    Route("applications.show_selection", lambda w: {"intake_id": w.open_intake}, allow=READERS),
    Route("applications.show_application", awaiting, allow=READERS),
    Route(
        "applications.show_application",
        draft,
        hide=READERS,  # a draft is the applicant's own until they submit it
        case="draft",
    ),
]


def decision(endpoint: str, values=awaiting, name="awaiting_application", **fields) -> Route:
    """A lead's action on an application: leads only; a refusal changes nothing."""
    fields.setdefault("state", status_of(name))
    return Route(endpoint, values, allow=LEADS, **fields)


DECISIONS = [
    decision("applications.resend_endorsement_link", state=links_of("awaiting_application")),
    decision(
        "applications.assign_reviewers",
        data=lambda w: {"assign-reviewers": str(w.users["other_reviewer"])},
        state=reviewers_of("awaiting_application"),
    ),
    decision(
        "applications.assign_reviewers_automatically", state=reviewers_of("awaiting_application")
    ),
    decision(
        "applications.remove_reviewer",
        lambda w: {**awaiting(w), "review_id": w.open_assignment},
        state=reviewers_of("awaiting_application"),
    ),
    decision("applications.shortlist_application"),
    decision("applications.waitlist_application"),
    decision(
        "applications.offer_place",
        data=lambda w: {"offer-respond_by": ""},
    ),
    decision(
        "applications.reject_application",
        data=lambda w: {"reject-reason": "Refused by someone who may not decide"},
    ),
    decision("applications.lapse_offer", offered, "offered_application"),
]

# The line manager's single-use link: the token is the credential, whoever is signed in.
LINKS = [
    Route(
        "applications.endorse",
        lambda w: {"token": w.endorsement_token},
        default=PUBLIC,
    ),
]

ROUTES = OWN + REVIEWS + LEAD_PAGES + DECISIONS + LINKS


@pytest.mark.parametrize("case", cases(ROUTES))
def test_access(matrix, case):
    matrix.check(case)


UNCHANGEABLE = {
    "applications.submit_application",  # Aisha's draft is not finished, so it cannot go in
    "applications.score_application[submitted]",  # scores once submitted are final
    "applications.lapse_offer",  # Megan's offer has not passed its reply date
}


@pytest.mark.parametrize(("route", "actor"), allowed_posts(ROUTES, skip=UNCHANGEABLE))
def test_the_refused_body_would_have_changed_the_record(matrix, route, actor):
    check_allowed_post(matrix, route, actor)


def test_the_owner_of_a_submitted_application_can_no_longer_change_it(world, matrix):
    """SPEC section 9: "edit until submit". Megan may open her section pages, but a change
    is turned away and nothing is saved."""
    client = world.clients["other_applicant"]
    url = f"/applications/{world.offered_application}/sections/personal"
    response = client.post(url, data={"full_name": "Megan Changed", "contact_email": "m@x.org"})
    assert response.status_code == 302
    application = db.session.get(Application, world.offered_application)
    assert application.full_name == "Megan Jones"
    assert application.status is ApplicationStatus.OFFERED


def test_an_admin_reads_an_application_without_the_leads_actions(world, matrix):
    page = world.clients["admin"].get(f"/lead/applications/{world.awaiting_application}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Owen Evans" in text
    assert "Send the link again" not in text and "Assign chosen reviewers" not in text
    assert "Remove" not in text
    lead_page = world.clients["lead"].get(f"/lead/applications/{world.awaiting_application}")
    lead_text = lead_page.get_data(as_text=True)
    assert "Send the link again" in lead_text and "Assign chosen reviewers" in lead_text
