"""Ticket statuses back from Freshdesk: a webhook names a ticket (refreshed by a job), and every minute
a poll reads the tickets updated since the last poll. Whichever comes first applies the status; the
other finds nothing to change."""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from huey.contrib.djhuey import db_task

from vigie.connectors import polling, registry
from vigie.connectors.freshdesk.connector import client_for
from vigie.helpdesk import service
from vigie.helpdesk.models import HelpdeskTicket
from vigie.ingestion.models import Channel
from vigie.lib.http import ConnectorError, RetryLater

log = logging.getLogger(__name__)

FIRST_LOOKBACK = timedelta(days=1)


def _unresolved(channel: Channel):
    return HelpdeskTicket.objects.filter(channel=channel, freshdesk_id__isnull=False).exclude(
        status__in=[HelpdeskTicket.Status.RESOLVED, HelpdeskTicket.Status.CLOSED]
    )


def _since(channel: Channel) -> datetime:
    kept = (channel.poll_cursor or {}).get("updated_since")
    return datetime.fromisoformat(kept) if kept else timezone.now() - FIRST_LOOKBACK


def _parse_time(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None


@registry.poller(service.PLATFORM)
def poll(channel_id: int) -> int:
    """Apply the statuses of tickets updated since the last poll; returns how many changed. The per-minute
    polling job finds it in the connectors' registry (vigie/connectors/tasks.py)."""
    channel = Channel.objects.filter(pk=channel_id, platform=service.PLATFORM).first()
    if channel is None or channel.status != Channel.Status.CONNECTED or polling.paused(channel.poll_cursor):
        return 0
    if not _unresolved(channel).exists():
        return 0  # nothing to follow: no call spent
    started, since, changed = timezone.now(), _since(channel), 0
    try:
        for ticket in client_for(channel).tickets_updated_since(since):
            changed += service.apply_status(channel, int(ticket["id"]), int(ticket.get("status", 0)), source="relevé")
    except RetryLater as exc:
        _note_failure(channel, str(exc), cursor=polling.pause(channel.poll_cursor, exc))
        return changed
    except ConnectorError as exc:
        _note_failure(channel, str(exc), reconnect=exc.reconnect)
        return changed
    cursor = dict(channel.poll_cursor or {}) | {"updated_since": (started - timedelta(seconds=1)).isoformat()}
    cursor.pop("retry_at", None)
    Channel.objects.filter(pk=channel.pk).update(poll_cursor=cursor, last_error="", last_event_at=timezone.now())
    return changed


def _note_failure(channel: Channel, error: str, *, cursor: dict | None = None, reconnect: bool = False) -> None:
    log.warning("Freshdesk poll of channel %s: %s", channel.pk, error)
    fields = {"last_error": error}
    if cursor is not None:
        fields["poll_cursor"] = cursor
    if reconnect:
        fields["status"] = Channel.Status.TO_RECONNECT
    Channel.objects.filter(pk=channel.pk).update(**fields)


@db_task()
def refresh_ticket(channel_id: int, freshdesk_id: int) -> None:
    """A webhook named this ticket: read its status from Freshdesk (the webhook's body is not trusted)."""
    channel = Channel.objects.filter(pk=channel_id, status=Channel.Status.CONNECTED).first()
    if channel is None or not HelpdeskTicket.objects.filter(channel=channel, freshdesk_id=freshdesk_id).exists():
        return
    try:
        ticket = client_for(channel).ticket(freshdesk_id)
    except ConnectorError as exc:  # the poll catches up
        log.warning("Freshdesk ticket %s not read after its webhook: %s", freshdesk_id, exc)
        return
    service.apply_status(channel, freshdesk_id, int(ticket.get("status", 0)), source="webhook")


def refresh_after_commit(channel_id: int, freshdesk_id: int) -> None:
    transaction.on_commit(lambda: refresh_ticket(channel_id, freshdesk_id))
