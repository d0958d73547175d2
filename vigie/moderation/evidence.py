"""Evidence: the message as it was, captured before any hide or delete, with its SHA-256."""

import hashlib
import json

from django.utils import timezone

from vigie.inbox.models import Message
from vigie.moderation.models import Evidence
from vigie.procedure.service import version_in_force
from vigie.replies.models import Charter


def canonical(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def record_of(message: Message) -> dict:
    author = message.author
    thread = message.thread
    return {
        "platform": message.channel.platform,
        "channel": message.channel.external_id,
        "message_id": message.external_id,
        "kind": message.kind,
        "thread_id": thread.external_id,
        "post_permalink": thread.post.permalink if thread.post else "",
        "permalink": message.permalink,
        "author_id": author.external_id if author else "",
        "author_name": author.display_name if author else "",
        "text": message.text,
        "created_at": message.created_at.isoformat(),
        "edited": message.edited,
        "earlier_versions": [v.text for v in message.versions.all()],
        "captured_at": timezone.now().isoformat(),
        "charter_version": charter.version if (charter := Charter.current()) else "",  # the rules in force
        "procedure_version": version_in_force(),  # and the procedure's revision
    }


def capture(message: Message, *, by=None, rule: str = "") -> Evidence:
    """Call inside the transaction of the action that needs it (actions layer)."""
    record = record_of(message)
    return Evidence.objects.create(
        message=message,
        record=record,
        sha256=hashlib.sha256(canonical(record)).hexdigest(),
        requested_by=by,
        requested_by_rule=rule,
    )


def verify(evidence: Evidence) -> bool:
    """True when the stored record still hashes to the stored SHA-256."""
    return hashlib.sha256(canonical(evidence.record)).hexdigest() == evidence.sha256
