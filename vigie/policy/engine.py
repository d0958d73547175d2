"""The rules engine: validate a rule's definition, evaluate rules on facts, adapt to the platform.

Pure: takes data and returns data. A rule definition is JSON:

    {"match": "all" | "any",
     "conditions": [{"type": "label_in", "labels": ["spam"]}, …],
     "actions": [{"type": "delete"}, …],
     "automatic": false}
"""

import json
import re
from dataclasses import dataclass

import jsonschema

from vigie.policy.actions import ACTION_TYPES, PLATFORM_VERBS, PlannedAction
from vigie.policy.conditions import CONDITIONS
from vigie.policy.facts import Facts

RULE_SCHEMA = {
    "type": "object",
    "properties": {
        "match": {"enum": ["all", "any"]},
        "conditions": {"type": "array", "items": {"type": "object", "required": ["type"]}, "minItems": 1},
        "actions": {"type": "array", "items": {"type": "object", "required": ["type"]}, "minItems": 1},
        "automatic": {"type": "boolean"},
    },
    "required": ["conditions", "actions"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class RuleSpec:
    name: str
    version: int
    definition: dict

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"


def _params(item: dict) -> dict:
    return {k: v for k, v in item.items() if k != "type"}


def _schema_errors(instance, schema, where: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{where} : {_french(error)}" for error in validator.iter_errors(instance)]


def _french(error: jsonschema.ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path)
    where = f"« {path} » " if path else ""
    messages = {
        "required": "champ obligatoire manquant",
        "additionalProperties": "champ inconnu",
        "enum": "valeur non autorisée",
        "type": "type incorrect",
        "minItems": "liste vide",
        "minimum": "valeur trop petite",
        "maximum": "valeur trop grande",
        "pattern": "format incorrect",
        "minLength": "texte vide",
    }
    return f"{where}{messages.get(error.validator, 'valeur invalide')} ({error.message})"


def validate(definition) -> list[str]:
    """French error messages; an empty list means the rule can be saved."""
    errors = _schema_errors(definition, RULE_SCHEMA, "règle")
    if errors:
        return errors
    for index, item in enumerate(definition["conditions"], start=1):
        condition = CONDITIONS.get(item["type"])
        if condition is None:
            errors.append(f"condition {index} : type inconnu « {item['type']} »")
            continue
        errors += _schema_errors(_params(item), condition.schema, f"condition {index} ({condition.label})")
        if item["type"] == "text_matches" and not errors:
            try:
                re.compile(item["pattern"])
            except re.error as exc:
                errors.append(f"condition {index} : motif invalide ({exc})")
    for index, item in enumerate(definition["actions"], start=1):
        action = ACTION_TYPES.get(item["type"])
        if action is None:
            errors.append(f"action {index} : type inconnu « {item['type']} »")
            continue
        errors += _schema_errors(_params(item), action.schema, f"action {index} ({action.label})")
    return errors


def matches(definition: dict, facts: Facts) -> bool:
    results = (CONDITIONS[item["type"]].test(facts, _params(item)) for item in definition["conditions"])
    return any(results) if definition.get("match") == "any" else all(results)


def evaluate(rules: list[RuleSpec], facts: Facts) -> list[PlannedAction]:
    """Every action of every matching rule, in rule order; the same action is planned once."""
    planned, seen = [], set()
    for rule in rules:
        if not matches(rule.definition, facts):
            continue
        for item in rule.definition["actions"]:
            key = json.dumps(item, sort_keys=True)
            if key in seen:
                continue
            seen.add(key)
            planned.append(
                PlannedAction(item["type"], _params(item), rule.label, rule.definition.get("automatic", False))
            )
    return planned


def adapt(planned: list[PlannedAction], capabilities: dict) -> list[PlannedAction]:
    """Replace what the platform does not allow by its nearest allowed action, or a manual task.

    `capabilities` maps a verb to an object with `allowed`, `reason` and `nearest` (a connector's
    capabilities). Never silently dropped: the note says why, in French.
    """
    adapted = []
    for action in planned:
        capability = capabilities.get(action.type)
        if action.type not in PLATFORM_VERBS or capability is None or capability.allowed:
            adapted.append(action)
        elif capability.nearest in ACTION_TYPES:
            adapted.append(PlannedAction(capability.nearest, {}, action.rule, action.automatic, capability.reason))
        else:  # no allowed action: a task for a person, with what to do by hand when the platform says it
            reason = f"{capability.reason} {capability.nearest}".strip()
            adapted.append(PlannedAction("manual_task", {"reason": reason}, action.rule, False, reason))
    return adapted
