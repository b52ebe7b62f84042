"""UK bank holidays for GOV.UK's three calendars, computed (no network, no database), and the
planning of a set's session dates around them.

The rules follow the Banking and Financial Dealings Act 1971 and the proclamations GOV.UK
publishes at https://www.gov.uk/bank-holidays for 1995 to 2100, including the one-off days
and the years the May holidays moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from functools import cache

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

FIRST_YEAR = 1995
LAST_YEAR = 2100

NATIONS: tuple[str, ...] = ("england_wales", "scotland", "northern_ireland")

NATION_LABELS: dict[str, LazyString] = {
    "england_wales": _l("England and Wales"),
    "scotland": _l("Scotland"),
    "northern_ireland": _l("Northern Ireland"),
}

# Labels use the typographic apostrophe, as GOV.UK writes them.
HOLIDAY_LABELS: dict[str, LazyString] = {
    "new_year": _l("New Year’s Day"),  # noqa: RUF001 - GOV.UK style
    "second_january": _l("2 January"),
    "st_patrick": _l("St Patrick’s Day"),  # noqa: RUF001 - GOV.UK style
    "good_friday": _l("Good Friday"),
    "easter_monday": _l("Easter Monday"),
    "early_may": _l("Early May bank holiday"),
    "spring": _l("Spring bank holiday"),
    "boyne": _l("Battle of the Boyne (Orangemen’s Day)"),  # noqa: RUF001 - GOV.UK style
    "summer": _l("Summer bank holiday"),
    "st_andrew": _l("St Andrew’s Day"),  # noqa: RUF001 - GOV.UK style
    "christmas": _l("Christmas Day"),
    "boxing_day": _l("Boxing Day"),
    "millennium": _l("Millennium bank holiday"),
    "golden_jubilee": _l("Golden Jubilee bank holiday"),
    "royal_wedding": _l("Royal wedding bank holiday"),
    "diamond_jubilee": _l("Diamond Jubilee bank holiday"),
    "platinum_jubilee": _l("Platinum Jubilee bank holiday"),
    "state_funeral": _l("Bank holiday for the State Funeral of Queen Elizabeth II"),
    "coronation": _l("Bank holiday for the coronation of King Charles III"),
}

# Years a regular holiday was moved by proclamation: (code, year) -> the day it was held.
_MOVED: dict[tuple[str, int], date] = {
    ("early_may", 1995): date(1995, 5, 8),  # 50th anniversary of VE Day
    ("early_may", 2020): date(2020, 5, 8),  # 75th anniversary of VE Day, a Friday
    ("spring", 2002): date(2002, 6, 4),  # Golden Jubilee
    ("spring", 2012): date(2012, 6, 4),  # Diamond Jubilee
    ("spring", 2022): date(2022, 6, 2),  # Platinum Jubilee, a Thursday
}

# Extra days, each a bank holiday in all three nations.
_ONE_OFFS: tuple[tuple[date, str], ...] = (
    (date(1999, 12, 31), "millennium"),
    (date(2002, 6, 3), "golden_jubilee"),
    (date(2011, 4, 29), "royal_wedding"),
    (date(2012, 6, 5), "diamond_jubilee"),
    (date(2022, 6, 3), "platinum_jubilee"),
    (date(2022, 9, 19), "state_funeral"),
    (date(2023, 5, 8), "coronation"),
)

# The St Andrew's Day Bank Holiday (Scotland) Act 2007 made 30 November a bank holiday.
_ST_ANDREW_FROM = 2007

_REGION_NATIONS = {
    "wales": "england_wales",
    "scotland": "scotland",
    "northern_ireland": "northern_ireland",
}

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class BankHoliday:
    date: date
    code: str  # a key of HOLIDAY_LABELS
    # Held on another day than its usual one (a weekend substitute, or moved by proclamation).
    # Left out of comparisons, so BankHoliday(day, code) equals what the functions return.
    is_substitute: bool = field(default=False, compare=False)

    @property
    def label(self) -> str:
        return str(HOLIDAY_LABELS[self.code])


@dataclass(frozen=True)
class PlannedDate:
    day: date
    moved_from: date | None = None  # the date the rhythm gave, when the session had to move
    holiday: BankHoliday | None = None  # the holiday it was moved off (None for a weekend)


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous, or Meeus/Jones/Butcher,
    algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's published name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def bank_holidays(nation: str, year: int) -> list[BankHoliday]:
    """The bank holidays of ``nation`` in ``year``, sorted by date.

    Raises ValueError for an unknown nation or a year outside 1995 to 2100.
    """
    _check(nation, year)
    return list(_holidays(nation, year))


def holiday_on(nation: str, day: date) -> BankHoliday | None:
    """The bank holiday of ``nation`` on ``day``, if there is one."""
    _check(nation, day.year)
    return _by_date(nation, day.year).get(day)


def nation_for_region(region: str | Enum | None) -> str:
    """The bank-holiday calendar for a Region value (or member): England's regions and Wales
    share one; anything unknown, or no region, gets England and Wales's."""
    value = region.value if isinstance(region, Enum) else region
    return _REGION_NATIONS.get(value or "", "england_wales")


