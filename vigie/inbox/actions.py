"""Every change of state in the inbox: one transaction, the audit event inside it.

Views, the API, the pipeline and the demo call these functions (and `bulk.py`, many new messages at
once); nothing else writes threads or messages. Side effects (the outbox's worker) start only after commit.
"""

import uuid
from dataclasses import replace
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from vigie.accounts.people import name_of
from vigie.audit.record import record
from vigie.connectors.base import NormalizedMessage, NormalizedPost
from vigie.inbox import clocks, items, telling
from vigie.inbox.errors import ActionError
from vigie.inbox.models import LABEL_NAMES, Author, Item, Message, MessageVersion, Note, Person, Post, Thread
from vigie.inbox.status import OPEN, TRANSITIONS, Status, check_transition
from vigie.ingestion.models import Channel, RawEvent
from vigie.moderation import tasks as moderation_tasks
from vigie.moderation.evidence import capture as evidence_capture
from vigie.moderation.models import PlatformAction
from vigie.procedure.service import version_in_force
from vigie.replies.models import Charter, ReplyTemplate
from vigie.replies.render import unfilled_error
from vigie.triage.models import Classification
from vigie.vocabulary import LABELS, Platform, Priority

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
    if not created and message.author_name and author.display_name != message.author_name:
        author.display_name = message.author_name
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
            _after_reply(item, stored, by=None, summary="réponse envoyée depuis un autre outil")
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
        _set_status(item, Status.DONE, by=None, summary="Message supprimé sur la plateforme")
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


# --- people at the desk ---------------------------------------------------------------------------


def _locked(item: Item) -> Item:
    return Item.objects.select_for_update().get(pk=item.pk)


def _set_assignee(item: Item, assignee, *, by) -> bool:
    if item.assignee_id == (assignee.pk if assignee else None):
        return False
    before = name_of(item.assignee) or None
    item.assignee = assignee
    item.save(update_fields=["assignee"])
    after = name_of(assignee) or None
    record(by, "item.assigned", item, summary=f"Attribué à {after}" if after else "Attribution retirée",
           before={"assignee": before}, after={"assignee": after})  # fmt: skip
    telling.assigned(item, assignee, by=by)
    return True


def _set_status(item: Item, target: str, *, by, summary: str = "", rule: str = "") -> bool:
    if item.status == target:
        return False
    check_transition(item.status, target)
    before = item.status
    item.status = target
    item.save(update_fields=["status"])
    label = f"{Status(before).label} → {Status(target).label}"
    record(by, "item.status_changed", item, actor_label=rule, summary=f"{label} · {summary}" if summary else label,
           before={"status": before}, after={"status": target})  # fmt: skip
    if target == Status.ESCALATED:
        telling.escalated(item, by=by, rule=rule)
    return True


@transaction.atomic
def assign(item: Item, assignee, *, by) -> Item:
    item = _locked(item)
    if _set_assignee(item, assignee, by=by):
        items.sync_threads([item.thread_id])
    return item


@transaction.atomic
def change_status(item: Item, target: str, *, by, rule: str = "") -> Item:
    item = _locked(item)
    if _set_status(item, target, by=by, rule=rule):
        items.sync_threads([item.thread_id])
    return item


@transaction.atomic
def set_priority(item: Item, priority: int, *, by, rule: str = "") -> Item:
    item = _locked(item)
    if item.priority != priority:
        before = item.priority
        item.priority = priority
        item.save(update_fields=["priority"])
        record(by, "item.priority_changed", item, actor_label=rule,
               summary=f"Priorité {Priority(before).label.lower()} → {Priority(priority).label.lower()}",
               before={"priority": before}, after={"priority": priority})  # fmt: skip
        items.sync_threads([item.thread_id])
    return item


@transaction.atomic
def bulk_update(selected: list[Item], *, by, status: str = "", assignee=None, unassign: bool = False,
                label: str = "") -> int:  # fmt: skip
    """One gesture on many items (mark done, assign, label): each change audited; the count of items
    changed. An item that cannot take the change (a status not allowed from its own) is left as is."""
    changed = 0
    locked = list(Item.objects.select_for_update().filter(pk__in=[i.pk for i in selected]).select_related("message"))
    for item in locked:
        try:
            changed += _change_one(item, by=by, status=status, assignee=assignee, unassign=unassign, label=label)
        except ActionError:
            continue
    items.sync_threads({item.thread_id for item in locked})
    return changed


def _change_one(item: Item, *, by, status: str, assignee, unassign: bool, label: str) -> bool:
    did = _set_status(item, status, by=by) if status else False
    if assignee is not None or unassign:
        did = _set_assignee(item, assignee, by=by) or did
    if label:
        did = _correct_label(item.message, label, by=by) or did
    return did


