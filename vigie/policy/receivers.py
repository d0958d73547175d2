"""The inbox's events the procedure follows, in the transaction that records them."""

from django.dispatch import receiver

from vigie.inbox.models import Message
from vigie.inbox.signals import label_checked
from vigie.policy import service
from vigie.triage.models import Classification


@receiver(label_checked)
def on_label_checked(sender, message: Message, classification: Classification, **kwargs):
    service.replan(message, classification)
