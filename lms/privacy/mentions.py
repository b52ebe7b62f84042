"""After an erasure: the person's name and addresses wherever other people wrote them.

Text the erased person wrote is blanked table by table (:mod:`lms.privacy.erasure`). Text
other people wrote stays, because they need it (a supervisor's shared summary, an email
sent to someone else, a lead's trainee CSV), but any mention of the person in it is
replaced by their pseudonym. Every text and JSON column of every table is searched, so a
table added later is covered too. Not searched:

- ``user_account`` (their own row is changed directly; another person with the same name
  must not be renamed), and the columns that hold another record's own holder
  (``IDENTITY_COLUMNS``) for the same reason;
- ``audit_event``, which is append-only and records people by id, never by name;
- secrets (``*_hash``, ``secret``), which cannot hold a name.

Only whole names and addresses are replaced (not a name inside a longer word), and only
names of at least ``MIN_NAME`` characters, so a very short name cannot rewrite unrelated
text. The search runs in the database (LIKE); the replacing is done here, row by row,
with Core statements: an observation's immutability guard protects it from the service's
edits, not from the law's.
"""

from __future__ import annotations

import json
import re
from typing import Any

import sqlalchemy as sa

from lms.extensions import db

SKIPPED_TABLES = frozenset({"user_account", "audit_event"})
IDENTITY_COLUMNS = frozenset(
    {
        ("application", "full_name"),
        ("application", "contact_email"),
        ("award", "holder_name"),
        ("award", "holder_email"),
        ("portfolio_submission", "personal_email"),
    }
)
MIN_NAME = 5


def _pattern(old: str) -> re.Pattern[str]:
    edge = r"[\w.+-]" if "@" in old else r"\w"
    return re.compile(rf"(?<!{edge}){re.escape(old)}(?!{edge})", re.IGNORECASE)


def usable(replacements: dict[str, str]) -> dict[str, str]:
    """The replacements worth searching for: no blanks, no names too short to be safe."""
    return {
        old.strip(): new
        for old, new in replacements.items()
        if old and old.strip() and ("@" in old or len(old.strip()) >= MIN_NAME)
    }


def replace_in(value: Any, patterns: list[tuple[re.Pattern[str], str]]) -> Any:
    """``value`` (text, or JSON's lists and dicts) with every mention replaced."""
    if isinstance(value, str):
        for pattern, new in patterns:
            value = pattern.sub(new, value)
        return value
    if isinstance(value, list):
        return [replace_in(item, patterns) for item in value]
    if isinstance(value, dict):
        return {replace_in(k, patterns): replace_in(v, patterns) for k, v in value.items()}
    return value


def _text_columns(table: sa.Table) -> list[sa.Column]:
    columns = []
    for column in table.columns:
        name = column.name
        if (table.name, name) in IDENTITY_COLUMNS or name == "secret" or name.endswith("_hash"):
            continue
        is_text = isinstance(column.type, sa.String) and not isinstance(column.type, sa.Enum)
        if is_text or isinstance(column.type, sa.JSON):
            columns.append(column)
    return columns


def _condition(column: sa.Column, olds: list[str]):
    is_json = isinstance(column.type, sa.JSON)
    target = sa.cast(column, sa.Text) if is_json else column
    needles = set(olds)
    if is_json:  # JSON is stored with non-ASCII letters escaped
        needles |= {json.dumps(old)[1:-1] for old in olds}
    return sa.or_(
        *(target.contains(n, autoescape=True) for n in needles),
        *(sa.func.lower(target).contains(n.lower(), autoescape=True) for n in needles),
    )


def replace_mentions(replacements: dict[str, str]) -> int:
    """Replace each key of ``replacements`` (a name or an address) by its value in every
    searched column; returns how many values changed. Flush the session first."""
    replacements = usable(replacements)
    if not replacements:
        return 0
    olds = sorted(replacements, key=len, reverse=True)  # "Ann Lee-Smith" before "Ann Lee"
    patterns = [(_pattern(old), replacements[old]) for old in olds]
    changed = 0
    for table in db.metadata.sorted_tables:
        if table.name in SKIPPED_TABLES:
            continue
        key = next(iter(table.primary_key.columns))
        for column in _text_columns(table):
            found = db.session.execute(sa.select(key, column).where(_condition(column, olds))).all()
            for row_key, value in found:
                new = replace_in(value, patterns)
                if new != value:
                    db.session.execute(
                        sa.update(table).where(key == row_key).values({column.name: new})
                    )
                    changed += 1
    return changed
