"""Importing GMTS trainees from a CSV file: checking every row, the report, importing all
or nothing, importing the same file twice, the pages, who may use them, and the command."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from lms.accounts.models import Organisation, Region, Role, Sector, User
from lms.applications.models import DeliveryMode
from lms.audit import AuditEvent
from lms.extensions import db as _db
from lms.practice import trainees
from lms.practice.cli import practice
from lms.practice.importing import ImportFileError, decode, parse_trainees
from lms.practice.models import TraineeImport, TraineeProfile
from lms.practice.trainees import Outcome, TraineeImportError

HEADER = "Name,Email,Organisation,Region,GMTS intake,Line manager's email,Mode"
ALEX = "Alex Morgan,alex.morgan@nhs.net,Leeds Trust,London,GMTS 2026,sam.patel@nhs.net,Online"
BEN = "Ben Okafor,ben.okafor@nhs.net,Leeds Trust,North West,GMTS 2026,sam.patel@nhs.net,"
CARYS = "Carys Jones,carys.jones@nhs.net,Cardiff Trust,Wales,GMTS 2025,ann.lee@nhs.net,in person"
IMPORT = "/lead/practice/trainees/import"
TRAINEES = "/lead/practice/trainees"


def csv_file(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def only_reasons(text: str) -> list[str]:
    check = parse_trainees(text)
    assert not check.problems and not check.accepted, check
    [row] = check.rejected
    return list(row.reasons)


# --- Reading and checking the file (no database) -------------------------------------------


def test_a_good_file_is_read_and_tidied():
    check = parse_trainees(
        csv_file(
            "  Alex   Morgan , Alex.Morgan@NHS.net ,Leeds  Trust,london,GMTS 2026,"
            "Sam.Patel@nhs.NET,Online",
            "Ben Okafor,ben@nhs.net,Leeds Trust,NORTH WEST,GMTS 2026,sam.patel@nhs.net,",
            "Carys Jones,carys@nhs.net,Cardiff Trust,wales,GMTS 2025,ann@nhs.net,In person",
            "Dev Shah,dev@nhs.net,Leeds Trust,south_east,GMTS 2025,ann@nhs.net,either",
            "Eve Hart,eve@nhs.net,Leeds Trust,East of England,GMTS 2025,ann@nhs.net,Blended",
        )
    )
    assert check.ok and check.rows == 5
    alex, ben, carys, dev, eve = check.accepted
    assert (alex.row, alex.name, alex.email, alex.organisation) == (
        2,
        "Alex Morgan",
        "alex.morgan@nhs.net",
        "Leeds Trust",
    )
    assert alex.line_manager_email == "sam.patel@nhs.net"
    assert (alex.region, alex.mode) == (Region.LONDON, DeliveryMode.ONLINE)
    assert (ben.region, ben.mode) == (Region.NORTH_WEST, None)
    assert (carys.region, carys.mode) == (Region.WALES, DeliveryMode.IN_PERSON)
    assert (dev.region, dev.mode) == (Region.SOUTH_EAST, None)
    assert (eve.region, eve.mode) == (Region.EAST_OF_ENGLAND, DeliveryMode.BLENDED)


VALID = {
    "name": "Alex Morgan",
    "email": "alex@nhs.net",
    "organisation": "Leeds Trust",
    "region": "London",
    "gmts_intake": "GMTS 2026",
    "line_manager_email": "sam@nhs.net",
    "mode": "",
}
KEYS = list(VALID)


def row_with(**changes: str) -> str:
    values = {**VALID, **changes}
    return ",".join(values[key] for key in KEYS)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"name": ""}, "Enter the trainee's name"),
        ({"name": "A" * 201}, "The name must be 200 characters or fewer"),
        ({"email": ""}, "Enter the trainee's email address"),
        ({"email": "alex.nhs.net"}, "Enter the trainee's email address in the correct format"),
        ({"email": "alex@nhs"}, "Enter the trainee's email address in the correct format"),
        ({"organisation": " "}, "Enter the trainee's organisation"),
        ({"organisation": "O" * 201}, "The organisation must be 200 characters or fewer"),
        ({"region": ""}, "Enter the trainee's region"),
        ({"region": "Mars"}, "'Mars' is not a region. Use one of: East of England, London"),
        ({"gmts_intake": ""}, "Enter the trainee's GMTS intake"),
        ({"gmts_intake": "G" * 61}, "The GMTS intake must be 60 characters or fewer"),
        ({"line_manager_email": ""}, "Enter the line manager's email address"),
        ({"line_manager_email": "sam@"}, "Enter the line manager's email address in the correct"),
        ({"line_manager_email": "ALEX@nhs.net"}, "The line manager's email address is the trainee"),
        ({"mode": "sometimes"}, "'sometimes' is not a way of meeting"),
    ],
)
def test_each_problem_with_a_row_is_explained(changes, reason):
    reasons = only_reasons(csv_file(row_with(**changes), header=",".join(KEYS)))
    assert len(reasons) == 1 and reasons[0].startswith(reason), reasons


def test_every_problem_in_a_row_is_listed_and_what_was_typed_is_kept():
    check = parse_trainees(csv_file(ALEX, ",not-an-email,,Mars,,,weekly"))
    [row] = check.rejected
    assert (row.row, row.email) == (3, "not-an-email")
    assert len(row.reasons) == 7  # all but the email's presence
    assert [r.row for r in check.accepted] == [2]
    assert not check.ok


def test_a_row_with_an_unquoted_comma_is_rejected():
    reasons = only_reasons(
        csv_file("Alex,alex@nhs.net,Leeds, Teaching Trust,London,GMTS 2026,sam@nhs.net,")
    )
    assert "put the value in double quotes" in reasons[0]


def test_a_quoted_comma_is_fine():
    check = parse_trainees(
        csv_file('Alex,alex@nhs.net,"Leeds, Teaching Trust",London,GMTS 2026,sam@nhs.net,')
    )
    assert check.ok and check.accepted[0].organisation == "Leeds, Teaching Trust"


def test_the_same_email_twice_is_rejected_on_the_second_row():
    check = parse_trainees(csv_file(ALEX, BEN, ALEX.replace("alex.morgan@", "ALEX.MORGAN@")))
    assert [r.row for r in check.accepted] == [2, 3]
    [row] = check.rejected
    assert row.row == 4
    assert row.reasons == (
        "This email address is also on row 2. Each trainee must be on one row only.",
    )


@pytest.mark.parametrize(
    "header",
    [
        "name,email,organisation,region,gmts_intake,line_manager_email,mode",
        "NAME,E-mail,Organization,NHS region,GMTS Intake,Line Manager's Email,Delivery mode",
        "Full name,Email address,Organisation,Region,GMTS_intake,Line manager email,Mode",
        "Name,Email,Organisation,Region,GMTS intake,Line manager\u2019s email address,mode",
        " Name , Email , Organisation , Region , gmts intake , line_manager's_email , MODE ",
    ],
)
def test_header_variants_are_understood(header):
    check = parse_trainees(csv_file(ALEX, header=header))
    assert check.ok, check
    assert check.accepted[0].email == "alex.morgan@nhs.net"


def test_columns_can_come_in_any_order_and_mode_can_be_left_out():
    check = parse_trainees(
        "Line manager's email,GMTS intake,Region,Organisation,Email,Name\n"
        "sam@nhs.net,GMTS 2026,London,Leeds Trust,alex@nhs.net,Alex Morgan\n"
    )
    assert check.ok
    row = check.accepted[0]
    assert (row.name, row.line_manager_email, row.mode) == ("Alex Morgan", "sam@nhs.net", None)


def test_missing_columns_are_named():
    check = parse_trainees("Name,Email,Organisation,Region\nAlex,alex@nhs.net,Leeds,London\n")
    assert check.problems == [
        "The first row must name the columns. These columns are missing: GMTS intake and "
        "Line manager's email."
    ]
    assert not check.accepted and not check.rejected


def test_unknown_and_repeated_columns_are_named():
    check = parse_trainees(csv_file(ALEX + ",07700 900000", header=HEADER + ",Phone"))
    assert len(check.problems) == 1
    assert check.problems[0].startswith("The file has columns we do not recognise: Phone.")
    check = parse_trainees(csv_file(ALEX + ",x@nhs.net", header=HEADER + ",E-mail"))
    assert check.problems == [
        "The column 'E-mail' appears more than once. Keep one and remove the other."
    ]


def test_a_file_without_a_header_row_is_refused():
    check = parse_trainees(csv_file(BEN, header=ALEX))
    assert check.problems and "These columns are missing" in check.problems[0]


def test_a_byte_order_mark_and_blank_lines_are_fine_and_rows_keep_spreadsheet_numbers():
    content = ("\ufeff" + HEADER + "\r\n" + ALEX + "\r\n\r\n,,,,,,\r\n" + BEN + "\r\n").encode()
    check = parse_trainees(decode(content))
    assert check.ok
    assert [r.row for r in check.accepted] == [2, 5]


def test_semicolon_separated_files_are_read():
    check = parse_trainees(csv_file(ALEX.replace(",", ";"), header=HEADER.replace(",", ";")))
    assert check.ok and check.accepted[0].region is Region.LONDON


def test_welsh_characters_come_through():
    check = parse_trainees(decode(csv_file(ALEX.replace("Alex Morgan", "Siân Ŵyn")).encode()))
    assert check.accepted[0].name == "Siân Ŵyn"


def test_a_file_that_is_not_utf8_is_refused():
    with pytest.raises(ImportFileError, match="CSV UTF-8"):
        decode(csv_file(ALEX.replace("Alex", "Zoë")).encode("cp1252"))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "The file is empty"),
        ("\r\n\r\n", "The file is empty"),
        (HEADER + "\r\n", "The file has a header row but no trainees"),
        ("a\x00b", "could not be read as a CSV file"),
    ],
)
def test_empty_and_unreadable_files_are_refused(text, problem):
    check = parse_trainees(text)
    assert len(check.problems) == 1 and problem in check.problems[0]


def test_more_than_5000_rows_is_refused(app):
    rows = [row_with(email=f"t{i}@nhs.net") for i in range(5_001)]
    with app.test_request_context():  # the counts are formatted for the reader's language
        check = parse_trainees(csv_file(*rows, header=",".join(KEYS)))
    assert check.problems == [
        "The file has 5,001 trainees. You can import up to 5,000 at a time: split the file "
        "into smaller files."
    ]
    assert parse_trainees(csv_file(*rows[:5_000], header=",".join(KEYS))).ok


# --- Reporting and importing (database) ----------------------------------------------------


@pytest.fixture
def lead(make_user):
    return make_user(Role.LEAD, name="Lee Lead")


def stored(lead, *rows: str) -> TraineeImport:
    return trainees.check_upload("trainees.csv", csv_file(*rows).encode(), by=lead)


def imported(lead, *rows: str) -> TraineeImport:
    return trainees.apply_import(stored(lead, *rows), by=lead)


def user(email: str) -> User | None:
    return _db.session.scalar(_db.select(User).where(User.email == email))


def profile_of(email: str) -> TraineeProfile:
    return _db.session.scalar(
        _db.select(TraineeProfile).join(TraineeProfile.user).where(User.email == email)
    )


def table_counts() -> dict[str, int]:
    return {
        table.name: _db.session.scalar(_db.select(_db.func.count()).select_from(table))
        for table in _db.metadata.sorted_tables
    }


def test_importing_creates_accounts_profiles_and_organisations(db, lead, make_organisation):
    make_organisation("LEEDS TRUST", sector=Sector.ACUTE, region=Region.NORTH_WEST)
    import_ = stored(lead, ALEX, BEN, CARYS)
    found = trainees.report(import_)
    assert found.can_import
    assert [p.outcome for p in found.planned] == [Outcome.NEW_ACCOUNT] * 3
    assert [p.new_organisation for p in found.planned] == [False, False, True]
    assert found.new_organisations == [("Cardiff Trust", Region.WALES)]
    organisations = len(db.session.scalars(db.select(Organisation)).all())

    trainees.apply_import(import_, by=lead)
    assert (import_.created_count, import_.updated_count, import_.unchanged_count) == (3, 0, 0)
    assert import_.imported_at is not None
    alex = user("alex.morgan@nhs.net")
    assert alex.name == "Alex Morgan" and alex.roles == [Role.TRAINEE]
    assert alex.organisation.name == "LEEDS TRUST"  # matched whatever the case
    profile = profile_of("alex.morgan@nhs.net")
    assert (profile.gmts_intake, profile.region, profile.mode) == (
        "GMTS 2026",
        Region.LONDON,
        DeliveryMode.ONLINE,
    )
    assert profile.line_manager_email == "sam.patel@nhs.net"
    assert profile.import_id == import_.id
    cardiff = user("carys.jones@nhs.net").organisation
    assert (cardiff.name, cardiff.sector, cardiff.region) == (
        "Cardiff Trust",
        Sector.OTHER,
        Region.WALES,
    )
    assert len(db.session.scalars(db.select(Organisation)).all()) == organisations + 1
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "practice.trainees_imported")
    )
    assert event.actor_id == lead.id and event.subject_id == import_.id
    assert (event.detail["created"], event.detail["updated"], event.detail["unchanged"]) == (
        3,
        0,
        0,
    )


def test_imported_trainees_cannot_sign_in_until_invited(db, lead, client):
    imported(lead, ALEX)
    for password in ("", "a-long-test-passphrase", user("alex.morgan@nhs.net").password_hash):
        response = client.post(
            "/sign-in", data={"email": "alex.morgan@nhs.net", "password": password}
        )
        assert response.status_code != 302


def test_a_new_organisation_named_on_several_rows_is_created_once(db, lead):
    imported(
        lead,
        ALEX.replace("Leeds Trust", "Bristol Trust"),
        BEN.replace("Leeds Trust", "BRISTOL trust"),
    )
    bristol = db.session.scalars(
        db.select(Organisation).where(db.func.lower(Organisation.name) == "bristol trust")
    ).all()
    assert len(bristol) == 1 and bristol[0].name == "Bristol Trust"
    assert user("ben.okafor@nhs.net").organisation_id == bristol[0].id


def test_importing_the_same_file_twice_changes_nothing(db, lead):
    first = imported(lead, ALEX, BEN, CARYS)
    db.session.flush()
    before = table_counts()
    stamps = {p.id: p.updated_at for p in db.session.scalars(db.select(TraineeProfile))}
    accounts = {
        u.id: (u.name, u.organisation_id, u.password_hash)
        for u in db.session.scalars(db.select(User))
    }

    again = stored(lead, ALEX, BEN, CARYS)
    found = trainees.report(again)
    assert [p.outcome for p in found.planned] == [Outcome.UNCHANGED] * 3
    assert not found.new_organisations and found.can_import
    trainees.apply_import(again, by=lead)
    db.session.flush()
    db.session.expire_all()

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    after = table_counts()
    # The second upload is itself recorded (the file, and the audit of checking and
    # importing it); nothing else gains or loses a row.
    assert after.pop("practice_trainee_import") == before.pop("practice_trainee_import") + 1
    assert after.pop("audit_event") == before.pop("audit_event") + 2
    assert after == before
    assert {p.id: p.updated_at for p in db.session.scalars(db.select(TraineeProfile))} == stamps
    assert {
        u.id: (u.name, u.organisation_id, u.password_hash)
        for u in db.session.scalars(db.select(User))
    } == accounts
    assert {p.import_id for p in db.session.scalars(db.select(TraineeProfile))} == {first.id}


def test_an_equivalent_file_also_changes_nothing(db, lead):
    imported(lead, ALEX, BEN)
    shuffled = "\n".join(
        [
            "email,LINE MANAGER EMAIL,name,organisation,region,gmts intake,mode",
            "BEN.OKAFOR@nhs.net,sam.patel@nhs.net,Ben  Okafor,leeds trust,north_west,"
            "GMTS 2026,either",
            "alex.morgan@nhs.net,Sam.Patel@nhs.net,Alex Morgan,Leeds Trust,LONDON,GMTS 2026,online",
        ]
    )
    again = trainees.check_upload("again.csv", shuffled.encode(), by=lead)
    assert [p.outcome for p in trainees.report(again).planned] == [Outcome.UNCHANGED] * 2


def test_a_changed_row_updates_only_that_trainee(db, lead):
    imported(lead, ALEX, BEN)
    db.session.flush()
    ben_stamp = profile_of("ben.okafor@nhs.net").updated_at
    changed = ALEX.replace("GMTS 2026", "GMTS 2027").replace("sam.patel@", "jo.green@")
    changed = changed.replace("Alex Morgan", "Alexandra Morgan")
    again = stored(lead, changed, BEN)
    found = trainees.report(again)
    alex_plan, ben_plan = found.planned
    assert alex_plan.outcome is Outcome.UPDATE
    assert alex_plan.description.startswith("Change their name, GMTS intake")
    assert alex_plan.description.endswith("line manager's email")
    assert ben_plan.outcome is Outcome.UNCHANGED
    trainees.apply_import(again, by=lead)
    db.session.flush()
    db.session.expire_all()
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 1)
    profile = profile_of("alex.morgan@nhs.net")
    assert (profile.gmts_intake, profile.line_manager_email) == ("GMTS 2027", "jo.green@nhs.net")
    assert profile.user.name == "Alexandra Morgan"
    assert profile.import_id == again.id
    assert profile_of("ben.okafor@nhs.net").updated_at == ben_stamp


def test_an_existing_account_gains_the_trainee_role(db, lead, make_user):
    facilitator = make_user(Role.FACILITATOR, email="alex.morgan@nhs.net", name="Alex Morgan")
    password_hash = facilitator.password_hash
    import_ = stored(lead, ALEX)
    [planned] = trainees.report(import_).planned
    assert planned.outcome is Outcome.ADD_ROLE
    # Their organisation is new to them; their GMTS details are new, not changes.
    assert planned.description == (
        "Add the trainee role to their existing account, and change their organisation"
    )
    trainees.apply_import(import_, by=lead)
    assert facilitator.roles == [Role.FACILITATOR, Role.TRAINEE]
    assert facilitator.password_hash == password_hash
    assert (import_.created_count, import_.updated_count) == (1, 0)
    assert profile_of("alex.morgan@nhs.net").gmts_intake == "GMTS 2026"
    assert db.session.scalar(
        db.select(AuditEvent).where(
            AuditEvent.action == "role.granted", AuditEvent.subject_id == facilitator.id
        )
    )
    again = stored(lead, ALEX)
    assert trainees.report(again).planned[0].outcome is Outcome.UNCHANGED


def test_a_switched_off_account_is_rejected(db, lead, make_user):
    make_user(email="ben.okafor@nhs.net", is_active=False)
    found = trainees.report(stored(lead, ALEX, BEN))
    [row] = found.rejected
    assert row.row == 3 and "switched off" in row.reasons[0]
    assert not found.can_import
    with pytest.raises(TraineeImportError):
        trainees.apply_import(found.import_, by=lead)


def test_one_bad_row_means_nothing_is_imported(db, lead):
    import_ = stored(lead, ALEX, BEN.replace("North West", "Narnia"), CARYS)
    before = table_counts()
    with pytest.raises(
        TraineeImportError, match="1 row has a problem, so nothing has been imported"
    ):
        trainees.apply_import(import_, by=lead)
    assert table_counts() == before
    assert import_.imported_at is None and user("alex.morgan@nhs.net") is None


def test_a_file_is_imported_only_once(db, lead):
    import_ = imported(lead, ALEX)
    with pytest.raises(TraineeImportError, match="already been imported"):
        trainees.apply_import(import_, by=lead)


def test_a_file_with_problems_is_not_stored(db, lead):
    with pytest.raises(TraineeImportError) as refused:
        trainees.check_upload("x.csv", b"Name,Email\nAlex,alex@nhs.net\n", by=lead)
    assert "These columns are missing" in refused.value.message
    with pytest.raises(TraineeImportError, match="CSV UTF-8"):
        trainees.check_upload(
            "x.csv", csv_file(ALEX.replace("Alex", "Zoë")).encode("cp1252"), by=lead
        )
    assert not db.session.scalars(db.select(TraineeImport)).all()


# --- Pages ---------------------------------------------------------------------------------


@pytest.fixture
def login(client, login):
    """Sign in, first signing out whoever was signed in (so one test can switch people)."""

    def switch(person):
        client._cookies.clear()
        return login(person)

    return switch


def upload(client, content: bytes | str, filename: str = "trainees.csv"):
    data = content.encode() if isinstance(content, str) else content
    # Encoded here in memory: the test client would spool a large body to a temporary
    # file it never closes.
    stream, length, boundary = stream_encode_multipart(
        {"file": FileStorage(io.BytesIO(data), filename)}, use_tempfile=False
    )
    return client.post(
        IMPORT,
        input_stream=stream,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.fixture
def pending(db, lead) -> TraineeImport:
    return stored(lead, ALEX)


def urls(import_id: int) -> dict[str, tuple[str, str]]:
    return {
        "upload_page": ("GET", IMPORT),
        "upload": ("POST", IMPORT),
        "template": ("GET", IMPORT + "/template.csv"),
        "report": ("GET", f"/lead/practice/trainees/imports/{import_id}"),
        "confirm": ("POST", f"/lead/practice/trainees/imports/{import_id}/confirm"),
        "list": ("GET", TRAINEES),
    }


OTHER_ROLES = [
    Role.APPLICANT,
    Role.FACILITATOR,
    Role.TRAINEE,
    Role.SUPERVISOR,
    Role.REVIEWER,
    Role.ADMIN,
]


@pytest.mark.parametrize("role", OTHER_ROLES, ids=lambda r: r.value)
def test_only_leads_may_use_the_pages(pending, make_user, login, role):
    client = login(make_user(role))
    for method, url in urls(pending.id).values():
        response = client.get(url) if method == "GET" else client.post(url, data={})
        assert response.status_code == 403, (role, url)
    assert pending.imported_at is None


def test_anonymous_people_are_sent_to_sign_in(pending, client):
    for method, url in urls(pending.id).values():
        response = client.get(url) if method == "GET" else client.post(url)
        assert response.status_code == 302 and "/sign-in" in response.location, url


def test_leads_may_use_the_pages(pending, lead, login):
    client = login(lead)
    for name in ("upload_page", "template", "report", "list"):
        assert client.get(urls(pending.id)[name][1]).status_code == 200, name
    assert client.get("/lead/practice/trainees/imports/999999").status_code == 404


def test_the_upload_page_explains_the_columns(lead, login):
    page = login(lead).get(IMPORT).get_data(as_text=True)
    assert "Import GMTS trainees from a CSV file" in page
    for text in (
        "Line manager",
        "GMTS intake",
        "North East and Yorkshire",
        "alex.morgan@nhs.net",
    ):
        assert text in page, text
    assert 'href="/lead/practice/trainees/import/template.csv"' in page
    assert 'enctype="multipart/form-data"' in page and "nhsuk-file-upload" in page
    assert "style=" not in page


def test_the_template_downloads_and_imports_cleanly(lead, login):
    response = login(lead).get(IMPORT + "/template.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith("\ufeff".encode())
    check = parse_trainees(decode(response.data))
    assert check.ok and len(check.accepted) == 1
    assert check.accepted[0].region is Region.NORTH_EAST_YORKSHIRE


def test_the_whole_journey_in_the_browser(db, lead, login):
    client = login(lead)
    response = upload(client, csv_file(ALEX, CARYS))
    assert response.status_code == 302
    report_url = response.location
    page = client.get(report_url).get_data(as_text=True)
    assert "Check the trainees before you import them" in page
    assert "Alex Morgan" in page and "Cardiff Trust" in page and "Create a new account" in page
    assert "Import 2 trainees" in page

    import_ = db.session.scalar(db.select(TraineeImport))
    response = client.post(f"/lead/practice/trainees/imports/{import_.id}/confirm")
    assert response.status_code == 302 and response.location.endswith(TRAINEES)
    page = client.get(TRAINEES).get_data(as_text=True)
    assert "2 trainees imported: 2 new, 0 updated and 0 unchanged." in page
    assert "carys.jones@nhs.net" in page and "ann.lee@nhs.net" in page and "Wales" in page

    page = client.get(report_url).get_data(as_text=True)
    assert "Import results" in page and "Import 2 trainees" not in page


def test_rejected_rows_are_shown_first_and_nothing_can_be_imported(db, lead, login):
    client = login(lead)
    response = upload(client, csv_file(ALEX, BEN.replace("ben.okafor@nhs.net", "ben@"), CARYS))
    page = client.get(response.location).get_data(as_text=True)
    assert "1 row has a problem" in page and "nhsuk-error-summary" in page
    assert "Nothing will be imported" in page
    assert page.index("Rows with problems") < page.index("Rows without problems")
    assert "ben@" in page and "in the correct format" in page
    assert "Import 2 trainees" not in page and "Upload the corrected file" in page

    import_ = db.session.scalar(db.select(TraineeImport))
    response = client.post(f"/lead/practice/trainees/imports/{import_.id}/confirm")
    assert response.status_code == 400
    assert "nothing has been imported" in response.get_data(as_text=True)
    assert user("alex.morgan@nhs.net") is None
    assert db.session.get(TraineeImport, import_.id).imported_at is None


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (None, None, "Select a CSV file of trainees"),
        (csv_file(ALEX), "trainees.xlsx", "The selected file must be a CSV file"),
        (b"x" * (2 * 1024 * 1024 + 1), "big.csv", "The selected file must be smaller than 2MB"),
        (csv_file(ALEX.replace("Alex", "Zoë")).encode("cp1252"), "t.csv", "CSV UTF-8"),
        ("Name,Email\nAlex,alex@nhs.net\n", "t.csv", "These columns are missing: Organisation"),
        (b"", "empty.csv", "The file is empty"),
    ],
)
def test_a_file_that_cannot_be_checked_is_explained(db, lead, login, content, filename, message):
    client = login(lead)
    if content is None:
        response = client.post(IMPORT, data={})
    else:
        response = upload(client, content, filename)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and 'href="#file"' in page
    assert message in page
    assert not db.session.scalars(db.select(TraineeImport)).all()


def test_forms_need_a_csrf_token(app, db, lead, login, pending):
    client = login(lead)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert (
            client.post(f"/lead/practice/trainees/imports/{pending.id}/confirm").status_code == 400
        )
        assert upload(client, csv_file(BEN)).status_code == 400
        page = client.get(f"/lead/practice/trainees/imports/{pending.id}").get_data(as_text=True)
        assert 'name="csrf_token"' in page
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.get(TraineeImport, pending.id).imported_at is None
    assert len(db.session.scalars(db.select(TraineeImport)).all()) == 1


def test_the_list_filters_by_intake_and_searches(db, lead, login):
    imported(lead, ALEX, BEN, CARYS)
    client = login(lead)
    page = client.get(TRAINEES + "?intake=GMTS+2025").get_data(as_text=True)
    assert "1 trainee found" in page and "Carys Jones" in page and "Alex Morgan" not in page
    assert '<option value="GMTS 2025" selected>' in page
    page = client.get(TRAINEES + "?q=OKAFOR").get_data(as_text=True)
    assert "Ben Okafor" in page and "Alex Morgan" not in page
    page = client.get(TRAINEES + "?q=alex.morgan%40").get_data(as_text=True)
    assert "1 trainee found" in page
    page = client.get(TRAINEES + "?intake=No+such+intake").get_data(as_text=True)
    assert "3 trainees found" in page
    assert "Import trainees from a CSV file" in page


def test_the_list_shows_each_trainees_set_in_constant_queries(
    db, lead, login, make_set, count_queries
):
    client = login(lead)

    def measure() -> int:
        with count_queries() as counted:
            page = client.get(TRAINEES).get_data(as_text=True)
        assert "Set " in page
        return counted.count

    make_set(trainees=2, sessions=1)
    few = measure()
    for _ in range(4):
        make_set(trainees=6, sessions=1)
    many = measure()
    assert many == few


def test_the_list_is_paginated(db, lead, login):
    rows = [
        f"Trainee {n:03d},t{n}@nhs.net,Leeds Trust,London,GMTS 2026,m@nhs.net," for n in range(55)
    ]
    imported(lead, *rows)
    client = login(lead)
    page = client.get(TRAINEES).get_data(as_text=True)
    assert "55 trainees found" in page and "Trainee 049" in page and "Trainee 050" not in page
    assert "Page 2 of 2" in page
    page = client.get(TRAINEES + "?page=2").get_data(as_text=True)
    assert "Trainee 050" in page and "Trainee 049" not in page


# --- The command line ----------------------------------------------------------------------


def test_the_command_prints_a_dry_run_and_imports_nothing(app, db, lead, tmp_path):
    path = tmp_path / "trainees.csv"
    path.write_text(csv_file(ALEX, BEN), encoding="utf-8-sig")
    result = app.test_cli_runner().invoke(practice, ["import-trainees", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "alex.morgan@nhs.net" in result.output and "Create a new account" in result.output
    assert "Dry run: nothing was imported." in result.output
    assert user("alex.morgan@nhs.net") is None


def test_the_command_imports_as_the_first_lead(app, db, lead, tmp_path):
    path = tmp_path / "trainees.csv"
    path.write_text(csv_file(ALEX, BEN))
    runner = app.test_cli_runner()
    result = runner.invoke(practice, ["import-trainees", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported: 2 new, 0 updated, 0 unchanged." in result.output
    assert user("ben.okafor@nhs.net").roles == [Role.TRAINEE]
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "practice.trainees_imported")
    )
    assert event.actor_id == lead.id
    again = runner.invoke(practice, ["import-trainees", str(path)])
    assert "Imported: 0 new, 0 updated, 2 unchanged." in again.output


def test_the_command_refuses_a_file_with_rejected_rows(app, db, lead, tmp_path):
    path = tmp_path / "trainees.csv"
    path.write_text(csv_file(ALEX, BEN.replace("North West", "Narnia")))
    result = app.test_cli_runner().invoke(practice, ["import-trainees", str(path)])
    assert result.exit_code == 1
    assert "Row 3" in result.output and "'Narnia' is not a region" in result.output
    assert "Nothing was imported" in result.output
    assert user("alex.morgan@nhs.net") is None
    assert not db.session.scalars(db.select(TraineeImport)).all()


def test_the_command_explains_a_file_it_cannot_read(app, db, tmp_path):
    path = tmp_path / "trainees.csv"
    path.write_text("Name,Email\nAlex,alex@nhs.net\n")
    result = app.test_cli_runner().invoke(practice, ["import-trainees", str(path)])
    assert result.exit_code == 1 and "These columns are missing" in result.output
