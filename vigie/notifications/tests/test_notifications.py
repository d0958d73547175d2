"""Telling the team: in the application, by e-mail for those who want it, from the procedure."""

import pytest
from django.core import mail
from django.urls import reverse

from vigie.notifications import service, tasks
from vigie.notifications.models import Kind, Notification, Preference
from vigie.policy.models import Recommendation, Rule, RuleVersion

pytestmark = pytest.mark.django_db
INSULT = "Bande de connards d'escrocs, allez vous faire foutre avec vos formations de merde"


def test_an_urgent_notification_reaches_every_holder_of_the_roles_at_once(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = service.notify(["direction", "communication"], "Essai", "Corps", link="/boite/", urgent=True)
    assert {n.recipient.username for n in sent} == {"direction", "communication"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(n.recipient.email for n in sent)
    assert mail.outbox[0].subject == "[Vigie] Essai" and "http://127.0.0.1:8000/boite/" in mail.outbox[0].body


def test_no_email_for_whoever_turned_them_off_and_never_twice(personas, django_capture_on_commit_callbacks):
    Preference.objects.create(user=personas["direction"], by_email=False, email_kinds=[])
    with django_capture_on_commit_callbacks(execute=True):
        sent = service.notify(["direction", "communication"], "Essai", urgent=True)
    assert [m.to for m in mail.outbox] == [[personas["communication"].email]]
    assert tasks.send_emails.call_local([n.pk for n in sent]) == 0  # a retried job sends nothing again
    assert tasks.send_digests() == 0 and len(mail.outbox) == 1


def test_what_is_not_urgent_waits_for_one_digest_per_person(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        service.notify(["direction"], "Première", link="/boite/element/1/")
        service.notify(["direction"], "Seconde", link="/boite/element/2/")
    assert mail.outbox == []
    assert tasks.send_digests() == 1
    [digest] = mail.outbox
    assert digest.to == [personas["direction"].email] and digest.subject == "[Vigie] Résumé : 2 notifications"
    assert "- Première" in digest.body and "http://127.0.0.1:8000/boite/element/2/" in digest.body
    assert tasks.send_digests() == 0  # nothing twice


def test_each_person_chooses_the_kinds_that_reach_them_by_email(client, personas):
    client.force_login(personas["direction"])
    client.post(reverse("notifications:preferences"), {"email_kinds": [Kind.CRISIS, Kind.ESCALATION, "inconnu"]})
    preference = Preference.objects.get(user=personas["direction"])
    assert preference.email_kinds == [Kind.ESCALATION, Kind.CRISIS] and preference.by_email
    service.notify(["direction"], "Cas grave", kind=Kind.SEVERE)
    service.notify(["direction"], "Escalade", kind=Kind.ESCALATION)
    tasks.send_digests()
    assert "Escalade" in mail.outbox[0].body and "Cas grave" not in mail.outbox[0].body
    assert Notification.objects.filter(read_at__isnull=True).count() == 2  # both stay in Vigie


def test_one_notification_per_item_updated_as_things_happen(personas, ingest):
    item = ingest(1).item
    first = service.notify(["direction"], "Premier événement", about=item)[0]
    again = service.notify(["direction"], "Deuxième événement", about=item)[0]
    assert again.pk == first.pk and again.count == 2 and again.title == "Deuxième événement"
    Notification.objects.filter(pk=first.pk).update(read_at=first.created_at)
    assert service.notify(["direction"], "Après lecture", about=item)[0].pk != first.pk


def test_a_repeat_offender_is_notified_to_direction_and_communication(personas, deliver):
    first = deliver(1, INSULT)
    assert not Notification.objects.exists()  # a first insult: deleted, nobody told (the procedure)
    assert "notify_internal" not in {r.action for r in first.recommendations.all()}
    second = deliver(2, INSULT.replace("connards", "abrutis"))
    done = second.recommendations.get(action="notify_internal")
    assert done.status == Recommendation.Status.DONE and done.note == "2 personnes prévenues"
    told = Notification.objects.all()
    assert {n.recipient.username for n in told} == {"direction", "communication"}
    assert all("récidive" in n.title and n.link == f"/boite/element/{second.item_id}/" for n in told)
    assert all(n.kind == Kind.SEVERE and n.reason == "la procédure (prévenir en interne)" for n in told)


def test_a_rules_notify_action_tells_the_roles_it_names(personas, deliver):
    rule = Rule.objects.create(name="Prévenir les CM", enabled=True)
    definition = {"conditions": [{"type": "text_contains_any", "words": ["remboursement"]}],
                  "actions": [{"type": "notify", "roles": ["community_manager"], "email": False}]}  # fmt: skip
    RuleVersion.objects.create(rule=rule, number=1, definition=definition)
    deliver(1, "Je veux un remboursement de ma formation")
    assert [n.recipient.username for n in Notification.objects.all()] == ["community-manager"]
    assert Notification.objects.get().reason == "Prévenir les CM v1" and not mail.outbox


def test_the_list_shows_ones_own_notifications_and_opening_marks_read(client, personas):
    mine = service.notify(["direction"], "Pour la direction", link="/boite/", email=False)[0]
    service.notify(["communication"], "Pas pour elle", email=False)
    client.force_login(personas["direction"])
    page = client.get(reverse("notifications:list"))
    assert "Pour la direction" in page.content.decode() and "Pas pour elle" not in page.content.decode()
    assert "non lue" in page.content.decode()
    assert client.post(reverse("notifications:open", args=[mine.pk])).url == "/boite/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    other = Notification.objects.get(title="Pas pour elle")
    assert client.post(reverse("notifications:open", args=[other.pk])).status_code == 404


def test_an_outside_link_is_not_followed(client, personas):
    notification = service.notify(["direction"], "Lien", link="https://ailleurs.example/", email=False)[0]
    client.force_login(personas["direction"])
    assert client.post(reverse("notifications:open", args=[notification.pk])).url == reverse("notifications:list")


def test_marking_all_read_and_turning_emails_off(client, personas):
    service.notify(["direction"], "Une", email=False)
    client.force_login(personas["direction"])
    assert 'Notifications <span class="badge warn">1</span>' in client.get(reverse("inbox:list")).content.decode()
    read = client.post(reverse("notifications:mark_all_read"), follow=True).content.decode()
    assert "1 notification marquée comme lue." in read
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    client.post(reverse("notifications:preferences"), {})
    assert Preference.objects.get(user=personas["direction"]).by_email is False
    client.post(reverse("notifications:preferences"), {"email_kinds": [Kind.CRISIS]})
    assert Preference.objects.get(user=personas["direction"]).by_email is True
    chosen = client.post(reverse("notifications:preferences"), {"email_kinds": [Kind.CRISIS, Kind.SEVERE]}, follow=True)
    assert "Préférences enregistrées : 2 types de notification par e-mail." in chosen.content.decode()


def test_opening_needs_a_login_and_a_post(client, personas):
    notification = service.notify(["direction"], "Lien", link="/boite/", email=False)[0]
    url = reverse("notifications:open", args=[notification.pk])
    assert client.post(url).url.startswith(reverse("login"))
    client.force_login(personas["direction"])
    assert client.get(url).status_code == 405


def test_a_subject_told_once_by_email_updates_without_a_second_email(
    personas, ingest, django_capture_on_commit_callbacks
):
    message = ingest(1)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            service.notify(["direction"], "Une fois", about=message, urgent=True, email_again=False)
    assert len(mail.outbox) == 1 and Notification.objects.get().count == 2
    with django_capture_on_commit_callbacks(execute=True):
        service.notify(["direction"], "Encore", about=message, urgent=True)  # by default, each update is e-mailed
    assert len(mail.outbox) == 2
