"""Which board column feeds which field of a planned post: proposed from the board's columns, confirmed
by an admin, checked at every read (a column removed or retyped on monday is reported). Pure."""

from vigie.planning.columns import Column, fold
from vigie.planning.models import FIELDS

COMPATIBLE = {
    "publish_at": ("date",),
    "platforms": ("dropdown", "status", "text"),
    "status": ("status",),
    "subject": ("text", "long_text"),
    "prepared_messages": ("long_text", "text"),
    "link": ("link", "text"),
    "owner": ("people",),
}
KEYWORDS = {
    "publish_at": ("publication", "parution", "diffusion", "date"),
    "platforms": ("plateforme", "reseau", "canal", "support"),
    "status": ("statut", "etat", "status"),
    "subject": ("sujet", "theme", "thematique", "objet"),
    "prepared_messages": ("message", "reponse", "prepare"),
    "link": ("lien", "url", "link"),
    "owner": ("responsable", "owner", "charge"),
}
REQUIRED = ("publish_at",)


def _score(field: str, column: Column) -> int:
    title = fold(column.title)
    return sum(1 for word in KEYWORDS[field] if word in title)


def _guess(field: str, fitting: list[Column]) -> Column | None:
    """The column whose title names the field; failing that, the only column of the field's own type."""
    best = max(fitting, key=lambda c: _score(field, c), default=None)
    if best is not None and _score(field, best):
        return best
    own_type = [c for c in fitting if c.type == COMPATIBLE[field][0]]
    return own_type[0] if len(own_type) == 1 and field in ("publish_at", "status", "link", "owner") else None


def propose(columns: list[Column]) -> dict[str, str]:
    """field → column id, for the admin to confirm; a column feeds one field at most, a field without a
    likely column stays unmapped."""
    mapping: dict[str, str] = {}
    for field in FIELDS:
        fitting = [c for c in columns if c.type in COMPATIBLE[field] and c.id not in mapping.values()]
        column = _guess(field, fitting)
        if column is not None:
            mapping[field] = column.id
    return mapping


def choices(field: str, columns: list[Column]) -> list[tuple[str, str]]:
    """(column id, « Titre (type) ») of the columns that can feed `field`."""
    return [(c.id, f"{c.title} ({c.type})") for c in columns if c.type in COMPATIBLE[field]]


def errors(mapping: dict[str, str], columns: list[Column]) -> dict[str, str]:
    """field → French reason, for a mapping an admin submits."""
    by_id = {c.id: c for c in columns}
    problems = {}
    for field, column_id in mapping.items():
        if field not in FIELDS:
            problems[field] = f"Champ inconnu : {field} (champs : {', '.join(FIELDS)})."
        elif column_id not in by_id:
            problems[field] = f"La colonne « {column_id} » n'existe pas sur ce tableau."
        elif by_id[column_id].type not in COMPATIBLE[field]:
            column, wanted = by_id[column_id], " ou ".join(COMPATIBLE[field])
            problems[field] = f"La colonne « {column.title} » est de type {column.type} : il faut {wanted}."
    for field in REQUIRED:
        if field not in mapping:
            problems[field] = f"Choisissez la colonne de la {FIELDS[field].lower()} : sans elle, pas de planning."
    return problems


def missing(mapping: dict[str, str], columns: list[Column]) -> list[dict]:
    """The mapped fields the board no longer feeds: [{field, column, title, reason}]."""
    by_id = {c.id: c for c in columns}
    gone = []
    for field, column_id in mapping.items():
        column = by_id.get(column_id)
        if column is None:
            gone.append({"field": field, "column": column_id, "reason": "removed"})
        elif column.type not in COMPATIBLE.get(field, ()):
            gone.append({"field": field, "column": column_id, "reason": f"type {column.type}"})
    return gone


def from_pairs(pairs: list[str]) -> dict[str, str]:
    """`column=field` pairs of the command line → field → column id."""
    mapping = {}
    for pair in pairs:
        column_id, sep, field = pair.partition("=")
        if not sep or not column_id.strip() or not field.strip():
            raise ValueError(f"« {pair} » : attendu colonne=champ (par exemple date4=publish_at).")
        mapping[field.strip()] = column_id.strip()
    return mapping
