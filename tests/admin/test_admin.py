from lms.accounts.models import Organisation, Role, Sector
from lms.audit import AuditEvent


def test_find_people_by_name_email_and_role(login_as, make_user):
    client = login_as(Role.ADMIN)
    make_user(Role.SUPERVISOR, name="Siân Evans", email="sian@example.org")
    make_user(Role.APPLICANT, name="Dewi Owen", email="dewi@example.org")
    page = client.get("/admin/people?q=sian").get_data(as_text=True)
    assert "Siân Evans" in page and "Dewi Owen" not in page
    page = client.get("/admin/people?q=DEWI@").get_data(as_text=True)
    assert "Dewi Owen" in page
    page = client.get("/admin/people?role=supervisor").get_data(as_text=True)
    assert "Siân Evans" in page and "Dewi Owen" not in page


def test_people_list_does_not_query_per_row(login_as, make_user, make_organisation, count_queries):
    client = login_as(Role.ADMIN)
    make_user(Role.FACILITATOR, organisation_id=make_organisation().id)
    client.get("/admin/people")
    with count_queries() as few:
        client.get("/admin/people")
    for _ in range(15):
        make_user(Role.FACILITATOR, Role.SUPERVISOR, organisation_id=make_organisation().id)
    with count_queries() as many:
        page = client.get("/admin/people")
    assert page.status_code == 200
    assert many.count == few.count, many.statements


def test_grant_and_revoke_a_role_is_audited(login_as, make_user, db):
    client = login_as(Role.ADMIN)
    person = make_user(Role.APPLICANT)
    response = client.post(f"/admin/people/{person.id}/roles", data={"grant-role": "reviewer"})
    assert response.status_code == 302
    assert person.has_role(Role.REVIEWER)
    granted = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "role.granted"))
    assert granted.actor_id == client.user.id and granted.subject_id == person.id
    assert granted.detail == {"role": "reviewer"}

    client.post(f"/admin/people/{person.id}/roles/revoke", data={"role": "reviewer"})
    assert not person.has_role(Role.REVIEWER)
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "role.revoked"))


def test_granting_an_unknown_role_is_refused(login_as, make_user):
    client = login_as(Role.ADMIN)
    person = make_user(Role.APPLICANT)
    response = client.post(f"/admin/people/{person.id}/roles", data={"grant-role": "emperor"})
    assert response.status_code == 400
    assert person.roles == [Role.APPLICANT]


def test_an_admin_cannot_remove_their_own_admin_role_or_disable_themselves(login_as):
    client = login_as(Role.ADMIN)
    me = client.user
    response = client.post(
        f"/admin/people/{me.id}/roles/revoke", data={"role": "admin"}, follow_redirects=True
    )
    assert "cannot remove your own administrator role" in response.get_data(as_text=True)
    assert me.has_role(Role.ADMIN)
    client.post(f"/admin/people/{me.id}/active")
    assert me.is_active


def test_disabling_an_account_stops_sign_in(login_as, make_user, app):
    client = login_as(Role.ADMIN)
    person = make_user(Role.FACILITATOR)
    client.post(f"/admin/people/{person.id}/active")
    assert not person.is_active
    other = app.test_client()
    from tests.conftest import PASSWORD

    assert (
        other.post("/sign-in", data={"email": person.email, "password": PASSWORD}).status_code
        == 200
    )


def test_set_a_persons_organisation(login_as, make_user, make_organisation):
    client = login_as(Role.ADMIN)
    person = make_user()
    org = make_organisation()
    client.post(f"/admin/people/{person.id}/organisation", data={"org-organisation_id": org.id})
    assert person.organisation_id == org.id
    assert org.name in client.get(f"/admin/people/{person.id}").get_data(as_text=True)


