"""The outbox's executor: each PlatformAction is done on its platform exactly once.

An attempt first claims the row (status running, a lease, attempts + 1) in its own transaction, then
calls the platform outside any transaction, then records the outcome. If the worker dies between the
platform call and the record, the lease expires, the row is claimed again, and the connector is asked
`find_done` (is the reply already on the platform?) before anything is sent a second time.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vigie.audit.record import record
from vigie.connectors import registry
from vigie.connectors.base import ActionRequest, ActionResult
from vigie.inbox import clocks, items
from vigie.inbox.models import Author, Message
from vigie.inbox.status import Status
from vigie.ingestion.models import Channel
from vigie.lib.http import ConnectorError, RetryLater
from vigie.moderation.models import PlatformAction
from vigie.moderation.signals import action_done, action_failed

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
BACKOFF_CAP = timedelta(hours=1)


def due_ids(limit: int = 500) -> list[int]:
    """Pending actions whose time has come, and running ones whose worker vanished."""
    now = timezone.now()
    return list(
        PlatformAction.objects.filter(
            Q(status=PlatformAction.Status.PENDING, next_attempt_at__isnull=True)
            | Q(status=PlatformAction.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=PlatformAction.Status.RUNNING, lease_until__lte=now)
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def channel_can_act(channel: Channel) -> bool:
    return channel.status == Channel.Status.CONNECTED and channel.platform in registry.CONNECTORS


def _claim(action_id: int) -> PlatformAction | None:
    now = timezone.now()
    with transaction.atomic():
        action = PlatformAction.objects.select_for_update().select_related("channel").filter(pk=action_id).first()
        if action is None or not channel_can_act(action.channel):
            return None  # the action waits, visible in the outbox, until the channel is connected
        due = action.next_attempt_at is None or action.next_attempt_at <= now
        claimable = (action.status == PlatformAction.Status.PENDING and due) or (
            action.status == PlatformAction.Status.RUNNING and action.lease_until and action.lease_until <= now
        )
        if not claimable:
            return None
        action.resumed = action.first_attempt_at is not None  # an earlier attempt may have reached the platform
        action.status = PlatformAction.Status.RUNNING
        action.attempts += 1
        action.lease_until = now + LEASE
        action.first_attempt_at = action.first_attempt_at or now
        action.save(update_fields=["status", "attempts", "lease_until", "first_attempt_at", "updated_at"])
        return action


def request_for(action: PlatformAction) -> ActionRequest:
    target = action.target_message
    reply = action.reply_message
    thread = (reply or target).thread if (reply or target) else None
    options = action.result.get("options", {}) if isinstance(action.result, dict) else {}
    return ActionRequest(
        verb=action.verb,
        channel_external_id=action.channel.external_id,
        target_external_id=(target.external_id or "") if target else "",
        thread_external_id=thread.external_id if thread else "",
        author_external_id=target.author.external_id if target and target.author else "",
        target_parent_external_id=target.known_parent_external_id() if target else None,
        text=reply.text if reply else options.get("text", ""),  # a new post carries its own text
        dedup_key=action.dedup_key,
        started_at=action.first_attempt_at,
        options=options,
    )


def run(action_id: int) -> PlatformAction | None:
    """One attempt at one action. Returns the action as recorded, or None if it was not due."""
    action = _claim(action_id)
    if action is None:
        return None
    refusal = _outside_messenger_window(action)
    if refusal:
        failed = _fail(action, refusal)
        _back_to_the_desk(action.reply_message.item)
        return failed
    request = request_for(action)
    connector = registry.connector_for(action.channel.platform)
    try:
        result = connector.find_done(action.channel, request) if action.resumed else None
        if result is None:
            result = connector.execute(action.channel, request)
    except RetryLater as exc:
        return _retry(action, str(exc), timedelta(seconds=exc.retry_after))
    except ConnectorError as exc:
        if exc.permanent:
            return _fail(action, str(exc), reconnect=exc.reconnect)
        return _retry(action, str(exc), None)
    return _complete(action, result)


def _outside_messenger_window(action: PlatformAction) -> str:
    """A Messenger reply that waited in the outbox past the person's 24-hour window: it leaves tagged
    HUMAN_AGENT when the app may (7 days), or fails here with the reason, before Facebook refuses it."""
    reply = action.reply_message
    if action.verb != PlatformAction.Verb.REPLY or reply is None:
        return ""
    window = clocks.messenger_window(reply.item, timezone.now())
    if window is None:
        return ""
    if not window.open:  # an earlier attempt may have gone through: find_done will tell
        return "" if action.resumed else window.message
    options = (action.result or {}).get("options", {})
    if options.get("tag", "") != window.tag:
        action.result = {**(action.result or {}), "options": {**options, "tag": window.tag}}
        action.save(update_fields=["result", "updated_at"])
    return ""


def _back_to_the_desk(item) -> None:
    """The person was not answered: their conversation comes back to « En cours » (audited)."""
    from vigie.inbox import actions  # the actions layer queues into this outbox: imported when needed

    if item is not None and item.status == Status.WAITING:
        actions.change_status(item, Status.IN_PROGRESS, by=None)


@transaction.atomic
def _complete(action: PlatformAction, result: ActionResult) -> PlatformAction:
    action.status = PlatformAction.Status.DONE
    action.platform_result_id = result.platform_id
    action.result = {**(action.result or {}), "details": result.details}
    action.error = ""
    action.lease_until = None
    action.save()
    if action.reply_message_id:
        Message.objects.filter(pk=action.reply_message_id).update(
            delivery=Message.Delivery.SENT, external_id=result.platform_id or None
        )
        items.answered(action.reply_message.item_id, timezone.now())
    _apply_platform_state(action)
    record(None, "platform_action.done", action, summary=f"{action.get_verb_display()} fait sur la plateforme",
           after={"platform_id": result.platform_id})  # fmt: skip
    action_done.send(PlatformAction, action=action)
    return action


PLATFORM_STATE = {
    PlatformAction.Verb.HIDE: {"hidden_on_platform": True},
    PlatformAction.Verb.UNHIDE: {"hidden_on_platform": False},
    PlatformAction.Verb.DELETE: {"deleted_on_platform": True},
}


AUTHOR_STATE = {
    PlatformAction.Verb.BLOCK: {"blocked": True},
    PlatformAction.Verb.UNBLOCK: {"blocked": False},
}


def _apply_platform_state(action: PlatformAction) -> None:
    """What the platform now shows, mirrored on the message or its author."""
    target = action.target_message
    if target is None:
        return
    if action.verb in PLATFORM_STATE:
        Message.objects.filter(pk=target.pk).update(**PLATFORM_STATE[action.verb])
    elif action.verb in AUTHOR_STATE and target.author_id:
        Author.objects.filter(pk=target.author_id).update(**AUTHOR_STATE[action.verb])


def _backoff(attempts: int) -> timedelta:
    return min(BACKOFF_CAP, timedelta(seconds=15 * 2 ** (attempts - 1)))


@transaction.atomic
def _retry(action: PlatformAction, error: str, wait: timedelta | None) -> PlatformAction:
    if action.attempts >= MAX_ATTEMPTS:
        return _fail(action, f"{error} (abandon après {action.attempts} essais)")
    action.status = PlatformAction.Status.PENDING
    action.error = error
    action.lease_until = None
    action.next_attempt_at = timezone.now() + max(wait or timedelta(0), _backoff(action.attempts))
    action.save()
    return action


@transaction.atomic
def _fail(action: PlatformAction, error: str, *, reconnect: bool = False) -> PlatformAction:
    action.status = PlatformAction.Status.FAILED
    action.error = error
    action.lease_until = None
    action.save()
    if action.reply_message_id:
        Message.objects.filter(pk=action.reply_message_id).update(delivery=Message.Delivery.FAILED)
    if reconnect:
        Channel.objects.filter(pk=action.channel_id).update(status=Channel.Status.TO_RECONNECT, last_error=error)
    record(None, "platform_action.failed", action, summary=error[:300])
    action_failed.send(PlatformAction, action=action)
    return action


@transaction.atomic
def retry_failed(action: PlatformAction, *, by) -> PlatformAction:
    """An admin's "Relancer": the action starts over (its earlier attempts stay in the audit log)."""
    action = PlatformAction.objects.select_for_update().get(pk=action.pk)
    if action.status != PlatformAction.Status.FAILED:
        return action
    action.status = PlatformAction.Status.PENDING
    action.attempts = 0
    action.next_attempt_at = None
    action.save()
    if action.reply_message_id:
        Message.objects.filter(pk=action.reply_message_id).update(delivery=Message.Delivery.PENDING)
    record(by, "platform_action.retried", action, summary=action.error[:300])
    return action
