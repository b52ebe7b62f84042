"""The kinds of activity a module can hold, as a small registry (STYLE.md rule 6).

Each kind is a frozen dataclass that knows how to read itself from a module file's front
matter (``parse``), how to store itself in a module version (``to_json``/``from_json``)
and which template shows it. Adding a kind is one class here, one template and, where it
takes answers, one service function; nothing else branches on the kind.

Parsing collects problems instead of stopping at the first, so an author sees every
mistake in a file at once. Messages name the place in the file, e.g.
``activities[3] (knowledge_check "check").questions[2].options: ...``.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l

KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_MAX = 60
MAX_OPTIONS = 8


class Problems:
    """Problems found in one file, each prefixed with where it is."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}" if where else message)

    def __bool__(self) -> bool:
        return bool(self.items)


def check_key(value: Any, where: str, problems: Problems) -> str:
    if not isinstance(value, str) or not value:
        problems.add(where, "a key must be text, for example 'origins'")
        return ""
    if len(value) > KEY_MAX or not KEY_PATTERN.match(value):
        problems.add(
            where,
            f"'{value}' is not a valid key: use lower-case letters, digits and single "
            f"hyphens, at most {KEY_MAX} characters",
        )
    return value


def text_field(
    raw: dict, name: str, where: str, problems: Problems, *, required: bool = True
) -> str | None:
    """A non-empty string field, stripped; None when optional and absent."""
    value = raw.get(name)
    if value is None:
        if required:
            problems.add(where, f"'{name}' is missing")
        return None
    if isinstance(value, bool):
        problems.add(
            where,
            f"'{name}' must be text; put it in quotes, because YAML reads a bare yes, no, "
            "on or off as true or false",
        )
        return None
    if not isinstance(value, str | int | float) or not str(value).strip():
        problems.add(where, f"'{name}' must be text")
        return None
    value = str(value)
    return value.strip()


def unknown_fields(raw: dict, allowed: set[str], where: str, problems: Problems) -> None:
    extra = sorted(set(raw) - allowed)
    if extra:
        problems.add(
            where,
            f"unknown field{'s' if len(extra) > 1 else ''} {', '.join(map(repr, extra))} "
            f"(allowed: {', '.join(sorted(allowed))})",
        )


@dataclass(frozen=True)
class Activity:
    """One step of a module. ``kind`` is the front-matter key that introduces it."""

    kind: ClassVar[str]
    label: ClassVar[Any]
    template: ClassVar[str]
    fields: ClassVar[set[str]] = set()

    key: str
    title: str

    @classmethod
    def parse(cls, raw: dict, where: str, pages: dict, problems: Problems) -> Activity | None:
        raise NotImplementedError

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Activity:
        values = {k: v for k, v in data.items() if k != "kind"}
        return cls(**values)


ACTIVITY_KINDS: dict[str, type[Activity]] = {}


def register(cls: type[Activity]) -> type[Activity]:
    ACTIVITY_KINDS[cls.kind] = cls
    return cls


def activity_from_json(data: dict[str, Any]) -> Activity:
    return ACTIVITY_KINDS[data["kind"]].from_json(data)


@register
@dataclass(frozen=True)
class Reading(Activity):
    """A page of teaching text from the module's body, named by its key."""

    kind: ClassVar[str] = "reading"
    label: ClassVar[Any] = _l("Reading")
    template: ClassVar[str] = "curriculum/activity_reading.html"
    fields: ClassVar[set[str]] = {"reading"}

    @classmethod
    def parse(cls, raw, where, pages, problems):
        key = check_key(raw.get(cls.kind), where, problems)
        unknown_fields(raw, cls.fields, where, problems)
        if key and key not in pages:
            problems.add(
                where,
                f"there is no page '{key}' in the body; start one with a line like "
                f"'# Its title {{#{key}}}'",
            )
            return None
        return cls(key=key, title=pages[key].title) if key else None


