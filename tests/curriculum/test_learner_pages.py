"""The modules as a trainee facilitator uses them: the list, a module, reading, reflecting,
knowledge checks with retries, prerequisites and completion; and who else may look."""

from __future__ import annotations

import pytest

from lms.accounts.models import Role
from lms.audit import AuditEvent
from lms.curriculum import queries
from lms.curriculum.models import ActivityProgress, ModuleCompletion, QuizAttempt, Reflection
from tests.curriculum.conftest import BASICS, MODULES, write_modules

RIGHT = {"q_formula": "0", "q_stages": ["0", "1"]}
WRONG = {"q_formula": "1", "q_stages": ["2"]}


@pytest.fixture
def learner(login_as, curriculum):
    return login_as(Role.FACILITATOR)


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def done_keys(db, user, slug: str) -> set[str]:
    module = queries.module_by_slug(slug)
    return set(
        db.session.scalars(
            db.select(ActivityProgress.activity_key).where(
                ActivityProgress.user_id == user.id, ActivityProgress.module_id == module.id
            )
        )
    )


def do_basics(client) -> None:
    client.post("/modules/basics/origins/read")
    client.post("/modules/basics/method/read")
    client.post("/modules/basics/experience/reflection", data={"answer": "When I was asked why."})
    client.post("/modules/basics/check/answers", data=RIGHT)


def test_the_list_shows_core_and_optional_modules_with_progress(learner):
    html = page(learner.get("/modules"))
    assert "You have completed 0 of 2 core modules." in html
    assert "Core modules" in html and "Optional modules" in html
    assert "The basics" in html and "Next steps" in html and "An optional extra" in html
    assert "Cannot start yet" in html  # next-steps needs the basics
    assert "No workshop days are booked for your intake yet" in html


def test_the_module_page_lists_outcomes_and_activities_in_order(learner):
    html = page(learner.get("/modules/basics"))
    assert "Explain the basics" in html
    positions = [
        html.index(t)
        for t in ("Where it started", "The method", "Your experience", "Check your understanding")
    ]
    assert positions == sorted(positions)
    assert "You have done 0 of 4 activities." in html
    assert "Mark this module as complete" not in html


def test_reading_a_page_shows_the_text_and_marking_it_read_moves_on(db, learner):
    html = page(learner.get("/modules/basics/origins"))
    assert "Reg Revans developed action learning." in html
    assert "Mark as read and continue" in html
    response = learner.post("/modules/basics/origins/read")
    assert response.status_code == 302
    assert response.headers["Location"] == "/modules/basics/method"
    assert done_keys(db, learner.user, "basics") == {"origins"}
    assert "You have read this page." in page(learner.get("/modules/basics/origins"))
    # Reading twice keeps one record.
    learner.post("/modules/basics/origins/read")
    assert done_keys(db, learner.user, "basics") == {"origins"}


def test_a_reflection_is_saved_to_the_portfolio_and_can_be_changed(db, learner):
    response = learner.post(
        "/modules/basics/experience/reflection", data={"answer": "  When my mentor asked why.  "}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/modules/basics/check"
    saved = db.session.scalar(db.select(Reflection).where(Reflection.user_id == learner.user.id))
    assert saved.answer == "When my mentor asked why."
    assert saved.prompt == "When have you learned most from a question?"
    assert "experience" in done_keys(db, learner.user, "basics")

    html = page(learner.get("/modules/basics/experience"))
    assert "When my mentor asked why." in html and "Last saved on" in html
    learner.post("/modules/basics/experience/reflection", data={"answer": "Changed my mind."})
    db.session.refresh(saved)
    assert saved.answer == "Changed my mind."
    assert db.session.scalar(db.select(db.func.count()).select_from(Reflection)) == 1
    listing = page(learner.get("/reflections"))
    assert "Changed my mind." in listing and "Your experience" in listing


def test_an_empty_reflection_is_refused_and_a_long_one_keeps_what_was_typed(db, learner):
    html = page(learner.post("/modules/basics/experience/reflection", data={"answer": "   "}))
    assert "There is a problem" in html and "Enter your reflection" in html
    long = "word " * 2001
    html = page(learner.post("/modules/basics/experience/reflection", data={"answer": long}))
    assert "Your reflection must be 10,000 characters or fewer" in html
    assert long.strip()[:200] in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Reflection)) == 0


