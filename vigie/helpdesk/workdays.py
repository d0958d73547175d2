"""Working days in France: Monday to Friday, public holidays excepted (the `holidays` package). Pure."""

from datetime import date, timedelta
from functools import lru_cache

import holidays

REVIEW_DAYS = 5  # the internal review of a complex request: five working days by default


@lru_cache(maxsize=16)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.France(years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (before it when `days` is negative; `start` is not counted)."""
    step, left, day = timedelta(days=1 if days >= 0 else -1), abs(days), start
    while left:
        day += step
        if is_working_day(day):
            left -= 1
    return day
