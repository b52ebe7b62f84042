from lms.accounts.models import Role, User
from lms.audit import AuditEvent
from tests.conftest import PASSWORD


def test_register_creates_an_applicant_and_signs_in(client, db):
    response = client.post(
        "/register",
        data={
            "name": "Ada Lovelace",
            "email": "Ada@Example.org",
            "password": "inquiry not advice",
            "confirm": "inquiry not advice",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "ada@example.org"))
    assert user is not None and user.roles == [Role.APPLICANT]
    assert user.password_hash.startswith("$argon2id$")
    home = client.get("/")
    assert "Welcome, Ada Lovelace" in home.get_data(as_text=True)


def test_register_refuses_bad_input_and_keeps_what_was_typed(client, db):
    response = client.post(
        "/register",
        data={
            "name": "Ada Lovelace",
            "email": "ada@example.org",
            "password": "password1234",
            "confirm": "password1234",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Your password is too common" in page
    assert 'value="Ada Lovelace"' in page and 'value="ada@example.org"' in page
    assert db.session.scalar(db.select(User).where(User.email == "ada@example.org")) is None


def test_register_refuses_a_duplicate_email(client, make_user):
    make_user(email="taken@example.org")
    response = client.post(
        "/register",
        data={
            "name": "Someone",
            "email": "TAKEN@example.org",
            "password": "inquiry not advice",
            "confirm": "inquiry not advice",
        },
    )
    assert "already exists" in response.get_data(as_text=True)


def test_register_refuses_mismatched_and_missing_fields(client):
    response = client.post(
        "/register",
        data={
            "name": "",
            "email": "not-an-email",
            "password": "inquiry not advice",
            "confirm": "something else",
        },
    )
    page = response.get_data(as_text=True)
    assert "Enter your full name" in page
    assert "Enter an email address in the correct format" in page
    assert "The passwords do not match" in page


def test_sign_in_and_sign_out(client, make_user, db):
    user = make_user(Role.FACILITATOR)
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Trainee facilitator" in client.get("/").get_data(as_text=True)
    assert db.session.scalar(
        db.select(AuditEvent).where(
            AuditEvent.action == "account.signed_in", AuditEvent.actor_id == user.id
        )
    )
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302  # back to sign-in


def test_wrong_password_and_unknown_account_get_the_same_answer(client, make_user):
    user = make_user()
    wrong = client.post("/sign-in", data={"email": user.email, "password": "wrong password!"})
    unknown = client.post(
        "/sign-in", data={"email": "nobody@example.org", "password": "wrong password!"}
    )
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_disabled_account_cannot_sign_in(client, make_user):
    user = make_user(is_active=False)
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200


def test_there_is_no_keep_me_signed_in(client, make_user):
    # A remember cookie would outlive the 12-hour limit on a session.
    assert "Keep me signed in" not in client.get("/sign-in").get_data(as_text=True)
    user = make_user()
    response = client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))


def test_without_remember_me_there_is_no_remember_cookie(client, make_user):
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))


def test_next_redirects_within_the_site(client, make_user):
    user = make_user()
    response = client.post(
        "/sign-in?next=/account", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/account"


def test_next_to_another_site_is_refused(client, make_user):
    user = make_user()
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
    ):
        client.post("/sign-out")
        response = client.post(
            "/sign-in",
            query_string={"next": target},
            data={"email": user.email, "password": PASSWORD},
        )
        assert response.headers["Location"] == "/", target


def test_login_required_redirects_with_next(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_sign_in_is_rate_limited_per_account(app, client, make_user):
    user = make_user()
    for _ in range(5):
        assert (
            client.post(
                "/sign-in", data={"email": user.email, "password": "wrong password!"}
            ).status_code
            == 200
        )
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Another account from the same address is not locked out by this one.
    other = make_user()
    assert (
        client.post("/sign-in", data={"email": other.email, "password": PASSWORD}).status_code
        == 302
    )


def test_sign_in_is_rate_limited_per_address(app, client, make_user):
    for n in range(20):
        client.post(
            "/sign-in", data={"email": f"guess{n}@example.org", "password": "wrong password!"}
        )
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429


def test_successful_sign_ins_do_not_count_against_the_limit(client, make_user):
    user = make_user()
    for _ in range(7):
        assert (
            client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code
            == 302
        )
        client.post("/sign-out")


def test_forms_without_a_csrf_token_are_refused(app, client, make_user):
    user = make_user()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 400
        assert "Your form could not be sent" in response.get_data(as_text=True)
        # With the token from the page, the same form goes through.
        page = client.get("/sign-in").get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        response = client.post(
            "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_every_post_route_refuses_a_request_without_a_csrf_token(app, login_as):
    client = login_as(Role.ADMIN)
    posts = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    assert len(posts) >= 10
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for rule in posts:
            values = {arg: ("x" if arg == "token" else 1) for arg in rule.arguments}
            with app.test_request_context():
                from flask import url_for

                url = url_for(rule.endpoint, **values)
            response = client.post(url, data={})
            assert response.status_code == 400, (rule.rule, response.status_code)
            assert "Your form could not be sent" in response.get_data(as_text=True), rule.rule
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
