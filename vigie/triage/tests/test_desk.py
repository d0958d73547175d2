"""Learning from the desk: one-tap correction or confirmation, and the uncertain labels shown first."""

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.inbox import actions, queries
from vigie.triage.learning import corrections
from vigie.triage.models import UNCERTAIN_BELOW, Classification

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_messages(deliver):
    """Two classified comments: the model was sure of one, unsure of the other."""
    sure = deliver(1, "Bonjour, quel est le tarif de la formation en hypnose ?")
    unsure = deliver(2, "Bon ben on verra bien ce que ça donne")
    Classification.objects.filter(message=sure).update(confidence=0.97)
    Classification.objects.filter(message=unsure).update(confidence=UNCERTAIN_BELOW - 0.2)
    return sure, unsure


def test_the_uncertain_filter_lists_what_the_model_was_not_sure_of(cm, two_messages):
    sure, unsure = two_messages
    assert [i.message for i in queries.items(queries.Filters(uncertain=True), cm)] == [unsure]
    assert list(queries.messages(queries.Filters(uncertain=True), cm)) == [unsure]
    assert {i.message for i in queries.items(queries.Filters(), cm)} == {sure, unsure}


def test_confirming_a_label_takes_it_off_the_uncertain_list_and_teaches_train(cm, two_messages):
    _, unsure = two_messages
    label = unsure.classification.label
    actions.correct_label(unsure, label, by=cm)
    classification = Classification.objects.get(message=unsure)
    assert classification.corrected_label == "" and classification.corrected_by == cm
    assert not classification.uncertain
    assert list(queries.items(queries.Filters(uncertain=True), cm)) == []
    assert AuditEvent.objects.get(verb="message.label_confirmed").summary.startswith("Étiquette confirmée")
    assert [(e.text, e.label) for e in corrections()] == [(unsure.text, label)]
    actions.correct_label(unsure, label, by=cm)  # a second confirmation changes nothing
    assert AuditEvent.objects.filter(verb="message.label_confirmed").count() == 1


def test_a_correction_is_one_tap_per_label_on_the_item_page(client, cm, two_messages):
    _, unsure = two_messages
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[unsure.item_id])).content.decode()
    assert "tri incertain : à vérifier" in page
    assert page.count('name="label" value=') == 8  # one button a label, no list to open first
    response = client.post(reverse("inbox:correct_label", args=[unsure.pk]), {"label": "criticism"})
    assert response.status_code == 302
    classification = Classification.objects.get(message=unsure)
    assert classification.corrected_label == "criticism" and not classification.uncertain
    list_page = client.get(reverse("inbox:list"), {"uncertain": "on"}).content.decode()
    assert "Bon ben on verra" not in list_page


def test_the_api_filters_uncertain_messages(client, cm, two_messages):
    from vigie.api import tokens

    _, unsure = two_messages
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens.issue(cm)[1]}"}
    body = client.get("/api/v1/messages", {"uncertain": "true"}, **headers).json()
    assert [m["id"] for m in body["results"]] == [unsure.pk]


@pytest.mark.parametrize(("role", "allowed"), [("community_manager", True), ("communication", True),
                                               ("direction", False), ("outsider", False)])  # fmt: skip
def test_only_the_desk_roles_correct_labels(client, personas, two_messages, role, allowed):
    _, unsure = two_messages
    client.force_login(personas[role])
    client.post(reverse("inbox:correct_label", args=[unsure.pk]), {"label": "spam"})
    assert (Classification.objects.get(message=unsure).corrected_label == "spam") is allowed
