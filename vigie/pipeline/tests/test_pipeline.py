import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from vigie.inbox.models import Message
from vigie.ingestion import raw_events
from vigie.ingestion.models import RawEvent
from vigie.pipeline import processing, tasks

pytestmark = pytest.mark.django_db

GOOD = json.dumps({
    "platform": "facebook", "kind": "comment", "id": "1_2", "thread_id": "1", "parent_id": None,
    "author": {"id": "9", "name": "Jeanne"}, "text": "Merci", "created_at": "2026-03-02T09:15:00+01:00",
})  # fmt: skip


def test_a_raw_event_is_stored_once_per_source():
    first = raw_events.store([GOOD], source="import")
    again = raw_events.store([GOOD], source="import")
    assert first == again and RawEvent.objects.count() == 1


def test_processing_twice_does_the_work_once():
    [pk] = raw_events.store([GOOD], source="import")
    processing.process(pk)
    processing.process(pk)
    assert Message.objects.count() == 1
    assert RawEvent.objects.get().attempts == 1


def test_an_unreadable_event_is_kept_marked_failed_with_its_error():
    [pk] = raw_events.store(["{pas du json"], source="import")
    raw = processing.process(pk)
    assert raw.status == RawEvent.Status.FAILED and "JSON illisible" in raw.error
    assert RawEvent.objects.get().body == "{pas du json"


def test_an_event_no_connector_reads_fails_clearly():
    [pk] = raw_events.store(['{"object": "page"}'], source="webhook", platform="")
    assert "aucun connecteur" in processing.process(pk).error


