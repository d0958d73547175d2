from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from vigie.connectors.youtube import client
from vigie.connectors.youtube.connector import LOOKBACK, poll_channel
from vigie.inbox.models import Message
from vigie.ingestion.models import Channel, RawEvent

pytestmark = pytest.mark.django_db

EVENING = datetime(2026, 11, 20, 22, 0, tzinfo=client.PACIFIC)


@pytest.fixture
def polled(youtube_channel, django_capture_on_commit_callbacks):
    def _poll():
        with django_capture_on_commit_callbacks(execute=True):
            return poll_channel(youtube_channel.pk)

    return _poll


@pytest.fixture
def busy_video(fake_youtube, monkeypatch):
    """10 threads (3 pages of 4), the first with 7 replies (YouTube inlines 5 of them)."""
    monkeypatch.setattr(client, "MAX_RESULTS", 4)
    video = fake_youtube.add_video()
    threads = [
        fake_youtube.add_comment(video, f"Question n° {n}", f"UCmembre{n:020d}", f"Membre {n}") for n in range(10)
    ]
    for n in range(7):
        fake_youtube.add_reply(threads[0], f"Réponse n° {n}", "UCautre00000000000000000", "Autre")
    return video, threads


def calls(fake, path):
    return [p for _, p in fake.calls if p.endswith(path)]


def test_a_first_poll_reads_every_page_and_all_replies(fake_youtube, busy_video, polled, youtube_channel):
    video, threads = busy_video
    polled()
    assert Message.objects.count() == 17
    reply = Message.objects.get(text="Réponse n° 6")
    assert reply.parent.external_id == threads[0] and reply.thread.external_id == video
    assert reply.author.display_name == "Autre" and reply.permalink.endswith(f"&lc={reply.external_id}")
    assert len(calls(fake_youtube, "/commentThreads")) == 3 and len(calls(fake_youtube, "/comments")) == 2
    youtube_channel.refresh_from_db()
    assert youtube_channel.poll_cursor["quota"] == {"day": client.pacific_day(), "used": 5}
    assert fake_youtube.quota_used == 5


def test_catching_up_reads_what_is_new_without_duplicates(fake_youtube, busy_video, polled):
    video, threads = busy_video
    polled()
    fake_youtube.calls.clear()
    fake_youtube.add_comment(video, "Une nouvelle question")
    fake_youtube.add_reply(threads[4], "Une réponse à une ancienne question")
    polled()
    assert Message.objects.count() == 19
    assert Message.objects.get(text="Une réponse à une ancienne question").parent.external_id == threads[4]
    assert len(calls(fake_youtube, "/comments")) == 0  # inlined; the 7 replies of threads[0] are not re-read
    stored = RawEvent.objects.count()
    polled()
    assert RawEvent.objects.count() == stored


def test_polling_goes_back_only_a_week_before_the_newest_comment_seen(fake_youtube, polled, monkeypatch):
    monkeypatch.setattr(client, "MAX_RESULTS", 2)
    video = fake_youtube.add_video()
    for n in range(6):
        fake_youtube.add_comment(video, f"Ancien n° {n}", published=timezone.now() - LOOKBACK - timedelta(days=n + 1))
    fake_youtube.add_comment(video, "Récent")
    polled()
    assert len(calls(fake_youtube, "/commentThreads")) == 1  # the first page already reaches older than a week
    assert "Récent" in Message.objects.values_list("text", flat=True)


def test_polling_stops_before_the_budget_and_waits_for_pacific_midnight(fake_youtube, busy_video, polled,
                                                                         youtube_channel, settings):  # fmt: skip
    settings.YOUTUBE_DAILY_QUOTA = 7  # polling may use 90 %: 6 units; a full poll needs 5
    youtube_channel.poll_cursor = {"quota": {"day": "2026-11-20", "used": 4}}  # spent today by moderation
    youtube_channel.save()
    with time_machine.travel(EVENING, tick=False):
        polled()
        assert len(fake_youtube.calls) == 2 and Message.objects.count() == 8  # what was read is kept
        youtube_channel.refresh_from_db()
        assert youtube_channel.poll_cursor["quota"] == {"day": "2026-11-20", "used": 6}
        assert "Quota YouTube du jour atteint (6/7 unités)" in youtube_channel.last_error
        fake_youtube.calls.clear()
        polled()
        assert not fake_youtube.calls  # paused until the quota resets
    with time_machine.travel(datetime(2026, 11, 21, 0, 1, tzinfo=client.PACIFIC)):
        polled()
    youtube_channel.refresh_from_db()
    assert Message.objects.count() == 17 and youtube_channel.last_error == ""
    assert youtube_channel.poll_cursor["quota"] == {"day": "2026-11-21", "used": 5}


def test_youtube_saying_the_quota_is_spent_pauses_polling_until_pacific_midnight(fake_youtube, polled,
                                                                                   youtube_channel):  # fmt: skip
    fake_youtube.add_comment(fake_youtube.add_video(), "Bonjour")
    fake_youtube.faults.rate_limited = True  # YouTube's answer: 403 quotaExceeded
    with time_machine.travel(EVENING, tick=False):
        polled()
    youtube_channel.refresh_from_db()
    assert youtube_channel.poll_cursor["quota"]["used"] == client.daily_quota()
    retry_at = datetime.fromisoformat(youtube_channel.poll_cursor["retry_at"])
    assert retry_at.astimezone(client.PACIFIC) == datetime(2026, 11, 21, 0, 0, tzinfo=client.PACIFIC)


def test_an_expired_token_stops_polling_and_the_channel_asks_to_reconnect(fake_youtube, polled, youtube_channel):
    fake_youtube.faults.expired_token = True
    assert polled() == []
    youtube_channel.refresh_from_db()
    assert (
        youtube_channel.status == Channel.Status.TO_RECONNECT and "reconnectez la chaîne" in youtube_channel.last_error
    )
