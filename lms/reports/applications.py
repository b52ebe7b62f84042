"""Report: the application funnel and the faculty mix (SPEC section 10).

The funnel counts, for each stage, the applications that reached it and those sitting in
it now. "Reached" reads the application's timeline (every status it has had), so an
offer later declined still counts as offered; the main path (started, submitted,
shortlisted, offered, accepted) is cumulative: an application offered a place straight
from submission has reached "at least shortlisted". Side stages (waiting list, not
successful, declined, withdrawn) count the applications that were ever in them.

The faculty mix sets submitted applicants against accepted facilitators by staff group,
sector, region and band, as the selection view does for one intake, but across intakes
and with small numbers hidden (a count of one or two could identify someone).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, case, cast, func, literal, or_, union_all

from lms.accounts.models import Region, Sector
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
from lms.reports.base import Chart, Filters, Report, Rows, Table, hide_small, rate
from lms.reports.common import window

S = ApplicationStatus

# How far along the main path each status shows an application got (0 started,
# 1 submitted, 2 shortlisted, 3 offered, 4 accepted). Side statuses imply only the step
# before them: a declined offer was offered, a rejection was at least submitted.
RANK = {
    S.DRAFT: 0,
    S.SUBMITTED: 1,
    S.WAITLISTED: 1,
    S.REJECTED: 1,
    S.WITHDRAWN: 1,
    S.SHORTLISTED: 2,
    S.OFFERED: 3,
    S.DECLINED: 3,
    S.ACCEPTED: 4,
}
MAIN_PATH = {S.DRAFT: 0, S.SUBMITTED: 1, S.SHORTLISTED: 2, S.OFFERED: 3, S.ACCEPTED: 4}
SIDE = (S.WAITLISTED, S.REJECTED, S.DECLINED, S.WITHDRAWN)
ENDORSED = "endorsed"  # a stage that is not a status: the line manager's endorsement
# Stages in the order leads read them: the statuses in their own order, with the
# endorsement straight after submission.
STAGES: tuple[str, ...] = (
    S.DRAFT.value,
    S.SUBMITTED.value,
    ENDORSED,
    *(s.value for s in S if s not in (S.DRAFT, S.SUBMITTED)),
)

MIX: dict[str, Any] = {
    "staff_group": (StaffGroup, _l("Applicants and accepted facilitators by staff group")),
    "sector": (Sector, _l("Applicants and accepted facilitators by sector")),
    "region": (Region, _l("Applicants and accepted facilitators by region")),
    "band": (Band, _l("Applicants and accepted facilitators by band")),
}
SMALL_NOTE = _l("Numbers from fewer than 3 responses are not shown.")


def _scope(filters: Filters) -> list:
    """Conditions on ``Application`` for the filters. Region and organisation are the ones
    the applicant gave in their application; the date is when it was submitted (a draft's
    is when it was started)."""
    conditions: list = []
    if filters.intake_id is not None:
        conditions.append(Application.intake_id == filters.intake_id)
    if filters.region:
        conditions.append(Application.region == Region(filters.region))
    if filters.organisation_id is not None:
        conditions.append(Application.organisation_id == filters.organisation_id)
    start, end = window(filters)
    when = func.coalesce(Application.submitted_at, Application.created_at)
    if start is not None:
        conditions.append(when >= start)
    if end is not None:
        conditions.append(when < end)
    return conditions


def _rank(column) -> Any:
    return case(*((column == status, rank) for status, rank in RANK.items()), else_=0)


def _funnel_row(filters: Filters) -> dict[str, int]:
    """One aggregate statement: per stage, applications that reached it and are in it."""
    a, e = Application, ApplicationEvent
    history = (
        db.select(
            e.application_id.label("application_id"),
            func.max(_rank(e.status)).label("rank"),
            func.max(case((e.kind == EventKind.ENDORSED, 1), else_=0)).label("endorsed"),
            *(
                func.max(case((e.status == status, 1), else_=0)).label(status.value)
                for status in SIDE
            ),
        )
        .group_by(e.application_id)
        .subquery()
    )
    own_rank = _rank(a.status)
    past_rank = func.coalesce(history.c.rank, 0)
    furthest = case((past_rank > own_rank, past_rank), else_=own_rank)
    submitted = or_(a.submitted_at.is_not(None), a.status != S.DRAFT)
    furthest = case((submitted & (furthest < 1), 1), else_=furthest)
    endorsed = or_(a.endorsement_status == EndorsementStatus.ENDORSED, history.c.endorsed == 1)
    columns = [
        *(
            func.coalesce(func.sum(case((furthest >= rank, 1), else_=0)), 0).label(
                f"reached_{status.value}"
            )
            for status, rank in MAIN_PATH.items()
        ),
        func.coalesce(func.sum(case((endorsed, 1), else_=0)), 0).label(f"reached_{ENDORSED}"),
        *(
            func.coalesce(
                func.sum(case((or_(a.status == s, history.c[s.value] == 1), 1), else_=0)), 0
            ).label(f"reached_{s.value}")
            for s in SIDE
        ),
        *(
            func.coalesce(func.sum(case((a.status == s, 1), else_=0)), 0).label(
                f"current_{s.value}"
            )
            for s in S
        ),
    ]
    query = (
        db.select(*columns)
        .select_from(a)
        .outerjoin(history, history.c.application_id == a.id)
        .where(*_scope(filters))
    )
    return dict(db.session.execute(query).mappings().one())


def _mix_rows(filters: Filters) -> list[dict[str, Any]]:
    """One statement (a UNION of four GROUP BYs): submitted applicants and accepted
    facilitators per value of each mix dimension."""
    a = Application
    accepted = func.coalesce(func.sum(case((a.status == S.ACCEPTED, 1), else_=0)), 0)
    parts = [
        db.select(
            literal(name).label("dimension"),
            cast(getattr(a, name), String).label("value"),
            func.count(a.id).label("applicants"),
            accepted.label("accepted"),
        )
        .where(a.status != S.DRAFT, *_scope(filters))
        .group_by(getattr(a, name))
        for name in MIX
    ]
    rows = db.session.execute(union_all(*parts)).mappings()
    return [
        {
            "dimension": row["dimension"],
            "value": row["value"],
            "applicants": int(row["applicants"]),
            "accepted": int(row["accepted"]),
        }
        for row in rows
    ]


class ApplicationsReport(Report):
    """Applications by stage, and who applied and was accepted by role, sector, region and
    band. Region and organisation filter on what the applicant gave in their application;
    the dates on when it was submitted (a draft's, when it was started)."""

    key = "applications"
    title = _l("Application funnel and faculty mix")
    summary = _l(
        "How many applications reached each stage, and the mix of applicants and accepted "
        "facilitators by staff group, sector, region and band."
    )
    date_basis = _l("Date the application was submitted (not submitted: date it was started)")

    def size(self, filters: Filters) -> int:
        return db.session.scalar(db.select(func.count(Application.id)).where(*_scope(filters)))

    def load(self, filters: Filters) -> Rows:
        funnel = _funnel_row(filters)
        return {
            "funnel": [
                {
                    "stage": stage,
                    "reached": int(funnel[f"reached_{stage}"] or 0),
                    "current": (
                        int(funnel[f"current_{stage}"] or 0) if stage != ENDORSED else None
                    ),
                }
                for stage in STAGES
            ],
            "mix": _mix_rows(filters),
        }

    def build(self, rows: Rows) -> list[Table]:
        return [_funnel_table(rows.get("funnel", [])), *_mix_tables(rows.get("mix", []))]

    def charts(self) -> list[Chart]:
        return [
            Chart(
                table="funnel",
                title=str(_l("Applications reaching each stage")),
                label="stage_label",
                values=("reached",),
            ),
            *(
                Chart(
                    table=f"mix_{name}",
                    title=str(title),
                    label="label",
                    values=("accepted_pct",),
                    percent=True,
                )
                for name, title in _MIX_CHART_TITLES.items()
            ),
        ]


_MIX_CHART_TITLES = {
    "staff_group": _l("Accepted facilitators by staff group (%(sign)s)", sign="%"),
    "sector": _l("Accepted facilitators by sector (%(sign)s)", sign="%"),
    "region": _l("Accepted facilitators by region (%(sign)s)", sign="%"),
    "band": _l("Accepted facilitators by band (%(sign)s)", sign="%"),
}


def _stage_label(stage: str) -> str:
    if stage == ENDORSED:
        return str(_l("Endorsed by line manager"))
    if stage == S.DRAFT.value:
        return str(_l("Started"))
    return S(stage).label


def _funnel_table(funnel: list[dict[str, Any]]) -> Table:
    by_stage = {row["stage"]: row for row in funnel}
    started = by_stage[S.DRAFT.value]["reached"] if S.DRAFT.value in by_stage else 0
    records = [
        {
            "stage": stage,
            "stage_label": _stage_label(stage),
            "reached": int(by_stage[stage]["reached"]),
            "reached_pct": rate(by_stage[stage]["reached"], started),
            "current": by_stage[stage]["current"],
        }
        for stage in STAGES
        if stage in by_stage
    ]
    columns = ["stage", "stage_label", "reached", "reached_pct", "current"]
    frame = pd.DataFrame(records, columns=columns)
    # Whole numbers, blank for the endorsement (not a status): not floats around a NaN.
    frame["current"] = pd.Series([r["current"] for r in records], dtype=object)
    return Table(
        key="funnel",
        title=str(_l("Application funnel")),
        frame=frame,
        headings={
            "stage_label": str(_l("Stage")),
            "reached": str(_l("Reached this stage")),
            "reached_pct": str(_l("Share of applications started (%(sign)s)", sign="%")),
            "current": str(_l("At this stage now")),
        },
        note=str(
            _l(
                "An application counts at every stage it has passed through: one offered a "
                "place straight after submission has also reached shortlisting. Endorsement "
                "is the line manager's answer, not a status."
            )
        ),
    )


def _mix_tables(mix: list[dict[str, Any]]) -> list[Table]:
    frame = pd.DataFrame(mix, columns=["dimension", "value", "applicants", "accepted"])
    tables = []
    for name, (enum, title) in MIX.items():
        counts = {
            row.value: (int(row.applicants), int(row.accepted))
            for row in frame[frame["dimension"] == name].itertuples()
        }
        counts = {(None if pd.isna(k) else k): v for k, v in counts.items()}
        applicants = sum(a for a, _ in counts.values())
        accepted = sum(b for _, b in counts.values())
        # Nobody in scope: no rows, rather than a table of noughts.
        values: list[str | None] = [member.value for member in enum] if applicants else []
        values += sorted(v for v in counts if v is not None and v not in values)
        if None in counts:
            values.append(None)
        records = []
        for value in values:
            n_applied, n_accepted = counts.get(value, (0, 0))
            records.append(
                {
                    "value": value,
                    "label": _value_label(enum, value),
                    "applicants": n_applied,
                    "applicants_pct": rate(n_applied, applicants),
                    "accepted": n_accepted,
                    "accepted_pct": rate(n_accepted, accepted),
                }
            )
        table = pd.DataFrame(
            records,
            columns=["value", "label", "applicants", "applicants_pct", "accepted", "accepted_pct"],
        )
        table = hide_small(table, "applicants", "applicants_pct")
        table = hide_small(table, "accepted", "accepted_pct")
        tables.append(
            Table(
                key=f"mix_{name}",
                title=str(title),
                frame=table,
                headings={
                    "label": str(_MIX_HEADINGS[name]),
                    "applicants": str(_l("Applicants")),
                    "applicants_pct": str(_l("Share of applicants (%(sign)s)", sign="%")),
                    "accepted": str(_l("Accepted facilitators")),
                    "accepted_pct": str(_l("Share of accepted facilitators (%(sign)s)", sign="%")),
                },
                note=str(SMALL_NOTE),
            )
        )
    return tables


_MIX_HEADINGS = {
    "staff_group": _l("Staff group"),
    "sector": _l("Sector"),
    "region": _l("Region"),
    "band": _l("Band"),
}


def _value_label(enum, value: str | None) -> str:
    if value is None:
        return str(_l("Not given"))
    try:
        return enum(value).label
    except ValueError:
        return value
