"""Reading and checking module files: every validation error, the body's pages, and the
cleaning of rendered Markdown (no database)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from lms.curriculum.activities import KnowledgeCheck, Reading, Reflection, Workshop
from lms.curriculum.content import (
    ContentError,
    ModuleSpec,
    load_directory,
    parse_module,
    render_markdown,
)
from tests.curriculum.conftest import BASICS, EXTRA, MODULES, NEXT_STEPS, write_modules


def problems_in(text: str, source: str = "modules/basics.md") -> list[str]:
    with pytest.raises(ContentError) as caught:
        parse_module(text, source)
    assert caught.value.source == source
    return caught.value.problems


def test_a_good_file_gives_its_module_with_pages_and_activities_in_order():
    module = parse_module(BASICS, "modules/01-basics.md")
    assert (module.slug, module.title, module.order, module.core) == (
        "basics",
        "The basics",
        1,
        True,
    )
    assert [a.kind for a in module.activities] == [
        "reading",
        "reading",
        "reflection",
        "knowledge_check",
    ]
    assert [p.title for p in module.pages.values()] == ["Where it started", "The method"]
    assert module.activities[0].title == "Where it started"
    check = module.activities[3]
    assert isinstance(check, KnowledgeCheck)
    assert check.needed == 1  # 50% of 2 questions
    assert not check.questions[0].multiple and check.questions[1].multiple
    assert check.questions[1].correct == frozenset({0, 1})
    assert module.words == 8  # "Reg Revans developed action learning." + "Questions, not advice."
    assert len(module.content_hash) == 64


def test_the_stored_form_of_a_module_reads_back_the_same():
    module = parse_module(NEXT_STEPS, "modules/02-next-steps.md")
    data = module.to_json()
    assert ModuleSpec.activities_from_json(data["activities"]) == module.activities
    assert ModuleSpec.pages_from_json(data["pages"]) == module.pages
    workshop = module.activities[2]
    assert isinstance(workshop, Workshop) and workshop.duration_minutes == 360


def test_windows_line_endings_read_the_same_and_hash_the_same():
    unix = parse_module(BASICS, "modules/basics.md")
    windows = parse_module(BASICS.replace("\n", "\r\n"), "modules/basics.md")
    assert windows == unix


def replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.removeprefix("---\n"), "must start with a line '---'"),
        (lambda t: t.replace("\n---\n\n#", "\n\n#", 1), "not closed"),
        (lambda t: replace(t, "title: The basics", "title: [unclosed"), "not valid YAML"),
        (lambda t: replace(t, "slug: basics", "slug: Basics Module"), "not a valid key"),
        (lambda t: replace(t, "slug: basics", "slug: other"), "file name must be 'other.md'"),
        (lambda t: replace(t, "title: The basics\n", ""), "'title' is missing"),
        (lambda t: replace(t, "order: 1", "order: first"), "'order' must be a whole number"),
        (lambda t: replace(t, "core: true", "core: maybe"), "'core' must be true"),
        (
            lambda t: replace(t, "estimated_minutes: 30", "estimated_minutes: 2"),
            "'estimated_minutes' must be a whole number from 5",
        ),
        (lambda t: replace(t, "summary:", "summery:"), "unknown field 'summery'"),
        (
            lambda t: replace(
                t, "learning_outcomes:\n  - Explain the basics", "learning_outcomes: []"
            ),
            "'learning_outcomes' must be a list of at least one item",
        ),
        (
            lambda t: replace(t, "order: 1", "order: 1\nprerequisites: [basics]"),
            "cannot be its own prerequisite",
        ),
        (lambda t: replace(t, "  - reading: method\n", ""), "page 'method': the page is not in"),
        (lambda t: replace(t, "reading: method", "reading: missing"), "there is no page 'missing'"),
        (lambda t: replace(t, "reading: method", "reading: origins"), "'origins' is used twice"),
        (lambda t: replace(t, "  - reading: method", "  - lecture: method"), "exactly one of"),
        (lambda t: replace(t, "    prompt: When", "    promt: When"), "unknown field 'promt'"),
        (lambda t: replace(t, "pass_mark: 50", "pass_mark: 150"), "'pass_mark' must be from 1"),
        (
            lambda t: replace(
                t,
                "            correct: true\n            feedback: Right",
                "            feedback: Right",
            ),
            "at least one option must be marked 'correct: true'",
        ),
        (
            lambda t: replace(
                t,
                "          - text: Quality\n",
                "          - text: Quality\n            correct: true\n",
            ),
            "at least one option must be wrong",
        ),
        (
            lambda t: replace(t, "feedback: Right, Q is questioning insight.", "feedback: yes"),
            "put it in quotes",
        ),
        (
            lambda t: replace(t, "key: stages", "key: formula"),
            "the key 'formula' is used twice",
        ),
        (
            lambda t: replace(t, "# The method {#method}", "# The method\n\n# Another"),
            "a level-1 heading must name its page",
        ),
        (
            lambda t: replace(t, "---\n\n# Where", "---\nStray text.\n\n# Where"),
            "text before the first page",
        ),
        (
            lambda t: replace(
                t, "# The method {#method}\n\nQuestions, not advice.", "# The method {#method}\n"
            ),
            "the page has no text",
        ),
    ],
)
def test_each_problem_is_reported_with_where_it_is(change, expected):
    problems = problems_in(change(BASICS), "modules/01-basics.md")
    assert any(expected in problem for problem in problems), problems


def test_every_problem_in_a_file_is_reported_at_once():
    text = replace(BASICS, "order: 1", "order: first")
    text = replace(text, "core: true", "core: maybe")
    text = replace(text, "pass_mark: 50", "pass_mark: 0")
    problems = problems_in(text)
    assert len(problems) >= 3
    assert any(p.startswith("activities[4] (knowledge_check 'check')") for p in problems)


def test_a_page_heading_inside_a_code_block_is_text_not_a_page():
    text = replace(
        BASICS, "Questions, not advice.", "Questions, not advice.\n\n```\n# Not a page {#no}\n```"
    )
    module = parse_module(text, "modules/basics.md")
    assert list(module.pages) == ["origins", "method"]
    assert "# Not a page {#no}" in module.pages["method"].html


HOSTILE = """\
Hello <script>alert("x")</script> and <img src=x onerror="alert(1)">.

