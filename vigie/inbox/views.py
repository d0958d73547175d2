import hashlib
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import F
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from vigie.accounts.people import desk_people
from vigie.accounts.roles import can, requires
from vigie.connectors import registry
from vigie.inbox import actions, clocks, queries, reply_suggestions
from vigie.inbox.errors import ActionError
from vigie.inbox.forms import (
    ApproveForm,
    AssignForm,
    BulkForm,
    CorrectLabelForm,
    FilterForm,
    ModerateForm,
    NoteForm,
    RejectForm,
    ReplyForm,
    StaffTargetForm,
    StatusForm,
)
from vigie.inbox.models import Item, Message, Thread
from vigie.inbox.status import Status, allowed_targets
from vigie.lib.forms import Form
from vigie.lib.keyset import BadCursor
from vigie.lib.plural import pluriel
from vigie.moderation.models import PlatformAction
from vigie.moderation.outbox import channel_can_act
from vigie.planning import queries as planning_queries
from vigie.policy.actions import ACTION_TYPES
from vigie.sla.models import ClockSettings
from vigie.triage import playbook_defaults as playbook
from vigie.vocabulary import LABELS, Platform

# French names of everything the procedure or a rule may propose
ACTION_NAMES = {**playbook.ACTIONS, **{name: kind.label for name, kind in ACTION_TYPES.items()}}


def access_thread(request: HttpRequest, pk: int) -> Thread:
    """The thread if this user may see it (every desk role sees every thread), else 404."""
    return get_object_or_404(Thread.objects.select_related("channel", "post", "assignee"), pk=pk)


def access_item(request: HttpRequest, pk: int) -> Item:
    """The item if this user may see it (every desk role sees every item), else 404."""
    related = ("thread__channel", "thread__post", "assignee", "message__author", "message__classification")
    return get_object_or_404(Item.objects.select_related(*related), pk=pk)


def _filters(query: QueryDict) -> tuple[FilterForm, queries.Filters | None]:
    """The list's filters read from a query (the page's, or the one an item's forms carry back)."""
    form = FilterForm(query or None, auto_id="filter_%s")
    if query and not form.is_valid():
        return form, None
    return form, form.filters() if query else queries.Filters()


def _listing(request: HttpRequest, page_of, view: str) -> dict:
    """The list pane: items (the inbox) or threads (« Par publication »), with the filters."""
    form, filters = _filters(request.GET)
    context = {"filter_form": form, "filters": filters, "page": None, "view": view}
    without_cursor = request.GET.copy()
    without_cursor.pop("after", None)
    without_cursor.pop("envoye", None)
    context["filters_query"] = without_cursor.urlencode()
    context["filters_active"] = any(v for k, v in without_cursor.items() if k != "status")
    if filters is None:
        return context
    try:
        context["page"] = page_of(filters, request.user, request.GET.get("after"))
    except BadCursor:
        messages.error(request, "Le lien de pagination n'est plus valable : retour à la première page.")
        context["page"] = page_of(filters, request.user, None)
    return context


def _item_list(request: HttpRequest) -> dict:
    context = _listing(request, queries.item_page, "items") | {"assignees": desk_people(), "labels": LABELS}
    if context["filters"] is not None:
        context["count"] = _count_text(queries.item_count(context["filters"], request.user))
    return context | {"newest_item": queries.newest_item_id()}


def _count_text(count: int) -> str:
    if count > queries.COUNTED_AT_MOST:
        return f"plus de {queries.COUNTED_AT_MOST:,} éléments".replace(",", " ")
    return f"{count} élément{pluriel(count)}" if count else ""


@requires("read_inbox")
def fresh(request: HttpRequest):
    """How many items matching the list's filters arrived since the page was shown (polled by htmx):
    a marker to click, so that nothing moves under the person's eyes."""
    form, filters = _filters(request.GET)
    since = request.GET.get("depuis", "")
    count = 0
    if filters is not None and since.isdigit() and len(since) < 19:
        count = queries.items(filters, request.user).filter(pk__gt=int(since)).count()
    query = request.GET.copy()
    query.pop("depuis", None)
    return render(request, "inbox/_fresh.html", {"count": count, "filters_query": query.urlencode()})


@requires("read_inbox")
def inbox(request: HttpRequest):
    return render(request, "inbox/inbox.html", _item_list(request))


