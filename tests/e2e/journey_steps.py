"""What the whole-programme journey (test_whole_journey.py) is built from: the people in it,
each in their own browser context, and the few things every one of them does.

Every page a person lands on goes through :meth:`Actor.land`: axe-core (the WCAG 2.2 A and
AA tags and best practice, as ``checked`` runs it), a clean console, and the page in the
person's language (``<html lang>``). Buttons and links are found by role and accessible
name, and the names come from the service's own message catalogue (:class:`Words`), so one
journey reads the same in English and in Welsh; fields are found by their names and ids.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.support import NullTranslations, Translations
from playwright.sync_api import Locator, Page, expect

import lms
from config import Config
from lms.curriculum.activities import KnowledgeCheck, Reading, Reflection, Workshop
from lms.curriculum.content import ModuleSpec, load_directory
from tests.e2e.conftest import Tab, checked, click_and_load, sign_in

LONDON = ZoneInfo("Europe/London")
TRANSLATIONS = Path(lms.__file__).resolve().parent / "translations"
WELSH_SERVICE_NAME = "Rhaglen Hwyluswyr ALS"


class Words:
    """The service's words in one language, from the catalogue the service itself reads:
    ``words("Save and continue")`` is what the page says on that button."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._catalogue = (
            NullTranslations() if lang == "en" else Translations.load(str(TRANSLATIONS), [lang])
        )

    def __call__(self, message: str, **values) -> str:
        text = self._catalogue.gettext(message)
        return text % values if values else text

    def plural(self, singular: str, plural: str, num: int, **values) -> str:
        return self._catalogue.ngettext(singular, plural, num) % {"num": num, **values}

    def pattern(self, message: str, **values) -> re.Pattern:
        """A message with one ``%(time)s``-style part left open, as a pattern."""
        gap = "\x00"
        parts = self(message, **{k: (gap if v is None else v) for k, v in values.items()})
        return re.compile(".*".join(re.escape(p) for p in parts.split(gap)))


ENGLISH = Words("en")


@dataclass
class Journey:
    """What the people in one run share: their language (and its words)."""

    lang: str
    words: Words = field(init=False)
    sign_in_checked: bool = False  # the sign-in page is the same for everyone

    def __post_init__(self) -> None:
        self.words = Words(self.lang)


@dataclass
class Actor:
    """One person in their own browser context."""

    journey: Journey
    tab: Tab
    name: str = ""
    email: str | None = None
    demo: bool = False  # a demo account: put back to English at the end
    switched: bool = False  # has chosen Welsh in this run

    @property
    def page(self) -> Page:
        return self.tab.page

    @property
    def lang(self) -> str:
        """English until the person chooses Cymraeg in the Welsh run."""
        return self.journey.lang if self.switched else "en"

    @property
    def w(self) -> Words:
        return self.journey.words if self.switched else ENGLISH

    # --- Landing on pages ------------------------------------------------------------------

    def land(self) -> None:
        """The page just loaded: in the person's language, axe-clean and error-free."""
        expect(self.page.locator("html")).to_have_attribute("lang", self.lang)
        if self.lang == "cy":
            expect(self.page.get_by_role("banner")).to_contain_text(WELSH_SERVICE_NAME)
        checked(self.tab)

    def goto(self, path: str, status: int = 200) -> None:
        self.tab.goto(path, expect_status=status)
        self.land()

    def click(self, target: Locator) -> None:
        click_and_load(self.page, target)
        self.land()

    def at(self, pattern: str) -> str:
        """Where the person is now, which must match ``pattern``; returns the path."""
        path = self.tab.path().split("#")[0]
        assert re.fullmatch(pattern, path), f"{self.name} is on {path}, not {pattern}"
        return path

    # --- Finding things by role and name ---------------------------------------------------

    def button(self, message: str, **values) -> Locator:
        return self.page.get_by_role("button", name=self.w(message, **values), exact=True)

    def link(self, message: str, **values) -> Locator:
        return self.page.get_by_role("main").get_by_role(
            "link", name=self.w(message, **values), exact=True
        )

    def named_link(self, name: str) -> Locator:
        """A link named by something not translated (a person, a set, an intake)."""
        return self.page.get_by_role("main").get_by_role("link", name=name, exact=True)

    def press(self, message: str, **values) -> None:
        self.click(self.button(message, **values))

    def press_plural(self, singular: str, plural: str, num: int) -> None:
        name = self.w.plural(singular, plural, num)
        self.click(self.page.get_by_role("button", name=name, exact=True))

    def follow(self, message: str, **values) -> None:
        self.click(self.link(message, **values))

    def home_link(self, message: str) -> None:
        """One of the person's sections: from the header if it shows it (it may have moved
        some into its "More" menu), else from the home page, which lists them all."""
        in_header = self.page.get_by_role("banner").get_by_role(
            "link", name=self.w(message), exact=True
        )
        if in_header.count() == 1 and in_header.is_visible():
            self.click(in_header)
            return
        if self.tab.path() != "/":
            self.goto("/")
        self.follow(message)

    def banner(self, message: str, **values) -> None:
        expect(self.page.locator(".nhsuk-notification-banner")).to_contain_text(
            self.w(message, **values)
        )

    def no_errors(self) -> None:
        summary = self.page.locator(".nhsuk-error-summary")
        if summary.count():
            raise AssertionError(f"{self.tab.path()}: {summary.inner_text()}")

    # --- Signing in and choosing a language ------------------------------------------------

    def sign_in(self, password: str | None = None) -> None:
        if not self.journey.sign_in_checked:
            self.goto("/sign-in")
            self.journey.sign_in_checked = True
        sign_in(self.tab, self.email, password)
        self.land()
        self.speak()

    def speak(self) -> None:
        """In the Welsh run, choose Cymraeg with the header's switcher (a signed-in person's
        choice is kept on their account)."""
        if self.journey.lang != "en" and not self.switched:
            self.switched = True
            self.click(self.page.locator("form.app-language-switcher button[value=cy]"))

    def back_to_english(self) -> None:
        """Undo ``speak`` for a demo account, so later journeys find it in English."""
        if not (self.demo and self.switched):
            return
        self.tab.goto("/", expect_status=200)
        click_and_load(self.page, self.page.locator("form.app-language-switcher button[value=en]"))
        expect(self.page.locator("html")).to_have_attribute("lang", "en")
        self.switched = False


