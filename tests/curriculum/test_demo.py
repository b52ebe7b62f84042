"""The demo's training progress, built from the real modules: the demo facilitator part-way,
Kwame Asante finished, workshop days held and one to come."""

from __future__ import annotations

from lms.accounts.models import User
from lms.applications.models import Intake
from lms.curriculum import queries
from lms.curriculum.models import QuizAttempt, Reflection, WorkshopDay
from lms.curriculum.progress import overall
from lms.db_types import utcnow
from lms.demo import seed_demo


def person(db, email: str) -> User:
    return db.session.scalar(db.select(User).where(User.email == email))


def test_the_demo_has_a_facilitator_part_way_and_one_finished(db):
    seed_demo()
    modules = queries.current_modules()
    fatima = person(db, "facilitator@example.org")
    kwame = person(db, "kwame.asante@example.org")

    finished = overall(queries.progress_for(kwame.id, modules).values())
    assert finished.core_done

    partway = queries.progress_for(fatima.id, modules)
    totals = overall(partway.values())
    assert 0 < totals.core_completed < totals.core_total
    assert any(p.state.value == "in_progress" for p in partway.values())
    # She failed a knowledge check once before passing it, and has written reflections.
    scores = db.session.scalars(
        db.select(QuizAttempt.is_passed).where(QuizAttempt.user_id == fatima.id)
    ).all()
    assert False in scores and True in scores
    assert db.session.scalar(
        db.select(db.func.count()).select_from(Reflection).where(Reflection.user_id == fatima.id)
    )

    running = db.session.scalar(db.select(Intake).where(Intake.name == "Running demo intake"))
    days = db.session.scalars(db.select(WorkshopDay).where(WorkshopDay.intake_id == running.id))
    starts = [day.starts_at for day in days]
    assert any(s < utcnow() for s in starts) and any(s > utcnow() for s in starts)
    assert {p.user.email for p in queries.intake_progress(running.id, modules)} >= {
        "facilitator@example.org",
        "kwame.asante@example.org",
    }


def test_seeding_the_demo_twice_adds_no_more_progress(db):
    seed_demo()
    counts = [
        db.session.scalar(db.select(db.func.count()).select_from(table))
        for table in (QuizAttempt, Reflection, WorkshopDay)
    ]
    seed_demo()
    assert counts == [
        db.session.scalar(db.select(db.func.count()).select_from(table))
        for table in (QuizAttempt, Reflection, WorkshopDay)
    ]
