"""Each figure on a dataset with known counts (Paris days, daylight saving changes, 24 h 00 exactly)."""

from datetime import UTC, date, timedelta

import pytest
import time_machine
from django.db import transaction

from vigie.crisis.models import Crisis
from vigie.helpdesk.models import Task
from vigie.inbox import items
from vigie.inbox.models import Author, Person
from vigie.indicators import figures, tables, tally
from vigie.indicators.periods import Period, custom
from vigie.indicators.tests.conftest import at
from vigie.moderation.models import PlatformAction
from vigie.records.models import PlatformReport
from vigie.rounds.models import Round

pytestmark = pytest.mark.django_db
NOW = at("2026-12-15T12:00:00+01:00")
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


def build(period=NOVEMBER, **kwargs):
    return figures.build(period, now=NOW, **kwargs)


def test_volumes_by_platform_kind_and_label(message):
    for label in ("question", "question", "spam", "abuse"):
        message("2026-11-10T10:00:00+01:00", label=label)
    message("2026-11-11T10:00:00+01:00", label="criticism", platform="linkedin")
    message("2026-11-12T10:00:00+01:00", label="question", kind="private_message")
    message("2026-10-31T23:30:00+01:00", label="question")  # October in Paris
    result = build()["messages"]
    assert result["total"] == 6
    assert result["by_platform"] == {"facebook": 5, "linkedin": 1, "youtube": 0}
    assert result["by_kind"] == {"comment": 5, "private_message": 1}
    assert result["by_label"]["question"] == 3 and result["by_label"]["spam"] == 1
    assert result["by_label"]["criticism"] == 1 and result["by_label"]["conflict"] == 0
    assert result["inappropriate"] == 2 and result["inappropriate_share"] == pytest.approx(2 / 6, abs=1e-4)
    assert build(platform="linkedin")["messages"]["total"] == 1


def test_a_corrected_label_counts_as_corrected_and_in_its_new_label(message):
    message("2026-11-10T10:00:00+01:00", label="conflict", corrected_to="criticism")
    message("2026-11-10T11:00:00+01:00", label="conflict", reviewed=True)
    message("2026-11-10T12:00:00+01:00", label="conflict")
    message("2026-11-10T13:00:00+01:00", label="spam", corrected_to="question")
    result = build()
    assert result["messages"]["by_label"]["conflict"] == 2 and result["messages"]["by_label"]["criticism"] == 1
    quality = result["classification"]
    assert quality["by_label"]["conflict"] == {
        "classified": 3,
        "reviewed": 2,
        "corrected": 1,
        "corrected_share": pytest.approx(0.3333),
        "corrected_share_of_reviewed": 0.5,
    }
    assert quality["by_label"]["spam"]["corrected_share"] == 1.0
    assert (quality["classified"], quality["reviewed"], quality["corrected"]) == (4, 3, 2)


def test_paris_days_across_the_march_change_of_time(message):
    message("2026-03-28T22:59:00+00:00")  # 23:59 on the 28th in Paris (UTC+1)
    message("2026-03-28T23:30:00+00:00")  # 00:30 on the 29th
    message("2026-03-29T21:59:00+00:00")  # 23:59 on the 29th (UTC+2 since 3:00): a day of 23 hours
    message("2026-03-29T22:00:00+00:00")  # midnight on the 30th
    counts = {
        d: figures.build(custom(d, d), now=NOW)["messages"]["total"] for d in ("2026-03-28", "2026-03-29", "2026-03-30")
    }
    assert counts == {"2026-03-28": 1, "2026-03-29": 2, "2026-03-30": 1}
    start, end = (moment.astimezone(UTC) for moment in Period(date(2026, 3, 29), date(2026, 3, 29)).bounds())
    assert end - start == timedelta(hours=23)


