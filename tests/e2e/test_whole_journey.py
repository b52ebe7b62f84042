"""The whole programme in a real browser (issue 9), in English and then in Welsh: one new
person goes all the way from applying to holding the award, and every step is taken by the
right person in their own browser context.

The lead opens a new intake with small award criteria (one of everything) so the journey
stays short; two people apply (the second quickly), so that they can be buddies and
co-facilitate. Sessions can only be booked in the future and registers kept once they have
started, so the supervisor and the facilitator book theirs for the next minute or two as
soon as the lead has set the programme up, and the journey waits (rarely) only if the
modules took less time than that.

axe-core (WCAG 2.2 A and AA, and best practice) and a clean console on every page anyone
lands on, and, in the Welsh run, every page in Welsh once its person has chosen Cymraeg.
Demo accounts are switched back to English at the end, for the journeys after this one.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from lms.applications.models import RUBRIC
from lms.assessment.forms import HAS_THRESHOLD
from lms.assessment.schemes import SESSIONS_PER_SET_FIELD, threshold_field
from lms.buddy.models import CheckInTopic
from lms.demo import DEMO_PASSWORD
from lms.practice import holidays
from lms.supervision.models import Criterion
from tests.e2e.conftest import SKIP_REASON, Tab, chromium_executable, in_ci
from tests.e2e.journey_steps import (
    Actor,
    Cast,
    Journey,
    choose,
    complete_core_modules,
    fill_date,
    hold_workshop_days,
    link_in,
    london_now,
    read_email,
    soon,
    wait_until,
)

if chromium_executable() is None and not in_ci():
    pytest.skip(SKIP_REASON, allow_module_level=True)

pytestmark = pytest.mark.browser

PEOPLE = {  # the two applicants in each run: names, organisations (not a reviewer's)
    "en": (
        ("Alys Morgan", "NHS North East London Integrated Care Board"),
        ("Bryn Davies", "Cardiff and Vale University Health Board"),
    ),
    "cy": (
        ("Elin Pritchard", "NHS North East London Integrated Care Board"),
        ("Gethin Rees", "Cardiff and Vale University Health Board"),
    ),
}
TRAINEES = ["Nia Roberts", "Tomos Evans", "Grace Okafor", "Harry Patel", "Mei Chen"]
TRAINEE_ORGANISATIONS = ["Riverside Community Trust", "Hillview Hospitals NHS Trust"]
IMPORT_HEADER = "Name,Email,Organisation,Region,GMTS intake,Line manager's email,Mode"
LEAD, SUPERVISOR, ADMIN = "lead@example.org", "supervisor@example.org", "admin@example.org"
REVIEWERS = [
    ("Rhys Reviewer", "reviewer@example.org"),
    ("Rachel Reviewer", "reviewer2@example.org"),
]


# --- The lead opens the intake --------------------------------------------------------------


def open_intake(lead: Actor, name: str) -> int:
    """A new intake, open for applications from today; returns its id."""
    page, today = lead.page, london_now().date()
    lead.home_link("Intakes")
    lead.click(lead.button("Create an intake"))
    page.locator("#name").fill(name)
    fill_date(page, "opens_on", today)
    fill_date(page, "closes_on", today + timedelta(days=14))
    fill_date(page, "programme_starts_on", today + timedelta(days=21))
    page.locator("#capacity").fill("12")
    choose(page, "delivery_modes", "online")
    choose(page, "delivery_modes", "blended")
    for region in ("london", "wales"):
        choose(page, "regions", region)
    lead.press("Save intake")
    lead.banner("%(name)s has been saved", name=name)
    edit = lead.named_link(name).get_attribute("href")
    return int(re.fullmatch(r"/lead/intakes/(\d+)/edit", edit).group(1))


def set_small_award_criteria(lead: Actor, intake: str) -> None:
    """One of everything (and every core module), so that one journey can meet it."""
    page = lead.page
    lead.home_link("Awards")
    lead.click(lead.named_link(intake))
    lead.follow("Change the award criteria for this intake")
    for kind in HAS_THRESHOLD:
        page.locator(f"#{threshold_field(kind)}").fill("1")
    page.locator(f"#{SESSIONS_PER_SET_FIELD}").fill("1")
    for box in page.locator("input[type=checkbox][name$='_required']").all():
        expect(box).to_be_checked()
    lead.press("Save the award criteria")
    lead.banner("The award criteria for %(intake)s have been saved", intake=intake)


# --- Applying and selection -----------------------------------------------------------------


def register(applicant: Actor) -> None:
    page = applicant.page
    applicant.goto("/register")
    applicant.speak()  # anonymous: the choice is kept for the account about to be made
    page.locator("#name").fill(applicant.name)
    page.locator("#email").fill(applicant.email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("#confirm").fill(DEMO_PASSWORD)
    applicant.press("Create account")
    applicant.at("/")


def apply(applicant: Actor, intake: str, organisation: str, manager_email: str) -> str:
    """Apply to ``intake`` section by section from the task list and submit; returns the
    application's path."""
    page = applicant.page
    applicant.goto("/intakes")
    card = page.locator(".nhsuk-card", has=page.get_by_role("heading", name=intake, exact=True))
    applicant.click(
        card.get_by_role("link", name=applicant.w("Apply to %(intake)s", intake=intake))
    )
    applicant.press("Start your application")
    task_list = applicant.at(r"/applications/\d+")

    def role(p):
        p.locator("#job_title").fill("Service manager")
        p.locator("#organisation_id").select_option(label=organisation)
        choose(p, "staff_group", "allied_health")
        choose(p, "sector", "community")
        p.locator("#band").select_option(value="band_7")
        p.locator("#region").select_option(value="london")

    sections = {
        "personal": lambda p: p.locator("#phone").fill("01632 960 123"),
        "role": role,
        "eligibility": lambda p: (
            choose(p, "works_in_health_care", "yes"),
            choose(p, "can_commit_time", "yes"),
        ),
        "programmes": lambda p: choose(p, "previous_programmes", "none"),
        "experience": lambda p: p.locator("#facilitation_experience").fill(
            "I chair our team's monthly learning review."
        ),
        "motivation": lambda p: p.locator("#motivation").fill(
            "I want to help new leaders think clearly about their own real problems."
        ),
        "delivery": lambda p: (
            choose(p, "preferred_mode", "online"),
            p.locator("#availability").fill("Tuesday afternoons"),
        ),
        "adjustments": lambda p: choose(p, "has_adjustments", "no"),
        "manager": lambda p: (
            p.locator("#manager_name").fill("Morgan Manager"),
            p.locator("#manager_email").fill(manager_email),
        ),
    }
    for key, fill in sections.items():
        applicant.click(page.locator(f"a.nhsuk-task-list__link[href$='/sections/{key}']"))
        fill(page)
        applicant.press("Save and continue")
        applicant.at(task_list)
    applicant.follow("Check your answers")
    applicant.no_errors()
    applicant.press("Submit application")
    expect(page.locator(".nhsuk-panel")).to_contain_text(
        applicant.w("Your application to %(intake)s has been sent", intake=intake)
    )
    return task_list


