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


def test_the_request_to_approve_is_read_once_no_reply_of_its_item_waits(ingest, personas):
    """« Réponse à approuver » is something to act on: once decided (approved or refused), it leaves the unread."""
    cm, communication = personas["community_manager"], personas["communication"]
    message = ingest(1)
    first, second = (actions.compose_reply(message.thread, text, by=cm, in_reply_to=message, sensitive=True)
                     for text in ("Bonjour", "Bonjour encore"))  # fmt: skip
    actions.approve_reply(first, by=communication)
    assert told("communication").get(kind=Kind.APPROVAL_REQUEST).read_at is None  # the second one still waits
    actions.reject_reply(second, by=communication, reason="doublon")
    assert told("communication").get(kind=Kind.APPROVAL_REQUEST).read_at is not None
    assert told("community-manager").filter(kind=Kind.APPROVAL_DECISION, read_at__isnull=True).exists()


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
    assert done.alert == Recommendation.Alert.HELD_BACK
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
    assert done.note == "1 personne prévenue ; direction prévenue après vérification"
    assert told("direction").count() == 1 and told("communication").count() == 1
    actions.correct_label(second, "abuse", by=personas["community_manager"])  # a second click tells nobody
    assert told("direction").count() == 1


ATTACK = "Claire Fontaine est une incapable, une honte pour ce centre"


@pytest.fixture
def alarm(personas, deliver, monkeypatch):
    """An attack on staff the direction and the communication officer were told of, urgently."""
    from vigie.policy import service

    monkeypatch.setattr(service, "DIRECTION_ALERT_CONFIDENCE", 0.0)  # whatever the model's confidence
    message = deliver(1, ATTACK)
    assert message.classification.targets_staff
    assert told("direction").get().urgent and told("communication").get().urgent
    return message


def test_a_compliment_taken_for_an_attack_is_lifted_for_everyone_told(alarm, personas):
    actions.correct_label(alarm, "positive_neutral", by=personas["community_manager"])
    for person in ("direction", "communication"):
        [notification] = told(person)  # the unread alert, updated: one line per message
        assert notification.title == "Alerte levée : Emma Laurent sur Facebook, positif ou neutre, ne vise pas l'équipe"
        assert not notification.urgent and notification.count == 2
        assert notification.reason == "community-manager, après vérification"
    done = alarm.recommendations.get(action="notify_internal")
    assert done.note == "2 personnes prévenues ; alerte levée après vérification" and done.alert == "lifted"
    actions.correct_label(alarm, "positive_neutral", by=personas["community_manager"])  # confirmed: nothing more
    assert told("direction").get().count == 2


def test_an_alert_already_read_is_lifted_by_a_new_line_in_the_digest_and_raised_again_if_it_was_right(alarm, personas):
    cm = personas["community_manager"]
    told("direction").update(read_at=alarm.created_at, emailed_at=alarm.created_at)
    assert actions.mark_staff_target(alarm, False, by=cm)
    read, lifted = told("direction").order_by("pk")
    assert read.urgent and lifted.title.startswith("Alerte levée : Emma Laurent sur Facebook")
    assert "ne vise pas l'équipe" in lifted.title
    assert not lifted.urgent and lifted.emailed_at is None and lifted.read_at is None  # the hourly digest
    assert actions.mark_staff_target(alarm, True, by=cm)  # it was an attack after all
    lifted.refresh_from_db()
    assert lifted.urgent and "vise un membre de l'équipe" in lifted.title and lifted.count == 2
    done = alarm.recommendations.get(action="notify_internal")
    assert done.note == "2 personnes prévenues ; alerte relancée après vérification" and done.alert == "raised_again"


def test_the_alerts_sent_before_the_state_was_stored_get_it_from_their_note(alarm, deliver):
    """Migration 0003 of policy: the state was read from the note's last part, it is stored now."""
    import importlib

    from django.apps import apps

    from vigie.policy.models import Recommendation

    migration = importlib.import_module("vigie.policy.migrations.0003_alert_state")
    notes = {
        "2 personnes prévenues": "sent",
        "1 personne prévenue ; direction non prévenue : étiquette sûre à 62 % seulement (il faut 80 %)": "held_back",
        "2 personnes prévenues ; alerte levée après vérification": "lifted",
        "2 personnes prévenues ; alerte relancée après vérification": "raised_again",
        "2 personnes prévenues ; direction prévenue après vérification de l'étiquette": "told_after_check",
        "personne à prévenir": "",
    }
    for note in notes:
        Recommendation.objects.create(message=alarm, action="notify_internal", source="procédure", note=note,
                                      status="done")  # fmt: skip
    Recommendation.objects.update(alert="")
    migration.read_the_notes(apps, None)
    assert {r.note: r.alert for r in Recommendation.objects.filter(note__in=notes)} == notes


def test_a_confirmed_alert_tells_nobody_again(alarm, personas):
    assert actions.mark_staff_target(alarm, True, by=personas["community_manager"])  # as the model said
    assert told("direction").get().count == 1 and told("communication").get().count == 1


def classified(ingest, label: str, text: str = "On entendait Claire Fontaine comme dans une boîte de conserve"):
    """A message the model read as `label`, sure of it (0.99), and as attacking a member of staff; the procedure
    applied as the pipeline does."""
    from vigie.policy import service
    from vigie.triage import playbook_defaults
    from vigie.triage.models import Classification

    message = ingest(1, text=text)
    plan = playbook_defaults.plan(label, message.kind, targets_staff=True)
    classification = Classification.objects.create(
        message=message, label=label, confidence=0.99, targets_staff=True, priority=plan.priority, model_version="t",
        signals=["nom d'un membre de l'équipe : Claire Fontaine"], text_sha256="t", proposed_actions=plan.actions,
    )  # fmt: skip
    service.apply(message, classification, new=True)
    return message


def test_a_criticism_said_to_target_staff_reaches_the_direction_once_a_person_confirms_it(ingest, personas):
    """Rule D1 (docs/triage.md): only an attack label (abuse, misinformation) pages the direction on its own;
    a criticism naming staff tells the communication officer at once, the direction after « Oui »."""
    message = classified(ingest, "criticism")
    assert told("communication").get().urgent and not told("direction").exists()
    done = message.recommendations.get(action="notify_internal")
    assert done.alert == Recommendation.Alert.HELD_BACK
    assert done.note == ("1 personne prévenue ; direction non prévenue : critique constructive qui nomme l'équipe, "
                         "à confirmer (« Oui, personnel visé » la prévient)")  # fmt: skip
    assert actions.mark_staff_target(message, True, by=personas["community_manager"]) is True
    assert told("direction").get().urgent and told("communication").get().count == 1
    done.refresh_from_db()
    assert done.note == "1 personne prévenue ; direction prévenue après vérification"


@pytest.mark.parametrize("label", ["abuse", "misinformation"])
def test_an_attack_label_said_to_target_staff_pages_the_direction_at_once(ingest, personas, label):
    classified(ingest, label, text="Claire Fontaine est une incapable, une honte pour ce centre")
    assert told("direction").get().urgent and told("communication").get().urgent