<div onclick="steal()">Click</div> <iframe src="https://evil.example"></iframe>

[a link](javascript:alert(1)) and [another](JAVASCRIPT:alert(2))
and [data](data:text/html;base64,PHNjcmlwdD4=)

<a href="https://evil.example" onmouseover="x()">hover</a> <style>body{display:none}</style>

![an image](https://evil.example/track.png)

[fine](https://www.nhs.uk) and [mail](mailto:team@example.org)

> A quote

| a | b |
|:--|--:|
| 1 | 2 |
"""


class Elements(HTMLParser):
    """Every tag and attribute in a piece of HTML, as a browser would parse it."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_harmless(html: str) -> None:
    for tag, attrs in Elements(html).found:
        assert tag not in {"script", "img", "iframe", "style", "object", "form", "input"}, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "style" not in attrs, (tag, attrs)  # the CSP allows no inline styles
        href = (attrs.get("href") or "").strip().lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:")), href


def test_hostile_markdown_loses_every_script_and_handler():
    html = render_markdown(HOSTILE)
    assert_harmless(html)
    links = [attrs["href"] for tag, attrs in Elements(html).found if tag == "a"]
    assert links == ["https://www.nhs.uk", "mailto:team@example.org"]
    assert re.search(r'<a href="https://www\.nhs\.uk" rel="noopener noreferrer">fine</a>', html)
    # Raw HTML is shown as text, so nothing of it runs.
    assert "&lt;script&gt;" in html
    assert '<div class="nhsuk-inset-text">' in html
    assert '<table class="nhsuk-table">' in html
    assert '<td class="nhsuk-u-text-align-right">2</td>' in html


def test_a_hostile_module_file_is_cleaned_when_loaded(tmp_path):
    hostile = replace(BASICS, "Questions, not advice.", HOSTILE)
    write_modules(tmp_path / "modules", {"01-basics.md": hostile})
    modules, errors = load_directory(tmp_path / "modules")
    assert errors == []
    assert_harmless(modules[0].pages["method"].html)
    assert "&lt;script&gt;" in modules[0].pages["method"].html


def test_the_folder_is_checked_together(tmp_path):
    twin = replace(EXTRA, "order: 3", "order: 2")
    loop = replace(BASICS, "order: 1", "order: 5\nprerequisites: [next-steps]")
    write_modules(
        tmp_path / "modules",
        {"01-basics.md": loop, "02-next-steps.md": NEXT_STEPS, "03-extra.md": twin},
    )
    _, errors = load_directory(tmp_path / "modules")
    problems = " ".join(p for e in errors for p in e.problems)
    assert "'order: 2' is also used by" in problems
    assert "prerequisites go round in a circle: basics -> next-steps -> basics" in problems
    assert "prerequisite module(s) basics must come before this one" in problems

    write_modules(tmp_path / "other", {"01-basics.md": BASICS, "02-next-steps.md": BASICS})
    _, errors = load_directory(tmp_path / "other")
    assert any("file name must be 'basics.md'" in p for e in errors for p in e.problems)


def test_unknown_prerequisites_and_an_empty_folder_are_problems(tmp_path):
    write_modules(tmp_path / "modules", {"02-next-steps.md": NEXT_STEPS})
    _, errors = load_directory(tmp_path / "modules")
    assert errors[0].source == "modules/02-next-steps.md"
    assert errors[0].problems == ["unknown prerequisite module(s): basics"]
    write_modules(tmp_path / "empty", {})
    _, errors = load_directory(tmp_path / "empty")
    assert "no module files" in errors[0].problems[0]
    _, errors = load_directory(tmp_path / "missing")
    assert "does not exist" in errors[0].problems[0]


def test_the_test_modules_are_a_valid_set(tmp_path):
    write_modules(tmp_path / "modules", MODULES)
    modules, errors = load_directory(tmp_path / "modules")
    assert errors == []
    assert [m.slug for m in modules] == ["basics", "next-steps", "extra"]
    kinds = {type(a) for m in modules for a in m.activities}
    assert kinds == {Reading, Reflection, KnowledgeCheck, Workshop}
