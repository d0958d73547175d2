"""Access and erasure requests: found by one identity across linked ones, exported, erased keeping what a
hold needs; the audit log records the erasure without the erased content."""

import csv
import io
import json

import pytest
from django.db import transaction
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.inbox import actions
from vigie.inbox.evidence import capture
from vigie.inbox.models import Author, Message
from vigie.moderation.models import Evidence
from vigie.records import privacy, registers
from vigie.records.models import LegalHold, PrivacyRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def jeanne(ingest, personas):
    """Jeanne on Facebook and on LinkedIn (linked), a complaint and evidence; Paul, someone else."""
    cm = personas["community_manager"]
    facebook = ingest(1, author_external_id="fb-jeanne", author_name="Jeanne Martin", text="Le parking, encore !")
    linkedin = ingest(
        2,
        platform="linkedin",
        channel_external_id="urn:li:organization:1",
        author_external_id="urn:li:person:jm",
        author_name="J. Martin",
        text="Salle trop petite",
    )
    ingest(3, author_external_id="fb-paul", author_name="Paul Girard", text="Merci !")
    actions.link_identities([facebook.author, linkedin.author], by=personas["admin"])
    actions.compose_reply(facebook.thread, "Bonjour Jeanne, nous réservons des places.", by=cm, in_reply_to=facebook)
    registers.log_complaint(facebook, by=cm)
    with transaction.atomic():
        capture(linkedin, by=cm)
    return {"facebook": facebook, "linkedin": linkedin}


def test_an_admin_finds_the_person_by_one_identity_and_sees_every_linked_one(client, personas, jeanne):
    client.force_login(personas["admin"])
    page = client.get(reverse("records:privacy"), {"q": "fb-jeanne"}).content.decode()
    assert "Jeanne Martin" in page and "Paul Girard" not in page
    person = client.get(reverse("records:person", args=[jeanne["facebook"].author_id])).content.decode()
    assert "J. Martin" in person and "urn:li:person:jm" in person and "2 messages" in person


def test_the_export_holds_everything_about_the_person(client, personas, jeanne):
    client.force_login(personas["admin"])
    url = reverse("records:person_export", args=[jeanne["linkedin"].author_id, "json"])
    data = json.loads(client.get(url).content)
    assert {i["platform_id"] for i in data["identities"]} == {"fb-jeanne", "urn:li:person:jm"}
    assert {m["text"] for m in data["messages"]} == {"Le parking, encore !", "Salle trop petite"}
    assert data["replies_from_the_centre"][0]["text"] == "Bonjour Jeanne, nous réservons des places."
    assert len(data["complaints"]) == 1 and len(data["evidence"]) == 1
    rows = list(csv.reader(io.StringIO(client.get(url.replace(".json", ".csv")).content.decode()[1:])))
    assert rows[0] == ["type", "date", "plateforme", "texte", "détail"]
    assert ["identité", "", "linkedin", "J. Martin", "urn:li:person:jm"] in rows
    assert PrivacyRequest.objects.filter(kind="access").count() == 2
    assert AuditEvent.objects.filter(verb="privacy.exported").count() == 2
    assert client.get(url.replace(".json", ".xml")).status_code == 404


