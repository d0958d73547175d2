"""Freshdesk as an outbox target: create a ticket, add a private note, resolve it (platform-apis.md §5).

Each action is done once: `find_done` looks on Freshdesk for what an interrupted attempt may have
created (the ticket carries the tag `vigie-<dedup key>`, the note a marker) before anything is sent
again. Status changes come back by webhook and by polling (vigie/helpdesk/sync.py).
"""

import html
import json
import logging
from datetime import timedelta

from django.utils import timezone

from vigie.connectors import registry
from vigie.connectors.base import ActionRequest, ActionResult, Capability, Connector, ParseError
from vigie.connectors.freshdesk.client import FreshdeskClient
from vigie.lib.http import ConnectorError

log = logging.getLogger(__name__)

PLATFORM = "freshdesk"
RESOLVED = 4
FIND_DONE_SLACK = timedelta(minutes=5)


def ticket_tag(dedup_key: str) -> str:
    """The tag by which Vigie finds again the ticket an action created ("ticket:12" → "vigie-ticket-12")."""
    return "vigie-" + dedup_key.replace(":", "-")


def note_marker(dedup_key: str) -> str:
    return f"<!-- vigie:{html.escape(dedup_key)} -->"


def client_for(channel) -> FreshdeskClient:
    try:
        credentials = json.loads(channel.credentials or "{}")
    except json.JSONDecodeError:
        credentials = {}
    if not credentials.get("api_key"):
        raise ConnectorError("Aucune clé d'API Freshdesk enregistrée : connectez Freshdesk", reconnect=True)
    return FreshdeskClient(channel.external_id, credentials["api_key"])


def _ticket_id(request: ActionRequest) -> int:
    return int(request.options["ticket_id"])


class FreshdeskConnector(Connector):
    platform = PLATFORM
    capabilities = {verb: Capability(True) for verb in ("create_ticket", "ticket_note", "resolve_ticket")}

    def parse(self, body: str):
        raise ParseError("Freshdesk n'envoie pas de messages à la boîte de réception")

    def act(self, channel, request: ActionRequest) -> ActionResult:
        api = client_for(channel)
        if request.verb == "create_ticket":
            fields = dict(request.options["ticket"])
            fields["tags"] = [*fields.get("tags", []), ticket_tag(request.dedup_key)]
            return _created(api.create_ticket(fields))
        if request.verb == "ticket_note":
            note = api.add_note(_ticket_id(request), request.options["body"] + note_marker(request.dedup_key))
            return ActionResult(platform_id=str(note["id"]))
        return _created(api.update_ticket(_ticket_id(request), {"status": RESOLVED}))  # resolve_ticket

    def find_done(self, channel, request: ActionRequest) -> ActionResult | None:
        api = client_for(channel)
        if request.verb == "create_ticket":
            since = (request.started_at or timezone.now()) - FIND_DONE_SLACK
            tag = ticket_tag(request.dedup_key)
            found = next((t for t in api.tickets_updated_since(since) if tag in (t.get("tags") or [])), None)
            return _created(found) if found else None
        if request.verb == "ticket_note":
            marker = note_marker(request.dedup_key)
            found = next((n for n in api.conversations(_ticket_id(request)) if marker in n.get("body", "")), None)
            return ActionResult(platform_id=str(found["id"])) if found else None
        if request.verb == "resolve_ticket":
            ticket = api.ticket(_ticket_id(request))
            return ActionResult(platform_id=str(ticket["id"])) if ticket.get("status", 0) >= RESOLVED else None
        return None


def _created(ticket: dict) -> ActionResult:
    return ActionResult(platform_id=str(ticket["id"]), details={"status": ticket.get("status")})


connector = registry.register(FreshdeskConnector())
