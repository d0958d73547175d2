"""`vigie bench inbox`: the inbox's pages timed on a large database.

The bench fills the configured database up to the requested number of messages (bulk inserts: this
is load, not demo data, so it skips the import path) and times server-side answers through Django's
test client: the default view, filtered views, a search, the second page and the API.
Point VIGIE_DATABASE_URL at a throw-away PostgreSQL database: the rows are kept for the next run.
"""

import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from vigie.api import tokens
from vigie.inbox import queries
from vigie.inbox.items import refresh_deadlines as items_refresh_deadlines
from vigie.inbox.items import sync_threads as items_sync_threads
from vigie.inbox.models import Author, Item, Message, Post, Thread
from vigie.ingestion.models import Channel
from vigie.vocabulary import LABELS

WORDS = tuple(
    "bonjour merci formation hypnose thérapie brève session lyon paris bordeaux tarif cpf opco financement "
    "certificat inscription date programme formateur stage question super génial déçu retard salle webinaire "
    "attestation qualiopi systémique solution écoute patient pratique module".split()
)
LABEL_VALUES = tuple(value for value, _ in LABELS)
BATCH = 5000
MESSAGES_PER_THREAD = 5


RARE_WORD = "parking"  # in about one message in a thousand: a search that matches little


def _text(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 30))]
    if rng.random() < 0.001:
        words.append(RARE_WORD)
    return " ".join(words)


def fill(target: int, out) -> None:
    """Top the database up to `target` incoming messages."""
    have = Message.objects.count()
    if have >= target:
        out(f"inbox.data messages={have} (déjà là)")
        return
    rng = random.Random(have)
    channels = [
        Channel.objects.get_or_create(platform=p, external_id=f"bench-{p}", defaults={"name": f"Bench {p}"})[0]
        for p in ("facebook", "linkedin")
    ]
    start = timezone.now() - timedelta(days=365)
    started = time.perf_counter()
    while have < target:
        count = min(BATCH, target - have)
        _insert_batch(rng, channels, have, count, start)
        have += count
        out(f"inbox.fill {have}/{target} ({time.perf_counter() - started:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a live database


@transaction.atomic
def _insert_batch(rng, channels, offset: int, count: int, start) -> None:
    threads, messages = [], []
    for t in range(count // MESSAGES_PER_THREAD or 1):
        channel = rng.choice(channels)
        n = offset + t * MESSAGES_PER_THREAD
        private = channel.platform == "facebook" and rng.random() < 0.2
        author = Author(channel=channel, external_id=f"bench-a{n}", display_name=f"Auteur {n}")
        post = None if private else Post(channel=channel, external_id=f"bench-p{n}", text=_text(rng))
        moment = start + timedelta(seconds=n * 30)
        thread = Thread(
            channel=channel, platform=channel.platform, external_id=f"bench-t{n}", post=post,
            kind="private_message" if private else "comment", created_at=moment, last_message_at=moment,
            message_count=MESSAGES_PER_THREAD,
        )  # fmt: skip
        threads.append((author, post, thread))
    Author.objects.bulk_create([a for a, _, _ in threads])
    Post.objects.bulk_create([p for _, p, _ in threads if p is not None])
    for _, post, thread in threads:
        thread.post = post
    Thread.objects.bulk_create([t for _, _, t in threads])
    for author, _, thread in threads:
        for m in range(MESSAGES_PER_THREAD):
            messages.append(
                Message(
                    thread=thread,
                    channel=thread.channel,
                    author=author,
                    kind=thread.kind,
                    external_id=f"{thread.external_id}-{m}",
                    text=_text(rng),
                    created_at=thread.created_at + timedelta(seconds=m),
                    **_deadline(rng, thread.kind, thread.created_at + timedelta(seconds=m)),
                )  # fmt: skip
            )
    Message.objects.bulk_create(messages)
    last = {m.thread_id: m for m in messages}
    for _, _, thread in threads:
        thread.last_message = last[thread.pk]
        thread.last_message_at = last[thread.pk].created_at
    Thread.objects.bulk_update([t for _, _, t in threads], ["last_message", "last_message_at"])
    _insert_items(rng, messages, last)


def _deadline(rng, kind: str, came) -> dict:
    """A private message is due an answer in 24 h; most were answered (in time or late), some not."""
    if kind != "private_message":
        return {}
    due = came + timedelta(hours=24)
    answered = rng.random() < 0.8
    return {"reply_due_at": due, "replied_at": came + timedelta(hours=rng.uniform(1, 30)) if answered else None}


def _insert_items(rng, messages: list, last: dict) -> None:
    """Each comment is an item; a conversation is one item that shows its latest message."""
    items = []
    for message in messages:
        if message.kind == "comment" or last[message.thread_id] is message:
            items.append(Item(
                thread=message.thread, channel=message.channel, platform=message.thread.platform,
                kind=message.kind, message=message, received_at=message.created_at,
                status=rng.choice(["new", "new", "in_progress", "done", "done", "done"]),
                priority=rng.choice([0, 0, 0, 0, 1, 2]), label=rng.choice(LABEL_VALUES),
            ))  # fmt: skip
    Item.objects.bulk_create(items)
    item_of = {item.message_id: item for item in items}
    conversation_item = {i.thread_id: i for i in items if i.kind == "private_message"}
    for message in messages:
        message.item = item_of.get(message.pk) or conversation_item[message.thread_id]
    Message.objects.bulk_update(messages, ["item"])
    items_refresh_deadlines({i.pk for i in items if i.kind == "private_message"})
    items_sync_threads({message.thread_id for message in messages})


def _user():
    user, _ = get_user_model().objects.get_or_create(username="bench-cm")
    user.groups.add(Group.objects.get(name="community_manager"))
    return user


def _time(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    call()  # warm-up
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def measure(repeat: int, out) -> None:
    user = _user()
    client = Client()
    client.force_login(user)
    token = tokens.issue(user)[1]
    cursor = queries.item_page(queries.Filters(), user, None).next_cursor
    views = {
        "first_page": "/boite/",
        "filter_platform": "/boite/?platform=linkedin",
        "filter_private": "/boite/?kind=private_message",
        "filter_status_done": "/boite/?status=done",
        "filter_assignee_none": "/boite/?assignee=none",
        "filter_label_abuse": "/boite/?label=abuse",
        "filter_urgent": "/boite/?priority=urgent",
        "filter_overdue": "/boite/?sla=overdue",
        "order_due": "/boite/?order=due",
        "by_post": "/boite/publications/",
        "by_post_label_abuse": "/boite/publications/?label=abuse",
        "search_common": "/boite/?q=qualiopi+attestation&status=all",
        "search_rare": f"/boite/?q={RARE_WORD}&status=all",
        "second_page": f"/boite/?after={cursor}",
    }
    for name, url in views.items():
        p50, p95 = _time(lambda url=url: _ok(client.get(url)), repeat)
        out(f"inbox.{name} p50={p50:.1f}ms p95={p95:.1f}ms")
    api = {"messages": "/api/v1/messages", "messages_open": "/api/v1/messages?status=open",
           "messages_overdue": "/api/v1/messages?sla=overdue"}  # fmt: skip
    for name, url in api.items():
        p50, p95 = _time(lambda url=url: _ok(client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")), repeat)
        out(f"api.{name} p50={p50:.1f}ms p95={p95:.1f}ms")


def _ok(response):
    if response.status_code != 200:
        raise RuntimeError(f"réponse {response.status_code}")
    return response
