"""A crisis opens: the direction and the communication officer are told in Vigie, by e-mail and on the
outgoing webhook (signed), each exactly once, retried on failure; later messages join it."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.html import escape

from vigie.audit.models import AuditEvent
from vigie.crisis import alerting, service
from vigie.crisis.demo import ATTACKS
from vigie.crisis.models import AlertDelivery, Crisis, CrisisSettings
from vigie.inbox.models import Message
from vigie.inbox.signals import label_checked
from vigie.notifications.models import Notification

pytestmark = pytest.mark.django_db
SECRET = "s3cret-du-webhook"


def crisis_mails() -> list:
    """The crisis alert's e-mails (the procedure's own notifications of an attack are e-mailed too)."""
    return [m for m in mail.outbox if m.subject.startswith("[Vigie] Crise")]


def now_iso(minutes: float = 0) -> str:
    return (timezone.now() + timedelta(minutes=minutes)).isoformat()


@pytest.fixture
def attack(deliver, personas, django_capture_on_commit_callbacks):
    """attack(n): the n-th attack on the director arrives through the whole pipeline, jobs run after commit."""

    def _attack(n: int = 0, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return deliver(100 + n, ATTACKS[n % 3][0], author=f"x{n}", created_at=now_iso(n), **fields)

    return _attack


class Receiver(BaseHTTPRequestHandler):
    """A chat tool's incoming webhook: records what it gets, answers what the test says."""

    answers: list[int] = []
    received: list[tuple[dict, bytes]] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(Receiver.answers.pop(0) if Receiver.answers else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.answers, Receiver.received = [], []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    config = CrisisSettings.load()
    config.webhook_url, config.webhook_secret = f"http://127.0.0.1:{server.server_port}/alerte", SECRET
    config.save()
    yield Receiver
    server.shutdown()


def test_the_direction_and_communication_are_told_in_vigie_and_by_email(attack, personas):
    attack()
    crisis = Crisis.objects.get()
    assert crisis.signal == "staff_attack" and crisis.status == Crisis.Status.OPEN
    told = Notification.objects.filter(link=f"/crises/{crisis.pk}/")
    assert sorted(n.recipient.username for n in told) == ["communication", "direction"]
    assert sorted(m.to[0] for m in crisis_mails()) == ["communication@example.org", "direction@example.org"]
    assert "Attaque visant Nadia Benali" in crisis_mails()[0].body
    assert f"/crises/{crisis.pk}/" in crisis_mails()[0].body
    assert AuditEvent.objects.filter(verb="crisis.opened", target_id=str(crisis.pk)).exists()


def test_an_email_is_sent_once_even_when_its_job_runs_again(attack):
    attack()
    for delivery in AlertDelivery.objects.all():
        assert delivery.status == AlertDelivery.Status.DONE
        assert alerting.deliver(delivery.pk) is None
    assert len(crisis_mails()) == 2


def test_later_messages_join_the_open_crisis_without_a_new_alert(attack):
    attack(0)
    attack(1)
    attack(2)
    crisis = Crisis.objects.get()
    assert crisis.links.count() == 3
    assert len(crisis_mails()) == 2
    assert Notification.objects.filter(link=f"/crises/{crisis.pk}/").count() == 2


def test_old_messages_open_nothing_outside_a_replay(deliver, personas):
    deliver(1, ATTACKS[0][0], created_at=(timezone.now() - timedelta(days=3)).isoformat())
    assert not Crisis.objects.exists()


def test_the_webhook_gets_a_signed_body_once(attack, receiver):
    attack()
    crisis = Crisis.objects.get()
    [(headers, body)] = receiver.received
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Vigie-Signature-256"] == expected
    assert alerting.signature_matches(body, SECRET, headers["X-Vigie-Signature-256"])
    assert not alerting.signature_matches(body, "autre", headers["X-Vigie-Signature-256"])
    assert headers["X-Vigie-Delivery"] == f"crisis-{crisis.pk}-webhook"
    payload = json.loads(body)
    assert payload["type"] == "crisis_opened" and payload["signal"] == "staff_attack"
    assert payload["url"].endswith(f"/crises/{crisis.pk}/") and payload["message_ids"] == ["c_100"]
    delivery = AlertDelivery.objects.get(channel="webhook")
    assert alerting.deliver(delivery.pk) is None and len(receiver.received) == 1


def test_a_failing_webhook_is_retried_later_with_the_same_delivery_key(attack, receiver):
    receiver.answers = [503]
    attack()
    delivery = AlertDelivery.objects.get(channel="webhook")
    assert delivery.status == AlertDelivery.Status.PENDING and delivery.attempts == 1
    assert "503" in delivery.error and delivery.next_attempt_at > timezone.now()
    assert delivery.pk not in alerting.due_ids()  # not before its time
    AlertDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert delivery.pk in alerting.due_ids()
    assert alerting.deliver(delivery.pk).status == AlertDelivery.Status.DONE
    assert [h["X-Vigie-Delivery"] for h, _ in receiver.received] == [delivery.dedup_key] * 2


def test_a_webhook_failing_for_good_is_marked_failed(attack, receiver):
    receiver.answers = [500] * alerting.MAX_ATTEMPTS
    attack()
    delivery = AlertDelivery.objects.get(channel="webhook")
    for _ in range(alerting.MAX_ATTEMPTS - 1):
        AlertDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        alerting.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == AlertDelivery.Status.FAILED and delivery.attempts == alerting.MAX_ATTEMPTS
    assert delivery.pk not in alerting.due_ids()


def test_a_delivery_whose_worker_died_is_taken_up_again(attack):
    attack()
    delivery = AlertDelivery.objects.filter(channel="email").first()
    AlertDelivery.objects.filter(pk=delivery.pk).update(status=AlertDelivery.Status.RUNNING,
                                                        lease_until=timezone.now() + timedelta(minutes=1))  # fmt: skip
    assert alerting.deliver(delivery.pk) is None  # another worker has it
    AlertDelivery.objects.filter(pk=delivery.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert delivery.pk in alerting.due_ids()
    assert alerting.deliver(delivery.pk).status == AlertDelivery.Status.DONE


def test_people_who_opted_out_of_emails_are_told_in_vigie_only(attack, personas):
    from vigie.notifications.models import Preference

    Preference.objects.create(user=personas["direction"], by_email=False)
    attack()
    assert [m.to[0] for m in crisis_mails()] == ["communication@example.org"]
    assert Notification.objects.filter(recipient=personas["direction"], link__startswith="/crises/").count() == 1


def test_the_same_attack_delivered_twice_is_one_crisis_with_one_message(attack):
    attack(0)
    attack(0)
    crisis = Crisis.objects.get()
    assert crisis.links.count() == 1 and len(crisis_mails()) == 2


def test_detection_also_runs_when_an_event_goes_the_one_by_one_way(attack, monkeypatch):
    from vigie.inbox import bulk

    def broken(*args, **kwargs):
        raise RuntimeError("bulk path down")

    monkeypatch.setattr(bulk, "ingest_new", broken)
    attack(0)
    crisis = Crisis.objects.get()
    assert crisis.signal == "staff_attack" and len(crisis_mails()) == 2


CLAIM = "Ce centre est une secte, les formations ne sont reconnues par aucun organisme officiel"


@pytest.fixture
def unsure_rumour(deliver, personas, django_capture_on_commit_callbacks):
    """Three people post the same claim; the model read each as misinformation, but unsure of it."""
    messages = []
    for n, prefix in enumerate(("", "Partagez : ", "C'est vrai : ")):
        message = deliver(200 + n, prefix + CLAIM, author=f"r{n}", created_at=now_iso(n * 10))
        message.classification.label, message.classification.confidence = "misinformation", 0.4
        message.classification.save()
        messages.append(message)
    with django_capture_on_commit_callbacks(execute=True):
        service.observe(messages[-1:])
    return messages


def test_misinformation_the_model_is_unsure_of_asks_the_desk_to_check_without_a_crisis(unsure_rumour, personas):
    assert not Crisis.objects.exists()
    told = Notification.objects.get(recipient=personas["community_manager"])
    assert told.title == "Fausse information possible : étiquettes à vérifier" and told.urgent
    assert "3 messages de 3 auteurs" in told.body and told.link.endswith("?label=misinformation&uncertain=on")
    assert not Notification.objects.filter(recipient=personas["direction"]).exists()
    assert not crisis_mails()


def test_a_later_copy_updates_the_desk_notification_without_a_second_email(
    unsure_rumour, personas, deliver, django_capture_on_commit_callbacks
):
    cm = personas["community_manager"]
    assert sum(cm.email in m.to for m in mail.outbox) == 1
    later = deliver(210, "Attention : " + CLAIM, author="r9", created_at=now_iso(40))
    later.classification.label, later.classification.confidence = "misinformation", 0.4
    later.classification.save()
    with django_capture_on_commit_callbacks(execute=True):
        service.observe([later])
    told = Notification.objects.get(recipient=cm)
    assert told.count == 2 and "4 messages de 4 auteurs" in told.body
    assert sum(cm.email in m.to for m in mail.outbox) == 1


def test_a_person_confirming_one_of_them_opens_the_crisis_at_once(unsure_rumour, personas):
    first = unsure_rumour[0]
    first.classification.corrected_label, first.classification.corrected_at = "misinformation", timezone.now()
    first.classification.save()
    label_checked.send(sender=Message, message=first, classification=first.classification)
    crisis = Crisis.objects.get()
    assert crisis.signal == "disinformation" and crisis.links.count() == 3
    assert Notification.objects.filter(recipient=personas["direction"], kind="crisis").exists()


@pytest.fixture
def open_rumour_crisis(db):
    now = timezone.now()
    return Crisis.objects.create(signal="disinformation", platform="facebook", explanation="Rumeur en cours",
                                 started_at=now, detected_at=now, last_message_at=now)  # fmt: skip


def test_unsure_misinformation_joining_an_open_rumour_crisis_asks_nobody(open_rumour_crisis, unsure_rumour, personas):
    assert not Notification.objects.filter(recipient=personas["community_manager"]).exists()
    assert open_rumour_crisis.links.count() >= 1


def test_an_attack_a_person_points_out_opens_the_crisis_at_once(deliver, personas, django_capture_on_commit_callbacks):
    from vigie.inbox import actions

    cm = personas["community_manager"]
    text = "Bravo Nadia Benali, encore une belle démonstration d'amateurisme"  # sarcasm the model reads as praise
    message = deliver(300, text, author="z1", created_at=now_iso())
    Crisis.objects.all().delete()  # whatever the model saw, it missed the attack
    message.classification.label, message.classification.targets_staff = "positive_neutral", False
    message.classification.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.correct_label(message, "abuse", by=cm)
    assert not Crisis.objects.exists()  # abuse, but nobody said whom it attacks
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_staff_target(message, True, by=cm)
    crisis = Crisis.objects.get()
    assert crisis.signal == "staff_attack" and "Nadia Benali" in crisis.explanation
    assert Notification.objects.filter(recipient=personas["direction"], kind="crisis").exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.correct_label(message, "abuse", by=cm)  # checked again: no second crisis
    assert Crisis.objects.count() == 1


def test_a_crisis_whose_attacks_a_person_clears_says_so_and_asks_whether_it_is_a_false_alarm(
    attack, personas, django_capture_on_commit_callbacks, client
):
    from vigie.inbox import actions

    cm = personas["community_manager"]
    first, second = attack(0), attack(1)
    crisis = Crisis.objects.get()
    alert = Notification.objects.get(recipient=personas["direction"], kind="crisis")
    assert alert.urgent and crisis.links.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_staff_target(first, False, by=cm)
    [said] = crisis.events.all()
    assert said.actor == cm and said.text.endswith(", sans attaque contre l'équipe.")
    client.force_login(personas["direction"])
    assert escape(said.text) in client.get(f"/crises/{crisis.pk}/").content.decode()  # in the room's timeline
    alert.refresh_from_db()
    assert alert.urgent and alert.title.startswith("Crise :")  # the second message is still an attack
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_staff_target(second, False, by=cm)
        actions.correct_label(second, second.classification.effective_label, by=cm)  # checked again: said once
    assert crisis.events.count() == 2
    alert.refresh_from_db()
    assert alert.title == f"Crise n° {crisis.pk} : plus aucune attaque vérifiée" and not alert.urgent
    assert alert.reason == "community-manager, après vérification"
    crisis.refresh_from_db()
    assert crisis.status == Crisis.Status.OPEN  # people close it: Vigie never does
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_staff_target(second, True, by=cm)  # an attack after all: cleared no more
        actions.mark_staff_target(second, False, by=cm)  # and cleared again, said again
    assert crisis.events.count() == 3
