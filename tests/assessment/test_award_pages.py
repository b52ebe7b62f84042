"""Award pages: who may use each route (holder, another facilitator, lead, supervisor,
reviewer, trainee, admin, nobody signed in), and what each page does."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.assessment import awards
from lms.assessment.models import Award, AwardStatus, SubmissionStatus
from lms.audit import AuditEvent
from lms.db_types import utcnow
from lms.extensions import db
from tests.assessment.test_awards import join, make_award, set_renewal, submit

PEOPLE = ("holder", "facilitator", "lead", "supervisor", "reviewer", "trainee", "admin", None)


@pytest.fixture
def world(make_user, make_intake, run_jobs):
    """A holder with an issued award (certificate made), another facilitator whose
    portfolio waits for review, and one person in each other role."""
    intake = make_intake(name="Pages intake")
    lead = make_user(Role.LEAD, name="Lena Lead")
    holder = make_user(Role.FACILITATOR, name="Hana Holder")
    other = make_user(Role.FACILITATOR, name="Owen Other")
    for person in (holder, other):
        join(person, intake)
    set_renewal(intake, 12)
    award = awards.issue_award(submit(holder, intake, "hana@personal.example"), lead)
    db.session.commit()  # hands the certificate job to Redis when in use (a savepoint here)
    run_jobs()
    waiting = submit(other, intake, "owen@personal.example")
    return {
        "intake": intake,
        "award": award,
        "waiting": waiting,
        "holder": holder,
        "facilitator": other,
        "lead": lead,
        "supervisor": make_user(Role.SUPERVISOR),
        "reviewer": make_user(Role.REVIEWER),
        "trainee": make_user(Role.TRAINEE),
        "admin": make_user(Role.ADMIN),
    }


@pytest.fixture
def as_(client, login):
    """Sign in as someone from the world (None: nobody), signing out whoever was in."""

    def switch(user):
        client._cookies.clear()
        return login(user) if user is not None else client

    return switch


def routes(w) -> dict[str, tuple[str, str, dict]]:
    a, s = w["award"].id, w["waiting"].id
    return {
        "my_awards": ("GET", "/awards", {}),
        "show": ("GET", f"/awards/{a}", {}),
        "certificate": ("GET", f"/awards/{a}/certificate.pdf", {}),
        "credential": ("GET", f"/awards/{a}/credential.json", {}),
        "email": ("GET", f"/awards/{a}/email", {}),
        "email_post": ("POST", f"/awards/{a}/email", {"email": "new@personal.example"}),
        "issue": ("POST", f"/lead/portfolios/{s}/issue", {}),
        "lead_award": ("GET", f"/lead/awards/award/{a}", {}),
        "revoke": ("GET", f"/lead/awards/award/{a}/revoke", {}),
        "revoke_post": ("POST", f"/lead/awards/award/{a}/revoke", {"reason": "Issued in error"}),
        "renew": ("POST", f"/lead/awards/award/{a}/renew", {}),
    }


OK, GONE, NO = 200, 404, 403
# Who gets what: the holder and leads see an award; another facilitator is told it is not
# there (it is private); everyone else lacks the role. Only the holder changes its email.
EXPECTED = {
    "my_awards": {"holder": OK, "facilitator": OK},
    "show": {"holder": OK, "lead": OK, "facilitator": GONE},
    "certificate": {"holder": OK, "lead": OK, "facilitator": GONE},
    "credential": {"holder": OK, "lead": OK, "facilitator": GONE},
    "email": {"holder": OK, "lead": NO, "facilitator": GONE},
    "email_post": {"holder": 302, "lead": NO, "facilitator": GONE},
    "issue": {"lead": 302},
    "lead_award": {"lead": OK},
    "revoke": {"lead": OK},
    "revoke_post": {"lead": 302},
    "renew": {"lead": 302},
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("page", list(EXPECTED))
def test_who_may_use_each_route(world, as_, page, who):
    client = as_(world[who] if who else None)
    method, url, data = routes(world)[page]
    response = client.open(url, method=method, data=data)
    if who is None:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in?next=")
        return
    assert response.status_code == EXPECTED[page].get(who, NO), response.status_code
    if response.status_code in (403, 404):
        refused = db.session.scalar(
            db.select(AuditEvent).where(
                AuditEvent.action == "access.refused", AuditEvent.actor_id == world[who].id
            )
        )
        assert refused is not None and refused.detail["path"] == url


def test_a_missing_award_or_submission_is_not_found(world, as_):
    client = as_(world["lead"])
    assert client.get("/awards/999999").status_code == 404
    assert client.get("/lead/awards/award/999999").status_code == 404
    assert client.post("/lead/portfolios/999999/issue").status_code == 404


# --- The holder's pages ---------------------------------------------------------------------


def test_my_awards_lists_each_award_with_its_status(world, as_, make_intake):
    later = make_intake(name="Later intake")
    make_award(world["holder"], later, revoked_at=utcnow(), revoke_reason="Copied")
    page = as_(world["holder"]).get("/awards").get_data(as_text=True)
    assert "Pages intake" in page and "Later intake" in page
    assert "nhsuk-tag--green" in page and "nhsuk-tag--red" in page
    assert f'/awards/{world["award"].id}"' in page


def test_my_awards_when_there_are_none(world, as_):
    page = as_(world["facilitator"]).get("/awards").get_data(as_text=True)
    assert "You have no awards yet." in page


def test_my_awards_costs_the_same_queries_however_many_awards(
    world, as_, make_intake, count_queries
):
    client = as_(world["holder"])
    client.get("/awards")
    with count_queries() as one:
        assert client.get("/awards").status_code == 200
    for n in range(3):
        make_award(world["holder"], make_intake(name=f"Intake {n}"))
    with count_queries() as four:
        assert client.get("/awards").status_code == 200
    assert four.count == one.count


def test_the_award_page_shows_everything_the_holder_needs(world, as_):
    award = world["award"]
    page = as_(world["holder"]).get(f"/awards/{award.id}").get_data(as_text=True)
    assert award.display_code in page
    assert f'href="{award.verification_url}"' in page
    assert f"/awards/{award.id}/certificate.pdf" in page
    assert f"/awards/{award.id}/credential.json" in page
    assert "hana@personal.example" in page and f"/awards/{award.id}/email" in page
    assert "Expires" in page  # the intake's awards last 12 months
    assert "being prepared" not in page
    assert "Manage this award" not in page


def test_before_the_certificate_is_made_the_page_says_so(world, as_):
    award = world["award"]
    award.certificate_name = None
    db.session.flush()
    client = as_(world["holder"])
    page = client.get(f"/awards/{award.id}").get_data(as_text=True)
    assert "Your certificate is being prepared" in page and "Refresh this page" in page
    assert f"/awards/{award.id}/certificate.pdf" not in page
    assert client.get(f"/awards/{award.id}/certificate.pdf").status_code == 404


def test_a_revoked_award_says_so_clearly(world, as_):
    awards.revoke(world["award"], world["lead"], "Issued in error")
    page = as_(world["holder"]).get(f"/awards/{world['award'].id}").get_data(as_text=True)
    assert "This award has been revoked" in page and "nhsuk-tag--red" in page


def test_the_certificate_downloads_as_a_pdf(world, as_):
    response = as_(world["holder"]).get(f"/awards/{world['award'].id}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith(b"%PDF")
    assert "no-store" in response.headers["Cache-Control"]


def test_the_credential_downloads_as_json_ld(world, as_):
    award = world["award"]
    response = as_(world["lead"]).get(f"/awards/{award.id}/credential.json")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.data)
    assert data["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert data["credentialStatus"]["id"].endswith(f"/verify/{award.code}/status")


def test_the_holder_changes_the_email(world, as_):
    award, holder = world["award"], world["holder"]
    client = as_(holder)
    page = client.get(f"/awards/{award.id}/email").get_data(as_text=True)
    assert 'value="hana@personal.example"' in page
    response = client.post(f"/awards/{award.id}/email", data={"email": "Hana@Home.Example"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/awards/{award.id}")
    db.session.refresh(award)
    assert award.holder_email == "hana@home.example"
    assert db.session.get(type(holder), holder.id).personal_email == "hana@home.example"


@pytest.mark.parametrize("typed", ["", "not an email"])
def test_a_bad_email_gets_an_error_summary_and_keeps_what_was_typed(world, as_, typed):
    award = world["award"]
    response = as_(world["holder"]).post(f"/awards/{award.id}/email", data={"email": typed})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    if typed:
        assert f'value="{typed}"' in page
    db.session.refresh(award)
    assert award.holder_email == "hana@personal.example"


# --- The leads' pages -----------------------------------------------------------------------


def test_a_lead_issues_an_award_once(world, as_):
    waiting, other = world["waiting"], world["facilitator"]
    client = as_(world["lead"])
    response = client.post(f"/lead/portfolios/{waiting.id}/issue")
    award = db.session.scalar(db.select(Award).filter_by(user_id=other.id))
    assert response.headers["Location"].endswith(f"/lead/awards/award/{award.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The award has been issued to Owen Other" in page
    assert waiting.status is SubmissionStatus.AWARDED

    again = client.post(f"/lead/portfolios/{waiting.id}/issue")
    assert again.headers["Location"].endswith(f"/lead/awards/award/{award.id}")
    assert "already been issued" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Award.id)).filter_by(user_id=other.id)) == 1


def test_a_portfolio_not_waiting_cannot_be_awarded(world, as_):
    waiting = world["waiting"]
    waiting.status = SubmissionStatus.RETURNED
    db.session.flush()
    client = as_(world["lead"])
    response = client.post(f"/lead/portfolios/{waiting.id}/issue")
    assert response.headers["Location"].endswith(f"/lead/portfolios/{waiting.id}")
    assert db.session.scalar(db.select(Award).filter_by(user_id=world["facilitator"].id)) is None


def test_the_lead_award_page(world, as_):
    award = world["award"]
    page = as_(world["lead"]).get(f"/lead/awards/award/{award.id}").get_data(as_text=True)
    for text in ("Hana Holder", "Pages intake", award.display_code, "Renew award"):
        assert text in page
    assert f"/awards/{award.id}/certificate.pdf" in page
    assert f"/awards/{award.id}/credential.json" in page
    assert f"/verify/{award.code}" in page
    assert f"/lead/awards/award/{award.id}/revoke" in page


def test_no_renew_button_without_a_renewal_period(world, as_, make_user, make_intake):
    intake = make_intake()
    award = make_award(make_user(Role.FACILITATOR), intake)
    page = as_(world["lead"]).get(f"/lead/awards/award/{award.id}").get_data(as_text=True)
    assert "Renew award" not in page and "do not lapse" in page


def test_revoking_needs_a_reason(world, as_):
    award = world["award"]
    response = as_(world["lead"]).post(
        f"/lead/awards/award/{award.id}/revoke", data={"reason": "  "}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "Enter the reason for revoking this award" in page
    assert award.revoked_at is None


def test_revoking_shows_on_the_verification_page_but_not_the_reason(world, as_, client):
    award = world["award"]
    lead = as_(world["lead"])
    response = lead.post(
        f"/lead/awards/award/{award.id}/revoke", data={"reason": "REASON-TEXT copied work"}
    )
    assert response.headers["Location"].endswith(f"/lead/awards/award/{award.id}")
    page = lead.get(response.headers["Location"]).get_data(as_text=True)
    assert "has been revoked" in page and "REASON-TEXT copied work" in page  # leads see it
    again = lead.get(f"/lead/awards/award/{award.id}/revoke")
    assert again.status_code == 302  # already revoked
    client._cookies.clear()
    public = client.get(f"/verify/{award.code}").get_data(as_text=True)
    assert "Revoked" in public and "REASON-TEXT" not in public
    assert client.get(f"/verify/{award.code}/status").get_json()["revoked"] is True


def test_renewing_moves_the_expiry_on(world, as_):
    award = world["award"]
    award.expires_at = utcnow() - timedelta(days=2)
    db.session.flush()
    assert award.status() is AwardStatus.EXPIRED
    response = as_(world["lead"]).post(f"/lead/awards/award/{award.id}/renew")
    assert response.status_code == 302
    db.session.refresh(award)
    assert award.status() is AwardStatus.VALID
    assert award.expires_at > utcnow() + timedelta(days=360)


def test_renewing_without_a_renewal_period_is_refused_politely(world, as_, make_user, make_intake):
    award = make_award(make_user(Role.FACILITATOR), make_intake())
    client = as_(world["lead"])
    response = client.post(f"/lead/awards/award/{award.id}/renew")
    assert response.status_code == 302
    assert "do not lapse" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.refresh(award)
    assert award.expires_at is None


def test_the_award_pages_cost_the_same_queries_for_a_revoked_award(world, as_, count_queries):
    client = as_(world["lead"])
    url = f"/lead/awards/award/{world['award'].id}"
    client.get(url)
    with count_queries() as valid:
        assert client.get(url).status_code == 200
    awards.revoke(world["award"], world["lead"], "Issued in error")
    db.session.flush()
    with count_queries() as revoked:
        assert client.get(url).status_code == 200
    assert revoked.count <= valid.count
