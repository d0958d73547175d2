"""The outbox's outcomes for our replies and the moderated messages (moderation/signals.py).

Outcomes arrive inside the transaction that records them; the check before an attempt, outside any.
"""

from django.dispatch import receiver

from vigie.inbox.actions import moderation, replies
from vigie.moderation.models import PlatformAction
from vigie.moderation.signals import action_done, action_failed, action_retried, action_starting


@receiver(action_starting)
def on_starting(sender, action: PlatformAction, **kwargs) -> str:
    return replies.messenger_refusal(action)


@receiver(action_done)
def on_done(sender, action: PlatformAction, **kwargs):
    replies.reply_sent(action)
    moderation.mirror_platform_state(action)


@receiver(action_failed)
def on_failed(sender, action: PlatformAction, refused: bool = False, **kwargs):
    replies.reply_failed(action, refused=refused)


@receiver(action_retried)
def on_retried(sender, action: PlatformAction, **kwargs):
    replies.reply_requeued(action)
