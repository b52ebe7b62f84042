"""Downloading your own data: every table that refers to a person is covered, found from the
model metadata; secrets and other people's confidential text never appear."""

from __future__ import annotations

import json
from datetime import date

import pytest

from lms.accounts.models import Role
from lms.audit import AuditEvent
from lms.extensions import db as _db
from lms.practice.models import Action, FollowThrough, Presentation
from lms.privacy import export

# Tables that refer to a person but are deliberately left out of the export. None so far:
# add one only with a comment saying why that person may not have it.
NOT_EXPORTED: set[str] = set()


def person_tables_in_metadata() -> set[str]:
    """Worked out here, apart from the exporter: tables with a foreign key to a person."""
    found = {"user_account"}
    for table in _db.metadata.tables.values():
        if any(fk.target_fullname == "user_account.id" for fk in table.foreign_keys):
            found.add(table.name)
    return found


def test_every_table_that_refers_to_a_person_is_exported(db, make_user):
    tables = person_tables_in_metadata()
    # A new table with a person column fails here until RULES says how to export it.
    assert set(export.RULES) == tables - NOT_EXPORTED
    data = export.build_export(make_user(Role.APPLICANT))
    assert tables - NOT_EXPORTED <= set(data["tables"])
    assert set(data["tables"]) == set(export.exported_tables())


def test_every_rule_names_real_columns_and_every_secret_column_is_dropped(db):
    tables = _db.metadata.tables
    for name, rule in export.RULES.items():
        columns = set(tables[name].c.keys())
        assert set(rule.mine) | set(rule.withheld) <= columns, name
        person = {c.name for c in export.person_columns(tables[name])}
        assert set(rule.mine) <= person, name
    for name, indirect in export.INDIRECT.items():
        assert set(indirect.withheld) <= set(tables[name].c.keys()), name
    for table, column in export.SECRET_COLUMNS:
        assert column in tables[table].c, (table, column)
    for table in tables.values():
        for column in table.columns:
            if column.name.endswith("_hash") or column.name == "secret":
                assert export.is_secret(table.name, column.name)


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


def _texts(db, *columns) -> list[str]:
    found = []
    for column in columns:
        found += [t for t in db.session.scalars(db.select(column)) if t]
    return found


def test_a_facilitator_gets_their_own_records_and_no_trainee_s_confidential_text(db, demo):
    fatima = demo("facilitator@example.org")
    data = export.build_export(fatima)
    tables = data["tables"]
    assert data["person"]["email"] == "facilitator@example.org"
    assert data["person"]["roles"] == ["facilitator"]
    [account] = tables["user_account"]
    assert account["id"] == fatima.id and "password_hash" not in account
    assert tables["application"] and tables["application"][0]["applicant_id"] == fatima.id
    assert tables["practice_session_log"] and all(
        row["author_id"] == fatima.id for row in tables["practice_session_log"]
    )
    assert tables["supervision_case"][0]["what_happened"]
    assert tables["reflection"] and tables["evidence_upload"]
    assert tables["buddy_check_in"] and tables["observation"]
    # She recorded the trainees' follow-through, but their learning notes are theirs.
    assert tables["practice_follow_through"]
    assert all("learning_note" not in row for row in tables["practice_follow_through"])
    assert tables["practice_presentation"] == [] and tables["practice_action"] == []
    text = _dump(data)
    assert "$argon2" not in text
    secrets = _texts(db, Presentation.challenge, Action.text, Action.supports, Action.risks)
    secrets += _texts(db, FollowThrough.learning_note)
    assert secrets
    assert not [s for s in secrets if s in text]


def test_a_trainee_gets_their_own_challenge_and_actions_but_nobody_else_s(db, demo):
    tom = demo("trainee@example.org")
    data = export.build_export(tom)
    tables = data["tables"]
    [presentation] = tables["practice_presentation"]
    assert presentation["presenter_id"] == tom.id and presentation["challenge"]
    assert presentation["theme"] == "across_teams"  # enums as their values
    assert {a["owner_id"] for a in tables["practice_action"]} == {tom.id}
    assert tables["practice_attendance"] and tables["practice_feedback_receipt"]
    text = _dump(data)
    others = db.select(Presentation.challenge).where(Presentation.presenter_id != tom.id)
    other_actions = db.select(Action.text).where(Action.owner_id != tom.id)
    for challenge in [*db.session.scalars(others), *db.session.scalars(other_actions)]:
        assert not challenge or challenge not in text
    assert "$argon2" not in text


def test_secrets_and_reset_links_never_leave(db, make_user, app):
    from lms.accounts import services

    person = make_user(Role.APPLICANT, email="ffion@example.org")
    token = services.request_password_reset("ffion@example.org")
    data = export.build_export(person)
    [reset] = data["tables"]["password_reset_token"]
    assert "token_hash" not in reset and reset["expires_at"]
    [email] = data["tables"]["email_message"]
    assert token not in email["body"] and export.REMOVED in email["body"]
    assert token not in _dump(data)
    assert all("_hash" not in key for rows in data["tables"].values() for r in rows for key in r)


def _download(client):
    return client.post("/account/data/download")


def test_anonymous_people_are_asked_to_sign_in(client):
    assert client.get("/account/data").status_code == 302
    response = _download(client)
    assert response.status_code == 302 and "/sign-in" in response.location


@pytest.mark.parametrize("role", list(Role))
def test_anyone_signed_in_downloads_only_their_own_data(login_as, make_user, db, role):
    make_user(Role.APPLICANT, email="someone.else@example.org")
    client = login_as(role)
    page = client.get("/account/data")
    assert page.status_code == 200
    assert "Download your data" in page.get_data(as_text=True)
    response = _download(client)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="my-data-{_today().isoformat()}.json"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["person"]["id"] == client.user.id
    assert [row["id"] for row in data["tables"]["user_account"]] == [client.user.id]
    assert "someone.else@example.org" not in response.get_data(as_text=True)
    entry = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "privacy.exported"))
    assert entry.actor_id == client.user.id and entry.subject_id == client.user.id


def _today() -> date:
    from lms.applications.services import today

    return today()


def test_the_download_takes_no_person_id_and_needs_csrf(app, login_as):
    rules = {r.endpoint: r for r in app.url_map.iter_rules()}
    assert rules["privacy.download_data"].arguments == set()
    assert rules["privacy.download_data"].methods >= {"POST"}
    assert "GET" not in rules["privacy.download_data"].methods
    client = login_as(Role.FACILITATOR)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert _download(client).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_account_page_links_to_the_download(login_as):
    client = login_as(Role.APPLICANT)
    page = client.get("/account").get_data(as_text=True)
    assert "Download all your data (JSON)" in page and 'href="/account/data"' in page
