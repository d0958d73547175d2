"""« Se connecter avec Facebook » on the « Canaux » page: the admin approves Vigie on Facebook, then
picks the Page to connect. Nothing is saved before that choice (a POST); the Page tokens wait in the
session in between, encrypted like every token."""

import json
import secrets
from dataclasses import asdict

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from vigie.accounts.roles import requires
from vigie.connectors.base import ConnectorError
from vigie.connectors.facebook import oauth
from vigie.ingestion.channels import connect_channel
from vigie.ingestion.models import Platform
from vigie.lib.crypto import decrypt, encrypt

STATE_KEY = "facebook_login_state"
PAGES_KEY = "facebook_login_pages"


def _callback_url(request) -> str:
    return request.build_absolute_uri(reverse("ingestion:facebook-callback"))


@require_POST
@requires("manage_channels")
def start(request):
    reason = oauth.unavailable_reason()
    if reason:
        messages.error(request, reason)
        return redirect("ingestion:channels")
    state = secrets.token_urlsafe(32)
    request.session[STATE_KEY] = state
    return redirect(oauth.dialog_url(state, _callback_url(request)))


@require_GET
@requires("manage_channels")
def callback(request):
    expected = request.session.pop(STATE_KEY, None)
    if not expected or not secrets.compare_digest(expected, request.GET.get("state", "")):
        messages.error(request, "Retour de Facebook refusé : la demande ne vient pas de cette session. Recommencez.")
        return redirect("ingestion:channels")
    if request.GET.get("error"):
        messages.error(request, "Autorisation refusée sur Facebook : aucune Page n'a été connectée.")
        return redirect("ingestion:channels")
    try:
        pages = oauth.managed_pages(request.GET.get("code", ""), _callback_url(request))
    except ConnectorError as exc:
        messages.error(request, f"Connexion à Facebook impossible : {exc}")
        return redirect("ingestion:channels")
    if not pages:
        messages.error(request, "Ce compte Facebook ne gère aucune Page : rien à connecter.")
        return redirect("ingestion:channels")
    request.session[PAGES_KEY] = encrypt(json.dumps([asdict(page) for page in pages]))
    return render(request, "ingestion/facebook_pages.html", {"pages": pages})


@require_POST
@requires("manage_channels")
def choose(request):
    stored = request.session.pop(PAGES_KEY, None)
    pages = {page["id"]: page for page in json.loads(decrypt(stored))} if stored else {}
    page = pages.get(request.POST.get("page", ""))
    if page is None:
        messages.error(request, "Aucune Page choisie, ou autorisation expirée : recommencez la connexion.")
        return redirect("ingestion:channels")
    channel = connect_channel(Platform.FACEBOOK, page["id"], page["name"], page["token"], request.user)
    messages.success(request, f"{channel} connecté par Facebook. Le jeton de la Page est enregistré chiffré.")
    return redirect("ingestion:channels")
