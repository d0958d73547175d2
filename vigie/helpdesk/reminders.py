"""Overdue internal review tasks: their owner is notified once (in Vigie, and by e-mail if wanted)."""

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone

from vigie.helpdesk import service
from vigie.helpdesk.models import Task
from vigie.notifications.models import Kind
from vigie.notifications.service import notify_people


def overdue_tasks():
    return Task.objects.filter(
        status=Task.Status.OPEN, due_on__lt=timezone.localdate(), overdue_notified_at__isnull=True
    ).select_related("owner", "item")


def notify_overdue() -> int:
    told = 0
    for task in overdue_tasks():
        with transaction.atomic():
            if not service.mark_overdue_notified(task):
                continue
            due = formats.date_format(task.due_on, "d/m/Y")
            notify_people(
                [task.owner],
                f"Tâche en retard : {task.title}",
                f"L'échéance était le {due}. Faites le point, puis terminez la tâche avec son issue.",
                link=reverse("inbox:item", args=[task.item_id]),
                reason="Tâche de suivi en retard",
                kind=Kind.DEADLINE,
                about=task.item,
            )
            told += 1
    return told
