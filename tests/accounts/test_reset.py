from datetime import timedelta

from lms.accounts import services
from lms.accounts.models import PasswordResetToken
from lms.db_types import utcnow
from tests.conftest import PASSWORD


def _link_from(outbox) -> str:
    body = outbox()[-1].body
    return next(line for line in body.splitlines() if "/reset-password/" in line).strip()


def test_reset_emails_a_link_that_works_once(client, make_user, outbox):
    user = make_user()
    response = client.post("/reset-password", data={"email": user.email.upper()})
    assert "Check your email" in response.get_data(as_text=True)
    emails = outbox()
    assert [m.recipient for m in emails] == [user.email]
    path = _link_from(outbox).split("localhost", 1)[1]

    assert client.get(path).status_code == 200
    response = client.post(
        path, data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    )
    assert response.status_code == 302
    assert (
        client.post(
            "/sign-in", data={"email": user.email, "password": "a brand new passphrase"}
        ).status_code
        == 302
    )
    client.post("/sign-out")

    used = client.get(path)
    assert used.status_code == 410
    assert "already been used" in used.get_data(as_text=True)


def test_unknown_email_gets_the_same_answer_and_no_email(client, outbox):
    response = client.post("/reset-password", data={"email": "nobody@example.org"})
    assert "Check your email" in response.get_data(as_text=True)
    assert outbox() == []


def test_expired_link_explains_itself(client, make_user, db, outbox):
    user = make_user()
    client.post("/reset-password", data={"email": user.email})
    token = db.session.scalar(db.select(PasswordResetToken))
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    path = _link_from(outbox).split("localhost", 1)[1]
    response = client.get(path)
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    response = client.post(
        path, data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    )
    assert response.status_code == 410
    assert (
        client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 302
    )


def test_a_made_up_token_is_refused(client):
    response = client.get("/reset-password/not-a-real-token")
    assert response.status_code == 410
    assert "not valid" in response.get_data(as_text=True)


def test_a_new_reset_retires_older_links(app, make_user, db):
    user = make_user()
    with app.test_request_context():
        first = services.request_password_reset(user.email)
        second = services.request_password_reset(user.email)
        services.reset_password(second, "a brand new passphrase")
        try:
            services.check_reset_token(first)
        except services.AccountError as exc:
            assert "already been used" in exc.message
        else:
            raise AssertionError("the older link still worked")


def test_weak_new_password_is_refused_and_link_still_works(client, make_user, outbox):
    user = make_user()
    client.post("/reset-password", data={"email": user.email})
    path = _link_from(outbox).split("localhost", 1)[1]
    response = client.post(path, data={"password": "password1234", "confirm": "password1234"})
    assert "too common" in response.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_reset_requests_are_limited_per_address(client, make_user, outbox):
    user = make_user()
    for _ in range(5):
        assert client.post("/reset-password", data={"email": user.email}).status_code == 200
    response = client.post("/reset-password", data={"email": user.email})
    assert response.status_code == 429
    assert "too many password reset emails" in response.get_data(as_text=True)
    assert len([m for m in outbox() if "Reset your password" in m.subject]) == 5


def test_a_changed_password_is_confirmed_by_email(client, make_user, outbox):
    user = make_user()
    client.post("/reset-password", data={"email": user.email})
    path = _link_from(outbox).split("localhost", 1)[1]
    client.post(
        path, data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    )
    last = outbox()[-1]
    assert last.recipient == user.email and "has been changed" in last.subject
