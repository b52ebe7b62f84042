"""Progress rules and knowledge-check marking, as pure functions over plain data.

Nothing here reads the database or a request: pages and services load what these need
(``queries.py``) and pass it in, so the rules are tested on their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from lms.curriculum.activities import KnowledgeCheck, Question
from lms.db_types import LabelledEnum, set_labels


class ModuleState(LabelledEnum):
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    LOCKED = "locked"


MODULE_STATE_LABELS = set_labels(
    ModuleState,
    {
        ModuleState.COMPLETED: _l("Completed"),
        ModuleState.IN_PROGRESS: _l("In progress"),
        ModuleState.NOT_STARTED: _l("Not started"),
        ModuleState.LOCKED: _l("Cannot start yet"),
    },
)

# nhsuk tag colours for each state, as the task list pattern uses them.
MODULE_STATE_TAGS = {
    ModuleState.COMPLETED: "",
    ModuleState.IN_PROGRESS: "nhsuk-tag--white",
    ModuleState.NOT_STARTED: "nhsuk-tag--blue",
    ModuleState.LOCKED: "nhsuk-tag--grey",
}


@dataclass(frozen=True)
class ModuleInfo:
    """What the rules need to know about a module's current version."""

    id: int
    slug: str
    version: int
    is_core: bool
    activity_keys: tuple[str, ...]
    prerequisites: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModuleProgress:
    module: ModuleInfo
    done_keys: frozenset[str]
    completed_version: int | None
    missing_prerequisites: tuple[str, ...]  # slugs of prerequisites not yet completed

    @property
    def done(self) -> int:
        """Activities of the current version done."""
        return sum(1 for key in self.module.activity_keys if key in self.done_keys)

    @property
    def total(self) -> int:
        return len(self.module.activity_keys)

    @property
    def is_completed(self) -> bool:
        return self.completed_version is not None

    @property
    def all_done(self) -> bool:
        return self.done == self.total

    @property
    def is_locked(self) -> bool:
        return not self.is_completed and bool(self.missing_prerequisites)

    @property
    def can_complete(self) -> bool:
        """ "Mark as complete" is offered: every activity done, prerequisites met, and not
        already completed at this version."""
        return (
            self.all_done
            and not self.missing_prerequisites
            and self.completed_version != self.module.version
        )

    @property
    def updated_since_completion(self) -> bool:
        return self.is_completed and self.completed_version != self.module.version

    @property
    def state(self) -> ModuleState:
        if self.is_completed:
            return ModuleState.COMPLETED
        if self.missing_prerequisites:
            return ModuleState.LOCKED
        if self.done_keys & set(self.module.activity_keys):
            return ModuleState.IN_PROGRESS
        return ModuleState.NOT_STARTED

    @property
    def tag_class(self) -> str:
        return MODULE_STATE_TAGS[self.state]


def module_progress(
    modules: Iterable[ModuleInfo],
    done: Mapping[int, Iterable[str]],
    completed: Mapping[int, int],
) -> dict[int, ModuleProgress]:
    """Each module's progress for one person.

    ``done`` maps a module id to the activity keys they have done; ``completed`` maps a
    module id to the version they completed. A prerequisite counts once its module is
    completed (any version); one that is no longer in the curriculum is ignored.
    """
    modules = list(modules)
    completed_slugs = {m.slug for m in modules if m.id in completed}
    known = {m.slug for m in modules}
    return {
        m.id: ModuleProgress(
            module=m,
            done_keys=frozenset(done.get(m.id, ())),
            completed_version=completed.get(m.id),
            missing_prerequisites=tuple(
                p for p in m.prerequisites if p in known and p not in completed_slugs
            ),
        )
        for m in modules
    }


@dataclass(frozen=True)
class Overall:
    core_completed: int
    core_total: int
    optional_completed: int
    optional_total: int

    @property
    def core_done(self) -> bool:
        return self.core_total > 0 and self.core_completed == self.core_total


def overall(progress: Iterable[ModuleProgress]) -> Overall:
    progress = list(progress)
    core = [p for p in progress if p.module.is_core]
    optional = [p for p in progress if not p.module.is_core]
    return Overall(
        core_completed=sum(p.is_completed for p in core),
        core_total=len(core),
        optional_completed=sum(p.is_completed for p in optional),
        optional_total=len(optional),
    )


# --- Knowledge checks --------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    chosen: tuple[int, ...]

    @property
    def is_correct(self) -> bool:
        return frozenset(self.chosen) == self.question.correct

    @property
    def missed_some(self) -> bool:
        """Every pick was right, but not every right option was picked."""
        return not self.is_correct and frozenset(self.chosen) < self.question.correct


@dataclass(frozen=True)
class Marking:
    results: tuple[QuestionResult, ...]
    needed: int
    pass_mark: int = field(default=100)

    @property
    def score(self) -> int:
        return sum(result.is_correct for result in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def is_passed(self) -> bool:
        return self.score >= self.needed


class AnswerError(ValueError):
    """Answers that cannot be marked: a question missing, or an option that is not there."""

    def __init__(self, unanswered: list[str]) -> None:
        super().__init__(", ".join(unanswered))
        self.unanswered = unanswered


def mark(check: KnowledgeCheck, answers: Mapping[str, Iterable[int]]) -> Marking:
    """Mark ``answers`` (question key -> option indexes picked) against ``check``.

    A question is right when exactly its correct options are picked. Every question must
    be answered, with one option where only one is right; otherwise AnswerError names the
    questions to answer.
    """
    results = []
    unanswered = []
    for question in check.questions:
        chosen = tuple(sorted(set(answers.get(question.key, ()))))
        valid = chosen and all(0 <= i < len(question.options) for i in chosen)
        if not valid or (not question.multiple and len(chosen) != 1):
            unanswered.append(question.key)
            continue
        results.append(QuestionResult(question=question, chosen=chosen))
    if unanswered:
        raise AnswerError(unanswered)
    return Marking(results=tuple(results), needed=check.needed, pass_mark=check.pass_mark)
