"""A crisis still open is a legal hold: the retention job and erasures leave its messages, their
evidence and their authors alone until it is closed, dismissed or merged (vigie/records/holds.py)."""

from vigie.crisis.models import Crisis, CrisisMessage


def open_crisis_messages() -> set[int]:
    """The ids of the messages of every open or escalated crisis."""
    return set(CrisisMessage.objects.filter(crisis__status__in=Crisis.ACTIVE).values_list("message_id", flat=True))
