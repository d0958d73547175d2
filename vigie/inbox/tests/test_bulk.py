"""New messages in bulk give what one-by-one ingestion gives: same rows, counts, triage, procedure."""

import json
import random
from pathlib import Path

import pytest
from django.db import transaction

from vigie.audit.models import AuditEvent
from vigie.conftest import normalized
from vigie.inbox import bulk
from vigie.inbox.models import Author, Item, Message, Post, Thread
from vigie.ingestion import raw_events
from vigie.notifications.models import Notification
from vigie.pipeline import processing
from vigie.policy.models import Recommendation
from vigie.triage.models import Classification

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "demo" / "data" / "messages.jsonl"


def record(n: int, text: str, **fields) -> str:
    values = {
        "platform": "facebook", "kind": "comment", "id": f"c_{n}", "thread_id": "p1", "parent_id": None,
        "author": {"id": "a1", "name": "Lou"}, "text": text, "created_at": f"2026-11-20T09:{n:02d}:00+01:00",
        "channel_id": "104857600123456", "post": {"id": "p1", "text": "Notre cycle à Lyon"},
    }  # fmt: skip
    return json.dumps(values | fields)


EDGE_CASES = [
    record(2, "Je réponds avant que le parent n'arrive", parent_id="c_1"),
    record(1, "Quel est le tarif de la formation ?"),
    record(3, "Bande d'escrocs, rendez l'argent", author={"id": "a2", "name": ""}),
    record(4, "Bande d'escrocs et de menteurs, allez vous faire voir", author={"id": "a2", "name": "Troll"}),
    record(5, "Merci !", author={"id": "a1", "name": "Lou Martin"}, post={"id": "p1", "text": "Cycle mis à jour"}),
    record(6, "Bonjour, je voudrais des informations", kind="private_message", thread_id="conv1", post=None),
    record(1, "Quel est le tarif de la formation ? (modifié)"),  # an edit: one by one
    record(7, "Ce commentaire a été supprimé", removed=True),  # a removal first: one by one
]


def snapshot() -> dict:
    def rows(queryset, *fields):
        return sorted(queryset.values_list(*fields))

    return {
        "threads": rows(
            Thread.objects,
            "external_id",
            "kind",
            "post__external_id",
            "status",
            "priority",
            "created_at",
            "last_message_at",
            "last_message__external_id",
            "message_count",
            "open_items",
        ),  # fmt: skip
        "items": rows(
            Item.objects,
            "message__external_id",
            "thread__external_id",
            "kind",
            "status",
            "priority",
            "label",
            "targets_staff",
            "received_at",
        ),  # fmt: skip
        "messages": rows(
            Message.objects,
            "external_id",
            "thread__external_id",
            "author__external_id",
            "parent__external_id",
            "parent_external_id",
            "text",
            "created_at",
            "removed",
            "edited",
            "hidden_on_platform",
            "item__message__external_id",
        ),  # fmt: skip
        "authors": rows(Author.objects, "external_id", "display_name", "offence_count"),
        "posts": rows(Post.objects, "external_id", "text"),
        "classifications": rows(
            Classification.objects, "message__external_id", "label", "confidence", "targets_staff", "priority"
        ),  # fmt: skip
        "recommendations": rows(Recommendation.objects, "message__external_id", "action", "status", "source", "note"),
        "audit": rows(AuditEvent.objects, "verb", "summary"),
        "notifications": Notification.objects.count(),
    }


def run(bodies: list[str], batch: int) -> dict:
    for start in range(0, len(bodies), batch):
        processing.process_batch(raw_events.store(bodies[start : start + batch], source="import"))
    return snapshot()


@pytest.mark.parametrize("batch", [7, 50])
def test_bulk_and_one_by_one_give_the_same_inbox(monkeypatch, personas, batch):
    bodies = DEMO.read_text(encoding="utf-8").splitlines() + EDGE_CASES
    random.Random(batch).shuffle(bodies)  # replies before parents, edits before messages…
    with transaction.atomic():
        in_bulk = run(bodies, batch)
        transaction.set_rollback(True)
    monkeypatch.setattr(bulk, "plain_new", lambda events: set())
    one_by_one = run(bodies, batch)
    assert in_bulk == one_by_one
    assert len(in_bulk["messages"]) == 211 and in_bulk["notifications"] > 0


def test_a_done_conversation_reopens_once_when_new_messages_arrive_in_bulk(personas):
    conversation = {"kind": "private_message", "thread_id": "conv1", "post": None}
    processing.process_batch(raw_events.store([record(1, "Bonjour", **conversation)], source="import"))
    Item.objects.update(status="done")
    bodies = [record(2, "Vous êtes là ?", **conversation), record(3, "Merci de me répondre", **conversation)]
    processing.process_batch(raw_events.store(bodies, source="import"))
    item = Item.objects.get()
    assert item.status == "new" and item.message.external_id == "c_3"
    assert Thread.objects.get().status == "new"
    assert AuditEvent.objects.filter(verb="item.reopened").count() == 1


def test_new_comments_in_bulk_are_items_of_their_own(personas):
    processing.process_batch(raw_events.store([record(1, "Merci")], source="import"))
    Item.objects.update(status="done")
    processing.process_batch(raw_events.store([record(2, "Encore merci"), record(3, "Et bravo")], source="import"))
    assert sorted(Item.objects.values_list("message__external_id", "status")) == [
        ("c_1", "done"), ("c_2", "new"), ("c_3", "new")]  # fmt: skip
    assert Thread.objects.get().open_items == 2


def test_in_bulk_too_a_stand_in_name_never_replaces_a_known_name(personas):
    processing.process_batch(raw_events.store([record(1, "Merci", author={"id": "a1", "name": "Yves Lambert"})],
                                              source="import"))  # fmt: skip
    [event] = raw_events.store([record(2, "Encore merci")], source="import")
    stand_ins = [normalized(n, external_id=f"c_{n}", thread_external_id="p1", author_external_id=author,
                            author_name=f"Membre LinkedIn {author}", author_name_known=False)
                 for n, author in ((3, "a1"), (4, "a9"))]  # fmt: skip
    bulk.ingest_new([bulk.Incoming(message, raw_event_id=event) for message in stand_ins])
    assert dict(Author.objects.values_list("external_id", "display_name")) == {
        "a1": "Yves Lambert", "a9": "Membre LinkedIn a9"}  # fmt: skip