@transaction.atomic
def add_note(item: Item, text: str, *, by) -> Note:
    text = text.strip()
    if not text:
        raise ActionError("La note est vide.")
    note = Note.objects.create(thread_id=item.thread_id, item=item, author=by, text=text)
    record(by, "item.note_added", item, summary=text[:120], after={"note_id": note.pk})
    return note


def _after_reply(item: Item | None, reply: Message, *, by, summary: str = "réponse envoyée") -> None:
    """Answering decides the item: a comment is done; a conversation waits for the person's answer;
    a reply waiting for approval keeps it waiting. Escalated items stay with whoever has them."""
    if item is None or item.status == Status.ESCALATED:
        return
    item = _locked(item)
    if reply.delivery == Message.Delivery.AWAITING_APPROVAL or item.is_conversation:
        target = Status.WAITING
    else:
        target = Status.DONE
    if item.status != target and target in TRANSITIONS[item.status]:
        _set_status(item, target, by=by, summary=summary)
        items.sync_threads([item.thread_id])


def item_of_reply(thread: Thread, in_reply_to: Message | None) -> Item | None:
    """The item our reply answers: the message's, or the conversation's."""
    if in_reply_to is not None:
        return in_reply_to.item
    if thread.kind == Thread.Kind.CONVERSATION:
        return Item.objects.filter(thread=thread).first()
    return None


@transaction.atomic
def compose_reply(
    thread: Thread,
    text: str,
    *,
    by,
    in_reply_to: Message | None = None,
    sensitive: bool = False,
    template: ReplyTemplate | None = None,
) -> Message:
    """Record our reply as an outgoing message. It is queued for the platform (outbox) at once, or,
    when sensitive, once the communication officer approves it."""
    text = _publishable(text)
    if in_reply_to is not None and in_reply_to.thread_id != thread.pk:
        raise ActionError("Ce message n'appartient pas à ce fil.")
    sensitive = sensitive or bool(template and template.sensitive)
    item = item_of_reply(thread, in_reply_to)
    window = clocks.messenger_window(item, timezone.now())
    if window is not None and not window.open:
        raise ActionError(window.message)
    reply = Message.objects.create(
        thread=thread,
        item=item,
        channel=thread.channel,
        sent_by=by,
        kind=Message.Kind.REPLY,
        parent=in_reply_to,
        text=text,
        created_at=timezone.now(),
        delivery=Message.Delivery.AWAITING_APPROVAL if sensitive else Message.Delivery.PENDING,
    )
    if template is not None:
        ReplyTemplate.objects.filter(pk=template.pk).update(usage_count=F("usage_count") + 1)
    cited = Charter.cited_in(text)
    facts = {"message_id": reply.pk, "procedure_version": version_in_force()} | (
        {"charter_version": cited.version} if cited else {}
    )
    if sensitive:
        record(by, "thread.reply_awaiting_approval", thread, summary=text[:120], after=facts)
        telling.approval_requested(reply, by=by)
        _after_reply(item, reply, by=by, summary="réponse à approuver")
        return reply
    action = _queue_reply(reply, by=by, tag=window.tag if window else "")
    record(by, "thread.reply_queued", thread, summary=text[:120], after=facts | {"platform_action_id": action.pk})
    _after_reply(item, reply, by=by)
    return reply


def _publishable(text: str) -> str:
    """A reply is published as written: empty, or with a placeholder left in it ({prenom}…), it is refused."""
    text = text.strip()
    if not text:
        raise ActionError("La réponse est vide.")
    error = unfilled_error(text)
    if error:
        raise ActionError(error)
    return text


def _queue_reply(reply: Message, *, by, tag: str = "") -> PlatformAction:
    """The reply in the outbox; `tag` (HUMAN_AGENT) when Messenger's 24-hour window is already closed
    (the outbox checks the window again when it sends)."""
    action = PlatformAction.objects.create(
        channel=reply.channel,
        verb=PlatformAction.Verb.REPLY,
        target_message=reply.parent,
        reply_message=reply,
        requested_by=by,
        dedup_key=f"reply:{reply.pk}",
        result={"options": {"tag": tag}} if tag else {},
    )
    moderation_tasks.enqueue_after_commit(action.pk)
    return action


def _awaiting(reply: Message) -> Message:
    reply = Message.objects.select_for_update().get(pk=reply.pk)
    if reply.delivery != Message.Delivery.AWAITING_APPROVAL:
        raise ActionError("Cette réponse n'attend pas d'approbation.")
    return reply


