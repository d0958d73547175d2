from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from vigie.accounts.roles import can, requires
from vigie.crisis import actions, dryrun
from vigie.crisis import demo as crisis_demo
from vigie.crisis import publications as crisis_publications
from vigie.crisis import room as crisis_room
from vigie.crisis.forms import (
    CloseForm,
    MergeForm,
    PublishForm,
    ReasonForm,
    SettingsForm,
    StatementForm,
    StrategyForm,
)
from vigie.crisis.models import AlertDelivery, Crisis, CrisisSettings, Statement, StatementPublication


@requires("read_crisis")
def crisis_list(request):
    crises = Crisis.objects.all()[:100]
    return render(request, "crisis/list.html", {"crises": crises})


@requires("read_crisis")
def room(request, pk: int):
    crisis = get_object_or_404(Crisis, pk=pk)
    statement = Statement.objects.filter(crisis=crisis).prefetch_related("versions__approvals__user").first()
    context = {
        "crisis": crisis,
        "timeline": crisis_room.timeline(crisis),
        "curve": crisis_room.curve(crisis),
        "follow_up": crisis_room.follow_up(crisis),
        "people": crisis_room.people(),
        "strategies": crisis.strategies.select_related("author"),
        "statement": statement,
        "statement_version": statement.current if statement else None,
        "deliveries": AlertDelivery.objects.filter(crisis=crisis).select_related("recipient"),
        "others": Crisis.objects.filter(status__in=Crisis.ACTIVE).exclude(pk=crisis.pk),
        "decide": can(request.user, "decide_crisis"),
        "strategy_form": StrategyForm(initial=_last_strategy(crisis)),
        "statement_form": StatementForm(
            initial={"text": statement.current.text} if statement and statement.current else None
        ),  # fmt: skip
        "close_form": CloseForm(initial=CloseForm.initial_for(request.user)),
        "publish_form": PublishForm(crisis=crisis),
        "not_offered": crisis_publications.refusals(),
        "publications": StatementPublication.objects.filter(statement__crisis=crisis).select_related(
            "channel", "action", "reply"
        ),
        "improvement_actions": crisis.improvement_actions.select_related("owner"),
    }
    return render(request, "crisis/room.html", context)


def _last_strategy(crisis: Crisis) -> dict:
    last = crisis.strategies.first()
    return {"decision": last.decision, "owners": last.owners} if last else {}


def _act(request, pk: int, form_class, do, done: str):
    """A decision posted from the room: validated, done through the actions layer, said in French."""
    crisis = get_object_or_404(Crisis, pk=pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("crisis:room", pk=crisis.pk)
    try:
        do(crisis, form.cleaned_data if form is not None else {})
    except actions.CrisisError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("crisis:room", pk=crisis.pk)


@require_POST
@requires("decide_crisis")
def escalate(request, pk: int):
    return _act(request, pk, ReasonForm, lambda c, d: actions.escalate(c, by=request.user, reason=d["reason"]),
                "Crise escaladée.")  # fmt: skip


@require_POST
@requires("decide_crisis")
def dismiss(request, pk: int):
    return _act(request, pk, ReasonForm, lambda c, d: actions.dismiss(c, by=request.user, reason=d["reason"]),
                "Crise classée comme fausse alerte.")  # fmt: skip


@require_POST
@requires("decide_crisis")
def merge(request, pk: int):
    def do(crisis, data):
        into = Crisis.objects.filter(pk=data["into"]).first()
        if into is None:
            raise actions.CrisisError("Cette crise n'existe pas.")
        actions.merge(crisis, into, by=request.user, reason=data["reason"])

    return _act(request, pk, MergeForm, do, "Crises fusionnées.")


@require_POST
@requires("decide_crisis")
def close(request, pk: int):
    return _act(request, pk, CloseForm, lambda c, d: actions.close(c, by=request.user, **d), "Crise close.")


@require_POST
@requires("decide_crisis")
def strategy(request, pk: int):
    return _act(request, pk, StrategyForm, lambda c, d: actions.save_strategy(c, by=request.user, **d),
                "Stratégie enregistrée (nouvelle version).")  # fmt: skip


@require_POST
@requires("decide_crisis")
def statement(request, pk: int):
    return _act(request, pk, StatementForm, lambda c, d: actions.draft_statement(c, by=request.user, text=d["text"]),
                "Communiqué enregistré : il attend les approbations.")  # fmt: skip


@require_POST
@requires("decide_crisis")
def approve(request, pk: int):
    return _act(request, pk, None, lambda c, d: actions.approve_statement(c, by=request.user),
                "Approbation enregistrée.")  # fmt: skip


@require_POST
@requires("decide_crisis")
def publish(request, pk: int):
    crisis = get_object_or_404(Crisis, pk=pk)

    def form(data):
        return PublishForm(data, crisis=crisis)

    def do(crisis, data):
        actions.publish_statement(crisis, by=request.user, replies=data["replies"], posts=data["posts"],
                                  channels=list(data["channels"]) or None)  # fmt: skip

    return _act(request, pk, form, do, "Communiqué publié : il part vers les plateformes par la file d'envoi.")


@require_POST
@requires("decide_crisis")
def retry_publication(request, pk: int, publication_id: int):
    publication = get_object_or_404(StatementPublication, pk=publication_id, statement__crisis_id=pk)
    return _act(request, pk, None, lambda c, d: actions.retry_publication(publication, by=request.user),
                "Publication relancée.")  # fmt: skip


@requires("manage_crisis")
def settings_view(request):
    config = CrisisSettings.load()
    form = SettingsForm(request.POST or None, initial=SettingsForm.initial_from(config))
    result = None
    if request.method == "POST" and form.is_valid():
        thresholds = form.thresholds()
        if request.POST.get("action") == "enregistrer":
            data = form.cleaned_data
            actions.update_settings(by=request.user, thresholds=thresholds, webhook_url=data["webhook_url"],
                                    webhook_secret=data["webhook_secret"] or None)  # fmt: skip
            messages.success(request, "Réglages enregistrés.")
            return redirect("crisis:settings")
        result = dryrun.dry_run(config.values().from_mapping(thresholds))
    return render(
        request, "crisis/settings.html", {"form": form, "result": result, "has_secret": bool(config.webhook_secret)}
    )


@require_POST
@requires("manage_crisis")
def demo(request):
    crisis = crisis_demo.start_demo_crisis()
    if crisis is None:
        messages.error(request, "La détection n'a pas ouvert de crise avec ces messages.")
        return redirect("crisis:list")
    messages.success(request, "Crise de démonstration déclenchée : trois attaques contre la directrice.")
    return redirect("crisis:room", pk=crisis.pk)
