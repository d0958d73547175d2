from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from vigie.accounts.roles import requires
from vigie.inbox import actions, queries, reply_suggestions
from vigie.inbox.errors import ActionError
from vigie.inbox.forms import (
    ApproveForm,
    AssignForm,
    CorrectLabelForm,
    FilterForm,
    ModerateForm,
    NoteForm,
    RejectForm,
    ReplyForm,
    StatusForm,
)
from vigie.inbox.models import Message, Thread
from vigie.inbox.status import allowed_targets
from vigie.lib.keyset import BadCursor
from vigie.policy.actions import ACTION_TYPES
from vigie.triage.models import LABELS
from vigie.triage.playbook_defaults import ACTIONS as PLAYBOOK_ACTIONS

# French names of everything the procedure or a rule may propose
ACTION_NAMES = {**PLAYBOOK_ACTIONS, **{name: kind.label for name, kind in ACTION_TYPES.items()}}


def access_thread(request: HttpRequest, pk: int) -> Thread:
    """The thread if this user may see it (every desk role sees every thread), else 404."""
    return get_object_or_404(Thread.objects.select_related("channel", "post", "assignee"), pk=pk)


def _thread_list(request: HttpRequest) -> dict:
    form = FilterForm(request.GET or None, auto_id="filter_%s")
    context = {"filter_form": form, "page": None, "query": request.GET.urlencode()}
    if request.GET and not form.is_valid():
        return context
    filters = form.filters() if request.GET else queries.Filters()
    try:
        context["page"] = queries.thread_page(filters, request.user, request.GET.get("after"))
    except BadCursor:
        messages.error(request, "Le lien de pagination n'est plus valable : retour à la première page.")
        context["page"] = queries.thread_page(filters, request.user, None)
    without_cursor = request.GET.copy()
    without_cursor.pop("after", None)
    context["filters_query"] = without_cursor.urlencode()
    context["filters_active"] = any(v for k, v in without_cursor.items() if k != "status")
    return context


@requires("read_inbox")
def inbox(request: HttpRequest):
    return render(request, "inbox/inbox.html", _thread_list(request))


@requires("read_inbox")
def thread_detail(request: HttpRequest, pk: int):
    thread = access_thread(request, pk)
    thread_messages = list(queries.thread_messages(thread))
    for message in thread_messages:
        message.recommended = {r.action for r in message.recommendations.all() if r.status == "proposed"}
    authors = {m.author_id: m.author for m in thread_messages if m.author_id}
    context = _thread_list(request) | {
        "thread": thread,
        "thread_messages": thread_messages,
        "histories": [(a, queries.author_history(a, exclude_thread=thread, limit=10)) for a in authors.values()][:8],
        "notes": thread.notes.select_related("author"),
        "assign_form": AssignForm(initial={"assignee": thread.assignee_id}),
        "status_choices": allowed_targets(thread.status),
        "note_form": NoteForm(),
        "reply_form": ReplyForm(thread=thread),
        "templates": reply_suggestions.for_thread(thread, thread_messages),
        "moderation": _moderation_choices(thread),
        "labels": LABELS,
        "action_names": ACTION_NAMES,
    }
    return render(request, "inbox/thread.html", context)


def _moderation_choices(thread: Thread) -> list[tuple[str, str, str]]:
    """(verb, French label, refusal) for this thread's platform: a refused verb says why."""
    return [
        (verb, label, actions.capability_refusal(thread.platform, verb))
        for verb, label in actions.MODERATION_VERBS.items()
    ]


def _back_to_thread(request: HttpRequest, thread: Thread):
    url = reverse("inbox:thread", args=[thread.pk])
    query = request.POST.get("return_query", "")
    candidate = f"{url}?{query}" if query else url
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return redirect(candidate)
    return redirect(url)