def test_a_knowledge_check_is_marked_on_the_server_with_feedback_for_each_answer(db, learner):
    html = page(learner.get("/modules/basics/check"))
    assert "There are 2 questions." in html and "You need 1 correct answer to pass." in html
    assert "Select all that apply." in html
    assert "Right, Q is questioning insight." not in html  # no answers in the page

    response = learner.post("/modules/basics/check/answers", data=WRONG)
    assert response.status_code == 302
    html = page(learner.get(response.headers["Location"]))
    assert "You did not pass this time" in html and "You scored 0 out of 2" in html
    assert "Not quite; Q is questioning insight." in html  # the feedback for the pick made
    assert "No, a set has no lecture." in html
    assert "check" not in done_keys(db, learner.user, "basics")


def test_a_multiple_answer_question_missing_an_option_says_so(learner):
    response = learner.post(
        "/modules/basics/check/answers", data={"q_formula": "0", "q_stages": ["0"]}
    )
    html = page(learner.get(response.headers["Location"]))
    assert "You passed" in html and "You scored 1 out of 2." in html
    assert "there is at least one more correct answer" in html


def test_retries_are_allowed_and_the_best_score_is_kept(db, learner):
    learner.post("/modules/basics/check/answers", data=RIGHT)
    learner.post("/modules/basics/check/answers", data=WRONG)
    attempts = db.session.scalars(
        db.select(QuizAttempt)
        .where(QuizAttempt.user_id == learner.user.id)
        .order_by(QuizAttempt.id)
    ).all()
    assert [(a.score, a.is_passed) for a in attempts] == [(2, True), (0, False)]
    assert "check" in done_keys(db, learner.user, "basics")  # a later fail does not undo a pass
    assert "Your best score so far: 2 out of 2." in page(learner.get("/modules/basics/check"))
    assert "Your best score: 2 out of 2" in page(learner.get("/modules/basics"))


def test_unanswered_questions_are_listed_and_the_answers_given_are_kept(db, learner):
    html = page(learner.post("/modules/basics/check/answers", data={"q_stages": ["1"]}))
    assert "There is a problem" in html and "Answer question 1" in html
    assert 'value="1" checked' in html  # the checkbox ticked is still ticked
    assert db.session.scalar(db.select(db.func.count()).select_from(QuizAttempt)) == 0


def test_made_up_options_are_refused(db, learner):
    html = page(
        learner.post("/modules/basics/check/answers", data={"q_formula": "7", "q_stages": ["0"]})
    )
    assert "There is a problem" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(QuizAttempt)) == 0


def test_nobody_else_can_see_someones_answers(db, app, learner, make_user):
    from tests.conftest import sign_in

    location = learner.post("/modules/basics/check/answers", data=RIGHT).headers["Location"]
    assert learner.get(location).status_code == 200
    for role in (Role.FACILITATOR, Role.LEAD, Role.SUPERVISOR, Role.ADMIN):
        other = app.test_client()
        person = make_user(role)
        sign_in(other, person)
        assert other.get(location).status_code in (403, 404), role
    refusals = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "access.refused")
    ).all()
    assert len(refusals) == 4 and all(r.detail["path"] == location for r in refusals)


def test_prerequisites_are_enforced_with_a_clear_message(db, learner):
    html = page(learner.get("/modules/next-steps"))
    assert "You cannot start this module yet" in html
    assert 'href="/modules/basics"' in html
    html = page(learner.get("/modules/next-steps/running"))
    assert "You cannot start this module yet" in html
    assert "Keep time and hold the process." not in html
    response = learner.post("/modules/next-steps/running/read")
    assert response.status_code == 302
    assert done_keys(db, learner.user, "next-steps") == set()
    response = learner.post("/modules/next-steps/quiz/answers", data={"q_airtime": "0"})
    assert "You need to complete the modules this one builds on" in page(response)
    assert db.session.scalar(db.select(db.func.count()).select_from(QuizAttempt)) == 0


def test_a_module_can_be_completed_only_when_every_activity_is_done(db, learner):
    learner.post("/modules/basics/origins/read")
    response = learner.post("/modules/basics", follow_redirects=True)
    assert "You have done 1 of 4." in page(response)
    assert db.session.scalar(db.select(db.func.count()).select_from(ModuleCompletion)) == 0

    do_basics(learner)
    html = page(learner.get("/modules/basics"))
    assert "Mark this module as complete" in html
    response = learner.post("/modules/basics")
    assert response.headers["Location"] == "/modules"
    completion = db.session.scalar(db.select(ModuleCompletion))
    assert completion.user_id == learner.user.id and completion.version == 1
    html = page(learner.get("/modules"))
    assert "You have completed 1 of 2 core modules." in html
    # The next module is open now.
    assert "You cannot start this module yet" not in page(learner.get("/modules/next-steps"))


