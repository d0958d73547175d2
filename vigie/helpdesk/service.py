"""Every change to tasks and tickets: one transaction, the audit event inside it (DESIGN §4).

A complex request gets, in one gesture, a holding reply (the normal reply path and outbox), an internal
review task and, when Freshdesk is connected, a ticket created through the outbox. Closing the task
records the outcome, may send the final answer, and resolves the ticket with a private note.
"""

import html
import json
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from vigie.accounts.people import name_of
from vigie.audit.record import record
from vigie.helpdesk.models import HelpdeskTicket, Task
from vigie.helpdesk.workdays import REVIEW_DAYS, add_working_days
from vigie.inbox import actions as inbox_actions
from vigie.inbox.errors import ActionError
from vigie.inbox.models import Item
from vigie.ingestion.models import Channel
from vigie.moderation import tasks as outbox_tasks
from vigie.moderation.models import PlatformAction
from vigie.replies.models import ReplyTemplate
from vigie.replies.render import first_name, render

PLATFORM = "freshdesk"
# Vigie's item priority (0 normal … 3 critical) → Freshdesk's (1 low … 4 urgent)
FRESHDESK_PRIORITY = {0: 2, 1: 3, 2: 4, 3: 4}
DEFAULT_HOLDING = (
    "Bonjour {prenom}, merci pour votre message. Votre demande mérite une réponse précise : "
    "nous faisons le point en interne et revenons vers vous {delai}."
)


def default_due(today: date | None = None) -> date:
    return add_working_days(today or timezone.localdate(), REVIEW_DAYS)


def delay_words(due_on: date) -> str:
    """« d'ici le lundi 7 décembre » : the delay the holding reply states (in French, whatever the
    language of the person's browser: the reply goes to the public)."""
    with translation.override("fr"):
        return f"d'ici le {formats.date_format(due_on, 'l j F')}"


def holding_template(item: Item) -> ReplyTemplate | None:
    """The complex request template that states the delay ({delai}), for this platform or all."""
    return (
        ReplyTemplate.objects.filter(
            label="complex_request", active=True, platform__in=["", item.platform], body__contains="{delai}"
        )
        .order_by("-platform", "-usage_count", "pk")
        .first()
    )


def holding_text(item: Item, due_on: date) -> tuple[str, ReplyTemplate | None]:
    template = holding_template(item)
    author = item.message.author
    values = {"prenom": first_name(author.display_name) if author else "", "delai": delay_words(due_on)}
    return render(template.body if template else DEFAULT_HOLDING, values), template


def freshdesk_channel() -> Channel | None:
    return Channel.objects.filter(platform=PLATFORM).order_by("pk").first()


def connected_freshdesk() -> Channel | None:
    channel = freshdesk_channel()
    return channel if channel and channel.status == Channel.Status.CONNECTED else None


# --- tasks ----------------------------------------------------------------------------------------


def default_title(item: Item) -> str:
    """A task's title when nobody wrote one: whose request, on which platform."""
    return f"Faire le point en interne : {item.message.author or 'auteur inconnu'} ({item.get_platform_display()})"


@transaction.atomic
def create_task(item: Item, *, owner, due_on: date, by, title: str = "") -> Task:
    if Task.objects.filter(item=item, status=Task.Status.OPEN).exists():
        raise ActionError("Une tâche de suivi est déjà ouverte pour ce message : terminez-la d'abord.")
    if due_on < timezone.localdate():
        raise ActionError("L'échéance est déjà passée : choisissez une date à venir.")
    title = title.strip() or default_title(item)
    task = Task.objects.create(item=item, title=title[:200], owner=owner, due_on=due_on, created_by=by)
    due = formats.date_format(due_on, "d/m/Y")
    record(
        by,
        "task.created",
        task,
        summary=f"Tâche « {task.title} » pour {name_of(owner)}, échéance le {due}",
        after={"item_id": item.pk, "owner": owner.get_username(), "due_on": due_on.isoformat()},
    )
    return task


@transaction.atomic
def close_task(task: Task, *, outcome: str, by, final_reply: str = "") -> Task:
    """The review is over: its outcome is recorded, the final answer (if written) goes to the person
    through the normal reply path, and the Freshdesk ticket is resolved with the outcome as a note."""
    task = Task.objects.select_for_update().select_related("item__thread", "item__message").get(pk=task.pk)
    outcome = outcome.strip()
    if task.status == Task.Status.DONE:
        raise ActionError("Cette tâche est déjà terminée.")
    if not outcome:
        raise ActionError("Indiquez l'issue de la tâche.")
    if final_reply.strip():
        item = task.item
        inbox_actions.compose_reply(item.thread, final_reply, by=by, in_reply_to=item.message)
    _close(task, outcome, by=by)
    ticket = HelpdeskTicket.objects.filter(task=task).first()
    if ticket is not None:
        resolve_ticket(ticket, outcome, by=by)
    return task


