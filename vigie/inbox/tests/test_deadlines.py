"""Private messages on the clock, through the pipeline: deadlines set at triage, met by a reply."""

import json
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command

from vigie.api import tokens
from vigie.inbox import actions, items
from vigie.inbox.models import Item, Message
from vigie.lib.clock import PARIS
from vigie.sla.models import ClockSettings

pytestmark = pytest.mark.django_db

ARRIVED = "2026-11-24T10:00:00+01:00"  # a Tuesday


def dm(deliver, n: int, text: str = "Bonjour, quel est le tarif de la formation ?", at: str = ARRIVED, psid="p1"):
    return deliver(n, text, author=psid, kind="private_message", thread_id=f"t_{psid}", created_at=at)


def business_hours():
    ClockSettings.objects.update_or_create(pk=1, defaults={"counting": ClockSettings.Counting.BUSINESS})


def test_a_question_by_private_message_is_due_an_answer_24_hours_later(deliver):
    message = dm(deliver, 1)
    assert message.reply_due_at == datetime.fromisoformat(ARRIVED) + timedelta(hours=24)
    assert Item.objects.get(pk=message.item_id).reply_due_at == message.reply_due_at


def test_a_comment_is_not_on_this_clock(deliver):
    assert deliver(1, "Quel est le tarif ?").reply_due_at is None


def test_a_message_corrected_to_spam_loses_its_deadline_and_gets_it_back(deliver, cm):
    message = dm(deliver, 1)
    actions.correct_label(message, "spam", by=cm)
    message.refresh_from_db()
    assert message.reply_due_at is None and Item.objects.get(pk=message.item_id).reply_due_at is None
    actions.correct_label(message, "question", by=cm)
    message.refresh_from_db()
    assert message.reply_due_at is not None and Item.objects.get(pk=message.item_id).reply_due_at is not None


def test_a_reply_at_23h59_meets_it_and_at_24h01_misses_it(deliver):
    first, second = dm(deliver, 1, psid="p1"), dm(deliver, 2, psid="p2")
    came = datetime.fromisoformat(ARRIVED)
    items.answered(first.item_id, came + timedelta(hours=23, minutes=59))
    items.answered(second.item_id, came + timedelta(hours=24, minutes=1))
    later = came + timedelta(days=2)
    assert Message.objects.get(pk=first.pk).sla(later) == "met"
    assert Message.objects.get(pk=second.pk).sla(later) == "missed"
    assert Item.objects.get(pk=first.item_id).reply_due_at is None  # nothing left to answer


def test_a_message_after_our_reply_opens_a_new_deadline(deliver):
    first = dm(deliver, 1)
    items.answered(first.item_id, datetime.fromisoformat(ARRIVED) + timedelta(hours=1))
    second = dm(deliver, 2, at="2026-11-25T08:00:00+01:00")
    assert second.item_id == first.item_id
    assert Item.objects.get(pk=first.item_id).reply_due_at == second.reply_due_at
    assert Message.objects.get(pk=first.pk).replied_at is not None and second.replied_at is None


def test_two_unanswered_messages_show_the_earliest_deadline(deliver):
    first = dm(deliver, 1)
    dm(deliver, 2, at="2026-11-24T15:00:00+01:00")
    assert Item.objects.get(pk=first.item_id).reply_due_at == first.reply_due_at


def test_under_business_hours_a_friday_evening_message_is_due_on_wednesday_afternoon(deliver):
    business_hours()
    message = dm(deliver, 1, at="2026-11-27T19:30:00+01:00")
    assert message.reply_due_at == datetime(2026, 12, 2, 15, 0, tzinfo=PARIS)


def test_under_business_hours_a_public_holiday_does_not_count(deliver):
    business_hours()
    # Tuesday 10 November, 17:00: 1 h on Tuesday, Wednesday 11 (Armistice) off, 9 h on Thursday, 9 h on
    # Friday, the last 5 h on Monday (without the holiday: Friday 14:00)
    message = dm(deliver, 1, at="2026-11-10T17:00:00+01:00")
    assert message.reply_due_at == datetime(2026, 11, 16, 14, 0, tzinfo=PARIS)


def test_vigie_import_computes_deadlines_for_history(tmp_path, cm):
    lines = [
        {"platform": "facebook", "kind": "private_message", "id": f"m_{n}", "thread_id": f"t_{n}", "parent_id": None,
         "author": {"id": f"p{n}", "name": "Jeanne D."}, "text": text, "created_at": "2026-03-02T09:15:00+01:00"}
        for n, text in enumerate(["Bonjour, quel est le tarif de la formation ?", "Merci pour la formation !"])
    ]  # fmt: skip
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    call_command("import_messages", str(path))
    due = datetime.fromisoformat("2026-03-03T09:15:00+01:00")
    assert set(Message.objects.values_list("reply_due_at", flat=True)) == {due}


def test_the_api_gives_each_message_its_deadline_and_filters_on_it(client, deliver, cm):
    late, answered = dm(deliver, 1, psid="p1"), dm(deliver, 2, psid="p2")
    deliver(3, "Un commentaire")
    items.answered(answered.item_id, datetime.fromisoformat(ARRIVED) + timedelta(hours=2))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens.issue(cm)[1]}"}
    results = client.get("/api/v1/messages", **headers).json()["results"]
    by_id = {m["id"]: m for m in results}
    assert by_id[late.pk]["sla"] == "overdue" and by_id[answered.pk]["sla"] == "met"
    assert datetime.fromisoformat(by_id[late.pk]["reply_due_at"]) == late.reply_due_at
    assert [m["sla"] for m in results if m["kind"] == "comment"] == [None]
    assert [m["reply_due_at"] for m in results if m["kind"] == "comment"] == [None]
    overdue = client.get("/api/v1/messages", {"sla": "overdue"}, **headers).json()["results"]
    assert [m["id"] for m in overdue] == [late.pk]
    met = client.get("/api/v1/messages", {"sla": "met"}, **headers).json()["results"]
    assert [m["id"] for m in met] == [answered.pk]
    assert client.get("/api/v1/messages", {"sla": "bientôt"}, **headers).status_code == 400
