"""Moderation on the platforms (hide, delete, block…): what each platform allows, evidence first, an undo window."""

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from vigie.audit.record import record
from vigie.connectors import registry
from vigie.connectors.base import refusal
from vigie.inbox import items
from vigie.inbox.actions.desk import move_status
from vigie.inbox.errors import ActionError
from vigie.inbox.evidence import capture as evidence_capture
from vigie.inbox.models import Author, Item, Message
from vigie.inbox.status import OPEN, TRANSITIONS, Status
from vigie.moderation import tasks as moderation_tasks
from vigie.moderation.models import PlatformAction
from vigie.procedure.service import version_in_force

MODERATION_VERBS = {
    "hide": "Masquer",
    "unhide": "Afficher",
    "delete": "Supprimer",
    "block": "Bloquer l'auteur",
    "unblock": "Débloquer l'auteur",
}
NEEDS_EVIDENCE = frozenset({"hide", "delete", "block"})
# what cannot be taken back on the platform waits this long in the outbox: the person may still cancel
UNDO_WINDOW = timedelta(seconds=10)
IRREVERSIBLE = frozenset({"delete", "block"})
DECIDES_THE_ITEM = frozenset({"hide", "delete"})


def capability_refusal(platform: str, verb: str) -> str:
    """Why the platform does not allow `verb` (and what to do instead), or "" when it does."""
    capability = registry.capabilities(platform).get(verb)
    return "" if capability is None or capability.allowed else refusal(capability)


def _moderation_refusal(message: Message, verb: str) -> str:
    if verb not in MODERATION_VERBS:
        return f"Action inconnue : {verb}"
    if not message.incoming or message.removed or message.deleted_on_platform:
        return "Ce message ne peut pas être modéré."
    author = message.author
    if verb == "block" and author is not None and author.blocked:
        return "Cet auteur est déjà bloqué."
    if verb == "unblock" and (author is None or not author.blocked):
        return "Cet auteur n'est pas bloqué."
    return capability_refusal(message.channel.platform, verb)


@transaction.atomic
def moderate(message: Message, verb: str, *, by, rule: str = "") -> PlatformAction:
    """Queue a moderation action on the platform; evidence is captured first (hide, delete, block).
    Delete and block wait UNDO_WINDOW in the outbox, so that a slip of the finger can be taken back."""
    refusal = _moderation_refusal(message, verb)
    if refusal:
        raise ActionError(refusal)
    waiting = message.platform_actions.filter(verb=verb, status__in=["pending", "running"]).first()
    if waiting is not None:
        return waiting
    evidence = evidence_capture(message, by=by, rule=rule) if verb in NEEDS_EVIDENCE else None
    delay = UNDO_WINDOW if verb in IRREVERSIBLE and by is not None else None
    item = Item.objects.filter(message=message).only("status").first()
    action = PlatformAction.objects.create(
        channel=message.channel,
        verb=verb,
        target_message=message,
        requested_by=by,
        requested_by_rule=rule,
        dedup_key=f"{verb}:{message.pk}:{uuid.uuid4().hex[:12]}",
        next_attempt_at=timezone.now() + delay if delay else None,
        result={"item_status_before": item.status} if item else {},
    )
    record(by, f"message.{verb}_queued", message, actor_label=rule, summary=MODERATION_VERBS[verb],
           after={"platform_action_id": action.pk, "evidence_id": evidence.pk if evidence else None,
                  "procedure_version": version_in_force()})  # fmt: skip
    moderation_tasks.enqueue_after_commit(action.pk, delay=int(delay.total_seconds()) if delay else 0)
    if verb in DECIDES_THE_ITEM:
        _decided_by_moderation(message, by=by, rule=rule)
    return action


def _decided_by_moderation(message: Message, *, by, rule: str) -> None:
    """Hiding or deleting a comment is the decision on it: its item is done."""
    item = Item.objects.select_for_update().filter(message=message, status__in=OPEN).first()
    if item is not None and not item.is_conversation:
        move_status(item, Status.DONE, by=by, summary="modéré", rule=rule)
        items.sync_threads([item.thread_id])


@transaction.atomic
def capture_evidence(message: Message, *, by):
    """« Capturer une preuve »: the message as it is now, kept and sealed, without touching the platform
    (the procedure asks it before any action on an abusive message)."""
    if not message.incoming:
        raise ActionError("Seuls les messages reçus se capturent.")
    evidence = evidence_capture(message, by=by)
    record(by, "message.evidence_captured", message, summary=f"Preuve n° {evidence.pk}",
           after={"evidence_id": evidence.pk, "sha256": evidence.sha256})  # fmt: skip
    message.recommendations.filter(action="capture_evidence", status="proposed").update(
        status="done", note=f"preuve n° {evidence.pk}"
    )
    return evidence


@transaction.atomic
def cancel_moderation(action: PlatformAction, *, by) -> PlatformAction:
    """« Annuler »: an action not tried yet is dropped; the item goes back to where it was."""
    # no select_related: PostgreSQL refuses to lock the nullable side of an outer join
    action = PlatformAction.objects.select_for_update().get(pk=action.pk)
    if not action.cancellable:
        raise ActionError("Trop tard pour annuler : la plateforme a déjà été sollicitée.")
    action.status = PlatformAction.Status.CANCELLED
    action.cancelled_by = by
    action.save(update_fields=["status", "cancelled_by", "updated_at"])
    message = action.target_message
    record(by, "platform_action.cancelled", message or action, summary=f"{action.get_verb_display()} annulé",
           after={"platform_action_id": action.pk})  # fmt: skip
    before = (action.result or {}).get("item_status_before")
    if message is not None and action.verb in DECIDES_THE_ITEM and before:
        item = Item.objects.select_for_update().filter(message=message).first()
        if item is not None and item.status == Status.DONE and before != Status.DONE:
            target = before if before in TRANSITIONS[Status.DONE] else Status.IN_PROGRESS
            move_status(item, target, by=by, summary="action annulée")
            items.sync_threads([item.thread_id])
    return action


PLATFORM_STATE = {
    PlatformAction.Verb.HIDE: {"hidden_on_platform": True},
    PlatformAction.Verb.UNHIDE: {"hidden_on_platform": False},
    PlatformAction.Verb.DELETE: {"deleted_on_platform": True},
}
AUTHOR_STATE = {
    PlatformAction.Verb.BLOCK: {"blocked": True},
    PlatformAction.Verb.UNBLOCK: {"blocked": False},
}


def mirror_platform_state(action: PlatformAction) -> None:
    """Done on the platform (inside the outbox's transaction, inbox/receivers.py): what the platform now
    shows, mirrored on the message or its author."""
    target = action.target_message
    if target is None:
        return
    if action.verb in PLATFORM_STATE:
        Message.objects.filter(pk=target.pk).update(**PLATFORM_STATE[action.verb])
    elif action.verb in AUTHOR_STATE and target.author_id:
        Author.objects.filter(pk=target.author_id).update(**AUTHOR_STATE[action.verb])
