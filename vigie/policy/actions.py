"""What a rule may plan: action types registered by name with the JSON schema of their parameters.

The engine only plans; carrying out is the inbox's and the outbox's job. Platform actions that a
platform does not allow are replaced by the nearest allowed action or a manual task (engine.adapt).
"""

from dataclasses import dataclass

from vigie.vocabulary import PRIORITY_NAMES

PLATFORM_VERBS = frozenset({"hide", "unhide", "delete", "block", "private_reply"})
PRIORITIES = list(PRIORITY_NAMES)
ROLES = ["community_manager", "communication", "direction", "admin"]


@dataclass(frozen=True)
class ActionType:
    name: str
    label: str  # French
    schema: dict


def _object(properties: dict | None = None, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties or {}, "required": required or [],
            "additionalProperties": False}  # fmt: skip


ACTION_TYPES: dict[str, ActionType] = {
    a.name: a
    for a in [
        ActionType("hide", "Masquer", _object()),
        ActionType("unhide", "Afficher", _object()),
        ActionType("delete", "Supprimer", _object()),
        ActionType("block", "Bloquer l'auteur", _object()),
        ActionType(
            "private_reply",
            "Répondre en privé",
            _object({"template": {"type": "string", "minLength": 1}}, ["template"]),
        ),  # fmt: skip
        ActionType(
            "reply_template",
            "Répondre avec un modèle",
            _object({"template": {"type": "string", "minLength": 1}}, ["template"]),
        ),  # fmt: skip
        ActionType("assign", "Attribuer à", _object({"username": {"type": "string", "minLength": 1}}, ["username"])),
        ActionType("escalate", "Escalader", _object()),
        ActionType("set_priority", "Priorité", _object({"priority": {"enum": PRIORITIES}}, ["priority"])),
        ActionType(
            "notify",
            "Prévenir",
            _object(
                {"roles": {"type": "array", "items": {"enum": ROLES}, "minItems": 1}, "email": {"type": "boolean"}},
                ["roles"],
            ),
        ),  # fmt: skip
        ActionType("capture_evidence", "Capturer une preuve", _object()),
        ActionType("open_ticket", "Ouvrir un ticket d'assistance", _object()),
        ActionType("report_platform", "Signaler à la plateforme (tâche guidée)", _object()),
        ActionType("manual_task", "Tâche manuelle", _object({"reason": {"type": "string"}}, ["reason"])),
    ]
}


@dataclass(frozen=True)
class PlannedAction:
    type: str
    params: dict
    rule: str  # "name v3", or "procédure" for the default playbook
    automatic: bool  # carried out by Vigie, or proposed to a person
    note: str = ""  # why it was adapted (platform limits), in French

    @property
    def label(self) -> str:
        return ACTION_TYPES[self.type].label if self.type in ACTION_TYPES else self.type
