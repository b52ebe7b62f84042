"""Everything the service holds about a person, as JSON (the UK GDPR right of access).

The tables come from the model metadata, not from a list kept by hand: a *person table* is
one with a column that refers to ``user_account.id`` (and ``user_account`` itself, by its
id). Every row of a person table in which one of those columns is the person's id is
exported. Some rows name the person only as someone who did something to another
person's record (who recorded a register, who reviewed a portfolio), and some of those
rows hold other people's personal or confidential data: ``RULES`` decides, for every
person table, which person columns make a row *theirs* (everything in it is exported)
and which columns are left out of the rows that are not. A test fails when a person
table has no rule, so a new table cannot be missed. ``INDIRECT`` adds rows that are
clearly the person's but are reached through another row (their application's
timeline, the check-ins of their buddy pair). Anonymous feedback (``practice_feedback``)
is not tied to anyone, by design, so it cannot be exported.

Secrets never leave: ``SECRET_COLUMNS``, and any column named ``secret`` or ending in
``_hash``, whatever table it is in. Long tokens in emails (reset links) are removed too.

======================== ============================ ===================================
table                    theirs when                  left out of other rows, and why
======================== ============================ ===================================
user_account             id                           (password_hash: a secret)
application              applicant_id                 -
application_event        actor_id; their application  -
endorsement_request      their application            sent for someone else: the manager's
                                                      address and comment (third party)
review_assignment        reviewer_id                  assigned by them: the reviewer's
                                                      comment; on their application: who
                                                      reviewed (third parties)
audit_event              actor_id; entries about them about them: who acted, from which
                                                      address (third parties)
portfolio_submission     user_id                      reviewed by them: the holder's
                                                      address, statement and frozen items
award                    user_id                      issued or revoked by them: the
                                                      holder's name, address, code, file
buddy_group              -                            made by them: the pairing's
                                                      explanation (about the members)
buddy_check_in           logged_by_id; their pairs    -
buddy_repair_request     user_id                      resolved by them: the buddy's reason
supervision_case         user_id                      answered by them: the facilitator's
                                                      account of their set
practice_follow_through  their own actions            recorded by them: the trainee's
                                                      learning note (confidential to the
                                                      presenter, SPEC section 9)
practice_presentation,   presenter_id / owner_id      (no other person column: a set's
practice_action                                       facilitators get no trainee's text)
practice_allocation_run  -                            run by them: who could not be placed
practice_trainee_import  -                            uploaded by them: the trainees' CSV
report_run               -                            asked for by them: the report tables
observation_rating       their observations           -
email_message            sent to one of their         -
                         addresses
every other person table every person column         -
======================== ============================ ===================================
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from lms import audit
from lms.accounts.models import User
from lms.applications.models import Application
from lms.buddy.models import BuddyMember
from lms.db_types import utcnow
from lms.extensions import db
from lms.practice.models import Action
from lms.supervision.models import Observation

PERSON_TABLE = "user_account"

# Never exported. Any column named "secret" or ending "_hash" is dropped as well.
SECRET_COLUMNS: frozenset[tuple[str, str]] = frozenset(
    {
        ("user_account", "password_hash"),
        ("password_reset_token", "token_hash"),
        ("endorsement_request", "token_hash"),
        ("user_session", "token_hash"),
        ("two_factor", "secret"),
        ("recovery_code", "code_hash"),
    }
)

# A reset or invitation link's token in an email body (secrets.token_urlsafe(32): 43).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{40,}")
REMOVED = "[removed]"


@dataclass(frozen=True)
class Rule:
    """``mine``: person columns that make a row the person's (everything in it is theirs).
    ``withheld``: columns left out of a row that names them only in another column."""

    mine: tuple[str, ...] = ()
    withheld: tuple[str, ...] = ()


def _everything(*columns: str) -> Rule:
    return Rule(mine=columns)


RULES: dict[str, Rule] = {
    "user_account": _everything("id"),
    # Accounts and sign-in
    "user_role": _everything("user_id"),  # and roles they gave (granted_by_id): no text
    "password_reset_token": _everything("user_id"),
    "user_session": _everything("user_id"),
    "two_factor": _everything("user_id"),
    "recovery_code": _everything("user_id"),
    "notification": _everything("user_id"),
    "audit_event": _everything("actor_id"),
    # Applications
    "application": _everything("applicant_id"),
    "application_event": _everything("actor_id"),
    "endorsement_request": Rule(withheld=("manager_email", "comment")),
    "review_assignment": Rule(mine=("reviewer_id",), withheld=("comment",)),
    "equality_response": _everything("user_id"),
    "intake_facilitator": _everything("user_id"),
    # Curriculum
    "activity_progress": _everything("user_id"),
    "module_completion": _everything("user_id"),
    "quiz_attempt": _everything("user_id"),
    "reflection": _everything("user_id"),
    "workshop_day": _everything("run_by_id", "created_by_id"),
    "workshop_attendance": _everything("user_id", "recorded_by_id"),
    # Supervision and observation
    "supervision_group": _everything("supervisor_id", "created_by_id"),
    "supervision_membership": _everything("user_id", "added_by_id", "removed_by_id"),
    "supervision_session": _everything("summary_by_id", "created_by_id"),
    "supervision_attendance": _everything("user_id", "recorded_by_id"),
    "supervision_private_note": _everything("author_id"),
    "supervision_case": Rule(mine=("user_id",), withheld=("what_happened", "help_wanted")),
    "observation": _everything("facilitator_id", "observer_id"),
    "observation_reflection": _everything("author_id"),
    # Buddies
    "buddy_group": Rule(withheld=("links",)),
    "buddy_member": _everything("user_id"),
    "buddy_rule": _everything("first_id", "second_id", "created_by_id"),
    "buddy_check_in": _everything("logged_by_id"),
    "buddy_repair_request": Rule(mine=("user_id",), withheld=("reason",)),
    # Observed practice
    "practice_trainee": _everything("user_id"),
    "practice_trainee_import": Rule(withheld=("content",)),
    "practice_allocation_run": Rule(withheld=("unplaced",)),
    "practice_set": _everything("created_by_id"),
    "practice_set_facilitator": _everything("user_id"),
    "practice_set_member": _everything("user_id"),
    "practice_attendance": _everything("user_id", "recorded_by_id"),
    "practice_presentation": _everything("presenter_id"),
    "practice_action": _everything("owner_id"),
    "practice_follow_through": Rule(withheld=("learning_note",)),
    "practice_session_log": _everything("author_id"),
    "practice_feedback_receipt": _everything("user_id"),
    # Portfolio and award
    "portfolio_showcase": _everything("user_id"),
    "evidence_upload": _everything("owner_id"),
    "portfolio_submission": Rule(
        mine=("user_id",), withheld=("personal_email", "statement", "snapshot")
    ),
    "award_scheme": _everything("updated_by_id"),
    "award": Rule(
        mine=("user_id",), withheld=("holder_name", "holder_email", "code", "certificate_name")
    ),
    # Reports
    "report_run": Rule(withheld=("result",)),
}


@dataclass(frozen=True)
class Indirect:
    """Rows of a table that are the person's through another row: ``where(person)`` finds
    them; ``withheld`` columns are left out (they name other people)."""

    where: Callable[[User], Any]
    withheld: tuple[str, ...] = ()


def _their_applications(person: User):
    return sa.select(Application.id).where(Application.applicant_id == person.id)


def _emails(person: User) -> list[str]:
    return [e.lower() for e in (person.email, person.personal_email) if e]


def _table(name: str) -> sa.Table:
    return db.metadata.tables[name]


INDIRECT: dict[str, Indirect] = {
    "application_event": Indirect(
        lambda p: _table("application_event").c.application_id.in_(_their_applications(p))
    ),
    "endorsement_request": Indirect(
        lambda p: _table("endorsement_request").c.application_id.in_(_their_applications(p))
    ),
    "review_assignment": Indirect(
        lambda p: _table("review_assignment").c.application_id.in_(_their_applications(p)),
        withheld=("reviewer_id", "assigned_by_id"),
    ),
    "audit_event": Indirect(
        lambda p: sa.and_(
            _table("audit_event").c.subject_type == "User",
            _table("audit_event").c.subject_id == p.id,
        ),
        withheld=("actor_id", "ip_address"),
    ),
    "buddy_check_in": Indirect(
        lambda p: _table("buddy_check_in").c.group_id.in_(
            sa.select(BuddyMember.group_id).where(BuddyMember.user_id == p.id)
        )
    ),
    "observation_rating": Indirect(
        lambda p: _table("observation_rating").c.observation_id.in_(
            sa.select(Observation.id).where(
                sa.or_(Observation.facilitator_id == p.id, Observation.observer_id == p.id)
            )
        )
    ),
    "practice_follow_through": Indirect(
        lambda p: _table("practice_follow_through").c.action_id.in_(
            sa.select(Action.id).where(Action.owner_id == p.id)
        )
    ),
    "email_message": Indirect(
        lambda p: sa.func.lower(_table("email_message").c.recipient).in_(_emails(p))
    ),
}


# --- Which tables -------------------------------------------------------------------------


def person_columns(table: sa.Table) -> list[sa.Column]:
    """The columns of ``table`` that refer to a person (``user_account.id``)."""
    if table.name == PERSON_TABLE:
        return [table.c.id]
    return [
        column
        for column in table.columns
        if any(
            fk.column.table.name == PERSON_TABLE and fk.column.name == "id"
            for fk in column.foreign_keys
        )
    ]


def person_tables() -> list[sa.Table]:
    """Every table with a person column, in the metadata's dependency order."""
    return [table for table in db.metadata.sorted_tables if person_columns(table)]


