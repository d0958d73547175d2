"""Telling the direction and the communication officer that a crisis opened: in Vigie at once (a
notification, and the banner on every page while it is open), by e-mail and on the optional outgoing
webhook. E-mails and the webhook call are rows of an outbox (AlertDelivery) done by the worker: each
exactly once (a unique key; a claimed row is leased, so two workers never send it together), retried
with a growing pause, failed for good after MAX_ATTEMPTS (visible in the room).

The webhook's JSON body is signed: `X-Vigie-Signature-256: sha256=<HMAC-SHA256 of the body with the
secret>`; `X-Vigie-Delivery` carries the delivery's key, the same on every attempt, so that a receiver
drops the copy should a worker die between sending and recording.
"""

import hashlib
import hmac
import json
import logging
from datetime import timedelta

import httpx
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from vigie.accounts.roles import COMMUNICATION, DIRECTION
from vigie.crisis.models import AlertDelivery, Crisis, CrisisSettings
from vigie.lib import http
from vigie.lib.http import ConnectorError
from vigie.notifications.models import Kind
from vigie.notifications.service import notify, recipients, wants_email

log = logging.getLogger(__name__)

ALERTED = (DIRECTION, COMMUNICATION)
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
BACKOFF_CAP = timedelta(hours=1)
SIGNATURE_HEADER = "X-Vigie-Signature-256"
DELIVERY_HEADER = "X-Vigie-Delivery"


def room_link(crisis: Crisis) -> str:
    return reverse("crisis:room", args=[crisis.pk])


def raise_alert(crisis: Crisis) -> list[AlertDelivery]:
    """In Vigie now; e-mails and the webhook queued (sent by the worker after commit)."""
    title = f"Crise : {crisis.title}"
    # e-mails leave through the crisis's own alert outbox (below), exactly once: none from here
    notify(ALERTED, title, crisis.explanation, link=room_link(crisis), reason="Procédure, étape 4 : crise",
           email=False, kind=Kind.CRISIS, about=crisis, urgent=True)  # fmt: skip
    rows = [
        AlertDelivery(crisis=crisis, channel=AlertDelivery.Channel.EMAIL, recipient=user,
                      dedup_key=f"crisis-{crisis.pk}-email-{user.pk}")
        for user in recipients(ALERTED) if user.email and wants_email(user, Kind.CRISIS)
    ]  # fmt: skip
    if CrisisSettings.load().webhook_url:
        rows.append(AlertDelivery(crisis=crisis, channel=AlertDelivery.Channel.WEBHOOK,
                                  dedup_key=f"crisis-{crisis.pk}-webhook"))  # fmt: skip
    created = AlertDelivery.objects.bulk_create(rows)
    ids = [row.pk for row in AlertDelivery.objects.filter(crisis=crisis, status=AlertDelivery.Status.PENDING)]
    transaction.on_commit(lambda: _enqueue(ids))
    return created


def _enqueue(ids: list[int]) -> None:
    from vigie.crisis import tasks

    for pk in ids:
        tasks.deliver_alert(pk)


def due_ids(limit: int = 200) -> list[int]:
    now = timezone.now()
    return list(
        AlertDelivery.objects.filter(
            Q(status=AlertDelivery.Status.PENDING, next_attempt_at__isnull=True)
            | Q(status=AlertDelivery.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=AlertDelivery.Status.RUNNING, lease_until__lte=now)
        ).values_list("pk", flat=True)[:limit]
    )


def _claim(pk: int) -> AlertDelivery | None:
    now = timezone.now()
    with transaction.atomic():
        row = (
            AlertDelivery.objects.select_for_update(of=("self",))
            .select_related("crisis", "recipient")
            .filter(pk=pk)
            .first()
        )
        if row is None:
            return None
        due = row.status == AlertDelivery.Status.PENDING and (row.next_attempt_at is None or row.next_attempt_at <= now)
        lost = row.status == AlertDelivery.Status.RUNNING and row.lease_until and row.lease_until <= now
        if not (due or lost):
            return None
        row.status, row.attempts, row.lease_until = AlertDelivery.Status.RUNNING, row.attempts + 1, now + LEASE
        row.save(update_fields=["status", "attempts", "lease_until"])
        return row


def deliver(pk: int) -> AlertDelivery | None:
    """One attempt at one delivery; None when it was not due (done, or another worker has it)."""
    row = _claim(pk)
    if row is None:
        return None
    try:
        SENDERS[row.channel](row)
    except Exception as exc:  # SMTP and HTTP fail in many ways: each is one failed attempt, retried
        log.warning("crisis alert %s failed: %s", row.dedup_key, exc)
        return _retry(row, f"{type(exc).__name__}: {exc}"[:500])
    row.status, row.done_at, row.error, row.lease_until = AlertDelivery.Status.DONE, timezone.now(), "", None
    row.save(update_fields=["status", "done_at", "error", "lease_until"])
    return row


def _retry(row: AlertDelivery, error: str) -> AlertDelivery:
    row.error, row.lease_until = error, None
    if row.attempts >= MAX_ATTEMPTS:
        row.status = AlertDelivery.Status.FAILED
    else:
        row.status = AlertDelivery.Status.PENDING
        row.next_attempt_at = timezone.now() + min(BACKOFF_CAP, timedelta(seconds=30 * 2 ** (row.attempts - 1)))
    row.save(update_fields=["status", "error", "lease_until", "next_attempt_at"])
    return row


def _send_email(row: AlertDelivery) -> None:
    crisis = row.crisis
    base = settings.VIGIE_BASE_URL.rstrip("/")
    body = (
        f"{crisis.explanation}\n\nCellule de crise : {base}{room_link(crisis)}\n\n"
        "Procédure, étape 4 : analyser la situation, décider d'une stratégie, préparer un communiqué si besoin.\n"
    )
    EmailMessage(subject=f"[Vigie] Crise : {crisis.title}", body=body, to=[row.recipient.email]).send()


def payload(crisis: Crisis) -> dict:
    base = settings.VIGIE_BASE_URL.rstrip("/")
    return {
        "type": "crisis_opened", "crisis_id": crisis.pk, "signal": crisis.signal, "title": crisis.title,
        "explanation": crisis.explanation, "platform": crisis.platform,
        "detected_at": crisis.detected_at.isoformat(), "url": f"{base}{room_link(crisis)}",
        "message_ids": list(crisis.links.filter(trigger=True).values_list("message__external_id", flat=True)),
    }  # fmt: skip


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(body: bytes, secret: str, header: str) -> bool:
    """For receivers (and tests): the header checked in constant time."""
    return hmac.compare_digest(sign(body, secret), header or "")


def _check(response: httpx.Response) -> None:
    if response.status_code >= 400:
        raise ConnectorError(f"le webhook a répondu {response.status_code}", permanent=False)


def _send_webhook(row: AlertDelivery) -> None:
    config = CrisisSettings.load()
    if not config.webhook_url:
        raise ConnectorError("aucune adresse de webhook configurée", permanent=False)
    body = json.dumps(payload(row.crisis), ensure_ascii=False, sort_keys=True).encode()
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, config.webhook_secret),
               DELIVERY_HEADER: row.dedup_key}  # fmt: skip
    http.send("POST", config.webhook_url, content=body, headers=headers, check=_check,
              policy=http.Policy(attempts=1))  # fmt: skip


SENDERS = {AlertDelivery.Channel.EMAIL: _send_email, AlertDelivery.Channel.WEBHOOK: _send_webhook}
