"""E-mails of notifications, sent by the worker through Django's mail layer."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from huey.contrib.djhuey import db_task

from vigie.notifications.models import Notification
from vigie.notifications.service import wants_email


@db_task(retries=3, retry_delay=60)
def send_emails(notification_ids: list[int]) -> int:
    """Send what was not sent yet (a retried job sends nothing twice); how many were sent."""
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related("recipient")
    messages = [(n, _email(n)) for n in pending if n.recipient.email and wants_email(n.recipient)]
    if messages:
        get_connection().send_messages([email for _, email in messages])
        Notification.objects.filter(pk__in=[n.pk for n, _ in messages]).update(emailed_at=timezone.now())
    return len(messages)


def _email(notification: Notification) -> EmailMessage:
    base = settings.VIGIE_BASE_URL.rstrip("/")
    lines = [notification.body, "", f"Voir dans Vigie : {base}{notification.link}" if notification.link else ""]
    if notification.reason:
        lines.append(f"Motif : {notification.reason}")
    return EmailMessage(
        subject=f"[Vigie] {notification.title}",
        body="\n".join(line for line in lines if line is not None).strip() + "\n",
        to=[notification.recipient.email],
    )
