"""Our replies: composed, approved or rejected, queued in the outbox; answering decides the item."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from vigie.audit.record import record
from vigie.inbox import clocks, items, telling
from vigie.inbox.actions.desk import change_status, lock, move_status
from vigie.inbox.errors import ActionError
from vigie.inbox.models import Item, Message, Thread
from vigie.inbox.status import TRANSITIONS, Status
from vigie.moderation import tasks as moderation_tasks
from vigie.moderation.models import PlatformAction
from vigie.procedure.service import version_in_force
from vigie.replies.models import Charter, ReplyTemplate
from vigie.replies.render import unfilled_error


def decide_after_reply(item: Item | None, reply: Message, *, by, summary: str = "réponse envoyée") -> None:
    """Answering decides the item: a comment is done; a conversation waits for the person's answer;
    a reply waiting for approval keeps it waiting. Escalated items stay with whoever has them."""
    if item is None or item.status == Status.ESCALATED:
        return
    item = lock(item)
    if reply.delivery == Message.Delivery.AWAITING_APPROVAL or item.is_conversation:
        target = Status.WAITING
    else:
        target = Status.DONE
    if item.status != target and target in TRANSITIONS[item.status]:
        move_status(item, target, by=by, summary=summary)
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
        decide_after_reply(item, reply, by=by, summary="réponse à approuver")
        return reply
    action = _queue_reply(reply, by=by, tag=window.tag if window else "")
    record(by, "thread.reply_queued", thread, summary=text[:120], after=facts | {"platform_action_id": action.pk})
    decide_after_reply(item, reply, by=by)
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
    """The communication officer approves a sensitive reply (possibly reworded): it leaves now, unless
    Messenger's window shut while it waited (Facebook would refuse it: it stays to be refused)."""
    reply = _awaiting(reply)
    window = clocks.messenger_window(reply.item, timezone.now())
    if window is not None and not window.open:
        raise ActionError(window.message)
    before = reply.text
    reply.text = _publishable(text if text is not None and text.strip() else reply.text)
    reply.delivery = Message.Delivery.PENDING
    reply.save(update_fields=["text", "delivery"])
    action = _queue_reply(reply, by=reply.sent_by)
    record(by, "thread.reply_approved", reply.thread, summary=reply.text[:120],
           before={"text": before}, after={"text": reply.text, "platform_action_id": action.pk})  # fmt: skip
    decide_after_reply(reply.item, reply, by=by, summary="réponse approuvée")
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
        item = lock(reply.item)
        move_status(item, Status.IN_PROGRESS, by=by, summary="réponse refusée")
        items.sync_threads([item.thread_id])
    return reply


# What the outbox's outcomes mean for our replies (inbox/receivers.py, inside the outbox's transaction).


def messenger_refusal(action: PlatformAction) -> str:
    """A Messenger reply that waited in the outbox past the person's 24-hour window: it leaves tagged
    HUMAN_AGENT when the app may (7 days), or is refused with the reason, before Facebook refuses it."""
    reply = action.reply_message
    if action.verb != PlatformAction.Verb.REPLY or reply is None:
        return ""
    window = clocks.messenger_window(reply.item, timezone.now())
    if window is None:
        return ""
    if not window.open:  # an earlier attempt may have gone through: find_done will tell
        return "" if action.resumed else window.message
    action.set_option("tag", window.tag)  # a new message from the person may have made it free again
    return ""


def reply_sent(action: PlatformAction) -> None:
    """Our reply is on the platform, under the id it was given there: it answers the person's messages."""
    if action.reply_message_id is None:
        return
    Message.objects.filter(pk=action.reply_message_id).update(
        delivery=Message.Delivery.SENT, external_id=action.platform_result_id or None
    )
    items.answered(action.reply_message.item_id, timezone.now())


def reply_failed(action: PlatformAction, *, refused: bool) -> None:
    """Our reply did not leave; refused before it left (Messenger's window), the person was not answered:
    their conversation comes back to « En cours » (audited)."""
    if action.reply_message_id is None:
        return
    Message.objects.filter(pk=action.reply_message_id).update(delivery=Message.Delivery.FAILED)
    item = action.reply_message.item if refused else None
    if item is not None and item.status == Status.WAITING:
        change_status(item, Status.IN_PROGRESS, by=None)


def reply_requeued(action: PlatformAction) -> None:
    """An admin's « Relancer »: our reply waits for the outbox again."""
    if action.reply_message_id is not None:
        Message.objects.filter(pk=action.reply_message_id).update(delivery=Message.Delivery.PENDING)
