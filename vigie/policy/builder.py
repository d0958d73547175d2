"""The rule editor's form: a rule is rows of conditions and of actions, each row a type chosen from a list
(French names) and the fields of that type's parameters, drawn from its JSON schema.

A draft is what the person sees and types: rows of {"type", "raw"} where raw values are strings or lists
of strings. It is read from a definition (to edit a saved rule or the JSON view) or from the posted form,
and written back into a definition; what the form cannot judge (ranges, patterns) is left to
`engine.validate`, the same validation as for the JSON.
"""

from dataclasses import dataclass, field

from vigie.accounts.roles import ROLE_LABELS
from vigie.policy.actions import ACTION_TYPES
from vigie.policy.conditions import CONDITIONS
from vigie.vocabulary import LABELS, PLATFORM_NAMES, PRIORITY_NAMES, Kind

MAX_ROWS = 20
SECTIONS = {"c": ("conditions", CONDITIONS, "Condition"), "a": ("actions", ACTION_TYPES, "Action")}

PARAM_LABELS = {
    "labels": "Étiquettes",
    "value": "Valeur",
    "platforms": "Plateformes",
    "kinds": "Types",
    "words": "Mots (séparés par des virgules)",
    "pattern": "Motif (expression régulière)",
    "count": "Nombre",
    "post_ids": "Identifiants des publications (séparés par des virgules)",
    "from": "De",
    "to": "À",
    "days": "Jours (tous si aucun)",
    "template": "Modèle de réponse",
    "username": "Personne",
    "priority": "Priorité",
    "roles": "Rôles",
    "email": "Aussi par e-mail",
    "reason": "Raison",
}
# the French names of the values a rule's lists offer, from where each is defined
VALUE_NAMES = {
    **dict(LABELS),
    **PLATFORM_NAMES,
    **dict(Kind.choices),
    **{name: priority.label for name, priority in PRIORITY_NAMES.items()},
    **ROLE_LABELS,
}
DAYS = [("0", "Lun."), ("1", "Mar."), ("2", "Mer."), ("3", "Jeu."), ("4", "Ven."), ("5", "Sam."), ("6", "Dim.")]
YES_NO = [("true", "Oui"), ("false", "Non")]


@dataclass
class Field:
    name: str
    label: str
    widget: str  # checkboxes | select | number | text | time
    input_name: str
    value: str | list[str]
    choices: list[tuple[str, str]] = field(default_factory=list)
    required: bool = True
    step: str = "any"


@dataclass
class Row:
    prefix: str  # "c0", "a1": the posted fields are named "c0-type", "c0-labels"…
    type: str
    type_label: str
    fields: list[Field]


@dataclass
class Draft:
    match: str = "all"
    automatic: bool = False
    conditions: list[dict] = field(default_factory=list)  # {"type": …, "raw": {param: str | [str]}}
    actions: list[dict] = field(default_factory=list)


# Reading a definition


def from_definition(definition: dict) -> Draft:
    """A definition as the form shows it; unknown types are kept so that validation can name them."""
    definition = definition if isinstance(definition, dict) else {}
    return Draft(
        match=definition.get("match", "all") if definition.get("match") in ("all", "any") else "all",
        automatic=definition.get("automatic") is True,
        conditions=[_raw_item(item, CONDITIONS) for item in _items(definition.get("conditions"))],
        actions=[_raw_item(item, ACTION_TYPES) for item in _items(definition.get("actions"))],
    )


