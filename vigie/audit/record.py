"""audit.record(...): the one way to write an audit event, inside the caller's transaction."""

from django.db import transaction

from vigie.audit.models import AuditEvent

SYSTEM = "système"


def record(actor, verb: str, target, *, summary: str = "", before=None, after=None, actor_label=""):
    """Write one audit event. `actor` is a user or None (the system or a rule named by actor_label);
    `target` a model instance, or a (type, id) pair for something that has no row (an unknown account)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    target_type, target_id = target if isinstance(target, tuple) else (target._meta.model_name, str(target.pk))
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label or (actor.get_username() if actor is not None else SYSTEM),
        verb=verb,
        target_type=target_type,
        target_id=target_id[:64],
        summary=summary[:300],
        before=before or {},
        after=after or {},
    )
