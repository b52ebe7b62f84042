"""Fixtures for the curriculum: small module files written for the tests, synced into the
database, and facilitators in an intake."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from textwrap import dedent

import pytest

from lms.accounts.models import Role, User
from lms.curriculum import queries, services
from lms.curriculum.content import load_directory
from lms.curriculum.models import Module, WorkshopDay, WorkshopMode
from lms.curriculum.sync import sync_modules
from lms.db_types import utcnow

BASICS = """\
---
slug: basics
title: The basics
summary: Where it all starts.
order: 1
core: true
estimated_minutes: 30
learning_outcomes:
  - Explain the basics
activities:
  - reading: origins
  - reading: method
  - reflection: experience
    title: Your experience
    prompt: When have you learned most from a question?
    hint: A few sentences is enough.
  - knowledge_check: check
    title: Check your understanding
    pass_mark: 50
    questions:
      - key: formula
        text: In L = P + Q, what is Q?
        options:
          - text: Questioning insight
            correct: true
            feedback: Right, Q is questioning insight.
          - text: Quality
            feedback: Not quite; Q is questioning insight.
      - key: stages
        text: Which are stages of a session?
        options:
          - text: Check-in
            correct: true
            feedback: Yes, check-in opens every session.
          - text: Check-out
            correct: true
            feedback: Yes, check-out closes every session.
          - text: Lecture
            feedback: No, a set has no lecture.
---

# Where it started {#origins}

Reg Revans developed action learning.

# The method {#method}

Questions, not advice.
"""

NEXT_STEPS = """\
---
slug: next-steps
title: Next steps
summary: Building on the basics.
order: 2
core: true
estimated_minutes: 45
prerequisites: [basics]
learning_outcomes:
  - Run a session
activities:
  - reading: running
  - knowledge_check: quiz
    title: Quick quiz
    pass_mark: 100
    questions:
      - key: airtime
        text: Who gets airtime?
        options:
          - text: Everyone, equally
            correct: true
            feedback: Yes, equal airtime is in the charter.
          - text: The most senior
            feedback: No, equal airtime is in the charter.
  - workshop: practice-day
    title: Practice day
    description: A live day of practice.
    duration_minutes: 360
---

# Running a session {#running}

Keep time and hold the process.
"""

EXTRA = """\
---
slug: extra
title: An optional extra
summary: For those who want more.
order: 3
core: false
estimated_minutes: 20
learning_outcomes:
  - Go further
activities:
  - reading: more
---

# More reading {#more}

Further reading.
"""

MODULES = {"01-basics.md": BASICS, "02-next-steps.md": NEXT_STEPS, "03-extra.md": EXTRA}


def write_modules(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.md"):
        old.unlink()
    for name, text in files.items():
        (folder / name).write_text(dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def content_dir(tmp_path) -> Path:
    return write_modules(tmp_path / "modules", MODULES)


@pytest.fixture
def sync(db) -> Callable[[Path], object]:
    def do(folder: Path):
        modules, errors = load_directory(folder)
        assert errors == [], [p for e in errors for p in e.problems]
        return sync_modules(modules)

    return do


@pytest.fixture
def curriculum(db, content_dir, sync) -> dict[str, Module]:
    """The three test modules, synced; by slug."""
    sync(content_dir)
    return {m.slug: m for m in queries.current_modules()}


@pytest.fixture
def make_intake_member(db, make_user) -> Callable[..., User]:
    """A trainee facilitator in ``intake``."""

    def make(intake, **fields) -> User:
        user = make_user(Role.FACILITATOR, **fields)
        services.join_intake(intake, user)
        return user

    return make


def schedule_day(intake, module: Module, by: User, *, days: int = 7, **changes) -> WorkshopDay:
    """A day of the test curriculum's practice workshop, ``days`` from now (negative: past),
    09:30 to 15:30 UTC, in person unless ``changes`` say otherwise."""
    starts = (utcnow() + timedelta(days=days)).replace(hour=9, minute=30, second=0, microsecond=0)
    values = {
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=6),
        "mode": WorkshopMode.IN_PERSON,
        "venue": "Room 4, Education Centre, Leeds",
        **changes,
    }
    plan = services.WorkshopPlan(**values)
    return services.schedule_workshop(intake, module, "practice-day", plan, by=by)