@register
@dataclass(frozen=True)
class Reflection(Activity):
    """A prompt the facilitator answers in free text; the answer goes to their portfolio."""

    kind: ClassVar[str] = "reflection"
    label: ClassVar[Any] = _l("Reflection")
    template: ClassVar[str] = "curriculum/activity_reflection.html"
    fields: ClassVar[set[str]] = {"reflection", "title", "prompt", "hint"}

    prompt: str = ""
    hint: str | None = None

    @classmethod
    def parse(cls, raw, where, pages, problems):
        key = check_key(raw.get(cls.kind), where, problems)
        unknown_fields(raw, cls.fields, where, problems)
        title = text_field(raw, "title", where, problems)
        prompt = text_field(raw, "prompt", where, problems)
        hint = text_field(raw, "hint", where, problems, required=False)
        if not (key and title and prompt):
            return None
        return cls(key=key, title=title, prompt=prompt, hint=hint)


@dataclass(frozen=True)
class Option:
    text: str
    feedback: str
    correct: bool = False


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    options: tuple[Option, ...]
    hint: str | None = None

    @property
    def correct(self) -> frozenset[int]:
        """The indexes of the correct options."""
        return frozenset(i for i, option in enumerate(self.options) if option.correct)

    @property
    def multiple(self) -> bool:
        """More than one option is correct: the learner picks all that apply."""
        return len(self.correct) > 1


@register
@dataclass(frozen=True)
class KnowledgeCheck(Activity):
    """Questions with options, per-answer feedback and a pass mark (a percentage).

    A question is answered correctly when the learner picks every correct option and no
    other. It is marked on the server; the learner may try again as often as they like.
    """

    kind: ClassVar[str] = "knowledge_check"
    label: ClassVar[Any] = _l("Knowledge check")
    template: ClassVar[str] = "curriculum/activity_knowledge_check.html"
    fields: ClassVar[set[str]] = {"knowledge_check", "title", "pass_mark", "questions"}
    question_fields: ClassVar[set[str]] = {"key", "text", "hint", "options"}
    option_fields: ClassVar[set[str]] = {"text", "correct", "feedback"}

    pass_mark: int = 100
    questions: tuple[Question, ...] = field(default_factory=tuple)

    @property
    def needed(self) -> int:
        """How many questions must be right to pass."""
        return max(1, math.ceil(self.pass_mark * len(self.questions) / 100))

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    @classmethod
    def parse(cls, raw, where, pages, problems):
        key = check_key(raw.get(cls.kind), where, problems)
        unknown_fields(raw, cls.fields, where, problems)
        title = text_field(raw, "title", where, problems)
        pass_mark = raw.get("pass_mark")
        if pass_mark is None:
            problems.add(where, "'pass_mark' is missing (a percentage, for example 80)")
        elif isinstance(pass_mark, bool) or not isinstance(pass_mark, int):
            problems.add(where, "'pass_mark' must be a whole number from 1 to 100")
            pass_mark = None
        elif not 1 <= pass_mark <= 100:
            problems.add(where, "'pass_mark' must be from 1 to 100")
            pass_mark = None
        raw_questions = raw.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            problems.add(where, "'questions' must be a list of at least one question")
            raw_questions = []
        questions = []
        seen: set[str] = set()
        for n, raw_question in enumerate(raw_questions, start=1):
            question = cls._parse_question(raw_question, f"{where}.questions[{n}]", problems)
            if question is None:
                continue
            if question.key in seen:
                problems.add(f"{where}.questions[{n}]", f"the key '{question.key}' is used twice")
            seen.add(question.key)
            questions.append(question)
        if not (key and title and pass_mark) or len(questions) != len(raw_questions):
            return None
        return cls(key=key, title=title, pass_mark=pass_mark, questions=tuple(questions))

    @classmethod
    def _parse_question(cls, raw, where: str, problems: Problems) -> Question | None:
        if not isinstance(raw, dict):
            problems.add(where, "a question must be a mapping with key, text and options")
            return None
        unknown_fields(raw, cls.question_fields, where, problems)
        key = check_key(raw.get("key"), where, problems)
        text = text_field(raw, "text", where, problems)
        hint = text_field(raw, "hint", where, problems, required=False)
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or not 2 <= len(raw_options) <= MAX_OPTIONS:
            problems.add(where, f"'options' must be a list of 2 to {MAX_OPTIONS} options")
            return None
        options = []
        for n, raw_option in enumerate(raw_options, start=1):
            spot = f"{where}.options[{n}]"
            if not isinstance(raw_option, dict):
                problems.add(spot, "an option must be a mapping with text and feedback")
                continue
            unknown_fields(raw_option, cls.option_fields, spot, problems)
            option_text = text_field(raw_option, "text", spot, problems)
            feedback = text_field(raw_option, "feedback", spot, problems)
            correct = raw_option.get("correct", False)
            if not isinstance(correct, bool):
                problems.add(spot, "'correct' must be true or false")
                continue
            if option_text and feedback:
                options.append(Option(text=option_text, feedback=feedback, correct=correct))
        if len(options) != len(raw_options):
            return None
        right = sum(option.correct for option in options)
        if right == 0:
            problems.add(where, "at least one option must be marked 'correct: true'")
        elif right == len(options):
            problems.add(where, "at least one option must be wrong")
        if len({option.text for option in options}) != len(options):
            problems.add(where, "two options have the same text")
        if not (key and text) or right in (0, len(options)):
            return None
        return Question(key=key, text=text, hint=hint, options=tuple(options))

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}

    @classmethod
    def from_json(cls, data):
        questions = tuple(
            Question(
                key=q["key"],
                text=q["text"],
                hint=q.get("hint"),
                options=tuple(Option(**option) for option in q["options"]),
            )
            for q in data["questions"]
        )
        return cls(
            key=data["key"], title=data["title"], pass_mark=data["pass_mark"], questions=questions
        )


