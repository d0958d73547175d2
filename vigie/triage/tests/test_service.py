"""The classifier inside the pipeline: stored, shown, corrected, filtered, exposed by the API."""

import pytest
from django.urls import reverse

from vigie.accounts.models import StaffMember
from vigie.audit.models import AuditEvent
from vigie.inbox import actions, queries
from vigie.inbox.models import Thread
from vigie.triage import service
from vigie.triage.models import Classification

pytestmark = pytest.mark.django_db


def test_every_incoming_message_is_classified_with_the_model_version(deliver):
    message = deliver(1, "Bonjour, quel est le tarif de la formation en hypnose ? Merci")
    classification = message.classification
    assert classification.label == "question" and 0 < classification.confidence <= 1
    assert classification.model_version == service.classifier().version


def test_a_spam_comment_is_flagged_with_its_signals(deliver):
    message = deliver(2, "GAGNEZ 3000€ PAR SEMAINE 💰💰 sans effort, écrivez-moi sur WhatsApp +44 7700 900123")
    assert message.classification.label == "spam"
    assert message.classification.signals


def test_an_attack_on_staff_puts_the_thread_first(deliver):
    StaffMember.objects.create(name="Nadia Benali", aliases="Mme Benali\nNadia B.")
    message = deliver(3, "Mme Benali est une incompétente et une menteuse, honte à elle")
    assert message.classification.targets_staff
    assert Thread.objects.get(pk=message.thread_id).priority == service.STAFF_ATTACK
    assert list(queries.threads(queries.Filters(targets_staff=True), None)) == [message.thread]


def test_an_edited_text_is_classified_again_and_the_same_text_is_not(deliver):
    message = deliver(4, "Merci pour cette belle journée !")
    first = message.classification.classified_at
    service.classify(message)
    assert Classification.objects.get().classified_at == first
    message.text = "Arnaque, vous êtes des escrocs"
    message.save()
    assert service.classify(message).label != "positive_neutral"


def test_our_replies_are_not_classified(cm, deliver):
    message = deliver(5, "Bonjour, des places en juin ?")
    reply = actions.compose_reply(message.thread, "Oui !", by=cm, in_reply_to=message)
    assert service.classify(reply) is None


def test_a_moderator_corrects_a_label_and_the_filter_follows(cm, deliver):
    message = deliver(6, "Bonjour, quel est le tarif de la formation en hypnose ?")
    actions.correct_label(message, "complex_request", by=cm)
    classification = Classification.objects.get()
    assert classification.effective_label == "complex_request" and classification.label == "question"
    assert AuditEvent.objects.get(verb="message.label_corrected").after == {"label": "complex_request"}
    assert list(queries.messages(queries.Filters(label="complex_request", status="all"), cm)) == [message]
    assert list(queries.messages(queries.Filters(label="question", status="all"), cm)) == []


def test_the_thread_page_shows_the_label_and_offers_a_correction(client, cm, deliver):
    message = deliver(7, "Bonjour, quel est le tarif de la formation en hypnose ?")
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[message.item_id])).content.decode()
    assert "Question" in page and "Corriger l'étiquette" in page and "confiance" in page


def test_the_api_gives_label_confidence_and_targets_staff(client, cm, deliver):
    from vigie.api import tokens

    deliver(8, "Bonjour, quel est le tarif de la formation en hypnose ?")
    body = client.get("/api/v1/messages", {"label": "question"}, HTTP_AUTHORIZATION=f"Bearer {tokens.issue(cm)[1]}")
    [item] = body.json()["results"]
    assert item["label"] == "question" and item["targets_staff"] is False and item["confidence"] > 0


def test_vigie_train_learns_from_the_corrections_made_in_the_inbox(cm, tmp_path, capsys, deliver):
    from django.core.management import call_command

    message = deliver(9, "Bonjour, quel est le tarif de la formation en hypnose ?")
    actions.correct_label(message, "complex_request", by=cm)
    call_command("train", "--model-dir", str(tmp_path))
    assert "corrections=1" in capsys.readouterr().out
