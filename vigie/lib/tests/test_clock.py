from datetime import date, datetime, time

import pytest

from vigie.lib.clock import PARIS, Calendar, add_business_hours, french_holiday

DESK = Calendar()  # Monday to Friday, 9:00–18:00, French public holidays off


def paris(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def test_hours_inside_one_open_day_are_added_as_they_are():
    assert add_business_hours(DESK, paris("2026-11-24T10:00"), 3) == paris("2026-11-24T13:00")


def test_a_message_on_friday_evening_starts_its_clock_on_monday_morning():
    # 24 business hours of 9 h a day: Monday 9 h, Tuesday 9 h, then 6 h on Wednesday
    assert add_business_hours(DESK, paris("2026-11-27T19:30"), 24) == paris("2026-12-02T15:00")


def test_the_friday_afternoon_hours_count_then_the_weekend_does_not():
    assert add_business_hours(DESK, paris("2026-11-27T16:00"), 4) == paris("2026-11-30T11:00")


def test_a_public_holiday_is_skipped():
    # Wednesday 11 November 2026 (Armistice) is off: Tuesday 17:00 + 2 h ends on Thursday 10:00
    assert french_holiday(date(2026, 11, 11))
    assert add_business_hours(DESK, paris("2026-11-10T17:00"), 2) == paris("2026-11-12T10:00")


def test_moving_holidays_come_from_the_package_not_a_list():
    assert french_holiday(date(2026, 5, 14))  # Ascension 2026
    assert french_holiday(date(2027, 5, 6))  # Ascension 2027
    assert not french_holiday(date(2026, 5, 13))


def test_holidays_can_be_worked_when_the_admin_says_so():
    worked = Calendar(public_holidays=False)
    assert worked.is_open_day(date(2026, 11, 11)) and not DESK.is_open_day(date(2026, 11, 11))


def test_a_calendar_without_hours_is_an_error_not_a_hang():
    with pytest.raises(ValueError):
        add_business_hours(Calendar(opens=time(18), closes=time(9)), paris("2026-11-24T10:00"), 1)
    with pytest.raises(ValueError):
        add_business_hours(Calendar(work_days=frozenset()), paris("2026-11-24T10:00"), 1)


def test_a_result_in_utc_and_paris_is_the_same_moment():
    start = paris("2026-11-27T19:30").astimezone(datetime.now().astimezone().tzinfo)
    assert add_business_hours(DESK, start, 24) == paris("2026-12-02T15:00")
