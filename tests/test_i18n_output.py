"""What goes out in Welsh (issue 9): every email template and the award certificate,
rendered for a Welsh speaker, share no sentence with the English rendering but names and
links, and none of their messages is "translated" in the catalogue as the English itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from flask import Flask, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from tests.test_i18n_coverage import CATALOGUE, LMS, english_words

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%\{count\}")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
PERSON = SimpleNamespace(name="Gwenllian Dŵr")
LINK = "https://als.example.org/a/link/abc123"
EMAILS = sorted(p for p in LMS.glob("**/templates/**/email/*.txt"))


def _catalogue() -> dict[str, str]:
    with CATALOGUE.open("rb") as handle:
        return {
            (m.id[0] if isinstance(m.id, tuple | list) else m.id): (
                m.string[0] if isinstance(m.string, tuple | list) else m.string
            )
            for m in read_po(handle, locale="cy")
            if m.id
        }


def translated_as_itself(path: Path) -> list[str]:
    """Messages of ``path`` whose Welsh is the English itself (placeholders and allowed
    words such as NHS aside)."""
    method = "python" if path.suffix == ".py" else "jinja2"
    catalogue = _catalogue()
    same = []
    for _line, message, _comments, _context in extract_from_file(method, path, KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if catalogue.get(msgid) == msgid and english_words(PLACEHOLDER.sub("", msgid)):
            same.append(msgid)
    return same


def _email_contexts() -> dict[str, Callable[[], dict]]:
    """A plausible context for each email template, made in the locale being rendered
    (messages and dates are passed in already translated, as their senders do)."""
    from lms.assessment.models import AWARD_TITLE

    expires = date(2029, 3, 14)
    application = SimpleNamespace(
        manager_name="Morgan Rhys",
        full_name="Ceri Jones",
        job_title="Uwch nyrs",
        intake=SimpleNamespace(name="Gwanwyn 2027"),
    )
    return {
        "email/password_changed.txt": lambda: {"user": PERSON},
        "email/password_reset.txt": lambda: {"user": PERSON, "link": LINK, "hours": 2},
        "applications/email/endorsement_request.txt": lambda: {
            "application": application,
            "link": LINK,
            "expires_on": format_date(expires, "long"),
            "reminder": True,
        },
        "notifications/email/message.txt": lambda: {
            "user": PERSON,
            "message": _(
                "Your %(award)s lapses on %(date)s. To renew it, please contact the programme "
                "team before then.",
                award=str(AWARD_TITLE),
                date=format_date(expires, "long"),
            ),
            "link": LINK,
            "link_text": _("See your award"),
        },
    }


def _template_name(path: Path) -> str:
    parts = path.relative_to(LMS).parts
    return "/".join(parts[parts.index("templates") + 1 :])


def _lines(text: str) -> set[str]:
    return {" ".join(line.split()) for line in text.splitlines() if line.strip()}


def test_every_email_has_a_welsh_rendering_test() -> None:
    assert {_template_name(p) for p in EMAILS} == set(_email_contexts())


@pytest.mark.parametrize("path", EMAILS, ids=_template_name)
def test_email_reads_in_welsh(app: Flask, path: Path) -> None:
    """The Welsh email shares no line with the English one but its link, and none of its
    messages is "translated" as the English."""
    name = _template_name(path)
    rendered = {}
    with app.test_request_context():
        for locale in ("en_GB", "cy"):
            with force_locale(locale):
                rendered[locale] = render_template(name, **_email_contexts()[name]())
    english, welsh = _lines(rendered["en_GB"]), _lines(rendered["cy"])
    assert len(english) >= 3
    assert english & welsh <= {LINK}, f"English left in the Welsh {name}"
    assert "Rhaglen Hwyluswyr ALS" in rendered["cy"]
    assert translated_as_itself(path) == []


def test_the_certificate_reads_in_welsh(db, make_user, make_intake, monkeypatch) -> None:
    """Every string drawn on the certificate differs in Welsh, but the holder's name and
    the verification address; and the Welsh PDF contains none of the English ones."""
    from fpdf import FPDF
    from pypdf import PdfReader

    from lms.assessment.certificate import certificate_pdf
    from tests.assessment.test_certificate import build_award

    drawn: list[str] = []
    for method in ("cell", "multi_cell"):
        original = getattr(FPDF, method)

        def record(self, *args, _original=original, **kwargs):
            text = kwargs.get("text", args[2] if len(args) > 2 else "")
            if text:
                drawn.append(" ".join(str(text).split()))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(FPDF, method, record)
    award = build_award(
        db,
        make_user,
        make_intake,
        intake_name="Gwanwyn 2026",
        expires_at=datetime(2029, 3, 14, 10, 30, tzinfo=UTC),
    )
    strings, texts = {}, {}
    for language in ("en", "cy"):
        award.user.language = language
        drawn.clear()
        pdf = certificate_pdf(award)
        strings[language] = set(drawn)
        reader = PdfReader(BytesIO(pdf))
        texts[language] = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        texts[language] += f" {reader.metadata.title} {reader.metadata.subject}"
    same = strings["en"] & strings["cy"]
    assert same == {award.holder_name, award.verification_url}
    english_only = strings["en"] - same
    assert len(english_only) >= 8
    assert [s for s in english_only if s in texts["cy"]] == []
    assert "Award certificate" in texts["en"] and "Award certificate" not in texts["cy"]
    assert translated_as_itself(LMS / "assessment/certificate.py") == []