def test_completion_records_the_version_and_survives_an_update(db, learner, content_dir, sync):
    do_basics(learner)
    learner.post("/modules/basics")
    write_modules(
        content_dir, {**MODULES, "01-basics.md": BASICS.replace("The basics", "Basics, revised")}
    )
    sync(content_dir)
    html = page(learner.get("/modules/basics"))
    assert "You completed this module (version 1)." in html
    assert "it is now version 2" in html
    # Activities with the same keys stay done, so completing again records version 2.
    learner.post("/modules/basics")
    completion = db.session.scalar(db.select(ModuleCompletion))
    assert completion.version == 2


def test_readers_who_are_not_facilitators_see_the_modules_without_progress(
    db, login_as, curriculum
):
    for role in (Role.SUPERVISOR, Role.LEAD, Role.ADMIN):
        client = login_as(role)
        html = page(client.get("/modules"))
        assert "progress is kept only for trainee facilitators" in html
        assert "The basics" in html
        # The answer key is shown to staff reading a knowledge check.
        html = page(client.get("/modules/basics/check"))
        assert "Right, Q is questioning insight." in html and "Check my answers" not in html
        html = page(client.get("/modules/next-steps/running"))
        assert "Keep time and hold the process." in html  # nothing is locked for readers
        assert client.post("/modules/basics/origins/read").status_code == 403
        assert client.post("/modules/basics").status_code == 403
        assert client.get("/reflections").status_code == 403
        client.post("/sign-out")


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.TRAINEE, Role.REVIEWER])
def test_other_roles_cannot_see_the_modules(login_as, curriculum, role):
    client = login_as(role)
    for path in ("/modules", "/modules/basics", "/modules/basics/origins", "/reflections"):
        assert client.get(path).status_code == 403, path


def test_unknown_modules_and_activities_are_not_found(learner):
    assert learner.get("/modules/nope").status_code == 404
    assert learner.get("/modules/basics/nope").status_code == 404
    # An activity of another kind is not found at another kind's address.
    assert learner.post("/modules/basics/check/read").status_code == 404
    assert learner.post("/modules/basics/origins/answers", data=RIGHT).status_code == 404


def test_a_retired_module_disappears_but_its_records_are_kept(db, learner, content_dir, sync):
    learner.post("/modules/extra/more/read")
    write_modules(content_dir, {k: v for k, v in MODULES.items() if k != "03-extra.md"})
    sync(content_dir)
    assert "An optional extra" not in page(learner.get("/modules"))
    assert learner.get("/modules/extra").status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(ActivityProgress)) == 1


def test_the_list_of_modules_takes_the_same_number_of_queries_however_much_is_done(
    db, learner, count_queries, make_intake
):
    from lms.curriculum import services

    services.join_intake(make_intake(), learner.user)
    learner.get("/modules")
    with count_queries() as before:
        page(learner.get("/modules"))
    do_basics(learner)
    learner.post("/modules/basics")
    learner.post("/modules/extra/more/read")
    with count_queries() as after:
        page(learner.get("/modules"))
    assert after.count == before.count
    assert after.count <= 12, after.statements


def test_a_hostile_module_is_harmless_on_the_page(db, learner, content_dir, sync):
    from tests.curriculum.test_content import HOSTILE, assert_harmless

    write_modules(
        content_dir, {**MODULES, "01-basics.md": BASICS.replace("Questions, not advice.", HOSTILE)}
    )
    sync(content_dir)
    html = page(learner.get("/modules/basics/method"))
    reading = html.split('class="app-reading"', 1)[1].split("<form", 1)[0]
    assert_harmless(reading)
    assert "&lt;script&gt;" in reading
    assert "<script" not in html.split("<main", 1)[1]


def test_welsh_readers_are_told_the_module_texts_are_in_english(db, learner):
    notice = "The training modules are written in English"
    assert notice not in page(learner.get("/modules/basics"))
    learner.user.language = "cy"
    db.session.flush()
    html = page(learner.get("/modules/basics"))
    assert '<html lang="cy">' in html
    assert '<h1 lang="en">The basics</h1>' in html
    assert 'lang="en">Where it started' in html.replace("\n", "").replace("  ", "")
