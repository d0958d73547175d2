from datetime import datetime, timedelta

import pytest

from vigie.lib.clock import PARIS, Calendar
from vigie.sla import deadlines, messenger
from vigie.sla.deadlines import Policy

CAME = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
DUE = CAME + timedelta(hours=24)


def test_a_private_message_is_due_an_answer_24_clock_hours_after_it_came():
    assert deadlines.due_at(CAME, Policy()) == DUE


def test_answered_23h59_after_it_came_is_met():
    assert deadlines.state(DUE, CAME + timedelta(hours=23, minutes=59), CAME + timedelta(days=3)) == "met"


def test_answered_24h01_after_it_came_is_missed():
    assert deadlines.state(DUE, CAME + timedelta(hours=24, minutes=1), CAME + timedelta(days=3)) == "missed"


@pytest.mark.parametrize(
    ("after", "expected"),
    [(timedelta(hours=1), "on_time"), (timedelta(hours=20), "due_soon"), (timedelta(hours=24, seconds=1), "overdue")],
)
def test_unanswered_it_turns_due_soon_4_hours_before_then_overdue(after, expected):
    assert deadlines.state(DUE, None, CAME + after) == expected


def test_nothing_due_has_no_state():
    assert deadlines.state(None, None, CAME) is None


@pytest.mark.parametrize("label", ["question", "complex_request", "criticism", "positive_neutral"])
def test_messages_that_need_an_answer(label):
    assert deadlines.needs_answer("private_message", label)


@pytest.mark.parametrize("label", ["spam", "abuse", "misinformation", "conflict", ""])
def test_inappropriate_messages_get_no_deadline(label):
    assert not deadlines.needs_answer("private_message", label)


def test_comments_are_not_on_this_clock():
    assert not deadlines.needs_answer("comment", "question")


def test_under_business_hours_a_friday_evening_message_is_due_on_wednesday():
    friday_evening = datetime(2026, 11, 27, 19, 30, tzinfo=PARIS)
    due = deadlines.due_at(friday_evening, Policy(business=True, calendar=Calendar()))
    assert due == datetime(2026, 12, 2, 15, 0, tzinfo=PARIS)


def test_the_badge_reads_the_time_left_or_the_delay():
    assert deadlines.time_left(DUE, DUE - timedelta(hours=3, minutes=20)) == "3 h 20"
    assert deadlines.time_left(DUE, DUE + timedelta(minutes=45)) == "45 min"
    assert deadlines.time_left(DUE, DUE - timedelta(days=2, hours=4)) == "2 j 4 h"


def test_messenger_allows_a_free_reply_within_24_hours():
    window = messenger.window(CAME, CAME + timedelta(hours=23, minutes=59), human_agent=False)
    assert window.rule == "standard" and window.tag == "" and window.until == CAME + timedelta(hours=24)


def test_after_24_hours_only_a_human_agent_reply_within_7_days():
    later = CAME + timedelta(hours=24, minutes=1)
    assert messenger.window(later, later, human_agent=True).rule == "standard"  # a new message reopens it
    tagged = messenger.window(CAME, later, human_agent=True)
    assert tagged.rule == "human_agent" and tagged.tag == "HUMAN_AGENT" and tagged.until == CAME + timedelta(days=7)
    assert not messenger.window(CAME, later, human_agent=False).open


def test_after_7_days_nothing_can_be_sent():
    window = messenger.window(CAME, CAME + timedelta(days=7, seconds=1), human_agent=True)
    assert not window.open and "7 jours" in window.message
