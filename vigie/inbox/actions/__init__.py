"""Every change of state in the inbox: one transaction, the audit event inside it.

Views, the API, the pipeline and the demo call these functions (and `inbox/bulk.py`, many new messages at
once), and so do the outbox's outcomes (`inbox/receivers.py`); nothing else writes threads or messages.
Side effects (the outbox's worker) start only after commit. The modules are named for what they do;
callers use the layer as one: `actions.assign(…)`.
"""

from vigie.inbox.actions.desk import add_note, assign, bulk_update, change_status, link_identities, set_priority
from vigie.inbox.actions.ingest import REMOVED_ELSEWHERE, ingest, ingest_page_reply, resolve_channel
from vigie.inbox.actions.labels import correct_label, mark_staff_target
from vigie.inbox.actions.moderation import (
    IRREVERSIBLE,
    MODERATION_VERBS,
    UNDO_WINDOW,
    cancel_moderation,
    capability_refusal,
    capture_evidence,
    moderate,
)
from vigie.inbox.actions.replies import approve_reply, compose_reply, item_of_reply, reject_reply
from vigie.inbox.errors import ActionError

__all__ = [
    "IRREVERSIBLE", "MODERATION_VERBS", "REMOVED_ELSEWHERE", "UNDO_WINDOW", "ActionError", "add_note",
    "approve_reply", "assign", "bulk_update", "cancel_moderation", "capability_refusal", "capture_evidence",
    "change_status", "compose_reply", "correct_label", "ingest", "ingest_page_reply", "item_of_reply",
    "link_identities", "mark_staff_target", "moderate", "reject_reply", "resolve_channel", "set_priority",
]  # fmt: skip