def _form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _perform(request: HttpRequest, thread: Thread, form, do):
    """Validate the form, run the action, say how it went, and go back to the thread."""
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            messages.success(request, do(form.cleaned_data))
        except ActionError as exc:
            messages.error(request, str(exc))
    return _back_to_thread(request, thread)


@require_POST
@requires("moderate")
def moderate(request: HttpRequest, pk: int):
    message = get_object_or_404(Message.objects.select_related("channel", "thread"), pk=pk)
    verb = request.POST.get("verb", "")

    def do(data):
        actions.moderate(message, verb, by=request.user)
        return f"{actions.MODERATION_VERBS[verb]} : demandé, la plateforme sera mise à jour (preuve capturée avant)."

    return _perform(request, message.thread, ModerateForm(request.POST), do)


@require_POST
@requires("handle_thread")
def correct_label(request: HttpRequest, pk: int):
    message = get_object_or_404(Message.objects.select_related("thread"), pk=pk)

    def do(data):
        actions.correct_label(message, data["label"], by=request.user)
        return "Étiquette corrigée : la correction servira au prochain entraînement."

    return _perform(request, message.thread, CorrectLabelForm(request.POST), do)


@require_POST
@requires("handle_thread")
def assign(request: HttpRequest, pk: int):
    thread = access_thread(request, pk)

    def do(data):
        actions.assign(thread, data["assignee"], by=request.user)
        return "Attribution enregistrée."

    return _perform(request, thread, AssignForm(request.POST), do)


@require_POST
@requires("handle_thread")
def change_status(request: HttpRequest, pk: int):
    thread = access_thread(request, pk)

    def do(data):
        changed = actions.change_status(thread, data["status"], by=request.user)
        return f"Statut : {changed.get_status_display()}."

    return _perform(request, thread, StatusForm(request.POST), do)


@require_POST
@requires("write_note")
def add_note(request: HttpRequest, pk: int):
    thread = access_thread(request, pk)

    def do(data):
        actions.add_note(thread, data["text"], by=request.user)
        return "Note interne ajoutée."

    return _perform(request, thread, NoteForm(request.POST), do)


@require_POST
@requires("reply")
def reply(request: HttpRequest, pk: int):
    thread = access_thread(request, pk)

    def do(data):
        reply = actions.compose_reply(
            thread, data["text"], by=request.user, in_reply_to=data["in_reply_to"],
            sensitive=data["sensitive"], template=data["template"],
        )  # fmt: skip
        if reply.delivery == Message.Delivery.AWAITING_APPROVAL:
            return "Réponse enregistrée : elle attend l'approbation de la chargée de communication."
        return "Réponse enregistrée : elle partira vers la plateforme."

    return _perform(request, thread, ReplyForm(request.POST, thread=thread), do)


def _awaiting_reply(pk: int) -> Message:
    return get_object_or_404(Message.objects.select_related("thread"), pk=pk, kind=Message.Kind.REPLY)


@require_POST
@requires("approve_reply")
def approve_reply(request: HttpRequest, pk: int):
    reply = _awaiting_reply(pk)

    def do(data):
        actions.approve_reply(reply, by=request.user, text=data["text"])
        return "Réponse approuvée : elle part vers la plateforme."

    return _perform(request, reply.thread, ApproveForm(request.POST), do)


@require_POST
@requires("approve_reply")
def reject_reply(request: HttpRequest, pk: int):
    reply = _awaiting_reply(pk)

    def do(data):
        actions.reject_reply(reply, by=request.user, reason=data["reason"])
        return "Réponse refusée : son auteur la voit comme telle dans le fil."

    return _perform(request, reply.thread, RejectForm(request.POST), do)


@requires("approve_reply")
def approvals(request: HttpRequest):
    waiting = (
        Message.objects.filter(kind=Message.Kind.REPLY, delivery=Message.Delivery.AWAITING_APPROVAL)
        .select_related("thread__channel", "sent_by", "parent__author")
        .order_by("created_at")
    )
    return render(request, "inbox/approvals.html", {"waiting": waiting})
