"""Reviewers' pages: their list of assignments, scoring against the rubric, and blinding."""

from __future__ import annotations

import html

import pytest

from lms.accounts.models import Role
from lms.applications import decisions, review
from lms.applications.models import RUBRIC, ReviewAssignment
from lms.audit import AuditEvent
from tests.conftest import PASSWORD

GOOD_SCORES = {"motivation": "4", "reflection": "3", "potential": "2", "commitment": "1"}


@pytest.fixture
def lead(make_user):
    return make_user(Role.LEAD)


@pytest.fixture
def assign(lead, db):
    def do(application, reviewer) -> ReviewAssignment:
        assignment = review.assign_reviewer(application, reviewer, by=lead)
        db.session.flush()
        return assignment

    return do


@pytest.fixture
def reviewer_client(login_as):
    return login_as(Role.REVIEWER)


@pytest.fixture
def other_reviewer(app, make_user):
    """A second reviewer signed in on a client of their own."""
    user = make_user(Role.REVIEWER)
    client = app.test_client()
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    client.user = user
    return client


def _page(assignment) -> str:
    return f"/reviews/{assignment.id}"


def test_a_reviewer_scores_an_assigned_application(reviewer_client, make_application, assign, db):
    application = make_application(
        submit=True,
        has_adjustments=True,
        adjustments="A hearing loop in training rooms",
        motivation="I want to help new managers think for themselves.",
    )
    assignment = assign(application, reviewer_client.user)

    response = reviewer_client.get(_page(assignment))
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "Score Aisha Applicant's application" in page
    assert "I want to help new managers think for themselves." in page
    assert "hearing loop" not in page and "Reasonable adjustments" not in page
    for criterion in RUBRIC:
        assert str(criterion.title) in page
        assert str(criterion.question) in page
        for descriptor in criterion.descriptors:
            assert str(descriptor) in page

    response = reviewer_client.post(
        _page(assignment), data={**GOOD_SCORES, "comment": "Strong motivation"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/reviews"
    listing = reviewer_client.get("/reviews").get_data(as_text=True)
    assert "Your scores for Aisha Applicant" in listing and "have been saved" in listing
    assert "Scored" in listing
    assert assignment.is_submitted
    assert assignment.scores == {"motivation": 4, "reflection": 3, "potential": 2, "commitment": 1}
    assert assignment.comment == "Strong motivation"


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        (
            {k: v for k, v in GOOD_SCORES.items() if k != "reflection"},
            "reflection",
            "Select a score from 1 to 4 for reflective capacity",
        ),
        (
            {**GOOD_SCORES, "potential": "5"},
            "potential",
            "Select a score from 1 to 4 for facilitation potential",
        ),
        (
            {**GOOD_SCORES, "motivation": "x"},
            "motivation",
            "Select a score from 1 to 4 for motivation",
        ),
        (
            {**GOOD_SCORES, "commitment": "0"},
            "commitment",
            "Select a score from 1 to 4 for commitment",
        ),
    ],
    ids=["missing", "five", "not-a-number", "zero"],
)
def test_invalid_scores_are_refused_with_an_error_summary(
    reviewer_client, make_application, assign, posted, field, message
):
    assignment = assign(make_application(submit=True), reviewer_client.user)
    response = reviewer_client.post(_page(assignment), data=posted)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert f'href="#{field}"' in page
    assert message in page
    assert not assignment.is_submitted
    # What was valid is kept; what was not is not shown as chosen.
    kept = next(k for k in GOOD_SCORES if k != field)
    assert f'name="{kept}" type="radio" value="{GOOD_SCORES[kept]}" checked' in page
    assert f'name="{field}" type="radio" value="{posted.get(field)}" checked' not in page


def test_blinding_until_the_reviewer_has_scored(
    other_reviewer, make_application, assign, reviewer_client
):
    application = make_application(submit=True)
    first = assign(application, reviewer_client.user)
    second_client = other_reviewer
    second = assign(application, second_client.user)

    reviewer_client.post(
        _page(first),
        data={**GOOD_SCORES, "comment": "A-comment-only-after-scoring"},
    )
    assert first.is_submitted

    before = second_client.get(_page(second)).get_data(as_text=True)
    assert "A-comment-only-after-scoring" not in before
    assert "Reviewer 2" not in before and "Total" not in before

    second_client.post(
        _page(second),
        data={
            "motivation": "1",
            "reflection": "1",
            "potential": "1",
            "commitment": "2",
            "comment": "B-comment",
        },
    )
    after = second_client.get(_page(second)).get_data(as_text=True)
    assert "A-comment-only-after-scoring" in after and "B-comment" in after
    assert "Reviewer 2" in after
    assert ">10</strong>" in after and ">5</strong>" in after  # both totals

    # The first reviewer, who scored before the second, now sees both too.
    first_page = reviewer_client.get(_page(first)).get_data(as_text=True)
    assert "B-comment" in first_page


