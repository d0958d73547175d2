"""Business hours (pure): the desk's calendar and time counted only while the desk is open.

A `Calendar` says which days are worked, the opening hours and whether French public holidays are
days off (the `holidays` package, maintained, keeps the list: Easter Monday, Ascension, Whit Monday…).
Times are counted in Europe/Paris; results come back as aware datetimes.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

PARIS = ZoneInfo("Europe/Paris")
MONDAY_TO_FRIDAY = frozenset(range(5))


@cache
def _french_holidays():
    return holidays.country_holidays("FR", language="fr")


def french_holiday(day: date) -> str:
    """The name of the French public holiday on `day`, or ""."""
    return _french_holidays().get(day, "")


@dataclass(frozen=True)
class Calendar:
    work_days: frozenset[int] = MONDAY_TO_FRIDAY  # 0 = Monday
    opens: time = time(9, 0)
    closes: time = time(18, 0)
    public_holidays: bool = True
    extra_days_off: frozenset[date] = field(default_factory=frozenset)

    def is_open_day(self, day: date) -> bool:
        if day.weekday() not in self.work_days or day in self.extra_days_off:
            return False
        return not (self.public_holidays and french_holiday(day))

    def open_days(self, start: date, end: date) -> Iterable[date]:
        day = start
        while day <= end:
            if self.is_open_day(day):
                yield day
            day += timedelta(days=1)


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=PARIS)


def add_business_hours(calendar: Calendar, start: datetime, hours: float) -> datetime:
    """`start` plus `hours` counted only while the desk is open: a message that comes on Friday evening
    starts its clock on the next open day's opening."""
    if calendar.closes <= calendar.opens or not calendar.work_days:
        raise ValueError("calendrier sans heures ouvrées")
    left = timedelta(hours=hours)
    moment = start.astimezone(PARIS)
    day = moment.date()
    for _ in range(3660):  # ten years of days: a calendar with no open day left is an error, not a hang
        if calendar.is_open_day(day):
            begin = max(moment, _at(day, calendar.opens))
            end = _at(day, calendar.closes)
            if begin < end:
                if begin + left <= end:
                    return begin + left
                left -= end - begin
        day += timedelta(days=1)
        moment = _at(day, time.min)
    raise ValueError("aucun jour ouvré dans les dix ans qui viennent")
