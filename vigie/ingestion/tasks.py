"""Background jobs. Jobs take ids; running one twice does the work once."""

from datetime import timedelta

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from vigie.ingestion import pipeline


@db_task(retries=3, retry_delay=5)
def process_raw_event(raw_event_id: int) -> None:
    """This event, and other pending ones with it (a batch is cheaper than its events one by one)."""
    pipeline.process_pending(first=raw_event_id)


def enqueue_after_commit(raw_event_ids: list[int]) -> None:
    """Queue processing once the raw events are committed (a job never sees a missing row)."""
    transaction.on_commit(lambda: [process_raw_event(pk) for pk in raw_event_ids])


@db_periodic_task(crontab(minute="*"))
def requeue_stale_raw_events() -> None:
    """Nothing is lost: events whose job vanished (worker killed mid-way) are queued again."""
    for pk in pipeline.stale_pending_ids():
        process_raw_event(pk)


def requeue_all_pending() -> int:
    """At worker start: whatever was pending is done."""
    ids = pipeline.stale_pending_ids(older_than=timedelta(0))
    for pk in ids:
        process_raw_event(pk)
    return len(ids)


def retry(raw_event_id: int) -> None:
    pipeline.reset_for_retry(raw_event_id)
    enqueue_after_commit([raw_event_id])
