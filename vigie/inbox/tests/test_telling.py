"""Who is told of what (issue #8 §6): each role about what it must act on, once per item."""

import pytest

from vigie.inbox import actions
from vigie.notifications.models import Kind, Notification
from vigie.policy.models import Recommendation
from vigie.policy.service import DIRECTION_ALERT_CONFIDENCE

pytestmark = pytest.mark.django_db


def told(username: str):
    return Notification.objects.filter(recipient__username=username)


def test_a_community_manager_is_told_what_is_assigned_to_them_once_per_item(ingest, personas):
    item = ingest(1, author_name="Chloé Rousseau").item
    admin, cm = personas["admin"], personas["community_manager"]
    actions.assign(item, cm, by=admin)
    actions.assign(item, None, by=admin)
    actions.assign(item, cm, by=admin)
    [notification] = told("community-manager")
    assert notification.kind == Kind.ASSIGNMENT and notification.count == 2
    assert notification.title == "admin vous a attribué le message de Chloé Rousseau"
    assert notification.link == f"/boite/element/{item.pk}/"


def test_taking_an_item_oneself_tells_nobody(ingest, cm):
    actions.assign(ingest(1).item, cm, by=cm)
    assert not Notification.objects.exists()


def test_communication_is_asked_to_approve_and_the_author_hears_the_decision(ingest, personas):
    cm, communication = personas["community_manager"], personas["communication"]
    message = ingest(1)
    reply = actions.compose_reply(message.thread, "Bonjour", by=cm, in_reply_to=message, sensitive=True)
    [asked] = told("communication")
    assert asked.kind == Kind.APPROVAL_REQUEST and asked.link == "/boite/approbations/"
    assert not told("direction").filter(kind=Kind.APPROVAL_REQUEST).exists()
    actions.reject_reply(reply, by=communication, reason="trop sec")
    [decided] = told("community-manager")
    assert decided.kind == Kind.APPROVAL_DECISION and "refusée (trop sec)" in decided.title


def test_the_direction_is_told_of_escalations_urgently(ingest, cm, personas):
    item = ingest(1).item
    actions.change_status(item, "escalated", by=cm)
    [notification] = told("direction")
    assert notification.kind == Kind.ESCALATION and notification.urgent
    assert not told("community-manager").exists() and not told("communication").exists()


def test_a_label_not_sure_enough_does_not_page_the_direction(personas, deliver, monkeypatch):
    """An automatic alert to the direction needs a sure label (here the bar is set above any confidence);
    the communication officer is still told and the recommendation says why the direction was not."""
    from vigie.policy import service

    monkeypatch.setattr(service, "DIRECTION_ALERT_CONFIDENCE", 1.01)
    insult = "Bande de connards d'escrocs, allez vous faire foutre avec vos formations de merde"
    deliver(1, insult)
    second = deliver(2, insult.replace("connards", "abrutis"))
    done = second.recommendations.get(action="notify_internal")
    assert done.status == Recommendation.Status.DONE
    assert "direction non prévenue : étiquette sûre à" in done.note and "(il faut 101 %)" in done.note
    assert told("communication").exists() and not told("direction").exists()
    assert DIRECTION_ALERT_CONFIDENCE == 0.8


def test_the_direction_held_back_is_told_once_a_person_confirms_the_label(personas, deliver, monkeypatch):
    """The model was unsure, so only communication was told; a community manager confirms it is abuse: the
    direction is told then, once, and the recommendation says so."""
    from vigie.policy import service

    monkeypatch.setattr(service, "DIRECTION_ALERT_CONFIDENCE", 1.01)
    insult = "Bande de connards d'escrocs, allez vous faire foutre avec vos formations de merde"
    deliver(1, insult)
    second = deliver(2, insult.replace("connards", "abrutis"))
    assert not told("direction").exists()
    actions.correct_label(second, "abuse", by=personas["community_manager"])  # confirmed as it stands
    done = second.recommendations.get(action="notify_internal")
    assert done.note == "1 personne prévenue ; direction prévenue après vérification de l'étiquette"
    assert told("direction").count() == 1 and told("communication").count() == 1
    actions.correct_label(second, "abuse", by=personas["community_manager"])  # a second click tells nobody
    assert told("direction").count() == 1
