"""Thread status and the only moves allowed between statuses."""

from django.db import models

from vigie.inbox.errors import ActionError


class Status(models.TextChoices):
    NEW = "new", "À traiter"
    IN_PROGRESS = "in_progress", "En cours"
    WAITING = "waiting", "En attente"
    DONE = "done", "Traité"
    ESCALATED = "escalated", "Escaladé"
    CLOSED = "closed", "Clos"


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.IN_PROGRESS, Status.WAITING, Status.DONE, Status.ESCALATED, Status.CLOSED}),
    Status.IN_PROGRESS: frozenset({Status.WAITING, Status.DONE, Status.ESCALATED, Status.CLOSED}),
    Status.WAITING: frozenset({Status.IN_PROGRESS, Status.DONE, Status.ESCALATED, Status.CLOSED}),
    Status.ESCALATED: frozenset({Status.IN_PROGRESS, Status.WAITING, Status.DONE, Status.CLOSED}),
    Status.DONE: frozenset({Status.NEW, Status.IN_PROGRESS, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.NEW}),
}

# What needs a person: the default view of a round ("à traiter").
OPEN = frozenset({Status.NEW, Status.IN_PROGRESS, Status.ESCALATED})
# A new message from the public brings a finished thread back to the desk.
REOPENED_BY_NEW_MESSAGE = frozenset({Status.DONE, Status.CLOSED, Status.WAITING})


class TransitionNotAllowed(ActionError):
    pass


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise TransitionNotAllowed(f"Passage impossible de « {Status(current).label} » à « {Status(target).label} ».")


def allowed_targets(current: str) -> list[Status]:
    return [status for status in Status if status in TRANSITIONS[current]]
