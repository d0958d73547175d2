"""The audit log reads as French sentences naming people (issue #8 §7)."""

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.inbox import actions
from vigie.records.sentences import PHRASES, describe

pytestmark = pytest.mark.django_db


@pytest.fixture
def camille(personas):
    user = personas["community_manager"]
    user.first_name, user.last_name = "Camille", "Durand"
    user.save()
    return user


def sentences() -> list[str]:
    return [event.sentence for event in describe(AuditEvent.objects.order_by("id"))]


def test_a_reply_reads_who_answered_whom(ingest, camille):
    message = ingest(1, author_name="Chloé Rousseau")
    actions.compose_reply(message.thread, "Bonjour Chloé", by=camille, in_reply_to=message)
    assert "Camille Durand a répondu à Chloé Rousseau" in sentences()


def test_moderation_and_desk_changes_read_as_sentences(ingest, camille):
    message = ingest(1, author_name="Marcel Guérin")
    actions.assign(message.item, camille, by=camille)
    actions.moderate(message, "delete", by=camille)
    said = sentences()
    assert "Camille Durand a changé l'attribution du commentaire de Marcel Guérin" in said
    assert "Camille Durand a demandé de supprimer le commentaire de Marcel Guérin" in said
    assert "Camille Durand a changé le statut du commentaire de Marcel Guérin" in said


def test_a_rule_and_the_system_are_named_as_such(ingest):
    message = ingest(1, author_name="Marcel Guérin")
    actions.moderate(message, "hide", by=None, rule="Arnaques v2")
    ingest(1, removed=True, author_name="Marcel Guérin")
    events = describe(AuditEvent.objects.order_by("id"))
    assert events[0].who == "la règle « Arnaques v2 »"
    assert events[-1].who == "Vigie" and events[-1].sentence == "Le commentaire de Marcel Guérin a été supprimé"


def test_every_verb_written_by_the_code_has_a_sentence():
    """No code shows up in the log: each verb recorded somewhere in Vigie has its French phrase."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    prefixes = "|".join(sorted({verb.split(".")[0] for verb in PHRASES}))
    # also through wrappers such as crisis' _log(crisis, by, "crisis.closed", …)
    literal = re.compile(rf'(?:record|_log|audit)\w*\([^()"]*"((?:{prefixes})\.[a-z_]+)"')
    written = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        written |= set(re.findall(r'record\(\s*[^,]+,\s*"([a-z_]+\.[a-z_]+)"', text)) | set(literal.findall(text))
    written |= {f"message.{verb}_queued" for verb in actions.MODERATION_VERBS}
    missing = written - set(PHRASES)
    assert not missing, f"sans phrase française : {sorted(missing)}"


def test_the_log_page_shows_sentences_not_codes(client, ingest, camille, personas):
    message = ingest(1, author_name="Chloé Rousseau")
    actions.compose_reply(message.thread, "Bonjour Chloé", by=camille, in_reply_to=message)
    client.force_login(personas["direction"])
    page = client.get(reverse("audit:list")).content.decode()
    assert "Camille Durand a répondu à Chloé Rousseau" in page and "thread.reply_queued" not in page