@requires("read_inbox")
def by_post(request: HttpRequest):
    return render(request, "inbox/inbox.html", _listing(request, queries.thread_page, "threads"))


def _with_recommendations(shown: list[Message]) -> list[Message]:
    """Each message with what the procedure proposes and what was asked of the platform about it."""
    for message in shown:
        message.recommended = {r.action for r in message.recommendations.all() if r.status == "proposed"}
        message.moderation_shown = [a for a in message.moderation_actions if a.verb in actions.MODERATION_VERBS]
        message.deletion = next(
            (a for a in message.moderation_shown if a.verb == "delete" and a.status in ("pending", "running", "done")),
            None,
        )
    return shown


def _item_messages(item: Item) -> dict:
    """The item's messages as shown (proposals, moderation offered per kind, what was asked of the
    platform) and a fingerprint of what a person would see change."""
    shown = _with_recommendations(list(queries.item_messages(item)))
    moderation = _moderation_choices(item.platform)
    for m in shown:
        m.moderation_choices = moderation.get(m.kind, [])
    clock = _window_of(item)
    window = clock["window"]
    seen = [item.status, item.assignee_id, window and window.rule] + [
        (m.pk, m.delivery, m.removed, m.hidden_on_platform, m.deleted_on_platform, m.edited, m.author.blocked
         if m.author else None, [(a.pk, a.status) for a in m.moderation_shown])
        for m in shown
    ]  # fmt: skip
    version = hashlib.sha256(repr(seen).encode()).hexdigest()[:16]
    return {"item": item, "item_messages": shown, "version": version, "labels": LABELS, "action_names": ACTION_NAMES,
            **clock}  # fmt: skip


def _window_of(item: Item | None) -> dict:
    """Messenger's window of a conversation's item (None elsewhere), and whether it has shut: what may still be
    sent or approved there."""
    window = clocks.messenger_window(item, timezone.now())
    return {"window": window, "window_shut": window is not None and not window.open}


@requires("read_inbox")
def item_detail(request: HttpRequest, pk: int):
    item = access_item(request, pk)
    message = item.message
    planned = planning_queries.for_post(item.thread.post_id)
    prepared = planned.prepared_messages if planned else ()
    extra = {"sujet": planned.subject} if planned else {}
    context = (
        _item_list(request)
        | _item_messages(item)
        | {
            "planned": planned,
            "thread": item.thread,
            "history": queries.author_history(message.author, exclude_item=item, limit=10) if message.author else [],
            "notes": queries.item_notes(item),
            "assign_form": AssignForm(initial={"assignee": item.assignee_id}),
            "status_choices": allowed_targets(item.status),
            "templates": reply_suggestions.for_message(message, item.platform, prepared, extra),
            "just_sent": request.GET.get("envoye", ""),
            "undone": queries.left_undone(item),
            "no_reply": _no_reply(message),
        }
    )
    context["do_first"] = _do_first(request.user, context["undone"], context["window_shut"])
    return render(request, "inbox/item.html", context)


def _do_first(user, undone: queries.Undone | None, window_shut: bool) -> str:
    """The gesture the thumb bar offers before « Traité » leaves something undone, if this person can make it here:
    "take_down", "reply", or "" (then leaving it undone is the bar's one button)."""
    if undone is None:
        return ""
    if undone.take_down:
        return "take_down" if can(user, "moderate") else ""
    return "reply" if can(user, "reply") and not window_shut else ""


def _no_reply(message: Message) -> str:
    """Why the procedure says not to answer the message (an insult, a spam, an inappropriate private message), or ""
    where a reply is part of what it proposes: the composer is then folded behind « Répondre quand même… »."""
    proposed = {r.action for r in message.recommendations.all()}
    classification = getattr(message, "classification", None)
    if classification is None or proposed & playbook.REPLIES or not proposed & playbook.INSTEAD_OF_REPLYING:
        return ""
    return f"La procédure dit de ne pas répondre à ce message ({dict(LABELS)[classification.effective_label].lower()})."


@requires("read_inbox")
def item_live(request: HttpRequest, pk: int):
    """The item's messages again if anything changed since `version` (polled by the open item), else 204."""
    context = _item_messages(access_item(request, pk))
    if request.GET.get("version") == context["version"]:
        return HttpResponse(status=204)
    query = request.GET.copy()
    query.pop("version", None)
    return render(request, "inbox/_item_messages.html", context | {"live": True, "filters_query": query.urlencode()})


