"""Present-once equity and the shape of a session: pure functions, no app or database."""

from __future__ import annotations

import random

import pytest

from lms.practice.equity import (
    STAGE_HINTS,
    STAGE_LABELS,
    LedgerEntry,
    plan_stages,
    presenter_queue,
    spread,
    stage_index,
    suggest_presenters,
)


def _ledger(*rows: tuple[str, int, int | None]) -> list[LedgerEntry]:
    return [
        LedgerEntry(user_id=n, name=name, presentations=count, last_presented=last)
        for n, (name, count, last) in enumerate(rows, start=1)
    ]


def _names(entries: list[LedgerEntry]) -> list[str]:
    return [e.name for e in entries]


# --- Who is suggested ----------------------------------------------------------------------


def test_those_who_have_not_presented_come_first():
    ledger = _ledger(("Ann", 1, 1), ("Bob", 0, None), ("Cat", 1, 2), ("Dev", 0, None))
    assert _names(suggest_presenters(ledger)) == ["Bob", "Dev"]


def test_order_is_by_count_then_longest_ago_then_name():
    ledger = _ledger(
        ("zoe", 1, 3),
        ("Yan", 1, 1),
        ("Xavi", 2, 1),
        ("ada", 0, None),
        ("Ben", 0, None),
        ("Will", 1, 1),
    )
    # 0 presentations by name (case ignored), then once: session 1 before session 3, and
    # between the two from session 1 by name; twice last.
    assert _names(presenter_queue(ledger)) == ["ada", "Ben", "Will", "Yan", "zoe", "Xavi"]


def test_a_name_tie_is_broken_by_id_so_the_order_is_stable():
    ledger = [LedgerEntry(7, "Sam"), LedgerEntry(3, "Sam")]
    assert [e.user_id for e in presenter_queue(ledger)] == [3, 7]


def test_apologies_absent_and_presenters_are_skipped():
    ledger = _ledger(("Ann", 0, None), ("Bob", 0, None), ("Cat", 0, None), ("Dev", 1, 1))
    ann, bob = ledger[:2]
    queue = presenter_queue(ledger, unavailable=[ann.user_id], presenting=[bob.user_id])
    assert _names(queue) == ["Cat", "Dev"]
    # One is already presenting, so only one more is suggested.
    assert _names(suggest_presenters(ledger, [ann.user_id], [bob.user_id])) == ["Cat"]
    assert suggest_presenters(ledger, presenting=[ann.user_id, bob.user_id]) == []
    # Everyone away: nobody to suggest.
    assert suggest_presenters(ledger, unavailable=[e.user_id for e in ledger]) == []


def test_someone_away_keeps_their_place_at_the_front():
    ledger = _ledger(("Ann", 0, None), ("Bob", 0, None), ("Cat", 0, None), ("Dev", 0, None))
    ann = ledger[0]
    assert _names(suggest_presenters(ledger, unavailable=[ann.user_id])) == ["Bob", "Cat"]
    assert _names(suggest_presenters(ledger)) == ["Ann", "Bob"]


def test_nobody_presents_twice_while_someone_available_has_not_presented():
    """Run many sets through six sessions with random apologies, always taking the
    suggestion: no second presentation is ever suggested while an available member has
    had none."""
    rng = random.Random(20270322)
    for _ in range(200):
        size = rng.randint(5, 8)
        counts = dict.fromkeys(range(1, size + 1), 0)
        last: dict[int, int | None] = dict.fromkeys(counts)
        for number in range(1, 7):
            ledger = [LedgerEntry(uid, f"Member {uid}", counts[uid], last[uid]) for uid in counts]
            away = {uid for uid in counts if rng.random() < 0.25}
            wanted = rng.choice((1, 2, 3))
            chosen = suggest_presenters(ledger, unavailable=away, wanted=wanted)
            available = [e for e in ledger if e.user_id not in away]
            assert len(chosen) == min(len(available), wanted)
            chosen_ids = {e.user_id for e in chosen}
            assert not chosen_ids & away
            for entry in chosen:
                others = [e for e in available if e.user_id not in chosen_ids]
                assert all(e.presentations >= entry.presentations for e in others)
            for entry in chosen:
                counts[entry.user_id] += 1
                last[entry.user_id] = number


def test_with_nobody_away_everyone_presents_once_before_anyone_twice():
    counts = dict.fromkeys(range(1, 7), 0)
    last: dict[int, int | None] = dict.fromkeys(counts)
    for number in range(1, 7):
        ledger = [LedgerEntry(uid, f"M{uid}", counts[uid], last[uid]) for uid in counts]
        for entry in suggest_presenters(ledger):
            counts[entry.user_id] += 1
            last[entry.user_id] = number
        assert spread([LedgerEntry(uid, "", n) for uid, n in counts.items()]) <= 1
    assert set(counts.values()) == {2}


def test_spread():
    assert spread([]) == 0
    assert spread(_ledger(("A", 1, 1), ("B", 1, 2))) == 0
    assert spread(_ledger(("A", 0, None), ("B", 1, 2))) == 1
    assert spread(_ledger(("A", 0, None), ("B", 3, 4), ("C", 1, 1))) == 3


# --- The stages of a session ---------------------------------------------------------------


@pytest.mark.parametrize("minutes", [60, 90, 120])
@pytest.mark.parametrize("presenters", [1, 2, 3])
def test_stages_add_up_to_the_session_and_come_in_order(minutes, presenters):
    stages = plan_stages(minutes, presenters)
    assert sum(s.minutes for s in stages) == minutes
    assert all(s.minutes >= 1 for s in stages)
    expected = [("check_in", 0), ("report_back", 0)]
    for n in range(1, presenters + 1):
        expected += [("airtime", n), ("inquiry", n), ("reflect", n)]
    expected.append(("check_out", 0))
    assert [(s.key, s.round) for s in stages] == expected
    assert all(s.key in STAGE_LABELS and s.key in STAGE_HINTS for s in stages)


def test_the_standard_session_keeps_its_time_boxes():
    stages = plan_stages(90, 2)
    assert [s.minutes for s in stages] == [10, 10, 5, 20, 5, 5, 20, 5, 10]


def test_a_longer_session_gives_inquiry_the_most_time():
    stages = plan_stages(120, 2)
    inquiry = [s.minutes for s in stages if s.key == "inquiry"]
    assert min(inquiry) > max(s.minutes for s in stages if s.key != "inquiry")


def test_no_presenters_is_planned_as_one():
    assert plan_stages(90, 0) == plan_stages(90, 1)


def test_stage_index_finds_a_stage_by_key_and_round():
    stages = plan_stages(90, 2)
    assert stage_index(stages, "check_in", 0) == 0
    assert stage_index(stages, "inquiry", 2) == 6
    assert stage_index(stages, "inquiry", 3) is None
    assert stage_index(stages, None, 0) is None
