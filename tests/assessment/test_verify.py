"""The public verification page and status address: valid, revoked, expired, unknown and
malformed codes, and that nothing else about the holder leaks."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.assessment.credential import credential_id
from lms.assessment.models import AWARD_TITLE
from lms.db_types import utcnow
from lms.extensions import db
from tests.assessment.test_awards import make_award

SECRET_EMAIL = "secret.holder@personal.example"
SECRET_ORG = "Hidden Valley NHS Trust"
SECRET_INTAKE = "Confidential Intake 2026"
SECRET_REASON = "REASON-TEXT evidence was found to be copied"
ISSUED_TEXT = "14 March 2026"


@pytest.fixture
def holder(make_user, make_organisation):
    return make_user(
        Role.FACILITATOR,
        name="Gwen Holder",
        email="gwen.work@trust.example",
        organisation=make_organisation(SECRET_ORG),
    )


@pytest.fixture
def make(holder, make_intake):
    def build(**fields):
        return make_award(
            holder,
            make_intake(name=fields.pop("intake_name", SECRET_INTAKE)),
            holder_email=SECRET_EMAIL,
            **fields,
        )

    return build


def main_of(page: str) -> str:
    return page.split('id="maincontent"', 1)[1].split("</main>", 1)[0]


def test_a_valid_award(client, make):
    award = make()
    response = client.get(f"/verify/{award.code}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    main = main_of(page)
    assert "Gwen Holder" in main and str(AWARD_TITLE) in main and ISSUED_TEXT in main
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Valid</strong>' in main
    assert "This award is valid" in main
    assert '<meta name="robots" content="noindex">' in page
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_a_revoked_award(client, make):
    award = make(revoked_at=utcnow(), revoke_reason=SECRET_REASON)
    response = client.get(f"/verify/{award.code}")
    assert response.status_code == 200
    main = main_of(response.get_data(as_text=True))
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Revoked</strong>' in main
    assert "has been revoked" in main and "Valid<" not in main


def test_an_expired_award(client, make):
    award = make(expires_at=utcnow() - timedelta(minutes=1))
    main = main_of(client.get(f"/verify/{award.code}").get_data(as_text=True))
    assert '<strong class="nhsuk-tag nhsuk-tag--grey">Expired</strong>' in main
    assert "has expired" in main


def test_an_award_not_yet_lapsed_is_valid(client, make):
    award = make(expires_at=utcnow() + timedelta(days=1))
    main = main_of(client.get(f"/verify/{award.code}").get_data(as_text=True))
    assert "nhsuk-tag--green" in main


@pytest.mark.parametrize(
    "code",
    ["ABCD1234EFGH5678JKMN", "too-short", "ABCD1234EFGH5678JKMU", "<script>alert(1)"],
)
def test_an_unknown_or_malformed_code(client, make, code):
    make()
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "No award has this code" in page and "Check the code and try again" in page
    assert "<script>alert" not in page
    assert "Gwen Holder" not in page


def test_a_code_typed_in_lower_case_or_with_hyphens_goes_to_the_printed_address(client, make):
    award = make()
    for typed in (award.code.lower(), award.display_code):
        response = client.get(f"/verify/{typed}")
        assert response.status_code == 301
        assert response.headers["Location"].endswith(f"/verify/{award.code}")


@pytest.mark.parametrize("state", ["valid", "revoked", "expired"])
def test_the_page_shows_nothing_else_about_the_holder(client, make, holder, state):
    fields = {
        "valid": {},
        "revoked": {"revoked_at": utcnow(), "revoke_reason": SECRET_REASON},
        "expired": {"expires_at": utcnow() - timedelta(days=1)},
    }[state]
    award = make(**fields)
    page = client.get(f"/verify/{award.code}").get_data(as_text=True)
    for secret in (SECRET_EMAIL, holder.email, SECRET_ORG, SECRET_INTAKE, "REASON-TEXT"):
        assert secret not in page, secret
    assert f"/awards/{award.id}" not in page
    assert "personal" not in page.lower()
    main = main_of(page).replace(ISSUED_TEXT, "")
    for number in {holder.id, award.id, award.intake_id, award.submission_id}:
        assert not re.search(rf"(?<![\w-]){number}(?![\w-])", main), number


def test_signed_in_people_see_the_same_page(client, make, login_as):
    award = make(revoked_at=utcnow(), revoke_reason=SECRET_REASON)
    lead = login_as(Role.LEAD)
    page = lead.get(f"/verify/{award.code}").get_data(as_text=True)
    assert "Revoked" in page and "REASON-TEXT" not in page and SECRET_EMAIL not in page


# --- The form -------------------------------------------------------------------------------


def test_the_form_takes_a_code_as_printed(client, make):
    award = make()
    page = client.get("/verify")
    assert page.status_code == 200 and "Verification code" in page.get_data(as_text=True)
    response = client.get("/verify", query_string={"code": f" {award.display_code.lower()} "})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{award.code}")


def test_a_well_formed_unknown_code_goes_to_the_not_found_page(client):
    response = client.get("/verify", query_string={"code": "ABCD-1234-EFGH-5678-JKMN"})
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 404


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the verification code"),
        ("ABC-123", "Enter the code as it is printed on the certificate"),
    ],
)
def test_a_malformed_code_gets_an_error_summary_and_keeps_what_was_typed(client, typed, message):
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    assert "<title>Error:" in page
    if typed:
        assert f'value="{typed}"' in page


# --- The status address ---------------------------------------------------------------------


def test_the_status_of_a_valid_award(app, client, make):
    award = make()
    response = client.get(f"/verify/{award.code}/status")
    assert response.status_code == 200 and response.is_json
    data = response.get_json()
    assert data["id"] == f"{app.config['PUBLIC_URL'].rstrip('/')}/verify/{award.code}/status"
    assert data["code"] == award.code
    assert data["status"] == "valid" and data["revoked"] is False
    assert data["revokedCredentials"] == []
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["checked_at"])
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert "Gwen" not in body and SECRET_EMAIL not in body


def test_the_status_of_a_revoked_award(client, make):
    award = make(revoked_at=utcnow(), revoke_reason=SECRET_REASON)
    response = client.get(f"/verify/{award.code}/status")
    data = response.get_json()
    assert data["status"] == "revoked" and data["revoked"] is True
    assert data["revokedCredentials"] == [{"id": credential_id(award), "revoked": True}]
    assert "REASON-TEXT" not in response.get_data(as_text=True)


def test_the_status_of_an_expired_award(client, make):
    award = make(expires_at=utcnow() - timedelta(days=1))
    data = client.get(f"/verify/{award.code}/status").get_json()
    assert data["status"] == "expired" and data["revoked"] is False


@pytest.mark.parametrize("code", ["ABCD1234EFGH5678JKMN", "nonsense"])
def test_the_status_of_an_unknown_code_is_a_json_404(client, code):
    response = client.get(f"/verify/{code}/status")
    assert response.status_code == 404 and response.is_json
    assert response.get_json()["error"] == "No award has this code"


def test_a_revocation_shows_at_once(client, make):
    award = make()
    assert client.get(f"/verify/{award.code}/status").get_json()["status"] == "valid"
    award.revoked_at = utcnow()
    award.revoke_reason = SECRET_REASON
    db.session.flush()
    assert client.get(f"/verify/{award.code}/status").get_json()["status"] == "revoked"
    assert "Revoked" in client.get(f"/verify/{award.code}").get_data(as_text=True)


# --- The award criteria page ----------------------------------------------------------------


def test_the_award_criteria_page_lists_the_criteria_and_anchors_each_outcome(client):
    from lms.assessment.outcomes import CODES

    response = client.get("/award-criteria")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert str(AWARD_TITLE) in page
    assert "All core modules complete." in page
    assert "At least 6 supervision sessions attended." in page
    assert "At least 4 buddy check-ins." in page
    for code in CODES:
        assert page.count(f'id="outcome-{code}"') == 1
