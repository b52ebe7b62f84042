"""Signing in tells nobody whether an account exists, and its limits hold across workers
when they share Redis."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from lms.accounts.models import Role
from tests.conftest import PASSWORD

WRONG = "not the right password"


def attempt(client, email: str, password: str = WRONG):
    response = client.post("/sign-in", data={"email": email, "password": password})
    # The page shows back the email typed, and a CSRF token signed with the time (the
    # language switcher's); everything else must be the same.
    body = response.get_data().replace(email.encode(), b"EMAIL")
    return response.status_code, re.sub(rb'name="csrf_token" value="[^"]+"', b"TOKEN", body)


def test_unknown_account_and_wrong_password_get_byte_identical_answers(client, make_user):
    user = make_user(Role.FACILITATOR)
    wrong = attempt(client, user.email)
    unknown = attempt(client, "nobody.here@example.org")
    assert wrong == unknown
    assert wrong[0] == 200
    assert b"Enter a correct email address and password" in wrong[1]


def test_a_disabled_account_gets_the_same_answer_too(client, make_user):
    user = make_user(Role.FACILITATOR, is_active=False)
    assert attempt(client, user.email, PASSWORD) == attempt(client, "nobody.here@example.org")


def test_the_per_account_limit_answers_the_same_for_unknown_and_real_accounts(client, make_user):
    user = make_user(Role.FACILITATOR)
    answers = {}
    for email in (user.email, "nobody.here@example.org"):
        statuses = [attempt(client, email)[0] for _ in range(5)]
        assert statuses == [200] * 5
        answers[email] = attempt(client, email)  # the sixth try
    real, unknown = answers.values()
    assert real == unknown
    assert real[0] == 429
    assert b"Too many attempts" in real[1] and b"wait 15 minutes" in real[1]
    # Even the right password waits now.
    assert (
        client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 429
    )


def test_a_right_password_then_a_pending_code_does_not_count_as_a_failure(client, make_user):
    user = make_user(Role.FACILITATOR, two_factor=True)
    for _ in range(7):
        response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302 and response.location == "/sign-in/code"


# One worker's sign-in attempts, run in a process of its own (as gunicorn's workers are).
WORKER = """
import json, sys
from config import TestingConfig
from lms import create_app
from lms.extensions import db, limiter

url, prefix, tries = sys.argv[1], sys.argv[2], int(sys.argv[3])
app = create_app(TestingConfig, REDIS_URL=url, RATELIMIT_STORAGE_URI=url,
                 RATELIMIT_KEY_PREFIX=prefix)
with app.app_context():
    db.create_all()
client = app.test_client()
statuses = [
    client.post("/sign-in", data={"email": "shared@example.org", "password": "wrong one!"})
    .status_code
    for _ in range(tries)
]
print(json.dumps({"storage": type(limiter.storage).__name__, "statuses": statuses}))
"""


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_two_workers_sharing_redis_share_the_sign_in_limit():
    from redis import Redis

    url = os.environ["REDIS_URL"]
    prefix = f"lms-limit-test-{uuid.uuid4().hex}"
    root = Path(__file__).resolve().parents[2]

    def worker(tries: int) -> dict:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", WORKER, url, prefix, str(tries)],
            capture_output=True,
            text=True,
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
            check=True,
            timeout=120,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    try:
        first = worker(3)
        second = worker(3)
    finally:
        redis = Redis.from_url(url)
        keys = list(redis.scan_iter(f"{prefix}*")) + list(redis.scan_iter(f"*{prefix}*"))
        if keys:
            redis.delete(*set(keys))
    assert first["storage"] == second["storage"] == "RedisStorage"
    assert first["statuses"] == [200, 200, 200]
    # The second worker has had 2 tries of its own, but the account's 5 are used up.
    assert second["statuses"] == [200, 200, 429]