@dataclass
class Cast:
    """Everyone in one run, each made on first use in a new browser context."""

    journey: Journey
    open_tab: Callable[[], Tab]
    people: list[Actor] = field(default_factory=list)

    def person(self, name: str = "", email: str | None = None, *, demo: bool = False) -> Actor:
        actor = Actor(self.journey, self.open_tab(), name=name, email=email, demo=demo)
        self.people.append(actor)
        return actor

    def signed_in(self, name: str, email: str) -> Actor:
        """A demo account, signed in (and, in Welsh, switched to Cymraeg)."""
        actor = self.person(name, email, demo=True)
        actor.sign_in()
        return actor

    def leave_english(self) -> None:
        problems = []
        for actor in self.people:
            try:
                actor.back_to_english()
            except Exception as exc:  # one failure must not keep the others in Welsh
                problems.append(f"{actor.email}: {exc}")
        assert not problems, "could not switch back to English:\n  " + "\n  ".join(problems)


# --- Form helpers ---------------------------------------------------------------------------


def fill_date(page: Page, name: str, day: date) -> None:
    """An NHS.UK date input (three boxes named name[day], name[month], name[year])."""
    page.locator(f"input[name='{name}[day]']").fill(str(day.day))
    page.locator(f"input[name='{name}[month]']").fill(str(day.month))
    page.locator(f"input[name='{name}[year]']").fill(str(day.year))


def choose(page: Page, name: str, value: str) -> None:
    """A radio or checkbox, by its name and value."""
    page.locator(f"input[name='{name}'][value='{value}']").check()


# --- Time -----------------------------------------------------------------------------------


def london_now() -> datetime:
    return datetime.now(LONDON)


def soon(margin: int = 20) -> datetime:
    """The next whole minute at least ``margin`` seconds away (UK time): the earliest a
    session can be booked for, since forms take hours and minutes and a session must be
    booked in the future."""
    later = london_now() + timedelta(seconds=margin)
    return (later + timedelta(minutes=1)).replace(second=0, microsecond=0)


def wait_until(moment: datetime) -> float:
    """Sleep until ``moment`` has passed; returns the seconds waited."""
    left = (moment - london_now()).total_seconds() + 1
    if left > 0:
        time.sleep(left)
    return max(left, 0.0)


# --- Email, read by the admin ---------------------------------------------------------------


def read_email(admin: Actor, to: str) -> str:
    """The newest email to ``to``, from the admin's outbox (newest first)."""
    admin.goto("/admin/outbox")
    admin.click(admin.page.locator("tbody tr", has_text=to).first.get_by_role("link"))
    return admin.page.locator(".app-pre-wrap").inner_text()