@requires("read_inbox")
def thread_detail(request: HttpRequest, pk: int):
    """A post and every item under it (or a whole conversation), with a selection for bulk actions."""
    thread = access_thread(request, pk)
    shown = _with_recommendations(list(queries.thread_messages(thread)))
    context = _listing(request, queries.thread_page, "threads") | {
        "thread": thread,
        "thread_messages": shown,
        "assignees": desk_people(),
        "labels": LABELS,
        "just_sent": request.GET.get("envoye", ""),
    }
    conversation = thread.items.first() if thread.kind == Thread.Kind.CONVERSATION else None
    return render(request, "inbox/thread.html", context | _window_of(conversation))


# a private message cannot be hidden or deleted by the page on any platform: only its author can be blocked
ON_PRIVATE_MESSAGES = frozenset({"block", "unblock"})


@dataclass(frozen=True)
class ModerationChoice:
    verb: str
    label: str
    refusal: str
    confirmation: str


def _moderation_choices(platform: str) -> dict[str, list[ModerationChoice]]:
    """Per kind of message ("comment", "private_message"): what may be asked of this platform, with the
    refusal (why not, and the nearest action) or, for what cannot be undone, the confirmation to read."""
    choices = [
        ModerationChoice(verb, label, actions.capability_refusal(platform, verb), _confirmation(platform, verb))
        for verb, label in actions.MODERATION_VERBS.items()
    ]
    return {
        Message.Kind.COMMENT: choices,
        Message.Kind.PRIVATE_MESSAGE: [c for c in choices if c.verb in ON_PRIVATE_MESSAGES],
    }


def _confirmation(platform: str, verb: str) -> str:
    """What will happen on the platform and whether it can be undone, read before confirming."""
    if verb not in actions.IRREVERSIBLE:
        return ""
    name = Platform(platform).label
    detail = registry.capabilities(platform).get(verb)
    detail = f" ({detail.reason})" if detail and detail.reason else ""
    window = f"Vous aurez {int(actions.UNDO_WINDOW.total_seconds())} s pour annuler avant l'envoi."
    if verb == "delete":
        return f"Le message sera supprimé sur {name}{detail} : c'est définitif. Une preuve est capturée avant. {window}"
    undo = (
        "réversible avec « Débloquer »"
        if not actions.capability_refusal(platform, "unblock")
        else ("Vigie ne peut pas le débloquer ensuite")
    )
    return f"L'auteur sera bloqué sur {name}{detail} ; {undo}. Une preuve est capturée avant. {window}"


def _back(request: HttpRequest, url: str, *, landing: str = ""):
    """Back where the person was: `url`, with the list's filters kept (and `landing`, a query that
    brings the page to what was just done)."""
    query = "&".join(q for q in (request.POST.get("return_query", ""), landing) if q)
    candidate = f"{url}?{query}" if query else url
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=False):
        return redirect(candidate)
    return redirect(url)


def _back_to_message(request: HttpRequest, message: Message):
    if message.item_id:
        return _back(request, reverse("inbox:item", args=[message.item_id]))
    return _back(request, reverse("inbox:thread", args=[message.thread_id]))


def _form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _perform(request: HttpRequest, form, do, back):
    """Validate the form, run the action, say how it went, and go back where the person was."""
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            messages.success(request, do(form.cleaned_data))
        except ActionError as exc:
            messages.error(request, str(exc))
    return back() if callable(back) else back


@require_POST
@requires("moderate")
def moderate(request: HttpRequest, pk: int):
    message = get_object_or_404(Message.objects.select_related("channel", "thread"), pk=pk)
    verb = request.POST.get("verb", "")

    def do(data):
        return moderation_outcome(actions.moderate(message, verb, by=request.user))

    return _perform(request, ModerateForm(request.POST), do, _back_to_message(request, message))


def moderation_outcome(action: PlatformAction) -> str:
    """What happens next, in words: the undo window, or a channel that cannot act yet."""
    asked = f"{actions.MODERATION_VERBS[action.verb]} : demandé"
    if not channel_can_act(action.channel):
        return f"{asked}. Canal non connecté : action en attente, elle partira quand le canal sera reconnecté."
    if action.next_attempt_at and action.cancellable:
        seconds = int(actions.UNDO_WINDOW.total_seconds())
        return f"{asked}. Envoi à la plateforme dans {seconds} s : « Annuler » sous le message pour revenir en arrière."
    return f"{asked}, la plateforme sera mise à jour."


