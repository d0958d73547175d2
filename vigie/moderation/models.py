from django.conf import settings
from django.db import models

from vigie.ingestion.models import Channel
from vigie.vocabulary import Verb


class PlatformAction(models.Model):
    """The outbox: one action to carry out on a platform, done exactly once by the worker
    (vigie/moderation/outbox.py)."""

    Verb = Verb  # the outbox's verbs are Vigie's words (vocabulary.py)

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Fait"
        FAILED = "failed", "En échec"
        CANCELLED = "cancelled", "Annulé"

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="actions")
    verb = models.CharField(max_length=20, choices=Verb.choices)
    target_message = models.ForeignKey(
        "inbox.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="platform_actions"
    )
    reply_message = models.ForeignKey(
        "inbox.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by_rule = models.CharField(max_length=200, blank=True)
    dedup_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # set when an attempt starts: a running action whose lease expired was interrupted (worker died)
    lease_until = models.DateTimeField(null=True, blank=True)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    platform_result_id = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    @property
    def cancellable(self) -> bool:
        """Not tried yet: the person who asked can still take it back (undo window, channel offline)."""
        return self.status == self.Status.PENDING and self.first_attempt_at is None

    def set_option(self, name: str, value: str) -> None:
        """An option the platform call carries (Messenger's HUMAN_AGENT tag), kept on the row."""
        options = (self.result or {}).get("options", {})
        if options.get(name, "") != value:
            self.result = {**(self.result or {}), "options": {**options, name: value}}
            self.save(update_fields=["result", "updated_at"])

    def __str__(self):
        return f"{self.get_verb_display()} ({self.get_status_display()})"


class Evidence(models.Model):
    """What a message was when it was captured, before any hide or delete. Never modified."""

    message = models.ForeignKey("inbox.Message", on_delete=models.PROTECT, related_name="evidence")
    record = models.JSONField(help_text="text, author, permalink, times, platform, as captured")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON of `record`")
    captured_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by_rule = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-captured_at", "-id"]

    def __str__(self):
        return f"Preuve n° {self.pk} ({self.sha256[:12]})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Une preuve ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Une preuve ne se supprime pas.")