def link_in(body: str, pattern: str) -> str:
    found = re.search(pattern, body)
    assert found, f"no link like {pattern} in the email:\n{body}"
    return found.group(0)


# --- The core modules -----------------------------------------------------------------------


def core_modules() -> list[ModuleSpec]:
    """The core modules, from the files the live server's curriculum was loaded from."""
    modules, errors = load_directory(Path(Config.CONTENT_DIR))
    assert not errors
    return [m for m in modules if m.core]


def core_workshops() -> list[tuple[ModuleSpec, Workshop]]:
    return [(m, a) for m in core_modules() for a in m.activities if isinstance(a, Workshop)]


def hold_workshop_days(lead: Actor, intake: str, attendees: list[Actor]) -> None:
    """A day for each core workshop, held yesterday (a register needs the day to have
    started), with the attendees marked present."""
    page = lead.page
    day = (london_now() - timedelta(days=1)).date()
    for module, activity in core_workshops():
        lead.home_link("Training")
        row = page.locator("tr", has_text=intake)
        lead.click(
            row.get_by_role("link", name=re.compile("^" + re.escape(lead.w("Workshop days"))))
        )
        lead.follow("Schedule a workshop day")
        page.locator("#workshop").select_option(f"{module.slug}:{activity.key}")
        fill_date(page, "day", day)
        page.locator("#starts_at").fill("09:30")
        page.locator("#ends_at").fill("16:00")
        choose(page, "mode", "online")
        page.locator("#joining_link").fill("https://meet.example.org/workshop")
        lead.press("Schedule the workshop day")
        lead.no_errors()
        lead.click(page.get_by_role("main").get_by_role("link", name=activity.title, exact=True))
        lead.follow("Keep the register")
        for person in attendees:
            group = page.get_by_role("group", name=re.compile("^" + re.escape(person.name)))
            group.locator("input[value=present]").check()
        lead.press("Save the register")
        lead.banner("The register has been saved")


def _answer(page: Page, check: KnowledgeCheck) -> None:
    for question in check.questions:
        name = "q_" + question.key.replace("-", "_")
        for index in sorted(question.correct):
            page.locator(f"input[name='{name}'][value='{index}']").check()


def complete_core_modules(facilitator: Actor) -> None:
    """Every activity of every core module, in order, then each module marked complete: the
    answers from the module files, as someone who had read them would know them."""
    page, w = facilitator.page, facilitator.w
    core = core_modules()
    facilitator.home_link("Training modules")
    expect(page.get_by_role("main")).to_contain_text(_completed(w, 0, len(core)))
    for module in core:
        facilitator.goto(f"/modules/{module.slug}")
        activities = module.activities
        for index, activity in enumerate(activities):
            path = f"/modules/{module.slug}/{activity.key}"
            if facilitator.tab.path() != path:
                facilitator.goto(path)
            more = index < len(activities) - 1
            if isinstance(activity, Reading):
                facilitator.press("Mark as read and continue" if more else "Mark as read")
            elif isinstance(activity, Reflection):
                page.locator("textarea#answer").fill(
                    "I notice how quickly I want to fix things for people. Next time I will "
                    "ask one more question first."
                )
                facilitator.press("Save reflection and continue" if more else "Save reflection")
                facilitator.no_errors()
            elif isinstance(activity, KnowledgeCheck):
                _answer(page, activity)
                facilitator.press("Check my answers")
                num = len(activity.questions)
                expect(page.locator(".nhsuk-panel")).to_contain_text(
                    w("You scored %(score)d out of %(total)d.", score=num, total=num)
                )
            elif isinstance(activity, Workshop):
                expect(
                    page.get_by_text(w("The register shows you attended this workshop."))
                ).to_be_visible()
        if facilitator.tab.path() != f"/modules/{module.slug}":
            facilitator.goto(f"/modules/{module.slug}")
        facilitator.press("Mark this module as complete")
        facilitator.at("/modules")
        facilitator.banner("You have completed %(title)s", title=module.title)
    expect(page.get_by_role("main")).to_contain_text(_completed(w, len(core), len(core)))


def _completed(w: Words, done: int, total: int) -> str:
    return w.plural(
        "You have completed %(done)d of %(num)d core module.",
        "You have completed %(done)d of %(num)d core modules.",
        total,
        done=done,
    )
