"""Welsh: the interface renders in Welsh, and the catalogue is complete and well-formed."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).parents[1] / "lms/translations/cy/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _messages():
    with CATALOGUE.open("rb") as handle:
        return [m for m in read_po(handle, locale="cy") if m.id]


def test_every_message_is_translated_and_none_is_fuzzy():
    missing = []
    for message in _messages():
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if message.fuzzy or not all(strings):
            missing.append(message.id)
    assert missing == [], f"untranslated or fuzzy Welsh messages: {missing}"


def test_placeholders_match_in_every_translation():
    broken = []
    for message in _messages():
        ids = message.id if isinstance(message.id, tuple | list) else [message.id]
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        for string in strings:
            if not string:
                continue
            if set(PLACEHOLDER.findall(string)) - wanted or re.search(
                r"%(?![(%])", string.replace("%%", "")
            ):
                broken.append((message.id, string))
    assert broken == []


def test_catalogue_covers_every_message_in_the_code():
    """The template (.pot) made from the code must have no message the catalogue lacks."""
    from babel.messages.extract import extract_from_dir

    root = Path(__file__).parents[1]
    method_map = [
        ("lms/**.py", "python"),
        ("lms/**/templates/**.html", "jinja2"),
        ("lms/**/templates/**.txt", "jinja2"),
    ]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(root), method_map=method_map, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    known = {m.id[0] if isinstance(m.id, tuple | list) else m.id for m in _messages()}
    assert sorted(found - known) == [], "run `make translations` and translate the new messages"


@pytest.mark.parametrize("path", ["/", "/sign-in", "/register", "/privacy"])
def test_pages_render_in_welsh(client, path):
    client.post("/language", data={"language": "cy", "next": path})
    page = client.get(path).get_data(as_text=True)
    assert '<html lang="cy">' in page
    assert "Rhaglen Hwyluswyr ALS" in page
    assert "Skip to main content" not in page


def test_signed_in_welsh_speaker_gets_welsh_emails_and_pages(client, make_user, outbox):
    user = make_user(language="cy")
    client.post("/reset-password", data={"email": user.email})
    email = outbox()[-1]
    assert "Rhaglen Hwyluswyr ALS" in email.body
