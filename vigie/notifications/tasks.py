"""E-mails of notifications, sent by the worker through Django's mail layer: urgent ones at once, the
others gathered in one digest per person."""

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from vigie.notifications.models import Notification, email_kinds


@db_task(retries=3, retry_delay=60)
def send_emails(notification_ids: list[int]) -> int:
    """Send what was not sent yet (a retried job sends nothing twice); how many were sent."""
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related("recipient")
    messages = [(n, _email(n)) for n in pending if n.recipient.email and n.kind in email_kinds(n.recipient)]
    if messages:
        get_connection().send_messages([email for _, email in messages])
        Notification.objects.filter(pk__in=[n.pk for n, _ in messages]).update(emailed_at=timezone.now())
    return len(messages)


@db_periodic_task(crontab(minute="0"))
def send_digests_every_hour() -> int:
    return send_digests()


def send_digests() -> int:
    """One e-mail per person gathering their unread, not yet e-mailed notifications of the kinds they want
    by e-mail; how many e-mails were sent. What they do not want by e-mail stays in Vigie only."""
    waiting = (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
        .select_related("recipient")
        .order_by("recipient_id", "-updated_at")
    )
    by_person: dict = defaultdict(list)
    for notification in waiting:
        by_person[notification.recipient].append(notification)
    digests, covered = [], []
    for person, notifications in by_person.items():
        wanted = [n for n in notifications if n.kind in email_kinds(person)]
        if person.email and wanted:
            digests.append(_digest(person, wanted))
        covered += [n.pk for n in notifications]  # decided: in this e-mail, or in Vigie only
    if digests:
        get_connection().send_messages(digests)
    Notification.objects.filter(pk__in=covered).update(emailed_at=timezone.now())
    return len(digests)


def _where(notification: Notification) -> str:
    base = settings.VIGIE_BASE_URL.rstrip("/")
    return f"{base}{notification.link}" if notification.link else ""


def _email(notification: Notification) -> EmailMessage:
    lines = [notification.body, "", f"Voir dans Vigie : {_where(notification)}" if notification.link else ""]
    if notification.reason:
        lines.append(f"Motif : {notification.reason}")
    return EmailMessage(
        subject=f"[Vigie] {notification.title}",
        body="\n".join(line for line in lines if line is not None).strip() + "\n",
        to=[notification.recipient.email],
    )


def _digest(person, notifications: list[Notification]) -> EmailMessage:
    count = len(notifications)
    lines = [f"{count} notification{'s' if count > 1 else ''} en attente dans Vigie :", ""]
    for n in notifications:
        times = f" ({n.count} événements)" if n.count > 1 else ""
        lines.append(f"- {n.title}{times}")
        if n.link:
            lines.append(f"  {_where(n)}")
    lines += ["", "Vous choisissez ce qui vous parvient par e-mail sur la page Notifications de Vigie."]
    return EmailMessage(
        subject=f"[Vigie] Résumé : {count} notification{'s' if count > 1 else ''}",
        body="\n".join(lines) + "\n",
        to=[person.email],
    )
