from django.db import models
from django.utils import timezone

from vigie.lib.crypto import EncryptedTextField
from vigie.vocabulary import Platform

# Channels also hold the helpdesk account Vigie acts on through the outbox (not a social platform).
CHANNEL_PLATFORMS = [*Platform.choices, ("freshdesk", "Freshdesk")]


class Channel(models.Model):
    """A Facebook Page, a LinkedIn organisation page or a YouTube channel; or the centre's Freshdesk
    account (vigie/helpdesk), whose ticket actions go through the same outbox."""

    class Status(models.TextChoices):
        NOT_CONNECTED = "not_connected", "Non connecté"  # known from imports, no token yet
        CONNECTED = "connected", "Connecté"
        TO_RECONNECT = "to_reconnect", "À reconnecter"
        DISABLED = "disabled", "Désactivé"

    platform = models.CharField(max_length=20, choices=CHANNEL_PLATFORMS)
    external_id = models.CharField(max_length=200, help_text="page id, organisation URN or channel id")
    name = models.CharField(max_length=200)
    credentials = EncryptedTextField(blank=True, default="", help_text="JSON: tokens, encrypted at rest")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_CONNECTED)
    poll_cursor = models.JSONField(default=dict, blank=True)
    last_event_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "external_id"], name="channel_unique")]

    def __str__(self):
        return f"{self.get_platform_display()} · {self.name}"


class RawEvent(models.Model):
    """What a platform, a poll or an import handed us, stored before anything else."""

    class Source(models.TextChoices):
        WEBHOOK = "webhook", "Webhook"
        POLL = "poll", "Collecte périodique"
        IMPORT = "import", "Import"
        DEMO = "demo", "Démo"

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        DONE = "done", "Traité"
        FAILED = "failed", "En échec"

    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True)
    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.PROTECT)
    source = models.CharField(max_length=20, choices=Source.choices)
    body = models.TextField()
    body_sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)  # a journalled delivery keeps its own time
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    claimed_until = models.DateTimeField(null=True, blank=True)  # a worker has it in hand until then
    retry_after = models.DateTimeField(null=True, blank=True)  # an attempt failed unexpectedly: not before then

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "body_sha256"], name="rawevent_delivered_once")]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self):
        return f"RawEvent #{self.pk} ({self.source}, {self.status})"
