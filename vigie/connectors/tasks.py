"""Polling every connected channel: the platforms keep no replay, so polling backfills what webhooks
missed and is the only way in for YouTube (and LinkedIn without webhooks)."""

import logging
from importlib import import_module

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from vigie.ingestion.models import Channel

log = logging.getLogger(__name__)


@db_task()
def poll_channel(channel_id: int) -> None:
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        return
    module = import_module(f"vigie.connectors.{channel.platform}.connector")
    module.poll_channel(channel_id)


@db_periodic_task(crontab(minute="*"))
def poll_connected_channels() -> None:
    for channel_id in Channel.objects.filter(status=Channel.Status.CONNECTED).values_list("pk", flat=True):
        poll_channel(channel_id)
