"""Evidence: a message as it was, kept with the SHA-256 of its record (inbox/evidence.py writes the record)."""

import hashlib
import json

from vigie.moderation.models import Evidence


def canonical(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def fingerprint(record: dict) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def seal(message_id: int, record: dict, *, by=None, rule: str = "") -> Evidence:
    """Keep `record` as the evidence of the message, with its SHA-256. Never modified afterwards."""
    return Evidence.objects.create(
        message_id=message_id, record=record, sha256=fingerprint(record), requested_by=by, requested_by_rule=rule
    )


def verify(evidence: Evidence) -> bool:
    """True when the stored record still hashes to the stored SHA-256."""
    return fingerprint(evidence.record) == evidence.sha256
