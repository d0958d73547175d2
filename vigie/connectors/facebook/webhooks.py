"""GET/POST /webhooks/facebook: the verification handshake, then signed deliveries stored as they came.

The handshake signs nothing (it echoes Meta's challenge once the verify token matches), so it is no
signature oracle; each address may try it a few times a minute, so the verify token cannot be guessed.
Nothing is parsed and no platform is called in the request: the raw body is stored (once per body) and
processed by a job after commit (platform-apis.md §1.3–§1.5). Disabled (404) while the app secret is unset.
"""

import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from vigie.ingestion import raw_events
from vigie.lib import ratelimit

log = logging.getLogger(__name__)

HANDSHAKES_PER_MINUTE = 10  # per address


@csrf_exempt
@require_http_methods(["GET", "POST"])
def facebook(request):
    if not settings.FACEBOOK_APP_SECRET:
        log.warning("Webhook Facebook désactivé (404) : VIGIE_FACEBOOK_APP_SECRET n'est pas défini.")
        return HttpResponseNotFound("Webhook Facebook non configuré.", content_type="text/plain; charset=utf-8")
    if request.method == "GET":
        return limited_handshake(request)
    status, text = deliver(request.body, request.headers.get("X-Hub-Signature-256", ""))
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def limited_handshake(request) -> HttpResponse:
    refused = ratelimit.refusal(request, "facebook-handshake", HANDSHAKES_PER_MINUTE)
    return refused if refused is not None else handshake(request.GET)


def handshake(query) -> HttpResponse:
    """Meta's subscription check: echo hub.challenge when the verify token is ours."""
    expected = settings.FACEBOOK_VERIFY_TOKEN.encode()
    given = query.get("hub.verify_token", "").encode()
    if query.get("hub.mode") != "subscribe" or not expected or not hmac.compare_digest(given, expected):
        log.warning("Vérification du webhook Facebook refusée (mode ou jeton de vérification faux).")
        return HttpResponseForbidden("Vérification refusée.", content_type="text/plain; charset=utf-8")
    return HttpResponse(query.get("hub.challenge", ""), content_type="text/plain")


def signature_ok(body: bytes, header: str) -> bool:
    """X-Hub-Signature-256 is `sha256=` + the HMAC-SHA256 of the raw body, keyed with the app secret."""
    digest = hmac.new(settings.FACEBOOK_APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"sha256={digest}".encode(), header.strip().encode())


def deliver(body: bytes, signature: str) -> tuple[int, str]:
    """A POSTed delivery: checked, stored, its processing asked for; the answer's status and text (the
    view above and the door, `connectors/door.py`, answer with them)."""
    if not signature_ok(body, signature):
        log.warning("Livraison Facebook refusée : signature X-Hub-Signature-256 absente ou fausse.")
        return 403, "Signature invalide."
    text, problem = readable(body)
    pk = raw_events.store_delivery(text, platform="facebook", error=problem)  # committed
    raw_events.wake_after_commit(pk)  # an unreadable one too: the journal's move keeps it failed for the admins
    return 200, "EVENT_RECEIVED"


def readable(body: bytes) -> tuple[str, str]:
    """The body as text, and why it cannot be read ("" when it can): kept for the admins either way."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = (
            f"Livraison Facebook illisible : pas de l'UTF-8 (octet 0x{body[exc.start]:02x} en position {exc.start})"
        )
        return body.decode("utf-8", "backslashreplace"), problem
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return (
            text,
            f"Livraison Facebook illisible : JSON invalide ({exc.msg}, ligne {exc.lineno}, colonne {exc.colno})",
        )
    except RecursionError:
        return text, ""  # nested too deep to check here: processing fails it with the reason
    return text, ""
