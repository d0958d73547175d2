"""The procedure and its revisions: what is in force, and the one way to change it (audited)."""

import difflib
from datetime import date
from pathlib import Path

from django.db import transaction

from vigie.accounts.people import name_of
from vigie.audit.record import record
from vigie.procedure.models import Procedure, Revision

CODE = "PCM3A"
TITLE = "Réseaux sociaux | Gestion des messages"
CREATED_ON = date(2025, 5, 13)
SEED = Path(__file__).parent / "data" / "pcm3a.md"


class RevisionError(ValueError):
    pass


def procedure() -> Procedure:
    """The procedure, loaded from the seed document if the database has lost it (a flushed test database)."""
    found = Procedure.objects.filter(code=CODE).first()
    if found is None:
        seed()
        found = Procedure.objects.get(code=CODE)
    return found


def version_in_force() -> str:
    """« PCM3A-r2 »: recorded by every moderation action and reply, like the charter's version."""
    found = Revision.objects.filter(procedure__code=CODE).select_related("procedure").order_by("-number").first()
    return found.version if found else ""


def seed(*, Procedure=Procedure, Revision=Revision) -> None:  # noqa: N803 (the migration passes its models)
    """The procedure as the seed document gives it: revision 1, dated from its creation."""
    found, _ = Procedure.objects.get_or_create(code=CODE, defaults={"title": TITLE, "created_on": CREATED_ON})
    if not Revision.objects.filter(procedure=found).exists():
        Revision.objects.create(
            procedure=found,
            number=1,
            text=SEED.read_text(encoding="utf-8"),
            what="Version initiale",
            why="Document de la procédure (PCM3A)",
            author_label="document d'origine",
        )


@transaction.atomic
def revise(text: str, *, by, what: str, why: str) -> Revision:
    """Save a new revision of the procedure's text (an admin's edit), audited with its reason."""
    found = Procedure.objects.select_for_update().get(code=CODE)
    current = found.current
    text = text.replace("\r\n", "\n").strip() + "\n"
    if not what.strip() or not why.strip():
        raise RevisionError("Dites ce qui change et pourquoi.")
    if current is not None and current.text == text:
        raise RevisionError("Le texte n'a pas changé : aucune nouvelle version enregistrée.")
    revision = Revision.objects.create(
        procedure=found,
        number=(current.number + 1) if current else 1,
        text=text,
        what=what.strip()[:300],
        why=why.strip()[:300],
        author=by,
        author_label=name_of(by),
    )
    record(
        by,
        "procedure.revised",
        revision,
        summary=f"{by.get_username()} a publié la version {revision.version} de la procédure : {revision.what}",
        after={"version": revision.version, "why": revision.why},
    )
    return revision


def diff(older: Revision | None, newer: Revision) -> list[tuple[str, str]]:
    """The lines that changed, as (kind, line) with kind in « added », « removed », « context », « hunk »."""
    before = older.text.splitlines() if older else []
    lines = difflib.unified_diff(before, newer.text.splitlines(), lineterm="", n=2)
    kinds = {"+": "added", "-": "removed", "@": "hunk", " ": "context"}
    return [
        (kinds.get(line[:1], "context"), line[1:] if line[:1] in "+- " else line)
        for line in lines
        if not line.startswith(("+++", "---"))
    ]
