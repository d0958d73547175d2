"""« Modèles de réponse », « Charte de modération », « Sources fiables » (issue #8 §7)."""

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.inbox.reply_suggestions import for_message
from vigie.replies.models import Charter, ReplyTemplate, Source

pytestmark = pytest.mark.django_db

EDITORS = {"communication", "admin"}
ROLES = ["community_manager", "communication", "direction", "admin", "outsider"]


@pytest.fixture
def template(db):
    return ReplyTemplate.objects.create(title="Dates", label="question", body="Bonjour {prenom}, voir {lien_site}.")


def _form(**values):
    return {"title": "Dates", "label": "question", "platform": "", "kind": "", "body": "Bonjour {prenom} !",
            "active": "on"} | values  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_everyone_at_the_desk_reads_the_pages_and_only_editors_change_them(client, personas, template, role):
    client.force_login(personas[role])
    for name in ("replies:templates", "replies:charter", "replies:sources"):
        assert client.get(reverse(name)).status_code == (403 if role == "outsider" else 200)
    response = client.post(reverse("replies:template_edit", args=[template.pk]), _form(body="Bonjour {prenom}."))
    assert response.status_code == (302 if role in EDITORS else 403)
    response = client.post(reverse("replies:sources"), {"title": "Inserm", "url": "https://inserm.example/"})
    assert response.status_code == (302 if role in EDITORS else 403)
    response = client.post(reverse("replies:charter"), {"version": "9", "url": "https://ahtma.example/c9"})
    assert response.status_code == (302 if role in EDITORS else 403)


def test_a_template_is_versioned_with_who_and_when_and_previewed(client, personas, template):
    client.force_login(personas["communication"])
    client.post(reverse("replies:template_edit", args=[template.pk]), _form(body="Bonjour {prenom}, à bientôt."))
    client.post(reverse("replies:template_edit", args=[template.pk]), _form(body="Bonjour {prenom}, à bientôt."))
    client.post(reverse("replies:template_edit", args=[template.pk]), _form(body="Bonjour {prenom}, à demain."))
    assert list(template.versions.values_list("number", "body")) == [
        (2, "Bonjour {prenom}, à demain."),
        (1, "Bonjour {prenom}, à bientôt."),
    ]  # fmt: skip (an unchanged save is not a version)
    assert template.versions.first().changed_by == personas["communication"]
    page = client.get(reverse("replies:template_edit", args=[template.pk])).content.decode()
    assert "Version 2" in page and "Bonjour Chloé, à demain." in page  # the preview greets the sample author
    assert AuditEvent.objects.filter(verb="reply_template.changed").count() == 2


def test_an_unknown_placeholder_is_refused(client, personas):
    client.force_login(personas["admin"])
    response = client.post(reverse("replies:template_new"), _form(body="Bonjour {prnom}"))
    assert "Champ inconnu : {prnom}." in response.content.decode() and not ReplyTemplate.objects.exists()


def test_a_retired_template_is_no_longer_offered(client, personas, template, ingest):
    message = ingest(1, text="Quelles sont les dates ?")
    assert [o.template for o in for_message(message, "facebook")] == [template]
    client.force_login(personas["communication"])
    client.post(reverse("replies:template_retire", args=[template.pk]))
    assert for_message(message, "facebook") == []
    assert "retiré" in client.get(reverse("replies:templates")).content.decode()


def test_templates_are_offered_per_kind_of_message(ingest):
    for_comments = ReplyTemplate.objects.create(title="Public", label="question", body="Merci !", kind="comment")
    for_private = ReplyTemplate.objects.create(title="Privé", label="question", body="Merci.", kind="private_message")
    comment = ingest(1)
    private = ingest(2, kind="private_message", thread_external_id="t_9", post=None)
    assert [o.template for o in for_message(comment, "facebook")] == [for_comments]
    assert [o.template for o in for_message(private, "facebook")] == [for_private]


def test_a_new_charter_version_is_in_force_and_the_old_ones_listed(client, personas):
    Charter.objects.create(version="1", url="https://ahtma.example/c1", published_at="2025-05-13T10:00:00+02:00")
    client.force_login(personas["communication"])
    client.post(reverse("replies:charter"), {"version": "2", "url": "https://ahtma.example/c2", "text": "Respect."})
    assert Charter.current().version == "2"
    page = client.get(reverse("replies:charter")).content.decode()
    assert "Version en vigueur : <strong>2</strong>" in page and "https://ahtma.example/c1" in page


def test_sources_are_added_changed_and_retired(client, personas):
    client.force_login(personas["admin"])
    inserm = {"title": "Inserm", "url": "https://inserm.example/", "keywords": "hypnose"}
    client.post(reverse("replies:sources"), inserm)
    source = Source.objects.get()
    client.post(reverse("replies:source_edit", args=[source.pk]),
                {"title": "Inserm (2015)", "url": "https://inserm.example/", "keywords": "hypnose"})  # fmt: skip
    assert Source.objects.get().title == "Inserm (2015)"
    client.post(reverse("replies:source_delete", args=[source.pk]))
    assert not Source.objects.exists()
    assert AuditEvent.objects.filter(verb__startswith="source.").count() == 3
