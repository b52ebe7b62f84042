"""The programme's own modules in content/modules: every file passes the checks, and the
curriculum meets the minimums the programme set itself (content/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.curriculum.activities import KnowledgeCheck, Reflection, Workshop
from lms.curriculum.content import load_directory

CONTENT = Path(__file__).parents[2] / "content" / "modules"
MODULES, ERRORS = load_directory(CONTENT)
CORE = [m for m in MODULES if m.core]

# The subjects the programme's curriculum must cover (issue 4), by slug.
REQUIRED_SLUGS = {
    "what-is-action-learning",
    "contracting-and-the-set-charter",
    "session-flow-and-time-keeping",
    "inquiry-not-advice",
    "group-dynamics-and-power",
    "inclusion-and-reasonable-adjustments",
    "actions-and-accountability",
    "online-and-blended-sets",
    "feedback-reflection-and-support",
    "working-with-gmts-trainees",
}


def test_every_module_file_passes_the_checks():
    problems = [f"{e.source}: {p}" for e in ERRORS for p in e.problems]
    assert problems == []


def test_the_curriculum_covers_every_required_subject_with_at_least_eight_core_modules():
    assert {m.slug for m in MODULES} >= REQUIRED_SLUGS
    assert len(CORE) >= 8


@pytest.mark.parametrize("module", CORE, ids=lambda m: m.slug)
def test_each_core_module_teaches_at_least_1200_words(module):
    assert module.words >= 1200, f"{module.slug} has {module.words} words of reading"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.slug)
def test_each_module_has_a_reflection_and_a_knowledge_check_of_five_questions(module):
    assert module.of_kind(Reflection), f"{module.slug} has no reflection prompt"
    checks = module.of_kind(KnowledgeCheck)
    assert checks, f"{module.slug} has no knowledge check"
    assert max(len(check.questions) for check in checks) >= 5


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.slug)
def test_every_question_teaches_through_its_feedback(module):
    """Feedback says why, so it is more than a word; no two options share feedback."""
    for check in module.of_kind(KnowledgeCheck):
        for question in check.questions:
            feedback = [option.feedback for option in question.options]
            assert all(len(text.split()) >= 5 for text in feedback), (module.slug, question.key)
            assert len(set(feedback)) == len(feedback), (module.slug, question.key)


def test_the_core_curriculum_has_live_workshops_leads_can_schedule():
    assert any(m.of_kind(Workshop) for m in CORE)
