"""Private messages on the clock (pure): which message is due an answer, by when, and where it stands.

A private message that needs an answer (question, complex request, criticism, positive) is due one
`reply_hours` after it came, counted in clock hours or in the desk's business hours. Inappropriate
messages (spam, abuse…) get none: the procedure says not to answer them. A reply from the page meets
every deadline of the messages before it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from vigie.lib.clock import Calendar, add_business_hours

NEEDS_ANSWER = frozenset({"question", "complex_request", "criticism", "positive_neutral"})
DUE_SOON = timedelta(hours=4)

ON_TIME, DUE_SOON_STATE, OVERDUE, MET, MISSED = "on_time", "due_soon", "overdue", "met", "missed"
STATES = (ON_TIME, DUE_SOON_STATE, OVERDUE, MET, MISSED)
STATE_LABELS = {ON_TIME: "Dans les temps", DUE_SOON_STATE: "Échéance proche", OVERDUE: "En retard",
                MET: "Répondu à temps", MISSED: "Répondu en retard"}  # fmt: skip


@dataclass(frozen=True)
class Policy:
    hours: int = 24
    business: bool = False
    calendar: Calendar = Calendar()


def needs_answer(kind: str, label: str) -> bool:
    return kind == "private_message" and label in NEEDS_ANSWER


def due_at(received: datetime, policy: Policy) -> datetime:
    if policy.business:
        return add_business_hours(policy.calendar, received, policy.hours)
    return received + timedelta(hours=policy.hours)


def state(due: datetime | None, replied: datetime | None, now: datetime) -> str | None:
    """on_time, due_soon, overdue while unanswered; met or missed once answered; None when nothing is due."""
    if due is None:
        return None
    if replied is not None:
        return MET if replied <= due else MISSED
    if now > due:
        return OVERDUE
    return DUE_SOON_STATE if due - now <= DUE_SOON else ON_TIME


def time_left(due: datetime, now: datetime) -> str:
    """« 3 h 20 », « 45 min », « 2 j 4 h » (what a badge shows); negative spans read as the delay."""
    minutes = int(abs((due - now).total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} j {hours} h"
    return f"{hours} h {minutes:02d}" if hours else f"{minutes} min"
