"""Leads' set allocation pages: running the allocator, reading why, moving people, changing
facilitators, confirming (never while a rule is broken), discarding, who may use each
page, and a constant number of queries."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import url_for
from markupsafe import escape

from lms.accounts.models import Region, Role, User
from lms.applications.models import Application, ApplicationStatus, DeliveryMode
from lms.curriculum.services import join_intake
from lms.extensions import db
from lms.notifications.models import Notification
from lms.practice import allocation, allocation_data, allocation_runs
from lms.practice.models import AllocationRun, PracticeSet, SetStatus, TraineeProfile

COHORT = "GMTS A"
FACILITATORS_TRUST = "Facilitators' Trust"
LINE_MANAGER_RULE = "A line manager and their direct report are in the same set"
NOBODY_CAN_TAKE = "Every facilitator team has someone from their organisation or their line manager"


@pytest.fixture
def login(client, login):
    """Sign in, first signing out whoever was signed in (so one test can switch people)."""

    def switch(user):
        client._cookies.clear()
        return login(user)

    return switch


@pytest.fixture
def lead(make_user):
    return make_user(Role.LEAD, name="Lena Lead")


@pytest.fixture
def intake(make_intake):
    return make_intake(name="Sets intake")


@pytest.fixture
def organisation(make_organisation):
    """The organisation of this name, made the first time it is asked for."""
    made = {}

    def get(name: str):
        if name not in made:
            made[name] = make_organisation(name)
        return made[name]

    return get


@pytest.fixture
def make_facilitator(make_user, intake, organisation):
    """A facilitator in the intake with the accepted application that brought them in."""

    def make(name: str, org: str = FACILITATORS_TRUST, mode=DeliveryMode.ONLINE):
        user = make_user(Role.FACILITATOR, name=name, organisation=organisation(org))
        membership = join_intake(intake, user)
        application = Application(
            intake_id=intake.id,
            applicant_id=user.id,
            status=ApplicationStatus.ACCEPTED,
            organisation_id=organisation(org).id,
            region=Region.LONDON,
            preferred_mode=mode,
            job_title="Ward manager",
        )
        db.session.add(application)
        db.session.flush()
        membership.application_id = application.id
        db.session.flush()
        return user

    return make


@pytest.fixture
def make_trainee(make_user, organisation):
    """A GMTS trainee: their account and what the GMTS programme told us."""

    def make(name: str, org: str, line_manager=None, cohort: str = COHORT):
        user = make_user(Role.TRAINEE, name=name, organisation=organisation(org))
        db.session.add(
            TraineeProfile(
                user_id=user.id,
                gmts_intake=cohort,
                region=Region.LONDON,
                line_manager_email=line_manager.email if line_manager else None,
            )
        )
        db.session.flush()
        return user

    return make


@pytest.fixture
def world(make_facilitator, make_trainee, lead, intake):
    """Two facilitators from one trust, each a team of one; twelve trainees from four
    trusts, among them Mo who line-manages Rae; and Fay, who works where both
    facilitators do, so no set can take her."""
    facilitators = [make_facilitator("Fiona Facilitator"), make_facilitator("Frank Facilitator")]
    manager = make_trainee("Mo Manager", "Trust 0")
    report = make_trainee("Rae Report", "Trust 1", line_manager=manager)
    others = [make_trainee(f"Trainee {n}", f"Trust {n % 4}") for n in range(10)]
    fay = make_trainee("Fay Sameorg", FACILITATORS_TRUST)
    return SimpleNamespace(
        intake=intake,
        lead=lead,
        facilitators=facilitators,
        manager=manager,
        report=report,
        trainees=[manager, report, *others],
        fay=fay,
    )


def propose(w) -> AllocationRun:
    run = allocation_runs.run_allocation(w.intake, COHORT, None, by=w.lead)
    db.session.flush()
    return run


def proposed_sets(intake) -> list[PracticeSet]:
    return list(
        db.session.scalars(
            db.select(PracticeSet)
            .where(PracticeSet.intake_id == intake.id, PracticeSet.status == SetStatus.PROPOSED)
            .order_by(PracticeSet.id)
        )
    )


def set_of(user, sets) -> PracticeSet:
    return next(s for s in sets if user.id in s.member_ids)


def page_of(client, intake) -> str:
    response = client.get(f"/lead/practice/{intake.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- Explanations ----------------------------------------------------------------------------


def test_every_reason_the_allocator_gives_has_a_plain_english_sentence():
    for code in allocation.REASON_CODES:
        assert code in allocation_data.REASON_LABELS, code
        assert allocation_data.reason_text({"code": code}) != code


# --- The workflow ----------------------------------------------------------------------------


def test_the_lead_runs_the_allocator_and_reads_why(world, login, outbox):
    client = login(world.lead)
    page = page_of(client, world.intake)
    assert "Propose sets" in page and COHORT in page and "Follow each team's preference" in page

    response = client.post(
        f"/lead/practice/{world.intake.id}/allocate",
        data={"allocate-gmts_intake": COHORT, "allocate-mode": ""},
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/lead/practice/{world.intake.id}#proposal")

    sets = proposed_sets(world.intake)
    assert len(sets) == 2
    assert set_of(world.manager, sets) is not set_of(world.report, sets)
    page = page_of(client, world.intake)
    assert "2 sets proposed" in page and "1 trainee could not be placed" in page
    assert "Proposed sets" in page and "only leads can see them" in page
    for person in (*world.facilitators, *world.trainees):
        assert person.name in page
    assert escape(FACILITATORS_TRUST) in page  # the facilitators' organisation, escaped
    assert world.manager.email in page  # Rae's line manager, in her row
    # The preferences not met, and why Fay has no set: in plain English.
    assert "More than one trainee from the same organisation" in page
    assert "Trainees who could not be placed" in page and "Fay Sameorg" in page
    assert NOBODY_CAN_TAKE in page
    assert "Breaks a rule" not in page
    # Nobody hears about a proposal.
    assert outbox() == []
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0


def test_proposed_sets_are_for_leads_only(world, login):
    run = propose(world)
    practice_set = proposed_sets(world.intake)[0]
    facilitator = db.session.get(User, practice_set.facilitator_ids[0])
    client = login(facilitator)
    assert client.get(f"/lead/practice/{world.intake.id}").status_code == 403
    assert client.get(f"/practice/sets/{practice_set.id}").status_code == 404
    client = login(world.manager)
    assert client.get(f"/practice/sets/{practice_set.id}").status_code == 404
    assert run.confirmed_at is None


def test_a_move_that_breaks_a_rule_is_shown_and_confirming_is_refused(world, login, outbox):
    run = propose(world)
    client = login(world.lead)
    sets = proposed_sets(world.intake)
    home, away = set_of(world.report, sets), set_of(world.manager, sets)

    response = client.post(
        f"/lead/practice/runs/{run.id}/move",
        data={"move-trainee": world.report.id, "move-to_set": away.id},
    )
    assert response.status_code == 302
    assert response.location.endswith(f"#set-{away.id}")
    page = page_of(client, world.intake)
    assert "Breaks a rule" in page and LINE_MANAGER_RULE in page
    assert page.count("1 set breaks a rule, so the sets cannot be confirmed yet") == 1
    assert page.count("This set breaks a rule") == 1
    assert "{&#39;text&#39;" not in page and "{'text'" not in page

    # Refused even by a direct POST, with the reason in an error summary.
    refused = client.post(f"/lead/practice/runs/{run.id}/confirm")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "There is a problem" in text and f"{away.name} breaks a rule" in text
    assert {s.status for s in proposed_sets(world.intake)} == {SetStatus.PROPOSED}
    assert outbox() == []

    # Put her back, and the sets can be confirmed.
    back = client.post(
        f"/lead/practice/runs/{run.id}/move",
        data={"move-trainee": world.report.id, "move-to_set": home.id},
    )
    assert back.status_code == 302
    assert "Breaks a rule" not in page_of(client, world.intake)
    done = client.post(f"/lead/practice/runs/{run.id}/confirm")
    assert done.status_code == 302 and done.location.endswith("#confirmed-sets")
    page = page_of(client, world.intake)
    assert "2 sets confirmed. Their facilitators and trainees have been told." in page
    assert "Proposed sets" not in page
    for s in sets:
        assert f"/practice/sets/{s.id}" in page
    confirmed = db.session.scalars(
        db.select(PracticeSet).where(PracticeSet.intake_id == world.intake.id)
    ).all()
    assert {s.status for s in confirmed} == {SetStatus.CONFIRMED}
    assert db.session.get(AllocationRun, run.id).confirmed_at is not None

    told = {e.recipient for e in outbox()}
    assert {f.email for f in world.facilitators} <= told
    assert {t.email for t in world.trainees} <= told
    assert world.fay.email not in told
    notified = set(db.session.scalars(db.select(Notification.user_id)))
    assert {p.id for p in (*world.facilitators, *world.trainees)} <= notified


def test_giving_one_facilitator_two_sets_breaks_a_rule(world, login):
    run = propose(world)
    client = login(world.lead)
    first = proposed_sets(world.intake)[0]
    both = [f.id for f in world.facilitators]
    response = client.post(
        f"/lead/practice/sets/{first.id}/facilitators",
        data={f"set{first.id}-facilitators": both},
    )
    assert response.status_code == 302
    assert set(db.session.get(PracticeSet, first.id).facilitator_ids) == set(both)
    page = page_of(client, world.intake)
    assert "A facilitator is facilitating more than one set" in page
    refused = client.post(f"/lead/practice/runs/{run.id}/confirm")
    assert refused.status_code == 400

    empty = client.post(f"/lead/practice/sets/{first.id}/facilitators", data={})
    assert empty.status_code == 400
    assert "Select one, two or three facilitators" in empty.get_data(as_text=True)


def test_a_confirmed_set_cannot_be_edited(world, login):
    run = propose(world)
    sets = proposed_sets(world.intake)
    allocation_runs.confirm_run(run, by=world.lead)
    client = login(world.lead)
    target = set_of(world.manager, sets)
    response = client.post(
        f"/lead/practice/runs/{run.id}/move",
        data={"move-trainee": world.report.id, "move-to_set": target.id},
    )
    assert response.status_code == 400
    assert "This set has been confirmed" in response.get_data(as_text=True)
    assert world.report.id not in db.session.get(PracticeSet, target.id).member_ids

    response = client.post(
        f"/lead/practice/sets/{target.id}/facilitators",
        data={f"set{target.id}-facilitators": [world.facilitators[0].id]},
    )
    assert response.status_code == 400 and "There is a problem" in response.get_data(as_text=True)
    again = client.post(f"/lead/practice/runs/{run.id}/confirm")
    assert again.status_code == 400
    assert "already been confirmed or discarded" in again.get_data(as_text=True)


def test_an_unplaced_trainee_can_be_moved_into_a_set(world, login):
    run = propose(world)
    client = login(world.lead)
    target = proposed_sets(world.intake)[0]
    response = client.post(
        f"/lead/practice/runs/{run.id}/move",
        data={"move-trainee": world.fay.id, "move-to_set": target.id},
    )
    assert response.status_code == 302
    page = page_of(client, world.intake)
    assert "Trainees who could not be placed" not in page
    # She works where the facilitators do: a broken rule the lead can see.
    assert "A trainee is from the same organisation as a facilitator" in page


def test_discarding_the_proposal(world, login):
    run = propose(world)
    client = login(world.lead)
    response = client.post(f"/lead/practice/{world.intake.id}/discard")
    assert response.status_code == 302 and response.location.endswith("#allocate")
    page = page_of(client, world.intake)
    assert "The proposed sets have been discarded" in page
    assert "Proposed sets" not in page
    assert proposed_sets(world.intake) == []
    assert db.session.get(AllocationRun, run.id).discarded_at is not None


def test_allocation_form_errors_keep_what_was_chosen(world, login, make_set):
    client = login(world.lead)
    response = client.post(
        f"/lead/practice/{world.intake.id}/allocate",
        data={"allocate-gmts_intake": "", "allocate-mode": "in_person"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in text and "Select the GMTS intake to allocate" in text
    assert '<option value="in_person" selected' in text

    # A cohort whose trainees are all in confirmed sets already.
    make_set(intake=world.intake, name="Confirmed")  # its trainees are in "GMTS 2026"
    response = client.post(
        f"/lead/practice/{world.intake.id}/allocate",
        data={"allocate-gmts_intake": "GMTS 2026", "allocate-mode": ""},
    )
    assert response.status_code == 400
    assert "Everyone in this GMTS intake is already in a set" in response.get_data(as_text=True)


def test_the_overview_counts_sets_and_trainees(world, login, make_set):
    propose(world)
    make_set(intake=world.intake, name="Confirmed")
    page = login(world.lead).get("/lead/practice").get_data(as_text=True)
    assert world.intake.name in page and f"/lead/practice/{world.intake.id}" in page
    row = page[page.index(world.intake.name) :]
    row = row[: row.index("</tr>")]
    # Four facilitators (our two, and the confirmed set's two), 1 confirmed set, 2 proposed.
    cells = [c.split("<")[0] for c in row.split('numeric">')[1:]]
    assert cells == ["4", "1", "2"]
    cohort_row = page[page.index(f">{COHORT}<") :]
    cohort_row = cohort_row[: cohort_row.index("</tr>")]
    assert [c.split("<")[0] for c in cohort_row.split('numeric">')[1:]] == ["13", "13"]
    assert f'href="{url_for("practice.import_trainees", _external=False)}"' in page
    assert f'href="{url_for("practice.list_trainees", _external=False)}"' in page


# --- Who may use each page -------------------------------------------------------------------


def urls(w, run, practice_set):
    i = w.intake.id
    return {
        "overview": ("GET", "/lead/practice"),
        "intake": ("GET", f"/lead/practice/{i}"),
        "allocate": ("POST", f"/lead/practice/{i}/allocate"),
        "move": ("POST", f"/lead/practice/runs/{run.id}/move"),
        "facilitators": ("POST", f"/lead/practice/sets/{practice_set.id}/facilitators"),
        "confirm": ("POST", f"/lead/practice/runs/{run.id}/confirm"),
        "discard": ("POST", f"/lead/practice/{i}/discard"),
    }


OTHER_ROLES = [Role.APPLICANT, Role.FACILITATOR, Role.TRAINEE, Role.SUPERVISOR, Role.REVIEWER]


@pytest.mark.parametrize("role", [*OTHER_ROLES, Role.ADMIN])
def test_only_leads_may_use_the_allocation_pages(world, login, make_user, role):
    run = propose(world)
    pages = urls(world, run, proposed_sets(world.intake)[0])
    client = login(make_user(role))
    for method, url in pages.values():
        response = client.get(url) if method == "GET" else client.post(url, data={})
        assert response.status_code == 403, url
    # Nothing changed.
    assert len(proposed_sets(world.intake)) == 2


def test_anonymous_people_are_sent_to_sign_in(world, client):
    run = propose(world)
    for method, url in urls(world, run, proposed_sets(world.intake)[0]).values():
        response = client.get(url) if method == "GET" else client.post(url)
        assert response.status_code == 302 and "/sign-in" in response.location, url


def test_unknown_records_are_not_found(world, login):
    client = login(world.lead)
    assert client.get("/lead/practice/999999").status_code == 404
    assert client.post("/lead/practice/runs/999999/confirm").status_code == 404
    assert client.post("/lead/practice/runs/999999/move").status_code == 404
    assert client.post("/lead/practice/sets/999999/facilitators").status_code == 404


# --- Queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["intake", "overview"])
def test_pages_use_a_constant_number_of_queries(
    world, login, make_facilitator, make_trainee, make_set, count_queries, path
):
    # Something of every kind on the page: proposed sets, an unplaced trainee, a confirmed set.
    run = propose(world)
    make_set(intake=world.intake, name="Confirmed")
    client = login(world.lead)
    url = urls(world, run, proposed_sets(world.intake)[0])[path][1]
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    assert len(proposed_sets(world.intake)) == 2

    for n in range(4):
        make_facilitator(f"More Facilitator {n}")
    for n in range(24):
        make_trainee(f"More Trainee {n}", f"Trust {n % 4}")
    propose(world)
    for _ in range(2):
        make_set(intake=world.intake, name=f"Confirmed {_}")
    assert len(proposed_sets(world.intake)) == 6
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count, "\n".join(large.statements)
