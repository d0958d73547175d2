"""Login throttling (django-axes, configured in settings): the French lockout page and the audit trail
of failures, lockouts and unlocks."""

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.shortcuts import render

from vigie.audit.record import record
from vigie.lib.ratelimit import client_address

ANONYMOUS = "anonyme"


def locked_out_response(request, original_response=None, credentials=None):
    """The login page again, saying why and for how long (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"locked_out": True, "cooloff_minutes": minutes, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


def account(username: str):
    """The user the attempt named, or ("compte", name) when no such account exists."""
    user = get_user_model().objects.filter(username=username).first()
    return user if user is not None else ("compte", username[:64])


@receiver(user_login_failed)
def audit_login_failure(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    address = client_address(request) if request is not None else "?"
    with transaction.atomic():
        record(None, "login.failed", account(username), actor_label=ANONYMOUS,
               summary=f"Échec de connexion pour « {username} » depuis {address}")  # fmt: skip


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    with transaction.atomic():
        record(None, "login.locked_out", account(username or ""), actor_label=ANONYMOUS,
               summary=f"Connexions bloquées {minutes} min pour « {username} » et {ip_address} "
               f"après {settings.AXES_FAILURE_LIMIT} échecs")  # fmt: skip


@receiver(post_delete, sender=AccessAttempt)
def audit_unlock(sender, instance, **kwargs):
    """An admin deleted the failures (admin site or `vigie axes_reset…`): the lock is lifted."""
    with transaction.atomic():
        summary = f"Échecs de connexion effacés pour « {instance.username} » et {instance.ip_address}"
        record(None, "login.unlocked", account(instance.username or ""), summary=summary)