def test_paris_days_across_the_october_change_of_time(message):
    message("2026-10-24T21:59:00+00:00")  # 23:59 on the 24th (UTC+2)
    message("2026-10-24T22:00:00+00:00")  # midnight on the 25th
    message("2026-10-25T22:59:00+00:00")  # 23:59 on the 25th (UTC+1 since 3:00): a day of 25 hours
    message("2026-10-25T23:00:00+00:00")  # midnight on the 26th
    result = figures.build(custom("2026-10-25", "2026-10-25"), now=NOW)
    assert result["messages"]["total"] == 2
    assert [p["messages"] for p in figures.build(custom("2026-10-24", "2026-10-26"), now=NOW)["series"]["points"]] == [
        1,
        2,
        1,
    ]


def _private(message, when, label="question"):
    found = message(when, label=label, kind="private_message")
    with transaction.atomic():
        items.set_deadlines({found.pk: label})  # 24 h in clock hours, as the desk counts by default
    found.refresh_from_db()
    return found


def test_private_messages_answered_in_time_late_or_not(message):
    exactly = _private(message, "2026-11-10T09:00:00+01:00")
    late = _private(message, "2026-11-11T09:00:00+01:00")
    quick = _private(message, "2026-11-12T09:00:00+01:00")
    _private(message, "2026-11-13T09:00:00+01:00")  # never answered
    _private(message, "2026-11-13T10:00:00+01:00", label="spam")  # no answer due
    with transaction.atomic():
        items.answered(exactly.item_id, exactly.created_at + timedelta(hours=24))  # 24 h 00: within
        items.answered(late.item_id, late.created_at + timedelta(hours=24, minutes=1))
        items.answered(quick.item_id, quick.created_at + timedelta(minutes=30))
    pm = build()["private_messages"]
    assert (pm["needing_reply"], pm["answered_within_24h"], pm["answered_late"], pm["unanswered"]) == (4, 2, 1, 1)
    assert (pm["waiting"], pm["overdue"]) == (0, 1)
    assert pm["answered_within_24h_share"] == 0.5
    assert pm["median_first_response_minutes"] == 24 * 60  # of 30, 1440, 1441
    assert pm["response_times"]["1 h ou moins"] == 1 and pm["response_times"]["12 à 24 h"] == 1
    assert pm["response_times"]["24 à 48 h"] == 1


def test_a_private_message_whose_deadline_is_ahead_is_waiting_not_late(message):
    _private(message, NOW - timedelta(hours=2))
    pm = figures.build(custom("2026-12-15", "2026-12-15"), now=NOW)["private_messages"]
    assert (pm["unanswered"], pm["waiting"], pm["overdue"]) == (1, 1, 0)
    assert pm["answered_within_24h_share"] is None


def test_a_day_of_23_hours_keeps_the_24_hour_clock(message):
    """A question on Saturday 28 March at noon is due on Sunday at 13:00 (summer time): 24 real hours."""
    question = _private(message, "2026-03-28T12:00:00+01:00")
    assert question.reply_due_at == at("2026-03-29T13:00:00+02:00")
    with transaction.atomic():
        items.answered(question.item_id, at("2026-03-29T13:00:00+02:00"))
    pm = figures.build(custom("2026-03-28", "2026-03-28"), now=NOW)["private_messages"]
    assert pm["answered_within_24h"] == 1 and pm["median_first_response_minutes"] == 1440


