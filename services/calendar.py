"""Working days in Vietnam: weekends and the Labour Code's public holidays (Tết, Hùng Kings,
30/4, 1/5, 2/9 and their substitutes) are not counted; the `holidays` package keeps the
calendar, including the swapped days each year's announcement makes."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (the day of the act itself is not counted)."""
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
