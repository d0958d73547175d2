"""New messages in bulk: the common case of ingestion, a few statements for a whole batch.

Part of the actions layer. The outcome is the one `actions.ingest()` gives one message at a time
(`tests/test_bulk.py` compares both on the demo data and on edge cases); whatever is not a plain new
message (an edit, a removal, a message already stored, the same message twice) is left to it.
Call inside a transaction.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from vigie.connectors.base import NormalizedMessage
from vigie.inbox.actions import resolve_channel
from vigie.inbox.items import attach, starting_priority, sync_threads
from vigie.inbox.models import Author, Message, Post, Thread
from vigie.ingestion.models import Channel
from vigie.lib import rows


@dataclass(frozen=True)
class Incoming:
    message: NormalizedMessage
    raw_event_id: int


def plain_new(events: dict[int, list[NormalizedMessage]]) -> set[int]:
    """The events (by raw event id) whose messages are all new and plain, none twice."""
    channels = _channels(m for messages in events.values() for m in messages)
    keys = {pk: [(channels[m.platform, m.channel_external_id].pk, m.external_id) for m in messages]
            for pk, messages in events.items()}  # fmt: skip
    seen = set(_known(Message, {key for event_keys in keys.values() for key in event_keys}))
    plain = set()
    for pk, messages in events.items():
        own = set(keys[pk])
        if messages and not any(m.removed for m in messages) and not own & seen and len(own) == len(messages):
            plain.add(pk)
        seen |= own
    return plain


def ingest_new(items: list[Incoming]) -> list[Message]:
    """Store plain new messages (see `plain_new`), in order; their threads are counted and reopened."""
    channels = _channels(item.message for item in items)
    channel_of = [channels[item.message.platform, item.message.channel_external_id] for item in items]
    authors = _upsert_authors(items, channel_of)
    posts = _upsert_posts(items, channel_of)
    threads = _threads(items, channel_of, posts)
    parents = _known(Message, {(c.pk, i.message.parent_external_id) for c, i in zip(channel_of, items, strict=True)
                               if i.message.parent_external_id})  # fmt: skip
    stored = Message.objects.bulk_create(
        [
            Message(
                thread=threads[channel.pk, item.message.thread_external_id],
                channel=channel,
                author=authors[channel.pk, item.message.author_external_id],
                kind=item.message.kind,
                external_id=item.message.external_id,
                parent=parents.get((channel.pk, item.message.parent_external_id)),
                parent_external_id=item.message.parent_external_id or "",
                text=item.message.text,
                created_at=item.message.created_at,
                permalink=item.message.permalink,
                hidden_on_platform=bool(item.message.hidden),
                raw_event_id=item.raw_event_id,
            )
            for channel, item in zip(channel_of, items, strict=True)
        ]
    )
    _adopt_orphan_replies(stored)
    _count_new_messages(stored)
    attach(stored)
    sync_threads({message.thread_id for message in stored})
    return stored


# --- the rows around the messages ---------------------------------------------------------------


def _channels(messages: Iterable[NormalizedMessage]) -> dict[tuple[str, str], Channel]:
    keys = {(m.platform, m.channel_external_id) for m in messages}
    return {key: resolve_channel(*key) for key in keys}


def _by_channel(keys: Iterable[tuple[int, str]], field: str = "external_id") -> Q:
    """Rows whose (channel, `field`) is one of `keys`."""
    wanted = defaultdict(set)
    for channel_id, value in keys:
        wanted[channel_id].add(value)
    condition = Q(pk__in=[])
    for channel_id, values in wanted.items():
        condition |= Q(channel_id=channel_id, **{f"{field}__in": values})
    return condition


def _known(model, keys: set[tuple[int, str]], *, lock: bool = False) -> dict[tuple[int, str], object]:
    """Rows of `model` by (channel id, external id); locked (with their post) when asked."""
    if not keys:
        return {}
    found = model.objects.filter(_by_channel(keys))
    if lock:
        found = found.select_for_update(of=("self",)).select_related("post")
    return {(row.channel_id, row.external_id): row for row in found}


def _upsert_authors(items: list[Incoming], channel_of: list[Channel]) -> dict[tuple[int, str], Author]:
    """A new author takes the first name seen; a known one the last name given (as one by one), but never a
    stand-in (LinkedIn embeds no name: a name learnt elsewhere, an import for instance, stays)."""
    new: dict[tuple[int, str], Author] = {}
    names: dict[tuple[int, str], str] = {}
    for channel, item in zip(channel_of, items, strict=True):
        key = (channel.pk, item.message.author_external_id)
        new.setdefault(key, Author(channel=channel, external_id=key[1], display_name=item.message.author_name))
        if item.message.known_author_name:
            names[key] = item.message.known_author_name
    return _upsert(Author, new, "display_name", names)


def _upsert_posts(items: list[Incoming], channel_of: list[Channel]) -> dict[tuple[int, str], Post]:
    """A new post is made from its first mention; a known one takes the last text given."""
    new: dict[tuple[int, str], Post] = {}
    texts: dict[tuple[int, str], str] = {}
    for channel, item in zip(channel_of, items, strict=True):
        post = item.message.post
        if post is not None:
            key = (channel.pk, post.external_id)
            new.setdefault(key, Post(channel=channel, external_id=post.external_id, text=post.text,
                                     permalink=post.permalink, published_at=post.published_at))  # fmt: skip
            if post.text:
                texts[key] = post.text
    return _upsert(Post, new, "text", texts)


def _upsert(model, new: dict[tuple[int, str], object], field: str, latest: dict[tuple[int, str], str]) -> dict:
    """Rows by (channel id, external id): the missing ones created from `new`, then `field` set to its
    `latest` value where it differs."""
    found = _known(model, set(new))
    model.objects.bulk_create([row for key, row in new.items() if key not in found])
    found = _known(model, set(new))
    changed = [row for key, row in found.items() if key in latest and getattr(row, field) != latest[key]]
    for row in changed:
        setattr(row, field, latest[row.channel_id, row.external_id])
    rows.update(changed, [field])
    return found


def _threads(items: list[Incoming], channel_of: list[Channel], posts: dict) -> dict[tuple[int, str], Thread]:
    """The messages' threads, locked; a new one takes its kind and post from its first message."""
    firsts: dict[tuple[int, str], tuple[Channel, NormalizedMessage]] = {}
    for channel, item in zip(channel_of, items, strict=True):
        firsts.setdefault((channel.pk, item.message.thread_external_id), (channel, item.message))
    found = _known(Thread, set(firsts), lock=True)
    new = [_new_thread(channel, message, posts) for key, (channel, message) in firsts.items() if key not in found]
    for thread in Thread.objects.bulk_create(new):
        found[thread.channel_id, thread.external_id] = thread
    return found