def test_moderation_counts_done_actions_reports_and_repeat_offenders(message):
    first = message("2026-11-10T10:00:00+01:00", label="abuse", author="troll")
    message("2026-11-20T10:00:00+01:00", label="spam", author="troll")
    message("2026-11-21T10:00:00+01:00", label="abuse", author="once")
    other = message("2026-11-22T10:00:00+01:00", label="abuse", platform="linkedin", author="troll-li")
    person = Person.objects.create(name="Même personne")
    Author.objects.filter(external_id__in=["troll-li", "once"]).update(person=person)  # linked: two offences
    for verb, status in [
        ("hide", "done"),
        ("delete", "done"),
        ("delete", "failed"),
        ("block", "done"),
        ("reply", "done"),
    ]:
        action = PlatformAction.objects.create(
            channel=first.channel, verb=verb, target_message=first, dedup_key=f"{verb}-{status}", status=status
        )
        PlatformAction.objects.filter(pk=action.pk).update(created_at=at("2026-11-10T11:00:00+01:00"))
    PlatformReport.objects.create(message=other, platform="linkedin", reported_at=at("2026-11-22T12:00:00+01:00"))
    moderation = build()["moderation"]
    assert {k: moderation[k] for k in ("hide", "unhide", "delete", "block", "report")} == {
        "hide": 1,
        "unhide": 0,
        "delete": 1,
        "block": 1,
        "report": 1,
    }
    assert moderation["repeat_offenders"] == 2  # "troll" on Facebook, and the linked person
    assert build(platform="linkedin")["moderation"]["repeat_offenders"] == 0
    assert build(platform="linkedin")["moderation"]["report"] == 1


def test_attacks_on_staff(message):
    message("2026-11-10T10:00:00+01:00", label="abuse", staff=True)
    message("2026-11-10T11:00:00+01:00", label="abuse")
    assert build()["staff_attacks"] == 1


def test_complex_requests_opened_closed_and_median_time_to_close(message, personas):
    owner = personas["community_manager"]
    item = message("2026-11-02T09:00:00+01:00", label="complex_request").item
    spans = [
        (at("2026-11-02T10:00:00+01:00"), 10),
        (at("2026-11-03T10:00:00+01:00"), 30),
        (at("2026-10-30T10:00:00+01:00"), 50),
    ]
    for opened, hours in spans:
        task = Task.objects.create(
            item=item, title="Faire le point", owner=owner, due_on=date(2026, 11, 9), created_by=owner, status="done"
        )
        Task.objects.filter(pk=task.pk).update(created_at=opened, closed_at=opened + timedelta(hours=hours))
    Task.objects.create(item=item, title="Encore ouverte", owner=owner, due_on=date(2026, 11, 9), created_by=owner)
    Task.objects.filter(title="Encore ouverte").update(created_at=at("2026-11-04T10:00:00+01:00"))
    report = build()
    assert report["complex_requests"] == {"opened": 3, "closed": 3, "median_hours_to_close": 30.0}
    closing = next(row for row in tables.requests(report).rows if row[0] == "Délai médian de clôture")
    assert closing[1] == "30 h 00"  # written as the first response's delay, not as a bare number of hours


def test_hours_are_written_like_minutes():
    assert [tables.hours_text(h) for h in (None, 0.2, 3.5, 101.5)] == ["—", "12 min", "3 h 30", "4 j 5 h"]


def _crisis(**fields):
    values = {
        "signal": "staff_attack",
        "platform": "facebook",
        "explanation": "Attaques",
        "status": "closed",
        "started_at": at("2026-11-05T10:00:00+01:00"),
        "detected_at": at("2026-11-05T10:04:00+01:00"),
        "last_message_at": at("2026-11-05T10:30:00+01:00"),
    } | fields
    return Crisis.objects.create(**values)


def test_crises_count_duration_and_time_to_first_alert():
    _crisis(closed_at=at("2026-11-05T12:00:00+01:00"), review_what_happened="Trois attaques")
    _crisis(started_at=at("2026-11-20T08:00:00+01:00"), detected_at=at("2026-11-20T08:10:00+01:00"), status="open")
    _crisis(status="dismissed", reason="Blague")
    _crisis(status="merged")
    _crisis(demo=True)
    _crisis(detected_at=at("2026-12-01T00:10:00+01:00"), started_at=at("2026-12-01T00:00:00+01:00"))
    crises = build()["crises"]
    assert (crises["count"], crises["false_alarms"], crises["open"]) == (2, 1, 1)
    assert crises["median_duration_minutes"] == 120.0
    assert crises["median_minutes_to_first_alert"] == 7.0  # 4 and 10 minutes
    assert crises["list"][0]["review"]["what_happened"] == "Trois attaques"
    assert crises["list"][0]["started_at"] == "2026-11-05T10:00:00+01:00"  # Paris time, as the API writes dates


