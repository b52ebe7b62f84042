"""The applicant's journey through the pages: start, drafts, check answers, submit, offer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.applications import decisions, endorsement, services
from lms.applications.models import (
    Application,
    ApplicationStatus,
    EndorsementDecision,
    EqualityResponse,
    IntakeFacilitator,
)

from .conftest import ANSWERS


def _start(client, intake) -> Application:
    response = client.post(f"/intakes/{intake.id}/apply")
    assert response.status_code == 302
    return Application.query.filter_by(intake_id=intake.id).one()


def test_the_whole_journey_from_the_intake_page_to_a_facilitator_home(
    login_as, make_intake, make_user, outbox, db
):
    intake = make_intake(name="2027 spring")
    client = login_as(Role.APPLICANT)
    assert "Apply to 2027 spring" in client.get("/intakes").get_data(as_text=True)
    application = _start(client, intake)
    task_list = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "You have completed 0 of 9 sections" in task_list

    for key, values in ANSWERS.items():
        response = client.post(
            f"/applications/{application.id}/sections/{key}", data={**values, "action": "continue"}
        )
        assert response.status_code == 302, (key, response.get_data(as_text=True)[:3000])
    client.post(f"/applications/{application.id}/equality", data={"age_band": "35_44"})
    task_list = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "You have completed 9 of 9 sections" in task_list

    check = client.get(f"/applications/{application.id}/check").get_data(as_text=True)
    assert "You cannot submit your application yet" not in check
    assert "I want to help new managers think for themselves." in check
    response = client.post(f"/applications/{application.id}/submit")
    assert "Application submitted" in response.get_data(as_text=True)
    assert application.status is ApplicationStatus.SUBMITTED
    assert db.session.scalar(db.select(EqualityResponse.user_id)) is None

    # The line manager endorses; two reviewers score; the lead offers.
    token = endorsement.request_endorsement(application, by=client.user)
    endorsement.respond(token, EndorsementDecision.ENDORSED, None)
    lead = make_user(Role.LEAD)
    decisions.offer_place(application, lead, services.today())
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "You have been offered a place" in page and "Line manager endorsed" in page

    response = client.post(f"/applications/{application.id}/accept")
    assert response.headers["Location"] == "/"
    db.session.expire_all()
    assert application.status is ApplicationStatus.ACCEPTED
    assert client.user.has_role(Role.FACILITATOR)
    assert db.session.scalar(db.select(IntakeFacilitator.user_id)) == client.user.id
    home = client.get("/").get_data(as_text=True)
    assert "You are now a trainee facilitator" in home
    subjects = [m.subject for m in outbox() if m.recipient == client.user.email]
    assert any("has been submitted" in s for s in subjects)
    assert any("An update on your application" in s for s in subjects)


def test_a_draft_is_kept_and_resumed(login_as, make_intake, db):
    client = login_as(Role.APPLICANT)
    application = _start(client, make_intake())
    response = client.post(
        f"/applications/{application.id}/sections/motivation",
        data={"motivation": "Half a thought", "action": "draft"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    page = client.get(f"/applications/{application.id}/sections/motivation")
    assert "Half a thought" in page.get_data(as_text=True)
    assert "In progress" in client.get(f"/applications/{application.id}").get_data(as_text=True)


def test_save_and_continue_with_gaps_keeps_the_answers_and_lists_the_gaps(login_as, make_intake):
    client = login_as(Role.APPLICANT)
    application = _start(client, make_intake())
    response = client.post(
        f"/applications/{application.id}/sections/personal",
        data={"full_name": "Aisha", "contact_email": "", "phone": "", "action": "continue"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert "Enter your phone number" in page and 'value="Aisha"' in page
    assert application.full_name == "Aisha"


@pytest.mark.parametrize(
    ("key", "values", "message"),
    [
        ("motivation", {"motivation": "word " * 501}, "must be 500 words or fewer"),
        ("personal", {"contact_email": "not-an-email"}, "Enter an email address in the correct"),
        ("manager", {"manager_name": "M", "manager_email": "x@"}, "Enter an email address"),
        ("delivery", {"preferred_mode": "teleport"}, "Not a valid choice"),
    ],
)
def test_bad_input_is_refused_and_what_was_typed_is_kept(
    key, values, message, login_as, make_intake
):
    client = login_as(Role.APPLICANT)
    application = _start(client, make_intake())
    response = client.post(
        f"/applications/{application.id}/sections/{key}", data={**values, "action": "draft"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert message in page
    name, bad = next(iter(values.items()))
    assert getattr(application, name) != bad  # nothing bad was stored


def test_the_line_manager_cannot_be_the_applicant(login_as, make_intake):
    client = login_as(Role.APPLICANT)
    application = _start(client, make_intake())
    response = client.post(
        f"/applications/{application.id}/sections/manager",
        data={"manager_name": "Me", "manager_email": client.user.email, "action": "continue"},
    )
    assert "not your own" in response.get_data(as_text=True)


def test_submitting_with_a_section_missing_is_refused_with_links(
    login_as, make_application, login, make_intake
):
    application = make_application(skip=("manager",))
    client = login(application.applicant)
    check = client.get(f"/applications/{application.id}/check").get_data(as_text=True)
    assert "You cannot submit your application yet" in check
    assert f"/applications/{application.id}/sections/manager" in check
    response = client.post(f"/applications/{application.id}/submit", follow_redirects=True)
    assert "Complete the section: Your line manager" in response.get_data(as_text=True)
    assert application.status is ApplicationStatus.DRAFT


def test_submitting_after_the_window_closes_is_refused(make_application, login, make_intake):
    intake = make_intake()
    application = make_application(intake)
    intake.closes_on = services.today() - timedelta(days=1)
    intake.opens_on = intake.closes_on - timedelta(days=10)
    client = login(application.applicant)
    response = client.post(f"/applications/{application.id}/submit", follow_redirects=True)
    assert "closed on" in response.get_data(as_text=True)
    assert application.status is ApplicationStatus.DRAFT


def test_submitting_twice_is_refused_and_answers_cannot_change(make_application, login):
    application = make_application(submit=True)
    client = login(application.applicant)
    response = client.post(f"/applications/{application.id}/submit", follow_redirects=True)
    assert "You have already submitted this application" in response.get_data(as_text=True)
    response = client.post(
        f"/applications/{application.id}/sections/motivation",
        data={"motivation": "changed", "action": "continue"},
        follow_redirects=True,
    )
    assert "can no longer be changed" in response.get_data(as_text=True)
    assert application.motivation != "changed"


def test_nobody_else_can_read_or_change_an_application(make_application, login_as):
    application = make_application()
    other = login_as(Role.APPLICANT)
    for url in ("", "/check", "/sections/personal", "/equality"):
        assert other.get(f"/applications/{application.id}{url}").status_code == 404
    assert other.post(f"/applications/{application.id}/submit").status_code == 404
    assert application.is_draft


def test_starting_outside_the_window_is_refused(login_as, make_intake, db):
    intake = make_intake(opened_days_ago=-3)  # opens in 3 days
    client = login_as(Role.APPLICANT)
    response = client.post(f"/intakes/{intake.id}/apply")
    assert "open on" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Application)) is None


def test_an_applicant_declines_and_withdraws(make_application, make_user, login):
    lead = make_user(Role.LEAD)
    offered = make_application(submit=True)
    decisions.offer_place(offered, lead, services.today())
    client = login(offered.applicant)
    client.post(f"/applications/{offered.id}/decline", data={"reason": "New job"})
    assert offered.status is ApplicationStatus.DECLINED
    assert client.get(f"/applications/{offered.id}/accept").status_code == 302  # no longer offered

    waiting = make_application(submit=True)
    client.post("/sign-out")
    client = login(waiting.applicant)
    client.post(f"/applications/{waiting.id}/withdraw", data={"reason": ""})
    assert waiting.status is ApplicationStatus.WITHDRAWN


def test_an_expired_offer_cannot_be_accepted(make_application, make_user, login):
    application = make_application(submit=True)
    decisions.offer_place(application, make_user(Role.LEAD), services.today())
    application.offer_expires_on = services.today() - timedelta(days=1)
    client = login(application.applicant)
    response = client.post(f"/applications/{application.id}/accept")
    assert "could only be accepted until" in response.get_data(as_text=True)
    assert application.status is ApplicationStatus.OFFERED


def test_the_applicant_can_resend_the_endorsement_link(make_application, login, outbox):
    application = make_application(submit=True)
    client = login(application.applicant)
    client.post(f"/applications/{application.id}/endorsement")
    to_manager = [m for m in outbox() if m.recipient == application.manager_email]
    assert len(to_manager) == 2
