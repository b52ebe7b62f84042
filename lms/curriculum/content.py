"""Module files: reading, checking and rendering ``content/modules/*.md``.

Pure functions, with no database or request: ``load_directory`` reads every file, checks
each on its own and then all of them together (unique slugs and order, prerequisites that
exist and do not go round in a circle), and returns the modules or every problem found.
The format is documented in ``content/README.md``.

Markdown is rendered here, once, when content is loaded: CommonMark with raw HTML turned
off (so a ``<script>`` in a file comes out as text), then cleaned by nh3 with an
allow-list of tags and attributes, so nothing that runs script can reach a page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nh3
import yaml
from markdown_it import MarkdownIt

from lms.curriculum.activities import (
    Activity,
    Problems,
    Reading,
    activity_from_json,
    check_key,
    parse_activity,
    text_field,
    unknown_fields,
)

FRONT_MATTER_FIELDS = {
    "slug",
    "title",
    "summary",
    "order",
    "core",
    "estimated_minutes",
    "prerequisites",
    "learning_outcomes",
    "activities",
}
PAGE_HEADING = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t]*\{#(?P<key>[^}\s]*)\}[ \t]*$")
OTHER_H1 = re.compile(r"^#[ \t]+\S")
FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")  # apostrophes, straight or curly
FILENAME = re.compile(r"^(?:\d+-)?(?P<slug>.+)\.md$")

# What rendered Markdown may contain: text structure, links and tables. No images, forms,
# iframes, styles or event handlers; classes only where the renderer sets them.
ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "div": {"class"},
    "ol": {"start"},
    "table": {"class"},
    "th": {"class"},
    "td": {"class"},
}
ALLOWED_CLASSES = {
    "nhsuk-inset-text",
    "nhsuk-table",
    "nhsuk-u-text-align-left",
    "nhsuk-u-text-align-right",
    "nhsuk-u-text-align-centre",
}
URL_SCHEMES = {"http", "https", "mailto"}


class ContentError(Exception):
    """One file (or the set of files) has problems; ``problems`` lists every one."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: {'; '.join(problems)}")
        self.source = source
        self.problems = problems


@dataclass(frozen=True)
class Page:
    """A reading page: one ``# Title {#key}`` section of the body, rendered and cleaned."""

    key: str
    title: str
    html: str
    words: int


@dataclass(frozen=True)
class ModuleSpec:
    """A module as its file describes it; also what a stored module version holds."""

    slug: str
    title: str
    summary: str
    order: int
    core: bool
    estimated_minutes: int
    prerequisites: tuple[str, ...]
    learning_outcomes: tuple[str, ...]
    activities: tuple[Activity, ...]
    pages: dict[str, Page] = field(default_factory=dict)
    content_hash: str = ""
    source: str = ""

    @property
    def words(self) -> int:
        """Words of teaching text: every reading page."""
        return sum(page.words for page in self.pages.values())

    def activity(self, key: str) -> Activity | None:
        return next((a for a in self.activities if a.key == key), None)

    def of_kind(self, kind: type[Activity]) -> list[Activity]:
        return [a for a in self.activities if isinstance(a, kind)]

    def to_json(self) -> dict[str, Any]:
        """Activities and pages as plain JSON, for ``ModuleVersion``."""
        return {
            "activities": [activity.to_json() for activity in self.activities],
            "pages": {
                key: {"title": p.title, "html": p.html, "words": p.words}
                for key, p in self.pages.items()
            },
        }

    @staticmethod
    def activities_from_json(data: list[dict]) -> tuple[Activity, ...]:
        return tuple(activity_from_json(item) for item in data)

    @staticmethod
    def pages_from_json(data: dict[str, dict]) -> dict[str, Page]:
        return {key: Page(key=key, **value) for key, value in data.items()}


# --- Markdown -------------------------------------------------------------------------


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    # Quotes become NHS inset text and tables NHS tables: the design system's own look.
    md.add_render_rule("blockquote_open", lambda *a: '<div class="nhsuk-inset-text">\n')
    md.add_render_rule("blockquote_close", lambda *a: "</div>\n")
    md.add_render_rule("table_open", lambda *a: '<table class="nhsuk-table">\n')
    md.add_render_rule("th_open", _cell_open)
    md.add_render_rule("td_open", _cell_open)
    return md


ALIGN_CLASSES = {
    "left": "nhsuk-u-text-align-left",
    "right": "nhsuk-u-text-align-right",
    "center": "nhsuk-u-text-align-centre",
}


def _cell_open(renderer, tokens, idx, options, env) -> str:
    """Column alignment as an NHS utility class: the CSP allows no inline styles."""
    token = tokens[idx]
    align = str(token.attrGet("style") or "").removeprefix("text-align:")
    token.attrs.pop("style", None)
    if align in ALIGN_CLASSES:
        token.attrSet("class", ALIGN_CLASSES[align])
    return renderer.renderToken(tokens, idx, options, env)