def test_erasure_anonymises_every_identity_and_the_audit_keeps_no_content(client, personas, jeanne):
    client.force_login(personas["admin"])
    url = reverse("records:person_erase", args=[jeanne["facebook"].author_id])
    refused = client.post(url, {"confirm": "oui"}, follow=True)
    assert "Tapez EFFACER" in refused.content.decode() and Author.objects.filter(display_name="J. Martin").exists()
    done = client.post(url, {"confirm": "EFFACER"}, follow=True).content.decode()
    assert ": 2 identités, 2 messages, 1 preuve." in done  # the message, then the request in the list
    assert "2 identités, 2 messages, 1 preuve supprimée" in done
    for key in ("facebook", "linkedin"):
        message = Message.objects.get(pk=jeanne[key].pk)
        assert message.text == "" and message.author.display_name == "Personne anonymisée"
    assert Message.objects.get(parent=jeanne["facebook"], kind="reply").text == ""
    assert registers.Complaint.objects.get().author_name == "" and Evidence.objects.count() == 0
    assert Author.objects.filter(display_name="Paul Girard").exists()
    event = AuditEvent.objects.get(verb="privacy.erased")
    dump = json.dumps([event.summary, event.before, event.after], ensure_ascii=False)
    for erased in ("Jeanne", "Martin", "parking", "fb-jeanne", "urn:li:person:jm", "Salle"):
        assert erased not in dump
    assert event.after == {"identities": 2, "identities_held": 0, "messages": 2, "evidence": 1}
    assert "(demande n° " in event.summary and ": 2 identités, 2 messages)" in event.summary
    assert privacy.find_authors("Jeanne").count() == 0


def test_erasure_keeps_what_a_hold_needs(personas, jeanne):
    LegalHold.objects.create(author=jeanne["linkedin"].author, reason="Plainte", created_by=personas["admin"])
    request = privacy.erase(jeanne["facebook"].author, by=personas["admin"])
    assert request.counts["identities"] == 0 and request.counts["identities_held"] == 2  # the person is held
    assert request.summary == (
        "0 identité, 0 message, 0 preuve supprimée, 2 identités retenues par une conservation légale"
    )
    summary = AuditEvent.objects.get(verb="privacy.erased").summary
    assert summary.endswith(": 0 identité, 0 message) ; 2 identités gardées par une conservation légale")
    assert Message.objects.get(pk=jeanne["linkedin"].pk).text == "Salle trop petite"
    assert Evidence.objects.count() == 1


def test_an_admin_places_and_lifts_a_hold_on_the_whole_person(client, personas, jeanne):
    client.force_login(personas["admin"])
    url = reverse("records:person_hold", args=[jeanne["facebook"].author_id])
    client.post(url, {"reason": "Plainte déposée le 2 décembre"})
    hold = LegalHold.objects.get()
    assert hold.person_id == jeanne["facebook"].author.person_id  # every linked identity
    page = client.get(reverse("records:person", args=[jeanne["linkedin"].author_id])).content.decode()
    assert "Plainte déposée le 2 décembre" in page and "2 identités retenues" in page
    assert privacy.erase(jeanne["linkedin"].author, by=personas["admin"]).counts["identities_held"] == 2
    client.post(reverse("records:hold_release", args=[hold.pk]), {"next": "/suivi/donnees-personnelles/"})
    hold.refresh_from_db()
    assert hold.released_at is not None
    assert AuditEvent.objects.filter(verb__in=["privacy.hold_set", "privacy.hold_released"]).count() == 2
    assert privacy.erase(jeanne["linkedin"].author, by=personas["admin"]).counts["identities"] == 2


def test_a_hold_without_a_reason_is_refused_in_french(client, personas, jeanne):
    client.force_login(personas["admin"])
    response = client.post(
        reverse("records:person_hold", args=[jeanne["facebook"].author_id]), {"reason": " "}, follow=True
    )
    assert "Donnez la raison de la conservation légale." in response.content.decode()
    assert not LegalHold.objects.exists()


def test_the_admin_simulates_then_applies_the_retention_from_the_page(client, personas, jeanne):
    client.force_login(personas["admin"])
    url = reverse("records:retention_run")
    page = client.post(url, {"mode": "dry_run"}, follow=True).content.decode()
    assert "Simulation : 0 auteur et 0 message anonymisés" in page and "simulation · Admin" not in page
    assert "simulation · admin" in page
    client.post(url, {"mode": "apply"})
    assert [run.dry_run for run in privacy.retention.RetentionRun.objects.order_by("pk")] == [True, False]
