"""How a set is scored (the table in :mod:`lms.practice.allocation`'s docstring): the
points, what a trainee's mode and region cost in a set, and :func:`score_set`. The
optimiser prices its moves with the same points. Re-exported by allocation.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from lms.practice._allocation_types import (
    Reason,
    Team,
    Trainee,
    _check_team,
    _check_trainee,
    _ids,
    _key,
)

SAME_ORGANISATION_POINTS = 10  # per pair of trainees from one organisation in a set
MODE_MISMATCH_POINTS = 40
MODE_PARTLY_MET_POINTS = 5
REGION_IN_PERSON_POINTS = 20
REGION_BLENDED_POINTS = 10


def _mode_points(trainee_mode: str | None, set_mode: str) -> int:
    if trainee_mode is None or trainee_mode == set_mode:
        return 0
    if "blended" in (trainee_mode, set_mode):
        return MODE_PARTLY_MET_POINTS
    return MODE_MISMATCH_POINTS


def _region_points(region: str | None, set_mode: str, set_region: str | None) -> int:
    if set_mode == "online" or region is None or set_region is None or region == set_region:
        return 0
    return REGION_IN_PERSON_POINTS if set_mode == "in_person" else REGION_BLENDED_POINTS


def score_set(team: Team, trainees: Sequence[Trainee]) -> tuple[int, list[Reason]]:
    """Preference points and the preference reasons for one set (for hand edits): the
    score is 0 or less, see the table in the module docstring."""
    _check_team(team)
    people = sorted(trainees, key=lambda trainee: trainee.id)
    for trainee in people:
        _check_trainee(trainee)
    reasons: list[Reason] = []
    by_organisation: dict[str, list[Trainee]] = {}
    for trainee in people:
        if (organisation := _key(trainee.organisation)) is not None:
            by_organisation.setdefault(organisation, []).append(trainee)
    for organisation in sorted(by_organisation):
        same = by_organisation[organisation]
        if len(same) > 1:
            points = SAME_ORGANISATION_POINTS * len(same) * (len(same) - 1) // 2
            name = (same[0].organisation or "").strip()
            reasons.append(Reason("organisation_repeated", _ids(same), detail=name, points=points))
    region = _key(team.region)
    mismatch, partly, elsewhere = [], [], []
    for trainee in people:
        points = _mode_points(trainee.mode, team.mode)
        if points:
            (mismatch if points == MODE_MISMATCH_POINTS else partly).append((trainee, points))
        if points := _region_points(_key(trainee.region), team.mode, region):
            elsewhere.append((trainee, points))
    for code, hits, detail in (
        ("mode_mismatch", mismatch, team.mode),
        ("mode_partly_met", partly, team.mode),
        ("region_mismatch", elsewhere, (team.region or "").strip()),
    ):
        if hits:
            ids = tuple(trainee.id for trainee, _ in hits)
            points = sum(points for _, points in hits)
            reasons.append(Reason(code, ids, detail=detail, points=points))
    return -sum(reason.points for reason in reasons), reasons
