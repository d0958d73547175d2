"""/webhooks/freshdesk: a Freshdesk automation rule says a ticket changed.

The rule sends the header `X-Vigie-Secret` (the secret shown once when Freshdesk was connected),
checked in constant time, and a JSON body naming the ticket, e.g.
`{"freshdesk_webhook": {"ticket_id": "{{ticket.id}}"}}`. Nothing else in the body is trusted: a job reads
the ticket from Freshdesk and applies its status. The answer is 202 at once.
"""

import json
import logging
import secrets

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from vigie.helpdesk import service, sync
from vigie.lib import ratelimit

log = logging.getLogger(__name__)

PER_MINUTE = 120  # per address: Freshdesk calls once per ticket change


def ticket_id_of(body: bytes) -> int | None:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict) and isinstance(data.get("freshdesk_webhook"), dict):
        data = data["freshdesk_webhook"]
    value = data.get("ticket_id") if isinstance(data, dict) else None
    try:
        number = int(str(value).strip().lstrip("#"))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**53 else None


@csrf_exempt
def freshdesk(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    refused = ratelimit.refusal(request, "webhook-freshdesk", PER_MINUTE)
    if refused is not None:
        return refused
    channel = service.connected_freshdesk()
    expected = service.webhook_secret(channel) if channel else ""
    given = request.headers.get("X-Vigie-Secret", "")
    if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
        log.warning("Freshdesk webhook refused: bad or missing secret")
        return HttpResponseForbidden("Secret invalide")
    ticket_id = ticket_id_of(request.body)
    if ticket_id is None:
        return HttpResponseBadRequest("ticket_id manquant ou illisible")
    sync.refresh_ticket(channel.pk, ticket_id)
    return HttpResponse(status=202)
