"""Internal review tasks and the Freshdesk tickets that follow complex requests (issue #9 §3–4)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from vigie.connectors.freshdesk.client import agent_url
from vigie.inbox.models import Item
from vigie.ingestion.models import Channel
from vigie.moderation.models import PlatformAction


class Task(models.Model):
    """« Faire le point en interne » on an item: an owner, a due date, and, once closed, the outcome."""

    class Status(models.TextChoices):
        OPEN = "open", "À faire"
        DONE = "done", "Terminée"

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks")
    due_on = models.DateField(help_text="dernier jour pour faire le point (Europe/Paris)")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self):
        return self.title

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class HelpdeskTicket(models.Model):
    """The Freshdesk ticket of a task: created through the outbox (`create_action`), its number known
    once Freshdesk answered; its status comes back by webhook or by polling."""

    class Status(models.IntegerChoices):  # Freshdesk's own numbers (platform-apis.md §5.2)
        OPEN = 2, "Ouvert"
        PENDING = 3, "En attente"
        RESOLVED = 4, "Résolu"
        CLOSED = 5, "Fermé"

    task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="ticket")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    create_action = models.OneToOneField(PlatformAction, null=True, on_delete=models.PROTECT, related_name="+")
    freshdesk_id = models.BigIntegerField(null=True, blank=True)
    status = models.PositiveSmallIntegerField(choices=Status.choices, default=Status.OPEN)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "freshdesk_id"], name="helpdesk_ticket_once"),
        ]

    def __str__(self):
        return f"Ticket Freshdesk n° {self.freshdesk_id}" if self.freshdesk_id else "Ticket Freshdesk (en création)"

    @property
    def resolved(self) -> bool:
        return self.status in (self.Status.RESOLVED, self.Status.CLOSED)

    @property
    def url(self) -> str:
        """The ticket in Freshdesk's agent interface."""
        return agent_url(self.channel.external_id, self.freshdesk_id) if self.freshdesk_id else ""
