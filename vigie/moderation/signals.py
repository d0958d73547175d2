"""What the outbox tells other apps, inside the transaction that records an action's outcome.

The helpdesk listens (a created ticket gets its Freshdesk number; a refused one shows its error on the
item) without the outbox knowing about tickets.
"""

from django.dispatch import Signal

action_done = Signal()  # sender=PlatformAction, action=…
action_failed = Signal()  # sender=PlatformAction, action=…
