"""The « Canaux » page: connect a Page / organisation / channel, see its state, disconnect it, poll it now."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from vigie.accounts.roles import requires
from vigie.audit.record import record
from vigie.connectors import authorization, registry
from vigie.connectors import tasks as connector_tasks
from vigie.ingestion.channels import connect_channel, disconnect_channel, identifier_error
from vigie.ingestion.models import Channel
from vigie.lib.forms import Form
from vigie.vocabulary import Platform, Verb

VERB_LABELS = dict(Verb.choices)


class ConnectForm(Form):
    platform = forms.ChoiceField(label="Plateforme", choices=Platform.choices)
    external_id = forms.CharField(
        label="Identifiant",
        max_length=200,
        help_text="ID de la Page Facebook, URN de l'organisation LinkedIn (urn:li:organization:…) "
        "ou ID de la chaîne YouTube (UC…).",
    )
    name = forms.CharField(label="Nom affiché", max_length=200)
    token = forms.CharField(
        label="Jeton d'accès",
        max_length=4000,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Il est chiffré dès l'enregistrement et ne sera plus jamais affiché.",
    )

    def clean(self):
        cleaned = super().clean()
        platform, external_id = cleaned.get("platform"), cleaned.get("external_id")
        if platform and external_id:
            error = identifier_error(platform, external_id)
            if error:
                self.add_error("external_id", error)
        return cleaned


def _capabilities(platform: str) -> dict:
    allowed, refused = [], []
    for verb, capability in registry.capabilities(platform).items():
        label = VERB_LABELS.get(verb, verb)
        if capability.allowed:
            allowed.append(label)
        else:
            refused.append((label, capability.reason))
    return {"allowed": allowed, "refused": refused}


def _render(request, form, status=200):
    channels = list(Channel.objects.filter(platform__in=Platform.values).order_by("platform", "name", "pk"))
    by_platform = {platform: _capabilities(platform) for platform in Platform.values}
    rows = [(channel, by_platform[channel.platform]) for channel in channels]
    context = {"rows": rows, "form": form, "authorization": authorization.offers()}
    return render(request, "ingestion/channels.html", context, status=status)


@requires("manage_channels")
def channel_list(request):
    return _render(request, ConnectForm())


@require_POST
@requires("manage_channels")
def connect(request):
    form = ConnectForm(request.POST)
    if not form.is_valid():
        return _render(request, form)  # 200 so that htmx swaps the page in and shows the errors
    data = form.cleaned_data
    channel = connect_channel(data["platform"], data["external_id"], data["name"], data["token"], request.user)
    messages.success(request, f"{channel} connecté. Le jeton est enregistré chiffré.")
    return redirect("ingestion:channels")


@require_POST
@requires("manage_channels")
def disconnect(request, pk: int):
    channel = get_object_or_404(Channel, pk=pk)
    disconnect_channel(channel, request.user)
    messages.success(request, f"{channel} déconnecté : jeton effacé, collecte arrêtée.")
    return redirect("ingestion:channels")


@require_POST
@requires("manage_channels")
def poll_now(request, pk: int):
    channel = get_object_or_404(Channel, pk=pk)
    if channel.status != Channel.Status.CONNECTED:
        messages.error(request, f"{channel} n'est pas connecté : reconnectez-le avant de relever.")
        return redirect("ingestion:channels")
    with transaction.atomic():
        record(request.user, "channel.poll_requested", channel, summary=f"Relevé demandé : {channel}")
        transaction.on_commit(lambda: connector_tasks.poll_channel(channel.pk))
    messages.success(request, f"Relevé de {channel} demandé : les nouveaux messages arrivent dans un instant.")
    return redirect("ingestion:channels")
