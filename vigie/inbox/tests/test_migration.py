"""The migration that carried each thread's work state to its items gives what ingestion gives."""

import importlib
from pathlib import Path

import pytest
from django.db import connection, transaction

from vigie.inbox.models import Item, Message, Note, Thread
from vigie.ingestion import raw_events
from vigie.pipeline import processing

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "demo" / "data" / "messages.jsonl"
migration = importlib.import_module("vigie.inbox.migrations.0006_items_from_threads")


def items_snapshot() -> list:
    return sorted(
        Item.objects.values_list(
            "message__external_id", "thread__external_id", "kind", "status", "assignee", "priority", "label",
            "targets_staff", "received_at",
        )
    )  # fmt: skip


def message_items() -> list:
    return sorted(Message.objects.values_list("external_id", "item__message__external_id"))


def run_migration_again() -> None:
    """Back to the schema's state before items were filled, then the migration's statements."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in migration.BACKWARD + migration.FORWARD:
            cursor.execute(statement)


def test_on_the_demo_data_the_migration_makes_the_items_ingestion_makes(personas):
    bodies = DEMO.read_text(encoding="utf-8").splitlines()
    for start in range(0, len(bodies), 50):
        processing.process_batch(raw_events.store(bodies[start : start + 50], source="import"))
    live, live_messages = items_snapshot(), message_items()
    assert len(live) > 150
    run_migration_again()
    assert items_snapshot() == live
    assert message_items() == live_messages
    assert list(Thread.objects.values_list("open_items", flat=True).order_by("id")) == [
        thread.items.filter(status__in=["new", "in_progress", "escalated"]).count()
        for thread in Thread.objects.order_by("id")
    ]


def test_a_threads_status_and_assignee_reach_every_comment_and_nothing_is_lost(ingest, cm):
    first, second = ingest(1), ingest(2)
    ingest(3, removed=True, text="")
    conversation = [ingest(n, kind="private_message", external_id=f"m_{n}", thread_external_id="t", post=None)
                    for n in (4, 5)]  # fmt: skip
    Thread.objects.filter(pk=first.thread_id).update(status="done", assignee=cm)
    Note.objects.create(thread=first.thread, author=cm, text="note d'avant")
    messages_before = Message.objects.count()
    run_migration_again()
    comments = Item.objects.filter(kind="comment")
    assert sorted(comments.values_list("message__external_id", flat=True)) == sorted(
        [first.external_id, second.external_id])  # fmt: skip
    assert set(comments.values_list("status", "assignee")) == {("done", cm.pk)}
    only = Item.objects.get(kind="private_message")
    assert only.message == conversation[1] and only.priority == 1
    assert set(Message.objects.filter(thread=only.thread).values_list("item", flat=True)) == {only.pk}
    assert Message.objects.count() == messages_before and Note.objects.get().item is None