@transaction.atomic
def approve_reply(reply: Message, *, by, text: str | None = None) -> Message:
    """The communication officer approves a sensitive reply (possibly reworded): it leaves now."""
    reply = _awaiting(reply)
    before = reply.text
    reply.text = _publishable(text if text is not None and text.strip() else reply.text)
    reply.delivery = Message.Delivery.PENDING
    reply.save(update_fields=["text", "delivery"])
    action = _queue_reply(reply, by=reply.sent_by)
    record(by, "thread.reply_approved", reply.thread, summary=reply.text[:120],
           before={"text": before}, after={"text": reply.text, "platform_action_id": action.pk})  # fmt: skip
    _after_reply(reply.item, reply, by=by, summary="réponse approuvée")
    telling.approval_decided(reply, by=by, approved=True)
    return reply


@transaction.atomic
def reject_reply(reply: Message, *, by, reason: str) -> Message:
    reply = _awaiting(reply)
    reply.delivery = Message.Delivery.REJECTED
    reply.save(update_fields=["delivery"])
    record(by, "thread.reply_rejected", reply.thread, summary=reason[:300], after={"message_id": reply.pk})
    telling.approval_decided(reply, by=by, approved=False, reason=reason)
    if reply.item_id and reply.item.status == Status.WAITING:  # someone has to answer again
        item = _locked(reply.item)
        _set_status(item, Status.IN_PROGRESS, by=by, summary="réponse refusée")
        items.sync_threads([item.thread_id])
    return reply


@transaction.atomic
def link_identities(authors, *, by) -> Person:
    """Declare that these platform identities are one person (history and repeat offences follow)."""
    authors = list(authors)
    if len(authors) < 2:
        raise ActionError("Choisissez au moins deux identités à lier.")
    person = next((a.person for a in authors if a.person_id), None)
    if person is None:
        person = Person.objects.create(name=authors[0].display_name or authors[0].external_id)
    for author in authors:
        if author.person_id != person.pk:
            before = author.person_id
            author.person = person
            author.save(update_fields=["person"])
            record(by, "author.linked", author, summary=f"Lié à {person.name}",
                   before={"person_id": before}, after={"person_id": person.pk})  # fmt: skip
    return person


MODERATION_VERBS = {
    "hide": "Masquer",
    "unhide": "Afficher",
    "delete": "Supprimer",
    "block": "Bloquer l'auteur",
    "unblock": "Débloquer l'auteur",
}
NEEDS_EVIDENCE = frozenset({"hide", "delete", "block"})
# what cannot be taken back on the platform waits this long in the outbox: the person may still cancel
UNDO_WINDOW = timedelta(seconds=10)
IRREVERSIBLE = frozenset({"delete", "block"})
DECIDES_THE_ITEM = frozenset({"hide", "delete"})


def capability_refusal(platform: str, verb: str) -> str:
    """Why the platform does not allow `verb` (and what to do instead), or "" when it does."""
    from vigie.connectors import registry

    capability = registry.capabilities(platform).get(verb)
    if capability is None or capability.allowed:
        return ""
    if not capability.nearest:
        return capability.reason
    return f"{capability.reason} Action possible : {MODERATION_VERBS.get(capability.nearest, capability.nearest)}."


def _moderation_refusal(message: Message, verb: str) -> str:
    if verb not in MODERATION_VERBS:
        return f"Action inconnue : {verb}"
    if not message.incoming or message.removed or message.deleted_on_platform:
        return "Ce message ne peut pas être modéré."
    author = message.author
    if verb == "block" and author is not None and author.blocked:
        return "Cet auteur est déjà bloqué."
    if verb == "unblock" and (author is None or not author.blocked):
        return "Cet auteur n'est pas bloqué."
    return capability_refusal(message.channel.platform, verb)


@transaction.atomic
def moderate(message: Message, verb: str, *, by, rule: str = "") -> PlatformAction:
    """Queue a moderation action on the platform; evidence is captured first (hide, delete, block).
    Delete and block wait UNDO_WINDOW in the outbox, so that a slip of the finger can be taken back."""
    refusal = _moderation_refusal(message, verb)
    if refusal:
        raise ActionError(refusal)
    waiting = message.platform_actions.filter(verb=verb, status__in=["pending", "running"]).first()
    if waiting is not None:
        return waiting
    evidence = evidence_capture(message, by=by, rule=rule) if verb in NEEDS_EVIDENCE else None
    delay = UNDO_WINDOW if verb in IRREVERSIBLE and by is not None else None
    item = Item.objects.filter(message=message).only("status").first()
    action = PlatformAction.objects.create(
        channel=message.channel,
        verb=verb,
        target_message=message,
        requested_by=by,
        requested_by_rule=rule,
        dedup_key=f"{verb}:{message.pk}:{uuid.uuid4().hex[:12]}",
        next_attempt_at=timezone.now() + delay if delay else None,
        result={"item_status_before": item.status} if item else {},
    )
    record(by, f"message.{verb}_queued", message, actor_label=rule, summary=MODERATION_VERBS[verb],
           after={"platform_action_id": action.pk, "evidence_id": evidence.pk if evidence else None,
                  "procedure_version": version_in_force()})  # fmt: skip
    moderation_tasks.enqueue_after_commit(action.pk, delay=int(delay.total_seconds()) if delay else 0)
    if verb in DECIDES_THE_ITEM:
        _decided_by_moderation(message, by=by, rule=rule)
    return action


