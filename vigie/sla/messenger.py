"""Messenger's messaging window (pure; platform-apis.md §1.8): a free reply within 24 h of the person's
last message; after that only a reply tagged HUMAN_AGENT, up to 7 days, if the app has that permission."""

from dataclasses import dataclass
from datetime import datetime, timedelta

STANDARD_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)

STANDARD, HUMAN_AGENT, CLOSED = "standard", "human_agent", "closed"
TAGGED = (
    "Fenêtre de 24 h fermée : la réponse partira avec l'étiquette « agent humain » (permise jusqu'à 7 jours "
    "après le dernier message de la personne)."
)
SEVEN_DAYS_PASSED = (
    "Plus de 7 jours depuis le dernier message de la personne : Facebook refuse toute réponse. "
    "Attendez qu'elle vous écrive de nouveau."
)
NO_HUMAN_AGENT = (
    "Fenêtre Messenger de 24 h fermée : Facebook refuse la réponse (l'application n'a pas la permission "
    "« agent humain »). Attendez que la personne vous écrive de nouveau."
)


@dataclass(frozen=True)
class Window:
    rule: str  # standard, human_agent or closed
    until: datetime | None  # when the rule that applies ends
    message: str  # what the composer says

    @property
    def open(self) -> bool:
        return self.rule != CLOSED

    @property
    def tag(self) -> str:
        return "HUMAN_AGENT" if self.rule == HUMAN_AGENT else ""


def window(last_incoming: datetime, now: datetime, *, human_agent: bool) -> Window:
    standard_end = last_incoming + STANDARD_WINDOW
    tagged_end = last_incoming + HUMAN_AGENT_WINDOW
    if now < standard_end:
        return Window(STANDARD, standard_end, "Fenêtre Messenger ouverte : réponse libre jusqu'à la fin des 24 h.")
    if human_agent and now < tagged_end:
        return Window(HUMAN_AGENT, tagged_end, TAGGED)
    return Window(CLOSED, None, SEVEN_DAYS_PASSED if human_agent else NO_HUMAN_AGENT)
