"""`vigie import FILE`: message JSONL or CSV, good lines imported, bad ones reported by number."""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from tqdm import tqdm

from vigie.connectors import contract
from vigie.connectors.base import ParseError, load_json
from vigie.ingestion import raw_events
from vigie.ingestion.models import RawEvent
from vigie.pipeline import processing, reading
from vigie.vocabulary import KINDS, PLATFORMS

BATCH = 500
BATCH_CHARS = 8_000_000  # lines may be up to 1 MB each: a batch stays a few MB


@dataclass
class LineError:
    line: int
    reason: str


@dataclass
class ImportReport:
    lines: int = 0
    imported: int = 0
    already_known: int = 0
    errors: list[LineError] = field(default_factory=list)


def _jsonl_records(lines: Iterator[reading.Line]) -> Iterator[tuple[int, str | None, str]]:
    """(line number, canonical body or None, error) for each non-empty line."""
    for line in lines:
        if line.text is None:
            yield line.number, None, reading.TOO_LONG
        elif line.text.strip():
            yield line.number, *_json_record(line.text.strip())


def _json_record(text: str) -> tuple[str | None, str]:
    try:
        record = load_json(text)
    except ParseError as exc:
        return None, str(exc)
    return _checked(record, text)


def _csv_records(lines: Iterator[reading.Line]) -> Iterator[tuple[int, str | None, str]]:
    rows = reading.csv_records(lines, _is_a_message_row)
    header = next(rows, None)
    if header is None:
        return
    if header.fields is None:
        yield header.number, None, header.error
    for row in rows:
        if row.fields is None:
            yield row.number, None, row.error
        else:
            record = contract.record_from_csv_row(dict(zip(header.fields or [], row.fields, strict=False)))
            yield row.number, *_checked(record, json.dumps(record, ensure_ascii=False, sort_keys=True))


def _is_a_message_row(header: list[str], fields: list[str]) -> bool:
    row = dict(zip(header, fields, strict=False))
    return row.get("platform") in PLATFORMS and row.get("kind") in KINDS


def _checked(record, body: str) -> tuple[str | None, str]:
    try:
        contract.parse_record(record)
    except ParseError as exc:
        return None, str(exc)
    return body, ""


def _records(path: Path, lines: Iterator[reading.Line]) -> Iterator[tuple[int, str | None, str]]:
    return _csv_records(lines) if path.suffix.lower() == ".csv" else _jsonl_records(lines)


def records(path: Path) -> Iterator[tuple[int, str | None, str]]:
    """(line number, canonical body or None, error) for each record of a JSONL or CSV file."""
    with reading.open_text(path) as stream:
        yield from _records(path, reading.bounded_lines(stream))


def import_file(path: Path, *, source: str = RawEvent.Source.IMPORT, progress: bool | None = None) -> ImportReport:
    """Streams the file: memory stays flat whatever its size. UnreadableFile (nothing imported) when
    the file is refused as a whole: too big, or not in UTF-8 / UTF-16 with a BOM."""
    with reading.open_text(path) as stream:
        return _import_records(_records(path, reading.bounded_lines(stream)), source, progress)


def _import_records(records, source: str, progress: bool | None) -> ImportReport:
    report = ImportReport()
    batch: list[tuple[int, str]] = []
    batch_chars = 0
    disable = None if progress is None else not progress  # None: shown only on a terminal
    with tqdm(desc="Import", unit=" lignes", disable=disable) as bar:
        for number, body, error in records:
            report.lines += 1
            if body is None:
                report.errors.append(LineError(number, error))
            else:
                batch.append((number, body))
                batch_chars += len(body)
            if len(batch) >= BATCH or batch_chars >= BATCH_CHARS:
                _import_batch(batch, source, report, bar)
                batch, batch_chars = [], 0
        if batch:
            _import_batch(batch, source, report, bar)
    return report


@transaction.atomic
def _import_batch(batch: list[tuple[int, str]], source: str, report: ImportReport, bar) -> None:
    """One transaction per batch (each event in its own savepoint): a bad event fails alone."""
    ids = raw_events.store([body for _, body in batch], source=source)
    done_before = set(RawEvent.objects.filter(pk__in=ids, status=RawEvent.Status.DONE).values_list("pk", flat=True))
    to_process = list(dict.fromkeys(pk for pk in ids if pk not in done_before))
    outcome = {raw.pk: raw for raw in processing.process_batch(to_process)}
    for (number, _), raw_id in zip(batch, ids, strict=True):
        if raw_id in done_before:
            report.already_known += 1
        elif outcome[raw_id].status == RawEvent.Status.DONE:
            report.imported += 1
        else:
            report.errors.append(LineError(number, outcome[raw_id].error))
        bar.update(1)