_MD = _markdown()


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        kept = " ".join(c for c in value.split() if c in ALLOWED_CLASSES)
        return kept or None
    return value


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to put in a page as it is."""
    html = _MD.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def count_words(text: str) -> int:
    return len(WORD.findall(text))


# --- One file ---------------------------------------------------------------------------


def _split_front_matter(text: str, problems: Problems) -> tuple[str, str] | None:
    if not text.startswith("---\n"):
        problems.add("", "the file must start with a line '---' and YAML front matter")
        return None
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            return text[4 : len(text) - 4], ""
        problems.add("", "the front matter is not closed with a line '---'")
        return None
    return text[4 : end + 1], text[end + 5 :]


def _split_pages(body: str, problems: Problems) -> dict[str, Page]:
    """Cut the body into pages at each ``# Title {#key}`` line (outside code blocks)."""
    pages: dict[str, tuple[str, list[str]]] = {}
    current: list[str] | None = None
    fence: str | None = None
    for number, line in enumerate(body.split("\n"), start=1):
        marker = FENCE.match(line)
        in_code = fence is not None or marker is not None
        if marker:
            token = marker.group(1)
            if fence is None:
                fence = token
            elif token[0] == fence[0] and len(token) >= len(fence):
                fence = None
        if not in_code:
            heading = PAGE_HEADING.match(line)
            if heading:
                where = f"body line {number}"
                key = check_key(heading.group("key"), where, problems)
                if key in pages:
                    problems.add(where, f"the page key '{key}' is used twice")
                current = []
                pages[key] = (heading.group("title"), current)
                continue
            if OTHER_H1.match(line):
                problems.add(
                    f"body line {number}",
                    "a level-1 heading must name its page, like '# Title {#key}'; use '##' "
                    "for headings within a page",
                )
                continue
        if current is None:
            if line.strip():
                problems.add(
                    f"body line {number}", "text before the first page heading '# Title {#key}'"
                )
            continue
        current.append(line)
    result = {}
    for key, (title, lines) in pages.items():
        text = "\n".join(lines).strip()
        if not text:
            problems.add(f"page '{key}'", "the page has no text")
        result[key] = Page(
            key=key, title=title, html=render_markdown(text), words=count_words(text)
        )
    return result


def _whole_number(raw: dict, name: str, low: int, high: int, problems: Problems) -> int:
    value = raw.get(name)
    if value is None:
        problems.add("", f"'{name}' is missing")
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.add("", f"'{name}' must be a whole number from {low} to {high}")
        return 0
    return value


def _text_list(raw: dict, name: str, problems: Problems, *, required: bool) -> list[str]:
    value = raw.get(name, [] if not required else None)
    if value is None or not isinstance(value, list) or (required and not value):
        problems.add("", f"'{name}' must be a list" + (" of at least one item" if required else ""))
        return []
    if not all(isinstance(item, str) and item.strip() for item in value):
        problems.add("", f"every item of '{name}' must be text")
        return []
    return [item.strip() for item in value]


