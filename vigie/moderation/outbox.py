"""The outbox's executor: each PlatformAction is done on its platform exactly once.

An attempt first claims the row (status running, a lease, attempts + 1) in its own transaction, then
calls the platform outside any transaction, then records the outcome. If the worker dies between the
platform call and the record, the lease expires, the row is claimed again, and the connector is asked
`find_done` (is the reply already on the platform?) before anything is sent a second time.

What an outcome means for other apps (a reply sent, a message hidden, a ticket created) is theirs to
record: they listen to the signals of moderation/signals.py, sent inside the outcome's transaction.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vigie.audit.record import record
from vigie.connectors import registry
from vigie.connectors.base import ActionRequest, ActionResult
from vigie.ingestion.models import Channel
from vigie.lib.http import ConnectorError, RetryLater
from vigie.moderation.models import PlatformAction
from vigie.moderation.signals import action_done, action_failed, action_retried, action_starting

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
    refusal = _refusal(action)
    if refusal:
        return _fail(action, refusal, refused=True)
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


def _refusal(action: PlatformAction) -> str:
    """Why another app will not let the action leave now (the inbox: a Messenger reply past the
    person's window), or "". A receiver may also adjust the action's options (the HUMAN_AGENT tag)."""
    reasons = (reason for _receiver, reason in action_starting.send(PlatformAction, action=action))
    return next((reason for reason in reasons if reason), "")


@transaction.atomic
def _complete(action: PlatformAction, result: ActionResult) -> PlatformAction:
    action.status = PlatformAction.Status.DONE
    action.platform_result_id = result.platform_id
    action.result = {**(action.result or {}), "details": result.details}
    action.error = ""
    action.lease_until = None
    action.save()
    record(None, "platform_action.done", action, summary=f"{action.get_verb_display()} fait sur la plateforme",
           after={"platform_id": result.platform_id})  # fmt: skip
    action_done.send(PlatformAction, action=action)
    return action


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
def _fail(action: PlatformAction, error: str, *, reconnect: bool = False, refused: bool = False) -> PlatformAction:
    action.status = PlatformAction.Status.FAILED
    action.error = error
    action.lease_until = None
    action.save()
    if reconnect:
        Channel.objects.filter(pk=action.channel_id).update(status=Channel.Status.TO_RECONNECT, last_error=error)
    record(None, "platform_action.failed", action, summary=error[:300])
    action_failed.send(PlatformAction, action=action, refused=refused)
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
    record(by, "platform_action.retried", action, summary=action.error[:300])
    action_retried.send(PlatformAction, action=action)
    return action
