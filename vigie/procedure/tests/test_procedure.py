"""The procedure's own versions: the seed text, safe Markdown, revisions with who, when, what, why and a
diff, and the revision in force recorded by moderation actions and replies."""

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.inbox import actions
from vigie.inbox.evidence import capture
from vigie.procedure import render, service
from vigie.procedure.models import Revision

pytestmark = pytest.mark.django_db


def test_the_seed_document_is_revision_one_of_pcm3a():
    procedure = service.procedure()
    current = procedure.current
    assert (procedure.code, procedure.created_on.isoformat()) == ("PCM3A", "2025-05-13")
    assert current.version == "PCM3A-r1" and service.version_in_force() == "PCM3A-r1"
    assert "## Plan de contrôle et d'amélioration" in current.text
    assert "Étape 3. Gestion des messages privés" in current.text
    assert "Cet article a-t-il été utile" not in current.text  # the help centre's widget is not the procedure


def test_markdown_is_rendered_without_scripts_or_handlers():
    html = render.to_html(
        "# Titre\n\n- **un**\n\n<script>alert(1)</script>\n\n[lien](javascript:alert(1)) "
        '<img src=x onerror="alert(1)"> [site](https://ahtma.fr)'
    )
    assert "<h1>Titre</h1>" in html and "<strong>un</strong>" in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html and "<img" not in html
    assert 'href="https://ahtma.fr"' in html and 'rel="noopener noreferrer"' in html


def test_an_edit_is_a_new_revision_with_who_what_why_and_a_diff(personas):
    admin = personas["admin"]
    before = service.procedure().current
    text = before.text.replace(
        "## Points de vigilance généraux\n\nà compléter",
        "## Points de vigilance généraux\n\n- Ne jamais répondre sous le coup de l'émotion.",
    )
    revision = service.revise(text, by=admin, what="Points de vigilance rédigés", why="Audit Qualiopi")
    assert revision.version == "PCM3A-r2" and service.version_in_force() == "PCM3A-r2"
    assert (revision.author, revision.what, revision.why) == (admin, "Points de vigilance rédigés", "Audit Qualiopi")
    changes = service.diff(before, revision)
    assert ("added", "- Ne jamais répondre sous le coup de l'émotion.") in changes
    assert ("removed", "à compléter") in changes
    event = AuditEvent.objects.get(verb="procedure.revised")
    assert event.after == {"version": "PCM3A-r2", "why": "Audit Qualiopi"} and "PCM3A-r2" in event.summary
    with pytest.raises(ValueError):
        revision.save()  # a revision is never changed


def test_an_unchanged_text_or_a_missing_reason_is_refused(personas):
    current = service.procedure().current
    with pytest.raises(service.RevisionError, match="n'a pas changé"):
        service.revise(current.text, by=personas["admin"], what="rien", why="rien")
    with pytest.raises(service.RevisionError, match="pourquoi"):
        service.revise(current.text + "x", by=personas["admin"], what="x", why=" ")
    assert Revision.objects.count() == 1


def test_moderation_and_replies_record_the_procedure_version_in_force(ingest, personas):
    cm = personas["community_manager"]
    message = ingest(1)
    service.revise(service.procedure().current.text + "\nAjout.\n", by=personas["admin"], what="Ajout", why="Test")
    evidence = capture(message, by=cm)
    assert evidence.record["procedure_version"] == "PCM3A-r2"
    actions.moderate(message, "hide", by=cm)
    assert AuditEvent.objects.get(verb="message.hide_queued").after["procedure_version"] == "PCM3A-r2"
    actions.compose_reply(message.thread, "Merci pour votre message.", by=cm, in_reply_to=message)
    assert AuditEvent.objects.get(verb="thread.reply_queued").after["procedure_version"] == "PCM3A-r2"


def test_the_page_shows_the_text_version_dates_history_and_linked_charter(client, personas):
    from django.utils import timezone

    from vigie.replies.models import Charter

    Charter.objects.create(version="v3", url="https://ahtma.fr/charte", published_at=timezone.now())
    client.force_login(personas["community_manager"])
    page = client.get(reverse("procedure:page")).content.decode()
    assert "PCM3A-r1" in page and "13/05/2025" in page and "Historique des modifications" in page
    assert "<h2>Objectif</h2>" in page and "Version v3" in page
    assert "Modifier la procédure" not in page  # admins only


def test_an_admin_edits_the_procedure_from_the_page(client, personas):
    client.force_login(personas["admin"])
    text = service.procedure().current.text + "\n## Nouvelle section\n"
    response = client.post(reverse("procedure:edit"), {"text": text, "what": "Nouvelle section", "why": "Besoin"})
    assert response.status_code == 302
    assert service.version_in_force() == "PCM3A-r2"
    page = client.get(reverse("procedure:revision", args=[2])).content.decode()
    assert "Nouvelle section" in page and "diff-added" in page


def test_an_edit_without_a_reason_says_so_in_french(client, personas):
    client.force_login(personas["admin"])
    response = client.post(reverse("procedure:edit"), {"text": "# Autre", "what": "x", "why": ""})
    assert response.status_code == 200 and "Ce champ est obligatoire" in response.content.decode()
    assert Revision.objects.count() == 1


ROLES = ["community_manager", "communication", "direction", "admin", "outsider"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_the_procedure_and_only_admins_edit_it(client, personas, role):
    client.force_login(personas[role])
    reads = {"community_manager", "communication", "direction", "admin"}
    assert client.get(reverse("procedure:page")).status_code == (200 if role in reads else 403)
    assert client.get(reverse("procedure:revision", args=[1])).status_code == (200 if role in reads else 403)
    assert client.get(reverse("procedure:edit")).status_code == (200 if role == "admin" else 403)
    posted = client.post(reverse("procedure:edit"), {"text": "# X", "what": "x", "why": "y"})
    assert posted.status_code == (302 if role == "admin" else 403)


def test_anonymous_visitors_go_to_the_login_page(client):
    for url in (reverse("procedure:page"), reverse("procedure:edit")):
        assert client.get(url).url.startswith(reverse("login"))
