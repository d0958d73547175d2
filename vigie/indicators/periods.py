"""Periods of the indicators (pure): whole days in Europe/Paris, from one day to another, both included.

« Cette semaine », « Ce mois », « Ce trimestre » run from the first day of the week (Monday), month or
quarter to today; « Le mois dernier » is the whole previous month (what the direction reviews on the first
days of a month, when « Ce mois » holds a day or two). A period is compared with the previous one of the
same length: for those, the same days of the week, month or quarter before (Monday to Wednesday against
last Monday to Wednesday; 1–10 December against 1–10 November, cut at the end of that month when it is
shorter), and a whole month or quarter with the whole one before (November against all of October); for a
free period, the same number of days just before it.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from vigie.lib.clock import PARIS

WEEK, MONTH, LAST_MONTH, QUARTER, CUSTOM = "week", "month", "last_month", "quarter", "custom"
PRESETS = {WEEK: "Cette semaine", MONTH: "Ce mois", LAST_MONTH: "Le mois dernier", QUARTER: "Ce trimestre"}
MONTHS_BACK = {MONTH: 1, LAST_MONTH: 1, QUARTER: 3}  # how far back the previous period of a calendar one starts
MAX_DAYS = 731  # two years: beyond, ask for two periods
MONTH_BEGINS = 7  # in its first days, « Ce mois » says little: the page offers the whole month before


class BadPeriod(ValueError):
    """A period that cannot be read; the message says why, in French."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str = CUSTOM

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]

    def bounds(self) -> tuple[datetime, datetime]:
        """[first instant, first instant after) as aware datetimes: a Paris day lasts 23, 24 or 25 hours."""
        return paris_midnight(self.start), paris_midnight(self.end + timedelta(days=1))

    def previous(self) -> "Period":
        if self.kind == CUSTOM:
            return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1), CUSTOM)
        if self.kind == WEEK:
            return replace(self, start=self.start - timedelta(days=7), end=self.end - timedelta(days=7))
        months = MONTHS_BACK[self.kind]
        start = _months_before(self.start, months)
        just_before = self.start - timedelta(days=1)
        if self.end == _months_before(self.start, -months) - timedelta(days=1):  # the whole month or quarter
            return replace(self, start=start, end=just_before)
        return replace(self, start=start, end=min(start + timedelta(days=self.days - 1), just_before))

    @property
    def month_just_begun(self) -> bool:
        return self.kind == MONTH and self.days <= MONTH_BEGINS

    @property
    def title(self) -> str:
        if self.start == self.end:
            return f"le {self.start:%d/%m/%Y}"
        return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"


def paris_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=PARIS)


def paris_day(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def _months_before(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    return date(total // 12, total % 12 + 1, 1)


def preset(kind: str, today: date) -> Period:
    if kind == WEEK:
        return Period(today - timedelta(days=today.weekday()), today, WEEK)
    if kind == MONTH:
        return Period(today.replace(day=1), today, MONTH)
    if kind == LAST_MONTH:
        return replace(month_of(_months_before(today.replace(day=1), 1)), kind=LAST_MONTH)
    if kind == QUARTER:
        return Period(date(today.year, (today.month - 1) // 3 * 3 + 1, 1), today, QUARTER)
    raise BadPeriod(f"Période inconnue : « {kind} » (week, month, last_month, quarter, ou des dates).")


def month_of(day: date) -> Period:
    """The whole calendar month of `day` (the monthly report), compared with the month before."""
    first = day.replace(day=1)
    following = _months_before(first, -1)
    return Period(first, following - timedelta(days=1), MONTH)


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)  # the previous period of any allowed one stays a date


def _date(value: str, name: str) -> date:
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadPeriod(f"« {name} » : date AAAA-MM-JJ attendue, reçu « {value} ».") from None
    if not EARLIEST <= day <= LATEST:
        raise BadPeriod(f"« {name} » : date entre {EARLIEST:%d/%m/%Y} et {LATEST:%d/%m/%Y} attendue.")
    return day


def custom(start: str, end: str) -> Period:
    """From two YYYY-MM-DD strings, both days included."""
    if not start or not end:
        raise BadPeriod("Donnez les deux dates : from et to (AAAA-MM-JJ).")
    first, last = _date(start, "from"), _date(end, "to")
    if last < first:
        raise BadPeriod("La date de fin (to) précède la date de début (from).")
    period = Period(first, last, CUSTOM)
    if period.days > MAX_DAYS:
        raise BadPeriod(f"Période trop longue : {MAX_DAYS} jours au plus.")
    return period


def from_query(params, today: date) -> Period:
    """`?from=…&to=…`, else `?period=week|month|last_month|quarter`, else this month."""
    if params.get("from") or params.get("to"):
        return custom(params.get("from", ""), params.get("to", ""))
    return preset(params.get("period") or MONTH, today)
