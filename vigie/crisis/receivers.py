"""The outbox's outcomes for the statement's publications, and labels people checked, in the transaction that
records them."""

from django.dispatch import receiver

from vigie.crisis import publications, service
from vigie.inbox.models import Message
from vigie.inbox.signals import label_checked
from vigie.moderation.models import PlatformAction
from vigie.moderation.signals import action_done, action_failed


@receiver(action_done)
def on_done(sender, action: PlatformAction, **kwargs):
    publications.confirmed(action)


@receiver(action_failed)
def on_failed(sender, action: PlatformAction, **kwargs):
    publications.failed(action)


@receiver(label_checked)
def on_label_checked(sender, message: Message, **kwargs):
    service.recheck_claim(message)
    service.recheck_attack(message)
    service.recheck_cleared(message)
