"""Polling the Graph API: backfill at connection, catch-up after downtime, the Page's usage budget."""

import json
import time
from datetime import timedelta

import pytest
import time_machine

from vigie.connectors import tasks
from vigie.connectors.facebook import connector as facebook
from vigie.connectors.facebook.connector import connector, poll_channel
from vigie.inbox.models import Message
from vigie.ingestion.models import Channel, RawEvent
from vigie.lib.http import RetryLater
from vigie.pipeline import processing

pytestmark = pytest.mark.django_db


def poll(channel) -> list[int]:
    ids = poll_channel(channel.pk)
    for pk in ids:
        processing.process(pk)
    return ids


def comment_calls(fake) -> int:
    return sum(1 for method, path in fake.calls if method == "GET" and path.endswith("/comments"))


@pytest.fixture
def post(fake):
    return fake.add_post("🌀 Nouveau cycle à Lyon")


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(facebook, "COMMENTS_PAGE", 10)


def test_backfill_follows_every_page_of_comments(fake, channel, post):
    for n in range(25):
        fake.add_comment(post, f"Commentaire {n}", f"Personne {n % 7}")
    ids = poll(channel)
    assert len(ids) == 3 and comment_calls(fake) == 3  # 10 + 10 + 5, following paging.next
    assert Message.objects.filter(kind="comment").count() == 25
    assert RawEvent.objects.filter(source="poll", status=RawEvent.Status.DONE, channel=channel).count() == 3


def test_catch_up_after_downtime_reads_only_what_is_new(fake, channel, post):
    for n in range(12):
        fake.add_comment(post, f"Avant {n}")
    poll(channel)
    for n in range(5):
        fake.add_comment(post, f"Pendant la panne {n}")  # no webhook reached Vigie
    ids = poll(channel)
    [body] = [RawEvent.objects.get(pk=pk).body for pk in ids]
    assert [c["message"] for c in json.loads(body)["data"]] == [f"Pendant la panne {n}" for n in range(5)]
    assert Message.objects.count() == 17 and Message.objects.values("external_id").distinct().count() == 17


def test_a_quiet_post_costs_no_comment_call(fake, channel, post):
    fake.add_comment(post, "Bonjour")
    poll(channel)
    before = comment_calls(fake)
    assert poll(channel) == [] and comment_calls(fake) == before


def test_replies_hidden_state_and_post_text_come_with_the_poll(fake, channel, post):
    question = fake.add_comment(post, "C'est une secte", "Luc Gérard")
    fake.add_comment(post, "Pas du tout", "Amandine Roche", parent_id=question)
    fake.comments[question].is_hidden = True
    poll(channel)
    reply = Message.objects.get(text="Pas du tout")
    assert reply.parent.external_id == question and reply.parent.hidden_on_platform
    assert reply.thread.post.text == "🌀 Nouveau cycle à Lyon" and reply.thread.external_id == post.split("_")[1]


def test_the_pages_own_replies_are_not_read_back(fake, channel, post):
    comment = fake.add_comment(post, "Bonjour ?")
    facebook.reply(facebook.client.for_channel(channel), facebook.ActionRequest(
        verb="reply", channel_external_id=fake.page_id, target_external_id=comment, text="Bonjour !"))  # fmt: skip
    poll(channel)
    assert list(Message.objects.values_list("text", flat=True)) == ["Bonjour ?"]


def test_messenger_conversations_are_polled_then_caught_up(fake, channel):
    fake.add_message(None, "Bonjour, reste-t-il des places ?", name="Audrey Lemaître")
    fake.add_message(None, "Je voudrais un remboursement", name="Bruno Castel")
    poll(channel)
    assert Message.objects.filter(kind="private_message").count() == 2
    audrey = fake.people["Audrey Lemaître"].psid
    time.sleep(1.1)  # Graph times are in whole seconds
    fake.add_message(audrey, "Et pour Bordeaux ?")
    [pk] = poll(channel)
    assert [c["id"] for c in json.loads(RawEvent.objects.get(pk=pk).body)["data"]] == [fake.conversations[audrey].id]
    thread = Message.objects.get(text="Et pour Bordeaux ?").thread
    assert thread.external_id == f"psid:{audrey}" and thread.messages.count() == 2
    assert Message.objects.get(text="Et pour Bordeaux ?").author.display_name == "Audrey Lemaître"


def test_a_conversation_updated_in_the_same_second_as_the_last_poll_is_not_missed(fake, channel):
    fake.add_message(None, "Premier", name="Audrey Lemaître")
    poll(channel)
    first = fake.conversations[fake.people["Audrey Lemaître"].psid]
    fake.add_message(None, "Second", name="Bruno Castel", at=first.updated_time)
    poll(channel)
    assert Message.objects.filter(kind="private_message").count() == 2


def test_a_webhook_and_a_poll_of_the_same_comment_make_one_message(wired, channel, post):
    wired.add_comment(post, "Bonjour !")
    poll(channel)
    assert Message.objects.count() == 1


def test_above_95_percent_of_the_budget_polling_stops_and_retries_later(fake, channel, post):
    fake.add_comment(post, "Bonjour")
    fake.usage["call_count"] = 96
    with pytest.raises(RetryLater) as stop:
        connector.poll(channel)
    assert stop.value.retry_after == facebook.STOP_WAIT  # Facebook says 0 minutes until throttled
    assert poll_channel(channel.pk) == []
    channel.refresh_from_db()
    assert "Quota" in channel.last_error and "retry_at" in channel.poll_cursor
    assert "posts" not in channel.poll_cursor  # nothing was skipped: the next poll starts where this one did
    calls = len(fake.calls)
    assert poll_channel(channel.pk) == [] and len(fake.calls) == calls  # paused
    fake.usage["call_count"] = 10
    with time_machine.travel(timedelta(seconds=facebook.STOP_WAIT + 1)):
        assert len(poll_channel(channel.pk)) == 1  # the time has come: the comment is collected
    channel.refresh_from_db()
    assert channel.last_error == "" and "retry_at" not in channel.poll_cursor and channel.last_event_at


def test_once_throttled_polling_waits_what_facebook_says(fake, channel):
    fake.faults.rate_limited, fake.regain_minutes = True, 7
    with pytest.raises(RetryLater) as stop:
        connector.poll(channel)
    assert stop.value.retry_after == 7 * 60


def test_above_80_percent_polling_slows_down(fake, channel, post, monkeypatch):
    pauses = []
    monkeypatch.setattr(facebook.time, "sleep", pauses.append)
    fake.add_comment(post, "Bonjour")
    fake.usage["total_cputime"] = 85
    assert len(poll(channel)) == 1 and pauses and set(pauses) == {facebook.SLOW_DOWN_SECONDS}


def test_an_expired_token_stops_polling_and_asks_to_reconnect(fake, channel):
    fake.faults.expired_token = True
    assert poll_channel(channel.pk) == []
    channel.refresh_from_db()
    assert channel.status == Channel.Status.TO_RECONNECT and "reconnectez la Page" in channel.last_error


def test_channels_not_connected_are_not_polled(fake, channel):
    Channel.objects.filter(pk=channel.pk).update(status=Channel.Status.TO_RECONNECT)
    assert poll_channel(channel.pk) == [] and fake.calls == []


def test_the_periodic_task_polls_connected_pages(fake, channel, post, django_capture_on_commit_callbacks):
    fake.add_comment(post, "Bonjour")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.poll_connected_channels()
    assert Message.objects.get().text == "Bonjour"
    assert Channel.objects.get().last_event_at is not None