def exported_tables() -> list[str]:
    """The names of every table an export covers (each appears in it, if only as [])."""
    names = {table.name for table in person_tables()} | set(INDIRECT)
    return [table.name for table in db.metadata.sorted_tables if table.name in names]


def is_secret(table: str, column: str) -> bool:
    return (table, column) in SECRET_COLUMNS or column == "secret" or column.endswith("_hash")


# --- Rows ----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(table: sa.Table, row: sa.RowMapping, leave_out: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in table.columns:
        name = column.name
        value = row[name]
        if name in leave_out or is_secret(table.name, name):
            continue
        if isinstance(value, bytes | bytearray | memoryview):
            continue
        if table.name == "email_message" and name == "body" and value:
            value = _TOKEN.sub(REMOVED, value)
        out[name] = _plain(value)
    return out


def _primary_key(table: sa.Table) -> sa.Column:
    return next(iter(table.primary_key.columns))


def table_rows(table: sa.Table, person: User) -> list[dict[str, Any]]:
    """The person's rows of one table, with what the rules leave out already left out. A
    row found more than one way keeps what any of them allows."""
    columns = person_columns(table)
    rule = RULES.get(table.name) or Rule(mine=tuple(c.name for c in columns))
    key = _primary_key(table)
    found: dict[Any, tuple[sa.RowMapping, set[str]]] = {}

    def add(row: sa.RowMapping, leave_out: set[str]) -> None:
        if row[key.name] in found:
            leave_out = leave_out & found[row[key.name]][1]
        found[row[key.name]] = (row, leave_out)

    if columns:
        statement = sa.select(table).where(sa.or_(*(c == person.id for c in columns)))
        for row in db.session.execute(statement).mappings():
            mine = any(row[name] == person.id for name in rule.mine)
            add(row, set() if mine else set(rule.withheld))
    indirect = INDIRECT.get(table.name)
    if indirect is not None:
        for row in db.session.execute(sa.select(table).where(indirect.where(person))).mappings():
            add(row, set(indirect.withheld))
    return [_row(table, *found[k]) for k in sorted(found)]


def build_export(person: User) -> dict[str, Any]:
    """Everything held about ``person``: ``{"generated_at", "person", "tables"}``."""
    tables = db.metadata.tables
    return {
        "generated_at": utcnow().isoformat(),
        "person": {
            "id": person.id,
            "name": person.name,
            "email": person.email,
            "roles": [role.value for role in person.roles],
            "organisation": person.organisation.name if person.organisation else None,
        },
        "tables": {name: table_rows(tables[name], person) for name in exported_tables()},
    }


def export_person(person: User) -> dict[str, Any]:
    """The person's export, with the audit entry that they downloaded it."""
    data = build_export(person)
    rows = sum(len(rows) for rows in data["tables"].values())
    audit.record("privacy.exported", person, actor=person, rows=rows)
    return data
