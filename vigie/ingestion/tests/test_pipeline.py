import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from vigie.inbox.models import Message
from vigie.ingestion import pipeline, tasks
from vigie.ingestion.models import RawEvent

pytestmark = pytest.mark.django_db

GOOD = json.dumps({
    "platform": "facebook", "kind": "comment", "id": "1_2", "thread_id": "1", "parent_id": None,
    "author": {"id": "9", "name": "Jeanne"}, "text": "Merci", "created_at": "2026-03-02T09:15:00+01:00",
})  # fmt: skip


def test_a_raw_event_is_stored_once_per_source():
    first = pipeline.store([GOOD], source="import")
    again = pipeline.store([GOOD], source="import")
    assert first == again and RawEvent.objects.count() == 1


def test_processing_twice_does_the_work_once():
    [pk] = pipeline.store([GOOD], source="import")
    pipeline.process(pk)
    pipeline.process(pk)
    assert Message.objects.count() == 1
    assert RawEvent.objects.get().attempts == 1


def test_an_unreadable_event_is_kept_marked_failed_with_its_error():
    [pk] = pipeline.store(["{pas du json"], source="import")
    raw = pipeline.process(pk)
    assert raw.status == RawEvent.Status.FAILED and "JSON illisible" in raw.error
    assert RawEvent.objects.get().body == "{pas du json"


def test_an_event_no_connector_reads_fails_clearly():
    [pk] = pipeline.store(['{"object": "page"}'], source="webhook", platform="")
    assert "aucun connecteur" in pipeline.process(pk).error


def test_an_unexpected_error_rolls_back_and_marks_the_event_failed(monkeypatch):
    [pk] = pipeline.store([GOOD], source="import")

    def explode(*args, **kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr("vigie.inbox.actions._count_new_message", explode)
    raw = pipeline.process(pk)
    assert raw.status == RawEvent.Status.FAILED and "disque plein" in raw.error
    assert Message.objects.count() == 0


def test_a_failed_event_can_be_retried_once_fixed(monkeypatch):
    [pk] = pipeline.store([GOOD], source="import")
    monkeypatch.setattr("vigie.inbox.actions._count_new_message", lambda *a: (_ for _ in ()).throw(OSError("x")))
    pipeline.process(pk)
    monkeypatch.undo()
    pipeline.reset_for_retry(pk)
    assert pipeline.process(pk).status == RawEvent.Status.DONE
    assert Message.objects.count() == 1


def test_the_sweeper_finds_events_whose_job_was_lost():
    [pk] = pipeline.store([GOOD], source="import")
    assert pipeline.stale_pending_ids() == []
    with time_machine.travel(timedelta(minutes=5)):
        assert pipeline.stale_pending_ids() == [pk]


def test_queued_jobs_process_after_commit(django_capture_on_commit_callbacks):
    [pk] = pipeline.store([GOOD], source="import")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_after_commit([pk])
    assert RawEvent.objects.get(pk=pk).status == RawEvent.Status.DONE


def test_an_admin_retries_a_failed_event_from_the_collecte_page(client, personas, django_capture_on_commit_callbacks):
    [pk] = pipeline.store([GOOD], source="import")
    RawEvent.objects.filter(pk=pk).update(status=RawEvent.Status.FAILED, error="base verrouillée")
    client.force_login(personas["admin"])
    page = client.get(reverse("ingestion:failed")).content.decode()
    assert "base verrouillée" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ingestion:retry", args=[pk]))
    assert RawEvent.objects.get(pk=pk).status == RawEvent.Status.DONE
    assert Message.objects.count() == 1
