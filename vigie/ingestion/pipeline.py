"""Raw events in, inbox rows out. Storing comes first; processing may run again harmlessly."""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Q, When
from django.utils import timezone

from vigie.connectors.base import NormalizedMessage, ParseError
from vigie.connectors.registry import parser_for
from vigie.inbox import actions
from vigie.ingestion.models import Channel, RawEvent
from vigie.policy import service as policy
from vigie.triage import service as triage

log = logging.getLogger(__name__)

BATCH_SIZE = 50  # events a worker's job claims at once
CLAIM_SECONDS = 30  # after which another worker may take a claimed event (its worker died)


def sha256(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def store(
    bodies: list[str], *, source: str, platform: str = "", channel: Channel | None = None, error: str = ""
) -> list[int]:
    """Store raw events (the same body from the same source only once); their ids, in input order.

    One statement: new bodies are inserted, known ones left as they are (`error` makes new rows failed).
    """
    cleaned = [body.replace("\x00", "\\u0000") for body in bodies]  # PostgreSQL text cannot hold NUL
    digests = [sha256(body) for body in cleaned]
    by_digest = dict(zip(digests, cleaned, strict=True))  # the same body twice in one call is one row
    status = RawEvent.Status.FAILED if error else RawEvent.Status.PENDING
    processed_at = timezone.now() if error else None
    rows = RawEvent.objects.bulk_create(
        [
            RawEvent(source=source, platform=platform, channel=channel, body=body, body_sha256=digest,
                     status=status, error=error, processed_at=processed_at)
            for digest, body in by_digest.items()
        ],
        update_conflicts=True,  # a known body changes nothing but still gives its id back
        unique_fields=["source", "body_sha256"],
        update_fields=["source"],
        batch_size=500,
    )  # fmt: skip
    ids = {row.body_sha256: row.pk for row in rows}
    return [ids[digest] for digest in digests]


def process(raw_event_id: int) -> RawEvent:
    """Turn one raw event into inbox rows. Done events are left alone; a failure is recorded."""
    return process_batch([raw_event_id])[0]


def process_pending(first: int | None = None) -> list[RawEvent]:
    """What a worker's job does: claim a batch of pending events (`first` among them) and process it."""
    return process_batch(claim(first))


def claim(first: int | None = None, limit: int = BATCH_SIZE) -> list[int]:
    """Pending events for this worker, oldest first, claimed for a while so that other workers take
    others. A claim is only a hint: processing itself locks each event and does it once."""
    now = timezone.now()
    free = Q(status=RawEvent.Status.PENDING) & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    wanted = free | Q(pk=first, status=RawEvent.Status.PENDING) if first is not None else free
    with transaction.atomic():
        ids = list(
            RawEvent.objects.select_for_update(skip_locked=True)
            .filter(wanted)
            .order_by(Case(When(pk=first, then=0), default=1), "id")
            .values_list("id", flat=True)[:limit]
        )
        RawEvent.objects.filter(pk__in=ids).update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    return ids


def process_batch(raw_event_ids: list[int]) -> list[RawEvent]:
    """Process events one transaction each, in order; the batch shares the classifier's work and
    the procedure's settings."""
    raws = RawEvent.objects.in_bulk(raw_event_ids)
    parsed = {pk: _parse(raw) for pk, raw in raws.items() if raw.status != RawEvent.Status.DONE}
    batch = triage.Triage()
    batch.prepare(message for messages in parsed.values() if isinstance(messages, list) for message in messages)
    procedure = policy.Procedure.load()
    return [_process_one(pk, parsed.get(pk, []), batch, procedure) for pk in raw_event_ids if pk in raws]


def _parse(raw: RawEvent) -> list[NormalizedMessage] | ParseError:
    try:
        return list(parser_for(raw.source, raw.platform)(raw.body))
    except ParseError as exc:
        return exc


def _process_one(
    raw_event_id: int, messages: list[NormalizedMessage] | ParseError, batch: "triage.Triage", procedure
) -> RawEvent:
    if isinstance(messages, ParseError):
        return _mark_failed(raw_event_id, str(messages))
    try:
        with transaction.atomic():
            raw = RawEvent.objects.select_for_update().get(pk=raw_event_id)
            if raw.status == RawEvent.Status.DONE:
                return raw
            for message in messages:
                stored = actions.ingest(message, raw)
                policy.apply(stored, batch.triage(stored), procedure)
            raw.status = RawEvent.Status.DONE
            raw.attempts += 1
            raw.error = ""
            raw.processed_at = timezone.now()
            raw.save(update_fields=["status", "attempts", "error", "processed_at"])
            return raw
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
