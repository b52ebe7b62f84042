"""The Open Badges 3.0 credential: required fields and their types, dates, the hashed
identity, criteria and alignments, and a status address that really answers."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from flask_babel import force_locale

from lms.accounts.models import Role
from lms.assessment.credential import open_badge
from lms.assessment.models import AWARD_TITLE, ISSUER_NAME
from lms.assessment.outcomes import CODES
from lms.db_types import utcnow
from tests.assessment.test_awards import ISSUED, make_award, set_renewal

UTC_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@pytest.fixture
def intake(make_intake):
    return make_intake(name="Credential intake")


@pytest.fixture
def holder(make_user):
    return make_user(Role.FACILITATOR, name="Rhys Holder", language="cy")


@pytest.fixture
def award(holder, intake):
    return make_award(holder, intake, holder_email="rhys@personal.example")


@pytest.fixture
def badge(app, award):
    with app.test_request_context():
        return open_badge(award)


def test_the_credential_is_an_open_badge_with_its_required_fields(app, badge, award):
    public = app.config["PUBLIC_URL"].rstrip("/")
    assert badge["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", badge["id"])
    assert badge["name"] == str(AWARD_TITLE)
    assert badge["issuer"] == {
        "id": public,
        "type": ["Profile"],
        "name": str(ISSUER_NAME),
        "url": public,
    }
    assert "proof" not in badge  # unsigned: checked through its status address
    json.dumps(badge)  # plain JSON throughout


def test_valid_from_is_the_issue_date_in_utc_and_valid_until_only_with_an_expiry(
    app, badge, holder, make_intake
):
    assert UTC_Z.fullmatch(badge["validFrom"])
    assert badge["validFrom"] == "2026-03-14T10:30:00Z" == ISSUED.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "validUntil" not in badge
    lapsing = make_award(holder, make_intake(), expires_at=ISSUED + timedelta(days=365))
    with app.test_request_context():
        data = open_badge(lapsing)
    assert data["validUntil"] == "2027-03-14T10:30:00Z"


def test_the_subject_is_the_holder_by_a_salted_hash_of_their_personal_email(badge):
    subject = badge["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["name"] == "Rhys Holder"
    [identity] = subject["identifier"]
    assert identity["type"] == "IdentityObject"
    assert identity["identityType"] == "emailAddress"
    assert identity["hashed"] is True
    salt = identity["salt"]
    assert isinstance(salt, str) and len(salt) >= 16
    expected = hashlib.sha256(("rhys@personal.example" + salt).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${expected}"
    assert "rhys@personal.example" not in json.dumps(badge)


def test_the_achievement_and_its_criteria(app, badge):
    achievement = badge["credentialSubject"]["achievement"]
    criteria_page = f"{app.config['PUBLIC_URL'].rstrip('/')}/award-criteria"
    assert achievement["id"] == criteria_page
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["name"] == str(AWARD_TITLE)
    assert isinstance(achievement["description"], str) and achievement["description"]
    narrative = achievement["criteria"]["narrative"]
    assert narrative.startswith("All core modules complete. ")
    for sentence in (
        "At least 6 supervision sessions attended.",
        "At least 1 action learning set facilitated, with at least 4 of its sessions held.",
        "At least 2 observed sessions signed off.",
        "At least 6 session logs written.",
        "At least 4 buddy check-ins.",
    ):
        assert sentence in narrative


def test_one_alignment_per_learning_outcome(app, badge, client):
    alignments = badge["credentialSubject"]["achievement"]["alignment"]
    criteria_page = f"{app.config['PUBLIC_URL'].rstrip('/')}/award-criteria"
    assert [a["targetCode"] for a in alignments] == list(CODES)
    page = client.get("/award-criteria").get_data(as_text=True)
    for alignment in alignments:
        assert alignment["type"] == ["Alignment"]
        assert alignment["targetType"] == "ceasn:Competency"
        assert alignment["targetName"] and alignment["targetDescription"]
        assert alignment["targetUrl"] == f"{criteria_page}#outcome-{alignment['targetCode']}"
        assert f'id="outcome-{alignment["targetCode"]}"' in page


def test_the_criteria_follow_the_intake_scheme(app, award, intake):
    set_renewal(
        intake,
        None,
        {
            "supervision_sessions": {"required": True, "threshold": 8},
            "buddy_check_ins": {"required": False, "threshold": 4},
            "sets_facilitated": {"required": True, "threshold": 2, "sessions_per_set": 5},
        },
    )
    with app.test_request_context():
        narrative = open_badge(award)["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert "At least 8 supervision sessions attended." in narrative
    assert (
        "At least 2 action learning sets facilitated, each with at least 5 of its sessions held."
        in narrative
    )
    assert "buddy" not in narrative


def test_the_status_address_is_ours_and_answers(app, client, badge, award):
    status = badge["credentialStatus"]
    assert status["type"] == "1EdTechRevocationList"
    public = app.config["PUBLIC_URL"].rstrip("/")
    assert status["id"] == f"{public}/verify/{award.code}/status"
    path = urlsplit(status["id"]).path
    endpoint, values = app.url_map.bind("localhost").match(path)
    assert endpoint == "assessment.credential_status" and values == {"code": award.code}
    data = client.get(path).get_json()
    assert data["id"] == status["id"] and data["status"] == "valid"


def test_the_credential_is_stable_and_follows_the_holders_email(app, award):
    with app.test_request_context():
        first, again = open_badge(award), open_badge(award)
        award.holder_email = "rhys.new@personal.example"
        moved = open_badge(award)
    assert first == again
    assert moved["id"] == first["id"]
    old = first["credentialSubject"]["identifier"][0]["identityHash"]
    assert moved["credentialSubject"]["identifier"][0]["identityHash"] != old


def test_the_credential_is_in_english_whatever_the_language(app, award):
    with app.test_request_context(), force_locale("cy"):
        data = open_badge(award)
    with app.test_request_context():
        english = open_badge(award)
    assert data == english


def test_a_revoked_or_expired_award_still_has_a_credential_whose_status_says_so(
    app, client, holder, make_intake
):
    revoked = make_award(holder, make_intake(), revoked_at=utcnow(), revoke_reason="Copied")
    with app.test_request_context():
        status_id = open_badge(revoked)["credentialStatus"]["id"]
    data = client.get(urlsplit(status_id).path).get_json()
    assert data["status"] == "revoked" and data["revoked"] is True