def endorse(manager: Actor, admin: Actor, manager_email: str, applicant: str) -> None:
    """The line manager opens the link in their email, with no account at all."""
    path = link_in(read_email(admin, manager_email), r"/endorse/[A-Za-z0-9_\-]+")
    manager.goto(path)
    manager.speak()
    choose(manager.page, "decision", "endorsed")
    manager.press("Send your answer")
    expect(manager.page.locator(".nhsuk-panel")).to_contain_text(applicant)


def open_application(lead: Actor, intake_id: int, applicant: str) -> None:
    lead.home_link("Applications")
    lead.click(lead.page.locator(f"main a[href='/lead/intakes/{intake_id}/applications']"))
    lead.click(lead.named_link(applicant))
    expect(lead.page.get_by_role("heading", level=1)).to_have_text(applicant)


def score(reviewer: Actor, applicant: str, value: str) -> None:
    reviewer.home_link("Reviews")
    reviewer.click(reviewer.named_link(applicant))
    for criterion in RUBRIC:
        choose(reviewer.page, criterion.key, value)
    reviewer.page.locator("#comment").fill("Clear about what a set is for, and why.")
    reviewer.press("Submit scores")
    reviewer.at("/reviews")


def offer(lead: Actor, applicant: str) -> None:
    lead.press("Offer a place")
    lead.banner("%(name)s has been offered a place", name=applicant)