def plan_dates(first: date, count: int, every_weeks: int, nation: str) -> list[PlannedDate]:
    """``count`` session dates, ``every_weeks`` apart from ``first``.

    A date on a bank holiday of ``nation`` (or, after the first, on a weekend, which happens
    only when ``first`` is one; ``first`` itself may be a weekend day and is kept) moves to the
    next day that is neither a bank holiday nor a Saturday or Sunday, and records where it
    moved from and why. The rhythm continues from the original dates, so one moved session
    does not shift the rest; dates stay strictly increasing and never coincide.

    Raises ValueError if count or every_weeks is below 1, the nation is unknown, or a date
    falls outside 1995 to 2100.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, not {count}")
    if every_weeks < 1:
        raise ValueError(f"every_weeks must be at least 1, not {every_weeks}")
    _check_nation(nation)
    planned: list[PlannedDate] = []
    previous: date | None = None
    for index in range(count):
        original = first + timedelta(weeks=every_weeks * index)
        holiday = holiday_on(nation, original)
        collides = previous is not None and original <= previous
        if holiday is None and not collides and (index == 0 or not _is_weekend(original)):
            planned.append(PlannedDate(original))
            previous = original
            continue
        day = max(original, previous or original) + _ONE_DAY
        while _is_weekend(day) or holiday_on(nation, day) is not None:
            day += _ONE_DAY
        planned.append(PlannedDate(day, moved_from=original, holiday=holiday))
        previous = day
    return planned


def _check_nation(nation: str) -> None:
    if nation not in NATIONS:
        raise ValueError(f"unknown nation {nation!r}; expected one of {', '.join(NATIONS)}")


def _check(nation: str, year: int) -> None:
    _check_nation(nation)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"bank holidays are known for {FIRST_YEAR} to {LAST_YEAR}, not {year}")


def _is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def _first_monday(year: int, month: int) -> date:
    start = date(year, month, 1)
    return start + timedelta(days=-start.weekday() % 7)


def _last_monday(year: int, month: int) -> date:
    end = date(year + month // 12, month % 12 + 1, 1) - _ONE_DAY
    return end - timedelta(days=end.weekday())


@cache
def _by_date(nation: str, year: int) -> dict[date, BankHoliday]:
    return {holiday.date: holiday for holiday in _holidays(nation, year)}


@cache
def _holidays(nation: str, year: int) -> tuple[BankHoliday, ...]:
    easter = easter_sunday(year)
    regular = [
        ("good_friday", easter - timedelta(days=2)),
        ("early_may", _first_monday(year, 5)),
        ("spring", _last_monday(year, 5)),
        ("summer", _first_monday(year, 8) if nation == "scotland" else _last_monday(year, 8)),
    ]
    if nation != "scotland":
        regular.append(("easter_monday", easter + _ONE_DAY))
    holidays = [
        BankHoliday(_MOVED.get((code, year), day), code, is_substitute=(code, year) in _MOVED)
        for code, day in regular
    ]
    holidays += [BankHoliday(day, code) for day, code in _ONE_OFFS if day.year == year]

    fixed = [("new_year", date(year, 1, 1)), ("christmas", date(year, 12, 25))]
    fixed.append(("boxing_day", date(year, 12, 26)))
    if nation == "scotland":
        fixed.append(("second_january", date(year, 1, 2)))
        if year >= _ST_ANDREW_FROM:
            fixed.append(("st_andrew", date(year, 11, 30)))
    if nation == "northern_ireland":
        fixed += [("st_patrick", date(year, 3, 17)), ("boyne", date(year, 7, 12))]
    taken = {holiday.date for holiday in holidays}
    # A fixed holiday on a weekday keeps its day; one at a weekend takes the next weekday not
    # already a holiday. So with Christmas on a Sunday, Boxing Day stays on Monday the 26th
    # and Christmas takes Tuesday; with 1 January on a Sunday in Scotland, 2 January stays on
    # the Monday and New Year's Day takes Tuesday (as GOV.UK lists 2016, 2017 and 2022).
    for code, usual in sorted(fixed, key=lambda item: (_is_weekend(item[1]), item[1])):
        day = usual
        while _is_weekend(day) or day in taken:
            day += _ONE_DAY
        taken.add(day)
        holidays.append(BankHoliday(day, code, is_substitute=day != usual))
    return tuple(sorted(holidays, key=lambda holiday: holiday.date))
