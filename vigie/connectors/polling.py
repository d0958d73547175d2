"""The polling job's common part: a connected channel is polled, the pages are stored as raw events
and queued, the cursor kept; a failure is noted on the channel (an expired token asks to reconnect);
a platform that says "later" pauses the channel's polling until then (`retry_at` in the cursor)."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from vigie.ingestion import raw_events
from vigie.ingestion.models import Channel
from vigie.lib.http import ConnectorError, RetryLater

log = logging.getLogger(__name__)


def poll_channel(channel_id: int, platform: str, poll, before_save: Callable[[Channel], None] | None = None):
    """Poll one channel of `platform` with `poll(channel) -> bodies`; returns the raw event ids."""
    channel = Channel.objects.get(pk=channel_id)
    if channel.status != Channel.Status.CONNECTED or channel.platform != platform or paused(channel.poll_cursor):
        return []
    try:
        bodies = poll(channel)
    except RetryLater as exc:
        log.warning("%s polling of channel %s paused: %s", platform, channel.pk, exc)
        cursor = pause(channel.poll_cursor, exc)
        Channel.objects.filter(pk=channel.pk).update(poll_cursor=cursor, last_error=str(exc))
        return []
    except ConnectorError as exc:
        log.warning("%s polling of channel %s failed: %s", platform, channel.pk, exc)
        status = Channel.Status.TO_RECONNECT if exc.reconnect else channel.status
        Channel.objects.filter(pk=channel.pk).update(status=status, last_error=str(exc))
        return []
    with transaction.atomic():
        ids = raw_events.store(bodies, source="poll", platform=platform, channel=channel)
        if before_save is not None:
            before_save(channel)
        fields = ["poll_cursor", "last_error"]
        if bodies:
            channel.last_event_at = timezone.now()
            fields.append("last_event_at")
        channel.save(update_fields=fields)
        raw_events.enqueue_after_commit(ids)
    return ids


def paused(cursor: dict | None) -> bool:
    """Whether the platform asked us to wait and the time has not come."""
    retry_at = (cursor or {}).get("retry_at")
    return bool(retry_at) and datetime.fromisoformat(retry_at) > timezone.now()


def pause(cursor: dict | None, exc: RetryLater) -> dict:
    """The cursor, with polling paused for as long as the platform said."""
    return dict(cursor or {}) | {"retry_at": (timezone.now() + timedelta(seconds=exc.retry_after)).isoformat()}