def _decided_by_moderation(message: Message, *, by, rule: str) -> None:
    """Hiding or deleting a comment is the decision on it: its item is done."""
    item = Item.objects.select_for_update().filter(message=message, status__in=OPEN).first()
    if item is not None and not item.is_conversation:
        _set_status(item, Status.DONE, by=by, summary="modéré", rule=rule)
        items.sync_threads([item.thread_id])


@transaction.atomic
def capture_evidence(message: Message, *, by):
    """« Capturer une preuve »: the message as it is now, kept and sealed, without touching the platform
    (the procedure asks it before any action on an abusive message)."""
    if not message.incoming:
        raise ActionError("Seuls les messages reçus se capturent.")
    evidence = evidence_capture(message, by=by)
    record(by, "message.evidence_captured", message, summary=f"Preuve n° {evidence.pk}",
           after={"evidence_id": evidence.pk, "sha256": evidence.sha256})  # fmt: skip
    message.recommendations.filter(action="capture_evidence", status="proposed").update(
        status="done", note=f"preuve n° {evidence.pk}"
    )
    return evidence


@transaction.atomic
def cancel_moderation(action: PlatformAction, *, by) -> PlatformAction:
    """« Annuler »: an action not tried yet is dropped; the item goes back to where it was."""
    # no select_related: PostgreSQL refuses to lock the nullable side of an outer join
    action = PlatformAction.objects.select_for_update().get(pk=action.pk)
    if not action.cancellable:
        raise ActionError("Trop tard pour annuler : la plateforme a déjà été sollicitée.")
    action.status = PlatformAction.Status.CANCELLED
    action.cancelled_by = by
    action.save(update_fields=["status", "cancelled_by", "updated_at"])
    message = action.target_message
    record(by, "platform_action.cancelled", message or action, summary=f"{action.get_verb_display()} annulé",
           after={"platform_action_id": action.pk})  # fmt: skip
    before = (action.result or {}).get("item_status_before")
    if message is not None and action.verb in DECIDES_THE_ITEM and before:
        item = Item.objects.select_for_update().filter(message=message).first()
        if item is not None and item.status == Status.DONE and before != Status.DONE:
            target = before if before in TRANSITIONS[Status.DONE] else Status.IN_PROGRESS
            _set_status(item, target, by=by, summary="action annulée")
            items.sync_threads([item.thread_id])
    return action


@transaction.atomic
def correct_label(message: Message, label: str, *, by) -> Classification:
    """A moderator corrects the classifier; the correction is kept (and `vigie train` learns from it)."""
    _correct_label(message, label, by=by)
    return Classification.objects.get(message=message)


def _confirm_label(classification: Classification, by) -> bool:
    """A person checked the label and kept it: no longer « incertain », and `vigie train` learns it too."""
    if classification.corrected_at is not None:
        return False
    classification.corrected_by = by
    classification.corrected_at = timezone.now()
    classification.save(update_fields=["corrected_by", "corrected_at"])
    label = LABEL_NAMES[classification.effective_label]
    record(by, "message.label_confirmed", classification.message, summary=f"Étiquette confirmée : {label}",
           after={"label": classification.effective_label})  # fmt: skip
    return True


def _correct_label(message: Message, label: str, *, by) -> bool:
    classification = Classification.objects.select_for_update().filter(message=message).first()
    if classification is None:
        raise ActionError("Ce message n'a pas encore été classé.")
    if label not in dict(LABELS):
        raise ActionError(f"Étiquette inconnue : {label}")
    before = classification.effective_label
    if before == label:
        return _confirm_label(classification, by)
    classification.corrected_label = "" if label == classification.label else label
    classification.corrected_by = by
    classification.corrected_at = timezone.now()
    classification.save(update_fields=["corrected_label", "corrected_by", "corrected_at"])
    Item.objects.filter(message=message).update(label=label)
    items.set_deadlines({message.pk: label})
    record(by, "message.label_corrected", message, summary=f"{LABEL_NAMES[before]} → {LABEL_NAMES[label]}",
           before={"label": before}, after={"label": label})  # fmt: skip
    return True
