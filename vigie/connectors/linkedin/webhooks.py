"""/webhooks/linkedin: LinkedIn's validation challenge (GET) and social action notifications (POST).

The challenge answer is the HMAC of the code with the client secret, the very key that signs
notifications (over "hmacsha256=" + body): answering any code would sign any body for anyone. So only
codes shaped like LinkedIn's (a UUID) are answered, and each address may ask a few times a minute
(LinkedIn asks every two hours; platform-apis.md §2.5).

A notification is checked (X-LI-Signature), stored as a raw event and queued; the answer is 200 at
once. Nothing is parsed and no platform is called during the request (DESIGN §4).
"""

import hashlib
import hmac
import logging
import uuid

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed, HttpResponseNotFound, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from vigie.ingestion import raw_events
from vigie.lib import ratelimit

log = logging.getLogger(__name__)

SIGNATURE_PREFIX = "hmacsha256="
CHALLENGES_PER_MINUTE = 10  # per address


def sign(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_is_valid(secret: str, body: bytes, header: str) -> bool:
    """LinkedIn signs "hmacsha256=" + raw body; the header carries the hex digest, bare or prefixed
    (the documentation reads both ways, platform-apis.md §2.5)."""
    given = header.strip().removeprefix(SIGNATURE_PREFIX).lower().encode()
    return hmac.compare_digest(given, sign(secret, SIGNATURE_PREFIX.encode() + body).encode())


@csrf_exempt
def linkedin(request):
    secret = settings.LINKEDIN_CLIENT_SECRET
    if not secret:
        log.warning("LinkedIn webhook refused: VIGIE_LINKEDIN_CLIENT_SECRET is not set")
        return HttpResponseNotFound("Webhook LinkedIn désactivé.")
    if request.method == "GET":
        return _challenge(request, secret)
    if request.method == "POST":
        return _notification(request, secret)
    return HttpResponseNotAllowed(["GET", "POST"])


def is_uuid(code: str) -> bool:
    try:
        return str(uuid.UUID(code)) == code.lower()
    except ValueError:
        return False


def _challenge(request, secret: str):
    refused = ratelimit.refusal(request, "linkedin-challenge", CHALLENGES_PER_MINUTE)
    if refused is not None:
        return refused
    code = request.GET.get("challengeCode", "")
    if not code:
        return HttpResponseBadRequest("challengeCode manquant.")
    if not is_uuid(code):
        log.warning("LinkedIn webhook: challenge refused, the code is not a UUID")
        return HttpResponseBadRequest("challengeCode invalide : LinkedIn envoie un UUID.")
    return JsonResponse({"challengeCode": code, "challengeResponse": sign(secret, code.encode())})


def _notification(request, secret: str):
    status, text = deliver(secret, request.body, request.headers.get("X-LI-Signature", ""))
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def deliver(secret: str, body: bytes, signature: str) -> tuple[int, str]:
    """A POSTed notification: checked, stored, its processing asked for; the answer's status and text (the
    view above and the door, `connectors/door.py`, answer with them)."""
    if not signature_is_valid(secret, body, signature):
        log.warning("LinkedIn webhook: bad or missing X-LI-Signature, delivery refused")
        return 403, "Signature invalide."
    try:
        text, error = body.decode("utf-8"), ""
    except UnicodeDecodeError:
        text, error = body.decode("utf-8", errors="replace"), "corps illisible : ce n'est pas du texte UTF-8"
    pk = raw_events.store_delivery(text, platform="linkedin", error=error)  # committed
    raw_events.wake_after_commit(pk)  # an unreadable one too: the journal's move keeps it failed for the admins
    return 200, ""
