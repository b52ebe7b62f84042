"""The programme lead's pages: overview, list, filters, export, one application with its
reviewers and decisions, and the selection view."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import openpyxl
import pandas as pd
import pytest

from lms.accounts.models import Region, Role, Sector
from lms.applications import review, services
from lms.applications.models import (
    CRITERION_KEYS,
    ApplicationStatus,
    Band,
    DeliveryMode,
    EndorsementStatus,
    EqualityResponse,
    StaffGroup,
)
from lms.audit import AuditEvent

S = ApplicationStatus


@pytest.fixture
def lead(login_as):
    return login_as(Role.LEAD)


@pytest.fixture
def score(make_user):
    """Assign a new reviewer to ``application`` and submit their four scores."""

    def do(application, values, comment="Thoughtful answers"):
        reviewer = make_user(Role.REVIEWER)
        assignment = review.assign_reviewer(application, reviewer, by=reviewer)
        review.submit_review(
            assignment, dict(zip(CRITERION_KEYS, values, strict=True)), comment, by=reviewer
        )
        return assignment

    return do


@pytest.fixture
def two_applicants(make_intake, make_application, score):
    """Aisha (acute, nursing, band 7, online, Wales; reviewers disagree) and Bilal
    (community, medical, band 8a, blended, London; shortlisted and endorsed)."""
    intake = make_intake()
    aisha = make_application(intake, submit=True, full_name="Aisha Ahmed")
    bilal = make_application(
        intake,
        submit=True,
        full_name="Bilal Brown",
        sector=Sector.COMMUNITY,
        staff_group=StaffGroup.MEDICAL_DENTAL,
        band=Band.BAND_8A,
        preferred_mode=DeliveryMode.BLENDED,
        region=Region.LONDON,
    )
    score(aisha, (1, 3, 3, 3))  # total 10
    score(aisha, (3, 3, 3, 3))  # total 12: motivation 2 apart
    score(bilal, (4, 4, 3, 3))  # total 14
    score(bilal, (4, 3, 3, 3))  # total 13
    bilal.status = S.SHORTLISTED
    bilal.endorsement_status = EndorsementStatus.ENDORSED
    return intake, aisha, bilal


def _page(client, url, **args):
    response = client.get(url, query_string=args)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# --- Overview and list -----------------------------------------------------------------


def test_the_overview_counts_each_intake_by_status(lead, two_applicants, make_application):
    intake, _aisha, _bilal = two_applicants
    make_application(intake, full_name="Dora Draft")
    page = _page(lead, "/lead/applications")
    assert intake.name in page
    assert "2 submitted applications" in page
    assert f"/lead/intakes/{intake.id}/applications" in page
    assert f"/lead/intakes/{intake.id}/selection" in page
    assert "Not submitted" in page and "Shortlisted" in page  # statuses present are listed
    intakes = _page(lead, "/lead/intakes")
    assert f"/lead/intakes/{intake.id}/applications" in intakes


def test_a_lead_sees_submitted_applications_and_how_many_drafts_are_hidden(
    lead, two_applicants, make_application
):
    intake, aisha, _bilal = two_applicants
    make_application(intake, full_name="Dora Draft")
    page = _page(lead, f"/lead/intakes/{intake.id}/applications")
    assert "Aisha Ahmed" in page and "Bilal Brown" in page
    assert "Dora Draft" not in page
    assert "2 applications have been submitted" in page
    assert "1 more is still a draft" in page
    assert "St Elsewhere" in page and "Nursing and midwifery" in page and "Band 8a" in page
    assert "Waiting for line manager" in page and "Endorsed" in page
    assert "2 of 2" in page
    assert "11.0" in page and "13.5" in page  # mean totals
    assert page.count(">Reviewers disagree</strong>") == 1  # Aisha's flag, not Bilal's
    assert f"/lead/applications/{aisha.id}" in page


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, {"Aisha Ahmed", "Bilal Brown"}),
        ({"status": "shortlisted"}, {"Bilal Brown"}),
        ({"status": "submitted"}, {"Aisha Ahmed"}),
        ({"endorsement": "endorsed"}, {"Bilal Brown"}),
        ({"endorsement": "awaiting"}, {"Aisha Ahmed"}),
        ({"sector": "community"}, {"Bilal Brown"}),
        ({"region": "wales"}, {"Aisha Ahmed"}),
        ({"staff_group": "medical_dental"}, {"Bilal Brown"}),
        ({"band": "band_7"}, {"Aisha Ahmed"}),
        ({"mode": "blended"}, {"Bilal Brown"}),
        ({"disagree": "y"}, {"Aisha Ahmed"}),
        ({"name": "bilal"}, {"Bilal Brown"}),
        ({"name": "%"}, set()),  # searched for literally, not as a wildcard
        ({"sector": "icb"}, set()),
        ({"status": "shortlisted", "sector": "acute"}, set()),
    ],
)
def test_filters_return_only_matching_applications(lead, two_applicants, args, expected):
    intake, _aisha, _bilal = two_applicants
    page = _page(lead, f"/lead/intakes/{intake.id}/applications", **args)
    shown = {name for name in ("Aisha Ahmed", "Bilal Brown") if name in page}
    assert shown == expected
    if not expected:
        assert "No applications match these filters" in page


def test_a_nonsense_filter_is_explained_and_ignored(lead, two_applicants):
    intake, _aisha, _bilal = two_applicants
    page = _page(lead, f"/lead/intakes/{intake.id}/applications", status="draft")
    assert "There is a problem" in page and "Not a valid choice" in page
    assert "Aisha Ahmed" in page and "Bilal Brown" in page


@pytest.mark.parametrize(
    ("sort", "first", "second"),
    [
        ("submitted", "Aisha Ahmed", "Bilal Brown"),
        ("name", "Aisha Ahmed", "Bilal Brown"),
        ("score", "Bilal Brown", "Aisha Ahmed"),  # 13.5 before 11
        ("spread", "Aisha Ahmed", "Bilal Brown"),  # 2 before 1
    ],
)
def test_sorting(lead, two_applicants, make_application, sort, first, second):
    intake, _aisha, _bilal = two_applicants
    make_application(intake, submit=True, full_name="Aaron Unscored")
    page = _page(lead, f"/lead/intakes/{intake.id}/applications", sort=sort)
    assert page.index(first) < page.index(second)
    if sort in ("score", "spread"):  # nobody has scored Aaron: last
        assert page.index(second) < page.index("Aaron Unscored")


def test_the_list_pages_fifty_at_a_time_keeping_the_filters(lead, make_intake, make_application):
    intake = make_intake(capacity=100)
    for n in range(52):
        make_application(intake, submit=True, full_name=f"Person {n:02d}")
    first = _page(lead, f"/lead/intakes/{intake.id}/applications", sort="name")
    assert "Person 49" in first and "Person 50" not in first
    assert "page=2" in first and "sort=name" in first
    second = _page(lead, f"/lead/intakes/{intake.id}/applications", sort="name", page=2)
    assert "Person 50" in second and "Person 51" in second and "Person 00" not in second


def test_the_list_takes_the_same_number_of_queries_for_3_or_30_applications(
    lead, make_intake, make_application, score, count_queries
):
    intake = make_intake(capacity=100)

    def add(n):
        for _ in range(n):
            application = make_application(intake, submit=True)
            score(application, (2, 3, 4, 1))

    def measure() -> int:
        with count_queries() as queries:
            _page(lead, f"/lead/intakes/{intake.id}/applications", sort="score")
        return queries.count

    add(3)
    three = measure()
    add(27)
    assert measure() == three
    assert three <= 12, three


# --- Export ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, ["Aisha Ahmed", "Bilal Brown"]),
        ({"sector": "community"}, ["Bilal Brown"]),
        ({"disagree": "y"}, ["Aisha Ahmed"]),
        ({"sort": "score"}, ["Bilal Brown", "Aisha Ahmed"]),
        ({"band": "band_9"}, []),
    ],
)
def test_csv_export_matches_the_filter(lead, db, two_applicants, args, expected):
    intake, _aisha, _bilal = two_applicants
    response = lead.get(
        f"/lead/intakes/{intake.id}/applications/export", query_string={"format": "csv", **args}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".csv" in disposition
    table = pd.read_csv(io.BytesIO(response.data))
    assert list(table["Name"]) == expected
    entry = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "applications.exported")
    )
    assert entry.detail["rows"] == len(expected)


def test_xlsx_export_matches_the_filter_and_holds_scores_and_endorsement(lead, two_applicants):
    intake, _aisha, _bilal = two_applicants
    response = lead.get(
        f"/lead/intakes/{intake.id}/applications/export",
        query_string={"format": "xlsx", "status": "shortlisted"},
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response.mimetype
    assert ".xlsx" in response.headers["Content-Disposition"]
    table = pd.read_excel(io.BytesIO(response.data), engine="openpyxl")
    assert list(table["Name"]) == ["Bilal Brown"]
    row = table.iloc[0]
    assert row["Mean total score"] == 13.5 and row["Spread between reviewers"] == 1
    assert row["Reviewers disagree"] == "No" and row["Reviews done"] == 2
    assert row["Line manager endorsement"] == "Endorsed" and row["Status"] == "Shortlisted"
    assert row["Organisation"] == "St Elsewhere" and row["Staff group"] == "Medical and dental"


def test_exports_never_hold_equality_data_or_adjustments(lead, db, make_intake, make_application):
    intake = make_intake()
    make_application(intake, submit=True, has_adjustments=True, adjustments="A quiet room")
    db.session.add(EqualityResponse(intake_id=intake.id, sex="female", ethnicity="mixed"))
    response = lead.get(
        f"/lead/intakes/{intake.id}/applications/export", query_string={"format": "csv"}
    )
    text = response.get_data(as_text=True)
    columns = pd.read_csv(io.BytesIO(response.data)).columns
    for word in ("ethnic", "sex", "disab", "religion", "orientation", "age", "adjust"):
        assert not any(re.search(rf"\b{word}", column.lower()) for column in columns), word
    assert "A quiet room" not in text and "mixed" not in text.lower()


def test_exports_make_formulas_inert(lead, make_intake, make_application):
    intake = make_intake()
    make_application(intake, submit=True, full_name='=HYPERLINK("http://evil")', job_title="-2+3")
    url = f"/lead/intakes/{intake.id}/applications/export"
    table = pd.read_csv(io.BytesIO(lead.get(url, query_string={"format": "csv"}).data))
    assert table["Name"][0] == '\'=HYPERLINK("http://evil")'
    assert table["Job title"][0] == "'-2+3"
    workbook = openpyxl.load_workbook(
        io.BytesIO(lead.get(url, query_string={"format": "xlsx"}).data)
    )
    sheet = workbook.active
    headings = [cell.value for cell in sheet[1]]
    name = sheet.cell(row=2, column=headings.index("Name") + 1)
    assert name.data_type == "s" and name.value.startswith("'=")


def test_an_unknown_export_format_is_not_found(lead, make_intake):
    intake = make_intake()
    response = lead.get(
        f"/lead/intakes/{intake.id}/applications/export", query_string={"format": "pdf"}
    )
    assert response.status_code == 404


# --- Access ----------------------------------------------------------------------------


def _lead_routes(intake_id, application_id, review_id):
    base = f"/lead/applications/{application_id}"
    return [
        ("GET", "/lead/applications"),
        ("GET", f"/lead/intakes/{intake_id}/applications"),
        ("GET", f"/lead/intakes/{intake_id}/applications/export?format=csv"),
        ("GET", f"/lead/intakes/{intake_id}/selection"),
        ("GET", base),
        ("POST", f"{base}/endorsement"),
        ("POST", f"{base}/reviewers"),
        ("POST", f"{base}/reviewers/auto"),
        ("POST", f"{base}/reviewers/{review_id}/remove"),
        ("POST", f"{base}/shortlist"),
        ("POST", f"{base}/offer"),
        ("POST", f"{base}/waitlist"),
        ("POST", f"{base}/reject"),
        ("POST", f"{base}/lapse"),
    ]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.FACILITATOR])
def test_only_leads_can_use_the_lead_pages(login_as, db, make_application, make_user, role):
    application = make_application(submit=True)
    reviewer = make_user(Role.REVIEWER)
    assignment = review.assign_reviewer(application, reviewer, by=reviewer)
    client = login_as(role)
    routes = _lead_routes(application.intake_id, application.id, assignment.id)
    for method, url in routes:
        response = client.open(url, method=method, data={"reject-reason": "No"})
        assert response.status_code == 403, (method, url, response.status_code)
    assert application.status is S.SUBMITTED and len(application.reviews) == 1
    refusals = db.session.scalar(
        db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "access.refused")
    )
    assert refusals == len(routes)


def test_a_reviewer_cannot_see_the_lead_page_of_an_application_assigned_to_them(
    login_as, make_application
):
    application = make_application(submit=True)
    client = login_as(Role.REVIEWER)
    review.assign_reviewer(application, client.user, by=client.user)
    assert client.get(f"/lead/applications/{application.id}").status_code == 403


def test_a_draft_has_no_lead_page(lead, make_application):
    draft = make_application()
    assert lead.get(f"/lead/applications/{draft.id}").status_code == 404


# --- One application -------------------------------------------------------------------


def test_the_application_page_shows_answers_scores_spread_and_timeline(
    lead, two_applicants, make_application
):
    _intake, aisha, _bilal = two_applicants
    page = _page(lead, f"/lead/applications/{aisha.id}")
    assert "Aisha Ahmed" in page and "I want to help new managers" in page
    assert "Reasonable adjustments" in page or "Adjustments wanted" in page
    assert "Thoughtful answers" in page  # a reviewer's comment
    assert "Reviewers disagree" in page and "Mean total score: 11.0 out of 16" in page
    assert "Spread (highest minus lowest)" in page
    assert "Application submitted" in page and "Line manager asked to endorse" in page
    assert "Waiting for line manager" in page and "Send the link again" in page
    assert "0 of 10" in page  # places offered or accepted
    for button in ("Shortlist", "Offer a place", "Put on the waiting list", "Turn down"):
        assert button in page
    assert "Close the offer" not in page


def test_the_line_managers_comment_is_shown_and_the_link_can_be_sent_again(
    lead, outbox, make_application
):
    from lms.applications import endorsement
    from lms.applications.models import EndorsementDecision

    application = make_application(submit=True)
    before = len(outbox())
    response = lead.post(f"/lead/applications/{application.id}/endorsement")
    assert response.status_code == 302
    assert len(outbox()) == before + 1
    assert outbox()[-1].recipient == application.manager_email
    assert "Endorsement link sent again" in _page(lead, f"/lead/applications/{application.id}")

    token = endorsement.request_endorsement(application, by=None)
    endorsement.respond(token, EndorsementDecision.ENDORSED, "Strongly support")
    page = _page(lead, f"/lead/applications/{application.id}")
    assert "Strongly support" in page and "Send the link again" not in page
    refused = lead.post(f"/lead/applications/{application.id}/endorsement")
    assert refused.status_code == 200
    assert "There is a problem" in refused.get_data(as_text=True)
    assert "already responded" in refused.get_data(as_text=True)


def test_a_lead_assigns_and_removes_reviewers(lead, make_user, make_application, make_organisation):
    own_org = make_organisation()
    application = make_application(submit=True, organisation_id=own_org.id)
    outsider = make_user(Role.REVIEWER, name="Olive Outsider")  # assigned first, then undone
    colleague = make_user(Role.REVIEWER, name="Colin Colleague", organisation_id=own_org.id)
    page = _page(lead, f"/lead/applications/{application.id}")
    assert "Olive Outsider (0 open reviews)" in page and "Colin Colleague" not in page

    refused = lead.post(
        f"/lead/applications/{application.id}/reviewers",
        data={"assign-reviewers": [str(outsider.id), str(colleague.id)]},
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "There is a problem" in text
    assert "Colin Colleague works in the applicant" in text
    assert application.reviews == []  # all or nothing: Olive was not assigned either

    response = lead.post(
        f"/lead/applications/{application.id}/reviewers",
        data={"assign-reviewers": [str(outsider.id)]},
    )
    assert response.status_code == 302
    assert [r.reviewer_id for r in application.reviews] == [outsider.id]

    assignment = application.reviews[0]
    lead.post(f"/lead/applications/{application.id}/reviewers/{assignment.id}/remove")
    assert application.reviews == []


def test_choosing_no_reviewer_is_an_error(lead, make_application, make_user):
    application = make_application(submit=True)
    make_user(Role.REVIEWER)
    response = lead.post(f"/lead/applications/{application.id}/reviewers", data={})
    assert "Select at least one reviewer" in response.get_data(as_text=True)


def test_a_scored_reviewer_cannot_be_removed(lead, make_application, score):
    application = make_application(submit=True)
    assignment = score(application, (2, 2, 2, 2))
    response = lead.post(f"/lead/applications/{application.id}/reviewers/{assignment.id}/remove")
    assert response.status_code == 200
    assert "cannot be removed" in response.get_data(as_text=True)
    assert application.reviews == [assignment]


def test_two_reviewers_are_assigned_automatically_never_from_the_same_organisation(
    lead, make_user, make_application, make_organisation
):
    own_org = make_organisation()
    application = make_application(submit=True, organisation_id=own_org.id)
    make_user(Role.REVIEWER, organisation_id=own_org.id)
    others = {make_user(Role.REVIEWER).id for _ in range(3)}
    response = lead.post(f"/lead/applications/{application.id}/reviewers/auto")
    assert response.status_code == 302
    assigned = {r.reviewer_id for r in application.reviews}
    assert len(assigned) == 2 and assigned <= others


def test_automatic_assignment_with_nobody_eligible_says_so(lead, make_application):
    application = make_application(submit=True)
    response = lead.post(f"/lead/applications/{application.id}/reviewers/auto")
    assert "There are no more reviewers" in response.get_data(as_text=True)


def test_a_remove_for_another_applications_reviewer_is_not_found(lead, make_application, make_user):
    application = make_application(submit=True)
    other = make_application(submit=True)
    reviewer = make_user(Role.REVIEWER)
    assignment = review.assign_reviewer(other, reviewer, by=reviewer)
    url = f"/lead/applications/{application.id}/reviewers/{assignment.id}/remove"
    assert lead.post(url).status_code == 404
    assert len(other.reviews) == 1


# --- Decisions -------------------------------------------------------------------------


def test_a_lead_shortlists_then_offers_a_place(lead, outbox, make_application):
    application = make_application(submit=True)
    response = lead.post(f"/lead/applications/{application.id}/shortlist")
    assert response.status_code == 302
    assert application.status is S.SHORTLISTED
    reply_by = services.today() + timedelta(days=10)
    response = lead.post(
        f"/lead/applications/{application.id}/offer",
        data={
            "offer-respond_by[day]": str(reply_by.day),
            "offer-respond_by[month]": str(reply_by.month),
            "offer-respond_by[year]": str(reply_by.year),
        },
    )
    assert response.status_code == 302
    assert application.status is S.OFFERED and application.offer_expires_on == reply_by
    page = _page(lead, f"/lead/applications/{application.id}")
    assert "has been offered a place" in page and "1 of 10" in page
    assert "Place offered" in page and "to accept or decline their place" in page
    assert any("delighted to offer you a place" in m.body for m in outbox())


def test_an_offer_without_a_date_gets_the_usual_time(app, lead, make_application):
    application = make_application(submit=True)
    lead.post(f"/lead/applications/{application.id}/offer", data={})
    days = app.config["OFFER_RESPONSE_DAYS"]
    assert application.offer_expires_on == services.today() + timedelta(days=days)


def test_an_offer_with_a_past_or_impossible_date_is_refused_keeping_what_was_typed(
    lead, make_application
):
    application = make_application(submit=True)
    past = services.today() - timedelta(days=1)
    response = lead.post(
        f"/lead/applications/{application.id}/offer",
        data={
            "offer-respond_by[day]": str(past.day),
            "offer-respond_by[month]": str(past.month),
            "offer-respond_by[year]": str(past.year),
        },
    )
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and "The reply date must be today or later" in text
    assert f'value="{past.year}"' in text
    assert application.status is S.SUBMITTED and application.offer_expires_on is None
    response = lead.post(
        f"/lead/applications/{application.id}/offer",
        data={
            "offer-respond_by[day]": "31",
            "offer-respond_by[month]": "2",
            "offer-respond_by[year]": "2030",
        },
    )
    assert "Enter a real date" in response.get_data(as_text=True)
    assert application.status is S.SUBMITTED


def test_an_offer_is_refused_when_every_place_is_taken(lead, make_intake, make_application):
    intake = make_intake(capacity=1)
    first = make_application(intake, submit=True)
    second = make_application(intake, submit=True)
    assert lead.post(f"/lead/applications/{first.id}/offer").status_code == 302
    response = lead.post(f"/lead/applications/{second.id}/offer")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in text
    assert "All 1 places" in text and "waiting list instead" in text
    assert second.status is S.SUBMITTED and second.offer_expires_on is None
    assert "All places in this intake are offered or accepted" in text


def test_a_lead_waitlists(lead, make_application):
    application = make_application(submit=True)
    assert lead.post(f"/lead/applications/{application.id}/waitlist").status_code == 302
    assert application.status is S.WAITLISTED
    page = _page(lead, f"/lead/applications/{application.id}")
    assert "On the waiting list" in page and "Shortlist" not in page.split("Reviews")[0]


def test_rejecting_needs_a_reason_which_the_applicant_sees(lead, login, make_application):
    application = make_application(submit=True)
    response = lead.post(f"/lead/applications/{application.id}/reject", data={"reject-reason": " "})
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and "Enter the reason, which the applicant will see" in text
    assert application.status is S.SUBMITTED

    response = lead.post(
        f"/lead/applications/{application.id}/reject",
        data={"reject-reason": "We had many applicants from your region."},
    )
    assert response.status_code == 302
    assert application.status is S.REJECTED
    assert application.decision_reason == "We had many applicants from your region."
    page = _page(lead, f"/lead/applications/{application.id}")
    assert "We had many applicants from your region." in page


def test_a_refused_move_shows_an_error_and_changes_nothing(lead, make_application):
    application = make_application(submit=True)
    lead.post(f"/lead/applications/{application.id}/reject", data={"reject-reason": "Not now"})
    assert application.status is S.REJECTED
    for action in ("shortlist", "waitlist", "offer"):
        response = lead.post(f"/lead/applications/{application.id}/{action}")
        text = response.get_data(as_text=True)
        assert response.status_code == 200, action
        assert "There is a problem" in text and "cannot be changed from" in text
    assert application.status is S.REJECTED and application.offer_expires_on is None
    # rejecting again would overwrite the reason the applicant was given: refused
    response = lead.post(
        f"/lead/applications/{application.id}/reject", data={"reject-reason": "Other"}
    )
    assert "cannot be changed from" in response.get_data(as_text=True)
    assert application.decision_reason == "Not now"
    page = _page(lead, f"/lead/applications/{application.id}")
    assert "There are no decisions to make on this application now" in page


def test_an_offer_can_be_lapsed_only_after_its_reply_date(lead, make_application):
    application = make_application(submit=True)
    lead.post(f"/lead/applications/{application.id}/offer")
    assert application.status is S.OFFERED
    response = lead.post(f"/lead/applications/{application.id}/lapse")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "The applicant has until" in text
    assert application.status is S.OFFERED

    application.offer_expires_on = services.today() - timedelta(days=1)
    page = _page(lead, f"/lead/applications/{application.id}")
    assert "The reply date has passed" in page and "Close the offer" in page
    response = lead.post(f"/lead/applications/{application.id}/lapse")
    assert response.status_code == 302
    assert application.status is S.DECLINED
    assert "lapsed" in _page(lead, f"/lead/applications/{application.id}")


def test_decisions_need_a_csrf_token(app, lead, make_application):
    application = make_application(submit=True)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = lead.post(f"/lead/applications/{application.id}/shortlist")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert application.status is S.SUBMITTED


# --- Selection -------------------------------------------------------------------------


def test_the_selection_view_shows_the_offered_mix_against_applicants(
    lead, make_intake, make_application
):
    intake = make_intake()
    offered = make_application(intake, submit=True, sector=Sector.COMMUNITY)
    make_application(intake, submit=True)
    make_application(intake, submit=True)
    make_application(intake, full_name="Dora Draft", sector=Sector.ICB)  # drafts are not counted
    lead.post(f"/lead/applications/{offered.id}/offer")
    page = _page(lead, f"/lead/intakes/{intake.id}/selection")
    assert "3 people have applied" in page and "1 place is offered or accepted" in page
    for heading in (
        "Staff group",
        "Sector",
        "Region",
        "Band or equivalent",
        "Preferred delivery mode",
    ):
        assert f">{heading}</h2>" in page
    community = page.split(">Community</th>")[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in community.split("</td>")[:4]] == [
        "1",
        "1",
        "100%",
        "33%",
    ]
    acute = page.split(">Acute</th>")[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in acute.split("</td>")[:4]] == ["2", "0", "0%", "67%"]
    integrated = page.split(">Integrated care board</th>")[1].split("</tr>")[0]
    assert integrated.split("</td>")[0].split(">")[-1] == "0"


def test_equality_counts_on_the_selection_view_suppress_small_numbers(
    lead, db, make_intake, make_user
):
    intake = make_intake()
    other = make_intake()
    for sex in ["female"] * 4 + ["male"] * 2:
        db.session.add(EqualityResponse(intake_id=intake.id, sex=sex, disability="no"))
    db.session.add(EqualityResponse(intake_id=other.id, sex="male", disability="yes"))
    # a draft's answers are still tied to a person, so are not counted until submitted
    draft_user = make_user(Role.APPLICANT)
    db.session.add(EqualityResponse(intake_id=intake.id, user_id=draft_user.id, sex="male"))
    page = _page(lead, f"/lead/intakes/{intake.id}/selection")
    assert "6 applicants answered the equality monitoring questions" in page
    female = page.split(">Female</th>")[1].split("</tr>")[0]
    male = page.split(">Male</th>")[1].split("</tr>")[0]
    assert ">4</td>" in female
    assert "Fewer than 3" in male and ">2<" not in male and ">3<" not in male
    no = page.split("Do you consider yourself to have a disability")[1].split(">No</th>")[1]
    assert ">6</td>" in no.split("</tr>")[0]


def test_equality_figures_are_withheld_when_fewer_than_three_answered(lead, db, make_intake):
    intake = make_intake()
    for sex in ("female", "male"):
        db.session.add(EqualityResponse(intake_id=intake.id, sex=sex))
    page = _page(lead, f"/lead/intakes/{intake.id}/selection")
    assert "Fewer than 3 applicants have answered" in page
    assert ">Female</th>" not in page
