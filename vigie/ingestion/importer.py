"""`vigie import FILE`: message JSONL or CSV, good lines imported, bad ones reported by number."""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from tqdm import tqdm

from vigie.connectors import contract
from vigie.connectors.base import ParseError, load_json
from vigie.ingestion import pipeline
from vigie.ingestion.models import RawEvent

BATCH = 500


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


def _jsonl_records(path: Path) -> Iterator[tuple[int, str | None, str]]:
    """(line number, canonical body or None, error) for each non-empty line."""
    with path.open(encoding="utf-8-sig", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            line = line.strip()
            if not line:
                continue
            try:
                record = load_json(line)
            except ParseError as exc:
                yield number, None, str(exc)
                continue
            yield number, *_checked(record, line)


def _csv_records(path: Path) -> Iterator[tuple[int, str | None, str]]:
    with path.open(encoding="utf-8-sig", newline="", errors="replace") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            record = contract.record_from_csv_row(row)
            body = json.dumps(record, ensure_ascii=False, sort_keys=True)
            yield reader.line_num, *_checked(record, body)


def _checked(record, body: str) -> tuple[str | None, str]:
    try:
        contract.parse_record(record)
    except ParseError as exc:
        return None, str(exc)
    return body, ""


def read(path: Path) -> Iterator[tuple[int, str | None, str]]:
    return _csv_records(path) if path.suffix.lower() == ".csv" else _jsonl_records(path)


def import_file(path: Path, *, source: str = RawEvent.Source.IMPORT, progress: bool | None = None) -> ImportReport:
    report = ImportReport()
    batch: list[tuple[int, str]] = []
    disable = None if progress is None else not progress  # None: shown only on a terminal
    with tqdm(desc="Import", unit=" lignes", disable=disable) as bar:
        for number, body, error in read(path):
            report.lines += 1
            if body is None:
                report.errors.append(LineError(number, error))
            else:
                batch.append((number, body))
            if len(batch) >= BATCH:
                _import_batch(batch, source, report, bar)
                batch = []
        if batch:
            _import_batch(batch, source, report, bar)
    return report


@transaction.atomic
def _import_batch(batch: list[tuple[int, str]], source: str, report: ImportReport, bar) -> None:
    """One transaction per batch (each event in its own savepoint): a bad event fails alone."""
    ids = pipeline.store([body for _, body in batch], source=source)
    done_before = set(RawEvent.objects.filter(pk__in=ids, status=RawEvent.Status.DONE).values_list("pk", flat=True))
    to_process = list(dict.fromkeys(pk for pk in ids if pk not in done_before))
    outcome = {raw.pk: raw for raw in pipeline.process_batch(to_process)}
    for (number, _), raw_id in zip(batch, ids, strict=True):
        if raw_id in done_before:
            report.already_known += 1
        elif outcome[raw_id].status == RawEvent.Status.DONE:
            report.imported += 1
        else:
            report.errors.append(LineError(number, outcome[raw_id].error))
        bar.update(1)
