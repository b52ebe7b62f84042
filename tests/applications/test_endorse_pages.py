"""The line manager's endorsement page, reached by a single-use link without an account."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.applications import decisions, endorsement
from lms.applications.models import (
    EndorsementDecision,
    EndorsementRequest,
    EndorsementStatus,
)
from lms.db_types import utcnow


@pytest.fixture
def link(make_application, make_organisation, db):
    """A submitted application and a fresh endorsement link for it: (application, path)."""
    application = make_application(submit=True, motivation="I want to help managers think.")
    application.organisation = make_organisation(name="Cwm Taf Morgannwg UHB")
    token = endorsement.request_endorsement(application, by=application.applicant)
    db.session.flush()
    return application, f"/endorse/{token}"


def _request(db, application) -> EndorsementRequest:
    return db.session.scalar(
        db.select(EndorsementRequest)
        .where(EndorsementRequest.application_id == application.id)
        .order_by(EndorsementRequest.id.desc())
    )


def test_the_manager_sees_who_is_asking_and_what_it_takes(client, link):
    application, path = link
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Endorse Aisha Applicant's application" in page
    assert "Ward manager" in page and "Cwm Taf Morgannwg UHB" in page
    assert application.intake.name in page
    assert "I want to help managers think." in page
    assert "4 to 6 times for 90 minutes" in page and "group supervision" in page
    assert "I endorse this application" in page and "I do not endorse this application" in page


def test_endorsing_records_it_and_confirms(client, link, db):
    application, path = link
    response = client.post(path, data={"decision": "endorsed", "comment": "Fully supported"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "nhsuk-panel" in page and "Your answer has been sent" in page
    assert "You have endorsed Aisha Applicant" in page
    assert application.endorsement_status is EndorsementStatus.ENDORSED
    request = _request(db, application)
    assert request.decision is EndorsementDecision.ENDORSED
    assert request.comment == "Fully supported"


def test_the_link_works_once(client, link, db):
    application, path = link
    client.post(path, data={"decision": "endorsed", "comment": ""})
    second_answer = {"decision": "declined", "comment": "No"}
    for again in (client.get(path), client.post(path, data=second_answer)):
        assert again.status_code == 410
        page = again.get_data(as_text=True)
        assert "This link has already been used" in page
        assert "application was endorsed" in page
    # The second answer changed nothing.
    assert application.endorsement_status is EndorsementStatus.ENDORSED
    assert _request(db, application).decision is EndorsementDecision.ENDORSED


def test_declining_needs_a_comment_and_keeps_the_choice(client, link, db):
    application, path = link
    response = client.post(path, data={"decision": "declined", "comment": "  "})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "Tell the applicant why you do not endorse their application" in page
    assert 'href="#comment"' in page  # the error summary points at the comment box
    assert 'value="declined" checked' in page
    assert application.endorsement_status is EndorsementStatus.AWAITING

    response = client.post(path, data={"decision": "declined", "comment": "Not this year"})
    assert "You have not endorsed" in response.get_data(as_text=True)
    assert application.endorsement_status is EndorsementStatus.DECLINED
    assert _request(db, application).comment == "Not this year"


def test_a_decision_must_be_chosen(client, link):
    application, path = link
    page = client.post(path, data={"comment": "Hmm"}).get_data(as_text=True)
    assert "Select whether you endorse this application" in page
    assert 'href="#decision"' in page
    assert application.endorsement_status is EndorsementStatus.AWAITING


def test_an_expired_link_says_so_and_how_to_get_another(client, link, db):
    application, path = link
    _request(db, application).expires_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    for response in (client.get(path), client.post(path, data={"decision": "endorsed"})):
        assert response.status_code == 410
        page = response.get_data(as_text=True)
        assert "This link has expired" in page
        assert "Ask Aisha Applicant to send you a new link" in page
    assert application.endorsement_status is EndorsementStatus.AWAITING


def test_a_replaced_link_points_to_the_newer_one(client, link, db):
    application, path = link
    endorsement.request_endorsement(application, by=application.applicant)
    response = client.get(path)
    assert response.status_code == 410
    assert "A newer link has been sent" in response.get_data(as_text=True)


def test_a_closed_application_needs_no_endorsement(client, link, db):
    application, path = link
    decisions.withdraw(application, by=application.applicant)
    response = client.get(path)
    assert response.status_code == 410
    assert "no longer needs your endorsement" in response.get_data(as_text=True)


def test_an_unknown_link_is_not_found(client, link):
    response = client.get("/endorse/not-a-real-token")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("used", [False, True])
def test_the_token_stays_out_of_referrers_and_caches(client, link, used):
    _application, path = link
    if used:
        client.post(path, data={"decision": "endorsed"})
    response = client.get(path)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_other_pages_keep_the_usual_referrer_policy(client):
    assert client.get("/intakes").headers["Referrer-Policy"] != "no-referrer"


def test_guessing_links_is_rate_limited(app, client, link):
    _application, path = link
    limit = int(app.config["ENDORSE_LIMIT"].split()[0])
    for n in range(limit):
        assert client.get(f"/endorse/guess-{n}").status_code == 404
    assert client.get("/endorse/guess-again").status_code == 429
    assert client.get(path).status_code == 429  # from this address, for now


def test_reading_the_page_does_not_use_the_link(client, link):
    application, path = link
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200
    assert application.endorsement_status is EndorsementStatus.AWAITING
