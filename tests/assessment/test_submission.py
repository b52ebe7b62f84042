"""Submitting a portfolio, freezing it, returning it and submitting again; the snapshot the
reviewer sees; the personal email the award is keyed to; picking items to showcase."""

from __future__ import annotations

import re

import pytest

from lms.accounts.models import Role
from lms.assessment import criteria, portfolio, submission
from lms.assessment.models import (
    Award,
    PortfolioSubmission,
    ShowcaseItem,
    SubmissionStatus,
)
from lms.assessment.submission import SubmissionError
from lms.audit import AuditEvent
from lms.curriculum.services import join_intake
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.models import Notification


def submissions_of(user) -> list[PortfolioSubmission]:
    return list(
        db.session.scalars(
            db.select(PortfolioSubmission)
            .where(PortfolioSubmission.user_id == user.id)
            .order_by(PortfolioSubmission.id)
        )
    )


def actions(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def ready(facilitator, intake, make_ready):
    make_ready(facilitator, intake)
    assert portfolio.readiness(facilitator.id).ready
    return facilitator


# --- Refusals ---------------------------------------------------------------------------------


def test_submission_is_refused_when_not_every_criterion_is_met(
    db, facilitator, evidence_maker, intake
):
    evidence_maker.check_ins(facilitator, intake, count=4)  # one criterion of six
    with pytest.raises(SubmissionError, match="every award criterion is met"):
        submission.submit(facilitator, "fran@example.net", "Please")
    assert submissions_of(facilitator) == []
    assert facilitator.personal_email is None


def test_submission_is_refused_outside_an_intake(db, make_user):
    loner = make_user(Role.FACILITATOR)
    with pytest.raises(SubmissionError, match="joined an intake"):
        submission.submit(loner, "me@example.net", None)


def test_only_facilitators_submit(db, make_user, intake):
    lead = make_user(Role.LEAD)
    join_intake(intake, lead)
    with pytest.raises(SubmissionError, match="Only trainee facilitators"):
        submission.submit(lead, "me@example.net", None)


def test_submitting_twice_is_refused(db, ready):
    submission.submit(ready, "fran@example.net", None)
    with pytest.raises(SubmissionError, match="already submitted"):
        submission.submit(ready, "fran@example.net", None)
    assert len(submissions_of(ready)) == 1


def test_no_submission_once_awarded_in_the_intake(db, ready, intake, lead):
    first = submission.submit(ready, "fran@example.net", None)
    db.session.add(
        Award(
            user_id=ready.id,
            intake_id=intake.id,
            submission_id=first.id,
            holder_name=ready.name,
            holder_email="fran@example.net",
        )
    )
    first.status = SubmissionStatus.AWARDED
    db.session.flush()
    with pytest.raises(SubmissionError, match="already been given the award"):
        submission.submit(ready, "fran@example.net", None)


@pytest.mark.parametrize("email", ["", "   ", "not-an-email", "fran@", "fran@example..net"])
def test_the_personal_email_must_be_an_email_address(db, ready, email):
    with pytest.raises(SubmissionError) as caught:
        submission.submit(ready, email, None)
    assert caught.value.field == "personal_email"
    assert submissions_of(ready) == []


def test_the_statement_has_a_limit(db, ready):
    with pytest.raises(SubmissionError) as caught:
        submission.submit(ready, "fran@example.net", "x" * (submission.STATEMENT_MAX + 1))
    assert caught.value.field == "statement"
    submission.submit(ready, "fran@example.net", "x" * submission.STATEMENT_MAX)


# --- Submitting ------------------------------------------------------------------------------


def test_submitting_freezes_a_snapshot_and_tells_the_leads(db, ready, intake, lead, make_user):
    other_lead = make_user(Role.LEAD, language="cy")
    state = portfolio.readiness(ready.id)
    upload = next(i for i in state.items if i.source == "supervision")
    submission.set_showcase(ready, {upload.key})

    sent = submission.submit(ready, "  Fran.Personal@Example.NET ", "  My statement  ")

    assert sent.status is SubmissionStatus.SUBMITTED
    assert sent.intake_id == intake.id
    assert sent.personal_email == "fran.personal@example.net"
    assert ready.personal_email == "fran.personal@example.net"
    assert sent.statement == "My statement"
    snap = sent.snapshot
    assert [i["source"] for i in snap["items"]] == [i.source for i in state.items]
    assert snap["requirements"] == criteria.requirements_json(criteria.DEFAULTS)
    assert snap["showcased"] == [[upload.source, upload.ref]]
    assert {r["kind"] for r in snap["results"]} == {k.value for k in criteria.RequirementKind}
    assert all(r["met"] for r in snap["results"])
    assert portfolio.is_frozen(ready.id)

    [entry] = actions("portfolio.submitted")
    assert entry.subject_id == sent.id and entry.actor_id == ready.id
    told = {n.user_id: n for n in db.session.scalars(db.select(Notification)).all() if n.link}
    for person in (lead, other_lead):
        assert told[person.id].link == f"/lead/portfolios/{sent.id}"
    assert ready.name in told[lead.id].message


def test_the_snapshot_reads_back_as_the_items_and_results_submitted(
    db, ready, evidence_maker, intake
):
    before = portfolio.readiness(ready.id)
    sent = submission.submit(ready, "fran@example.net", None)
    evidence_maker.uploads(ready, count=2)  # added later: not in what was submitted

    items = submission.snapshot_items(sent)
    assert [i.as_json() for i in items] == [i.as_json() for i in before.items]
    assert len(portfolio.readiness(ready.id).items) == len(before.items) + 2
    results = submission.snapshot_results(sent)
    assert [(r.kind, r.met, r.have, r.need) for r in results] == [
        (r.kind, r.met, r.have, r.need) for r in before.results
    ]


def test_the_snapshot_keeps_only_showcased_items_still_in_the_portfolio(db, ready):
    db.session.add(ShowcaseItem(user_id=ready.id, source="uploads", ref=999_999))
    db.session.flush()
    sent = submission.submit(ready, "fran@example.net", None)
    assert submission.snapshot_showcased(sent) == set()


# --- Freezing, returning and submitting again ----------------------------------------------------


def test_a_submitted_portfolio_is_frozen(db, ready):
    item = portfolio.readiness(ready.id).items[0]
    submission.submit(ready, "fran@example.net", None)
    with pytest.raises(SubmissionError, match="being reviewed"):
        submission.set_showcase(ready, {item.key})
    assert portfolio.showcased(ready.id) == set()


def test_the_showcase_route_is_refused_while_frozen(db, ready, login):
    item = portfolio.readiness(ready.id).items[0]
    submission.submit(ready, "fran@example.net", None)
    client = login(ready)
    response = client.post("/portfolio/showcase", data={"items": f"{item.source}:{item.ref}"})
    assert response.status_code == 400
    assert "being reviewed" in response.get_data(as_text=True)
    assert portfolio.showcased(ready.id) == set()


def test_returning_needs_comments_from_a_lead(db, ready, lead, make_user):
    sent = submission.submit(ready, "fran@example.net", None)
    with pytest.raises(SubmissionError) as caught:
        submission.return_submission(sent, lead, "   ")
    assert caught.value.field == "comments"
    with pytest.raises(SubmissionError) as caught:
        submission.return_submission(sent, lead, "x" * (submission.COMMENTS_MAX + 1))
    assert caught.value.field == "comments"
    for role in (Role.SUPERVISOR, Role.REVIEWER, Role.ADMIN, Role.FACILITATOR):
        with pytest.raises(SubmissionError, match="Only programme leads"):
            submission.return_submission(sent, make_user(role), "Add more")
    assert sent.status is SubmissionStatus.SUBMITTED


def test_returning_unfreezes_and_tells_the_holder(db, ready, lead, outbox):
    sent = submission.submit(ready, "fran@example.net", None)
    submission.return_submission(sent, lead, "Add a reflection on your second session")
    assert sent.status is SubmissionStatus.RETURNED
    assert sent.reviewed_by_id == lead.id and sent.reviewed_at is not None
    assert sent.comments == "Add a reflection on your second session"
    assert not portfolio.is_frozen(ready.id)
    item = portfolio.readiness(ready.id).items[0]
    submission.set_showcase(ready, {item.key})  # open to change again
    assert portfolio.showcased(ready.id) == {item.key}
    [entry] = actions("portfolio.returned")
    assert entry.subject_id == sent.id and entry.actor_id == lead.id
    [email] = [m for m in outbox() if m.recipient == ready.email]
    assert "returned" in email.subject
    with pytest.raises(SubmissionError, match="not waiting for review"):
        submission.return_submission(sent, lead, "Again")


def test_submitting_again_after_a_return_makes_a_new_submission(db, ready, lead):
    first = submission.submit(ready, "fran@example.net", None)
    submission.return_submission(first, lead, "More please")
    second = submission.submit(ready, "fran.new@example.net", "Added more")
    assert second.id != first.id
    assert [s.status for s in submissions_of(ready)] == [
        SubmissionStatus.RETURNED,
        SubmissionStatus.SUBMITTED,
    ]
    assert portfolio.latest_submission(ready.id).id == second.id
    assert ready.personal_email == "fran.new@example.net"


def test_an_awarded_submission_cannot_be_returned(db, ready, lead):
    sent = submission.submit(ready, "fran@example.net", None)
    sent.status = SubmissionStatus.AWARDED
    sent.reviewed_at = utcnow()
    with pytest.raises(SubmissionError, match="not waiting for review"):
        submission.return_submission(sent, lead, "No")


# --- The showcase -----------------------------------------------------------------------------


def test_the_showcase_is_replaced_and_only_holds_the_persons_items(
    db, facilitator, intake, evidence_maker, make_user
):
    mine = evidence_maker.uploads(facilitator, count=3)
    someone = make_user(Role.FACILITATOR)
    theirs = evidence_maker.uploads(someone)[0]

    submission.set_showcase(facilitator, {("uploads", mine[0].id), ("uploads", mine[1].id)})
    assert portfolio.showcased(facilitator.id) == {("uploads", mine[0].id), ("uploads", mine[1].id)}
    submission.set_showcase(facilitator, {("uploads", mine[1].id), ("uploads", mine[2].id)})
    assert portfolio.showcased(facilitator.id) == {("uploads", mine[1].id), ("uploads", mine[2].id)}

    with pytest.raises(SubmissionError, match="only items that are in your portfolio"):
        submission.set_showcase(facilitator, {("uploads", theirs.id)})
    with pytest.raises(SubmissionError):
        submission.set_showcase(facilitator, {("nonsense", 1)})
    assert portfolio.showcased(facilitator.id) == {("uploads", mine[1].id), ("uploads", mine[2].id)}

    submission.set_showcase(facilitator, set())
    assert portfolio.showcased(facilitator.id) == set()


# --- Through the pages ------------------------------------------------------------------------


def test_a_direct_post_is_refused_when_not_ready_and_keeps_what_was_typed(db, facilitator, login):
    client = login(facilitator)
    response = client.post(
        "/portfolio/submit",
        data={
            "personal_email": "typed@example.net",
            "statement": "TYPED-STATEMENT",
            "declaration": "y",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "every award criterion is met" in page
    assert "typed@example.net" in page and "TYPED-STATEMENT" in page
    assert submissions_of(facilitator) == []


def test_a_direct_post_with_a_bad_form_also_says_it_is_not_ready(db, facilitator, login):
    client = login(facilitator)
    response = client.post("/portfolio/submit", data={"personal_email": "nope"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "every award criterion is met" in page
    assert "correct format" in page
    assert "Confirm that this portfolio is your own work" in page


def test_submitting_through_the_page(db, ready, login, lead):
    client = login(ready)
    page = client.get("/portfolio/readiness").get_data(as_text=True)
    assert 'action="/portfolio/submit"' in page
    response = client.post(
        "/portfolio/submit",
        data={"personal_email": "fran@example.net", "statement": "", "declaration": "y"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/portfolio")
    [sent] = submissions_of(ready)
    assert sent.status is SubmissionStatus.SUBMITTED
    page = client.get("/portfolio").get_data(as_text=True)
    assert "Portfolio submitted" in page
    assert "It is frozen" in page
    assert 'action="/portfolio/showcase"' not in page
    readiness_page = client.get("/portfolio/readiness").get_data(as_text=True)
    assert 'action="/portfolio/submit"' not in readiness_page


def test_the_declaration_is_needed(db, ready, login):
    client = login(ready)
    response = client.post("/portfolio/submit", data={"personal_email": "fran@example.net"})
    assert response.status_code == 400
    assert "Confirm that this portfolio is your own work" in response.get_data(as_text=True)
    assert submissions_of(ready) == []


def test_the_readiness_page_prefills_the_personal_email(db, ready, login):
    ready.personal_email = "kept@example.net"
    client = login(ready)
    assert 'value="kept@example.net"' in client.get("/portfolio/readiness").get_data(as_text=True)


def test_submitting_needs_the_pages_csrf_token(app, db, ready, login):
    client = login(ready)
    data = {"personal_email": "fran@example.net", "declaration": "y"}
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/portfolio/submit", data=data).status_code == 400
        assert submissions_of(ready) == []
        page = client.get("/portfolio/readiness").get_data(as_text=True)
        form = page.split('action="/portfolio/submit"')[1]
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        response = client.post("/portfolio/submit", data={**data, "csrf_token": token})
        assert response.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert len(submissions_of(ready)) == 1