@require_POST
@requires("moderate")
def capture_evidence(request: HttpRequest, pk: int):
    message = get_object_or_404(Message.objects.select_related("channel", "author"), pk=pk)

    def do(data):
        evidence = actions.capture_evidence(message, by=request.user)
        return f"Preuve n° {evidence.pk} capturée : le message est conservé tel qu'il est, avec son empreinte."

    return _perform(request, Form(request.POST), do, _back_to_message(request, message))


@require_POST
@requires("moderate")
def cancel_moderation(request: HttpRequest, pk: int):
    action = get_object_or_404(PlatformAction.objects.select_related("target_message"), pk=pk)
    back = _back_to_message(request, action.target_message) if action.target_message else redirect("inbox:list")

    def do(data):
        actions.cancel_moderation(action, by=request.user)
        return f"{action.get_verb_display()} annulé : rien n'a été envoyé à la plateforme."

    return _perform(request, Form(request.POST), do, back)


@require_POST
@requires("handle_thread")
def correct_label(request: HttpRequest, pk: int):
    def do(message, data):
        actions.correct_label(message, data["label"], by=request.user)
        return "Étiquette corrigée : la correction servira au prochain entraînement."

    return _message_action(request, pk, CorrectLabelForm, do)


@require_POST
@requires("handle_thread")
def mark_staff_target(request: HttpRequest, pk: int):
    def do(message, data):
        actions.mark_staff_target(message, data["targeted"], by=request.user)
        said = "vise un membre de l'équipe" if data["targeted"] else "ne vise pas le personnel"
        return f"Noté : ce message {said}. La correction servira au prochain entraînement."

    return _message_action(request, pk, StaffTargetForm, do)


def _message_action(request: HttpRequest, pk: int, form_class, do_with):
    message = get_object_or_404(Message.objects.select_related("thread"), pk=pk)
    back = _back_to_message(request, message)
    return _perform(request, form_class(request.POST), lambda data: do_with(message, data), back)


def _item_action(request: HttpRequest, pk: int, form_class, do_with):
    item = access_item(request, pk)
    back = _back(request, reverse("inbox:item", args=[item.pk]))
    return _perform(request, form_class(request.POST), lambda data: do_with(item, data), back)


@require_POST
@requires("handle_thread")
def assign(request: HttpRequest, pk: int):
    def do(item, data):
        actions.assign(item, data["assignee"], by=request.user)
        return "Attribution enregistrée."

    return _item_action(request, pk, AssignForm, do)


@require_POST
@requires("handle_thread")
def change_status(request: HttpRequest, pk: int):
    """« Marquer comme traité » (`then=next`) opens the next item of the list the person came from: a round is
    one decision after another, down to an empty list."""
    item = access_item(request, pk)
    changed = []

    def do(data):
        left_undone = request.POST.get("left_undone") == "1"
        changed.append(actions.change_status(item, data["status"], by=request.user, left_undone=left_undone))
        return f"Statut : {changed[0].get_status_display()}."

    def back():
        if changed and changed[0].status == Status.DONE and request.POST.get("then") == "next":
            return _next_item(request, changed[0])
        return _back(request, reverse("inbox:item", args=[item.pk]))

    return _perform(request, StatusForm(request.POST), do, back)


def _next_item(request: HttpRequest, treated: Item):
    filters = _filters(QueryDict(request.POST.get("return_query", "")))[1] or queries.Filters()
    following = queries.next_item(filters, request.user, treated)
    if following is None:
        messages.info(request, "Plus rien à traiter dans cette liste.")
        return _back(request, reverse("inbox:list"))
    return _back(request, reverse("inbox:item", args=[following.pk]))


@require_POST
@requires("write_note")
def add_note(request: HttpRequest, pk: int):
    def do(item, data):
        actions.add_note(item, data["text"], by=request.user)
        return "Note interne ajoutée."

    return _item_action(request, pk, NoteForm, do)


@require_POST
@requires("handle_thread")
def bulk(request: HttpRequest):
    """One gesture on the selected items: mark done, assign, label."""
    form = BulkForm(request.POST)
    back = _back(request, _safe_next(request))

    def do(data):
        changed = actions.bulk_update(
            data["items"], by=request.user, status=data["status"], assignee=data["assignee"],
            unassign=data["unassign"], label=data["label"],
        )  # fmt: skip
        return _bulk_outcome(data, changed)

    return _perform(request, form, do, back)


