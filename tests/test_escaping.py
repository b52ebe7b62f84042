"""Text given to the NHS.UK macros (.jinja files) is escaped like text in our own pages;
only their ``html`` parameters print markup."""

from __future__ import annotations

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
