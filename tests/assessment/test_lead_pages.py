"""Leads' award pages: the pipeline of an intake, its criteria, portfolios waiting for
review, reviewing and returning one; who may use each route."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from lms.accounts.models import Role
from lms.assessment import criteria, portfolio, submission
from lms.assessment.models import Award, AwardScheme, PortfolioSubmission, SubmissionStatus
from lms.assessment.pipeline import Stage, stage_of
from lms.audit import AuditEvent
from lms.curriculum.services import join_intake
from lms.db_types import utcnow
from lms.extensions import db


def award_for(sent: PortfolioSubmission, **fields) -> Award:
    sent.status = SubmissionStatus.AWARDED
    sent.reviewed_at = utcnow()
    award = Award(
        user_id=sent.user_id,
        intake_id=sent.intake_id,
        submission_id=sent.id,
        holder_name="Holder",
        holder_email=sent.personal_email,
        **fields,
    )
    db.session.add(award)
    db.session.flush()
    return award


@pytest.fixture
def sent(facilitator, intake, make_ready):
    """The facilitator's portfolio, submitted, with one item showcased."""
    make_ready(facilitator, intake)
    first = portfolio.readiness(facilitator.id).items[-1]
    submission.set_showcase(facilitator, {first.key})
    return submission.submit(facilitator, "fran@example.net", "SUBMITTED-STATEMENT")


# --- Who may use the lead's routes ---------------------------------------------------------------


@pytest.fixture
def people(db, facilitator, supervisor, lead, make_user):
    return {
        "facilitator": facilitator,
        "supervisor": supervisor,
        "lead": lead,
        "reviewer": make_user(Role.REVIEWER),
        "trainee": make_user(Role.TRAINEE),
        "admin": make_user(Role.ADMIN),
        "applicant": make_user(Role.APPLICANT),
        "anonymous": None,
    }


def routes(intake, sent):
    return [
        ("GET", "/lead/awards", None),
        ("GET", f"/lead/awards/{intake.id}", None),
        ("GET", f"/lead/awards/{intake.id}/criteria", None),
        ("POST", f"/lead/awards/{intake.id}/criteria", {}),
        ("GET", "/lead/portfolios", None),
        ("GET", f"/lead/portfolios/{sent.id}", None),
        ("POST", f"/lead/portfolios/{sent.id}/return", {}),
    ]


@pytest.mark.parametrize(
    "who", ["facilitator", "supervisor", "reviewer", "trainee", "admin", "applicant", "anonymous"]
)
def test_only_leads_use_the_lead_pages(people, intake, sent, switch, who):
    client = switch(people[who])
    for method, path, data in routes(intake, sent):
        response = client.open(path, method=method, data=data)
        if who == "anonymous":
            assert response.status_code == 302, path
            assert "/sign-in" in response.headers["Location"]
        else:
            assert response.status_code == 403, (method, path)
    assert db.session.get(PortfolioSubmission, sent.id).status is SubmissionStatus.SUBMITTED
    assert db.session.scalar(db.select(AwardScheme)) is None


def test_leads_use_the_lead_pages(people, intake, sent, switch):
    client = switch(people["lead"])
    for method, path, _data in routes(intake, sent):
        if method == "GET":
            assert client.get(path).status_code == 200, path
    # An empty POST is a form with problems, not a refusal.
    assert client.post(f"/lead/awards/{intake.id}/criteria", data={}).status_code == 400
    assert client.post(f"/lead/portfolios/{sent.id}/return", data={}).status_code == 400


