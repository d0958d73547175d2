import json

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.connectors import registry
from vigie.connectors.base import Capability
from vigie.inbox import actions
from vigie.moderation.evidence import verify
from vigie.moderation.models import Evidence, PlatformAction

pytestmark = pytest.mark.django_db


def test_evidence_is_captured_before_a_hide_and_the_action_is_queued(ingest, cm):
    message = ingest(1, text="Propos injurieux à retirer")
    action = actions.moderate(message, "hide", by=cm)
    evidence = Evidence.objects.get()
    assert evidence.record["text"] == "Propos injurieux à retirer" and verify(evidence)
    assert evidence.requested_by == cm and len(evidence.sha256) == 64
    assert action.verb == "hide" and action.status == PlatformAction.Status.PENDING
    assert AuditEvent.objects.get(verb="message.hide_queued").after["evidence_id"] == evidence.pk


def test_evidence_names_the_charter_in_force_and_a_reply_the_charter_it_links(ingest, cm):
    from datetime import UTC, datetime

    from vigie.replies.models import Charter

    Charter.objects.create(
        version="v1", url="https://exemple.fr/charte-v1", published_at=datetime(2025, 1, 1, tzinfo=UTC)
    )
    Charter.objects.create(
        version="v2", url="https://exemple.fr/charte-v2", published_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    message = ingest(1, text="Propos injurieux à retirer")
    actions.moderate(message, "hide", by=cm)
    evidence = Evidence.objects.get()
    assert evidence.record["charter_version"] == "v2" and verify(evidence)
    actions.compose_reply(message.thread, "Merci de relire notre charte : https://exemple.fr/charte-v1", by=cm)
    assert AuditEvent.objects.get(verb="thread.reply_queued").after["charter_version"] == "v1"


def test_a_second_click_while_pending_queues_nothing_more(ingest, cm):
    message = ingest(1)
    assert actions.moderate(message, "delete", by=cm) == actions.moderate(message, "delete", by=cm)
    assert PlatformAction.objects.count() == 1 and Evidence.objects.count() == 1


def test_unhide_needs_no_evidence(ingest, cm):
    actions.moderate(ingest(1), "unhide", by=cm)
    assert not Evidence.objects.exists()


def test_evidence_cannot_be_changed_and_tampering_shows(ingest, cm):
    actions.moderate(ingest(1), "delete", by=cm)
    evidence = Evidence.objects.get()
    with pytest.raises(ValueError):
        evidence.save()
    Evidence.objects.filter(pk=evidence.pk).update(record={**evidence.record, "text": "autre chose"})
    assert not verify(Evidence.objects.get())


def test_what_the_platform_forbids_is_refused_with_the_reason(ingest, cm, monkeypatch):
    class LinkedInLike:
        platform = "linkedin"
        capabilities = {"hide": Capability(False, "LinkedIn ne permet pas de masquer un commentaire.", "delete")}

    monkeypatch.setitem(registry.CONNECTORS, "linkedin", LinkedInLike())
    message = ingest(1, platform="linkedin", channel_external_id="urn:li:organization:1")
    with pytest.raises(actions.ActionError, match="masquer.*Action possible : Supprimer"):
        actions.moderate(message, "hide", by=cm)
    assert not PlatformAction.objects.exists() and not Evidence.objects.exists()


def test_the_thread_page_offers_moderation_and_the_evidence_downloads(client, ingest, cm):
    message = ingest(1, text="Arnaque !!!")
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[message.item_id])).content.decode()
    assert 'value="hide"' in page and 'value="delete"' in page and 'value="block"' in page
    client.post(reverse("inbox:moderate", args=[message.pk]), {"verb": "delete"})
    evidence = Evidence.objects.get()
    response = client.get(reverse("evidence", args=[evidence.pk]))
    document = json.loads(response.content)
    assert document["sha256"] == evidence.sha256 and document["empreinte_verifiee"] is True
    assert document["contenu"]["text"] == "Arnaque !!!"


def test_an_unknown_verb_is_refused(client, ingest, cm):
    message = ingest(1)
    client.force_login(cm)
    response = client.post(reverse("inbox:moderate", args=[message.pk]), {"verb": "bannir"}, follow=True)
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not PlatformAction.objects.exists()