def accept(applicant: Actor, task_list: str, intake: str) -> None:
    applicant.goto(task_list)
    applicant.follow("Accept your place")
    applicant.press("Accept my place")
    applicant.at("/")
    applicant.banner("Welcome to %(intake)s. You are now a trainee facilitator.", intake=intake)


def selection(cast: Cast, lead: Actor, admin: Actor, intake: str, intake_id: int):
    """Two people apply; the first is endorsed, scored by two reviewers and offered a place,
    the second offered one straight away; both accept. Returns them."""
    lang = cast.journey.lang
    (first_name, first_org), (second_name, second_org) = PEOPLE[lang]
    people: dict[str, tuple[Actor, str]] = {}  # name: (person, their application's page)
    for n, (name, organisation) in enumerate(((first_name, first_org), (second_name, second_org))):
        person = cast.person(name, f"journey-{lang}-facilitator{n + 1}@example.org")
        register(person)
        manager_email = f"journey-{lang}-manager{n + 1}@example.org"
        people[name] = (person, apply(person, intake, organisation, manager_email))

    endorse(cast.person(), admin, f"journey-{lang}-manager1@example.org", first_name)
    open_application(lead, intake_id, first_name)
    expect(lead.page.get_by_role("main")).to_contain_text(lead.w("Endorsed"))
    for reviewer_name, _email in REVIEWERS:
        lead.page.get_by_label(re.compile(rf"{reviewer_name} \(")).check()
    lead.press("Assign chosen reviewers")
    for (reviewer_name, email), value in zip(REVIEWERS, ("4", "3"), strict=True):
        score(cast.signed_in(reviewer_name, email), first_name, value)
    lead.goto(lead.tab.path())
    expect(lead.page.get_by_role("main")).to_contain_text(
        lead.w("Mean total score: %(mean)s out of 16", mean="14.0")
    )
    offer(lead, first_name)
    open_application(lead, intake_id, second_name)
    offer(lead, second_name)
    for person, task_list in people.values():
        accept(person, task_list, intake)
    return people[first_name][0], people[second_name][0]


# --- The lead sets the programme up ---------------------------------------------------------


def form_supervision_group(lead: Actor, intake: str, group: str, members: list[Actor]) -> None:
    page = lead.page
    lead.home_link("Supervision groups")
    lead.click(lead.named_link(intake))
    lead.follow("Form a new group")
    page.locator("#name").fill(group)
    page.locator("#supervisor").select_option(label="Sam Supervisor")
    for person in members:
        page.get_by_role("checkbox", name=re.compile(rf"^{person.name}")).check()
    lead.press("Form the group")
    lead.banner("%(group)s has been formed", group=group)


def pair_buddies(lead: Actor, intake: str) -> None:
    lead.home_link("Buddy pairing")
    lead.click(lead.named_link(intake))
    lead.click(
        lead.page.get_by_role(
            "button",
            name=lead.w.plural(
                "Pair the %(num)d person without a buddy",
                "Pair the %(num)d people without a buddy",
                2,
            ),
        )
    )
    lead.press("Confirm these pairs and tell everyone")
    expect(lead.page.get_by_text(lead.w("Everyone in this intake has a buddy."))).to_be_visible()


def import_trainees(lead: Actor, cohort: str) -> list[tuple[str, str]]:
    """Upload a CSV of five GMTS trainees; returns their names and emails."""
    lang = lead.journey.lang
    page = lead.page
    lead.home_link("Sets and trainees")
    lead.follow("Import GMTS trainees")
    # The columns as the template file (in the lead's language) names them, and the
    # region and mode in the lead's language too.
    template = page.request.get(lead.tab.url("/lead/practice/trainees/import/template.csv"))
    header = template.text().removeprefix("\ufeff").splitlines()[0]
    assert (header == IMPORT_HEADER) is (lang == "en"), header
    region, mode = lead.w("London"), lead.w("Online")
    people, rows = [], []
    for n, name in enumerate(TRAINEES):
        email = f"journey.{lang}.{name.split()[0].lower()}@example.org"
        organisation = TRAINEE_ORGANISATIONS[n % 2]
        manager = f"lm{n}.{lang}@example.org"
        rows.append(f"{name},{email},{organisation},{region},{cohort},{manager},{mode}")
        people.append((name, email))
    body = header + "\r\n" + "\r\n".join(rows) + "\r\n"
    page.locator("input[type='file']").set_input_files(
        {"name": "trainees.csv", "mimeType": "text/csv", "buffer": body.encode()}
    )
    lead.press("Check the file")
    lead.no_errors()
    lead.press_plural("Import %(num)d trainee", "Import %(num)d trainees", len(TRAINEES))
    return people