def _new_thread(channel: Channel, message: NormalizedMessage, posts: dict) -> Thread:
    return Thread(
        channel=channel,
        platform=channel.platform,
        kind=message.kind,
        external_id=message.thread_external_id,
        post=posts[channel.pk, message.post.external_id] if message.post else None,
        created_at=message.created_at,
        last_message_at=message.created_at,
        priority=starting_priority(message.kind),
    )


def _adopt_orphan_replies(stored: list[Message]) -> None:
    """Replies that arrived before their parent (earlier, or earlier in this batch) are linked to it."""
    parents = {(m.channel_id, m.external_id): m for m in stored}
    orphans = list(Message.objects.filter(_by_channel(parents, "parent_external_id"), parent__isnull=True))
    for orphan in orphans:
        orphan.parent = parents[orphan.channel_id, orphan.parent_external_id]
    rows.update(orphans, ["parent"])
    for message in stored:  # the in-memory rows say the same
        if message.parent_id is None and (message.channel_id, message.parent_external_id) in parents:
            message.parent = parents[message.channel_id, message.parent_external_id]


def _count_new_messages(stored: list[Message]) -> None:
    """Each thread's count, newest and oldest message."""
    by_thread: dict[int, list[Message]] = defaultdict(list)
    for message in stored:
        by_thread[message.thread_id].append(message)
    threads = []
    for messages in by_thread.values():
        thread = messages[0].thread
        thread.message_count += len(messages)
        for message in messages:
            if message.created_at >= thread.last_message_at:
                thread.last_message_at, thread.last_message = message.created_at, message
            thread.created_at = min(thread.created_at, message.created_at)
        threads.append(thread)
    rows.update(threads, ["message_count", "last_message_at", "last_message", "created_at"])
