"""The periods of the indicators (pure): presets, the whole previous month, and what each is compared with."""

from datetime import date

import pytest

from vigie.indicators import periods
from vigie.indicators.periods import BadPeriod, Period


@pytest.mark.parametrize(
    ("kind", "today", "start", "end"),
    [
        (periods.WEEK, date(2026, 12, 2), date(2026, 11, 30), date(2026, 12, 2)),
        (periods.MONTH, date(2026, 12, 1), date(2026, 12, 1), date(2026, 12, 1)),
        (periods.LAST_MONTH, date(2026, 12, 1), date(2026, 11, 1), date(2026, 11, 30)),
        (periods.LAST_MONTH, date(2027, 1, 15), date(2026, 12, 1), date(2026, 12, 31)),
        (periods.LAST_MONTH, date(2028, 3, 31), date(2028, 2, 1), date(2028, 2, 29)),
        (periods.QUARTER, date(2026, 12, 1), date(2026, 10, 1), date(2026, 12, 1)),
    ],
)
def test_each_preset_runs_from_its_first_day(kind, today, start, end):
    period = periods.preset(kind, today)
    assert (period.start, period.end, period.kind) == (start, end, kind)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        # the same days of the week, month or quarter before
        (Period(date(2026, 12, 2), date(2026, 12, 2), periods.WEEK), date(2026, 11, 25), date(2026, 11, 25)),
        (Period(date(2026, 12, 1), date(2026, 12, 10), periods.MONTH), date(2026, 11, 1), date(2026, 11, 10)),
        # cut at the end of a shorter month
        (Period(date(2026, 3, 1), date(2026, 3, 30), periods.MONTH), date(2026, 2, 1), date(2026, 2, 28)),
        # a whole month against the whole month before, even when that one is longer
        (Period(date(2026, 11, 1), date(2026, 11, 30), periods.LAST_MONTH), date(2026, 10, 1), date(2026, 10, 31)),
        (Period(date(2026, 11, 1), date(2026, 11, 30), periods.MONTH), date(2026, 10, 1), date(2026, 10, 31)),
        (Period(date(2026, 3, 1), date(2026, 3, 31), periods.LAST_MONTH), date(2026, 2, 1), date(2026, 2, 28)),
        (Period(date(2026, 10, 1), date(2026, 12, 31), periods.QUARTER), date(2026, 7, 1), date(2026, 9, 30)),
        (Period(date(2026, 10, 1), date(2026, 11, 5), periods.QUARTER), date(2026, 7, 1), date(2026, 8, 5)),
        # a free period: the same number of days just before
        (Period(date(2026, 11, 10), date(2026, 11, 12)), date(2026, 11, 7), date(2026, 11, 9)),
    ],
)
def test_each_period_is_compared_with_the_one_before(period, start, end):
    previous = period.previous()
    assert (previous.start, previous.end) == (start, end)


def test_the_monthly_report_compares_a_whole_month_with_the_whole_month_before():
    november = periods.month_of(date(2026, 11, 15))
    assert (november.previous().start, november.previous().end) == (date(2026, 10, 1), date(2026, 10, 31))


def test_an_unknown_preset_says_which_are_known():
    with pytest.raises(BadPeriod, match="last_month"):
        periods.from_query({"period": "yesterday"}, date(2026, 12, 1))


def test_only_this_month_in_its_first_week_has_just_begun():
    assert periods.preset(periods.MONTH, date(2026, 12, 7)).month_just_begun
    assert not periods.preset(periods.MONTH, date(2026, 12, 8)).month_just_begun
    assert not periods.preset(periods.WEEK, date(2026, 12, 1)).month_just_begun
    assert not periods.preset(periods.QUARTER, date(2026, 10, 1)).month_just_begun
