"""Rule conditions: small pure functions registered by name, each with the JSON schema of its
parameters (checked when a rule is saved). Adding one: a function, a schema, a French label, a test."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo

from vigie.policy.facts import Facts
from vigie.vocabulary import KINDS, LABEL_VALUES, PLATFORMS

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Condition:
    name: str
    label: str  # French, for the editor
    schema: dict
    test: Callable[[Facts, dict], bool]


CONDITIONS: dict[str, Condition] = {}


def condition(name: str, label: str, properties: dict, required: list[str]):
    schema = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}

    def register(test):
        CONDITIONS[name] = Condition(name, label, schema, test)
        return test

    return register


def fold(text: str) -> str:
    """Lower case without accents: « Arnaque » and « arnaque » match, so do « déçu » and « decu »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}


@condition("label_in", "L'étiquette est", {"labels": {"type": "array", "items": {"enum": list(LABEL_VALUES)},
           "minItems": 1}}, ["labels"])  # fmt: skip
def label_in(facts: Facts, params: dict) -> bool:
    return facts.label in params["labels"]


@condition("confidence_at_least", "Confiance au moins", {"value": {"type": "number", "minimum": 0, "maximum": 1}},
           ["value"])  # fmt: skip
def confidence_at_least(facts: Facts, params: dict) -> bool:
    return facts.confidence >= params["value"]


@condition("platform_in", "Plateforme", {"platforms": {"type": "array", "items": {"enum": list(PLATFORMS)},
           "minItems": 1}}, ["platforms"])  # fmt: skip
def platform_in(facts: Facts, params: dict) -> bool:
    return facts.platform in params["platforms"]


@condition("kind_in", "Type de message", {"kinds": {"type": "array", "items": {"enum": list(KINDS)},
           "minItems": 1}}, ["kinds"])  # fmt: skip
def kind_in(facts: Facts, params: dict) -> bool:
    return facts.kind in params["kinds"]


@condition("text_contains_any", "Le texte contient l'un des mots", {"words": STRINGS}, ["words"])
def text_contains_any(facts: Facts, params: dict) -> bool:
    text = fold(facts.text)
    return any(re.search(rf"\b{re.escape(fold(word))}\b", text) for word in params["words"])


@condition("text_matches", "Le texte correspond au motif", {"pattern": {"type": "string", "minLength": 1,
           "maxLength": 300, "format": "regex"}}, ["pattern"])  # fmt: skip
def text_matches(facts: Facts, params: dict) -> bool:
    return re.search(params["pattern"], facts.text, re.IGNORECASE) is not None


@condition("has_link", "Contient un lien", {"value": {"type": "boolean"}}, ["value"])
def has_link(facts: Facts, params: dict) -> bool:
    return facts.has_link == params["value"]


@condition("has_phone", "Contient un numéro de téléphone", {"value": {"type": "boolean"}}, ["value"])
def has_phone(facts: Facts, params: dict) -> bool:
    return facts.has_phone == params["value"]


@condition("has_email", "Contient une adresse e-mail", {"value": {"type": "boolean"}}, ["value"])
def has_email(facts: Facts, params: dict) -> bool:
    return facts.has_email == params["value"]


@condition("targets_staff", "Vise un membre de l'équipe", {"value": {"type": "boolean"}}, ["value"])
def targets_staff(facts: Facts, params: dict) -> bool:
    return facts.targets_staff == params["value"]


@condition("author_offences_at_least", "Infractions de l'auteur (récidive) au moins",
           {"count": {"type": "integer", "minimum": 1}}, ["count"])  # fmt: skip
def author_offences_at_least(facts: Facts, params: dict) -> bool:
    return facts.author_offences >= params["count"]


@condition("post_in", "Sous la publication", {"post_ids": STRINGS}, ["post_ids"])
def post_in(facts: Facts, params: dict) -> bool:
    return facts.post_external_id in params["post_ids"]


HHMM = {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$"}


@condition("time_between", "Reçu entre (heure de Paris)", {"from": HHMM, "to": HHMM, "days": {"type": "array",
           "items": {"type": "integer", "minimum": 0, "maximum": 6}, "minItems": 1}}, ["from", "to"])  # fmt: skip
def time_between(facts: Facts, params: dict) -> bool:
    local = facts.created_at.astimezone(PARIS)
    if "days" in params and local.weekday() not in params["days"]:
        return False
    start, end, now = time.fromisoformat(params["from"]), time.fromisoformat(params["to"]), local.time()
    return start <= now < end if start <= end else now >= start or now < end  # across midnight