def _bulk_outcome(data: dict, changed: int) -> str:
    undone = [queries.left_undone(i, data["status"]) for i in data["items"]]
    online = sum(1 for u in undone if u and u.take_down)
    unanswered = sum(1 for u in undone if u and not u.take_down)
    other = len(data["items"]) - changed - online - unanswered
    said = [f"{changed} élément{pluriel(changed)} mis à jour."]
    if online:
        said.append(f"{online} laissé{pluriel(online)} à traiter : toujours en ligne, la procédure propose de "
                    f"le{pluriel(online)} retirer (depuis sa page).")  # fmt: skip
    if unanswered:
        said.append(f"{unanswered} laissé{pluriel(unanswered)} à traiter : message{pluriel(unanswered)} privé"
                    f"{pluriel(unanswered)} sans la réponse due (depuis sa page).")  # fmt: skip
    if other:
        said.append(f"{other} inchangé{pluriel(other)} (déjà ainsi ou impossible).")
    return " ".join(said)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target.split("?")[0]
    return reverse("inbox:list")


@require_POST
@requires("reply")
def reply(request: HttpRequest, pk: int):
    """A reply from an item's page (to its message) or from a thread's page (to the post or a message)."""
    thread = access_thread(request, pk)
    form = ReplyForm(request.POST, thread=thread)
    back_item = request.POST.get("item", "")
    url = reverse("inbox:item", args=[int(back_item)]) if back_item.isdigit() else reverse("inbox:thread", args=[pk])
    sent = {}

    def do(data):
        reply = actions.compose_reply(
            thread, data["text"], by=request.user, in_reply_to=data["in_reply_to"],
            sensitive=data["sensitive"], template=data["template"],
        )  # fmt: skip
        sent["landing"] = f"envoye={reply.pk}"
        if reply.delivery == Message.Delivery.AWAITING_APPROVAL:
            return "Réponse enregistrée : elle attend l'approbation de la chargée de communication."
        return "Réponse enregistrée : elle partira vers la plateforme."

    # back to the page where the reply was written, brought to the reply (not to the top)
    return _perform(request, form, do, lambda: _back(request, url, landing=sent.get("landing", "")))


def _awaiting_reply(pk: int) -> Message:
    return get_object_or_404(Message.objects.select_related("thread"), pk=pk, kind=Message.Kind.REPLY)


@require_POST
@requires("approve_reply")
def approve_reply(request: HttpRequest, pk: int):
    reply = _awaiting_reply(pk)

    def do(data):
        actions.approve_reply(reply, by=request.user, text=data["text"])
        return "Réponse approuvée : elle part vers la plateforme."

    return _perform(request, ApproveForm(request.POST), do, _back_after_approval(request, reply))


@require_POST
@requires("approve_reply")
def reject_reply(request: HttpRequest, pk: int):
    reply = _awaiting_reply(pk)

    def do(data):
        actions.reject_reply(reply, by=request.user, reason=data["reason"])
        return "Réponse refusée : son auteur la voit comme telle dans le fil."

    return _perform(request, RejectForm(request.POST), do, _back_after_approval(request, reply))


def _back_after_approval(request: HttpRequest, reply: Message):
    """Back to the queue when the decision was taken there, else to the reply's message."""
    if request.POST.get("then") == "approvals":
        return redirect("inbox:approvals")
    return _back_to_message(request, reply)


@requires("approve_reply")
def approvals(request: HttpRequest):
    """The replies waiting for approval, the one whose private message must be answered soonest first, each with
    its clocks: a reply approved after the deadline, or after Messenger's window, comes too late."""
    waiting = (
        Message.objects.filter(kind=Message.Kind.REPLY, delivery=Message.Delivery.AWAITING_APPROVAL)
        .select_related("thread__channel", "sent_by", "parent__author", "item")
        .order_by(F("item__reply_due_at").asc(nulls_last=True), "created_at")
    )
    now, human_agent = timezone.now(), ClockSettings.current().human_agent
    rows = [(reply, clocks.messenger_window(reply.item, now, human_agent=human_agent)) for reply in waiting]
    return render(request, "inbox/approvals.html", {"waiting": rows})
