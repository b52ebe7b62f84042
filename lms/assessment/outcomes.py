"""The programme's learning outcomes: what an awarded facilitator can do. Portfolio items
and uploads are mapped to them, and the award's Open Badges credential aligns to them."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from lms.supervision.models import Criterion


@dataclass(frozen=True)
class LearningOutcome:
    code: str
    title: object  # a lazy string: str() it in the reader's language

    def __str__(self) -> str:
        return str(self.title)


OUTCOMES: tuple[LearningOutcome, ...] = (
    LearningOutcome("understand", _l("Explain action learning and the facilitator's part in it")),
    LearningOutcome("contract", _l("Contract with a set and keep it a safe, confidential space")),
    LearningOutcome(
        "process", _l("Hold the process and the time of a set session, online and in person")
    ),
    LearningOutcome("inquiry", _l("Help a set inquire with questions, not advice")),
    LearningOutcome(
        "dynamics", _l("Work with group dynamics, power and difference so that everyone takes part")
    ),
    LearningOutcome("actions", _l("Help presenters commit to actions and follow them through")),
    LearningOutcome(
        "reflect",
        _l("Reflect on your own practice, and use supervision, observation and feedback to grow"),
    ),
)

BY_CODE = {outcome.code: outcome for outcome in OUTCOMES}
CODES = tuple(BY_CODE)

# Which outcomes each module's evidence shows. A module not listed here counts towards
# "understand".
MODULE_OUTCOMES: dict[str, tuple[str, ...]] = {
    "what-is-action-learning": ("understand",),
    "contracting-and-the-set-charter": ("contract",),
    "session-flow-and-time-keeping": ("process",),
    "inquiry-not-advice": ("inquiry",),
    "group-dynamics-and-power": ("dynamics",),
    "inclusion-and-reasonable-adjustments": ("dynamics",),
    "actions-and-accountability": ("actions",),
    "online-and-blended-sets": ("process",),
    "feedback-reflection-and-support": ("reflect",),
    "working-with-gmts-trainees": ("understand", "contract"),
}

# Which outcome each observation criterion shows.
CRITERION_OUTCOMES: dict[Criterion, str] = {
    Criterion.CONTRACTING: "contract",
    Criterion.PROCESS_AND_TIME: "process",
    Criterion.QUESTIONING: "inquiry",
    Criterion.GROUP_DYNAMICS: "dynamics",
    Criterion.INCLUSION: "dynamics",
    Criterion.ACTIONS: "actions",
    Criterion.CLOSING: "actions",
    Criterion.SELF_AWARENESS: "reflect",
}


def module_outcomes(slug: str) -> tuple[str, ...]:
    return MODULE_OUTCOMES.get(slug, ("understand",))


def known(codes) -> list[str]:
    """The codes given that are learning outcomes, in the programme's order, once each."""
    wanted = set(codes)
    return [code for code in CODES if code in wanted]
