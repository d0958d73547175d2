"""The « Tâches » page, the task and complex request forms of an item, the Freshdesk connection."""

from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from vigie.accounts.people import name_of
from vigie.accounts.roles import can, requires
from vigie.helpdesk import queries, service
from vigie.helpdesk.forms import CloseTaskForm, ComplexRequestForm, FreshdeskForm, TaskForm
from vigie.helpdesk.models import Task
from vigie.inbox.errors import ActionError
from vigie.inbox.views import access_item
from vigie.replies.models import ReplyTemplate

VIEWS = {"mes": "Mes tâches", "toutes": "Toutes les tâches"}


@requires("read_inbox")
def task_list(request: HttpRequest):
    default = "mes" if can(request.user, "handle_thread") else "toutes"
    view = request.GET.get("vue", default) if request.GET.get("vue") in VIEWS else default
    owner = request.user if view == "mes" else None
    context = {
        "view": view,
        "views": VIEWS,
        "open_tasks": queries.open_tasks(owner),
        "done_tasks": queries.done_tasks(owner),
    }
    return render(request, "helpdesk/tasks.html", context)


def _item_page(item_pk: int) -> str:
    return reverse("inbox:item", args=[item_pk]) + "#suivi"


def _errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _perform(request: HttpRequest, form, do, back: str):
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            messages.success(request, do(form.cleaned_data))
        except ActionError as exc:
            messages.error(request, str(exc))
    return redirect(back)


@require_POST
@requires("handle_thread")
def create_task(request: HttpRequest, item_pk: int):
    item = access_item(request, item_pk)

    def do(data):
        task = service.create_task(
            item, owner=data["owner"], due_on=data["due_on"], by=request.user, title=data["title"]
        )
        return f"Tâche créée pour {name_of(task.owner)}."

    return _perform(request, TaskForm(request.POST), do, _item_page(item.pk))


@require_POST
@requires("reply")
def complex_request(request: HttpRequest, item_pk: int):
    item = access_item(request, item_pk)

    def do(data):
        template = ReplyTemplate.objects.filter(pk=data["template"]).first() if data["template"] else None
        task = service.start_complex_request(
            item,
            text=data["text"],
            owner=data["owner"],
            due_on=data["due_on"],
            by=request.user,
            template=template,
            open_ticket=data["open_ticket"],
        )
        ticket = " et un ticket Freshdesk est demandé" if hasattr(task, "ticket") else ""
        return f"Réponse d'attente enregistrée : elle partira vers la plateforme. Tâche de suivi créée{ticket}."

    if not can(request.user, "handle_thread"):
        messages.error(request, "Votre rôle ne permet pas de créer une tâche de suivi.")
        return redirect(_item_page(item.pk))
    return _perform(request, ComplexRequestForm(request.POST), do, _item_page(item.pk))


@require_POST
@requires("handle_thread")
def close_task(request: HttpRequest, pk: int):
    task = get_object_or_404(Task, pk=pk)
    back = reverse("helpdesk:tasks") if request.POST.get("next") == "tasks" else _item_page(task.item_id)

    def do(data):
        if data["final_reply"].strip() and not can(request.user, "reply"):
            raise ActionError("Votre rôle ne permet pas d'envoyer la réponse finale.")
        service.close_task(task, outcome=data["outcome"], by=request.user, final_reply=data["final_reply"])
        sent = " La réponse finale partira vers la plateforme." if data["final_reply"].strip() else ""
        ticket = " Le ticket Freshdesk sera résolu avec cette issue." if hasattr(task, "ticket") else ""
        return f"Tâche terminée.{sent}{ticket}"

    return _perform(request, CloseTaskForm(request.POST), do, back)


@require_POST
@requires("manage_channels")
def connect_freshdesk(request: HttpRequest):
    form = FreshdeskForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(reverse("ingestion:channels") + "#freshdesk")
    data = form.cleaned_data
    channel = service.connect_freshdesk(data["domain"], data["api_key"], data["webhook_secret"], by=request.user)
    webhook = request.build_absolute_uri(reverse("webhook-freshdesk"))
    messages.success(
        request,
        f"Freshdesk connecté ({channel.external_id}) : clé d'API et secret du webhook enregistrés chiffrés. "
        f"Dans la règle d'automatisation Freshdesk, appelez {webhook} avec l'en-tête X-Vigie-Secret.",
    )
    return redirect(reverse("ingestion:channels") + "#freshdesk")


@require_POST
@requires("manage_channels")
def disconnect_freshdesk(request: HttpRequest):
    channel = service.freshdesk_channel()
    if channel is not None:
        service.disconnect_freshdesk(channel, by=request.user)
        messages.success(request, "Freshdesk déconnecté : clé d'API effacée. Les tâches continuent dans Vigie.")
    return redirect(reverse("ingestion:channels") + "#freshdesk")
