"""The demo's follow-ups: complex requests with their holding reply, tasks in every state and, when the
local Freshdesk runs, tickets created through the outbox (one resolved in Freshdesk)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from vigie.helpdesk import reminders, service, sync
from vigie.helpdesk.models import HelpdeskTicket, Task
from vigie.helpdesk.workdays import add_working_days
from vigie.inbox import clocks
from vigie.inbox.models import Item
from vigie.moderation import outbox


def _complex_requests() -> list[Item]:
    """Complex requests no one has started on yet that can still be answered (Messenger's window open;
    private ones first), oldest first."""
    now = timezone.now()
    candidates = (
        Item.objects.filter(label="complex_request", tasks__isnull=True)
        .select_related("message__author", "thread__channel")
        .order_by("-kind", "received_at", "pk")
    )
    answerable = [i for i in candidates if (w := clocks.messenger_window(i, now)) is None or w.open]
    return answerable[:3]


def _start(item: Item, by) -> Task:
    due_on = service.default_due()
    text, template = service.holding_text(item, due_on)
    return service.start_complex_request(item, text=text, owner=by, due_on=due_on, by=by, template=template)


def stage(fake_freshdesk=None) -> None:
    """Once per demo database. With the local Freshdesk, tickets are created at once (the outbox runs
    here) and the second one is resolved by an agent, which closes its task."""
    if Task.objects.exists():
        return
    users = get_user_model().objects.in_bulk(["camille", "lucas", "sophie"], field_name="username")
    camille, lucas = users["camille"], users["lucas"]
    requests = _complex_requests()
    tasks = [_start(item, by) for item, by in zip(requests, (camille, lucas, camille), strict=False)]
    for ticket in HelpdeskTicket.objects.filter(task__in=tasks).select_related("create_action"):
        outbox.run(ticket.create_action.pk)
    if fake_freshdesk is not None and len(tasks) > 1:
        second = HelpdeskTicket.objects.get(task=tasks[1])
        if second.freshdesk_id:
            fake_freshdesk.resolve(second.freshdesk_id, notify=False)
            sync.poll(second.channel_id)
    if len(tasks) > 2:
        with transaction.atomic():  # a task whose due date passed: its owner is reminded
            Task.objects.filter(pk=tasks[2].pk).update(due_on=add_working_days(timezone.localdate(), -2))
        reminders.notify_overdue()
    criticism = (
        Item.objects.filter(label="criticism", tasks__isnull=True)
        .select_related("message__author")
        .order_by("received_at")
        .first()
    )
    if criticism is not None:  # whatever it says: the title and outcome fit any criticism
        author = criticism.message.author or "l'auteur"
        task = service.create_task(
            criticism,
            owner=users["sophie"],
            due_on=service.default_due(),
            by=camille,
            title=f"Vérifier les faits avec l'équipe pédagogique avant de répondre à {author}",
        )
        outcome = "Faits vérifiés avec l'équipe pédagogique ; réponse envoyée avec ce qui change."
        service.close_task(task, outcome=outcome, by=users["sophie"])
        tasks.append(task)
    _opened_after_their_message(tasks)


def _opened_after_their_message(tasks: list[Task]) -> None:
    """The staged tasks were all created a moment ago: date those already closed from two hours after their
    message came, as a desk would have opened them, so that the time to close is not zero."""
    closed = Task.objects.filter(pk__in=[t.pk for t in tasks], status=Task.Status.DONE).select_related("item")
    for task in closed:
        opened = min(task.item.received_at + timedelta(hours=2), task.closed_at)
        Task.objects.filter(pk=task.pk).update(created_at=opened)