def test_a_reviewer_waiting_for_others_sees_only_their_own_scores(
    make_user, make_application, assign, reviewer_client
):
    application = make_application(submit=True)
    mine = assign(application, reviewer_client.user)
    assign(application, make_user(Role.REVIEWER))
    reviewer_client.post(_page(mine), data={**GOOD_SCORES, "comment": "My view"})
    page = reviewer_client.get(_page(mine)).get_data(as_text=True)
    assert "Your scores for Aisha Applicant" in page and "My view" in page
    assert "1 other reviewer has not submitted their scores yet." in page
    assert "Reviewer 2" not in page
    assert "Submit scores" not in page  # read-only now


def test_scores_cannot_be_submitted_twice(reviewer_client, make_application, assign):
    assignment = assign(make_application(submit=True), reviewer_client.user)
    reviewer_client.post(_page(assignment), data=GOOD_SCORES)
    again = dict.fromkeys(GOOD_SCORES, "1")
    response = reviewer_client.post(_page(assignment), data=again, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "You have already submitted your scores for this application" in page
    assert assignment.scores["motivation"] == 4


def test_an_application_no_longer_under_review_cannot_be_scored(
    reviewer_client, make_application, assign
):
    application = make_application(submit=True)
    assignment = assign(application, reviewer_client.user)
    decisions.withdraw(application, by=application.applicant)
    page = reviewer_client.get(_page(assignment)).get_data(as_text=True)
    assert "no longer being reviewed" in page and "Submit scores" not in page
    response = reviewer_client.post(_page(assignment), data=GOOD_SCORES)
    assert "This application is no longer being reviewed" in response.get_data(as_text=True)
    assert not assignment.is_submitted
    listing = reviewer_client.get("/reviews").get_data(as_text=True)
    assert "No longer needed" in listing


def test_a_reviewer_cannot_open_someone_elses_assignment(
    make_user, reviewer_client, make_application, assign, db
):
    application = make_application(submit=True)
    theirs = assign(application, make_user(Role.REVIEWER))
    assert reviewer_client.get(_page(theirs)).status_code == 404
    assert reviewer_client.post(_page(theirs), data=GOOD_SCORES).status_code == 404
    assert not theirs.is_submitted
    assert reviewer_client.get("/reviews/999999").status_code == 404
    refused = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "access.refused")
    ).all()
    assert {e.detail["status"] for e in refused} == {404}
    assert any(e.subject_id == theirs.id for e in refused)
    # Nor does the application appear in their list.
    assert "Aisha Applicant" not in reviewer_client.get("/reviews").get_data(as_text=True)


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.REVIEWER])
def test_only_reviewers_reach_the_review_pages(login_as, make_application, assign, make_user, role):
    assignment = assign(make_application(submit=True), make_user(Role.REVIEWER))
    client = login_as(role)
    assert client.get("/reviews").status_code == 403
    assert client.get(_page(assignment)).status_code == 403


def test_the_list_puts_work_to_do_first(reviewer_client, make_application, make_intake, assign):
    done = assign(
        make_application(make_intake(name="2027 spring"), submit=True, full_name="Dana Done"),
        reviewer_client.user,
    )
    assign(
        make_application(make_intake(name="2027 autumn"), submit=True, full_name="Tom Todo"),
        reviewer_client.user,
    )
    reviewer_client.post(_page(done), data=GOOD_SCORES)
    page = reviewer_client.get("/reviews").get_data(as_text=True).split("<table", 1)[1]
    assert page.index("Tom Todo") < page.index("Dana Done")
    assert "2027 spring" in page and "2027 autumn" in page
    assert "To score" in page and "Scored" in page


def test_the_list_takes_the_same_queries_for_2_or_10_assignments(
    reviewer_client, make_application, assign, count_queries
):
    def queries_for_list() -> int:
        with count_queries() as q:
            assert reviewer_client.get("/reviews").status_code == 200
        return q.count

    for _n in range(2):
        assign(make_application(submit=True), reviewer_client.user)
    few = queries_for_list()
    for _n in range(8):
        assign(make_application(submit=True), reviewer_client.user)
    many = queries_for_list()
    assert few == many
    assert reviewer_client.get("/reviews").get_data(as_text=True).count("To score") == 10