def allocate_set(lead: Actor, intake: str, cohort: str, facilitators: list[Actor]) -> str:
    """Propose a set for the cohort, make sure the journey's pair facilitate it (not someone
    from the faculty), and confirm it. Returns the set's name."""
    page = lead.page
    lead.home_link("Sets and trainees")
    lead.click(lead.named_link(intake))
    page.locator("select[name$='gmts_intake']").select_option(label=cohort)
    lead.press("Propose sets")
    card = page.locator(".nhsuk-card[id^='set-']")
    expect(card).to_have_count(1)
    set_name = card.locator("h3").inner_text().split("\n")[0].strip()
    listed = card.locator("h4 + ul.nhsuk-list").first.inner_text()  # the facilitators
    if not all(person.name in listed for person in facilitators):
        # The allocator chose someone from the faculty: the lead gives the set to the pair.
        card.locator("summary").click()
        for box in card.get_by_role("checkbox").all():
            label = box.evaluate("(el) => el.labels[0].textContent")
            box.set_checked(any(person.name in label for person in facilitators))
        lead.click(card.get_by_role("button", name=lead.w("Change the facilitators")))
    for person in facilitators:
        expect(card.locator("h4 + ul.nhsuk-list").first).to_contain_text(person.name)
    lead.press("Confirm these sets")
    lead.no_errors()
    return set_name


# --- Bookings, made as soon as there is something to book -----------------------------------


def book_supervision(supervisor: Actor, group: str):
    """One session, as soon as it can be; returns when it starts."""
    page = supervisor.page
    supervisor.home_link("Supervision")
    supervisor.click(supervisor.named_link(group))
    supervisor.follow("Book a session or a series")
    when = soon()
    fill_date(page, "day", when.date())
    page.locator("#start").fill(when.strftime("%H:%M"))
    choose(page, "minutes", "60")
    choose(page, "mode", "online")
    page.locator("#joining_link").fill("https://meet.example.org/supervision")
    page.locator("#count").select_option("1")
    supervisor.press("Book and send invitations")
    supervisor.banner("Session booked. The group has been sent the invitation.")
    return when


def book_set_sessions(facilitator: Actor, set_name: str):
    """Four weekly sessions, the first as soon as it can be (on a day that is not a bank
    holiday where the set is, or it would move); returns when the first starts."""
    page = facilitator.page
    facilitator.home_link("Action learning sets")
    facilitator.click(facilitator.named_link(set_name))
    facilitator.follow("Book the sessions")
    when = soon()
    fill_date(page, "first", when.date())
    page.locator("#starts").fill(when.strftime("%H:%M"))
    choose(page, "count", "4")
    page.locator("#every_weeks").select_option("1")
    page.locator("#minutes").select_option("60")
    nation = next(n for n in holidays.NATIONS if holidays.holiday_on(n, when.date()) is None)
    choose(page, "nation", nation)
    if page.locator("#venue").count():
        page.locator("#venue").fill("Room 4, Education Centre")
    if page.locator("#joining_link").count():
        page.locator("#joining_link").fill("https://meet.example.org/set")
    facilitator.press("Check the dates")
    facilitator.no_errors()
    facilitator.press("Book these sessions")
    facilitator.banner(
        "Sessions booked. Everyone in the set has been sent the calendar invitation."
    )
    return when


# --- Supervision and buddies ----------------------------------------------------------------


def run_supervision(supervisor: Actor, group: str, starts, members: list[Actor]) -> None:
    """Once the session has started: the register and the notes."""
    page = supervisor.page
    wait_until(starts)
    supervisor.home_link("Supervision")
    supervisor.click(supervisor.named_link(group))
    supervisor.click(page.locator("main a[href^='/supervision/sessions/']").first)
    supervisor.follow("Keep the register")
    for person in members:
        group_box = page.get_by_role("group", name=re.compile("^" + re.escape(person.name)))
        group_box.locator("input[value=present]").check()
    supervisor.press("Save the register")
    supervisor.banner("The register has been saved")
    supervisor.follow("Write the shared summary and your private notes")
    page.locator("#shared_summary").fill("We practised holding silence after a question.")
    page.locator("#private_notes").fill("Both confident; ask about their first set next time.")
    supervisor.press("Save notes")
    supervisor.banner("Your notes have been saved")


