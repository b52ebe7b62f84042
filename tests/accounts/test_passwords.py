import pytest

from lms.accounts.passwords import hash_password, password_problem, verify_password


@pytest.mark.parametrize(
    "password",
    [
        "short",  # too short
        "password1234",  # common
        "qwertyuiop12",  # common keyboard walk
        "Summer2024!!",  # common word padded with digits and symbols
        "123456789012",  # a sequence
        "aaaaaaaaaaaaaa",  # repeated
    ],
)
def test_weak_passwords_are_refused(app, password):
    with app.test_request_context():
        assert password_problem(password) is not None


@pytest.mark.parametrize(
    "password", ["correct horse battery", "ward-round-kettle-42", "Inquiry not advice, every time"]
)
def test_long_uncommon_passwords_are_accepted(app, password):
    with app.test_request_context():
        assert password_problem(password) is None


def test_password_must_not_contain_the_email_name(app):
    with app.test_request_context():
        assert password_problem("jane.smith-is-great", email="jane.smith@example.org")


def test_hash_is_argon2_and_verifies(app):
    with app.app_context():
        hashed = hash_password("correct horse battery")
        assert hashed.startswith("$argon2id$")
        assert verify_password(hashed, "correct horse battery")
        assert not verify_password(hashed, "correct horse batter")
        assert not verify_password("not-a-hash", "anything")
