"""The selection view's figures, as pure functions over plain rows (STYLE.md rule 7).

``build_mix`` sets the people offered places against everyone who applied, one table per
dimension (staff group, sector, region, band, delivery mode), because the programme wants
facilitators from across the whole of health and care. ``equality_counts`` counts the
anonymous equality monitoring answers, with small numbers suppressed so that nobody can
be picked out. Nothing here touches the database or a request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

MIX_DIMENSIONS = ("staff_group", "sector", "region", "band", "preferred_mode")
HOLDS_A_PLACE = frozenset({"offered", "accepted"})
SUPPRESS_BELOW = 3  # counts smaller than this are shown as "Fewer than 3"


@dataclass(frozen=True)
class MixRow:
    value: str | None  # None: the applicant did not say
    applicants: int
    offered: int
    share_of_offered: float | None  # 0 to 1; None when nobody has been offered a place
    share_of_applicants: float | None  # 0 to 1; None when nobody has applied


@dataclass(frozen=True)
class Mix:
    dimension: str
    rows: tuple[MixRow, ...]
    applicants: int
    offered: int


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _ordered(seen: Iterable[str | None], known: Sequence[str]) -> list[str | None]:
    """Every known value in its given order, then any others seen, then None (not said)."""
    seen = set(seen)
    extra = sorted(v for v in seen if v is not None and v not in known)
    return [*known, *extra] + ([None] if None in seen else [])


def build_mix(
    rows: Iterable[Mapping[str, str | None]],
    dimensions: Sequence[str] = MIX_DIMENSIONS,
    values: Mapping[str, Sequence[str]] | None = None,
) -> list[Mix]:
    """One table per dimension: applicants and offered places for each value.

    ``rows`` are submitted applications as mappings holding ``status`` and each
    dimension's value (plain strings, None where unanswered). Offered means a place is
    held: ``offered`` or ``accepted``. ``values`` lists every possible value of a
    dimension in display order, so values nobody chose still show, with zeros.
    """
    rows = list(rows)
    values = values or {}
    offered_rows = [row for row in rows if row["status"] in HOLDS_A_PLACE]
    mixes = []
    for dimension in dimensions:
        applicants = Counter(row.get(dimension) for row in rows)
        offered = Counter(row.get(dimension) for row in offered_rows)
        mixes.append(
            Mix(
                dimension=dimension,
                rows=tuple(
                    MixRow(
                        value=value,
                        applicants=applicants[value],
                        offered=offered[value],
                        share_of_offered=_share(offered[value], len(offered_rows)),
                        share_of_applicants=_share(applicants[value], len(rows)),
                    )
                    for value in _ordered(applicants, values.get(dimension, ()))
                ),
                applicants=len(rows),
                offered=len(offered_rows),
            )
        )
    return mixes


@dataclass(frozen=True)
class CountCell:
    value: str
    count: int | None  # None: suppressed, shown as "Fewer than 3"

    @property
    def is_suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class EqualityQuestion:
    field: str
    cells: tuple[CountCell, ...]


@dataclass(frozen=True)
class EqualityCounts:
    responses: int | None  # None: fewer than SUPPRESS_BELOW people answered at all
    questions: tuple[EqualityQuestion, ...]


def suppress(count: int, threshold: int = SUPPRESS_BELOW) -> int | None:
    """A count that is safe to show, or None where it is small enough to identify someone."""
    return None if count < threshold else count


def equality_counts(
    rows: Iterable[Mapping[str, str | None]],
    questions: Mapping[str, Sequence[str]],
    threshold: int = SUPPRESS_BELOW,
) -> EqualityCounts:
    """Count each answer to each question, suppressing any count below ``threshold``.

    ``questions`` maps each field to its possible answers in display order. Blank answers
    are not shown (so a suppressed cell cannot be worked out from a total and a blank
    count), and when fewer than ``threshold`` people answered at all, no figures are
    given. The rows carry no identity and the result cannot be linked to anyone.
    """
    rows = list(rows)
    if len(rows) < threshold:
        return EqualityCounts(responses=None, questions=())
    result = []
    for field, answers in questions.items():
        counts = Counter(row.get(field) for row in rows)
        result.append(
            EqualityQuestion(
                field=field,
                cells=tuple(
                    CountCell(answer, suppress(counts[answer], threshold)) for answer in answers
                ),
            )
        )
    return EqualityCounts(responses=len(rows), questions=tuple(result))
