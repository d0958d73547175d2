"""The outbox's outcomes for the statement's publications, in the transaction that records them."""

from django.dispatch import receiver

from vigie.crisis import publications
from vigie.moderation.models import PlatformAction
from vigie.moderation.signals import action_done, action_failed


@receiver(action_done)
def on_done(sender, action: PlatformAction, **kwargs):
    publications.confirmed(action)


@receiver(action_failed)
def on_failed(sender, action: PlatformAction, **kwargs):
    publications.failed(action)
