"""Polling every connected channel: the platforms keep no replay, so polling backfills what webhooks
missed and is the only way in for YouTube (and LinkedIn without webhooks)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from vigie.connectors import registry
from vigie.ingestion.models import Channel

log = logging.getLogger(__name__)


@db_task()
def poll_channel(channel_id: int) -> None:
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        return
    poll = registry.poller_for(channel.platform)
    if poll is None:
        log.warning("aucune collecte pour la plateforme %s (canal %s)", channel.platform, channel_id)
        return
    poll(channel_id)


@db_periodic_task(crontab(minute="*"))
def poll_connected_channels() -> None:
    for channel_id in Channel.objects.filter(status=Channel.Status.CONNECTED).values_list("pk", flat=True):
        poll_channel(channel_id)