def _items(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _raw_item(item: dict, types: dict) -> dict:
    kind = types.get(item.get("type"))
    properties = kind.schema["properties"] if kind else {}
    return {"type": str(item.get("type", "")), "raw": {
        name: _to_raw(item[name]) for name in properties if name in item
    }}  # fmt: skip


def _to_raw(value) -> str | list[str]:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


# Reading the posted form


def from_post(data) -> Draft:
    """The form as posted, with the row asked for added or removed (`add_c`, `add_a`, `remove=c1`)."""
    draft = Draft(match=data.get("match", "all"), automatic=data.get("automatic") == "on")
    for key, (section, types, _) in SECTIONS.items():
        rows = [_posted_row(data, f"{key}{i}", types) for i in range(row_count(data, key))]
        rows = [row for i, row in enumerate(rows) if data.get("remove") != f"{key}{i}"]
        if f"add_{key}" in data:
            rows.append({"type": next(iter(types)), "raw": {}})
        setattr(draft, section, rows)
    return draft


def row_count(data, key: str) -> int:
    try:
        return max(0, min(MAX_ROWS, int(data.get(f"{key}-count", 0))))
    except ValueError:
        return 0


def _posted_row(data, prefix: str, types: dict) -> dict:
    kind = types.get(data.get(f"{prefix}-type", ""))
    if kind is None:
        return {"type": next(iter(types)), "raw": {}}
    raw = {}
    for name, schema in kind.schema["properties"].items():
        key = f"{prefix}-{name}"
        raw[name] = data.getlist(key) if _widget(name, schema) == "checkboxes" else data.get(key, "").strip()
    return {"type": kind.name, "raw": raw}


# Writing a definition


def to_definition(draft: Draft) -> tuple[dict, list[str]]:
    """The definition the draft describes, and the French errors of what could not be read."""
    errors: list[str] = []
    definition = {"match": draft.match, "conditions": [], "actions": [], "automatic": draft.automatic}
    for section, types, noun in SECTIONS.values():
        for index, row in enumerate(getattr(draft, section), start=1):
            kind = types.get(row["type"])
            if kind is None:
                errors.append(f"{noun} {index} : type inconnu « {row['type']} »")
                continue
            item = {"type": kind.name}
            for name, schema in kind.schema["properties"].items():
                value, error = _from_raw(row["raw"].get(name, ""), name, schema)
                if error:
                    errors.append(f"{noun} {index} « {kind.label} » : {PARAM_LABELS.get(name, name)} — {error}")
                elif value is not None:
                    item[name] = value
                elif name in kind.schema["required"]:
                    errors.append(f"{noun} {index} « {kind.label} » : {PARAM_LABELS.get(name, name)} à remplir")
            definition[section].append(item)
    return definition, errors


def _from_raw(raw, name: str, schema: dict):
    """(value or None when empty, error or "")."""
    if isinstance(raw, list):
        if not raw:
            return None, ""
        if schema.get("items", {}).get("type") == "integer":
            return [int(v) for v in raw if v.lstrip("-").isdigit()], ""
        return raw, ""
    if raw == "":
        return None, ""
    kind = schema.get("type")
    if kind == "boolean":
        return raw == "true", ""
    if kind in ("number", "integer"):
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            return None, "un nombre est attendu"
        if kind == "integer" and not number.is_integer():
            return None, "un nombre entier est attendu"
        return (int(number) if kind == "integer" else number), ""
    if kind == "array":
        words = [w.strip() for w in raw.split(",") if w.strip()]
        return (words or None), ""
    return raw, ""


# Showing the form


def rows(draft: Draft, choices: dict[str, list[tuple[str, str]]]) -> dict[str, list[Row]]:
    """The rows to show; `choices` gives the lists that come from the database (templates, people)."""
    shown = {}
    for key, (section, types, _) in SECTIONS.items():
        known = [item for item in getattr(draft, section) if item["type"] in types]
        shown[section] = [_row(f"{key}{i}", item, types[item["type"]], choices) for i, item in enumerate(known)]
    return shown


def type_choices(key: str) -> list[tuple[str, str]]:
    return [(kind.name, kind.label) for kind in SECTIONS[key][1].values()]


def _row(prefix: str, item: dict, kind, choices: dict) -> Row:
    fields = [
        _field(prefix, name, schema, item["raw"].get(name), name in kind.schema["required"], choices)
        for name, schema in kind.schema["properties"].items()
    ]
    return Row(prefix, kind.name, kind.label, fields)


def _field(prefix: str, name: str, schema: dict, raw, required: bool, choices: dict) -> Field:
    widget = _widget(name, schema)
    label = PARAM_LABELS.get(name, name)
    shown = Field(name, label, widget, f"{prefix}-{name}", raw if raw is not None else "", required=required)
    if widget == "checkboxes":
        values = schema["items"].get("enum")
        shown.choices = DAYS if name == "days" else [(v, VALUE_NAMES.get(v, v)) for v in values]
        shown.value = raw or []
    elif widget == "select":
        shown.choices = _select_choices(name, schema, required, choices, raw)
    elif schema.get("type") == "array":
        shown.value = ", ".join(raw) if isinstance(raw, list) else (raw or "")
    elif schema.get("type") == "integer":
        shown.step = "1"
    if schema.get("type") == "boolean" and raw is None and required:
        shown.value = "true"
    return shown


def _widget(name: str, schema: dict) -> str:
    if schema.get("type") == "array" and ("enum" in schema.get("items", {}) or name == "days"):
        return "checkboxes"
    if "enum" in schema or schema.get("type") == "boolean" or name in ("template", "username"):
        return "select"
    if schema.get("type") in ("number", "integer"):
        return "number"
    if schema.get("pattern", "").startswith("^([01]"):
        return "time"
    return "text"


def _select_choices(name: str, schema: dict, required: bool, choices: dict, raw) -> list[tuple[str, str]]:
    if schema.get("type") == "boolean":
        options = list(YES_NO)
    elif "enum" in schema:
        options = [(v, VALUE_NAMES.get(v, v)) for v in schema["enum"]]
    else:
        options = list(choices.get(name, []))
        if raw and raw not in {value for value, _ in options}:
            options.append((raw, f"{raw} (introuvable)"))
    return options if required else [("", "—"), *options]