def test_an_unexpected_error_rolls_back_and_fails_the_event_after_its_attempts(monkeypatch):
    [pk] = raw_events.store([GOOD], source="import")

    def explode(*args, **kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr("vigie.triage.service.Triage.result", explode)  # in bulk, then one by one
    raw = processing.process(pk)
    assert raw.status == RawEvent.Status.PENDING and "disque plein" in raw.error and raw.retry_after
    for _ in range(processing.MAX_ATTEMPTS - 1):
        raw = processing.process(pk)
    assert raw.status == RawEvent.Status.FAILED and "disque plein" in raw.error
    assert Message.objects.count() == 0


def test_a_failed_event_can_be_retried_once_fixed(monkeypatch):
    [pk] = raw_events.store([GOOD], source="import")
    monkeypatch.setattr("vigie.triage.service.Triage.result", lambda *a: (_ for _ in ()).throw(OSError("x")))
    processing.process(pk)
    monkeypatch.undo()
    raw_events.reset_for_retry(pk)
    assert processing.process(pk).status == RawEvent.Status.DONE
    assert Message.objects.count() == 1


def test_the_sweeper_finds_events_whose_job_was_lost():
    [pk] = raw_events.store([GOOD], source="import")
    assert processing.stale_pending_ids() == []
    with time_machine.travel(timedelta(minutes=5)):
        assert processing.stale_pending_ids() == [pk]


def test_queued_jobs_process_after_commit(django_capture_on_commit_callbacks):
    [pk] = raw_events.store([GOOD], source="import")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_after_commit([pk])
    assert RawEvent.objects.get(pk=pk).status == RawEvent.Status.DONE


def test_an_admin_retries_a_failed_event_from_the_collecte_page(client, personas, django_capture_on_commit_callbacks):
    [pk] = raw_events.store([GOOD], source="import")
    RawEvent.objects.filter(pk=pk).update(status=RawEvent.Status.FAILED, error="base verrouillée")
    client.force_login(personas["admin"])
    page = client.get(reverse("ingestion:failed")).content.decode()
    assert "base verrouillée" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ingestion:retry", args=[pk]))
    assert RawEvent.objects.get(pk=pk).status == RawEvent.Status.DONE
    assert Message.objects.count() == 1


def _event(n: int, text: str = "Merci") -> str:
    return json.dumps({
        "platform": "facebook", "kind": "comment", "id": f"1_{n}", "thread_id": "1", "parent_id": None,
        "author": {"id": f"9{n}", "name": f"Personne {n}"}, "text": text, "created_at": "2026-03-02T09:15:00+01:00",
    })  # fmt: skip


def test_the_same_body_twice_in_one_call_is_one_row_with_one_id():
    ids = raw_events.store([GOOD, _event(2), GOOD], source="import")
    assert ids[0] == ids[2] != ids[1] and RawEvent.objects.count() == 2


def test_a_body_stored_with_an_error_is_failed_at_once_and_a_known_body_keeps_its_state():
    [known] = raw_events.store([GOOD], source="import")
    processing.process(known)
    ids = raw_events.store([GOOD, "{pas du json"], source="import", error="illisible")
    assert ids[0] == known and RawEvent.objects.get(pk=known).status == RawEvent.Status.DONE
    failed = RawEvent.objects.get(pk=ids[1])
    assert failed.status == RawEvent.Status.FAILED and failed.error == "illisible" and failed.processed_at


def test_a_claim_takes_the_oldest_pending_events_and_leaves_them_to_its_worker():
    ids = raw_events.store([_event(n) for n in range(5)], source="import")
    first = processing.claim(limit=3)
    assert first == ids[:3]
    assert processing.claim(limit=3) == ids[3:]  # another worker takes the others
    assert processing.claim(limit=3) == []
    assert processing.claim(first=ids[1], limit=3) == [ids[1]]  # its own job still finds an event
    with time_machine.travel(timedelta(seconds=processing.CLAIM_SECONDS + 1)):
        assert processing.claim(limit=10) == ids  # a dead worker's claims expire


def test_a_job_processes_its_event_and_other_pending_ones_in_one_batch():
    ids = raw_events.store([_event(n) for n in range(4)], source="import")
    done = processing.process_pending(first=ids[2])
    assert [raw.pk for raw in done] == [ids[2], ids[0], ids[1], ids[3]]
    assert Message.objects.count() == 4 and not RawEvent.objects.exclude(status=RawEvent.Status.DONE).exists()


def test_in_a_batch_a_failing_event_fails_alone(monkeypatch):
    ids = raw_events.store([_event(1), "{pas du json", _event(3)], source="import")
    real = processing.policy.plan

    def fail_on_third(message, *args, **kwargs):
        if message.external_id == "1_3":
            raise OSError("disque plein")
        return real(message, *args, **kwargs)

    monkeypatch.setattr(processing.policy, "plan", fail_on_third)  # the bulk fails, then the third alone
    statuses = [raw.status for raw in processing.process_batch(ids)]
    assert statuses == [RawEvent.Status.DONE, RawEvent.Status.FAILED, RawEvent.Status.PENDING]  # to try again
    assert "disque plein" in RawEvent.objects.get(pk=ids[2]).error
    assert list(Message.objects.values_list("external_id", flat=True)) == ["1_1"]


def test_new_messages_go_in_bulk_and_the_others_one_by_one(monkeypatch):
    [first] = raw_events.store([_event(1)], source="import")
    processing.process(first)
    edited = json.loads(_event(1))
    edited["text"] = "Merci, vraiment"
    one_by_one = []
    real = processing.actions.ingest
    monkeypatch.setattr(processing.actions, "ingest", lambda m, raw: one_by_one.append(m.external_id) or real(m, raw))
    ids = raw_events.store([_event(2), json.dumps(edited), _event(3)], source="import")
    assert all(raw.status == RawEvent.Status.DONE for raw in processing.process_batch(ids))
    assert one_by_one == ["1_1"]  # the edit; the two new messages went in bulk
    assert Message.objects.get(external_id="1_1").text == "Merci, vraiment" and Message.objects.count() == 3


def test_a_batch_classifies_like_one_message_at_a_time():
    texts = ["Merci beaucoup !", "Quel est le tarif de la formation ?", "Bande d'escrocs, rendez l'argent"]
    ids = raw_events.store([_event(n, text) for n, text in enumerate(texts)], source="import")
    processing.process_batch(ids)
    from vigie.triage import service

    for message in Message.objects.select_related("classification"):
        alone = service.classifier().classify(message.text, kind=message.kind, platform="facebook")
        assert (message.classification.label, message.classification.confidence) == (alone.label, alone.confidence)