def log_check_in(person: Actor) -> None:
    page = person.page
    person.home_link("Your buddy")
    person.follow("Log a check-in")
    fill_date(page, "met_on", london_now().date())
    page.locator("#minutes").fill("30")
    choose(page, "topics", CheckInTopic.SUPERVISION.value)
    page.locator("#notes").fill("Planned how we will share the first session.")
    person.press("Log the check-in")
    person.banner("Your check-in has been logged")


# --- The set --------------------------------------------------------------------------------


def trainee_joins(cast: Cast, admin: Actor, name: str, email: str, set_name: str) -> Actor:
    """A trainee chooses a password from their invitation, signs in and agrees to the
    set's charter."""
    path = link_in(read_email(admin, email), r"/reset-password/[A-Za-z0-9_\-]+")
    trainee = cast.person(name, email)
    trainee.goto(path)
    trainee.page.locator("#password").fill(DEMO_PASSWORD)
    trainee.page.locator("#confirm").fill(DEMO_PASSWORD)
    trainee.press("Save new password")
    trainee.at("/sign-in")
    trainee.sign_in()
    trainee.home_link("Action learning sets")
    trainee.click(trainee.named_link(set_name))
    trainee.follow("Read the charter")
    trainee.page.locator("#agree").check()
    trainee.press("I agree")
    trainee.banner("Thank you. You have agreed to the set's charter.")
    return trainee


def saved(actor: Actor, form) -> None:
    """A console form's autosave status says the server has it."""
    expect(form.locator("[data-save-status]")).to_have_text(
        actor.w.pattern("Saved at %(time)s", time=None)
    )


def run_first_session(facilitator: Actor, set_name: str, starts, trainees: list[str]) -> str:
    """From the console: start, the register, a presenter and their action, end; then the
    reflective log. Returns the session's path."""
    page = facilitator.page
    wait_until(starts)  # a log can only be written once the session has begun
    facilitator.home_link("Action learning sets")
    facilitator.click(facilitator.named_link(set_name))
    facilitator.follow("Session %(number)d", number=1)
    session = facilitator.at(r"/practice/sessions/\d+")
    facilitator.follow("Open the session console")
    facilitator.press("Start the session")
    register = page.locator("#register form")
    for name in trainees:
        row = register.get_by_role("group", name=re.compile("^" + re.escape(name)))
        row.locator("input[value=present]").check()
    saved(facilitator, register)
    facilitator.press("Add presenter")
    facilitator.banner("Presenter added")
    presentation = page.locator("[id^='presentation-'] form[data-autosave]")
    presentation.locator("textarea[name$='challenge']").fill("Handovers keep running late.")
    presentation.locator("textarea[name$='action_1_text']").fill(
        "Ask two colleagues what makes handover overrun, before changing anything"
    )
    saved(facilitator, presentation)
    facilitator.press("End the session")
    facilitator.banner("Session ended. Write your reflective log while it is fresh.")
    facilitator.at(rf"{session}/log")
    page.locator("#went_well").fill("I held the silence after questions and the set used it.")
    page.locator("#do_differently").fill("Leave more time for check-out.")
    facilitator.press("Save log")
    facilitator.banner("Your log of this session has been saved. It is part of your portfolio.")
    return session


def give_feedback(trainee: Actor, session: str) -> None:
    page = trainee.page
    trainee.goto(trainee.tab.path())  # the set's page, now that the session has been held
    trainee.click(page.locator(f"main a[href='{session}/feedback']"))
    for question in ("kept_to_time", "fair_say", "questions_helped", "clear_action"):
        choose(page, question, "4")
    page.locator("#comment").fill("Good pace; the questions helped me think.")
    trainee.press("Send feedback")
    trainee.banner("Thank you. Your feedback has been sent without your name.")


def observe_and_sign_off(supervisor: Actor, facilitator: Actor, session: str) -> None:
    page = supervisor.page
    session_id = session.rsplit("/", 1)[1]
    supervisor.home_link("Observations")
    table = page.get_by_role(
        "table", name=supervisor.w("Set sessions of %(name)s", name=facilitator.name)
    )
    supervisor.click(table.locator(f"a[href^='/supervision/observations/new/{session_id}/']"))
    for criterion in Criterion:
        choose(page, f"rating_{criterion.value}", "competent")
    choose(page, "outcome", "signed_off")
    supervisor.press("Record observation")
    supervisor.banner(
        "The observation has been recorded and %(name)s has been told", name=facilitator.name
    )


