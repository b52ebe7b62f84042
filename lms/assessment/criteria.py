"""Award criteria as data, and the pure function that checks a portfolio's evidence
against them.

An intake's scheme is stored as ``{kind: {"required", "threshold", "sessions_per_set"}}``
(see :class:`lms.assessment.models.AwardScheme`); anything it leaves out takes the
default. :func:`evaluate` turns :class:`Evidence` (plain counts, built by
:mod:`lms.assessment.evidence`) into one :class:`Result` per requirement, saying whether it
is met, what counts towards it and exactly what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from lms.db_types import LabelledEnum, set_labels


class RequirementKind(LabelledEnum):
    CORE_MODULES = "core_modules"
    SUPERVISION_SESSIONS = "supervision_sessions"
    SETS_FACILITATED = "sets_facilitated"
    OBSERVATIONS_SIGNED_OFF = "observations_signed_off"
    SESSION_LOGS = "session_logs"
    BUDDY_CHECK_INS = "buddy_check_ins"


REQUIREMENT_LABELS = set_labels(
    RequirementKind,
    {
        RequirementKind.CORE_MODULES: _l("All core modules complete"),
        RequirementKind.SUPERVISION_SESSIONS: _l("Supervision sessions attended"),
        RequirementKind.SETS_FACILITATED: _l("Action learning sets facilitated"),
        RequirementKind.OBSERVATIONS_SIGNED_OFF: _l("Observed sessions signed off"),
        RequirementKind.SESSION_LOGS: _l("Session logs written"),
        RequirementKind.BUDDY_CHECK_INS: _l("Buddy check-ins"),
    },
)

# Limits a lead may set, so a typing slip cannot make the award impossible.
MAX_THRESHOLD = 50
MAX_SESSIONS_PER_SET = 6


@dataclass(frozen=True)
class Requirement:
    kind: RequirementKind
    required: bool = True
    threshold: int = 0  # how many are needed (not used by CORE_MODULES)
    sessions_per_set: int = 0  # SETS_FACILITATED only: sessions held for a set to count

    def as_json(self) -> dict:
        data: dict = {"required": self.required, "threshold": self.threshold}
        if self.kind is RequirementKind.SETS_FACILITATED:
            data["sessions_per_set"] = self.sessions_per_set
        return data


DEFAULTS: tuple[Requirement, ...] = (
    Requirement(RequirementKind.CORE_MODULES),
    Requirement(RequirementKind.SUPERVISION_SESSIONS, threshold=6),
    Requirement(RequirementKind.SETS_FACILITATED, threshold=1, sessions_per_set=4),
    Requirement(RequirementKind.OBSERVATIONS_SIGNED_OFF, threshold=2),
    Requirement(RequirementKind.SESSION_LOGS, threshold=6),
    Requirement(RequirementKind.BUDDY_CHECK_INS, threshold=4),
)


def _whole(value, default: int, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    return min(max(value, low), high)


def requirements_from(stored: Mapping | None) -> tuple[Requirement, ...]:
    """An intake's requirements, in the programme's order: what was stored, with defaults
    for anything missing or malformed."""
    if not isinstance(stored, Mapping):
        stored = {}  # nothing stored, or not the shape we store (a hand-edited row)
    result = []
    for default in DEFAULTS:
        data = stored.get(default.kind.value)
        if not isinstance(data, Mapping):
            result.append(default)
            continue
        required = data.get("required", default.required)
        result.append(
            Requirement(
                kind=default.kind,
                required=required if isinstance(required, bool) else default.required,
                threshold=_whole(data.get("threshold"), default.threshold, 0, MAX_THRESHOLD),
                sessions_per_set=_whole(
                    data.get("sessions_per_set"),
                    default.sessions_per_set,
                    0,
                    MAX_SESSIONS_PER_SET,
                ),
            )
        )
    return tuple(result)


def requirements_json(requirements: Iterable[Requirement]) -> dict:
    return {r.kind.value: r.as_json() for r in requirements}


@dataclass(frozen=True)
class SetHeld:
    """A set the person facilitated, and how many of its sessions have been held."""

    set_id: int
    name: str
    held: int


@dataclass(frozen=True)
class Evidence:
    """What a person has done, as counts: everything :func:`evaluate` needs."""

    core_modules: tuple[tuple[int, str], ...] = ()  # (module id, title), the current core
    completed_modules: frozenset[int] = frozenset()
    supervision_sessions: int = 0
    sets: tuple[SetHeld, ...] = ()
    observations_signed_off: int = 0
    session_logs: int = 0
    buddy_check_ins: int = 0


@dataclass(frozen=True)
class Result:
    requirement: Requirement
    met: bool
    have: int
    need: int
    # CORE_MODULES: titles of the core modules not yet complete.
    missing_modules: tuple[str, ...] = ()
    # SETS_FACILITATED: the set nearest to counting, and how many sessions it still needs.
    nearest_set: tuple[str, int] | None = None
    counted_sets: tuple[str, ...] = field(default=())

    @property
    def kind(self) -> RequirementKind:
        return self.requirement.kind

    @property
    def short(self) -> int:
        """How many more are needed (0 when met)."""
        return max(self.need - self.have, 0)


def _count(requirement: Requirement, have: int) -> Result:
    need = requirement.threshold
    return Result(requirement, met=have >= need, have=have, need=need)


def evaluate(requirements: Iterable[Requirement], evidence: Evidence) -> tuple[Result, ...]:
    """One result per *required* requirement, in order. Pure: no database, no request."""
    results = []
    for requirement in requirements:
        if not requirement.required:
            continue
        kind = requirement.kind
        if kind is RequirementKind.CORE_MODULES:
            missing = tuple(
                title
                for module_id, title in evidence.core_modules
                if module_id not in evidence.completed_modules
            )
            need = len(evidence.core_modules)
            results.append(
                Result(
                    requirement,
                    met=not missing,
                    have=need - len(missing),
                    need=need,
                    missing_modules=missing,
                )
            )
        elif kind is RequirementKind.SETS_FACILITATED:
            enough = requirement.sessions_per_set
            counted = tuple(s.name for s in evidence.sets if s.held >= enough)
            waiting = [s for s in evidence.sets if s.held < enough]
            nearest = max(waiting, key=lambda s: (s.held, -s.set_id), default=None)
            have = len(counted)
            results.append(
                Result(
                    requirement,
                    met=have >= requirement.threshold,
                    have=have,
                    need=requirement.threshold,
                    nearest_set=(nearest.name, enough - nearest.held) if nearest else None,
                    counted_sets=counted,
                )
            )
        elif kind is RequirementKind.SUPERVISION_SESSIONS:
            results.append(_count(requirement, evidence.supervision_sessions))
        elif kind is RequirementKind.OBSERVATIONS_SIGNED_OFF:
            results.append(_count(requirement, evidence.observations_signed_off))
        elif kind is RequirementKind.SESSION_LOGS:
            results.append(_count(requirement, evidence.session_logs))
        elif kind is RequirementKind.BUDDY_CHECK_INS:
            results.append(_count(requirement, evidence.buddy_check_ins))
    return tuple(results)


def is_ready(results: Iterable[Result]) -> bool:
    """Every required criterion is met."""
    return all(result.met for result in results)
