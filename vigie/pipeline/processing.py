"""Raw events in, inbox rows out: parse → ingest → triage → policy → crisis. The raw events were stored
first (vigie/ingestion/raw_events.py); processing may run again harmlessly.

This app sits above the apps it drives (connectors' parsers, the inbox, triage, policy, crisis): none
of them imports it; those that store raw events hand them over through `raw_events`, for which this app
is the registered processor (apps.py)."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone

from vigie.connectors.base import NormalizedMessage, ParseError
from vigie.connectors.registry import parser_for
from vigie.crisis import service as crisis
from vigie.inbox import actions, bulk, items
from vigie.ingestion import raw_events
from vigie.ingestion.models import RawEvent
from vigie.policy import service as policy
from vigie.triage import service as triage

log = logging.getLogger(__name__)

# Events a worker's job claims at once. On SQLite its transaction holds the only write lock, which the
# people acting in the interface also need, so batches stay short (deliveries go to the journal meanwhile:
# ingestion/journal.py); on PostgreSQL nobody waits for it, and a batch's fixed cost
# (about 35 statements and their Python) is shared by more events: 0.9 ms of CPU per event instead of 1.6
# (docs/benchmarks.md).
BATCH_SIZE = 50
BATCH_SIZE_POSTGRESQL = 200
INGESTION_LOCK = 0x76696769  # the PostgreSQL advisory lock ingesting transactions take turns on
CLAIM_SECONDS = 30  # after which another worker may take a claimed event (its worker died)
MAX_ATTEMPTS = 5  # an event that fails unexpectedly this many times is failed for good
FIRST_RETRY_SECONDS = 60  # then twice as long after each failed attempt
LONGEST_WAIT_SECONDS = 3600


def process(raw_event_id: int) -> RawEvent:
    """Turn one raw event into inbox rows. Done events are left alone; a failure is recorded."""
    return process_batch([raw_event_id])[0]


def batch_size() -> int:
    return BATCH_SIZE_POSTGRESQL if connection.vendor == "postgresql" else BATCH_SIZE


def process_pending(first: int | None = None) -> list[RawEvent]:
    """What a worker's job does: claim a batch of pending events (`first` among them) and process it."""
    return process_batch(claim(first))


def _due(now) -> Q:
    """Pending events not waiting before a new attempt."""
    return Q(status=RawEvent.Status.PENDING) & (Q(retry_after__isnull=True) | Q(retry_after__lte=now))


def claim(first: int | None = None, limit: int | None = None) -> list[int]:
    """Pending events for this worker, oldest first, claimed for a while so that other workers take
    others. A claim is only a hint: processing itself locks each event and does it once. Events
    waiting before a new attempt are left alone, even the job's own. Deliveries waiting in the journal
    (SQLite) become raw events first."""
    raw_events.take_journal()
    now = timezone.now()
    free = _due(now) & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    wanted = free | (_due(now) & Q(pk=first)) if first is not None else free
    if not RawEvent.objects.filter(wanted).exists():  # a read: no write lock taken (SQLite) when idle
        return []
    with transaction.atomic():
        ids = list(
            RawEvent.objects.select_for_update(skip_locked=True)
            .filter(wanted)
            .order_by(Case(When(pk=first, then=0), default=1), "id")
            .values_list("id", flat=True)[: limit or batch_size()]
        )
        RawEvent.objects.filter(pk__in=ids).update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    return ids


def process_batch(raw_event_ids: list[int]) -> list[RawEvent]:
    """Process events: those that only bring new messages together, in bulk; the others (edits,
    removals, failures) one transaction each, in order. The batch shares the classifier's work and
    the procedure's settings."""
    raws = RawEvent.objects.in_bulk(raw_event_ids)
    parsed = {pk: _parse(raw) for pk, raw in raws.items() if raw.status != RawEvent.Status.DONE}
    batch = _prepared_triage(parsed)
    procedure = policy.Procedure.load()
    ids = [pk for pk in raw_event_ids if pk in raws]
    in_bulk = _process_new(ids, parsed, batch, procedure)
    for pk in ids:
        if pk not in in_bulk:
            _process_one(pk, parsed.get(pk, []), batch, procedure)
    outcome = RawEvent.objects.in_bulk(ids)
    return [outcome[pk] for pk in ids]


def _prepared_triage(parsed: dict) -> "triage.Triage":
    """The batch's texts classified together; should that fail, each event classifies its own (and a
    failure is then its own)."""
    batch = triage.Triage()
    try:
        batch.prepare(message for messages in parsed.values() if isinstance(messages, list) for message in messages)
    except Exception:
        log.exception("classifying a batch at once failed: its events are classified one by one")
    return batch


