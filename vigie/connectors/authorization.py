"""« Se connecter avec Facebook / LinkedIn / YouTube » on the « Canaux » page: the admin approves Vigie on the
platform, then picks the Page or organisation to connect. Nothing is saved before that choice (a
POST); the tokens wait in the session in between, encrypted like every token."""

import json
import secrets
from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from vigie.accounts.roles import requires
from vigie.connectors.facebook import oauth as facebook
from vigie.connectors.linkedin import oauth as linkedin
from vigie.connectors.youtube import oauth as youtube
from vigie.ingestion.channels import connect_channel
from vigie.lib.crypto import decrypt, encrypt
from vigie.lib.http import ConnectorError
from vigie.vocabulary import Platform

FLOWS = {Platform.FACEBOOK: facebook, Platform.LINKEDIN: linkedin, Platform.YOUTUBE: youtube}


def unavailable_reason(platform: str) -> str:
    """Why the platform's flow cannot be offered here ("" when it can): a setting is missing."""
    missing = [f"VIGIE_{name}" for name in FLOWS[platform].NEEDED_SETTINGS if not getattr(settings, name)]
    label = Platform(platform).label
    return f"Connexion par {label} indisponible : {' et '.join(missing)} non défini." if missing else ""


def offers() -> list[tuple[str, str, str]]:
    """(platform, its name, why its flow cannot be offered here or "") for each platform with a flow."""
    return [(platform, Platform(platform).label, unavailable_reason(platform)) for platform in FLOWS]


def _flow(platform: str):
    if platform not in FLOWS:
        raise Http404("Pas de connexion par autorisation pour cette plateforme.")
    return FLOWS[platform]


def _callback_url(request, platform: str) -> str:
    return request.build_absolute_uri(reverse("ingestion:authorize-callback", args=[platform]))


@require_POST
@requires("manage_channels")
def start(request, platform: str):
    flow = _flow(platform)
    reason = unavailable_reason(platform)
    if reason:
        messages.error(request, reason)
        return redirect("ingestion:channels")
    state = secrets.token_urlsafe(32)
    request.session[f"authorization_state_{platform}"] = state
    return redirect(flow.dialog_url(state, _callback_url(request, platform)))


@require_GET
@requires("manage_channels")
def callback(request, platform: str):
    flow, name = _flow(platform), Platform(platform).label
    expected = request.session.pop(f"authorization_state_{platform}", None)
    if not expected or not secrets.compare_digest(expected, request.GET.get("state", "")):
        messages.error(request, f"Retour de {name} refusé : la demande ne vient pas de cette session. Recommencez.")
        return redirect("ingestion:channels")
    if request.GET.get("error"):
        messages.error(request, f"Autorisation refusée sur {name} : rien n'a été connecté.")
        return redirect("ingestion:channels")
    try:
        accounts = flow.accounts(request.GET.get("code", ""), _callback_url(request, platform))
    except ConnectorError as exc:
        messages.error(request, f"Connexion à {name} impossible : {exc}")
        return redirect("ingestion:channels")
    if not accounts:
        messages.error(request, f"Ce compte {name} n'administre rien que Vigie puisse surveiller.")
        return redirect("ingestion:channels")
    request.session[f"authorization_accounts_{platform}"] = encrypt(json.dumps([asdict(a) for a in accounts]))
    return render(request, "connectors/choose_account.html", {"accounts": accounts, "platform": platform,
                                                               "platform_name": name})  # fmt: skip


@require_POST
@requires("manage_channels")
def choose(request, platform: str):
    _flow(platform)
    stored = request.session.pop(f"authorization_accounts_{platform}", None)
    accounts = {account["id"]: account for account in json.loads(decrypt(stored))} if stored else {}
    account = accounts.get(request.POST.get("account", ""))
    if account is None:
        messages.error(request, "Rien n'a été choisi, ou l'autorisation a expiré : recommencez la connexion.")
        return redirect("ingestion:channels")
    channel = connect_channel(platform, account["id"], account["name"], account["token"], request.user, account["more"])
    messages.success(request, f"{channel} connecté par autorisation. Son jeton est enregistré chiffré.")
    return redirect("ingestion:channels")
