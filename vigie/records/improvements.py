"""Improvement actions: opened from a deviation, a complaint or a crisis review; overdue ones go to the
direction (on the page, and once a day as a notification)."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from vigie.audit.record import record
from vigie.inbox.errors import ActionError
from vigie.lib.plural import pluriel
from vigie.records.models import ImprovementAction

OPEN = (ImprovementAction.Status.OPEN, ImprovementAction.Status.IN_PROGRESS)


def today() -> date:
    return timezone.localdate()


def overdue(on: date | None = None):
    return ImprovementAction.objects.filter(status__in=OPEN, due_on__lt=on or today()).select_related("owner")


@transaction.atomic
def open_action(
    *,
    by,
    title: str,
    owner,
    due_on: date,
    origin: str = ImprovementAction.Origin.OTHER,
    complaint=None,
    sample=None,
    crisis=None,
    origin_reference: str = "",
) -> ImprovementAction:
    if not title.strip():
        raise ActionError("Dites ce qu'il faut faire.")
    action = ImprovementAction.objects.create(
        title=title.strip()[:300],
        owner=owner,
        due_on=due_on,
        origin=origin,
        complaint=complaint,
        sample=sample,
        crisis=crisis,
        origin_reference=origin_reference,
        created_by=by,
    )
    record(
        by,
        "improvement.opened",
        action,
        summary=f"{by.get_username()} a ouvert l'action d'amélioration "
        f"« {action.title} » confiée à {owner.get_username()} pour le {due_on:%d/%m/%Y}",
        after={"origin": origin, "owner": owner.pk, "due_on": due_on.isoformat()}
        | ({"crisis": crisis.pk} if crisis is not None else {}),
    )
    return action


@transaction.atomic
def update_action(
    action: ImprovementAction, *, by, status: str, evidence: str = "", due_on=None, owner=None
) -> ImprovementAction:
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if status == ImprovementAction.Status.DONE and not (evidence or action.evidence).strip():
        raise ActionError("Une action faite a besoin de sa preuve de réalisation.")
    before = {"status": action.status, "due_on": action.due_on.isoformat(), "owner": action.owner_id}
    action.status = status
    action.evidence = evidence or action.evidence
    action.due_on = due_on or action.due_on
    action.owner = owner or action.owner
    action.done_at = timezone.now() if status == ImprovementAction.Status.DONE else None
    action.save()
    record(
        by,
        "improvement.updated",
        action,
        summary=f"{by.get_username()} a passé l'action d'amélioration "
        f"« {action.title} » à « {action.get_status_display()} »",
        before=before,
        after={"status": status, "due_on": action.due_on.isoformat(), "owner": action.owner_id},
    )
    return action


@transaction.atomic
def notify_overdue(on: date | None = None) -> int:
    """Tell the direction, once a day, about the actions past their due date (none: nobody is told)."""
    from vigie.notifications.service import notify

    on = on or today()
    late = list(overdue(on).exclude(overdue_notified_on=on))
    if not late:
        return 0
    lines = [f"« {a.title} » ({a.owner.get_username()}, prévue le {a.due_on:%d/%m/%Y})" for a in late]
    notify(
        ["direction"],
        f"{len(late)} action{pluriel(len(late))} d'amélioration en retard",
        "\n".join(lines),
        link=reverse("records:improvements"),
        reason="actions d'amélioration en retard (plan de contrôle)",
    )
    ImprovementAction.objects.filter(pk__in=[a.pk for a in late]).update(overdue_notified_on=on)
    return len(late)
