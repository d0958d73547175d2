"""What the outbox tells other apps about an action, so that it knows nothing of their rows.

The inbox listens (a reply sent, failed or queued again; a message hidden; an author blocked; a
Messenger reply past its window refused before it leaves), and so do the helpdesk (a created ticket
gets its Freshdesk number; a refused one shows its error on the item) and the crisis desk (the
statement's posts). Outcomes are sent inside the transaction that records them.
"""

from django.dispatch import Signal

# sender=PlatformAction, action=… (claimed, `action.resumed` set), outside any transaction, before the
# platform is called: a receiver returns why the action must not leave (it fails with that reason), or "".
action_starting = Signal()
action_done = Signal()  # sender=PlatformAction, action=…
# sender=PlatformAction, action=…, refused=True when a receiver of action_starting refused it
action_failed = Signal()
action_retried = Signal()  # sender=PlatformAction, action=… (an admin's « Relancer »: pending again)
