"""monday.com column values read by their type, from the JSON `value` (never the display text). Pure.

A column value comes as {"id", "type", "text", "value"} where `value` is a JSON-encoded string or
null (platform-apis.md §4.2). Labels of status and dropdown columns come from the column's
`settings_str`, read with the board's columns.
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Column:
    id: str
    title: str
    type: str
    settings: dict

    @classmethod
    def from_api(cls, raw: dict) -> "Column":
        return cls(raw["id"], raw.get("title") or raw["id"], raw.get("type") or "", _settings(raw.get("settings_str")))

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "type": self.type, "settings": self.settings}


def _settings(settings_str) -> dict:
    try:
        settings = json.loads(settings_str or "{}")
    except (TypeError, ValueError):
        return {}
    return settings if isinstance(settings, dict) else {}


def _decoded(raw: dict):
    value = raw.get("value")
    if value in (None, ""):
        return None
    try:
        return json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return None


@dataclass(frozen=True)
class DateValue:
    """A date column: the day, and the time when one is set (monday keeps it in UTC)."""

    at: datetime
    has_time: bool


def read_status(raw: dict, column: Column | None) -> str:
    value = _decoded(raw)
    if not isinstance(value, dict) or value.get("index") is None:
        return ""
    labels = (column.settings if column else {}).get("labels") or {}
    return str(labels.get(str(value["index"]), "")) if isinstance(labels, dict) else ""


def read_date(raw: dict, column: Column | None = None) -> DateValue | None:
    value = _decoded(raw)
    if not isinstance(value, dict) or not value.get("date"):
        return None
    try:
        day = date.fromisoformat(value["date"])
        if value.get("time"):
            moment = datetime.combine(day, time.fromisoformat(value["time"]), tzinfo=UTC)
            return DateValue(moment, True)
    except (TypeError, ValueError):
        return None
    return DateValue(datetime.combine(day, time(0), tzinfo=PARIS), False)


def read_people(raw: dict, column: Column | None = None) -> list[int]:
    value = _decoded(raw)
    persons = value.get("personsAndTeams") if isinstance(value, dict) else None
    return [int(p["id"]) for p in persons or [] if isinstance(p, dict) and p.get("kind", "person") == "person"]


def read_dropdown(raw: dict, column: Column | None) -> list[str]:
    value = _decoded(raw)
    ids = value.get("ids") if isinstance(value, dict) else None
    labels = (column.settings if column else {}).get("labels") or []
    names = {label.get("id"): label.get("name", "") for label in labels if isinstance(label, dict)}
    return [str(names[i]) for i in ids or [] if i in names]


def read_long_text(raw: dict, column: Column | None = None) -> str:
    value = _decoded(raw)
    return str(value.get("text") or "") if isinstance(value, dict) else ""


def read_text(raw: dict, column: Column | None = None) -> str:
    value = _decoded(raw)
    return value if isinstance(value, str) else ("" if value is None else str(value))


def read_link(raw: dict, column: Column | None = None) -> str:
    value = _decoded(raw)
    return str(value.get("url") or "") if isinstance(value, dict) else ""


def read_checkbox(raw: dict, column: Column | None = None) -> bool:
    value = _decoded(raw)
    return isinstance(value, dict) and str(value.get("checked")).lower() == "true"


READERS = {
    "status": read_status,
    "date": read_date,
    "people": read_people,
    "dropdown": read_dropdown,
    "long_text": read_long_text,
    "text": read_text,
    "link": read_link,
    "numbers": read_text,
    "checkbox": read_checkbox,
}


def read(raw: dict, column: Column | None):
    """The column value as Python, by its type; a type Vigie does not read gives None."""
    reader = READERS.get(raw.get("type") or (column.type if column else ""))
    return reader(raw, column) if reader else None


# --- the values Vigie keeps --------------------------------------------------------------------------

PLATFORM_WORDS = {"facebook": "facebook", "fb": "facebook", "linkedin": "linkedin", "youtube": "youtube"}


def fold(text: str) -> str:
    """Lower case without accents."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def platforms_of(value) -> list[str]:
    """facebook / linkedin / youtube named in a dropdown, a status label or a text."""
    names = value if isinstance(value, list) else re.split(r"[,;/+\n]| et ", str(value or ""))
    found = []
    for name in names:
        platform = PLATFORM_WORDS.get(re.sub(r"[^a-z]", "", fold(name)))
        if platform and platform not in found:
            found.append(platform)
    return found


def messages_of(text: str) -> list[str]:
    """Prepared messages in a long text: separated by a blank line (or a line of dashes)."""
    parts = re.split(r"\n\s*(?:-{3,}\s*)?\n|\n-{3,}\n", (text or "").replace("\r\n", "\n"))
    return [part.strip() for part in parts if part.strip()]


def is_published(status: str) -> bool:
    """« Publié », « Publiée », « En ligne », « Done »: the board says the post is out."""
    folded = fold(status).strip()
    return folded.startswith("publie") or folded in ("en ligne", "done", "fait")