# --- The award ------------------------------------------------------------------------------


def submit_portfolio(facilitator: Actor) -> None:
    page = facilitator.page
    facilitator.goto("/")
    tags = page.locator(".nhsuk-summary-list .nhsuk-tag--green")
    expect(tags).to_have_count(6)  # every requirement met
    facilitator.follow("See what each requirement needs and submit your portfolio")
    page.locator("#personal_email").fill(facilitator.email.replace("example.org", "example.com"))
    page.locator("#declaration").check()
    facilitator.press("Submit your portfolio")
    facilitator.banner("Portfolio submitted")


def issue_award(lead: Actor, facilitator: Actor) -> tuple[str, str]:
    """Returns the lead's page of the award and its public verification address."""
    lead.home_link("Portfolios to review")
    lead.click(lead.named_link(facilitator.name))
    lead.press("Issue the award")
    lead.banner(
        "The award has been issued to %(name)s and they have been told. Their certificate "
        "is being prepared.",
        name=facilitator.name,
    )
    award = lead.at(r"/lead/awards/award/\d+")
    verify = lead.link("Open the public verification page").get_attribute("href")
    assert re.fullmatch(r"/verify/[0-9A-Z]{20}", verify), verify
    return award, verify


def verify(visitor: Actor, path: str, holder: str, status: str) -> None:
    visitor.goto(path)
    visitor.speak()
    main = visitor.page.get_by_role("main")
    expect(main).to_contain_text(holder)
    expect(main).to_contain_text(visitor.w(status))


def revoke(lead: Actor, award: str, holder: str) -> None:
    lead.goto(award)
    lead.follow("Revoke this award")
    lead.page.locator("#reason").fill("Issued in error: the portfolio was the wrong one.")
    lead.press("Revoke award")
    lead.banner("The award has been revoked and %(name)s has been told", name=holder)


# --- The journey ----------------------------------------------------------------------------


def whole_programme(cast: Cast) -> None:
    lang = cast.journey.lang
    intake, cohort = f"Whole journey intake ({lang})", f"GMTS journey cohort ({lang})"
    group = f"Journey group ({lang})"
    lead = cast.signed_in("Lowri Lead", LEAD)
    admin = cast.signed_in("Alex Admin", ADMIN)

    intake_id = open_intake(lead, intake)
    set_small_award_criteria(lead, intake)
    facilitator, buddy = selection(cast, lead, admin, intake, intake_id)
    pair = [facilitator, buddy]

    # The lead sets the programme up, and the first sessions are booked straight away.
    hold_workshop_days(lead, intake, pair)
    form_supervision_group(lead, intake, group, pair)
    pair_buddies(lead, intake)
    trainees = import_trainees(lead, cohort)
    set_name = allocate_set(lead, intake, cohort, pair)
    supervisor = cast.signed_in("Sam Supervisor", SUPERVISOR)
    supervision_starts = book_supervision(supervisor, group)
    members = [trainee_joins(cast, admin, n, e, set_name) for n, e in trainees[:2]]
    set_starts = book_set_sessions(facilitator, set_name)

    complete_core_modules(facilitator)
    run_supervision(supervisor, group, supervision_starts, pair)
    for person in pair:
        log_check_in(person)
    session = run_first_session(facilitator, set_name, set_starts, [n for n, _e in trainees])
    for member in members:
        give_feedback(member, session)
    observe_and_sign_off(supervisor, facilitator, session)

    submit_portfolio(facilitator)
    award, address = issue_award(lead, facilitator)
    visitor = cast.person()
    verify(visitor, address, facilitator.name, "Valid")
    revoke(lead, award, facilitator.name)
    verify(visitor, address, facilitator.name, "Revoked")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_whole_programme(lang: str, open_tab: Callable[[], Tab]) -> None:
    cast = Cast(Journey(lang), open_tab)
    try:
        whole_programme(cast)
    except BaseException:
        with contextlib.suppress(AssertionError):  # the journey's own failure is the one
            cast.leave_english()
        raise
    cast.leave_english()
