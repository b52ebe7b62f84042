from lms.accounts.models import Role
from tests.conftest import PASSWORD


def test_account_page_shows_details(login_as):
    client = login_as(Role.FACILITATOR, name="Nia Jones")
    page = client.get("/account").get_data(as_text=True)
    assert "Nia Jones" in page and "Trainee facilitator" in page


def test_change_details(login_as):
    client = login_as(Role.APPLICANT)
    response = client.post(
        "/account/details", data={"name": "New Name", "personal_email": "Me@Home.example"}
    )
    assert response.status_code == 302
    assert client.user.name == "New Name"
    assert client.user.personal_email == "me@home.example"


def test_change_details_rejects_bad_email_and_keeps_input(login_as):
    client = login_as(Role.APPLICANT)
    response = client.post(
        "/account/details", data={"name": "Kept Name", "personal_email": "not-an-email"}
    )
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and 'value="Kept Name"' in page


def test_change_password_needs_the_current_one(login_as):
    client = login_as(Role.APPLICANT)
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong wrong wrong",
            "new_password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert "Your current password is not correct" in response.get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302


def test_access_needs_are_saved(login_as):
    client = login_as(Role.TRAINEE)
    client.post(
        "/account/access-needs",
        data={"captions": "y", "low_stimulation": "y", "notes": "Cameras off please"},
    )
    user = client.user
    assert user.needs_captions and user.needs_low_stimulation
    assert not user.needs_extra_processing_time
    assert user.access_notes == "Cameras off please"
    client.post("/account/access-needs", data={"notes": ""})
    assert not user.needs_captions and user.access_notes is None


def test_language_preference_is_remembered(login_as, client):
    client = login_as(Role.APPLICANT)
    client.post("/account/language", data={"language": "cy"})
    assert client.user.language == "cy"
    page = client.get("/account").get_data(as_text=True)
    assert '<html lang="cy">' in page
