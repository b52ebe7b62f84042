"""Report: set delivery — sessions held against planned, attendance, present-once equity
and what became of the actions, by set, by facilitator and by intake.

Only counts leave the database: no trainee's name, challenge, action text or learning note
is selected (the confidential columns of ``lms.practice.models`` are never named here).
``sets_in_scope`` is shared with the themes report, so both narrow sets in the same way.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.accounts.models import Organisation, User
from lms.applications.models import Intake
from lms.extensions import db
from lms.practice.models import (
    Action,
    FollowThrough,
    FollowThroughStatus,
    PracticeAttendance,
    PracticeAttendanceStatus,
    PracticeSession,
    PracticeSet,
    Presentation,
    SetFacilitator,
    SetMember,
    SetStatus,
)
from lms.reports.base import Chart, Filters, Report, Rows, Table
from lms.reports.common import blanks, fetch, frame, on_days, person_in_scope, rates, texts

# A follow-through answer is final unless the action was carried forward to be asked about
# again; done and partly done count as followed through.
FINAL = (
    FollowThroughStatus.DONE,
    FollowThroughStatus.PARTLY,
    FollowThroughStatus.NOT_DONE,
    FollowThroughStatus.DROPPED,
)
FOLLOWED_THROUGH = (FollowThroughStatus.DONE, FollowThroughStatus.PARTLY)
ATTENDED = (PracticeAttendanceStatus.PRESENT, PracticeAttendanceStatus.LATE)


def sets_in_scope(filters: Filters) -> sa.Select:
    """Ids of the confirmed sets in the intake, with a facilitator from the region or
    organisation (a set run by a pair counts for each of their organisations)."""
    query = sa.select(PracticeSet.id).where(PracticeSet.status == SetStatus.CONFIRMED)
    if filters.intake_id is not None:
        query = query.where(PracticeSet.intake_id == filters.intake_id)
    people = person_in_scope(filters)
    if people:
        query = query.where(
            PracticeSet.id.in_(
                sa.select(SetFacilitator.set_id)
                .join(User, User.id == SetFacilitator.user_id)
                .outerjoin(Organisation, Organisation.id == User.organisation_id)
                .where(*people)
            )
        )
    return query


# --- The report --------------------------------------------------------------------------------

PERSON = ["user_id", "name", "organisation"]  # a facilitator, told apart from namesakes
SET_COLUMNS = ["set_id", "set_name", "intake_id", "intake_name", "intake_starts"]
COUNTS = [
    "sessions_planned",
    "sessions_held",
    "register_entries",
    "attended",
    "members",
    "presented",
    "presentations",
    "most",
    "fewest",
    "actions",
    "followed_up",
    "followed_through",
]


class DeliveryReport(Report):
    """Confirmed sets. Region and organisation are those of the set's facilitators: the
    set table keeps a set if either of its facilitators matches; the facilitator table
    shows only the matching facilitators. Dates are session dates."""

    key = "delivery"
    title = _l("Set delivery")
    summary = _l(
        "Sessions held against planned, attendance, present-once equity and action "
        "follow-through, by set, by facilitator and by intake."
    )
    date_basis = _l("Date of the set session")

    def size(self, filters: Filters) -> int:
        return db.session.scalar(
            sa.select(sa.func.count(PracticeSession.id)).where(
                PracticeSession.set_id.in_(sets_in_scope(filters)),
                *on_days(PracticeSession.starts_at, filters),
            )
        )

    def load(self, filters: Filters) -> Rows:
        scope = sets_in_scope(filters)
        days = on_days(PracticeSession.starts_at, filters)
        held = PracticeSession.closed_at.is_not(None)
        sets = (
            sa.select(
                PracticeSet.id.label("set_id"),
                PracticeSet.name.label("set_name"),
                PracticeSet.intake_id,
                Intake.name.label("intake_name"),
                Intake.programme_starts_on.label("intake_starts"),
                sa.func.count(PracticeSession.id).label("sessions_planned"),
                sa.func.count(PracticeSession.id).filter(held).label("sessions_held"),
            )
            .join(Intake, Intake.id == PracticeSet.intake_id)
            .outerjoin(PracticeSession, sa.and_(PracticeSession.set_id == PracticeSet.id, *days))
            .where(PracticeSet.id.in_(scope))
            .group_by(PracticeSet.id, PracticeSet.name, PracticeSet.intake_id, Intake.id)
        )
        if days:  # a date range keeps only the sets that met (or were to meet) in it
            sets = sets.having(sa.func.count(PracticeSession.id) > 0)
        people = person_in_scope(filters)
        facilitators = (
            sa.select(
                SetFacilitator.set_id,
                User.id.label("user_id"),
                User.name,
                Organisation.name.label("organisation"),
                (sa.case((sa.and_(*people), 1), else_=0) if people else sa.literal(1)).label(
                    "in_scope"
                ),
            )
            .join(User, User.id == SetFacilitator.user_id)
            .outerjoin(Organisation, Organisation.id == User.organisation_id)
            .where(SetFacilitator.set_id.in_(scope))
        )
        attendance = (
            sa.select(
                PracticeSession.set_id,
                sa.func.count(PracticeAttendance.id).label("register_entries"),
                sa.func.count(PracticeAttendance.id)
                .filter(PracticeAttendance.status.in_(ATTENDED))
                .label("attended"),
            )
            .join(PracticeSession, PracticeSession.id == PracticeAttendance.session_id)
            .where(PracticeSession.set_id.in_(scope), held, *days)
            .group_by(PracticeSession.set_id)
        )
        return {
            "sets": fetch(sets),
            "facilitators": fetch(facilitators),
            "attendance": fetch(attendance),
            "equity": fetch(_equity(scope, days)),
            "actions": fetch(_actions(scope, days)),
        }

    def build(self, rows: Rows) -> list[Table]:
        sets = _set_measures(rows)
        by_set = sets.sort_values(["intake_starts", "intake_name", "set_name", "set_id"])
        names = frame(rows.get("facilitators"), [*PERSON, "set_id", "in_scope"])
        names["organisation"] = texts(names["organisation"])
        listed = names.sort_values(["name", "user_id"]).groupby("set_id")["name"].agg("; ".join)
        by_set = by_set.assign(
            facilitators=by_set["set_id"].map(listed).fillna("").astype(str)
        ).reset_index(drop=True)

        mine = names[names["in_scope"].astype(bool)][[*PERSON, "set_id"]]
        joined = mine.merge(sets, on="set_id")
        by_person = _totals(joined, PERSON).sort_values(["name", "organisation", "user_id"])
        by_intake = _totals(sets, ["intake_id", "intake_name", "intake_starts"]).sort_values(
            ["intake_starts", "intake_name", "intake_id"]
        )
        note = str(
            _l(
                "Held: sessions the facilitator closed. Attendance: present or late, of the "
                "register entries in held sessions. Presented at least once: members who have "
                "presented, of the set's members; spread is the most presentations by one "
                "member minus the fewest. Follow-through: actions reported done or partly done, "
                "of the actions given a final answer (done, partly done, not done or dropped); "
                "an action carried forward waits for its next answer."
            )
        )
        common = _headings()
        return [
            Table(
                "by_intake",
                str(_l("By intake")),
                _finish(by_intake).reset_index(drop=True),
                {"intake_name": str(_l("Intake")), "sets": str(_l("Sets")), **common},
                note,
            ),
            Table(
                "by_set",
                str(_l("By set")),
                _finish(by_set),
                {
                    "set_name": str(_l("Set")),
                    "intake_name": str(_l("Intake")),
                    "facilitators": str(_l("Facilitators")),
                    **common,
                },
                note,
            ),
            Table(
                "by_facilitator",
                str(_l("By facilitator")),
                _finish(by_person).reset_index(drop=True),
                {
                    "name": str(_l("Facilitator")),
                    "organisation": str(_l("Organisation")),
                    "sets": str(_l("Sets")),
                    **common,
                },
                note,
            ),
        ]

    def charts(self) -> list[Chart]:
        return [
            Chart("by_intake", str(_l("Sessions held, by intake")), "intake_name",
                  ("held_pct",), percent=True),
            Chart("by_intake", str(_l("Attendance, by intake")), "intake_name",
                  ("attendance_pct",), percent=True),
            Chart("by_intake", str(_l("Action follow-through, by intake")), "intake_name",
                  ("follow_through_pct",), percent=True),
        ]  # fmt: skip


# --- Loading -------------------------------------------------------------------------------------


def _equity(scope: sa.Select, days: list) -> sa.Select:
    """Per set: members, how many have presented, presentations, and the most and fewest
    presentations by one member (members who never presented count as 0)."""
    per_member = (
        sa.select(
            Presentation.set_id,
            Presentation.presenter_id,
            sa.func.count(Presentation.id).label("n"),
        )
        .join(PracticeSession, PracticeSession.id == Presentation.session_id)
        .where(Presentation.set_id.in_(scope), *days)
        .group_by(Presentation.set_id, Presentation.presenter_id)
        .subquery()
    )
    n = sa.func.coalesce(per_member.c.n, 0)
    return (
        sa.select(
            SetMember.set_id,
            sa.func.count(SetMember.id).label("members"),
            sa.func.count(SetMember.id).filter(n > 0).label("presented"),
            # (cast: PostgreSQL sums counts as numeric, which would come back as Decimal)
            sa.cast(sa.func.coalesce(sa.func.sum(n), 0), sa.Integer).label("presentations"),
            sa.func.max(n).label("most"),
            sa.func.min(n).label("fewest"),
        )
        .outerjoin(
            per_member,
            sa.and_(
                per_member.c.set_id == SetMember.set_id,
                per_member.c.presenter_id == SetMember.user_id,
            ),
        )
        .where(SetMember.set_id.in_(scope))
        .group_by(SetMember.set_id)
    )


def _actions(scope: sa.Select, days: list) -> sa.Select:
    """Per set: actions agreed at sessions in range, how many were given a final answer,
    and how many of those were done or partly done (an action counts once however many
    answers it had)."""

    def actions_where(statuses) -> sa.ColumnElement:
        return sa.func.count(sa.distinct(sa.case((FollowThrough.status.in_(statuses), Action.id))))

    return (
        sa.select(
            Action.set_id,
            sa.func.count(sa.distinct(Action.id)).label("actions"),
            actions_where(FINAL).label("followed_up"),
            actions_where(FOLLOWED_THROUGH).label("followed_through"),
        )
        .join(PracticeSession, PracticeSession.id == Action.session_id)
        .outerjoin(FollowThrough, FollowThrough.action_id == Action.id)
        .where(Action.set_id.in_(scope), *days)
        .group_by(Action.set_id)
    )


# --- Building ------------------------------------------------------------------------------------


def _set_measures(rows: Rows) -> pd.DataFrame:
    """One row per set with every count (0 where a set has none)."""
    sets = frame(rows.get("sets"), [*SET_COLUMNS, "sessions_planned", "sessions_held"])
    for key, columns in (
        ("attendance", ["register_entries", "attended"]),
        ("equity", ["members", "presented", "presentations", "most", "fewest"]),
        ("actions", ["actions", "followed_up", "followed_through"]),
    ):
        sets = sets.merge(frame(rows.get(key), ["set_id", *columns]), on="set_id", how="left")
    sets[COUNTS] = sets[COUNTS].fillna(0).astype(int)
    sets["spread"] = (sets["most"] - sets["fewest"]).where(sets["members"] > 0)
    sets["sets"] = 1
    return sets


def _totals(sets: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The counts summed over groups of sets; the spread is the widest of the group's."""
    sums = {c: (c, "sum") for c in [*COUNTS, "sets"]}
    grouped = sets.groupby(keys, dropna=False).agg(**sums, spread=("spread", "max"))
    return grouped.reset_index()


def _finish(table: pd.DataFrame) -> pd.DataFrame:
    """Adds the rates to a table of counts."""
    return table.assign(
        held_pct=rates(table, "sessions_held", "sessions_planned"),
        attendance_pct=rates(table, "attended", "register_entries"),
        presented_pct=rates(table, "presented", "members"),
        follow_through_pct=rates(table, "followed_through", "followed_up"),
        spread=blanks([None if pd.isna(s) else int(s) for s in table["spread"]], table.index),
    )


def _headings() -> dict[str, str]:
    return {
        "sessions_planned": str(_l("Sessions planned")),
        "sessions_held": str(_l("Sessions held")),
        "held_pct": str(_l("Held (%(sign)s)", sign="%")),
        "attendance_pct": str(_l("Attendance (%(sign)s)", sign="%")),
        "members": str(_l("Members")),
        "presented_pct": str(_l("Presented at least once (%(sign)s)", sign="%")),
        "spread": str(_l("Spread of presentations")),
        "actions": str(_l("Actions agreed")),
        "followed_up": str(_l("Actions followed up")),
        "follow_through_pct": str(_l("Follow-through (%(sign)s)", sign="%")),
    }
