"""Messages arriving from the platforms: authors, posts, threads, messages and items, edits, removals, hidden states."""

from dataclasses import replace

from django.db.models import F

from vigie.audit.record import record
from vigie.connectors.base import NormalizedMessage, NormalizedPost
from vigie.inbox import items
from vigie.inbox.actions.desk import move_status
from vigie.inbox.actions.replies import decide_after_reply
from vigie.inbox.models import Author, Item, Message, MessageVersion, Post, Thread
from vigie.inbox.status import OPEN, Status
from vigie.ingestion.models import Channel, RawEvent
from vigie.moderation.models import PlatformAction
from vigie.vocabulary import Platform

DEFAULT_CHANNEL_NAMES = {
    Platform.FACEBOOK: "Page Facebook",
    Platform.LINKEDIN: "Page LinkedIn",
    Platform.YOUTUBE: "Chaîne YouTube",
}


# --- ingestion --------------------------------------------------------------------------------


def resolve_channel(platform: str, external_id: str) -> Channel:
    """The channel a message belongs to; without an id, the platform's only (or first) channel."""
    if external_id:
        channel, _ = Channel.objects.get_or_create(
            platform=platform,
            external_id=external_id,
            defaults={"name": DEFAULT_CHANNEL_NAMES[platform]},
        )
        return channel
    channel = Channel.objects.filter(platform=platform).order_by("id").first()
    if channel is None:
        channel, _ = Channel.objects.get_or_create(
            platform=platform, external_id="default", defaults={"name": DEFAULT_CHANNEL_NAMES[platform]}
        )
    return channel


def _upsert_author(channel: Channel, message: NormalizedMessage) -> Author:
    author, created = Author.objects.get_or_create(
        channel=channel,
        external_id=message.author_external_id,
        defaults={"display_name": message.author_name},
    )
    name = message.known_author_name
    if not created and name and author.display_name != name:
        author.display_name = name
        author.save(update_fields=["display_name"])
    return author


def _upsert_post(channel: Channel, post: NormalizedPost | None) -> Post | None:
    if post is None:
        return None
    found, created = Post.objects.get_or_create(
        channel=channel,
        external_id=post.external_id,
        defaults={"text": post.text, "permalink": post.permalink, "published_at": post.published_at},
    )
    if not created and post.text and found.text != post.text:
        found.text = post.text
        found.save(update_fields=["text"])
    return found


def _thread_for(channel: Channel, message: NormalizedMessage, post: Post | None) -> Thread:
    """The message's thread, locked (a new one is locked by its own insert)."""
    thread, created = Thread.objects.get_or_create(
        channel=channel,
        external_id=message.thread_external_id,
        defaults={
            "platform": channel.platform,
            "kind": message.kind,
            "post": post,
            "created_at": message.created_at,
            "last_message_at": message.created_at,
            "priority": items.starting_priority(message.kind),
        },
    )
    if created:
        return thread
    return Thread.objects.select_for_update(of=("self",)).select_related("post").get(pk=thread.pk)


def ingest(message: NormalizedMessage, raw_event: RawEvent | None = None) -> Message:
    """Upsert one normalized message. The same message twice is one row; an edit keeps the earlier
    text; a removal marks the message removed (even when the removal arrives first)."""
    channel = resolve_channel(message.platform, message.channel_external_id)
    author = _upsert_author(channel, message)
    post = _upsert_post(channel, message.post)
    thread = _thread_for(channel, message, post)
    stored, created = Message.objects.get_or_create(
        channel=channel,
        external_id=message.external_id,
        defaults={
            "thread": thread,
            "author": author,
            "kind": message.kind,
            "parent": _parent(channel, message.parent_external_id),
            "parent_external_id": message.parent_external_id or "",
            "text": "" if message.removed else message.text,
            "created_at": message.created_at,
            "permalink": message.permalink,
            "removed": message.removed,
            "hidden_on_platform": bool(message.hidden),
            "raw_event": raw_event,
        },
    )
    if created:
        _adopt_orphan_replies(stored)
        _count_new_message(thread, stored)
        items.attach([stored])
        items.sync_threads([thread.pk])
    elif message.removed:
        _mark_removed(stored)
    elif message.hidden is None or message.text:  # a hide / unhide notice without text says nothing of it
        _apply_edit(stored, message)
    if not created and message.hidden is not None:
        _apply_hidden(stored, message.hidden)
    return stored


