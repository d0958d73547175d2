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
    response = post(admin_client, reverse("policy:new"), DEFINITION, save="1", enabled="on")
    rule = Rule.objects.get()
    assert response.status_code == 302 and rule.enabled and rule.current.number == 1
    post(admin_client, reverse("policy:edit", args=[rule.pk]), {**DEFINITION, "automatic": True}, save="1")
    rule.refresh_from_db()
    assert rule.current.number == 2 and not rule.enabled
    assert AuditEvent.objects.filter(verb__in=["rule.created", "rule.saved"]).count() == 2


def test_an_invalid_rule_is_explained_and_not_saved(admin_client):
    response = post(admin_client, reverse("policy:new"), {"conditions": [{"type": "lune"}], "actions": []}, save="1")
    page = response.content.decode()
    assert "type inconnu « lune »" in page or "liste vide" in page
    assert not Rule.objects.exists()
    response = admin_client.post(reverse("policy:new"), {"name": "x", "definition": "{pas du json", "save": "1"})
    assert "JSON illisible" in response.content.decode()


def test_a_rule_is_tried_on_a_sample_without_saving(admin_client):
    response = post(
        admin_client, reverse("policy:new"), DEFINITION, sample="1", **{"sample-text": "promo !!!",
        "sample-label": "spam", "sample-platform": "facebook", "sample-kind": "comment", "sample-confidence": "0.9",
        "sample-author_offences": "0"},
    )  # fmt: skip
    assert "delete" in response.content.decode() and not Rule.objects.exists()


def test_the_preview_runs_over_recent_messages_without_acting(admin_client, deliver):
    from vigie.policy.tests.test_service import SPAM

    deliver(1, SPAM)
    response = post(admin_client, reverse("policy:new"), DEFINITION, preview="1")
    page = response.content.decode()
    assert "Aperçu : 1 message" in page and "GAGNEZ" in page
    from vigie.moderation.models import PlatformAction

    assert not PlatformAction.objects.exists()