def _close(task: Task, outcome: str, *, by, actor_label: str = "") -> None:
    task.status, task.outcome, task.closed_by, task.closed_at = Task.Status.DONE, outcome, by, timezone.now()
    task.save(update_fields=["status", "outcome", "closed_by", "closed_at"])
    record(
        by,
        "task.closed",
        task,
        summary=f"Tâche terminée : {outcome}",
        actor_label=actor_label,
        after={"item_id": task.item_id, "outcome": outcome},
    )


@transaction.atomic
def mark_overdue_notified(task: Task) -> bool:
    """Once per task: False when another worker already told its owner."""
    return bool(
        Task.objects.filter(pk=task.pk, overdue_notified_at__isnull=True).update(overdue_notified_at=timezone.now())
    )


# --- complex requests -----------------------------------------------------------------------------


@transaction.atomic
def start_complex_request(
    item: Item, *, text: str, owner, due_on: date, by, template=None, open_ticket: bool = True
) -> Task:
    """Holding reply + internal review task (+ Freshdesk ticket when connected), all or nothing."""
    inbox_actions.compose_reply(item.thread, text, by=by, in_reply_to=item.message, template=template)
    task = create_task(item, owner=owner, due_on=due_on, by=by)
    record(
        by,
        "item.holding_reply",
        item,
        summary=f"Réponse d'attente envoyée ; point interne d'ici le {formats.date_format(due_on, 'd/m/Y')}",
        after={"task_id": task.pk},
    )
    channel = connected_freshdesk()
    if channel is not None and open_ticket:
        request_ticket(task, channel, by=by)
    return task


# --- Freshdesk tickets ----------------------------------------------------------------------------


def requester_id(item: Item) -> str:
    """Who asked, for Freshdesk without an e-mail address: the platform and the author's id."""
    author = item.message.author
    return f"{item.platform}:{author.external_id if author else 'inconnu'}"


def ticket_fields(task: Task) -> dict:
    item = task.item
    author = item.message.author
    link = settings.VIGIE_BASE_URL.rstrip("/") + reverse("inbox:item", args=[item.pk])
    name = author.display_name if author and author.display_name else "Auteur inconnu"
    description = (
        f"<p>{html.escape(item.message.text)}</p>"
        f"<p>{html.escape(item.get_kind_display())} sur {html.escape(item.get_platform_display())} "
        f"({html.escape(item.thread.channel.name)}), de {html.escape(name)}.</p>"
        f"<p>Point interne attendu le {formats.date_format(task.due_on, 'd/m/Y')} "
        f"(responsable : {html.escape(name_of(task.owner))}).</p>"
        f'<p>Dans Vigie : <a href="{html.escape(link)}">{html.escape(link)}</a></p>'
    )
    return {
        "unique_external_id": requester_id(item),
        "name": name[:200],
        "subject": f"Demande complexe de {name} ({item.get_platform_display()})"[:255],
        "description": description,
        "status": HelpdeskTicket.Status.OPEN,
        "priority": FRESHDESK_PRIORITY.get(item.priority, 2),
        "source": 2,
        "tags": ["vigie", item.platform, "demande-complexe"],
    }


def request_ticket(task: Task, channel: Channel, *, by) -> HelpdeskTicket:
    ticket = HelpdeskTicket.objects.create(task=task, channel=channel)
    ticket.create_action = _queue(
        channel,
        PlatformAction.Verb.CREATE_TICKET,
        f"ticket:{ticket.pk}",
        by=by,
        options={"ticket": ticket_fields(task)},
        target=task.item.message,
    )
    ticket.save(update_fields=["create_action"])
    record(by, "ticket.requested", ticket, summary="Ticket Freshdesk demandé", after={"item_id": task.item_id})
    return ticket


def _queue(channel: Channel, verb: str, dedup_key: str, *, by, options: dict, target=None) -> PlatformAction:
    action = PlatformAction.objects.create(
        channel=channel,
        verb=verb,
        dedup_key=dedup_key,
        requested_by=by,
        target_message=target,
        result={"options": options},
    )
    outbox_tasks.enqueue_after_commit(action.pk)
    return action


