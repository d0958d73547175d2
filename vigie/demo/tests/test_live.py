"""The demo's live feed, end to end: the fake platform writes, Vigie receives a signed webhook, the
message is triaged, the desk replies, and the reply exists on the fake platform — once."""

import time

import pytest

from vigie.demo.live import LiveFeed
from vigie.inbox import actions
from vigie.inbox.models import Message
from vigie.ingestion.models import Channel


@pytest.fixture
def live(live_server, settings):
    feed = LiveFeed(base_url=live_server.url)
    environment = feed.start_platforms()
    settings.FACEBOOK_GRAPH_URL = environment["VIGIE_FACEBOOK_GRAPH_URL"]
    settings.FACEBOOK_APP_SECRET = environment["VIGIE_FACEBOOK_APP_SECRET"]
    settings.LINKEDIN_API_URL = environment["VIGIE_LINKEDIN_API_URL"]
    settings.LINKEDIN_CLIENT_SECRET = environment["VIGIE_LINKEDIN_CLIENT_SECRET"]
    settings.YOUTUBE_API_URL = environment["VIGIE_YOUTUBE_API_URL"]
    settings.FRESHDESK_API_URL = environment["VIGIE_FRESHDESK_API_URL"]
    feed.connect_channels()
    yield feed
    feed.stop()


def wait_for(predicate, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def test_a_live_comment_arrives_by_webhook_and_the_reply_reaches_the_platform(live, cm):
    assert Channel.objects.filter(status=Channel.Status.CONNECTED).exclude(platform="freshdesk").count() == 3
    assert Channel.objects.get(platform="freshdesk").status == Channel.Status.CONNECTED
    comment_id = live.facebook.add_comment(live.posts["facebook"], "Bonjour, quel est le tarif de la formation ?")
    assert wait_for(lambda: Message.objects.filter(external_id=comment_id).exists())
    message = Message.objects.get(external_id=comment_id)
    assert message.classification.label == "question"
    actions.compose_reply(message.thread, "Bonjour, tout est sur notre site.", by=cm, in_reply_to=message)
    assert wait_for(lambda: live.facebook.replies_created == 1)
    reply = Message.objects.get(kind="reply")
    assert reply.delivery == Message.Delivery.SENT and reply.external_id


def test_the_feed_writes_on_every_platform(live):
    platforms = {live.emit_one() for _ in range(12)}
    assert platforms == {"facebook", "linkedin", "youtube"}


def test_a_live_linkedin_comment_arrives_by_signed_notification(live):
    urn = live.linkedin.add_comment(live.posts["linkedin"], "Bravo pour ce recrutement, je partage !")
    assert wait_for(lambda: Message.objects.filter(external_id=urn).exists())
    assert live.linkedin.deliveries[-1][0] == 200
