"""Report: cohort themes and feedback — the theme tags of presentations, and trainees'
anonymous feedback on facilitation, by intake and by facilitator.

Only the theme tag of a presentation is read, never its challenge text; feedback comes as
counts of answers that agreed, never as comments. Any feedback cell from fewer than
``MIN_CELL`` responses is blanked (the same threshold a facilitator's own feedback page
uses, ``lms.practice.services.FEEDBACK_THRESHOLD``), as is any count of 1 or 2
presentations of a theme in one intake.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.accounts.models import Organisation, User
from lms.applications.models import Intake
from lms.extensions import db
from lms.practice.aggregates import AGREE
from lms.practice.models import (
    FeedbackResponse,
    PracticeSession,
    PracticeSet,
    Presentation,
    SetFacilitator,
    Theme,
)
from lms.practice.services import FEEDBACK_QUESTIONS
from lms.reports.base import (
    Chart,
    Filters,
    Report,
    Rows,
    Table,
    hide_small,
    rate,
    suppress,
)
from lms.reports.common import blanks, fetch, frame, on_days, person_in_scope, texts
from lms.reports.delivery import PERSON, sets_in_scope

QUESTIONS = tuple(FEEDBACK_QUESTIONS)  # the scored statements, in the form's order
UNTAGGED = "untagged"
THEMES = [*(t.value for t in Theme), UNTAGGED]
INTAKE = ["intake_id", "intake_name", "intake_starts"]
FEEDBACK = ["responses", *(f"{q}_agree" for q in QUESTIONS), *(f"{q}_total" for q in QUESTIONS)]


class ThemesReport(Report):
    """Presentations and feedback at sessions of confirmed sets. Region and organisation
    are those of the set's facilitators (a set counts if either matches; the by-facilitator
    feedback shows only the matching facilitators). Dates are session dates."""

    key = "themes"
    title = _l("Cohort themes and feedback")
    summary = _l(
        "What the challenges presented were about (theme tags only) and what trainees said "
        "about the facilitation, by intake and by facilitator."
    )
    date_basis = _l("Date of the set session")

    def size(self, filters: Filters) -> int:
        return db.session.scalar(
            sa.select(sa.func.count(Presentation.id))
            .join(PracticeSession, PracticeSession.id == Presentation.session_id)
            .where(
                Presentation.set_id.in_(sets_in_scope(filters)),
                *on_days(PracticeSession.starts_at, filters),
            )
        )

    def load(self, filters: Filters) -> Rows:
        scope = sets_in_scope(filters)
        days = on_days(PracticeSession.starts_at, filters)
        intake = (
            PracticeSet.intake_id,
            Intake.name.label("intake_name"),
            Intake.programme_starts_on.label("intake_starts"),
        )
        themes = (
            sa.select(*intake, Presentation.theme, sa.func.count(Presentation.id).label("n"))
            .join(PracticeSession, PracticeSession.id == Presentation.session_id)
            .join(PracticeSet, PracticeSet.id == Presentation.set_id)
            .join(Intake, Intake.id == PracticeSet.intake_id)
            .where(Presentation.set_id.in_(scope), *days)
            .group_by(PracticeSet.intake_id, Intake.id, Presentation.theme)
        )
        by_intake = (
            sa.select(*intake, *_scores())
            .join(PracticeSession, PracticeSession.id == FeedbackResponse.session_id)
            .join(PracticeSet, PracticeSet.id == PracticeSession.set_id)
            .join(Intake, Intake.id == PracticeSet.intake_id)
            .where(PracticeSession.set_id.in_(scope), *days)
            .group_by(PracticeSet.intake_id, Intake.id)
        )
        # Each of a set's facilitators is credited with the set's feedback.
        by_facilitator = (
            sa.select(
                SetFacilitator.user_id,
                User.name,
                Organisation.name.label("organisation"),
                *_scores(),
            )
            .join(PracticeSession, PracticeSession.id == FeedbackResponse.session_id)
            .join(SetFacilitator, SetFacilitator.set_id == PracticeSession.set_id)
            .join(User, User.id == SetFacilitator.user_id)
            .outerjoin(Organisation, Organisation.id == User.organisation_id)
            .where(PracticeSession.set_id.in_(scope), *days, *person_in_scope(filters))
            .group_by(SetFacilitator.user_id, User.name, Organisation.name)
        )
        return {
            "themes": [
                {**row, "theme": row["theme"].value if row["theme"] else None}
                for row in fetch(themes)
            ],
            "feedback_by_intake": fetch(by_intake),
            "feedback_by_facilitator": fetch(by_facilitator),
        }

    def build(self, rows: Rows) -> list[Table]:
        themes = frame(rows.get("themes"), [*INTAKE, "theme", "n"])
        themes["theme"] = themes["theme"].fillna(UNTAGGED)
        themes["n"] = themes["n"].astype(int)
        labels = _theme_labels()
        few = str(_l("Numbers from fewer than 3 responses are not shown."))

        overall = themes.groupby("theme")["n"].sum().reindex(THEMES, fill_value=0)
        total = int(overall.sum())
        overall_frame = pd.DataFrame(
            {
                "theme": THEMES,
                "theme_label": [labels[t] for t in THEMES],
                "presentations": [int(n) for n in overall],
                "share_pct": blanks([rate(n, total) for n in overall]),
            }
        )

        wide = themes.pivot_table(index=INTAKE, columns="theme", values="n", aggfunc="sum")
        wide = wide.reindex(columns=THEMES).fillna(0).astype(int).reset_index()
        wide.columns.name = None
        wide["presentations"] = wide[THEMES].sum(axis=1).astype(int)
        for theme in THEMES:  # 1 or 2 in an intake could point at someone; 0 is shown
            hide_small(wide, theme)
        wide = wide.sort_values(["intake_starts", "intake_name", "intake_id"]).reset_index(
            drop=True
        )

        by_intake = _feedback(rows.get("feedback_by_intake"), INTAKE)
        by_intake = by_intake.sort_values(["intake_starts", "intake_name", "intake_id"])
        by_person = _feedback(rows.get("feedback_by_facilitator"), PERSON)
        by_person["organisation"] = texts(by_person["organisation"])
        by_person = by_person.sort_values(["name", "organisation", "user_id"])
        questions = _questions(rows.get("feedback_by_intake"))

        agree = {f"{q}_pct": str(FEEDBACK_QUESTIONS[q]) for q in QUESTIONS}
        responses = str(_l("Responses"))
        return [
            Table(
                "themes",
                str(_l("Themes presented")),
                overall_frame,
                {
                    "theme_label": str(_l("Theme")),
                    "presentations": str(_l("Presentations")),
                    "share_pct": str(_l("Share (%(sign)s)", sign="%")),
                },
            ),
            Table(
                "themes_by_intake",
                str(_l("Themes presented, by intake")),
                wide,
                {
                    "intake_name": str(_l("Intake")),
                    "presentations": str(_l("Presentations")),
                    **{t: labels[t] for t in THEMES},
                },
                str(_l("Counts of 1 or 2 presentations in an intake are not shown.")),
            ),
            Table(
                "feedback",
                str(_l("Feedback from trainees")),
                questions,
                {
                    "question_label": str(_l("Statement")),
                    "responses": responses,
                    "agree_pct": str(_l("Agreed (%(sign)s)", sign="%")),
                    "mean": str(_l("Average score (1 to 5)")),
                },
                few,
            ),
            Table(
                "feedback_by_intake",
                str(_l("Feedback from trainees, by intake")),
                by_intake.reset_index(drop=True),
                {"intake_name": str(_l("Intake")), "responses": responses, **agree},
                few + " " + str(_l("Each cell is the share who agreed or strongly agreed.")),
            ),
            Table(
                "feedback_by_facilitator",
                str(_l("Feedback from trainees, by facilitator")),
                by_person.reset_index(drop=True),
                {
                    "name": str(_l("Facilitator")),
                    "organisation": str(_l("Organisation")),
                    "responses": responses,
                    **agree,
                },
                few
                + " "
                + str(
                    _l(
                        "Each cell is the share who agreed or strongly agreed. Both "
                        "facilitators of a set are credited with its feedback."
                    )
                ),
            ),
        ]

    def charts(self) -> list[Chart]:
        return [
            Chart("themes", str(_l("Themes presented")), "theme_label", ("presentations",)),
            Chart(
                "feedback",
                str(_l("Trainees who agreed, by statement")),
                "question_label",
                ("agree_pct",),
                percent=True,
            ),
        ]


def _scores() -> list:
    """Responses, and per question how many agreed and the total of the scores."""
    columns = [sa.func.count(FeedbackResponse.id).label("responses")]
    for question in QUESTIONS:
        score = getattr(FeedbackResponse, question)
        columns.append(
            sa.func.coalesce(sa.func.sum(sa.case((score >= AGREE, 1), else_=0)), 0).label(
                f"{question}_agree"
            )
        )
        columns.append(sa.func.coalesce(sa.func.sum(score), 0).label(f"{question}_total"))
    return columns


def _theme_labels() -> dict[str, str]:
    labels = {t.value: t.label for t in Theme}
    labels[UNTAGGED] = str(_l("No theme given"))
    return labels


def _feedback(rows: list[dict] | None, keys: list[str]) -> pd.DataFrame:
    """% agreeing per question per row, blanked where fewer than MIN_CELL responded."""
    table = frame(rows, [*keys, *FEEDBACK])
    table["responses"] = table["responses"].astype(int)
    table = table.assign(
        **{
            f"{q}_pct": [
                rate(a, n) for a, n in zip(table[f"{q}_agree"], table["responses"], strict=True)
            ]
            for q in QUESTIONS
        }
    )
    hidden = [c for c in table.columns if c not in keys and c != "responses"]
    return suppress(table, "responses", hidden)


def _questions(rows: list[dict] | None) -> pd.DataFrame:
    """Per question over everything in scope: responses, % agreeing and the mean score
    (blank when fewer than MIN_CELL responded in all)."""
    table = frame(rows, FEEDBACK)
    responses = int(table["responses"].sum())
    result = pd.DataFrame(
        {
            "question": list(QUESTIONS),
            "question_label": [str(FEEDBACK_QUESTIONS[q]) for q in QUESTIONS],
            "responses": responses,
            "agree_pct": [rate(table[f"{q}_agree"].sum(), responses) for q in QUESTIONS],
            "mean": [
                round(table[f"{q}_total"].sum() / responses, 1) if responses else None
                for q in QUESTIONS
            ],
        }
    )
    return suppress(result, "responses", ["agree_pct", "mean"])
