from datetime import date, timedelta

import pytest

from lms.accounts.models import Role
from lms.applications import services
from lms.applications.models import Intake, IntakeStatus
from lms.audit import AuditEvent


def _form(**overrides) -> dict:
    data = {
        "name": "2027 spring",
        "opens_on[day]": "1",
        "opens_on[month]": "2",
        "opens_on[year]": "2027",
        "closes_on[day]": "28",
        "closes_on[month]": "2",
        "closes_on[year]": "2027",
        "programme_starts_on[day]": "12",
        "programme_starts_on[month]": "4",
        "programme_starts_on[year]": "2027",
        "capacity": "48",
        "delivery_modes": ["online", "blended"],
        "regions": ["wales", "london"],
    }
    data.update(overrides)
    return data


def test_a_lead_creates_and_edits_an_intake(login_as, db):
    client = login_as(Role.LEAD)
    response = client.post("/lead/intakes/new", data=_form())
    assert response.status_code == 302
    intake = db.session.scalar(db.select(Intake))
    assert intake.name == "2027 spring"
    assert (intake.opens_on, intake.closes_on) == (date(2027, 2, 1), date(2027, 2, 28))
    assert intake.programme_starts_on == date(2027, 4, 12) and intake.capacity == 48
    assert intake.delivery_modes == ["online", "blended"]
    assert intake.regions == ["london", "wales"]  # stored in the programme's own order
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "intake.created"))

    page = client.get(f"/lead/intakes/{intake.id}/edit").get_data(as_text=True)
    assert 'name="opens_on[day]"' in page and 'value="2027"' in page
    client.post(f"/lead/intakes/{intake.id}/edit", data=_form(capacity="50"))
    assert intake.capacity == 50
    assert "2027 spring" in client.get("/lead/intakes").get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter a name for the intake"),
        ({"opens_on[day]": "31", "opens_on[month]": "2"}, "Enter a real date"),
        (
            {"closes_on[day]": "", "closes_on[month]": "", "closes_on[year]": ""},
            "Enter the date applications close",
        ),
        ({"closes_on[month]": "1"}, "on or after the opening date"),
        (
            {"programme_starts_on[month]": "2", "programme_starts_on[day]": "10"},
            "must start after applications close",
        ),
        ({"capacity": "0"}, "between 1 and 1,000"),
        ({"capacity": "forty"}, "Enter the number of places as a number, for example 40"),
        ({"delivery_modes": []}, "Select at least one delivery mode"),
        ({"regions": ["atlantis"]}, "not a valid choice"),
    ],
)
def test_bad_intakes_are_refused_and_nothing_typed_is_lost(login_as, db, overrides, message):
    client = login_as(Role.LEAD)
    response = client.post("/lead/intakes/new", data=_form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert db.session.scalar(db.select(Intake)) is None
    kept = 'value="2027 spring"' if "name" not in overrides else 'value="48"'
    assert kept in page  # what was typed is shown again
    if "opens_on[day]" in overrides:
        assert 'value="31"' in page


def test_intake_names_are_unique(login_as, db):
    client = login_as(Role.LEAD)
    client.post("/lead/intakes/new", data=_form())
    response = client.post("/lead/intakes/new", data=_form(name="2027  SPRING"))
    assert "already exists" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.LEAD])
def test_only_leads_manage_intakes(login_as, role):
    client = login_as(role)
    assert client.get("/lead/intakes").status_code == 403
    assert client.post("/lead/intakes/new", data=_form()).status_code == 403


def test_status_follows_the_window():
    intake = Intake(opens_on=date(2027, 2, 1), closes_on=date(2027, 2, 28))
    assert intake.status(date(2027, 1, 31)) is IntakeStatus.UPCOMING
    assert intake.status(date(2027, 2, 1)) is IntakeStatus.OPEN
    assert intake.status(date(2027, 2, 28)) is IntakeStatus.OPEN
    assert intake.status(date(2027, 3, 1)) is IntakeStatus.CLOSED


def test_public_page_lists_open_and_upcoming_intakes_only(client, db):
    today = services.today()
    for name, opens, closes in [
        ("Open now", today - timedelta(days=3), today + timedelta(days=3)),
        ("Opening later", today + timedelta(days=30), today + timedelta(days=60)),
        ("Long gone", today - timedelta(days=90), today - timedelta(days=60)),
    ]:
        db.session.add(
            Intake(
                name=name,
                opens_on=opens,
                closes_on=closes,
                programme_starts_on=closes + timedelta(days=30),
                capacity=10,
                delivery_modes=["online"],
                regions=["wales"],
            )
        )
    db.session.flush()
    page = client.get("/intakes").get_data(as_text=True)
    assert "Open now" in page and "Opening later" in page and "Long gone" not in page
    assert "Open for applications" in page and "Opens soon" in page
    assert "What the programme asks of you" in page and "What you gain" in page


def test_public_page_says_when_nothing_is_open(client):
    page = client.get("/intakes").get_data(as_text=True)
    assert "There are no intakes open for applications" in page


def test_intake_list_does_not_query_per_row(login_as, db, count_queries):
    client = login_as(Role.LEAD)
    client.post("/lead/intakes/new", data=_form())
    client.get("/lead/intakes")
    with count_queries() as few:
        client.get("/lead/intakes")
    for n in range(10):
        client.post("/lead/intakes/new", data=_form(name=f"Intake {n}"))
    with count_queries() as many:
        client.get("/lead/intakes")
    assert many.count == few.count
