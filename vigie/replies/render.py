"""Filling a reply template and choosing the templates to suggest for a message. Pure."""

import re
import string
import unicodedata
from dataclasses import dataclass

PLACEHOLDERS = {
    "prenom": "le prénom de l'auteur",
    "formation": "la formation dont il est question",
    "lien_charte": "le lien vers la charte de modération",
    "delai": "le délai de réponse annoncé",
    "lien_site": "le site du centre",
    "dates": "les dates de la session",
    "tarif": "le tarif de la formation",
    "source": "une source fiable",
}
WORD = re.compile(r"\w{3,}", re.UNICODE)


class _KeepUnknown(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def placeholders_in(body: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(body) if name}


def render(body: str, values: dict[str, str]) -> str:
    """Fill what is known; an unknown or empty placeholder stays visible for the person to complete."""
    known = {key: value for key, value in values.items() if value}
    try:
        return body.format_map(_KeepUnknown(known))
    except (ValueError, IndexError):  # stray braces: leave the text as written
        return body


# names a platform gives when it does not say who wrote: no first name to greet
UNNAMED = ("membre linkedin", "organisation linkedin", "utilisateur facebook", "auteur inconnu", "anonyme")
PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")


def first_name(display_name: str) -> str:
    """« Jeanne Dupont » → « Jeanne »; « J. Dupont », « Membre LinkedIn 3f2a9c » or an empty name → ""."""
    name = (display_name or "").strip()
    if name.casefold().startswith(UNNAMED):
        return ""
    first = name.split(" ")[0]
    return first if len(first) > 2 and not first.endswith(".") else ""


def unfilled(text: str) -> list[str]:
    """Placeholders still in a draft ({prenom}…), in order, once each: the draft cannot be sent as is."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def unfilled_error(text: str) -> str:
    """The French error for a draft that still has placeholders, or ""."""
    names = unfilled(text)
    if not names:
        return ""
    described = ", ".join(f"{{{n}}} ({PLACEHOLDERS[n]})" if n in PLACEHOLDERS else f"{{{n}}}" for n in names)
    return f"À compléter avant l'envoi : {described}."


def words_of(text: str) -> set[str]:
    """Words of three letters or more, lower case, without accents."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return set(WORD.findall("".join(c for c in folded if not unicodedata.combining(c))))


@dataclass(frozen=True)
class Candidate:
    key: int
    label: str
    platform: str
    body: str
    usage_count: int


def suggest(candidates: list[Candidate], *, label: str, platform: str, text: str, limit: int = 3) -> list[int]:
    """Templates of the message's label (and platform, or all platforms), most similar text first,
    then most used."""
    words = words_of(text)

    def score(candidate: Candidate):
        overlap = len(words & words_of(candidate.body)) / (len(words) or 1)
        return (candidate.platform == platform, round(overlap, 3), candidate.usage_count, -candidate.key)

    fitting = [c for c in candidates if c.label == label and c.platform in ("", platform)]
    return [c.key for c in sorted(fitting, key=score, reverse=True)[:limit]]
