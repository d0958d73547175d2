"""What the pages read: tasks in the order they need a person, an item's follow-up and timeline."""

from django.db.models import Q

from vigie.audit.models import AuditEvent
from vigie.helpdesk.models import HelpdeskTicket, Task
from vigie.inbox.models import Item

DONE_SHOWN = 20


def _tasks(owner):
    related = ("owner", "closed_by", "item__message__author", "ticket__channel", "ticket__create_action")
    tasks = Task.objects.select_related(*related)
    return tasks.filter(owner=owner) if owner is not None else tasks


def open_tasks(owner=None) -> list[Task]:
    """Open tasks, overdue first (the earliest due date first), then by creation."""
    return list(_tasks(owner).filter(status=Task.Status.OPEN).order_by("due_on", "created_at", "pk"))


def done_tasks(owner=None) -> list[Task]:
    return list(_tasks(owner).filter(status=Task.Status.DONE).order_by("-closed_at", "-pk")[:DONE_SHOWN])


def item_tasks(item: Item) -> list[Task]:
    return list(_tasks(None).filter(item=item).order_by("-created_at", "-pk"))


def timeline(item: Item, tasks: list[Task]) -> list[AuditEvent]:
    """The item's follow-up as the audit log tells it: status changes, holding reply, tasks, ticket."""
    tickets = HelpdeskTicket.objects.filter(task__in=tasks).values_list("pk", flat=True)
    targets = (
        Q(target_type="item", target_id=str(item.pk))
        | Q(target_type="task", target_id__in=[str(t.pk) for t in tasks])
        | Q(target_type="helpdeskticket", target_id__in=[str(pk) for pk in tickets])
    )
    return list(AuditEvent.objects.filter(targets).order_by("created_at", "pk"))
