"""/webhooks/monday: monday.com's board webhooks.

- Registration: monday POSTs {"challenge": "…"} and expects the same JSON back (nothing secret is
  derived from it; a few a minute per address).
- Events: {"event": {"type", "boardId", "pulseId", …}} with a JWT in `Authorization`, signed (HS256)
  with the app's Signing Secret (`VIGIE_MONDAY_SIGNING_SECRET`; unset: the endpoint answers 404). The
  signature is checked by PyJWT (constant-time comparison), with its expiry and, when it names one,
  its audience (this endpoint's address). A good event queues a re-read of its item and answers 200 at
  once: nothing is trusted from the event itself, and an event lost is caught by the periodic read.
"""

import logging

import jwt
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseNotFound, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from vigie.connectors.base import ParseError, load_json
from vigie.lib import ratelimit
from vigie.planning import tasks
from vigie.planning.models import Board

log = logging.getLogger(__name__)

CHALLENGES_PER_MINUTE = 10
MAX_CHALLENGE = 200


@csrf_exempt
def monday(request):
    secret = settings.MONDAY_SIGNING_SECRET
    if not secret:
        log.warning("monday webhook refused: VIGIE_MONDAY_SIGNING_SECRET is not set")
        return HttpResponseNotFound("Webhook monday.com désactivé.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        body = load_json(request.body.decode("utf-8", errors="replace"), "Corps du webhook")
    except ParseError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    if isinstance(body, dict) and "challenge" in body:
        return _challenge(request, body["challenge"])
    if not authentic(request, secret):
        log.warning("monday webhook: bad or missing Authorization JWT, event refused")
        return HttpResponse("Signature invalide.", status=403, content_type="text/plain")
    return _event(body)


def _challenge(request, challenge):
    refused = ratelimit.refusal(request, "monday-challenge", CHALLENGES_PER_MINUTE)
    if refused is not None:
        return refused
    if not isinstance(challenge, str) or not 0 < len(challenge) <= MAX_CHALLENGE:
        return HttpResponse("challenge invalide.", status=400, content_type="text/plain")
    return JsonResponse({"challenge": challenge})


def authentic(request, secret: str) -> bool:
    token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    audiences = [request.build_absolute_uri(), f"{settings.VIGIE_BASE_URL.rstrip('/')}{request.path}"]
    try:
        jwt.decode(token, secret, algorithms=["HS256"], audience=audiences, options={"require": ["exp"]})
    except jwt.InvalidAudienceError:
        return False
    except jwt.MissingRequiredClaimError as exc:
        if exc.claim != "aud":
            return False
        return _without_audience(token, secret)
    except jwt.PyJWTError:
        return False
    return True


def _without_audience(token: str, secret: str) -> bool:
    try:
        jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp"], "verify_aud": False})
    except jwt.PyJWTError:
        return False
    return True


def _event(body) -> HttpResponse:
    event = body.get("event") if isinstance(body, dict) else None
    if not isinstance(event, dict) or not event.get("pulseId"):
        return JsonResponse({"ignored": "no item in this event"})  # board-level events: the periodic read sees them
    board = Board.objects.filter(board_id=str(event.get("boardId")), status=Board.Status.CONNECTED).first()
    if board is None:
        log.info("monday webhook for a board Vigie does not follow: %s", event.get("boardId"))
        return JsonResponse({"ignored": "board not connected"})
    tasks.refresh_after_commit(board.pk, str(event["pulseId"]))
    return JsonResponse({"queued": str(event["pulseId"])})
