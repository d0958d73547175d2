"""Raw events: stored before anything else (the same body from the same source once), then handed over
to be processed.

Processing (parse → ingest → triage → policy → crisis) is the pipeline app's (`vigie/pipeline`), which
sits above the apps it drives, among them those that store raw events here (connectors' webhooks and
polling, crisis's demo). Ingestion therefore does not import it: the pipeline app registers itself as
the processor when Django starts (`PipelineConfig.ready` → `register_processor`), and the functions at
the end of this module hand stored events over to whatever was registered.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from vigie.ingestion import journal
from vigie.ingestion.models import Channel, RawEvent


def sha256(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def _raw_event(
    body: str, *, source: str, platform: str, channel: Channel | None, error: str, received_at: datetime | None = None
) -> RawEvent:
    body = body.replace("\x00", "\\u0000")  # PostgreSQL text cannot hold NUL
    return RawEvent(
        source=source, platform=platform, channel=channel, body=body, body_sha256=sha256(body),
        status=RawEvent.Status.FAILED if error else RawEvent.Status.PENDING, error=error,
        processed_at=timezone.now() if error else None, received_at=received_at or timezone.now(),
    )  # fmt: skip


def store(
    bodies: list[str], *, source: str, platform: str = "", channel: Channel | None = None, error: str = ""
) -> list[int]:
    """Store raw events (the same body from the same source only once); their ids, in input order.

    One statement: new bodies are inserted, known ones left as they are (`error` makes new rows failed).
    """
    rows = [_raw_event(body, source=source, platform=platform, channel=channel, error=error) for body in bodies]
    return _store_rows(rows)


def _store_rows(rows: list[RawEvent]) -> list[int]:
    by_digest = {row.body_sha256: row for row in rows}  # the same body twice in one call is one row
    stored = RawEvent.objects.bulk_create(
        by_digest.values(),
        update_conflicts=True,  # a known body changes nothing but still gives its id back
        unique_fields=["source", "body_sha256"],
        update_fields=["source"],
        batch_size=500,
    )
    ids = {row.body_sha256: row.pk for row in stored}
    return [ids[row.body_sha256] for row in rows]


def store_delivery(body: str, *, platform: str, error: str = "") -> int | None:
    """One webhook delivery, committed when this returns. On SQLite it is written to the delivery journal
    (`journal`; no id yet: `take_journal` makes it a raw event); on PostgreSQL it is a raw event at once
    (its id), as `store` does it but in one statement and no transaction around it (two round trips saved).
    A known body is left as it is."""
    if journal.in_use():
        journal.append(body, platform=platform, error=error)
        return None
    row = _raw_event(body, source=RawEvent.Source.WEBHOOK, platform=platform, channel=None, error=error)
    fields = [field for field in RawEvent._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]
    quote = connection.ops.quote_name
    sql = (  # names from the model, values as parameters
        f"INSERT INTO {quote(RawEvent._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT ({quote('source')}, {quote('body_sha256')}) "
        f"DO UPDATE SET {quote('source')} = excluded.{quote('source')} RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone()[0]


JOURNAL_BATCH = 500


def take_journal() -> int:
    """Deliveries waiting in the journal become raw events, oldest first, up to JOURNAL_BATCH of them; how
    many (none on PostgreSQL). They leave the journal once their raw events are committed: a worker killed
    in between, or a transaction around this that is rolled back, leaves them there to be moved again."""
    if not journal.in_use():
        return 0
    deliveries = journal.oldest(JOURNAL_BATCH)
    if not deliveries:
        return 0
    _store_rows([
        _raw_event(delivery.body, source=RawEvent.Source.WEBHOOK, platform=delivery.platform, channel=None,
                   error=delivery.error, received_at=delivery.received_at)
        for delivery in deliveries
    ])  # fmt: skip
    transaction.on_commit(lambda: journal.forget(deliveries))
    return len(deliveries)


def reset_for_retry(raw_event_id: int) -> None:
    """A failed event is pending again, with a new round of attempts."""
    RawEvent.objects.filter(pk=raw_event_id, status=RawEvent.Status.FAILED).update(
        status=RawEvent.Status.PENDING, error="", attempts=0, retry_after=None
    )


def retry(raw_event_id: int) -> None:
    """A failed event (an admin's « Relancer »): pending again and queued once committed."""
    reset_for_retry(raw_event_id)
    enqueue_after_commit([raw_event_id])


# --- handing stored events over to the processor ------------------------------------------------


@dataclass(frozen=True)
class Processor:
    """What processes stored raw events; the pipeline app registers it (vigie/pipeline/apps.py)."""

    process_batch: Callable[[list[int]], list[RawEvent]]  # now, in the caller's transaction
    wake_after_commit: Callable[[int | None], None]  # a webhook delivery: the worker woken, at most every 250 ms
    enqueue_after_commit: Callable[[list[int]], None]  # a job for each event, once committed


_processor: Processor | None = None


def register_processor(processor: Processor) -> None:
    global _processor
    _processor = processor


def _registered() -> Processor:
    if _processor is None:
        raise ImproperlyConfigured("No raw event processor: is vigie.pipeline in INSTALLED_APPS?")
    return _processor


def process_now(raw_event_ids: list[int]) -> list[RawEvent]:
    """Process the events here and now (the demo crisis waits for what its messages open); as recorded."""
    return _registered().process_batch(raw_event_ids)


def wake_after_commit(raw_event_id: int | None) -> None:
    """A webhook delivery is stored: have it processed soon (see vigie/pipeline/tasks.py)."""
    _registered().wake_after_commit(raw_event_id)


def enqueue_after_commit(raw_event_ids: list[int]) -> None:
    """Queue processing once the raw events are committed (a job never sees a missing row)."""
    _registered().enqueue_after_commit(raw_event_ids)
