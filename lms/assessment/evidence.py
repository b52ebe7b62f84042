"""The portfolio's evidence, gathered from the records where it happened.

Each kind of evidence is a :class:`Source`: one small class that says how to select its
rows (in the shared shape of :func:`row`) and how to turn a row into an :class:`Item`.
:func:`collect` runs every registered source for any number of people as a single
``UNION ALL`` statement, so a portfolio page or a lead's pipeline costs the same number of
queries however much evidence there is. Adding a source is one class and one line in
:data:`SOURCES` (in :mod:`lms.assessment.sources`).

Nothing here reads confidential text: challenges, actions, session-log answers and
feedback comments stay where they are; the portfolio shows titles, dates and counts, and
links to the record.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

import sqlalchemy as sa

from lms.assessment import outcomes as lo
from lms.assessment.criteria import Evidence, RequirementKind, SetHeld
from lms.db_types import UTCDateTime
from lms.extensions import db

# --- The shape every source selects ----------------------------------------------------------

_TYPES = {
    "ref": sa.Integer(),
    "user_id": sa.Integer(),
    "title": sa.String(),
    "label": sa.String(),
    "detail": sa.String(),
    "at": UTCDateTime(),
    "until": UTCDateTime(),
    "on": sa.Date(),
    "number": sa.Integer(),
    "extra": sa.Integer(),
}


def row(source: str, **columns) -> list:
    """The select list of one source, in the shared shape. Give ``ref`` (the record's id)
    and ``user_id`` (whose evidence it is), and any of ``title``, ``label``, ``detail``
    (strings), ``at`` and ``until`` (datetimes), ``on`` (a date), ``number`` and ``extra``
    (whole numbers); the rest are typed NULLs, so the union lines up on SQLite and
    PostgreSQL alike."""
    unknown = set(columns) - set(_TYPES)
    if unknown:
        raise TypeError(f"unknown evidence columns: {sorted(unknown)}")
    select_list = [sa.literal(source, sa.String()).label("source")]
    for name, type_ in _TYPES.items():
        value = columns.get(name)
        if value is None:
            value = sa.cast(sa.null(), type_)
        select_list.append(sa.type_coerce(value, type_).label(name))
    return select_list


@dataclass(frozen=True)
class Row:
    """One selected row, as the source's :meth:`Source.item` receives it."""

    source: str
    ref: int
    user_id: int
    title: str | None
    label: str | None
    detail: str | None
    at: datetime | None
    until: datetime | None
    on: date | None
    number: int | None
    extra: int | None


# --- Items ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One piece of evidence, ready to show and to count.

    ``title`` is what it was (a module's or set's name); ``facts`` are plain values the
    page turns into words (e.g. ``{"held": 3, "minutes": 270}``); ``link`` is an endpoint
    and its values, for people allowed to open the record."""

    source: str
    ref: int
    user_id: int
    title: str
    when: datetime | date | None
    outcomes: tuple[str, ...]
    facts: dict[str, Any] = field(default_factory=dict)
    link: tuple[str, dict[str, Any]] | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.source, self.ref)

    @property
    def day(self) -> date | None:
        if isinstance(self.when, datetime):
            return self.when.date()
        return self.when

    def as_json(self) -> dict:
        data = asdict(self)
        data["outcomes"] = list(self.outcomes)
        data["when"] = self.when.isoformat() if self.when is not None else None
        data["when_is_date"] = self.when is not None and not isinstance(self.when, datetime)
        data["link"] = list(self.link) if self.link else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> Item:
        when = data.get("when")
        if when is not None:
            when = (
                date.fromisoformat(when)
                if data.get("when_is_date")
                else datetime.fromisoformat(when)
            )
        link = data.get("link")
        return cls(
            source=data["source"],
            ref=data["ref"],
            user_id=data["user_id"],
            title=data["title"],
            when=when,
            outcomes=tuple(data.get("outcomes") or ()),
            facts=dict(data.get("facts") or {}),
            link=(link[0], dict(link[1])) if link else None,
        )


# --- Sources ----------------------------------------------------------------------------------


class Source:
    """A kind of evidence. Subclasses set ``key``, ``label`` (a lazy string) and
    ``outcomes`` (the learning outcomes its items show, unless an item says otherwise),
    and implement :meth:`select` and :meth:`item`."""

    key: ClassVar[str]
    label: ClassVar[Any]
    outcomes: ClassVar[tuple[str, ...]] = ()
    # Whether people other than the holder (supervisors, leads) may follow item links.
    shared_links: ClassVar[bool] = False

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        """Rows for these people, built with :func:`row`: one statement, no per-row work."""
        raise NotImplementedError

    def item(self, r: Row) -> Item:
        raise NotImplementedError

    def make(self, r: Row, title: str, when, *, outcomes=None, link=None, **facts) -> Item:
        """An item from this source (a shorthand for :meth:`item`)."""
        return Item(
            source=self.key,
            ref=r.ref,
            user_id=r.user_id,
            title=title,
            when=when,
            outcomes=tuple(outcomes if outcomes is not None else self.outcomes),
            facts=facts,
            link=link,
        )


def json_list(text: str | None) -> list:
    """A JSON list column read through the union (as text); [] when empty or unreadable."""
    if not text:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def minutes(r: Row) -> int | None:
    """How long a row's ``at`` to ``until`` lasted, in minutes (None without both)."""
    if r.at is None or r.until is None:
        return None
    return int((r.until - r.at).total_seconds() // 60)


def _registry() -> tuple[Source, ...]:
    from lms.assessment.sources import SOURCES

    return SOURCES


def source(key: str) -> Source | None:
    return next((s for s in _registry() if s.key == key), None)


def collect(user_ids: Iterable[int]) -> dict[int, list[Item]]:
    """Every person's items from every source, newest first, in one statement."""
    ids = sorted(set(user_ids))
    result: dict[int, list[Item]] = {uid: [] for uid in ids}
    if not ids:
        return result
    sources = {s.key: s for s in _registry()}
    statement = sa.union_all(*(s.select(ids) for s in sources.values()))
    for values in db.session.execute(statement):
        r = Row(*values)
        result[r.user_id].append(sources[r.source].item(r))
    for items in result.values():
        items.sort(key=_newest_first)
    return result


def _newest_first(item: Item):
    day = item.day or date.min
    return (-day.toordinal(), item.source, -item.ref)


# --- From items to evidence -------------------------------------------------------------------


def core_modules() -> tuple[tuple[int, str], ...]:
    """The current core modules as (id, title), in the programme's order (one query)."""
    from lms.curriculum.queries import current_modules

    return tuple((m.id, m.title) for m in current_modules() if m.is_core)


def evidence_of(items: Iterable[Item], core: tuple[tuple[int, str], ...]) -> Evidence:
    """The counts the criteria need, from a person's items. Pure."""
    by_source: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_source[item.source].append(item)
    held: dict[int, int] = defaultdict(int)
    for item in by_source["sessions_held"]:
        held[item.facts["set_id"]] += 1
    return Evidence(
        core_modules=core,
        completed_modules=frozenset(i.facts["module_id"] for i in by_source["modules"]),
        supervision_sessions=len(by_source["supervision"]),
        sets=tuple(
            SetHeld(set_id=i.ref, name=i.title, held=held[i.ref])
            for i in sorted(by_source["sets"], key=lambda i: i.ref)
        ),
        observations_signed_off=sum(
            1 for i in by_source["observations"] if i.facts.get("signed_off")
        ),
        session_logs=len(by_source["session_logs"]),
        buddy_check_ins=len(by_source["check_ins"]),
    )


# The items each criterion counts, as ``evidence_of`` counts them.
_COUNTS_TOWARDS = {
    RequirementKind.CORE_MODULES: lambda i: i.source == "modules" and bool(i.facts.get("core")),
    RequirementKind.SUPERVISION_SESSIONS: lambda i: i.source == "supervision",
    RequirementKind.SETS_FACILITATED: lambda i: i.source == "sets",
    RequirementKind.OBSERVATIONS_SIGNED_OFF: lambda i: (
        i.source == "observations" and bool(i.facts.get("signed_off"))
    ),
    RequirementKind.SESSION_LOGS: lambda i: i.source == "session_logs",
    RequirementKind.BUDDY_CHECK_INS: lambda i: i.source == "check_ins",
}


def behind(kind: RequirementKind, items: Iterable[Item]) -> list[Item]:
    """The items that count towards a criterion: the evidence behind it. Pure."""
    counts = _COUNTS_TOWARDS[kind]
    return [item for item in items if counts(item)]


def by_outcome(items: Iterable[Item]) -> list[tuple[lo.LearningOutcome, list[Item]]]:
    """Items under each learning outcome they show (an item may be under several)."""
    groups: dict[str, list[Item]] = {code: [] for code in lo.CODES}
    for item in items:
        for code in item.outcomes:
            if code in groups:
                groups[code].append(item)
    return [(lo.BY_CODE[code], groups[code]) for code in lo.CODES]


def by_source(items: Iterable[Item]) -> list[tuple[Source, list[Item]]]:
    """Items under their source, in the registry's order (every source, even if empty)."""
    groups: dict[str, list[Item]] = {s.key: [] for s in _registry()}
    for item in items:
        groups.setdefault(item.source, []).append(item)
    return [(s, groups[s.key]) for s in _registry()]
