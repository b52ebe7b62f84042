"""Present-once equity and the shape of a session: pure functions, no database.

Who is suggested to present
---------------------------
Everyone presents once before anyone presents twice. Among the members who can present
today (not sent apologies, not marked absent, not already presenting), the suggestion
orders people by:

1. how many times they have presented in the set, fewest first;
2. then whoever presented longest ago (never comes before any session number);
3. then by name, so the order is stable and explainable.

Someone who is away when it is their turn keeps their place at the front: the suggestion
only ever moves past them while they cannot present, and never suggests a second
presentation while an available member has had none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class LedgerEntry:
    """One member's presentations in their set."""

    user_id: int
    name: str
    presentations: int = 0
    last_presented: int | None = None  # the session number they last presented at


def presenter_queue(
    ledger: Sequence[LedgerEntry], unavailable: Iterable[int] = (), presenting: Iterable[int] = ()
) -> list[LedgerEntry]:
    """The members who could present, in the order they should be offered the chance."""
    skip = set(unavailable) | set(presenting)
    candidates = [entry for entry in ledger if entry.user_id not in skip]
    return sorted(
        candidates,
        key=lambda e: (
            e.presentations,
            -1 if e.last_presented is None else e.last_presented,
            e.name.casefold(),
            e.user_id,
        ),
    )


def suggest_presenters(
    ledger: Sequence[LedgerEntry],
    unavailable: Iterable[int] = (),
    presenting: Iterable[int] = (),
    wanted: int = 2,
) -> list[LedgerEntry]:
    """Up to ``wanted`` people to present next (fewer when some are already presenting)."""
    already = list(presenting)
    room = max(wanted - len(already), 0)
    return presenter_queue(ledger, unavailable, already)[:room]


def spread(ledger: Sequence[LedgerEntry]) -> int:
    """The gap between the most and the fewest presentations: 0 or 1 means fair so far."""
    if not ledger:
        return 0
    counts = [entry.presentations for entry in ledger]
    return max(counts) - min(counts)


@dataclass(frozen=True)
class Stage:
    key: str
    minutes: int
    round: int = 0  # the presenter it belongs to (1, 2, ...), 0 for whole-set stages


# The time-boxes of a 90-minute session with two presenters.
OPENING = (("check_in", 10), ("report_back", 10))
PER_PRESENTER = (("airtime", 5), ("inquiry", 20), ("reflect", 5))
CLOSING = (("check_out", 10),)
STAGE_LABELS = {
    "check_in": _l("Check-in"),
    "report_back": _l("Report-back on last time's actions"),
    "airtime": _l("Presenter airtime"),
    "inquiry": _l("Inquiry"),
    "reflect": _l("Reflect and decide"),
    "check_out": _l("Check-out"),
}
STAGE_HINTS = {
    "check_in": _l("Each member says briefly how they are arriving. Anyone may pass."),
    "report_back": _l("Presenters from last time say what became of their actions."),
    "airtime": _l("The presenter describes their challenge without interruption."),
    "inquiry": _l("Open questions only: help the presenter think, do not advise."),
    "reflect": _l("The presenter reflects and decides on one or two actions."),
    "check_out": _l("Each member says what they are taking away."),
}


def plan_stages(minutes: int = 90, presenters: int = 2) -> list[Stage]:
    """The session's stages in order, their time-boxes scaled to its length.

    Each presenter gets airtime, inquiry and a moment to reflect and decide; the boxes
    are scaled so they add up to the session's length (whole minutes, at least 1 each).
    """
    presenters = max(presenters, 1)
    steps = [Stage(key, m) for key, m in OPENING]
    for n in range(1, presenters + 1):
        steps += [Stage(key, m, n) for key, m in PER_PRESENTER]
    steps += [Stage(key, m) for key, m in CLOSING]
    planned = sum(s.minutes for s in steps)
    if minutes == planned:
        return steps
    scaled = [max(1, round(s.minutes * minutes / planned)) for s in steps]
    scaled[-1] = max(1, scaled[-1] + minutes - sum(scaled))  # keep the total exact
    return [Stage(s.key, m, s.round) for s, m in zip(steps, scaled, strict=True)]


def stage_index(stages: Sequence[Stage], key: str | None, round: int) -> int | None:
    for i, stage in enumerate(stages):
        if stage.key == key and stage.round == round:
            return i
    return None