def _process_new(ids: list[int], parsed: dict, batch: "triage.Triage", procedure) -> set[int]:
    """The events that only bring new messages, in bulk and one transaction; their ids. Should anything
    go wrong, nothing of it stays and each event goes the one-by-one way (which records its failure)."""
    readable = [pk for pk in ids if isinstance(parsed.get(pk), list)]
    try:
        with transaction.atomic():
            _one_ingester_at_a_time()
            locked = RawEvent.objects.select_for_update().filter(pk__in=readable).exclude(status=RawEvent.Status.DONE)
            pending = set(locked.values_list("pk", flat=True))
            plain = bulk.plain_new(
                {pk: parsed[pk] for pk in readable if pk in pending and not _has_page_reply(parsed[pk])}
            )
            events = [pk for pk in readable if pk in plain]
            stored = bulk.ingest_new([bulk.Incoming(message, pk) for pk in events for message in parsed[pk]])
            classifications = batch.triage_new(stored)
            items.apply_triage(zip(stored, classifications, strict=True), triage.item_priority)
            policy.apply_all(zip(stored, classifications, strict=True), procedure, new=True)
            crisis.observe(stored)
            RawEvent.objects.filter(pk__in=events).update(
                status=RawEvent.Status.DONE, attempts=F("attempts") + 1, error="", processed_at=timezone.now()
            )
            return set(events)
    except Exception:
        log.exception("new messages in bulk failed: their events are processed one by one")
        return set()


PAGE_REPLY = "reply"  # a message the page sent from another tool (NormalizedMessage.kind)


def _has_page_reply(messages: list[NormalizedMessage]) -> bool:
    return any(message.kind == PAGE_REPLY for message in messages)


def _one_ingester_at_a_time() -> None:
    """Ingesting transactions take turns (PostgreSQL; SQLite has one writer anyway): one that writes a
    batch's threads and authors never waits for another that waits for it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INGESTION_LOCK])


@dataclass(frozen=True)
class Unexpected:
    """A parser that crashed (a bug, or a payload nobody foresaw): worth a few more attempts."""

    reason: str


def _parse(raw: RawEvent) -> list[NormalizedMessage] | ParseError | Unexpected:
    try:
        return list(parser_for(raw.source, raw.platform)(raw.body))
    except ParseError as exc:
        return exc
    except Exception as exc:
        log.exception("raw event %s: the parser failed unexpectedly", raw.pk)
        return Unexpected(_reason(exc))


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


def _process_one(
    raw_event_id: int, messages: list[NormalizedMessage] | ParseError | Unexpected, batch: "triage.Triage", procedure
) -> RawEvent:
    if isinstance(messages, ParseError):
        return _mark_failed(raw_event_id, str(messages))
    if isinstance(messages, Unexpected):
        return _attempt_failed(raw_event_id, messages.reason)
    try:
        with transaction.atomic():
            _one_ingester_at_a_time()
            raw = RawEvent.objects.select_for_update().get(pk=raw_event_id)
            if raw.status == RawEvent.Status.DONE:
                return raw
            for message in messages:
                if message.kind == PAGE_REPLY:
                    actions.ingest_page_reply(message, raw)
                    continue
                stored = actions.ingest(message, raw)
                classification = batch.classify(stored)
                items.apply_triage([(stored, classification)], triage.item_priority)
                policy.apply(stored, classification, procedure)
                crisis.observe([stored])
            raw.status = RawEvent.Status.DONE
            raw.attempts += 1
            raw.error = ""
            raw.processed_at = timezone.now()
            raw.save(update_fields=["status", "attempts", "error", "processed_at"])
            return raw
    except Exception as exc:
        log.exception("raw event %s failed", raw_event_id)
        return _attempt_failed(raw_event_id, _reason(exc))


def _mark_failed(raw_event_id: int, error: str) -> RawEvent:
    with transaction.atomic():
        raw = RawEvent.objects.select_for_update().get(pk=raw_event_id)
        raw.status = RawEvent.Status.FAILED
        raw.attempts += 1
        raw.error = error
        raw.processed_at = timezone.now()
        raw.save(update_fields=["status", "attempts", "error", "processed_at"])
    return raw


def _attempt_failed(raw_event_id: int, reason: str) -> RawEvent:
    """An unexpected failure: the event waits longer after each attempt, then fails for good."""
    with transaction.atomic():
        raw = RawEvent.objects.select_for_update().get(pk=raw_event_id)
        if raw.status != RawEvent.Status.PENDING:
            return raw
        raw.attempts += 1
        if raw.attempts >= MAX_ATTEMPTS:
            raw.status, raw.retry_after, raw.processed_at = RawEvent.Status.FAILED, None, timezone.now()
            raw.error = f"Échec après {raw.attempts} tentatives : {reason}"
        else:
            raw.retry_after = timezone.now() + retry_wait(raw.attempts)
            raw.error = f"Tentative {raw.attempts} sur {MAX_ATTEMPTS} en échec : {reason}"
        raw.save(update_fields=["status", "attempts", "error", "retry_after", "processed_at"])
    return raw


def retry_wait(attempts: int) -> timedelta:
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_WAIT_SECONDS))


def stale_pending_ids(older_than: timedelta | None = None) -> list[int]:
    """Raw events still pending after a while: their job was lost (worker killed, queue wiped)."""
    if older_than is None:
        older_than = timedelta(seconds=settings.INGESTION_REQUEUE_AFTER_SECONDS)
    limit = timezone.now() - older_than
    return list(
        RawEvent.objects.filter(_due(timezone.now()), received_at__lte=limit)
        .order_by("id")
        .values_list("id", flat=True)[:5000]
    )
