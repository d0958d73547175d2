"""`vigie replay FILE [--staff-file F]` (DESIGN §6): a message stream through the whole pipeline
(classification, rules, detectors) in event-time order, on a throw-away database; one JSON line per
crisis alert on standard output, nothing else there.

`vigie replay` is pointed at a fresh data directory before Django starts (vigie/cli.py), so the
database it migrates and fills is deleted when it ends.
"""

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from vigie.accounts.models import StaffMember
from vigie.connectors import contract
from vigie.connectors.base import load_json
from vigie.crisis import service
from vigie.crisis.models import Crisis
from vigie.ingestion import raw_events
from vigie.ingestion.models import RawEvent
from vigie.pipeline import importer, processing
from vigie.triage.staff import load_staff

BATCH = 200


@dataclass
class Report:
    lines: int = 0
    replayed: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    alerts: list[dict] = field(default_factory=list)


def alert_line(crisis: Crisis) -> dict:
    ids = crisis.links.filter(trigger=True).order_by("at", "message_id").values_list("message__external_id", flat=True)
    return {"type": "crisis_alert", "at": crisis.detected_at.isoformat(), "signal": crisis.signal,
            "platform": crisis.platform, "message_ids": list(ids)}  # fmt: skip


def load_watch_list(path: Path) -> int:
    """The staff file replaces the watch-list (the classifier picks it up); how many people."""
    members = load_staff(path)
    StaffMember.objects.all().delete()
    StaffMember.objects.bulk_create([StaffMember(name=m.name, aliases="\n".join(m.aliases)) for m in members])
    return len(members)


def read_stream(path: Path, report: Report) -> list[str]:
    """The file's good records in event-time order (stable for equal times); bad lines reported."""
    timed = []
    for number, body, error in importer.records(path):
        report.lines += 1
        if body is None:
            report.errors.append((number, error))
            continue
        created = contract.parse_datetime(load_json(body)["created_at"], "created_at")  # naive: Paris time
        timed.append((created, number, body))
    timed.sort(key=lambda row: (row[0], row[1]))
    return [body for _, _, body in timed]


def replay(bodies: list[str], report: Report, emit: Callable[[dict], None], progress=None) -> Report:
    seen = 0
    with service.following_event_time():
        for start in range(0, len(bodies), BATCH):
            chunk = bodies[start : start + BATCH]
            with transaction.atomic():
                ids = raw_events.store(chunk, source=RawEvent.Source.IMPORT)
                done = processing.process_batch(list(dict.fromkeys(ids)))
            report.replayed += sum(1 for raw in done if raw.status == RawEvent.Status.DONE)
            for crisis in Crisis.objects.filter(pk__gt=seen).order_by("pk"):
                line = alert_line(crisis)
                report.alerts.append(line)
                emit(line)
                seen = crisis.pk
            if progress:
                progress(start + len(chunk))
    return report


def emit_json(line: dict) -> None:
    sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    sys.stdout.flush()
