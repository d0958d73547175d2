"""Raw events in, inbox rows out. Storing comes first; processing may run again harmlessly."""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vigie.connectors.base import ParseError
from vigie.connectors.registry import parser_for
from vigie.inbox import actions
from vigie.ingestion.models import Channel, RawEvent
from vigie.policy import service as policy
from vigie.triage import service as triage

log = logging.getLogger(__name__)


def sha256(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def store(bodies: list[str], *, source: str, platform: str = "", channel: Channel | None = None) -> list[int]:
    """Store raw events (the same body from the same source only once); their ids, in input order."""
    bodies = [body.replace("\x00", "\\u0000") for body in bodies]  # PostgreSQL text cannot hold NUL
    digests = [sha256(body) for body in bodies]
    RawEvent.objects.bulk_create(
        [
            RawEvent(source=source, platform=platform, channel=channel, body=body, body_sha256=digest)
            for body, digest in zip(bodies, digests, strict=True)
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    ids_by_digest = {}
    for start in range(0, len(digests), 500):
        chunk = digests[start : start + 500]
        ids_by_digest.update(
            RawEvent.objects.filter(source=source, body_sha256__in=chunk).values_list("body_sha256", "id")
        )
    return [ids_by_digest[digest] for digest in digests]


def process(raw_event_id: int) -> RawEvent:
    """Turn one raw event into inbox rows. Done events are left alone; a failure is recorded."""
    try:
        with transaction.atomic():
            raw = RawEvent.objects.select_for_update().get(pk=raw_event_id)
            if raw.status == RawEvent.Status.DONE:
                return raw
            for message in parser_for(raw.source, raw.platform)(raw.body):
                stored = actions.ingest(message, raw)
                policy.apply(stored, triage.triage(stored))
            raw.status = RawEvent.Status.DONE
            raw.attempts += 1
            raw.error = ""
            raw.processed_at = timezone.now()
            raw.save(update_fields=["status", "attempts", "error", "processed_at"])
            return raw
    except ParseError as exc:
        return _mark_failed(raw_event_id, str(exc))
    except Exception as exc:
        log.exception("raw event %s failed", raw_event_id)
        return _mark_failed(raw_event_id, f"{type(exc).__name__}: {exc}")


def _mark_failed(raw_event_id: int, error: str) -> RawEvent:
    with transaction.atomic():
        raw = RawEvent.objects.select_for_update().get(pk=raw_event_id)
        raw.status = RawEvent.Status.FAILED
        raw.attempts += 1
        raw.error = error
        raw.processed_at = timezone.now()
        raw.save(update_fields=["status", "attempts", "error", "processed_at"])
    return raw


def stale_pending_ids(older_than: timedelta | None = None) -> list[int]:
    """Raw events still pending after a while: their job was lost (worker killed, queue wiped)."""
    if older_than is None:
        older_than = timedelta(seconds=settings.INGESTION_REQUEUE_AFTER_SECONDS)
    limit = timezone.now() - older_than
    return list(
        RawEvent.objects.filter(status=RawEvent.Status.PENDING, received_at__lte=limit)
        .order_by("id")
        .values_list("id", flat=True)[:5000]
    )


def reset_for_retry(raw_event_id: int) -> None:
    RawEvent.objects.filter(pk=raw_event_id, status=RawEvent.Status.FAILED).update(
        status=RawEvent.Status.PENDING, error=""
    )
