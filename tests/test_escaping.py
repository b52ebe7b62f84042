"""Text given to the NHS.UK macros (.jinja files) is escaped like text in our own pages;
only their ``html`` parameters print markup."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from flask import render_template_string

PAYLOAD = "</textarea><script>alert(1)</script>"


def test_macro_text_parameters_are_escaped(app):
    with app.test_request_context():
        page = render_template_string(
            '{% from "nhsuk/components/summary-list/macro.jinja" import summaryList %}'
            '{{ summaryList({"rows": [{"key": {"text": k}, "value": {"text": v}}]}) }}',
            k=PAYLOAD,
            v=PAYLOAD,
        )
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_macro_html_parameters_still_print_markup(app):
    with app.test_request_context():
        page = render_template_string(
            '{% from "nhsuk/components/inset-text/macro.jinja" import insetText %}'
            '{{ insetText({"html": "<p>Kept</p>"}) }}'
        )
    assert "<p>Kept</p>" in page


def test_the_error_summary_escapes_messages(app):
    from wtforms import Form, StringField

    class Typed(Form):
        name = StringField("Name")

    form = Typed(data={"name": PAYLOAD})
    form.name.errors = [PAYLOAD]
    with app.test_request_context():
        page = render_template_string(
            '{% from "macros/forms.html" import error_summary, field %}'
            "{{ error_summary(form) }}{{ field(form.name) }}",
            form=form,
        )
    assert "<script>" not in page and "&lt;script&gt;" in page


# --- Markup marked safe by hand: a reviewed list --------------------------------------

LMS = Path(__file__).resolve().parent.parent / "lms"
TEMPLATE_SUFFIXES = (".html", ".jinja", ".xml", ".svg", ".txt")
SAFE_FILTER = re.compile(r"\|\s*safe\b|\{%-?\s*autoescape\s+false")

# Each place text is marked safe by hand (file, what it marks), and why it is not user data.
REVIEWED_SAFE = {
    ("lms/curriculum/templates/curriculum/activity_reading.html", "page.html | safe"): (
        "a module's reading page: Markdown from content/modules/*.md, written by the "
        "programme team and loaded by `flask content sync`, rendered with raw HTML off "
        "and cleaned by nh3 with an allow-list (lms/curriculum/content.py)"
    ),
    ("lms/reports/charts.py", 'Markup("".join(out))'): (
        "a report's bar chart as SVG: every label and number goes through escape(); the "
        "rest is numbers and the chart's own attribute names"
    ),
    ("lms/accounts/two_factor.py", "Markup(svg)"): (
        "the QR code segno draws of the service's own otpauth address; no text from anyone"
    ),
}


def marked_safe(root: Path = LMS) -> list[tuple[str, str]]:
    """Every ``|safe``, ``{% autoescape false %}``, ``Markup(...)`` call and ``__html__``
    method under ``root``: (file, the marked text)."""
    found = []
    for path in sorted(root.rglob("*")):
        where = str(path.relative_to(root.parent))
        if path.suffix in TEMPLATE_SUFFIXES:
            for line in path.read_text().splitlines():
                for match in SAFE_FILTER.finditer(line):
                    if "autoescape" in match.group(0):
                        found.append((where, "{% autoescape false %}"))
                    else:
                        found.append((where, line[: match.end()].rsplit("{{", 1)[-1].strip()))
        elif path.suffix == ".py":
            source = path.read_text()
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Call):
                    func = node.func
                    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    if name == "Markup":
                        found.append((where, ast.get_source_segment(source, node)))
                elif isinstance(node, ast.FunctionDef) and node.name == "__html__":
                    found.append((where, "def __html__"))
    return found


def test_text_is_marked_safe_only_where_reviewed():
    found = marked_safe()
    unreviewed = [item for item in found if item not in REVIEWED_SAFE]
    assert not unreviewed, (
        "text marked safe by hand: check it can never hold what someone typed, then add it "
        f"to REVIEWED_SAFE with the reason: {unreviewed}"
    )
    gone = [item for item in REVIEWED_SAFE if item not in found]
    assert not gone, f"reviewed but no longer there (take them out): {gone}"


def test_the_scan_finds_markup_marked_safe(tmp_path):
    package = tmp_path / "lms"
    package.mkdir()
    (package / "page.html").write_text("<p>{{ note.text | safe }}</p>{% autoescape false %}")
    (package / "views.py").write_text(
        "from markupsafe import Markup\n"
        "class Note:\n"
        "    def __html__(self):\n"
        "        return self.text\n"
        "def show(note):\n"
        "    return Markup(note.text)\n"
    )
    assert sorted(marked_safe(package)) == [
        ("lms/page.html", "note.text | safe"),
        ("lms/page.html", "{% autoescape false %}"),
        ("lms/views.py", "Markup(note.text)"),
        ("lms/views.py", "def __html__"),
    ]


# --- The NHS.UK macros' ``html`` parameters ---------------------------------------------

HTML_PARAM = re.compile(r"""["']html["']\s*:\s*([^,}\n]+)|\bhtml=([^,)\s]+)""")
# Inside lms/templates/macros/callouts.html the macros pass their own ``html`` through.
PASSED_THROUGH = {("lms/templates/macros/callouts.html", "html")}


def test_html_parameters_get_only_markup_built_in_the_template():
    """An NHS.UK macro prints its ``html`` as it is. What a template gives it must be
    built in the template, where text is escaped: a ``{% set name %}...{% endset %}``
    block or a macro's output, never a value from the view or text joined with ``~``."""
    problems = []
    for path in sorted(LMS.rglob("*.html")):
        where = str(path.relative_to(LMS.parent))
        source = path.read_text()
        blocks = set(re.findall(r"\{%-?\s*set\s+(\w+)\s*-?%\}", source))
        macros = set(re.findall(r"\{%-?\s*macro\s+(\w+)\(", source))
        macros |= set(re.findall(r"\bimport\s+([\w\s,]+?)\s*(?:with context\s*)?-?%\}", source))
        imported = {n.strip() for group in macros for n in group.split(",")}
        for match in HTML_PARAM.finditer(source):
            value = (match.group(1) or match.group(2)).strip()
            name = value.split("(", 1)[0].strip()
            if (where, value) in PASSED_THROUGH or value == "none":
                continue
            if "(" in value and name in imported:
                continue
            if re.fullmatch(r"\w+", value) and value in blocks:
                continue
            problems.append(f"{where}: html given {value!r}")
    assert not problems, "\n".join(problems)
