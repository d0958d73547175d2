import json

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.policy.models import Rule

pytestmark = pytest.mark.django_db

DEFINITION = {"conditions": [{"type": "label_in", "labels": ["spam"]}], "actions": [{"type": "delete"}]}


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas["admin"])
    return client


def post(client, url, definition, **extra):
    data = {"name": "Spam", "description": "", "definition": json.dumps(definition), **extra}
    return client.post(url, data)


def test_an_admin_writes_a_rule_and_each_save_is_a_version(admin_client):
    response = post(admin_client, reverse("policy:new"), DEFINITION, save_json="1", enabled="on")
    rule = Rule.objects.get()
    assert response.status_code == 302 and rule.enabled and rule.current.number == 1
    post(admin_client, reverse("policy:edit", args=[rule.pk]), {**DEFINITION, "automatic": True}, save_json="1")
    rule.refresh_from_db()
    assert rule.current.number == 2 and not rule.enabled
    assert AuditEvent.objects.filter(verb__in=["rule.created", "rule.saved"]).count() == 2


def test_an_invalid_rule_is_explained_and_not_saved(admin_client):
    invalid = {"conditions": [{"type": "lune"}], "actions": []}
    response = post(admin_client, reverse("policy:new"), invalid, save_json="1")
    page = response.content.decode()
    assert "type inconnu « lune »" in page or "liste vide" in page
    assert not Rule.objects.exists()
    response = admin_client.post(reverse("policy:new"), {"name": "x", "definition": "{pas du json", "save_json": "1"})
    assert "JSON illisible" in response.content.decode()


def test_a_rule_is_tried_on_a_sample_without_saving(admin_client):
    response = post(
        admin_client, reverse("policy:new"), DEFINITION, apply_json="1", sample="1", **{"sample-text": "promo !!!",
        "sample-label": "spam", "sample-platform": "facebook", "sample-kind": "comment", "sample-confidence": "0.9",
        "sample-author_offences": "0"},
    )  # fmt: skip
    assert "Supprimer — proposé" in response.content.decode() and not Rule.objects.exists()


def test_the_preview_runs_over_recent_messages_without_acting(admin_client, deliver):
    from vigie.policy.tests.test_service import SPAM

    deliver(1, SPAM)
    response = post(admin_client, reverse("policy:new"), DEFINITION, apply_json="1", preview="1")
    page = response.content.decode()
    assert "Aperçu : 1 message" in page and "GAGNEZ" in page
    from vigie.moderation.models import PlatformAction

    assert not PlatformAction.objects.exists()


def form_data(**extra) -> dict:
    """The rule form as a browser posts it: one condition (label is spam), one action (hide)."""
    return {"name": "Spam masqué", "description": "", "match": "all", "c-count": "1", "c0-type": "label_in",
            "c0-labels": ["spam"], "a-count": "1", "a0-type": "hide", **extra}  # fmt: skip


def test_a_rule_is_built_with_the_form_without_writing_json(admin_client):
    page = admin_client.get(reverse("policy:new")).content.decode()
    assert "Conditions à réunir" in page and "L&#x27;étiquette est" in page and "Vue avancée (JSON)" in page
    response = admin_client.post(reverse("policy:new"), form_data(automatic="on", save="1", enabled="on"))
    rule = Rule.objects.get()
    assert response.status_code == 302
    assert rule.current.definition == {"match": "all", "conditions": [{"type": "label_in", "labels": ["spam"]}],
                                       "actions": [{"type": "hide"}], "automatic": True}  # fmt: skip
    page = admin_client.get(reverse("policy:edit", args=[rule.pk])).content.decode()
    assert 'name="c0-labels" value="spam" checked' in page and "&quot;automatic&quot;: true" in page


def test_the_form_refuses_what_the_json_would_refuse_and_keeps_what_was_typed(admin_client):
    data = form_data(save="1", **{"c0-type": "confidence_at_least", "c0-value": "1,5"})
    page = admin_client.post(reverse("policy:new"), data).content.decode()
    assert "valeur trop grande" in page and 'value="1,5"' in page and not Rule.objects.exists()


def test_adding_a_row_or_changing_its_type_saves_nothing_and_shows_no_error(admin_client):
    page = admin_client.post(reverse("policy:new"), form_data(add_a="1")).content.decode()
    assert 'name="a-count" value="2"' in page and "ne peut pas être utilisée" not in page
    page = admin_client.post(reverse("policy:new"), form_data(refresh="c0", **{"c0-type": "time_between"}))
    assert 'type="time"' in page.content.decode() and not Rule.objects.exists()


def test_the_json_view_fills_the_form_with_the_same_rule(admin_client):
    definition = {"match": "any", "conditions": [{"type": "text_contains_any", "words": ["arnaque", "escroc"]}],
                  "actions": [{"type": "set_priority", "priority": "urgent"}], "automatic": False}  # fmt: skip
    page = post(admin_client, reverse("policy:new"), definition, apply_json="1").content.decode()
    assert 'value="arnaque, escroc"' in page and '<option value="urgent" selected>Urgente</option>' in page
    assert '<option value="any" selected>' in page and not Rule.objects.exists()