def resolve_ticket(ticket: HelpdeskTicket, outcome: str, *, by) -> None:
    """A private note with the outcome, then the ticket resolved. Waits for the ticket's number when
    Freshdesk has not answered yet (receivers.ticket_created calls this again)."""
    if ticket.resolved or ticket.freshdesk_id is None:
        return
    note = f"<p>Issue du point interne (Vigie) : {html.escape(outcome)}</p>"
    options = {"ticket_id": ticket.freshdesk_id}
    _queue(
        ticket.channel,
        PlatformAction.Verb.TICKET_NOTE,
        f"ticket-note:{ticket.pk}",
        by=by,
        options=options | {"body": note},
    )
    _queue(ticket.channel, PlatformAction.Verb.RESOLVE_TICKET, f"ticket-resolve:{ticket.pk}", by=by, options=options)
    record(by, "ticket.resolve_requested", ticket, summary=f"Résolution du ticket n° {ticket.freshdesk_id} demandée")


@transaction.atomic
def ticket_created(action: PlatformAction) -> None:
    ticket = HelpdeskTicket.objects.select_for_update().filter(create_action=action).first()
    if ticket is None or ticket.freshdesk_id:
        return
    ticket.freshdesk_id, ticket.error = int(action.platform_result_id), ""
    ticket.save(update_fields=["freshdesk_id", "error"])
    record(
        None,
        "ticket.created",
        ticket,
        summary=f"Ticket Freshdesk n° {ticket.freshdesk_id} créé",
        after={"freshdesk_id": ticket.freshdesk_id, "url": ticket.url},
    )
    task = ticket.task
    if task.status == Task.Status.DONE:
        resolve_ticket(ticket, task.outcome, by=task.closed_by)


@transaction.atomic
def ticket_failed(action: PlatformAction) -> None:
    ticket = HelpdeskTicket.objects.filter(create_action=action).first()
    if ticket is not None:
        HelpdeskTicket.objects.filter(pk=ticket.pk).update(error=action.error)
        record(None, "ticket.failed", ticket, summary=f"Ticket Freshdesk non créé : {action.error}"[:300])


@transaction.atomic
def apply_status(channel: Channel, freshdesk_id: int, status: int, *, source: str) -> bool:
    """What Freshdesk says of a ticket (webhook or poll); a resolved ticket closes its task."""
    ticket = HelpdeskTicket.objects.select_for_update().filter(channel=channel, freshdesk_id=freshdesk_id).first()
    if ticket is None or ticket.status == status or status not in HelpdeskTicket.Status.values:
        return False
    before = ticket.get_status_display()
    ticket.status, ticket.status_changed_at = status, timezone.now()
    ticket.save(update_fields=["status", "status_changed_at"])
    record(
        None,
        "ticket.status_changed",
        ticket,
        actor_label=f"Freshdesk ({source})",
        summary=f"Ticket n° {freshdesk_id} : {before} → {ticket.get_status_display()} (dans Freshdesk)",
    )
    task = Task.objects.select_for_update().get(pk=ticket.task_id)
    if ticket.resolved and task.status == Task.Status.OPEN:
        _close(
            task,
            f"Ticket Freshdesk n° {freshdesk_id} {ticket.get_status_display().lower()} dans Freshdesk",
            by=None,
            actor_label=f"Freshdesk ({source})",
        )
    return True


def ticket_resolved_by_vigie(action: PlatformAction) -> None:
    ticket_id = (action.result or {}).get("options", {}).get("ticket_id")
    if ticket_id:
        apply_status(action.channel, int(ticket_id), HelpdeskTicket.Status.RESOLVED, source="Vigie")


# --- the Freshdesk account ------------------------------------------------------------------------


@transaction.atomic
def connect_freshdesk(domain: str, api_key: str, webhook_secret: str, *, by) -> Channel:
    """Store the domain, the API key and the webhook's secret (both encrypted, never shown back)."""
    channel = Channel.objects.select_for_update().filter(platform=PLATFORM).first() or Channel(platform=PLATFORM)
    channel.external_id = channel.name = domain
    channel.credentials = json.dumps({"api_key": api_key, "webhook_secret": webhook_secret})
    channel.status, channel.last_error = Channel.Status.CONNECTED, ""
    channel.save()
    record(
        by,
        "helpdesk.connected",
        channel,
        summary=f"Freshdesk connecté ({domain}.freshdesk.com)",
        after={"domain": domain, "api_key_stored": True, "webhook_secret_stored": True},
    )
    return channel


@transaction.atomic
def disconnect_freshdesk(channel: Channel, *, by) -> None:
    channel.credentials, channel.status = "", Channel.Status.DISABLED
    channel.save(update_fields=["credentials", "status"])
    record(by, "helpdesk.disconnected", channel, summary="Freshdesk déconnecté : clé d'API effacée")


def webhook_secret(channel: Channel) -> str:
    try:
        return json.loads(channel.credentials or "{}").get("webhook_secret", "")
    except json.JSONDecodeError:
        return ""
