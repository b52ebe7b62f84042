"""UK bank holidays by nation, computed offline, and session dates planned around them.

Expected lists are GOV.UK's published ones (https://www.gov.uk/bank-holidays).
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.accounts.models import Region
from lms.practice.holidays import (
    HOLIDAY_LABELS,
    LAST_YEAR,
    NATION_LABELS,
    NATIONS,
    BankHoliday,
    PlannedDate,
    bank_holidays,
    easter_sunday,
    holiday_on,
    nation_for_region,
    plan_dates,
)

EW, SCOT, NI = "england_wales", "scotland", "northern_ireland"


def listed(nation: str, year: int) -> list[tuple[date, str]]:
    return [(holiday.date, holiday.code) for holiday in bank_holidays(nation, year)]


def d(year: int, month: int, day: int) -> date:
    return date(year, month, day)


PUBLISHED = {
    (EW, 2025): [
        (d(2025, 1, 1), "new_year"),
        (d(2025, 4, 18), "good_friday"),
        (d(2025, 4, 21), "easter_monday"),
        (d(2025, 5, 5), "early_may"),
        (d(2025, 5, 26), "spring"),
        (d(2025, 8, 25), "summer"),
        (d(2025, 12, 25), "christmas"),
        (d(2025, 12, 26), "boxing_day"),
    ],
    (SCOT, 2025): [
        (d(2025, 1, 1), "new_year"),
        (d(2025, 1, 2), "second_january"),
        (d(2025, 4, 18), "good_friday"),
        (d(2025, 5, 5), "early_may"),
        (d(2025, 5, 26), "spring"),
        (d(2025, 8, 4), "summer"),
        (d(2025, 12, 1), "st_andrew"),  # 30 November is a Sunday
        (d(2025, 12, 25), "christmas"),
        (d(2025, 12, 26), "boxing_day"),
    ],
    (NI, 2025): [
        (d(2025, 1, 1), "new_year"),
        (d(2025, 3, 17), "st_patrick"),
        (d(2025, 4, 18), "good_friday"),
        (d(2025, 4, 21), "easter_monday"),
        (d(2025, 5, 5), "early_may"),
        (d(2025, 5, 26), "spring"),
        (d(2025, 7, 14), "boyne"),  # 12 July is a Saturday
        (d(2025, 8, 25), "summer"),
        (d(2025, 12, 25), "christmas"),
        (d(2025, 12, 26), "boxing_day"),
    ],
    (EW, 2026): [
        (d(2026, 1, 1), "new_year"),
        (d(2026, 4, 3), "good_friday"),
        (d(2026, 4, 6), "easter_monday"),
        (d(2026, 5, 4), "early_may"),
        (d(2026, 5, 25), "spring"),
        (d(2026, 8, 31), "summer"),
        (d(2026, 12, 25), "christmas"),
        (d(2026, 12, 28), "boxing_day"),  # 26 December is a Saturday
    ],
    (SCOT, 2026): [
        (d(2026, 1, 1), "new_year"),
        (d(2026, 1, 2), "second_january"),
        (d(2026, 4, 3), "good_friday"),
        (d(2026, 5, 4), "early_may"),
        (d(2026, 5, 25), "spring"),
        (d(2026, 8, 3), "summer"),
        (d(2026, 11, 30), "st_andrew"),
        (d(2026, 12, 25), "christmas"),
        (d(2026, 12, 28), "boxing_day"),
    ],
    (NI, 2026): [
        (d(2026, 1, 1), "new_year"),
        (d(2026, 3, 17), "st_patrick"),
        (d(2026, 4, 3), "good_friday"),
        (d(2026, 4, 6), "easter_monday"),
        (d(2026, 5, 4), "early_may"),
        (d(2026, 5, 25), "spring"),
        (d(2026, 7, 13), "boyne"),  # 12 July is a Sunday
        (d(2026, 8, 31), "summer"),
        (d(2026, 12, 25), "christmas"),
        (d(2026, 12, 28), "boxing_day"),
    ],
    (EW, 2027): [
        (d(2027, 1, 1), "new_year"),
        (d(2027, 3, 26), "good_friday"),
        (d(2027, 3, 29), "easter_monday"),
        (d(2027, 5, 3), "early_may"),
        (d(2027, 5, 31), "spring"),
        (d(2027, 8, 30), "summer"),
        (d(2027, 12, 27), "christmas"),  # 25 December is a Saturday
        (d(2027, 12, 28), "boxing_day"),
    ],
    (SCOT, 2027): [
        (d(2027, 1, 1), "new_year"),
        (d(2027, 1, 4), "second_january"),  # 2 January is a Saturday
        (d(2027, 3, 26), "good_friday"),
        (d(2027, 5, 3), "early_may"),
        (d(2027, 5, 31), "spring"),
        (d(2027, 8, 2), "summer"),
        (d(2027, 11, 30), "st_andrew"),
        (d(2027, 12, 27), "christmas"),
        (d(2027, 12, 28), "boxing_day"),
    ],
    (NI, 2027): [
        (d(2027, 1, 1), "new_year"),
        (d(2027, 3, 17), "st_patrick"),
        (d(2027, 3, 26), "good_friday"),
        (d(2027, 3, 29), "easter_monday"),
        (d(2027, 5, 3), "early_may"),
        (d(2027, 5, 31), "spring"),
        (d(2027, 7, 12), "boyne"),
        (d(2027, 8, 30), "summer"),
        (d(2027, 12, 27), "christmas"),
        (d(2027, 12, 28), "boxing_day"),
    ],
    # The Platinum Jubilee moved the spring holiday; the State Funeral; Christmas on a Sunday.
    (EW, 2022): [
        (d(2022, 1, 3), "new_year"),
        (d(2022, 4, 15), "good_friday"),
        (d(2022, 4, 18), "easter_monday"),
        (d(2022, 5, 2), "early_may"),
        (d(2022, 6, 2), "spring"),
        (d(2022, 6, 3), "platinum_jubilee"),
        (d(2022, 8, 29), "summer"),
        (d(2022, 9, 19), "state_funeral"),
        (d(2022, 12, 26), "boxing_day"),
        (d(2022, 12, 27), "christmas"),
    ],
    (SCOT, 2022): [
        (d(2022, 1, 3), "new_year"),
        (d(2022, 1, 4), "second_january"),
        (d(2022, 4, 15), "good_friday"),
        (d(2022, 5, 2), "early_may"),
        (d(2022, 6, 2), "spring"),
        (d(2022, 6, 3), "platinum_jubilee"),
        (d(2022, 8, 1), "summer"),
        (d(2022, 9, 19), "state_funeral"),
        (d(2022, 11, 30), "st_andrew"),
        (d(2022, 12, 26), "boxing_day"),
        (d(2022, 12, 27), "christmas"),
    ],
    (NI, 2022): [
        (d(2022, 1, 3), "new_year"),
        (d(2022, 3, 17), "st_patrick"),
        (d(2022, 4, 15), "good_friday"),
        (d(2022, 4, 18), "easter_monday"),
        (d(2022, 5, 2), "early_may"),
        (d(2022, 6, 2), "spring"),
        (d(2022, 6, 3), "platinum_jubilee"),
        (d(2022, 7, 12), "boyne"),
        (d(2022, 8, 29), "summer"),
        (d(2022, 9, 19), "state_funeral"),
        (d(2022, 12, 26), "boxing_day"),
        (d(2022, 12, 27), "christmas"),
    ],
}


@pytest.mark.parametrize(("nation", "year"), sorted(PUBLISHED))
def test_the_published_calendars(nation, year):
    assert listed(nation, year) == PUBLISHED[(nation, year)]


@pytest.mark.parametrize("nation", NATIONS)
def test_ve_day_moved_the_early_may_holiday_to_friday_8_may_2020(nation):
    holidays = listed(nation, 2020)
    assert (d(2020, 5, 8), "early_may") in holidays
    assert holiday_on(nation, d(2020, 5, 4)) is None
    assert holiday_on(nation, d(2020, 5, 8)).is_substitute


@pytest.mark.parametrize("nation", NATIONS)
def test_the_coronation_was_an_extra_holiday_a_week_after_early_may_2023(nation):
    assert holiday_on(nation, d(2023, 5, 1)) == BankHoliday(d(2023, 5, 1), "early_may")
    assert holiday_on(nation, d(2023, 5, 8)) == BankHoliday(d(2023, 5, 8), "coronation")


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize(
    ("day", "code"),
    [
        (d(1995, 5, 8), "early_may"),
        (d(1999, 12, 31), "millennium"),
        (d(2002, 6, 3), "golden_jubilee"),
        (d(2002, 6, 4), "spring"),
        (d(2011, 4, 29), "royal_wedding"),
        (d(2012, 6, 4), "spring"),
        (d(2012, 6, 5), "diamond_jubilee"),
    ],
)
def test_one_off_and_moved_holidays_apply_in_every_nation(nation, day, code):
    holiday = holiday_on(nation, day)
    assert holiday is not None and holiday.code == code


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (1995, d(1995, 4, 16)),
        (2000, d(2000, 4, 23)),
        (2008, d(2008, 3, 23)),  # among the earliest
        (2011, d(2011, 4, 24)),
        (2019, d(2019, 4, 21)),
        (2024, d(2024, 3, 31)),
        (2025, d(2025, 4, 20)),
        (2038, d(2038, 4, 25)),  # the latest possible
        (2100, d(2100, 3, 28)),
    ],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter
    assert holiday_on(EW, easter - timedelta(days=2)).code == "good_friday"


@pytest.mark.parametrize(
    ("nation", "year", "expected"),
    [
        # 1 January on a Saturday: Monday and, in Scotland, Tuesday for 2 January.
        (EW, 2022, [(d(2022, 1, 3), "new_year")]),
        (SCOT, 2022, [(d(2022, 1, 3), "new_year"), (d(2022, 1, 4), "second_january")]),
        # On a Sunday: 2 January keeps its Monday and New Year's Day takes Tuesday (GOV.UK 2017).
        (EW, 2017, [(d(2017, 1, 2), "new_year")]),
        (SCOT, 2017, [(d(2017, 1, 2), "second_january"), (d(2017, 1, 3), "new_year")]),
        (SCOT, 2023, [(d(2023, 1, 2), "second_january"), (d(2023, 1, 3), "new_year")]),
        # On a Friday: 2 January falls on Saturday and moves to Monday.
        (SCOT, 2016, [(d(2016, 1, 1), "new_year"), (d(2016, 1, 4), "second_january")]),
    ],
)
def test_new_year_substitutes(nation, year, expected):
    assert [item for item in listed(nation, year) if item[0].month == 1] == expected


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2020, [(d(2020, 12, 25), "christmas"), (d(2020, 12, 28), "boxing_day")]),  # Friday
        (2021, [(d(2021, 12, 27), "christmas"), (d(2021, 12, 28), "boxing_day")]),  # Saturday
        (2022, [(d(2022, 12, 26), "boxing_day"), (d(2022, 12, 27), "christmas")]),  # Sunday
        (2023, [(d(2023, 12, 25), "christmas"), (d(2023, 12, 26), "boxing_day")]),  # Monday
    ],
)
def test_christmas_substitutes(nation, year, expected):
    late = [item for item in listed(nation, year) if item[0] >= d(year, 12, 20)]
    assert late == expected


@pytest.mark.parametrize(
    ("nation", "day", "code"),
    [
        (NI, d(2024, 3, 18), "st_patrick"),  # 17 March 2024 was a Sunday
        (NI, d(2012, 3, 19), "st_patrick"),  # a Saturday
        (NI, d(2026, 7, 13), "boyne"),
        (SCOT, d(2024, 12, 2), "st_andrew"),  # 30 November 2024 was a Saturday
        (SCOT, d(2013, 12, 2), "st_andrew"),
    ],
)
def test_weekend_national_days_move_to_monday(nation, day, code):
    holiday = holiday_on(nation, day)
    assert holiday is not None and holiday.code == code and holiday.is_substitute
    assert holiday.date.weekday() == 0


def test_st_andrews_day_is_a_holiday_from_2007():
    assert "st_andrew" not in {code for _, code in listed(SCOT, 2006)}
    assert (d(2007, 11, 30), "st_andrew") in listed(SCOT, 2007)


@pytest.mark.parametrize(
    ("day", "holidays_in"),
    [
        (d(2026, 4, 6), {EW, NI}),  # Easter Monday: not Scotland
        (d(2026, 1, 2), {SCOT}),
        (d(2026, 3, 17), {NI}),
        (d(2026, 8, 3), {SCOT}),  # Scotland's summer holiday is at the start of August
        (d(2026, 8, 31), {EW, NI}),
        (d(2026, 11, 30), {SCOT}),
    ],
)
def test_each_nation_has_its_own_days(day, holidays_in):
    assert {nation for nation in NATIONS if holiday_on(nation, day)} == holidays_in


BASE_COUNT = {EW: 8, SCOT: 9, NI: 10}
EXTRA_DAYS = {1999: 1, 2002: 1, 2011: 1, 2012: 1, 2022: 2, 2023: 1}


@pytest.mark.parametrize("nation", NATIONS)
def test_every_year_has_its_holidays_on_distinct_weekdays_in_order(nation):
    for year in range(1995, LAST_YEAR + 1):
        holidays = bank_holidays(nation, year)
        days = [holiday.date for holiday in holidays]
        expected = BASE_COUNT[nation] + EXTRA_DAYS.get(year, 0)
        if nation == SCOT and year < 2007:
            expected -= 1  # no St Andrew's Day yet
        assert len(holidays) == expected, year
        assert days == sorted(set(days)), year
        assert all(day.year == year and day.weekday() < 5 for day in days), year
        assert all(holiday.code in HOLIDAY_LABELS for holiday in holidays)


def test_unknown_nations_and_years_outside_the_range_are_refused():
    with pytest.raises(ValueError, match="unknown nation"):
        bank_holidays("wales", 2026)
    with pytest.raises(ValueError, match="unknown nation"):
        holiday_on("uk", d(2026, 1, 1))
    with pytest.raises(ValueError, match="1995"):
        bank_holidays(EW, 1994)
    with pytest.raises(ValueError, match="2100"):
        holiday_on(EW, d(2101, 1, 1))


def test_holiday_on_an_ordinary_day_is_none():
    assert holiday_on(EW, d(2026, 6, 10)) is None


def test_labels_are_plain_english_with_typographic_apostrophes():
    # The labels use the typographic apostrophe (U+2019) on purpose, hence the noqa.
    assert set(NATION_LABELS) == set(NATIONS)
    assert str(NATION_LABELS[EW]) == "England and Wales"
    assert BankHoliday(d(2026, 1, 1), "new_year").label == "New Year’s Day"  # noqa: RUF001
    assert holiday_on(NI, d(2026, 3, 17)).label == "St Patrick’s Day"  # noqa: RUF001
    assert holiday_on(SCOT, d(2026, 11, 30)).label == "St Andrew’s Day"  # noqa: RUF001
    assert holiday_on(EW, d(2026, 8, 31)).label == "Summer bank holiday"
    assert not any("'" in str(label) for label in HOLIDAY_LABELS.values())


@pytest.mark.parametrize(
    ("region", "nation"),
    [
        ("wales", EW),
        ("scotland", SCOT),
        ("northern_ireland", NI),
        ("london", EW),
        ("north_west", EW),
        ("", EW),
        (None, EW),
        (Region.SCOTLAND, SCOT),
        (Region.WALES, EW),
    ],
)
def test_nation_for_region(region, nation):
    assert nation_for_region(region) == nation


def test_every_region_maps_to_a_nation():
    assert {nation_for_region(region.value) for region in Region} == set(NATIONS)


def days(planned: list[PlannedDate]) -> list[date]:
    return [item.day for item in planned]


def test_weekly_sessions_skip_easter_monday_in_england_but_not_in_scotland():
    first = d(2026, 3, 23)  # a Monday
    england = plan_dates(first, 4, 1, EW)
    assert days(england) == [d(2026, 3, 23), d(2026, 3, 30), d(2026, 4, 7), d(2026, 4, 13)]
    moved = england[2]
    assert moved.moved_from == d(2026, 4, 6)
    assert moved.holiday == BankHoliday(d(2026, 4, 6), "easter_monday")
    assert moved.holiday.label == "Easter Monday"
    assert all(item.moved_from is None and item.holiday is None for item in england[:2])

    scotland = plan_dates(first, 4, 1, SCOT)
    assert days(scotland) == [d(2026, 3, 23), d(2026, 3, 30), d(2026, 4, 6), d(2026, 4, 13)]
    assert all(item.moved_from is None for item in scotland)


def test_a_weekly_rhythm_across_christmas_keeps_to_its_original_days():
    # Fridays: Christmas Day, then 1 January; Boxing Day's substitute is Monday 28th.
    planned = plan_dates(d(2026, 12, 18), 5, 1, EW)
    assert planned == [
        PlannedDate(d(2026, 12, 18)),
        PlannedDate(
            d(2026, 12, 29),
            moved_from=d(2026, 12, 25),
            holiday=BankHoliday(d(2026, 12, 25), "christmas"),
        ),
        PlannedDate(
            d(2027, 1, 4),
            moved_from=d(2027, 1, 1),
            holiday=BankHoliday(d(2027, 1, 1), "new_year"),
        ),
        PlannedDate(d(2027, 1, 8)),  # back on Friday: the moves did not shift the rhythm
        PlannedDate(d(2027, 1, 15)),
    ]
    # In Scotland Monday 4 January 2027 is the 2 January holiday, so it moves on a day more.
    assert days(plan_dates(d(2026, 12, 18), 4, 1, SCOT))[2] == d(2027, 1, 5)


def test_a_session_on_a_christmas_substitute_skips_the_whole_run_of_holidays():
    planned = plan_dates(d(2027, 12, 20), 3, 1, NI)  # Mondays
    assert days(planned) == [d(2027, 12, 20), d(2027, 12, 29), d(2028, 1, 4)]
    assert planned[1].holiday.code == "christmas" and planned[1].holiday.is_substitute
    assert planned[2].moved_from == d(2028, 1, 3) and planned[2].holiday.code == "new_year"


def test_fortnightly_sessions_move_only_the_date_on_the_holiday():
    planned = plan_dates(d(2026, 4, 20), 4, 2, EW)  # Mondays, every other week
    assert days(planned) == [d(2026, 4, 20), d(2026, 5, 5), d(2026, 5, 18), d(2026, 6, 1)]
    assert planned[1].holiday.code == "early_may"


def test_a_first_date_on_a_holiday_moves_too():
    planned = plan_dates(d(2026, 5, 25), 2, 1, EW)
    assert planned[0] == PlannedDate(
        d(2026, 5, 26), moved_from=d(2026, 5, 25), holiday=BankHoliday(d(2026, 5, 25), "spring")
    )
    assert planned[1] == PlannedDate(d(2026, 6, 1))


def test_a_first_date_at_a_weekend_is_kept_and_later_weekend_dates_move_to_a_weekday():
    planned = plan_dates(d(2026, 1, 3), 3, 1, EW)  # a Saturday
    assert planned[0] == PlannedDate(d(2026, 1, 3))
    assert planned[1] == PlannedDate(d(2026, 1, 12), moved_from=d(2026, 1, 10))
    assert planned[2] == PlannedDate(d(2026, 1, 19), moved_from=d(2026, 1, 17))


def test_a_single_session_on_an_ordinary_day_stays():
    assert plan_dates(d(2026, 6, 10), 1, 3, NI) == [PlannedDate(d(2026, 6, 10))]


@pytest.mark.parametrize(
    ("count", "every_weeks", "nation", "message"),
    [
        (0, 1, EW, "count"),
        (-1, 1, EW, "count"),
        (3, 0, EW, "every_weeks"),
        (3, -2, EW, "every_weeks"),
        (3, 1, "wales", "unknown nation"),
    ],
)
def test_plan_dates_refuses_bad_input(count, every_weeks, nation, message):
    with pytest.raises(ValueError, match=message):
        plan_dates(d(2026, 1, 5), count, every_weeks, nation)


@settings(max_examples=300, deadline=None)
@given(
    first=st.dates(min_value=d(1995, 1, 1), max_value=d(2090, 12, 31)),
    count=st.integers(min_value=1, max_value=60),
    every_weeks=st.integers(min_value=1, max_value=4),
    nation=st.sampled_from(NATIONS),
)
def test_planned_dates_never_collide_and_never_fall_on_a_day_off(first, count, every_weeks, nation):
    planned = plan_dates(first, count, every_weeks, nation)
    assert len(planned) == count
    assert all(earlier.day < later.day for earlier, later in pairwise(planned))
    for index, item in enumerate(planned):
        original = first + timedelta(weeks=every_weeks * index)
        assert (item.moved_from or item.day) == original
        assert item.holiday == holiday_on(nation, original)
        assert holiday_on(nation, item.day) is None
        if index or item.moved_from:
            assert item.day.weekday() < 5
        if item.moved_from:
            assert original < item.day < original + timedelta(weeks=every_weeks)
