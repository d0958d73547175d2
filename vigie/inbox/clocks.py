"""The clocks an item shows: its reply deadline (sla/deadlines.py) and, on a Messenger conversation,
the platform's messaging window (sla/messenger.py)."""

from dataclasses import dataclass
from datetime import datetime

from vigie.inbox.models import Item
from vigie.sla import deadlines, messenger
from vigie.sla.models import ClockSettings
from vigie.vocabulary import Platform


@dataclass(frozen=True)
class Badge:
    state: str  # on_time, due_soon, overdue, met, missed
    text: str  # « Reste 3 h 20 », « En retard de 2 h »
    due: datetime


def badge(due: datetime | None, replied: datetime | None, now: datetime) -> Badge | None:
    state = deadlines.state(due, replied, now)
    if state is None:
        return None
    if state == deadlines.OVERDUE:
        text = f"En retard de {deadlines.time_left(due, now)}"
    elif state in (deadlines.MET, deadlines.MISSED):
        text = deadlines.STATE_LABELS[state]
    else:
        text = f"Reste {deadlines.time_left(due, now)}"
    return Badge(state, text, due)


def is_messenger(item: Item) -> bool:
    return item.platform == Platform.FACEBOOK and item.is_conversation


def messenger_window(item: Item | None, now: datetime, *, human_agent: bool | None = None) -> messenger.Window | None:
    """The Messenger window of the item's conversation (from the person's last message), or None."""
    if item is None or not is_messenger(item):
        return None
    if human_agent is None:
        human_agent = ClockSettings.current().human_agent
    return messenger.window(item.received_at, now, human_agent=human_agent)
