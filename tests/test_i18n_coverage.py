"""Nothing a person reads escapes the Welsh catalogue (issue 9).

tests/test_i18n.py checks the catalogue itself: complete, no fuzzy entries, placeholders
intact, every extracted message in it. That only covers text someone wrapped in ``_()``.
These tests look for text nobody wrapped, and for English that arrives another way:

* templates: literal words in the markup, in user-visible attributes and in Jinja string
  literals; and nhsuk-frontend macros left to fall back on their built-in English
  (the inset text's hidden "Information:", the warning callout's "Important:", ...);
* Python: literals handed to the places people read them (flash messages, form errors,
  email subjects, notifications, domain errors, form labels, hints and choices,
  validators' messages, enum labels, report and CSV headings, the certificate's text).

What goes out (every email, the certificate) is rendered in Welsh in test_i18n_output.py.

Each scanner also has a test that it finds what it is meant to find, so a scanner that
quietly stopped looking would fail.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from jinja2 import Environment, nodes

ROOT = Path(__file__).parents[1]
LMS = ROOT / "lms"
CATALOGUE = LMS / "translations/cy/LC_MESSAGES/messages.po"
TEMPLATES = sorted(p for p in LMS.glob("**/templates/**/*") if p.suffix in (".html", ".txt"))
GETTEXT = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext"}
# Two or more letters in a row: a word (numbers, punctuation, entities and symbols are not).
WORD = re.compile(r"[^\W\d_]{2,}")
# Words that may stand untranslated: the NHS's name, and each language's own name on the
# language switcher (shown in that language and marked with its lang attribute).
ALLOWED_WORDS = {"NHS", "English", "Cymraeg"}


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def english_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w not in ALLOWED_WORDS]


# --- 1. Templates: literal text ---------------------------------------------------------

# Attributes a person reads or hears (a screen reader speaks all of them).
SPOKEN_ATTRIBUTES = {
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-placeholder",
    "aria-valuetext",
    "title",
    "alt",
    "placeholder",
    "label",
}
BUTTON_INPUTS = {"submit", "button", "reset"}  # an <input> of these types shows its value
# Filters and functions whose string arguments are formats or names, never shown as text.
FORMAT_CALLS = {"dateformat", "datetimeformat", "timeformat", "format_date", "url_for"}


def template_skeleton(env: Environment, source: str) -> str:
    """The template's literal output: its data, with every tag, expression and
    ``{% trans %}`` block replaced by a space, on the same lines as in the source."""
    out: list[str] = []
    line = 1
    in_trans = False
    tag_name_next = False  # the next name is a block tag's (trans, endtrans, if, ...)
    for lineno, kind, value in env.lex(source):
        if kind == "data" and not in_trans:
            out.append("\n" * max(0, lineno - line) + value)
            line = max(line, lineno) + value.count("\n")
            continue
        out.append(" ")
        if kind == "name" and tag_name_next:
            in_trans = value == "trans" or (in_trans and value != "endtrans")
        if kind != "whitespace":
            tag_name_next = kind == "block_begin"
    return "".join(out)


class _TextAndAttributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []
        self._hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        kinds = {k: (v or "").lower() for k, v in attrs}
        for name, value in attrs:
            shown = name in SPOKEN_ATTRIBUTES or (
                name == "value" and tag == "input" and kinds.get("type") in BUTTON_INPUTS
            )
            if shown and value:
                self.found.append((self.getpos()[0], f"<{tag} {name}>", value))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
            self.found.append((line, "text", data))


def _expression_literals(env: Environment, source: str) -> Iterator[tuple[int, str]]:
    """String literals in Jinja expressions that read as prose and reach the page: not in a
    gettext call, not a dict key, not compared with, not a format or a template name."""
    tokens = [t for t in env.lex(source) if t[1] not in ("whitespace", "comment")]
    stack: list[str] = []
    for i, (lineno, kind, value) in enumerate(tokens):
        before = tokens[i - 1] if i else (0, "", "")
        after = tokens[i + 1] if i + 1 < len(tokens) else (0, "", "")
        if kind == "operator" and value in "([{":
            stack.append(before[2] if value == "(" and before[1] == "name" else value)
        elif kind == "operator" and value in ")]}":
            stack = stack[:-1]
        elif kind in ("variable_end", "block_end"):
            stack = []
        elif kind == "string":
            text = value[1:-1]
            if (
                GETTEXT & set(stack)
                or FORMAT_CALLS & set(stack)
                or "in" in stack
                or after[2] in (":", "==", "!=", "in")
                or before[2] in ("==", "!=", "in", "from", "extends", "include", "import")
                or re.fullmatch(r"[\w/.-]+\.(html|txt|jinja)", text)
                or all(w.startswith(("nhsuk-", "app-")) for w in text.split())  # CSS classes
            ):
                continue
            prose = re.search(r"[^\W\d_]{2,}[,.:;!?]?\s+[^\W\d_]", text) or re.fullmatch(
                r"[A-Z][a-z]+[.!?:]?", text
            )
            if prose and english_words(text):
                yield lineno, text


def template_findings(env: Environment, source: str, *, html: bool = True) -> list[str]:
    """Literal English in a template: ``"line: where: text"`` for each."""
    skeleton = template_skeleton(env, source)
    if html:
        parser = _TextAndAttributes()
        parser.feed(skeleton)
        parser.close()
        found = parser.found
    else:
        found = [
            (1 + skeleton[: m.start()].count("\n"), "text", m.group())
            for m in WORD.finditer(skeleton)
        ]
    problems = [
        f"{line}: {where}: {' '.join(text.split())[:80]}"
        for line, where, text in found
        if english_words(text)
    ]
    problems += [
        f"{line}: expression: {text[:80]}" for line, text in _expression_literals(env, source)
    ]
    return problems


def test_no_template_has_literal_text(app: Flask) -> None:
    found = {}
    for path in TEMPLATES:
        problems = template_findings(app.jinja_env, path.read_text(), html=path.suffix == ".html")
        if problems:
            found[rel(path)] = problems
    assert found == {}, "wrap these in _() or {% trans %}"
    assert len(TEMPLATES) > 100  # the glob still finds the templates


@pytest.mark.parametrize(
    ("source", "html", "expected"),
    [
        ("<p>Hello there</p>", True, ["1: text: Hello there"]),
        ('<p>{{ _("Hello") }}</p>\n<h1>\n  Your account</h1>', True, ["3: text: Your account"]),
        (
            "{% trans %}Hello {{ name }}{% endtrans %}<p>{{ n }} sessions</p>",
            True,
            ["1: text: sessions"],
        ),
        ('<a href="#" aria-label="Close">{{ _("x") }}</a>', True, ["1: <a aria-label>: Close"]),
        (
            '<img src="a.png" alt="{{ _("A map") }}"><img alt="A map">',
            True,
            ["1: <img alt>: A map"],
        ),
        (
            '<input type="submit" value="Save"><button value="en">{{ _("Save") }}</button>',
            True,
            ["1: <input value>: Save"],
        ),
        ('{{ button({"text": "Save and continue"}) }}', True, ["1: expression: Save and continue"]),
        (
            '{{ x | dateformat("d MMMM yyyy") }}{% if f.type == "TextAreaField" %}{% endif %}',
            True,
            [],
        ),
        ('<strong class="{{ "nhsuk-tag nhsuk-tag--blue" }}">{{ _("Beta") }}</strong>', True, []),
        ("<p>NHS &nbsp;&ndash; 12 &copy;</p><script>let a = 'word word';</script>", True, []),
        ('<button lang="cy">Cymraeg</button>{# A comment is not shown #}', True, []),
        ('{{ _("Dear %(name)s,", name=user.name) }}\n\n{{ link }}\n', False, []),
        ("Dear {{ user.name }},\n", False, ["1: text: Dear"]),
    ],
)
def test_the_template_scanner_finds_literal_text(app, source, html, expected) -> None:
    assert template_findings(app.jinja_env, source, html=html) == expected


# --- 1b. Templates: nhsuk-frontend macros that fall back on their own English -----------

# What each component needs so that none of its built-in English is used: alternatives
# (any one will do) of dotted paths into the macro's parameters. The defaults are in
# nhsuk_frontend_jinja's templates (``default("Information")`` and the like).
NEEDS: dict[str, list[tuple[str, ...]]] = {
    "inset-text": [("visuallyHiddenText",)],
    # A heading as a plain (translated, so escaped) string is shown twice: as text and HTML.
    "warning-callout": [
        ("heading.text", "heading.html"),
        ("visuallyHiddenText", "heading.visuallyHiddenText"),
    ],
    "error-message": [("visuallyHiddenText",)],
    "back-link": [("text", "html")],
    "skip-link": [("text",)],
    "breadcrumb": [("ariaLabel", "labelText")],
    "pagination": [("ariaLabel", "landmarkLabel")],
    "notification-banner": [("titleText", "titleHtml", "title")],
    "tabs": [("visuallyHiddenText", "title")],
    "contents-list": [("ariaLabel", "landmarkLabel"), ("visuallyHiddenText",)],
    "code": [("copyButtonText", "button.text")],
    "search-input": [("button.ariaLabel",)],
    "password-input": [
        ("showPasswordText",),
        ("hidePasswordText",),
        ("showPasswordAriaLabelText", "showPasswordAriaLabel"),
        ("hidePasswordAriaLabelText", "hidePasswordAriaLabel"),
        ("passwordShownAnnouncementText",),
        ("passwordHiddenAnnouncementText",),
    ],
    "character-count": [("textareaDescriptionText",)],
    "footer": [("copyright.text",)],
}
# Needed only when the parameter on the left is given.
NEEDS_IF: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "pagination": [
        ("previous", ("previous.text", "previous.html")),
        ("next", ("next.text", "next.html")),
    ],
    "header": [
        ("account", ("account.ariaLabel",)),
        ("navigation", ("navigation.ariaLabel",)),
        ("navigation", ("navigation.toggleMenuText",)),
        ("navigation", ("navigation.toggleMenuVisuallyHiddenText",)),
        ("search", ("search.visuallyHiddenLabel", "search.label.visuallyHiddenText")),
    ],
    "footer": [("meta", ("meta.visuallyHiddenText", "meta.visuallyHiddenTitle"))],
    "character-count": [
        ("maxwords", ("wordsAtLimitText",)),
        ("maxwords", ("wordsUnderLimitText",)),
        ("maxwords", ("wordsOverLimitText",)),
        ("maxlength", ("charactersAtLimitText",)),
        ("maxlength", ("charactersUnderLimitText",)),
        ("maxlength", ("charactersOverLimitText",)),
    ],
    "breadcrumb": [("backLink", ("backLink.visuallyHiddenText",))],
}
MACRO_IMPORT = re.compile(r"nhsuk/components/([\w-]+)/macro\.jinja")


class _Params:
    """What an nhsuk macro call's parameters give, following ``{% set %}`` names and both
    sides of ``x if y else z`` (a side that gives nothing, like ``undefined``, is left out)."""

    UNKNOWN = (nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Filter)  # could be a dict

    def __init__(self, template: nodes.Template) -> None:
        self.sets: dict[str, list[nodes.Expr]] = {}
        for assign in template.find_all(nodes.Assign):
            if isinstance(assign.target, nodes.Name):
                self.sets.setdefault(assign.target.name, []).append(assign.node)

    def sides(self, node: nodes.Expr | None, seen: frozenset = frozenset()) -> list[nodes.Expr]:
        if node is None or (isinstance(node, nodes.Name) and node.name in ("undefined", "none")):
            return []
        if isinstance(node, nodes.Const) and node.value is None:
            return []
        if isinstance(node, nodes.Dict) and not node.items:
            return []
        if isinstance(node, nodes.CondExpr):
            return self.sides(node.expr1, seen) + self.sides(node.expr2, seen)
        if isinstance(node, nodes.Name) and node.name in self.sets and node.name not in seen:
            return [s for v in self.sets[node.name] for s in self.sides(v, seen | {node.name})]
        return [node]

    def look(self, node: nodes.Expr, path: str) -> tuple[bool, bool]:
        """(given on some side, missing on some side) for a dotted ``path``. A side that is
        a variable the template does not set could be anything, so counts as neither."""
        key, _dot, rest = path.partition(".")
        given = missing = False
        for side in self.sides(node):
            if isinstance(side, self.UNKNOWN):
                continue
            value = next(
                (p.value for p in getattr(side, "items", []) if getattr(p.key, "value", 0) == key),
                None,
            )
            if value is None or not self.sides(value):
                missing = True
            elif rest:
                deeper = self.look(value, rest)
                given, missing = given or deeper[0], missing or deeper[1]
            else:
                given = True
        return given, missing


def component_imports(env: Environment, sources: list[str]) -> dict[str, str]:
    """The name each template imports an nhsuk component macro as -> the component."""
    names = {}
    for source in sources:
        for imported in env.parse(source).find_all(nodes.FromImport):
            match = MACRO_IMPORT.fullmatch(getattr(imported.template, "value", ""))
            for name in imported.names if match else ():
                names[name[1] if isinstance(name, tuple) else name] = match.group(1)
    return names


def macro_findings(env: Environment, source: str, components: dict[str, str]) -> list[str]:
    template = env.parse(source)
    params = _Params(template)
    problems = []
    for call in template.find_all(nodes.Call):
        component = components.get(getattr(call.node, "name", None))
        if component is None:
            continue
        sides = params.sides(call.args[0]) if call.args else []
        if not sides or not all(isinstance(side, nodes.Dict) for side in sides):
            problems.append(f"{call.lineno}: {component}: parameters are not a literal dict")
            continue
        needs = list(NEEDS.get(component, []))
        needs += [
            alternatives
            for when, alternatives in NEEDS_IF.get(component, [])
            if params.look(call.args[0], when)[0]
        ]
        if params.look(call.args[0], "errorMessage")[0]:  # its hidden "Error:" prefix
            needs.append(("errorMessage.visuallyHiddenText",))
        for alternatives in needs:
            if all(params.look(call.args[0], path)[1] for path in alternatives):
                problems.append(f"{call.lineno}: {component} needs {' or '.join(alternatives)}")
    return problems


def test_no_nhsuk_macro_falls_back_on_its_english(app: Flask) -> None:
    sources = {rel(p): p.read_text() for p in TEMPLATES}
    components = component_imports(app.jinja_env, list(sources.values()))
    assert {"inset-text", "warning-callout", "header", "back-link"} <= set(components.values())
    found = {}
    for name, source in sources.items():
        problems = macro_findings(app.jinja_env, source, components)
        if problems:
            found[name] = problems
    assert found == {}, "pass translated text for these, or the macro shows its own English"


def test_the_macro_check_finds_english_defaults(app: Flask) -> None:
    source = (
        '{% from "nhsuk/components/inset-text/macro.jinja" import insetText %}\n'
        '{% from "nhsuk/components/pagination/macro.jinja" import pagination as pager %}\n'
        '{% from "nhsuk/components/warning-callout/macro.jinja" import warningCallout %}\n'
        '{% from "nhsuk/components/radios/macro.jinja" import radios %}\n'
        '{{ insetText({"text": _("Read this")}) }}\n'
        '{{ insetText({"text": _("Read this"), "visuallyHiddenText": _("Information")}) }}\n'
        '{{ pager({"ariaLabel": _("Pages"), "next": {"href": "/2"}}) }}\n'
        "{{ pager(params) }}\n"
        '{% set prev = {"href": "/1", "text": _("Previous")} if before else {} %}\n'
        '{{ pager({"ariaLabel": _("Pages"), "previous": prev}) }}\n'
        '{{ warningCallout({"heading": _("Careful"), "visuallyHiddenText": _("Important")}) }}\n'
        '{{ radios({"errorMessage": {"text": e} if e else undefined, "items": []}) }}\n'
        '{% set error = {"text": e, "visuallyHiddenText": _("Error")} if e else undefined %}\n'
        '{{ radios({"errorMessage": error, "items": []}) }}\n'
    )
    components = component_imports(app.jinja_env, [source])
    assert macro_findings(app.jinja_env, source, components) == [
        "5: inset-text needs visuallyHiddenText",
        "7: pagination needs next.text or next.html",
        "8: pagination: parameters are not a literal dict",
        "11: warning-callout needs heading.text or heading.html",
        "12: radios needs errorMessage.visuallyHiddenText",
    ]


# --- 2. Python: literals handed to the places people read them -------------------------

# Call -> (positions, keywords) of the arguments people read.
SINKS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "flash": ((0,), ("message",)),
    "add_error": ((2,), ("message",)),
    "send_email": ((1,), ("subject",)),
    "notify": ((1,), ("message",)),
    "tell": ((1, 2, 4), ("subject", "message", "link_text")),
    "tell_applicant": ((1, 2), ("subject", "message")),
    "ValidationError": ((0,), ("message",)),
    "StopValidation": ((0,), ("message",)),
    # WTForms validators, at the place each takes its message.
    "DataRequired": ((0,), ()),
    "InputRequired": ((0,), ()),
    "Email": ((0,), ()),
    "EqualTo": ((1,), ()),
    "Length": ((2,), ()),
    "NumberRange": ((2,), ()),
    "Regexp": ((2,), ()),
    "URL": ((2,), ()),
    "AnyOf": ((1,), ()),
    "NoneOf": ((1,), ()),
    "FileRequired": ((0,), ()),
    "FileAllowed": ((1,), ()),
    "FileSize": ((2,), ()),
    # The certificate (fpdf2): text drawn on the page, and the PDF's title and subject.
    "cell": ((2,), ("text", "txt")),
    "multi_cell": ((2,), ("text", "txt")),
    "write": ((1,), ("text", "txt")),
    "set_title": ((0,), ()),
    "set_subject": ((0,), ()),
    "set_keywords": ((0,), ()),
    "Line": ((0,), ("text",)),
    # CSV downloads: the heading row (data rows are values, not words of ours).
    "writerow": ((0,), ()),
}
# Keywords that carry text people read, in any call.
TEXT_KEYWORDS = {
    "message",
    "invalid_message",
    "description",
    "alt_text",
    "link_text",
    "sheet_name",
}
# Mappings whose values people read: enum labels, report and export headings.
MAPPING_SINKS = {"set_labels": 1}
MAPPING_KEYWORDS = {"headings"}
RENDER_KW_SHOWN = {"placeholder", "title", "aria-label", "aria-description"}
# Errors of lms whose text never reaches a person, so may be plain English. Every other
# ``*Error`` class defined in lms is a domain refusal that the pages show.
INTERNAL_ERRORS = {
    "ImmutableRecordError": "a programming error: signed-off records are never edited",
    "ContentError": "for module authors, from `flask content sync` (English content files)",
    "PairingError": "the pure buddy-pairing algorithm's; the service shows its own message",
    "AllocationError": "the pure set-allocation algorithm's: input the service never gives",
}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def untranslated(node: ast.AST | None) -> list[tuple[int, str]]:
    """English literals that ``node`` can evaluate to without passing through gettext."""
    if node is None:
        return []
    if isinstance(node, ast.Constant):
        text = node.value if isinstance(node.value, str) else ""
        return [(node.lineno, text)] if english_words(text) else []
    if isinstance(node, ast.JoinedStr):  # an f-string: its literal parts are English
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return [(node.lineno, text)] if english_words(text) else []
    if isinstance(node, ast.Call):
        name = _name(node.func)
        if name in GETTEXT:
            return []
        if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Constant):
            return untranslated(node.func.value)  # "... {}".format(...)
        return [f for arg in node.args for f in untranslated(arg)] if name == "str" else []
    children: list[ast.AST | None] = []
    if isinstance(node, ast.BinOp):
        children = [node.left, node.right]
    elif isinstance(node, ast.IfExp):
        children = [node.body, node.orelse]
    elif isinstance(node, ast.BoolOp):
        children = list(node.values)
    elif isinstance(node, ast.Lambda):
        children = [node.body]
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        children = list(node.elts)
    return [f for child in children for f in untranslated(child)]


def _mapping_values(node: ast.AST) -> list[ast.AST]:
    return [v for v in node.values if v is not None] if isinstance(node, ast.Dict) else [node]


def python_findings(source: str, user_errors: set[str], *, form_module: bool = False) -> list[str]:
    """``"line: call: text"`` for each English literal a person would read."""
    problems = []
    errors = user_errors | ({"ValueError"} if form_module else set())
    for call in ast.walk(ast.parse(source)):
        if not isinstance(call, ast.Call):
            continue
        name = _name(call.func) or ""
        shown: list[ast.AST] = []
        positions, keywords = SINKS.get(name, ((), ()))
        if name in errors:
            positions, keywords = (0,), ("message",)
        shown += [call.args[i] for i in positions if i < len(call.args)]
        shown += [k.value for k in call.keywords if k.arg in (*keywords, *TEXT_KEYWORDS)]
        if name == "append" and _name(getattr(call.func, "value", None)) in (
            "errors",
            "form_errors",
        ):
            shown += call.args[:1]
        if name in MAPPING_SINKS and len(call.args) > MAPPING_SINKS[name]:
            shown += _mapping_values(call.args[MAPPING_SINKS[name]])
        for k in call.keywords:
            if k.arg in MAPPING_KEYWORDS:
                shown += _mapping_values(k.value)
        if name.endswith("Field"):  # a WTForms field: its label, choices' labels, render_kw
            shown += call.args[:1] + [k.value for k in call.keywords if k.arg == "label"]
            for k in call.keywords:
                if k.arg == "choices" and isinstance(k.value, ast.List | ast.Tuple):
                    shown += [c.elts[1] for c in k.value.elts if isinstance(c, ast.Tuple)]
                if k.arg == "render_kw" and isinstance(k.value, ast.Dict):
                    shown += [
                        v
                        for key, v in zip(k.value.keys, k.value.values, strict=True)
                        if getattr(key, "value", None) in RENDER_KW_SHOWN
                    ]
        for node in shown:
            problems += [
                (line, f"{line}: {name}: {text[:80]}") for line, text in untranslated(node)
            ]
    return [problem for _line, problem in sorted(problems)]


def user_facing_errors() -> set[str]:
    """Every ``*Error`` class defined in lms, less the internal ones."""
    found = set()
    for path in LMS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Error"):
                found.add(node.name)
    assert set(INTERNAL_ERRORS) <= found, "an internal error class was renamed or removed"
    return found - set(INTERNAL_ERRORS)


def test_no_user_facing_python_string_is_untranslated() -> None:
    errors = user_facing_errors()
    assert {"AccountError", "ApplicationError", "PracticeError"} <= errors
    found = {}
    for path in sorted(LMS.rglob("*.py")):
        problems = python_findings(path.read_text(), errors, form_module="forms" in path.stem)
        if problems:
            found[rel(path)] = problems
    assert found == {}, "wrap these in _() (in a request) or _l() (at import time)"


def test_the_python_check_finds_untranslated_strings() -> None:
    source = """
