"""The polling job's common part: a connected channel is polled, the pages are stored as raw events
and queued, the cursor kept; a failure is noted on the channel (an expired token asks to reconnect)."""

import logging
from collections.abc import Callable

from django.db import transaction

from vigie.connectors.base import ConnectorError
from vigie.ingestion import pipeline, tasks
from vigie.ingestion.models import Channel

log = logging.getLogger(__name__)


def poll_channel(channel_id: int, platform: str, poll, before_save: Callable[[Channel], None] | None = None):
    """Poll one channel of `platform` with `poll(channel) -> bodies`; returns the raw event ids."""
    channel = Channel.objects.get(pk=channel_id)
    if channel.status != Channel.Status.CONNECTED or channel.platform != platform:
        return []
    try:
        bodies = poll(channel)
    except ConnectorError as exc:
        log.warning("%s polling of channel %s failed: %s", platform, channel.pk, exc)
        status = Channel.Status.TO_RECONNECT if exc.reconnect else channel.status
        Channel.objects.filter(pk=channel.pk).update(status=status, last_error=str(exc))
        return []
    with transaction.atomic():
        ids = pipeline.store(bodies, source="poll", platform=platform, channel=channel)
        if before_save is not None:
            before_save(channel)
        channel.save(update_fields=["poll_cursor", "last_error"])
        tasks.enqueue_after_commit(ids)
    return ids
