"""The outbox's outcomes for Freshdesk actions, in the transaction that records them."""

from django.dispatch import receiver

from vigie.helpdesk import service
from vigie.moderation.models import PlatformAction
from vigie.moderation.signals import action_done, action_failed


@receiver(action_done)
def on_done(sender, action: PlatformAction, **kwargs):
    if action.verb == PlatformAction.Verb.CREATE_TICKET:
        service.ticket_created(action)
    elif action.verb == PlatformAction.Verb.RESOLVE_TICKET:
        service.ticket_resolved_by_vigie(action)


@receiver(action_failed)
def on_failed(sender, action: PlatformAction, **kwargs):
    if action.verb == PlatformAction.Verb.CREATE_TICKET:
        service.ticket_failed(action)