def parse_module(text: str, source: str) -> ModuleSpec:
    """Read one module file's text; raise ContentError listing every problem in it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = Problems()
    parts = _split_front_matter(text, problems)
    if parts is None:
        raise ContentError(source, problems.items)
    front, body = parts
    try:
        raw = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (front matter line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(source, [f"the front matter is not valid YAML: {problem}{at}"]) from None
    if not isinstance(raw, dict):
        raise ContentError(source, ["the front matter must be a mapping of fields"])

    unknown_fields(raw, FRONT_MATTER_FIELDS, "", problems)
    slug = check_key(raw.get("slug"), "slug", problems)
    expected = FILENAME.match(Path(source).name)
    if slug and expected and expected.group("slug") != slug:
        problems.add("", f"the file name must be '{slug}.md' (optionally with a number first)")
    title = text_field(raw, "title", "", problems) or ""
    summary = text_field(raw, "summary", "", problems) or ""
    order = _whole_number(raw, "order", 1, 999, problems)
    minutes = _whole_number(raw, "estimated_minutes", 5, 1200, problems)
    core = raw.get("core")
    if not isinstance(core, bool):
        problems.add("", "'core' must be true (a core module) or false (optional)")
    prerequisites = _text_list(raw, "prerequisites", problems, required=False)
    for n, prerequisite in enumerate(prerequisites, start=1):
        check_key(prerequisite, f"prerequisites[{n}]", problems)
    if slug and slug in prerequisites:
        problems.add("prerequisites", "a module cannot be its own prerequisite")
    outcomes = _text_list(raw, "learning_outcomes", problems, required=True)

    pages = _split_pages(body, problems)
    activities: list[Activity] = []
    raw_activities = raw.get("activities")
    if not isinstance(raw_activities, list) or not raw_activities:
        problems.add("", "'activities' must be a list of at least one activity")
        raw_activities = []
    seen: set[str] = set()
    for n, item in enumerate(raw_activities, start=1):
        activity = parse_activity(item, f"activities[{n}]", pages, problems)
        if activity is None:
            continue
        if activity.key in seen:
            problems.add(f"activities[{n}]", f"the key '{activity.key}' is used twice")
        seen.add(activity.key)
        activities.append(activity)
    read = {a.key for a in activities if isinstance(a, Reading)}
    for key in pages:
        if key not in read:
            problems.add(
                f"page '{key}'", f"the page is not in 'activities'; add '- reading: {key}'"
            )

    if problems:
        raise ContentError(source, problems.items)
    return ModuleSpec(
        slug=slug,
        title=title,
        summary=summary,
        order=order,
        core=core,
        estimated_minutes=minutes,
        prerequisites=tuple(prerequisites),
        learning_outcomes=tuple(outcomes),
        activities=tuple(activities),
        pages=pages,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source=source,
    )


# --- Every file together ----------------------------------------------------------------


def check_together(modules: Iterable[ModuleSpec]) -> list[ContentError]:
    """Problems that only show across files: duplicates, unknown or circular prerequisites."""
    modules = list(modules)
    errors: list[ContentError] = []
    by_slug: dict[str, ModuleSpec] = {}
    by_order: dict[int, ModuleSpec] = {}
    for module in modules:
        if module.slug in by_slug:
            errors.append(
                ContentError(
                    module.source,
                    [f"the slug '{module.slug}' is also used by {by_slug[module.slug].source}"],
                )
            )
        by_slug.setdefault(module.slug, module)
        if module.order in by_order:
            errors.append(
                ContentError(
                    module.source,
                    [f"'order: {module.order}' is also used by {by_order[module.order].source}"],
                )
            )
        by_order.setdefault(module.order, module)
    for module in modules:
        unknown = [p for p in module.prerequisites if p not in by_slug]
        if unknown:
            errors.append(
                ContentError(
                    module.source, [f"unknown prerequisite module(s): {', '.join(unknown)}"]
                )
            )
        # The list is the order to learn in, so what a module builds on comes first.
        later = [
            p for p in module.prerequisites if p in by_slug and by_slug[p].order > module.order
        ]
        if later:
            errors.append(
                ContentError(
                    module.source,
                    [
                        f"prerequisite module(s) {', '.join(later)} must come before this one "
                        "(give them a lower 'order')"
                    ],
                )
            )
    errors += _cycles(by_slug)
    return errors


def _cycles(by_slug: dict[str, ModuleSpec]) -> list[ContentError]:
    state: dict[str, int] = {}  # 1: being visited, 2: done
    errors: list[ContentError] = []

    def visit(slug: str, path: list[str]) -> None:
        state[slug] = 1
        for prerequisite in by_slug[slug].prerequisites:
            if prerequisite not in by_slug:
                continue
            if state.get(prerequisite) == 1:
                loop = [*path[path.index(prerequisite) :], prerequisite]
                errors.append(
                    ContentError(
                        by_slug[slug].source,
                        [f"prerequisites go round in a circle: {' -> '.join(loop)}"],
                    )
                )
            elif prerequisite not in state:
                visit(prerequisite, [*path, prerequisite])
        state[slug] = 2

    for slug in sorted(by_slug):
        if slug not in state:
            visit(slug, [slug])
    return errors


def module_files(directory: Path) -> list[Path]:
    return sorted(p for p in Path(directory).glob("*.md") if p.is_file())


def load_directory(directory: Path) -> tuple[list[ModuleSpec], list[ContentError]]:
    """Every module in ``directory`` (sorted by order) and every problem found.

    A file is named in problems by its path relative to the directory's parent, so
    ``content/modules/03-x.md`` reads as ``modules/03-x.md``.
    """
    directory = Path(directory)
    modules: list[ModuleSpec] = []
    errors: list[ContentError] = []
    if not directory.is_dir():
        return [], [ContentError(str(directory), ["the folder does not exist"])]
    files = module_files(directory)
    if not files:
        return [], [ContentError(str(directory), ["the folder has no module files (*.md)"])]
    for path in files:
        source = str(path.relative_to(directory.parent))
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            errors.append(ContentError(source, ["the file is not UTF-8 text"]))
            continue
        try:
            modules.append(parse_module(text, source))
        except ContentError as exc:
            errors.append(exc)
    errors += check_together(modules)
    return sorted(modules, key=lambda m: (m.order, m.slug)), errors
