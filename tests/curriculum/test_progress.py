"""Knowledge-check marking and progress rules, on plain data (no database, no request)."""

from __future__ import annotations

import pytest

from lms.curriculum.activities import KnowledgeCheck, Option, Question
from lms.curriculum.progress import (
    AnswerError,
    ModuleInfo,
    ModuleState,
    mark,
    module_progress,
    overall,
)


def question(key: str, correct: set[int], n: int = 3) -> Question:
    return Question(
        key=key,
        text=f"Question {key}",
        options=tuple(
            Option(text=f"Option {i}", feedback=f"Because {i}.", correct=i in correct)
            for i in range(n)
        ),
    )


CHECK = KnowledgeCheck(
    key="check",
    title="Check",
    pass_mark=80,
    questions=(
        question("one", {0}),
        question("two", {1}),
        question("many", {0, 2}),
        question("four", {2}),
        question("five", {1}),
    ),
)
RIGHT = {"one": [0], "two": [1], "many": [0, 2], "four": [2], "five": [1]}


def test_every_right_answer_scores_full_marks_and_passes():
    marking = mark(CHECK, RIGHT)
    assert (marking.score, marking.total, marking.needed) == (5, 5, 4)
    assert marking.is_passed
    assert all(result.is_correct for result in marking.results)


def test_a_wrong_answer_loses_its_mark_and_the_pass_mark_decides():
    one_wrong = {**RIGHT, "one": [1]}
    assert mark(CHECK, one_wrong).score == 4 and mark(CHECK, one_wrong).is_passed
    two_wrong = {**one_wrong, "two": [2]}
    marking = mark(CHECK, two_wrong)
    assert marking.score == 3 and not marking.is_passed
    assert [r.is_correct for r in marking.results] == [False, False, True, True, True]


@pytest.mark.parametrize(
    ("picked", "right", "missed_some"),
    [
        ([0, 2], True, False),
        ([2, 0, 2], True, False),  # repeats and order do not matter
        ([0], False, True),  # right so far, but one correct option missed
        ([0, 1, 2], False, False),  # every correct option, and a wrong one
        ([1], False, False),
    ],
)
def test_a_multiple_answer_question_needs_every_correct_option_and_no_other(
    picked, right, missed_some
):
    result = mark(CHECK, {**RIGHT, "many": picked}).results[2]
    assert result.is_correct is right
    assert result.missed_some is missed_some


def test_unanswered_questions_and_made_up_options_cannot_be_marked():
    with pytest.raises(AnswerError) as caught:
        mark(CHECK, {"one": [0], "two": [], "many": [0, 9], "four": [0, 2]})
    # "four" has one right answer, so two picks are not an answer; "five" is missing.
    assert caught.value.unanswered == ["two", "many", "four", "five"]


def test_the_pass_mark_is_a_percentage_rounded_up():
    assert CHECK.needed == 4  # 80% of 5
    assert (
        KnowledgeCheck(key="k", title="t", pass_mark=50, questions=CHECK.questions[:3]).needed == 2
    )
    assert KnowledgeCheck(key="k", title="t", pass_mark=1, questions=CHECK.questions).needed == 1


A = ModuleInfo(id=1, slug="a", version=1, is_core=True, activity_keys=("r1", "r2", "q"))
B = ModuleInfo(id=2, slug="b", version=3, is_core=True, activity_keys=("r",), prerequisites=("a",))
C = ModuleInfo(
    id=3, slug="c", version=1, is_core=False, activity_keys=("r",), prerequisites=("gone",)
)


def test_states_follow_what_has_been_done():
    progress = module_progress([A, B, C], {}, {})
    assert progress[1].state is ModuleState.NOT_STARTED
    assert progress[2].state is ModuleState.LOCKED and progress[2].missing_prerequisites == ("a",)
    # A prerequisite that is no longer in the curriculum is ignored.
    assert progress[3].state is ModuleState.NOT_STARTED

    progress = module_progress([A, B, C], {1: ["r1", "old-key"]}, {})
    assert progress[1].state is ModuleState.IN_PROGRESS
    assert (progress[1].done, progress[1].total) == (1, 3)  # keys no longer in use do not count
    assert not progress[1].can_complete

    progress = module_progress([A, B, C], {1: ["r1", "r2", "q"]}, {})
    assert progress[1].all_done and progress[1].can_complete
    assert progress[2].is_locked


def test_completing_a_module_unlocks_the_next_and_records_the_version():
    progress = module_progress([A, B, C], {1: ["r1", "r2", "q"]}, {1: 1})
    assert progress[1].state is ModuleState.COMPLETED and not progress[1].can_complete
    assert progress[2].state is ModuleState.NOT_STARTED

    # B was completed at version 2 and is now at version 3: still complete, marked updated,
    # and completing it again (once everything is done) records the new version.
    progress = module_progress([A, B, C], {2: ["r"]}, {1: 1, 2: 2})
    assert progress[2].is_completed and progress[2].updated_since_completion
    assert progress[2].can_complete
    # A completed module stays completed even if its prerequisite is not.
    progress = module_progress([A, B, C], {}, {2: 3})
    assert progress[2].state is ModuleState.COMPLETED and not progress[2].is_locked


def test_overall_counts_core_and_optional_separately():
    totals = overall(module_progress([A, B, C], {}, {1: 1, 3: 1}).values())
    assert (totals.core_completed, totals.core_total) == (1, 2)
    assert (totals.optional_completed, totals.optional_total) == (1, 1)
    assert not totals.core_done
    assert overall(module_progress([A, B, C], {}, {1: 1, 2: 3}).values()).core_done