def test_unknown_records_are_not_found(people, switch):
    client = switch(people["lead"])
    for path in (
        "/lead/awards/999999",
        "/lead/awards/999999/criteria",
        "/lead/portfolios/999999",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post("/lead/portfolios/999999/return", data={"comments": "x"}).status_code == 404


# --- The pipeline ---------------------------------------------------------------------------------


def cell(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">([^<]*)<', page)
    assert found, element_id
    return found.group(1).strip()


@pytest.fixture
def pipeline(db, intake, lead, make_user, make_ready, evidence_maker):
    """Six facilitators, one at each stage, plus one in another intake."""
    names = ("Ready", "Submitted", "Returned", "Awarded", "Revoked", "Starting")
    p = SimpleNamespace(**{n.lower(): make_user(Role.FACILITATOR, name=n) for n in names})
    for person in (p.ready, p.submitted, p.returned, p.awarded, p.revoked):
        make_ready(person, intake)
    join_intake(intake, p.starting)
    evidence_maker.check_ins(p.starting, intake, count=4)  # meets one criterion only
    p.waiting = submission.submit(p.submitted, "s@example.net", None)
    back = submission.submit(p.returned, "r@example.net", None)
    submission.return_submission(back, lead, "More please")
    p.award = award_for(submission.submit(p.awarded, "a@example.net", None))
    p.gone = award_for(
        submission.submit(p.revoked, "v@example.net", None),
        revoked_at=utcnow(),
        revoke_reason="Mistake",
    )
    elsewhere = make_user(Role.FACILITATOR)
    make_ready(elsewhere, make_intake_for_test(intake))
    return p


def make_intake_for_test(intake):
    from lms.applications.models import Intake

    other = Intake(
        name="Another intake",
        opens_on=intake.opens_on,
        closes_on=intake.closes_on,
        programme_starts_on=intake.programme_starts_on,
        capacity=10,
        delivery_modes=["online"],
        regions=["london"],
    )
    db.session.add(other)
    db.session.flush()
    return other


def test_the_pipeline_counts_each_stage_and_criterion(db, intake, lead, pipeline, switch):
    page = switch(lead).get(f"/lead/awards/{intake.id}").get_data(as_text=True)
    assert cell(page, "stage-in_progress") == "1"
    for stage in ("ready", "submitted", "returned", "awarded", "revoked"):
        assert cell(page, f"stage-{stage}") == "1", stage
    assert cell(page, "meet-buddy_check_ins") == "6 of 6"
    assert cell(page, "meet-supervision_sessions") == "5 of 6"
    assert cell(page, "meet-sets_facilitated") == "5 of 6"
    # Each person links on: the award, the review, or their portfolio.
    assert f'href="/lead/awards/award/{pipeline.award.id}"' in page
    assert f'href="/lead/awards/award/{pipeline.gone.id}"' in page
    assert f'href="/lead/portfolios/{pipeline.waiting.id}"' in page
    assert f'href="/portfolio/people/{pipeline.ready.id}"' in page
    assert f'href="/portfolio/people/{pipeline.starting.id}"' in page
    assert "2 of 6" in page  # the starter: core modules (none yet) and check-ins
    assert "Ready to submit" in page
    assert f'href="/lead/awards/{intake.id}/criteria"' in page


def test_the_intake_list_counts_waiting_and_awarded(db, intake, lead, pipeline, switch):
    page = switch(lead).get("/lead/awards").get_data(as_text=True)
    row = page[page.index(f'href="/lead/awards/{intake.id}"') :]
    row = row[: row.index("</tr>")]
    assert re.findall(r"numeric\">(\d+)<", row) == ["6", "1", "1"]


def test_the_pipeline_costs_the_same_queries_however_many_people(
    db, intake, lead, make_user, make_ready, switch, count_queries
):
    def add(n):
        for _ in range(n):
            person = make_user(Role.FACILITATOR)
            make_ready(person, intake)
            submission.submit(person, "x@example.net", None)

    add(1)
    client = switch(lead)
    path = f"/lead/awards/{intake.id}"
    client.get(path)
    with count_queries() as few:
        client.get(path)
    add(4)
    with count_queries() as many:
        page = client.get(path).get_data(as_text=True)
    assert cell(page, "stage-submitted") == "5"
    assert many.count == few.count, (few.statements, many.statements)


def test_stage_of():
    submitted = PortfolioSubmission(status=SubmissionStatus.SUBMITTED)
    returned = PortfolioSubmission(status=SubmissionStatus.RETURNED)
    assert stage_of(False, None, None) is Stage.IN_PROGRESS
    assert stage_of(True, None, None) is Stage.READY
    assert stage_of(True, submitted, None) is Stage.SUBMITTED
    assert stage_of(True, returned, None) is Stage.RETURNED
    assert stage_of(True, submitted, Award()) is Stage.AWARDED
    assert stage_of(False, None, Award(revoked_at=utcnow())) is Stage.REVOKED


# --- The criteria ---------------------------------------------------------------------------------


def scheme_form(**changes) -> dict:
    data = {
        "core_modules_required": "y",
        "supervision_sessions_required": "y",
        "supervision_sessions_threshold": "6",
        "sets_facilitated_required": "y",
        "sets_facilitated_threshold": "1",
        "sessions_per_set": "4",
        "observations_signed_off_required": "y",
        "observations_signed_off_threshold": "2",
        "session_logs_required": "y",
        "session_logs_threshold": "6",
        "buddy_check_ins_required": "y",
        "buddy_check_ins_threshold": "4",
        "renewal_months": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_criteria_form_starts_with_the_defaults(db, intake, lead, switch):
    page = switch(lead).get(f"/lead/awards/{intake.id}/criteria").get_data(as_text=True)
    assert re.search(r'name="supervision_sessions_threshold"[^>]*value="6"', page)
    assert re.search(r'name="sessions_per_set"[^>]*value="4"', page)
    assert len(re.findall(r"type=\"checkbox\"[^>]*checked", page)) == len(criteria.RequirementKind)


def test_saving_the_criteria(db, intake, lead, facilitator, evidence_maker, switch):
    evidence_maker.check_ins(facilitator, intake, count=1)
    assert not portfolio.readiness(facilitator.id).ready
    client = switch(lead)
    data = scheme_form(
        core_modules_required=None,
        supervision_sessions_required=None,
        sets_facilitated_required=None,
        observations_signed_off_required=None,
        session_logs_required=None,
        buddy_check_ins_threshold="1",
        sessions_per_set="3",
        renewal_months="36",
    )
    response = client.post(f"/lead/awards/{intake.id}/criteria", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/lead/awards/{intake.id}")
    scheme = portfolio.scheme(intake.id)
    assert scheme.renewal_months == 36
    assert scheme.updated_by_id == lead.id
    requirements = {r.kind.value: r for r in portfolio.requirements_for(intake.id)}
    assert not requirements["supervision_sessions"].required
    assert requirements["buddy_check_ins"].threshold == 1
    assert requirements["sets_facilitated"].sessions_per_set == 3
    assert portfolio.readiness(facilitator.id).ready
    [entry] = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "award_scheme.updated")
    ).all()
    assert entry.actor_id == lead.id and entry.detail["renewal_months"] == 36
    # Saving again changes the same row, and a blank renewal period means none.
    client.post(f"/lead/awards/{intake.id}/criteria", data=scheme_form())
    assert db.session.scalar(db.select(db.func.count()).select_from(AwardScheme)) == 1
    assert portfolio.scheme(intake.id).renewal_months is None
    assert portfolio.requirements_for(intake.id) == criteria.DEFAULTS


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"supervision_sessions_threshold": "lots"},
            "Enter the number of supervision sessions as a whole number",
        ),
        ({"supervision_sessions_threshold": ""}, "Enter how many supervision sessions"),
        ({"session_logs_threshold": "51"}, "The number of session logs must be from 0 to 50"),
        ({"buddy_check_ins_threshold": "-1"}, "The number of buddy check-ins must be from 0 to 50"),
        ({"sessions_per_set": "0"}, "must hold to count must be from 1 to 6"),
        ({"sessions_per_set": "7"}, "must hold to count must be from 1 to 6"),
        ({"sessions_per_set": "four"}, "Enter the number of sessions a set must hold"),
        ({"renewal_months": "0"}, "Enter a renewal period from 1 to 120 months"),
        ({"renewal_months": "121"}, "Enter a renewal period from 1 to 120 months"),
        ({"renewal_months": "two years"}, "whole number of months"),
        (
            {f"{k.value}_required": None for k in criteria.RequirementKind},
            "Choose at least one criterion",
        ),
    ],
)
def test_the_criteria_form_checks_what_is_typed(db, intake, lead, switch, changes, message):
    response = switch(lead).post(f"/lead/awards/{intake.id}/criteria", data=scheme_form(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page and message in page
    for value in changes.values():
        if value:
            assert f'value="{value}"' in page  # kept as typed
    assert portfolio.scheme(intake.id) is None


# --- Reviewing and returning ---------------------------------------------------------------------


def test_the_review_page_shows_the_portfolio_as_submitted(
    db, facilitator, intake, lead, sent, evidence_maker, switch
):
    evidence_maker.uploads(facilitator, description="ADDED-LATER")
    page = switch(lead).get(f"/lead/portfolios/{sent.id}").get_data(as_text=True)
    assert facilitator.name in page and intake.name in page
    assert "SUBMITTED-STATEMENT" in page and "fran@example.net" in page
    assert "ADDED-LATER" not in page
    assert "Picked to show you" in page
    assert page.index("Picked to show you") < page.index("Reflect on your own practice")
    assert page.count("nhsuk-tag--green") >= len(criteria.RequirementKind)
    assert f'action="/lead/portfolios/{sent.id}/issue"' in page
    assert f'action="/lead/portfolios/{sent.id}/return"' in page


def test_returning_through_the_page(db, facilitator, lead, sent, switch):
    client = switch(lead)
    response = client.post(f"/lead/portfolios/{sent.id}/return", data={"comments": "  "})
    assert response.status_code == 400
    assert "Enter what the facilitator needs to do" in response.get_data(as_text=True)
    assert sent.status is SubmissionStatus.SUBMITTED

    response = client.post(
        f"/lead/portfolios/{sent.id}/return", data={"comments": "Add RETURN-COMMENT"}
    )
    assert response.status_code == 302
    db.session.refresh(sent)
    assert sent.status is SubmissionStatus.RETURNED
    page = client.get(f"/lead/portfolios/{sent.id}").get_data(as_text=True)
    assert "RETURN-COMMENT" in page
    assert "/return" not in page and "/issue" not in page

    again = client.post(f"/lead/portfolios/{sent.id}/return", data={"comments": "Twice"})
    assert again.status_code == 400
    assert "not waiting for review" in again.get_data(as_text=True)

    # The holder sees the comments, and can submit again; earlier submissions are listed.
    own = switch(facilitator).get("/portfolio").get_data(as_text=True)
    assert "RETURN-COMMENT" in own and "returned" in own
    second = submission.submit(facilitator, "fran@example.net", None)
    page = switch(lead).get(f"/lead/portfolios/{second.id}").get_data(as_text=True)
    assert "Earlier submissions" in page
    assert f'href="/lead/portfolios/{sent.id}"' in page


def test_an_awarded_submission_links_to_its_award(db, lead, sent, switch, facilitator):
    award = award_for(sent)
    page = switch(lead).get(f"/lead/portfolios/{sent.id}").get_data(as_text=True)
    assert f'href="/lead/awards/award/{award.id}"' in page
    assert "/issue" not in page
    own = switch(facilitator).get("/portfolio").get_data(as_text=True)
    assert f'href="/awards/{award.id}"' in own


def test_the_waiting_list_is_newest_first(db, intake, lead, make_user, make_ready, switch):
    first, second = (
        make_user(Role.FACILITATOR, name="First"),
        make_user(Role.FACILITATOR, name="Second"),
    )
    for person in (first, second):
        make_ready(person, intake)
    older = submission.submit(first, "a@example.net", None)
    older.submitted_at = utcnow().replace(year=utcnow().year - 1)
    newer = submission.submit(second, "b@example.net", None)
    page = switch(lead).get("/lead/portfolios").get_data(as_text=True)
    assert page.index(f"/lead/portfolios/{newer.id}") < page.index(f"/lead/portfolios/{older.id}")
    submission.return_submission(newer, lead, "More")
    page = switch(lead).get("/lead/portfolios").get_data(as_text=True)
    assert f"/lead/portfolios/{newer.id}" not in page


def test_the_review_page_costs_the_same_queries_however_many_items(
    db, facilitator, intake, lead, make_ready, evidence_maker, switch, count_queries
):
    make_ready(facilitator, intake)
    small = submission.submit(facilitator, "fran@example.net", None)
    submission.return_submission(small, lead, "More")
    evidence_maker.uploads(facilitator, count=20)
    evidence_maker.supervision(facilitator, intake, count=20)
    large = submission.submit(facilitator, "fran@example.net", None)
    client = switch(lead)
    client.get(f"/lead/portfolios/{small.id}")
    with count_queries() as few:
        client.get(f"/lead/portfolios/{small.id}")
    with count_queries() as many:
        client.get(f"/lead/portfolios/{large.id}")
    assert len(large.snapshot["items"]) > len(small.snapshot["items"]) + 30
    assert many.count == few.count, (few.statements, many.statements)


def test_a_lead_reaches_the_review_from_the_persons_portfolio(
    db, facilitator, supervisor, lead, sent, switch
):
    review = f'href="/lead/portfolios/{sent.id}"'
    assert review in switch(lead).get(f"/portfolio/people/{facilitator.id}").get_data(as_text=True)
    page = switch(supervisor).get(f"/portfolio/people/{facilitator.id}").get_data(as_text=True)
    assert "Submitted for review" in page and review not in page
