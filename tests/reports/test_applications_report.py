"""The application funnel and faculty mix report: builder on hand-made rows, loader on a
small database with answers known in advance."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lms.accounts.models import Region, Role, Sector
from lms.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Band,
    EndorsementStatus,
    EventKind,
    StaffGroup,
)
from lms.extensions import db
from lms.reports.applications import STAGES, ApplicationsReport
from lms.reports.base import Filters

S = ApplicationStatus
report = ApplicationsReport()


def tables_of(rows):
    return {table.key: table for table in report.build(rows)}


# --- build ------------------------------------------------------------------------------


def funnel_rows(**reached):
    return [{"stage": stage, "reached": reached.get(stage, 0), "current": None} for stage in STAGES]


def test_funnel_in_stage_order_with_share_of_started():
    rows = funnel_rows(draft=40, submitted=30, endorsed=25, shortlisted=20, offered=10)
    rows[0]["current"] = 10
    funnel = tables_of({"funnel": rows, "mix": []})["funnel"].frame

    assert list(funnel["stage"]) == list(STAGES)
    assert list(funnel["stage"][:4]) == ["draft", "submitted", "endorsed", "shortlisted"]
    by = funnel.set_index("stage")
    assert by.loc["draft", "reached_pct"] == 100.0
    assert by.loc["submitted", "reached_pct"] == 75.0
    assert by.loc["offered", "reached_pct"] == 25.0
    assert by.loc["draft", "current"] == 10 and isinstance(by.loc["draft", "current"], int)
    assert by.loc["endorsed", "current"] is None  # not a status: nobody sits "in" it
    assert by.loc["draft", "stage_label"] == "Started"
    assert by.loc["endorsed", "stage_label"] == "Endorsed by line manager"


def test_mix_shares_and_small_numbers_hidden():
    mix = [
        {"dimension": "staff_group", "value": "nursing_midwifery", "applicants": 10, "accepted": 4},
        {"dimension": "staff_group", "value": "medical_dental", "applicants": 2, "accepted": 1},
        {"dimension": "staff_group", "value": None, "applicants": 8, "accepted": 0},
        {"dimension": "region", "value": "wales", "applicants": 20, "accepted": 5},
    ]
    tables = tables_of({"funnel": [], "mix": mix})
    staff = tables["mix_staff_group"]
    frame = staff.frame.set_index("value", drop=False)

    # Every staff group in its own order, then "not given" last.
    assert list(frame["value"])[: len(StaffGroup)] == [m.value for m in StaffGroup]
    assert frame["label"].iloc[-1] == "Not given"
    nursing = frame.loc["nursing_midwifery"]
    assert nursing["applicants"] == 10
    assert nursing["applicants_pct"] == 50.0  # 10 of 20
    assert nursing["accepted"] == 4
    assert nursing["accepted_pct"] == 80.0  # 4 of 5
    medical = frame.loc["medical_dental"]
    assert medical["applicants"] is None and medical["applicants_pct"] is None
    assert medical["accepted"] is None and medical["accepted_pct"] is None
    # Nought identifies nobody, so it shows.
    assert frame.loc["allied_health", "applicants"] == 0
    assert frame["accepted"].iloc[-1] == 0
    assert staff.note == "Numbers from fewer than 3 responses are not shown."
    assert "1" not in staff.frame[["applicants", "accepted"]].astype(str).to_numpy().ravel()

    region = tables["mix_region"].frame.set_index("value")
    assert region.loc["wales", "applicants_pct"] == 100.0
    assert region.loc["london", "applicants"] == 0
    assert tables["mix_sector"].frame.empty and tables["mix_band"].frame.empty


def test_empty_rows_give_empty_tables_with_every_column():
    tables = report.build({})
    assert [t.key for t in tables] == [
        "funnel",
        "mix_staff_group",
        "mix_sector",
        "mix_region",
        "mix_band",
    ]
    for table in tables:
        assert table.frame.empty
        assert set(table.headings) <= set(table.frame.columns)
        table.labelled()  # headings and columns line up
    chart_tables = {chart.table for chart in report.charts()}
    assert chart_tables == {t.key for t in tables}


# --- load -------------------------------------------------------------------------------


def at(day: int, month: int = 3) -> datetime:
    return datetime(2025, month, day, 12, 0, tzinfo=UTC)


@pytest.fixture
def people(make_user, make_organisation, make_intake):
    """Eight applications to intake A (London) and one to intake B (Wales), through every
    stage, with the timeline the service would have written."""
    london = make_organisation(name="London Acute", region=Region.LONDON)
    wales = make_organisation(name="Welsh Board", region=Region.WALES, sector=Sector.ICB)
    intake_a, intake_b = make_intake(name="Intake A"), make_intake(name="Intake B")
    secret = "SECRET-MOTIVATION"

    def apply(intake, status, history=(), *, region=Region.LONDON, org=london, day=1, **fields):
        app = Application(
            intake_id=intake.id,
            applicant_id=make_user(Role.APPLICANT).id,
            status=status,
            created_at=at(day),
            submitted_at=None if status is S.DRAFT else at(day),
            region=region,
            organisation_id=org.id,
            staff_group=fields.pop("staff_group", StaffGroup.NURSING_MIDWIFERY),
            sector=fields.pop("sector", Sector.ACUTE),
            band=fields.pop("band", Band.BAND_7),
            motivation=secret,
            decision_reason=secret,
            **fields,
        )
        app.events = [
            ApplicationEvent(kind=EventKind.STARTED),
            *(
                ApplicationEvent(kind=EventKind.STATUS_CHANGED, status=s, note=secret)
                for s in history
            ),
        ]
        db.session.add(app)
        db.session.flush()
        return app

    endorsed = {"endorsement_status": EndorsementStatus.ENDORSED}
    apply(intake_a, S.DRAFT, day=1)
    apply(intake_a, S.SUBMITTED, [S.SUBMITTED], day=2, **endorsed)
    apply(intake_a, S.SHORTLISTED, [S.SUBMITTED, S.SHORTLISTED], day=3)
    apply(intake_a, S.DECLINED, [S.SUBMITTED, S.OFFERED, S.DECLINED], day=4)
    apply(
        intake_a,
        S.ACCEPTED,
        [S.SUBMITTED, S.SHORTLISTED, S.OFFERED, S.ACCEPTED],
        day=5,
        staff_group=StaffGroup.MEDICAL_DENTAL,
        **endorsed,
    )
    apply(intake_a, S.REJECTED, [S.SUBMITTED, S.REJECTED], day=6)
    apply(intake_a, S.WITHDRAWN, [S.SUBMITTED, S.OFFERED, S.WITHDRAWN], day=7)
    apply(intake_a, S.OFFERED, [S.SUBMITTED, S.OFFERED], day=8)
    # No timeline at all: the status alone says how far it got.
    accepted_b = apply(intake_b, S.ACCEPTED, region=Region.WALES, org=wales, day=20)
    accepted_b.events = []
    db.session.flush()
    return {"a": intake_a, "b": intake_b, "london": london, "wales": wales}


def by_stage(rows):
    return {row["stage"]: (row["reached"], row["current"]) for row in rows["funnel"]}


def test_load_counts_each_stage_from_the_timeline(people):
    rows = report.load(Filters(intake_id=people["a"].id))
    assert by_stage(rows) == {
        "draft": (8, 1),
        "submitted": (7, 1),
        "endorsed": (2, None),
        "shortlisted": (5, 1),  # shortlisted, or further along the main path
        "offered": (4, 1),
        "waitlisted": (0, 0),
        "rejected": (1, 1),
        "accepted": (1, 1),
        "declined": (1, 1),
        "withdrawn": (1, 1),
    }
    mix = {(r["dimension"], r["value"]): (r["applicants"], r["accepted"]) for r in rows["mix"]}
    assert mix[("staff_group", "nursing_midwifery")] == (6, 0)  # drafts are not applicants
    assert mix[("staff_group", "medical_dental")] == (1, 1)
    assert mix[("region", "london")] == (7, 1)
    assert mix[("band", "band_7")] == (7, 1)
    assert report.size(Filters(intake_id=people["a"].id)) == 8


def test_load_without_a_timeline_uses_the_status(people):
    rows = report.load(Filters(intake_id=people["b"].id))
    reached = {stage: n for stage, (n, _) in by_stage(rows).items()}
    assert reached["accepted"] == 1 and reached["offered"] == 1 and reached["submitted"] == 1


@pytest.mark.parametrize(
    ("filters", "started", "size"),
    [
        (lambda p: Filters(), 9, 9),
        (lambda p: Filters(region="wales"), 1, 1),
        (lambda p: Filters(region="london"), 8, 8),
        (lambda p: Filters(organisation_id=p["wales"].id), 1, 1),
        (lambda p: Filters(start=date(2025, 3, 3), end=date(2025, 3, 5)), 3, 3),
        (lambda p: Filters(start=date(2025, 3, 8)), 2, 2),
        (lambda p: Filters(end=date(2025, 3, 1)), 1, 1),
    ],
)
def test_each_filter_narrows(people, filters, started, size):
    chosen = filters(people)
    rows = report.load(chosen)
    assert by_stage(rows)["draft"][0] == started
    assert report.size(chosen) == size


def test_no_confidential_text_in_rows_or_tables(people):
    rows = report.load(Filters())
    assert "SECRET" not in repr(rows)
    for table in report.build(rows):
        assert "SECRET" not in table.frame.to_csv()


def test_fixed_number_of_statements(people, make_user, count_queries):
    with count_queries() as few:
        report.load(Filters())
    for _ in range(10):
        db.session.add(
            Application(
                intake_id=people["a"].id,
                applicant_id=make_user(Role.APPLICANT).id,
                status=S.SUBMITTED,
                submitted_at=at(10),
                staff_group=StaffGroup.OTHER,
                events=[ApplicationEvent(kind=EventKind.SUBMITTED, status=S.SUBMITTED)],
            )
        )
    db.session.flush()
    with count_queries() as many:
        rows = report.load(Filters())
    assert few.count == many.count == 2
    assert by_stage(rows)["submitted"][0] == 18
    built = tables_of(rows)["mix_staff_group"].frame.set_index("value")
    assert built.loc["other", "applicants"] == 10
    assert built.loc["medical_dental", "applicants"] is None  # one person: hidden
