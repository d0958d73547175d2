from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from vigie.connectors.linkedin import client
from vigie.connectors.linkedin.connector import poll_channel
from vigie.inbox.models import Message
from vigie.ingestion.models import Channel, RawEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def polled(page, django_capture_on_commit_callbacks):
    """poll() runs the poller as the worker would, the stored pages processed after commit."""

    def _poll():
        with django_capture_on_commit_callbacks(execute=True):
            return poll_channel(page.pk)

    return _poll


@pytest.fixture
def busy_post(fake_linkedin, monkeypatch):
    """A post with 10 comments (3 pages of 4) and one reply to the first comment."""
    monkeypatch.setattr(client, "COMMENTS_PER_PAGE", 4)
    post = fake_linkedin.add_post()
    comments = [fake_linkedin.add_comment(post, f"Question n° {n}", f"urn:li:person:membre{n}") for n in range(10)]
    fake_linkedin.add_comment(comments[0], "Même question pour moi", "urn:li:person:autre")
    return post, comments


def comment_calls(fake):
    return [path for method, path in fake.calls if method == "GET" and path.endswith("/comments")]


def test_a_first_poll_reads_every_page_and_the_replies(fake_linkedin, busy_post, polled):
    post, comments = busy_post
    polled()
    assert Message.objects.count() == 11
    reply = Message.objects.get(text="Même question pour moi")
    assert reply.parent.external_id == comments[0] and reply.thread.external_id == post
    assert reply.thread.post.text.startswith("Journée portes ouvertes")
    assert len(comment_calls(fake_linkedin)) == 3 + 1  # three pages, then the one comment with a reply
    assert RawEvent.objects.filter(source="poll", status=RawEvent.Status.DONE).count() == 4


def test_the_requests_carry_linkedins_headers_and_encoded_urns(fake_linkedin, busy_post, polled):
    polled()  # the fake refuses a request without them (see test_fake.py)
    assert all("%3A" in path for path in comment_calls(fake_linkedin))
    assert Channel.objects.get().last_error == ""


def test_catching_up_reads_what_is_new_without_duplicates_and_few_calls(fake_linkedin, busy_post, polled):
    post, comments = busy_post
    polled()
    fake_linkedin.calls.clear()
    fake_linkedin.add_comment(post, "Une nouvelle question")
    fake_linkedin.add_comment(comments[5], "Une réponse à une ancienne question")
    polled()
    assert Message.objects.count() == 13
    assert Message.objects.get(text="Une réponse à une ancienne question").parent.external_id == comments[5]
    calls = fake_linkedin.calls
    assert len(calls) == 1 + 3 + 1  # the posts, three pages, the replies of the one comment that has new ones
    stored = RawEvent.objects.count()
    polled()
    assert RawEvent.objects.count() == stored  # nothing new: the same pages are the same raw events


def test_without_reply_counts_the_replies_of_each_new_comment_are_read_once(fake_linkedin, busy_post, polled):
    fake_linkedin.comment_summaries = False
    polled()
    assert len(comment_calls(fake_linkedin)) == 3 + 10
    fake_linkedin.calls.clear()
    polled()
    assert len(comment_calls(fake_linkedin)) == 3 and Message.objects.count() == 11


def test_the_organisations_own_comments_are_not_incoming_messages(fake_linkedin, page, polled):
    post = fake_linkedin.add_post()
    fake_linkedin.add_comment(post, "Merci pour ce post !")
    fake_linkedin.add_comment(post, "Merci à vous", author=fake_linkedin.organization)
    polled()
    assert list(Message.objects.values_list("text", flat=True)) == ["Merci pour ce post !"]


def test_an_edit_seen_by_polling_updates_the_message(fake_linkedin, page, polled):
    urn = fake_linkedin.add_comment(fake_linkedin.add_post(), "Tarif ?")
    polled()
    fake_linkedin.edit_comment(urn, "Quel est le tarif ?")
    polled()
    message = Message.objects.get()
    assert message.text == "Quel est le tarif ?" and message.edited


def test_an_expired_token_stops_polling_and_the_page_asks_to_reconnect(fake_linkedin, page, polled):
    fake_linkedin.faults.expired_token = True
    assert polled() == []
    page.refresh_from_db()
    assert page.status == Channel.Status.TO_RECONNECT and "reconnectez la page" in page.last_error
    assert polled() == []  # a channel to reconnect is not polled


def test_a_rate_limit_pauses_polling_for_the_default_minute(fake_linkedin, page, polled):
    fake_linkedin.add_comment(fake_linkedin.add_post(), "Bonjour")
    fake_linkedin.faults.rate_limited = True
    polled()
    page.refresh_from_db()
    assert "Limite d'appels LinkedIn" in page.last_error and page.status == Channel.Status.CONNECTED
    fake_linkedin.faults.rate_limited = False
    assert polled() == [] and not fake_linkedin.calls  # paused: not even asked
    with time_machine.travel(timezone.now() + timedelta(seconds=client.DEFAULT_RETRY_AFTER + 1)):
        polled()
    page.refresh_from_db()
    assert Message.objects.count() == 1 and page.last_error == "" and "retry_at" not in page.poll_cursor
