"""The demo's live feed, end to end: the fake platform writes, Vigie receives a signed webhook, the
message is triaged, the desk replies, and the reply exists on the fake platform — once."""

import random
import time
from collections import Counter

import pytest

from vigie.crisis.scenarios import Texts
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


def test_the_feed_writes_comments_as_an_ordinary_day_brings_them(live):
    """Not the demo's showcase, where false claims and attacks abound: a crisis would open within minutes."""
    comments = Texts(random.Random()).by_label
    label_of = {text: label for label, texts in comments.items() for text in texts}
    labels = Counter(label_of[live.comment_text()] for _ in range(2000))
    assert labels["positive_neutral"] > 800 and labels["question"] > 300
    assert labels["misinformation"] < 60 and labels["abuse"] < 80


def test_the_feed_writes_on_every_platform(live):
    platforms = {live.emit_one() for _ in range(12)}
    assert platforms == {"facebook", "linkedin", "youtube"}


def test_a_live_linkedin_comment_arrives_by_signed_notification(live):
    urn = live.linkedin.add_comment(live.posts["linkedin"], "Bravo pour ce recrutement, je partage !")
    assert wait_for(lambda: Message.objects.filter(external_id=urn).exists())
    assert live.linkedin.deliveries[-1][0] == 200


@pytest.fixture
def history(db):
    """The demo's history as `vigie demo` imports it (the JSONL file and the clock's private messages)."""
    from django.utils import timezone

    from vigie.demo.clock import stage_clock
    from vigie.demo.files import DATA
    from vigie.demo.management.commands.demo import create_users
    from vigie.pipeline.importer import import_file

    create_users()
    import_file(DATA, progress=False)
    stage_clock(timezone.now())


def test_the_history_is_on_the_connected_pages_so_that_every_action_really_runs(history, live_server, settings):
    from django.contrib.auth import get_user_model

    cm = get_user_model().objects.get(username="camille")
    feed = LiveFeed(base_url=live_server.url)
    environment = feed.start_platforms()
    settings.FACEBOOK_GRAPH_URL = environment["VIGIE_FACEBOOK_GRAPH_URL"]
    settings.LINKEDIN_API_URL = environment["VIGIE_LINKEDIN_API_URL"]
    try:
        channels = feed.connect_channels()
        history_channels = {m.channel_id for m in Message.objects.all()}
        assert history_channels <= {c.pk for c in channels}  # no history left on a channel that is not connected
        assert Channel.objects.filter(pk__in=history_channels, status=Channel.Status.CONNECTED).count() == 2

        comment = Message.objects.filter(channel__platform="facebook", kind="comment", sent_by=None).first()
        actions.moderate(comment, "hide", by=cm)
        assert wait_for(lambda: feed.facebook.comments[comment.external_id].is_hidden)

        question = Message.objects.get(external_id="m_demo_a-temps")  # a private message of two hours ago
        actions.compose_reply(question.thread, "Bonjour, les dates sont sur notre site.", by=cm, in_reply_to=question)
        assert wait_for(lambda: feed.facebook.messages_sent == 1)

        linkedin = Message.objects.filter(channel__platform="linkedin", kind="comment", sent_by=None).first()
        actions.compose_reply(linkedin.thread, "Merci beaucoup !", by=cm, in_reply_to=linkedin)
        assert wait_for(lambda: any(c.parent == linkedin.external_id for c in feed.linkedin.comments.values()))
    finally:
        feed.stop()


def test_polling_the_restored_history_brings_no_message_twice(history, live_server, settings):
    """The history is on the fakes with the ids Vigie knows: the first poll of the connected pages finds it all
    already there (before, every private message of the history came back under a new id, twice in the desk)."""
    from vigie.connectors.facebook.connector import poll_channel
    from vigie.pipeline import processing

    feed = LiveFeed(base_url=live_server.url)
    environment = feed.start_platforms()
    settings.FACEBOOK_GRAPH_URL = environment["VIGIE_FACEBOOK_GRAPH_URL"]
    try:
        channel = next(c for c in feed.connect_channels() if c.platform == "facebook")
        before = Message.objects.count()
        assert Message.objects.filter(channel=channel, kind="private_message").count() > 10
        raw_events = poll_channel(channel.pk)
        assert raw_events  # the conversations were read
        for pk in raw_events:
            processing.process(pk)
        assert Message.objects.count() == before
    finally:
        feed.stop()


def test_the_demo_starts_again_on_its_own_data(history, live_server):
    """A second `make run` on the same data: the fakes start with the four months of the indicators already staged
    (their LinkedIn ids are not comment URNs: the restore used to stop the demo there)."""
    from django.utils import timezone

    from vigie.demo.history import stage_history

    assert stage_history(timezone.now()) > 100
    feed = LiveFeed(base_url=live_server.url)
    try:
        feed.start_platforms()
        assert not any(urn.startswith("hist-") for urn in feed.linkedin.comments)
        assert feed.linkedin.comments and feed.facebook.comments  # the desk's own history is there
    finally:
        feed.stop()


def test_the_people_of_the_live_feed_are_distinct_on_linkedin_and_youtube(live):
    for _ in range(40):
        live.emit_one()
    assert wait_for(lambda: Message.objects.filter(channel__platform="linkedin").count() >= 3)
    linkedin = set(Message.objects.filter(channel__platform="linkedin").values_list("author__display_name", flat=True))
    assert len(linkedin) > 1 and all(name.startswith("Membre LinkedIn ") for name in linkedin)
    youtube = {(c.author, c.author_name) for c in live.youtube.comments.values()}
    assert len(youtube) > 1 and len({author for author, _ in youtube}) == len({name for _, name in youtube})
