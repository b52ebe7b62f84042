"""Report: the award pipeline — per intake, how many facilitators meet each criterion and
where they are on the way to the award (in progress, ready, submitted, returned, awarded,
expired, revoked), and the same stages across the programme.

Readiness is decided exactly as on the leads' pipeline page: the portfolio's evidence
sources (:mod:`lms.assessment.evidence`) feed :func:`lms.assessment.criteria.evaluate`
and :func:`lms.assessment.pipeline.stage_of` places each person. ``pipeline(intake)``
itself costs a few statements per intake, so this report instead runs the criteria's
evidence sources once for everyone in scope (one ``UNION ALL`` statement, with the people
as a subquery so it does not grow with them) and evaluates each person in Python.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.accounts.models import Organisation, User
from lms.applications.models import Intake, IntakeFacilitator
from lms.assessment import criteria, evidence
from lms.assessment.models import AWARD_STATUS_LABELS, Award, AwardScheme, AwardStatus
from lms.assessment.models import PortfolioSubmission as Submission
from lms.assessment.pipeline import STAGE_LABELS, Stage, stage_of
from lms.db_types import utcnow
from lms.extensions import db
from lms.practice.models import PracticeSession, PracticeSet, SetFacilitator, SetStatus
from lms.reports.base import Chart, Filters, Report, Rows, Table, rate
from lms.reports.common import blanks, frame, person_in_scope
from lms.supervision.models import Outcome

KINDS = [kind.value for kind in criteria.RequirementKind]
STAGES = [
    Stage.IN_PROGRESS.value,
    Stage.READY.value,
    Stage.SUBMITTED.value,
    Stage.RETURNED.value,
    Stage.AWARDED.value,
    AwardStatus.EXPIRED.value,  # awarded, then lapsed without renewal
    Stage.REVOKED.value,
]
INTAKE = ["intake_id", "intake_name", "intake_starts"]


class AwardsReport(Report):
    """Trainee facilitators in intakes (who have not left). Region and organisation are
    those of the facilitator's own organisation. The date range keeps people by the date
    their latest portfolio was submitted, or their award issued; anyone who has not
    submitted has no such date and is left out while a range is set."""

    key = "awards"
    title = _l("Award pipeline")
    summary = _l(
        "How many facilitators meet each award criterion and where they are on the way to "
        "the award, by intake and across the programme."
    )
    date_basis = _l("Date the portfolio was submitted, or the award issued")

    def size(self, filters: Filters) -> int:
        return db.session.scalar(
            _people(filters).with_only_columns(sa.func.count(IntakeFacilitator.id))
        )

    def load(self, filters: Filters) -> Rows:
        people = _people(filters)
        found = db.session.execute(people).all()
        # As subqueries (not lists of ids), so statements do not grow with the people.
        ids = people.with_only_columns(IntakeFacilitator.user_id).correlate(None)
        core = evidence.core_modules() if found else ()
        done = _evidence(people, core) if found else {}
        nothing = criteria.Evidence(core_modules=core)
        latest = {}
        for row in db.session.execute(
            sa.select(Submission.user_id, Submission.intake_id, Submission.status,
                      Submission.submitted_at)
            .where(Submission.user_id.in_(ids))
            .order_by(Submission.submitted_at, Submission.id)
        ):  # fmt: skip
            latest[row.user_id, row.intake_id] = row  # the last one wins
        awards = {
            (row.user_id, row.intake_id): row
            for row in db.session.execute(
                sa.select(Award.user_id, Award.intake_id, Award.issued_at, Award.expires_at,
                          Award.revoked_at)
                .where(Award.user_id.in_(ids))
            )
        }  # fmt: skip
        now = utcnow()
        ranged = filters.start is not None or filters.end is not None
        rows = []
        for person in found:
            requirements = criteria.requirements_from(person.requirements)
            facts = done.get(person.user_id, nothing)
            results = criteria.evaluate(requirements, facts)
            submitted = latest.get((person.user_id, person.intake_id))
            award = awards.get((person.user_id, person.intake_id))
            stage = stage_of(criteria.is_ready(results), submitted, award)
            met = {r.kind.value: r.met for r in results}
            when = None
            if award is not None:
                when = award.issued_at
                if stage is Stage.AWARDED and award.expires_at and award.expires_at <= now:
                    stage = AwardStatus.EXPIRED
            elif submitted is not None and stage in (Stage.SUBMITTED, Stage.RETURNED):
                when = submitted.submitted_at
            if ranged and not _within(when, filters):
                continue
            rows.append(
                {
                    "intake_id": person.intake_id,
                    "intake_name": person.intake_name,
                    "intake_starts": person.intake_starts,
                    "stage": stage.value,
                    **{kind: met.get(kind) for kind in KINDS},
                }
            )
        return {"people": rows}

    def build(self, rows: Rows) -> list[Table]:
        people = frame(rows.get("people"), [*INTAKE, "stage", *KINDS])
        labels = _stage_labels()
        criterion = {k.value: k.label for k in criteria.RequirementKind}

        counts = people.groupby(INTAKE, dropna=False).agg(facilitators=("stage", "size"))
        for kind in KINDS:  # None: the intake does not ask for it
            met = people.groupby(INTAKE, dropna=False)[kind].agg(_met)
            counts[f"met_{kind}"] = blanks([None if pd.isna(n) else int(n) for n in met], met.index)
        stages = pd.crosstab([people[c] for c in INTAKE], people["stage"]).reindex(
            columns=STAGES, fill_value=0
        )
        by_intake = counts.join(stages).reset_index()
        by_intake[STAGES] = by_intake[STAGES].fillna(0).astype(int)
        by_intake = by_intake.sort_values(["intake_starts", "intake_name", "intake_id"])

        total = people["stage"].value_counts().reindex(STAGES, fill_value=0)
        stage_frame = pd.DataFrame(
            {
                "stage": STAGES,
                "stage_label": [labels[s] for s in STAGES],
                "facilitators": [int(n) for n in total],
                "share_pct": blanks([rate(n, len(people)) for n in total]),
            }
        )
        applies = [int(people[k].notna().sum()) for k in KINDS]
        meeting = [int((people[k] == True).sum()) for k in KINDS]  # noqa: E712 - may hold None
        criteria_frame = pd.DataFrame(
            {
                "criterion": KINDS,
                "criterion_label": [criterion[k] for k in KINDS],
                "applies_to": applies,
                "meeting": meeting,
                "meeting_pct": blanks([rate(m, a) for m, a in zip(meeting, applies, strict=True)]),
            }
        )
        note = str(
            _l(
                "Awarded counts awards still valid; expired and revoked awards are counted "
                "apart. A criterion an intake does not ask for is left blank."
            )
        )
        return [
            Table(
                "stages",
                str(_l("Stages across the programme")),
                stage_frame,
                {
                    "stage_label": str(_l("Stage")),
                    "facilitators": str(_l("Facilitators")),
                    "share_pct": str(_l("Share (%(sign)s)", sign="%")),
                },
                note,
            ),
            Table(
                "criteria",
                str(_l("Criteria across the programme")),
                criteria_frame,
                {
                    "criterion_label": str(_l("Criterion")),
                    "applies_to": str(_l("Facilitators it applies to")),
                    "meeting": str(_l("Meeting it")),
                    "meeting_pct": str(_l("Meeting it (%(sign)s)", sign="%")),
                },
            ),
            Table(
                "by_intake",
                str(_l("By intake")),
                by_intake.reset_index(drop=True),
                {
                    "intake_name": str(_l("Intake")),
                    "facilitators": str(_l("Facilitators")),
                    **{
                        f"met_{k}": str(_l("Meeting: %(criterion)s", criterion=criterion[k]))
                        for k in KINDS
                    },
                    **{s: labels[s] for s in STAGES},
                },
                note,
            ),
        ]

    def charts(self) -> list[Chart]:
        return [
            Chart("stages", str(_l("Stages across the programme")), "stage_label",
                  ("facilitators",)),
        ]  # fmt: skip


def _people(filters: Filters) -> sa.Select:
    """(intake, facilitator) pairs in scope, with the intake's name, start and criteria."""
    query = (
        sa.select(
            IntakeFacilitator.intake_id,
            IntakeFacilitator.user_id,
            Intake.name.label("intake_name"),
            Intake.programme_starts_on.label("intake_starts"),
            AwardScheme.requirements,  # None: the intake uses the default criteria
        )
        .join(Intake, Intake.id == IntakeFacilitator.intake_id)
        .outerjoin(AwardScheme, AwardScheme.intake_id == IntakeFacilitator.intake_id)
        .join(User, User.id == IntakeFacilitator.user_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(IntakeFacilitator.left_at.is_(None), *person_in_scope(filters))
    )
    if filters.intake_id is not None:
        query = query.where(IntakeFacilitator.intake_id == filters.intake_id)
    return query


def _evidence(people: sa.Select, core: tuple) -> dict[int, criteria.Evidence]:
    """What each person has done, as :func:`lms.assessment.evidence.evidence_of` counts
    it, in one statement of counts (not one row per piece of evidence).

    Modules, supervision, session logs, observations and check-ins are counted from the
    portfolio's own evidence sources (their selects as subqueries), so the numbers match
    each person's readiness page. Sets are counted here directly, with their closed
    sessions, driven from the people: the ``sets`` and ``sessions_held`` sources are one
    row per session and SQLite plans them badly for thousands of people at once."""
    ids = people.with_only_columns(IntakeFacilitator.user_id).correlate(None)
    none_int, none_str = sa.cast(sa.null(), sa.Integer), sa.cast(sa.null(), sa.String)
    parts = []
    for key in ("modules", "supervision", "session_logs", "observations", "check_ins"):
        rows = evidence.source(key).select(ids).subquery()
        by = [rows.c.user_id, rows.c.extra] if key == "modules" else [rows.c.user_id]
        ref = rows.c.extra if key == "modules" else none_int  # modules: which module
        query = sa.select(sa.literal(key, sa.String), rows.c.user_id, ref, none_str,
                          sa.func.count()).group_by(*by)  # fmt: skip
        if key == "observations":
            query = query.where(rows.c.label == Outcome.SIGNED_OFF.value)
        parts.append(query)
    who = people.with_only_columns(IntakeFacilitator.user_id).distinct().subquery()
    parts.append(
        sa.select(
            sa.literal("sets", sa.String),
            SetFacilitator.user_id,
            PracticeSet.id,
            PracticeSet.name,
            sa.func.count(PracticeSession.id).filter(PracticeSession.closed_at.is_not(None)),
        )
        .select_from(who)
        .join(SetFacilitator, SetFacilitator.user_id == who.c.user_id)
        .join(PracticeSet, PracticeSet.id == SetFacilitator.set_id)
        .outerjoin(PracticeSession, PracticeSession.set_id == PracticeSet.id)
        .where(PracticeSet.status == SetStatus.CONFIRMED)
        .group_by(SetFacilitator.user_id, PracticeSet.id, PracticeSet.name)
    )
    counts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    modules: dict[int, set[int]] = defaultdict(set)
    sets: dict[int, list[criteria.SetHeld]] = defaultdict(list)
    for key, user_id, ref, title, n in db.session.execute(sa.union_all(*parts)):
        if key == "modules":
            modules[user_id].add(ref)
        elif key == "sets":
            sets[user_id].append(criteria.SetHeld(set_id=ref, name=title, held=n))
        else:
            counts[user_id][key] += n
    return {
        user_id: criteria.Evidence(
            core_modules=core,
            completed_modules=frozenset(modules[user_id]),
            supervision_sessions=counts[user_id]["supervision"],
            sets=tuple(sorted(sets[user_id], key=lambda s: s.set_id)),
            observations_signed_off=counts[user_id]["observations"],
            session_logs=counts[user_id]["session_logs"],
            buddy_check_ins=counts[user_id]["check_ins"],
        )
        for user_id in {*counts, *modules, *sets}
    }


def _within(when, filters: Filters) -> bool:
    if when is None:
        return False
    day = when.date()
    return (filters.start is None or day >= filters.start) and (
        filters.end is None or day <= filters.end
    )


def _met(flags: pd.Series) -> int | None:
    """How many meet a criterion, or None when it applies to nobody in the group."""
    known = flags.dropna()
    return None if known.empty else int(known.astype(bool).sum())


def _stage_labels() -> dict[str, str]:
    labels = {stage.value: str(label) for stage, label in STAGE_LABELS.items()}
    labels[AwardStatus.EXPIRED.value] = str(AWARD_STATUS_LABELS[AwardStatus.EXPIRED])
    return labels