def test_rounds_done_and_missed_by_slot():
    moment = at("2026-11-10T09:00:00+01:00")
    for day, slot, status in [
        (10, "morning", "done"),
        (10, "noon", "missed"),
        (11, "morning", "done"),
        (11, "evening", "started"),
        (1, "evening", "missed"),
    ]:
        Round.objects.create(day=date(2026, 11, day), slot=slot, window_start=moment, window_end=moment, status=status)
    Round.objects.create(day=date(2026, 12, 1), slot="noon", window_start=moment, window_end=moment, status="done")
    rounds = build()["rounds"]
    assert (rounds["done"], rounds["missed"]) == (2, 2)
    assert rounds["by_slot"]["morning"] == {"done": 2, "missed": 0}


def test_the_previous_period_is_counted_for_the_trend(message):
    message("2026-10-10T10:00:00+01:00")
    message("2026-10-31T10:00:00+01:00")
    message("2026-11-10T10:00:00+01:00")
    result = build()
    assert result["previous"]["period"]["from"] == "2026-10-02" and result["previous"]["messages"]["total"] == 2
    assert result["messages"]["total"] == 1


def test_stored_tallies_give_the_same_figures_as_counting_live(message):
    message("2026-11-10T10:00:00+01:00", label="abuse", author="x", staff=True)
    message("2026-11-11T10:00:00+01:00", label="spam", author="x", corrected_to="question")
    _private(message, "2026-11-12T10:00:00+01:00")
    live = build()
    assert tally.refresh(NOW) >= 30
    assert build() == live


def test_a_refresh_catches_a_label_corrected_after_the_day_was_stored(message, personas):
    from vigie.inbox import actions

    found = message("2026-11-10T10:00:00+01:00", label="spam")
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        tally.refresh()
    assert build()["messages"]["by_label"]["spam"] == 1
    with time_machine.travel(NOW, tick=False):
        actions.correct_label(found, "question", by=personas["community_manager"])
        assert tally.refresh() == 1
    assert build()["messages"]["by_label"]["spam"] == 0 and build()["messages"]["by_label"]["question"] == 1


def test_the_demo_history_gives_every_chart_something_to_say(django_user_model):
    from django.core.management import call_command

    call_command("demo", "--no-serve")
    report = figures.build(Period(date.today() - timedelta(days=89), date.today()))
    assert report["messages"]["total"] >= 300 and all(p["messages"] for p in report["series"]["points"])
    pm = report["private_messages"]
    assert pm["answered_within_24h"] and pm["answered_late"] and pm["median_first_response_minutes"]
    assert sum(1 for n in pm["response_times"].values() if n) >= 4
    assert report["crises"]["count"] >= 1 and report["crises"]["list"][0]["review"]["to_change"]
    assert report["moderation"]["delete"] and report["complex_requests"]["closed"] and report["rounds"]["missed"]


def test_the_previous_period_is_kept_until_the_next_refresh(message):
    message("2026-10-10T10:00:00+02:00")
    with time_machine.travel(NOW, tick=False):
        tally.refresh()
        assert build()["previous"]["messages"]["total"] == 1
        message("2026-10-11T10:00:00+02:00")  # arrives late, for a day already counted
        assert build()["previous"]["messages"]["total"] == 1  # as the tallies say until they are refreshed
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        tally.refresh()
        assert build()["previous"]["messages"]["total"] == 2


def test_a_message_not_classified_yet_is_counted_and_drawn_as_such(ingest):
    from vigie.indicators import charts

    ingest(1, created_at=at("2026-11-10T10:00:00+01:00"))
    result = build()
    assert result["messages"]["by_label"]["unclassified"] == 1
    chart = charts.volumes(result["series"])
    assert ("#3F3F3F", "Non classé") in chart.legend and any(s.tip == "10/11 : 1 Non classé" for s in chart.shapes)