def ingest_page_reply(message: NormalizedMessage, raw_event: RawEvent | None = None) -> Message:
    """A reply the page sent from another tool (a Messenger echo): kept in its conversation as ours,
    it answers the person (their deadline is met or missed) and the conversation waits for them. Once."""
    channel = resolve_channel(message.platform, message.channel_external_id)
    thread = _thread_for(channel, replace(message, kind=Thread.Kind.CONVERSATION), None)
    item = Item.objects.filter(thread=thread).first()
    stored, created = Message.objects.get_or_create(
        channel=channel,
        external_id=message.external_id,
        defaults={"thread": thread, "item": item, "kind": Message.Kind.REPLY, "text": message.text,
                  "created_at": message.created_at, "delivery": Message.Delivery.SENT, "raw_event": raw_event},
    )  # fmt: skip
    if created:
        summary = f"Réponse envoyée depuis un autre outil : {message.text[:100]}"
        record(None, "thread.reply_seen", thread, summary=summary, after={"message_id": stored.pk})
        if item is not None:
            items.answered(item.pk, message.created_at)
            decide_after_reply(item, stored, by=None, summary="réponse envoyée depuis un autre outil")
    return stored


def _parent(channel: Channel, parent_external_id: str | None) -> Message | None:
    if not parent_external_id:
        return None
    return Message.objects.filter(channel=channel, external_id=parent_external_id).first()


def _adopt_orphan_replies(parent: Message) -> None:
    """Replies that arrived before their parent are linked to it now."""
    Message.objects.filter(channel=parent.channel, parent_external_id=parent.external_id, parent__isnull=True).update(
        parent=parent
    )


def _count_new_message(thread: Thread, message: Message) -> None:
    thread.message_count = F("message_count") + 1
    fields = ["message_count"]
    if message.created_at >= thread.last_message_at:
        thread.last_message_at = message.created_at
        thread.last_message = message
        fields += ["last_message_at", "last_message"]
    if message.created_at < thread.created_at:
        thread.created_at = message.created_at
        fields.append("created_at")
    thread.save(update_fields=fields)


REMOVED_ELSEWHERE = "Supprimé par son auteur ou la plateforme"


def _our_deletion(message: Message) -> PlatformAction | None:
    """The delete Vigie asked for on this message, if the platform's « removed » is its echo."""
    return (
        message.platform_actions.filter(verb=PlatformAction.Verb.DELETE)
        .exclude(status__in=[PlatformAction.Status.CANCELLED, PlatformAction.Status.FAILED])
        .select_related("requested_by")
        .first()
    )


def _mark_removed(message: Message) -> None:
    if message.removed:
        return
    ours = _our_deletion(message)
    # the person who deleted it from Vigie is named, not « système »
    by, rule = (ours.requested_by, ours.requested_by_rule) if ours else (None, "")
    summary = "Suppression depuis Vigie confirmée par la plateforme" if ours else REMOVED_ELSEWHERE
    record(by, "message.removed", message, actor_label=rule, summary=summary, before={"text": message.text})
    MessageVersion.objects.create(message=message, text=message.text)
    message.removed = True
    message.save(update_fields=["removed"])
    item = Item.objects.filter(message=message, status__in=OPEN).first()
    if item is not None:  # nothing left to decide on a comment that is gone
        move_status(item, Status.DONE, by=None, summary="Message supprimé sur la plateforme")
        items.sync_threads([item.thread_id])


def _apply_edit(stored: Message, message: NormalizedMessage) -> None:
    if stored.text == message.text or stored.removed:
        return
    record(None, "message.edited", stored, before={"text": stored.text}, after={"text": message.text})
    MessageVersion.objects.create(message=stored, text=stored.text)
    stored.text = message.text
    stored.edited = True
    stored.save(update_fields=["text", "edited"])


def _apply_hidden(stored: Message, hidden: bool) -> None:
    """The platform says the message is hidden (or shown again): a moderator's hide, ours or not."""
    if stored.hidden_on_platform == hidden:
        return
    summary = "Masqué sur la plateforme" if hidden else "De nouveau visible sur la plateforme"
    record(None, "message.hidden" if hidden else "message.unhidden", stored, summary=summary,
           before={"hidden_on_platform": stored.hidden_on_platform}, after={"hidden_on_platform": hidden})  # fmt: skip
    stored.hidden_on_platform = hidden
    stored.save(update_fields=["hidden_on_platform"])
