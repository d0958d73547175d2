"""Connecting and disconnecting a channel: the token is stored encrypted and never leaves this module.

Each change runs in one transaction with its audit event; the audit keeps whether a token is stored,
never the token itself.
"""

import json
import re

from django.db import transaction

from vigie.audit.record import record
from vigie.ingestion.models import Channel
from vigie.vocabulary import Platform

# The credentials key each connector reads (vigie/connectors/<platform>/client.py).
TOKEN_KEYS = {
    Platform.FACEBOOK: "page_access_token",
    Platform.LINKEDIN: "access_token",
    Platform.YOUTUBE: "access_token",
}

# platform → (pattern of the identifier, French explanation when it does not match)
IDENTIFIERS = {
    Platform.FACEBOOK: (
        re.compile(r"\d{5,25}"),
        "L'identifiant d'une Page Facebook ne contient que des chiffres (par exemple 104857600123456).",
    ),
    Platform.LINKEDIN: (
        re.compile(r"urn:li:organization:\d+"),
        "L'identifiant LinkedIn est l'URN de l'organisation : urn:li:organization: suivi de chiffres "
        "(par exemple urn:li:organization:2414183).",
    ),
    Platform.YOUTUBE: (
        re.compile(r"UC[A-Za-z0-9_-]{22}"),
        "L'identifiant d'une chaîne YouTube commence par UC et compte 24 caractères "
        "(par exemple UCxxxxxxxxxxxxxxxxxxxxxx).",
    ),
}


def identifier_error(platform: str, external_id: str) -> str:
    """The French reason why `external_id` is not a valid identifier for `platform`, or "" if it is."""
    if platform not in IDENTIFIERS:
        return "Plateforme inconnue."
    pattern, message = IDENTIFIERS[platform]
    return "" if pattern.fullmatch(external_id) else message


def _state(channel: Channel) -> dict:
    return {"name": channel.name, "status": channel.status, "token_stored": bool(channel.credentials)}


def connect_channel(platform: str, external_id: str, name: str, token: str, by, more: dict | None = None) -> Channel:
    """Create or update the channel with a fresh token (and `more` credentials an authorisation flow
    gave, such as a refresh token); it becomes « Connecté »."""
    external_id, name, token = external_id.strip(), name.strip(), token.strip()
    error = identifier_error(platform, external_id)
    if error:
        raise ValueError(error)
    if not token:
        raise ValueError("Le jeton d'accès est obligatoire.")
    with transaction.atomic():
        channel = Channel.objects.select_for_update().filter(platform=platform, external_id=external_id).first()
        created = channel is None
        if created:
            channel = Channel(platform=platform, external_id=external_id)
            before = {}
        else:
            before = _state(channel)
        channel.name = name or channel.name or external_id
        channel.credentials = json.dumps({TOKEN_KEYS[platform]: token} | (more or {}))
        channel.status = Channel.Status.CONNECTED
        channel.last_error = ""
        channel.save()
        record(
            by,
            "channel.connected",
            channel,
            summary=f"{'Canal ajouté' if created else 'Canal reconnecté'} : {channel}",
            before=before,
            after=_state(channel),
        )
    return channel


def disconnect_channel(channel: Channel, by) -> Channel:
    """Forget the token and stop polling: the channel becomes « Désactivé »."""
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        before = _state(channel)
        channel.credentials = ""
        channel.status = Channel.Status.DISABLED
        channel.save(update_fields=["credentials", "status"])
        record(
            by,
            "channel.disconnected",
            channel,
            summary=f"Canal déconnecté : {channel}",
            before=before,
            after=_state(channel),
        )
    return channel