class ExampleForm(FlaskForm):
    name = StringField("Full name", validators=[InputRequired(message=_l("Enter a name"))])
    size = RadioField(_l("Size"), choices=[("s", "Small"), ("l", _l("Large"))])
    tel = StringField(_l("Phone"), render_kw={"placeholder": "Your phone", "autocomplete": "tel"})
    age = IntegerField(_l("Age"), validators=[NumberRange(1, 99, "Enter an age")])

    def validate_name(self, field):
        if field.data == "x":
            raise ValueError("Not allowed")

def view():
    flash(_("Saved"), "success")
    flash("Saved", "success")
    flash(f"Saved {count} items" if count else _("Nothing saved"))
    raise AccountError("That email address is taken")
    raise AccountError(_("That email address is taken"))
    send_email(user.email, "Welcome to the programme", body)
    tell(user, lambda: _("Hi"), lambda: "Your set has moved", link, lambda: _("See it"))
    form.name.errors.append("Too long")
    set_labels(Colour, {Colour.RED: _l("Red"), Colour.BLUE: "Blue"})
    raise RuntimeError("an internal message nobody is shown")
    writer.writerow([_("Session"), "Date", session.number])
    frame.to_excel(buffer, sheet_name="Applications", index=False)
"""
    assert python_findings(source, {"AccountError"}, form_module=True) == [
        "3: StringField: Full name",
        "4: RadioField: Small",
        "5: StringField: Your phone",
        "6: NumberRange: Enter an age",
        "10: ValueError: Not allowed",
        "14: flash: Saved",
        "15: flash: Saved  items",
        "16: AccountError: That email address is taken",
        "18: send_email: Welcome to the programme",
        "19: tell: Your set has moved",
        "20: append: Too long",
        "21: set_labels: Blue",
        "23: writerow: Date",
        "24: to_excel: Applications",
    ]
