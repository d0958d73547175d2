from datetime import date

from vigie.helpdesk.workdays import add_working_days, is_working_day


def test_five_working_days_from_a_monday_is_the_next_monday():
    assert add_working_days(date(2026, 11, 30), 5) == date(2026, 12, 7)


def test_a_request_on_a_friday_evening_counts_from_monday():
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)
    assert add_working_days(date(2026, 11, 27), 5) == date(2026, 12, 4)


def test_public_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 12, 25))  # Noël, a Friday
    assert not is_working_day(date(2027, 5, 6))  # Ascension (Easter 2027 is 28 March)
    # from Tuesday 22 December 2026: 23, 24, (25 Noël), 28, 29, 30
    assert add_working_days(date(2026, 12, 22), 5) == date(2026, 12, 30)


def test_weekends_are_not_working_days():
    assert not is_working_day(date(2026, 11, 28)) and not is_working_day(date(2026, 11, 29))
    assert is_working_day(date(2026, 11, 30))


def test_working_days_counted_back_skip_the_weekend_and_holidays():
    assert add_working_days(date(2026, 12, 1), -2) == date(2026, 11, 27)  # Tuesday → the Friday before
    assert add_working_days(date(2026, 12, 28), -1) == date(2026, 12, 24)  # Monday, over Noël
    assert add_working_days(date(2026, 12, 1), 0) == date(2026, 12, 1)
