"""The vocabulary of set allocation (see :mod:`lms.practice.allocation`, which
re-exports all of it): the dataclasses, the reason codes, and the checks and key
helpers that scoring and the optimiser share.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SET_MODES = ("online", "blended", "in_person")
TRAINEE_MODES = frozenset(SET_MODES)  # or None: no preference

REASON_CODES: tuple[str, ...] = (
    # Hard rules, from check_set() and violations(); allocate() never breaks them.
    "line_manager_in_set",  # H1: trainee_ids = (report, line manager)
    "same_organisation_as_facilitator",  # H2: detail = the organisation
    "facilitator_is_line_manager",  # H3: facilitator_ids = the line manager
    "set_too_small",  # H4: detail = the number of trainees
    "set_too_large",  # H4: detail = the number of trainees
    "trainee_placed_twice",  # in two sets, or twice in one; detail = how many times
    "facilitator_in_two_sets",  # detail = how many sets
    # Why a trainee is unplaced; trainee_ids start with that trainee.
    "too_few_trainees",  # fewer than min_size can be placed at all; detail = how many
    "no_team_without_conflict",  # each team has their organisation (detail) or manager
    "not_enough_teams",  # every team that could take them is full; detail = teams
    "too_few_for_another_set",  # a team is free, too few are left; detail = how many
    "line_manager_conflict",  # sets with room hold their manager or report (the rest)
    # Preferences not met in a set; points = the points lost.
    "organisation_repeated",  # detail = the organisation; trainee_ids = its trainees
    "mode_mismatch",  # detail = the set's mode; trainee_ids = who asked otherwise
    "mode_partly_met",  # detail = the set's mode; one of the two is blended
    "region_mismatch",  # detail = the set's region; trainee_ids = from elsewhere
)
HARD_RULE_CODES: frozenset[str] = frozenset(REASON_CODES[:7])
UNPLACED_CODES: frozenset[str] = frozenset(REASON_CODES[7:12])
PREFERENCE_CODES: frozenset[str] = frozenset(REASON_CODES[12:])


class AllocationError(ValueError):
    """The input is not an allocation problem: duplicate ids, a facilitator in two teams,
    ``min_size > max_size`` and the like."""


@dataclass(frozen=True)
class Reason:
    code: str  # one of REASON_CODES
    trainee_ids: tuple[int, ...] = ()
    facilitator_ids: tuple[int, ...] = ()
    detail: str | None = None  # an organisation, mode or region, or a count
    points: int = 0  # for preferences: the points this cost the set


@dataclass(frozen=True)
class Trainee:
    id: int
    email: str
    organisation: str | None = None
    region: str | None = None
    mode: str | None = None  # "online" | "in_person" | "blended" | None (either)
    line_manager_email: str | None = None


@dataclass(frozen=True)
class Facilitator:
    id: int
    email: str
    organisation: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class Team:
    key: str  # stable identifier chosen by the caller
    facilitators: tuple[Facilitator, ...]
    mode: str = "online"  # "online" | "blended" | "in_person"
    region: str | None = None


@dataclass
class ProposedSet:
    team: Team
    trainees: list[Trainee]
    score: int
    reasons: list[Reason]  # preferences not met (and, from check_set, hard-rule breaches)


@dataclass
class Allocation:
    sets: list[ProposedSet]
    unplaced: list[tuple[Trainee, Reason]]
    score: int  # the sum of the sets' scores


def _key(text: str | None) -> str | None:
    """Organisations, regions and emails compare ignoring case and outer spaces; blank
    is unknown."""
    if text is None:
        return None
    return text.strip().casefold() or None


def _check_team(team: Team) -> None:
    if team.mode not in SET_MODES:
        raise AllocationError(f"Team {team.key!r} has mode {team.mode!r}.")
    if not team.facilitators:
        raise AllocationError(f"Team {team.key!r} has no facilitators.")


def _check_trainee(trainee: Trainee) -> None:
    if trainee.mode is not None and trainee.mode not in TRAINEE_MODES:
        raise AllocationError(f"Trainee {trainee.id} has mode {trainee.mode!r}.")


def _check_sizes(min_size: int, max_size: int) -> None:
    if min_size < 1 or max_size < min_size:
        raise AllocationError(f"Set sizes {min_size} to {max_size} are not a range.")


def _ids(items: Iterable) -> tuple[int, ...]:
    return tuple(sorted(item.id for item in items))
