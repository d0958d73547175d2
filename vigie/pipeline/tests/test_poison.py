"""Poison events: whatever goes wrong with one event, it ends failed (after a few attempts), visible and
replayable on « Collecte », and the other events of its batch are processed."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from vigie.inbox.models import Message
from vigie.ingestion import raw_events
from vigie.ingestion.models import RawEvent
from vigie.pipeline import processing

pytestmark = pytest.mark.django_db


def _event(n: int) -> str:
    return json.dumps({
        "platform": "facebook", "kind": "comment", "id": f"1_{n}", "thread_id": "1", "parent_id": None,
        "author": {"id": f"9{n}", "name": f"Personne {n}"}, "text": "Merci", "created_at": "2026-03-02T09:15:00+01:00",
    })  # fmt: skip


@pytest.fixture
def broken_parser(monkeypatch):
    """The import parser chokes (a bug, not a bad payload) on comment 1_2."""
    real = processing.parser_for

    def parser_for(source, platform):
        parse = real(source, platform)

        def parse_or_choke(body):
            if '"1_2"' in body:
                raise TypeError("'NoneType' object is not subscriptable")
            return parse(body)

        return parse_or_choke

    monkeypatch.setattr(processing, "parser_for", parser_for)


def test_an_unexpected_error_does_not_block_the_other_events_of_the_batch(broken_parser):
    ids = raw_events.store([_event(1), _event(2), _event(3)], source="import")
    statuses = [raw.status for raw in processing.process_batch(ids)]
    assert statuses == [RawEvent.Status.DONE, RawEvent.Status.PENDING, RawEvent.Status.DONE]
    assert sorted(Message.objects.values_list("external_id", flat=True)) == ["1_1", "1_3"]
    assert "TypeError" in RawEvent.objects.get(pk=ids[1]).error


def test_it_waits_longer_before_each_new_attempt(broken_parser):
    with time_machine.travel("2026-11-20T09:00:00+00:00", tick=False) as clock:
        [pk] = raw_events.store([_event(2)], source="import")
        processing.process_pending(first=pk)
        assert processing.claim(first=pk) == [] and processing.stale_pending_ids(timedelta(0)) == []
        waits = []
        for _ in range(processing.MAX_ATTEMPTS - 1):
            raw = RawEvent.objects.get(pk=pk)
            waits.append(raw.retry_after - timezone.now())
            clock.move_to(raw.retry_after + timedelta(seconds=1))
            assert processing.stale_pending_ids() == [pk]  # the sweeper queues it again once the wait is over
            processing.process_pending(first=pk)
    assert waits == sorted(waits) and waits[0] < waits[-1]


def test_it_fails_the_event_after_a_bounded_number_of_attempts(broken_parser):
    [pk] = raw_events.store([_event(2)], source="import")
    for _ in range(processing.MAX_ATTEMPTS):
        with time_machine.travel(timedelta(days=1)):
            processing.process(pk)
    raw = RawEvent.objects.get(pk=pk)
    assert raw.status == RawEvent.Status.FAILED and raw.attempts == processing.MAX_ATTEMPTS
    assert "TypeError" in raw.error and f"{processing.MAX_ATTEMPTS} tentatives" in raw.error
    assert processing.stale_pending_ids(timedelta(0)) == [] and processing.claim() == []


def test_a_poison_event_is_listed_on_collecte_and_replays_once_fixed(
    broken_parser, monkeypatch, client, personas, django_capture_on_commit_callbacks
):
    [pk] = raw_events.store([_event(2)], source="import")
    for _ in range(processing.MAX_ATTEMPTS):
        processing.process(pk)
    client.force_login(personas["admin"])
    assert "not subscriptable" in client.get(reverse("ingestion:failed")).content.decode()
    monkeypatch.undo()  # the bug is fixed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ingestion:retry", args=[pk]))
    assert RawEvent.objects.get(pk=pk).status == RawEvent.Status.DONE
    assert Message.objects.filter(external_id="1_2").exists()


def test_a_replayed_event_gets_its_attempts_back(broken_parser):
    [pk] = raw_events.store([_event(2)], source="import")
    for _ in range(processing.MAX_ATTEMPTS):
        processing.process(pk)
    raw_events.reset_for_retry(pk)
    assert processing.process(pk).status == RawEvent.Status.PENDING  # a new round of attempts