@register
@dataclass(frozen=True)
class Workshop(Activity):
    """A live workshop day. Leads schedule dates for an intake; attending one completes it."""

    kind: ClassVar[str] = "workshop"
    label: ClassVar[Any] = _l("Live workshop")
    template: ClassVar[str] = "curriculum/activity_workshop.html"
    fields: ClassVar[set[str]] = {"workshop", "title", "description", "duration_minutes"}

    description: str = ""
    duration_minutes: int | None = None

    @classmethod
    def parse(cls, raw, where, pages, problems):
        key = check_key(raw.get(cls.kind), where, problems)
        unknown_fields(raw, cls.fields, where, problems)
        title = text_field(raw, "title", where, problems)
        description = text_field(raw, "description", where, problems)
        minutes = raw.get("duration_minutes")
        if minutes is not None and (
            isinstance(minutes, bool) or not isinstance(minutes, int) or not 30 <= minutes <= 600
        ):
            problems.add(where, "'duration_minutes' must be a whole number from 30 to 600")
            return None
        if not (key and title and description):
            return None
        return cls(key=key, title=title, description=description, duration_minutes=minutes)


def parse_activity(raw: Any, where: str, pages: dict, problems: Problems) -> Activity | None:
    """Read one item of ``activities``: a mapping with exactly one kind key."""
    if not isinstance(raw, dict):
        problems.add(where, f"an activity must be a mapping starting with one of {_kinds()}")
        return None
    kinds = [name for name in ACTIVITY_KINDS if name in raw]
    if len(kinds) != 1:
        problems.add(
            where,
            f"an activity must have exactly one of {_kinds()}"
            + (f"; found {', '.join(kinds)}" if kinds else ""),
        )
        return None
    kind = ACTIVITY_KINDS[kinds[0]]
    return kind.parse(raw, f"{where} ({kind.kind} '{raw.get(kind.kind)}')", pages, problems)


def _kinds() -> str:
    return ", ".join(repr(name) for name in ACTIVITY_KINDS)