def test_create_and_edit_an_organisation(login_as, db):
    client = login_as(Role.ADMIN)
    response = client.post(
        "/admin/organisations/new",
        data={
            "name": "  Betsi Cadwaladr   University Health Board ",
            "sector": "acute",
            "region": "wales",
            "ods_code": "7a1",
        },
    )
    assert response.status_code == 302
    org = db.session.scalar(db.select(Organisation))
    assert org.name == "Betsi Cadwaladr University Health Board" and org.ods_code == "7A1"
    client.post(
        f"/admin/organisations/{org.id}/edit",
        data={"name": org.name, "sector": "mental_health", "region": "wales", "ods_code": ""},
    )
    assert org.sector is Sector.MENTAL_HEALTH and org.ods_code is None
    assert "Betsi Cadwaladr" in client.get("/admin/organisations").get_data(as_text=True)


def test_organisation_form_rejects_bad_input_and_keeps_it(login_as, make_organisation):
    client = login_as(Role.ADMIN)
    make_organisation(name="Existing Trust", ods_code="RX1")
    response = client.post(
        "/admin/organisations/new",
        data={"name": "existing trust", "sector": "acute", "region": "london", "ods_code": "RX1"},
    )
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "already exists" in page
    response = client.post(
        "/admin/organisations/new",
        data={"name": "New Trust", "sector": "", "region": "mars", "ods_code": "R-X"},
    )
    page = response.get_data(as_text=True)
    assert "Select a sector" in page
    assert "only letters and numbers" in page
    assert 'value="New Trust"' in page


def test_audit_log_filters(login_as, make_user, db):
    client = login_as(Role.ADMIN)
    person = make_user(Role.APPLICANT, email="filtered@example.org")
    client.post(f"/admin/people/{person.id}/roles", data={"grant-role": "lead"})
    page = client.get("/admin/audit?person=filtered@example.org&action=role.").get_data(
        as_text=True
    )
    assert "<code>role.granted</code>" in page and "<code>account.signed_in</code>" not in page
    page = client.get("/admin/audit?date_from=2000-01-01&date_to=2000-01-02").get_data(as_text=True)
    assert "<code>role.granted</code>" not in page
    page = client.get("/admin/audit?date_from=yesterday").get_data(as_text=True)
    assert "Enter a real date" in page
    page = client.get("/admin/audit?date_from=2026-02-01&date_to=2026-01-01").get_data(as_text=True)
    assert "on or after the start date" in page


def test_outbox_shows_emails(login_as, client, make_user, outbox):
    person = make_user()
    client.post("/reset-password", data={"email": person.email})
    outbox()
    client.post("/sign-out")
    admin = login_as(Role.ADMIN)
    page = admin.get("/admin/outbox").get_data(as_text=True)
    assert "Reset your password" in page and person.email in page
    message = outbox()[0]
    assert "/reset-password/" in admin.get(f"/admin/outbox/{message.id}").get_data(as_text=True)


def test_a_person_given_a_role_is_told_in_their_language(login_as, make_user, db):
    from lms.notifications.models import Notification

    client = login_as(Role.ADMIN)
    person = make_user(Role.APPLICANT, language="cy")
    client.post(f"/admin/people/{person.id}/roles", data={"grant-role": "facilitator"})
    note = db.session.scalar(db.select(Notification).where(Notification.user_id == person.id))
    assert note is not None and note.link == "/"
    assert "You now have" not in note.message  # written in Welsh, the person's language


def test_audit_log_and_outbox_do_not_query_per_row(login_as, make_user, count_queries):
    from lms.notifications.services import send_email

    client = login_as(Role.ADMIN)
    client.get("/admin/audit")
    with count_queries() as few_audit:
        client.get("/admin/audit")
    with count_queries() as few_mail:
        client.get("/admin/outbox")
    for n in range(12):
        make_user(Role.APPLICANT)  # each writes an audit entry with its own actor
        send_email(f"someone{n}@example.org", "Subject", "Body")
    with count_queries() as many_audit:
        assert client.get("/admin/audit").status_code == 200
    with count_queries() as many_mail:
        assert client.get("/admin/outbox").status_code == 200
    assert many_audit.count == few_audit.count, many_audit.statements
    assert many_mail.count == few_mail.count, many_mail.statements
