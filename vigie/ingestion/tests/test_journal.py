"""The delivery journal (SQLite): a delivery is committed to a file of its own before the 200, and the
worker's first step makes it a raw event; nothing is lost or doubled on the way."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction

from vigie.inbox.models import Message
from vigie.ingestion import journal, raw_events
from vigie.ingestion.models import RawEvent
from vigie.pipeline import tasks

pytestmark = pytest.mark.django_db
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the journal is the embedded default's")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL stores deliveries at once")

COMMENT = (
    '{"object": "page", "entry": [{"id": "104857600123456", "time": 1795252000, "changes": [{"field": "feed", '
    '"value": {"item": "comment", "verb": "add", "post_id": "104857600123456_71", "comment_id": "71_1", '
    '"parent_id": "104857600123456_71", "from": {"id": "91", "name": "Jeanne Dupuis"}, '
    '"message": "Quels horaires ?", "created_time": 1795251600}}]}]}'
)


def take(capture) -> int:
    """What the worker does first, committed (the journal forgets what it moved)."""
    with capture(execute=True):
        return raw_events.take_journal()


@on_sqlite
def test_a_delivery_waits_in_the_journal_until_the_worker_takes_it(django_capture_on_commit_callbacks):
    assert raw_events.store_delivery('{"n": 1}', platform="facebook") is None
    assert journal.count() == 1 and not RawEvent.objects.exists()
    assert take(django_capture_on_commit_callbacks) == 1
    raw = RawEvent.objects.get()
    assert (raw.source, raw.platform, raw.status, raw.body) == ("webhook", "facebook", "pending", '{"n": 1}')
    assert journal.count() == 0


@on_sqlite
def test_a_delivery_keeps_the_time_it_arrived(django_capture_on_commit_callbacks):
    arrived = datetime.fromisoformat("2026-12-01T09:00:00+01:00")
    with time_machine.travel(arrived, tick=False):
        raw_events.store_delivery('{"n": 1}', platform="linkedin")
    with time_machine.travel(arrived + timedelta(minutes=10)):
        take(django_capture_on_commit_callbacks)
    assert RawEvent.objects.get().received_at == arrived


@on_sqlite
def test_an_unreadable_delivery_becomes_a_failed_raw_event_with_its_reason(django_capture_on_commit_callbacks):
    raw_events.store_delivery("{pas du json", platform="facebook", error="Livraison Facebook illisible : JSON invalide")
    take(django_capture_on_commit_callbacks)
    raw = RawEvent.objects.get()
    assert raw.status == RawEvent.Status.FAILED and "JSON invalide" in raw.error and raw.processed_at


@on_sqlite
def test_deliveries_are_taken_oldest_first_a_batch_at_a_time(django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(raw_events, "JOURNAL_BATCH", 2)
    for n in range(3):
        raw_events.store_delivery(f'{{"n": {n}}}', platform="facebook")
    assert take(django_capture_on_commit_callbacks) == 2
    assert take(django_capture_on_commit_callbacks) == 1
    assert list(RawEvent.objects.order_by("id").values_list("body", flat=True)) == ['{"n": 0}', '{"n": 1}', '{"n": 2}']
    assert take(django_capture_on_commit_callbacks) == 0


@on_sqlite
def test_a_move_that_is_rolled_back_leaves_the_deliveries_in_the_journal(django_capture_on_commit_callbacks):
    raw_events.store_delivery('{"n": 1}', platform="facebook")
    with pytest.raises(RuntimeError), transaction.atomic():
        raw_events.take_journal()
        raise RuntimeError("the worker's transaction failed")
    assert journal.count() == 1 and not RawEvent.objects.exists()
    assert take(django_capture_on_commit_callbacks) == 1 and RawEvent.objects.count() == 1


@on_sqlite
def test_a_worker_killed_between_storing_and_forgetting_stores_each_delivery_once(django_capture_on_commit_callbacks):
    for body in ('{"n": 1}', '{"n": 2}', '{"n": 1}'):  # Meta delivers the first one again
        raw_events.store_delivery(body, platform="facebook")
    raw_events.take_journal()  # stored; killed before its commit hook could forget them
    first = list(RawEvent.objects.order_by("id").values_list("id", flat=True))
    assert journal.count() == 3 and len(first) == 2
    assert take(django_capture_on_commit_callbacks) == 3  # the next worker moves them again
    assert list(RawEvent.objects.order_by("id").values_list("id", flat=True)) == first and journal.count() == 0


def test_journal_ids_are_never_reused_so_a_late_mover_forgets_nothing_new():
    journal.append('{"n": 1}', platform="facebook")
    seen_by_two_movers = journal.oldest(10)
    journal.forget(seen_by_two_movers)  # the first mover
    journal.append('{"n": 2}', platform="facebook")  # would take id 1 again if ids were reused
    journal.forget(seen_by_two_movers)  # the second, late
    assert [delivery.body for delivery in journal.oldest(10)] == ['{"n": 2}']


@on_sqlite
def test_the_sweeper_takes_deliveries_whose_wake_up_was_lost():
    raw_events.store_delivery(COMMENT, platform="facebook")  # no wake-up: the job was lost
    with time_machine.travel(timedelta(minutes=5)):
        tasks.requeue_stale_raw_events.call_local()
    assert Message.objects.get().text == "Quels horaires ?"


@on_sqlite
def test_a_starting_worker_takes_what_the_journal_holds():
    raw_events.store_delivery(COMMENT, platform="facebook")
    assert tasks.requeue_all_pending() == 1
    assert RawEvent.objects.get().status == RawEvent.Status.DONE and Message.objects.count() == 1


@on_postgresql
def test_on_postgresql_a_delivery_is_a_raw_event_at_once():
    pk = raw_events.store_delivery('{"n": 1}', platform="facebook")
    assert RawEvent.objects.get(pk=pk).status == RawEvent.Status.PENDING
    assert raw_events.take_journal() == 0 and journal.count() == 0


@on_sqlite
def test_the_collecte_page_counts_deliveries_still_in_the_journal_as_waiting(client, personas):
    for n in range(2):
        raw_events.store_delivery(f'{{"n": {n}}}', platform="facebook")  # the worker is stopped
    client.force_login(personas["admin"])
    assert "2 en attente" in client.get("/collecte/echecs/").content.decode()
