"""Learning from the desk: one-tap correction or confirmation, and the uncertain labels shown first."""

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.inbox import actions, queries
from vigie.inbox.models import Item, Message, Priority
from vigie.triage.learning import corrections
from vigie.triage.models import STAFF_CLUE, UNCERTAIN_BELOW, Classification, is_mention_to_check

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


@pytest.fixture
def unflagged_attack(deliver):
    """A comment that names the director and accuses her, which the model did not take for an attack."""
    message = deliver(3, "Nadia Benali ment à ses stagiaires depuis des années, tout le monde le sait")
    Classification.objects.filter(message=message).update(label="criticism", confidence=0.9, targets_staff=False)
    Item.objects.filter(message=message).update(targets_staff=False, priority=Priority.HIGH)
    message.recommendations.all().delete()
    return Message.objects.get(pk=message.pk)


def test_a_negative_mention_of_staff_not_called_an_attack_is_put_before_a_person(client, cm, deliver):
    """About half the attacks the model misses name staff and read as negative: they are « à vérifier » until a person
    answers « Ce message attaque-t-il … ? »; praise or a question naming staff, or an attack found, are not."""
    mention = deliver(3, "Nadia Benali ment à ses stagiaires depuis des années, tout le monde le sait")
    praise = deliver(4, "Un grand merci à Nadia Benali pour sa bienveillance")
    Classification.objects.filter(message=mention).update(label="criticism", confidence=0.9, targets_staff=False,
                                                           mention_to_check=True)  # fmt: skip
    sure = Classification.objects.get(message=mention)
    assert sure.to_check and not sure.uncertain
    assert [i.message for i in queries.items(queries.Filters(uncertain=True), cm)] == [mention]
    client.force_login(cm)
    assert "attaque à vérifier" in client.get(reverse("inbox:list"), {"uncertain": "on"}).content.decode()
    assert "attaque à vérifier" in client.get(reverse("inbox:item", args=[mention.item_id])).content.decode()
    assert not Classification.objects.get(message=praise).to_check
    actions.mark_staff_target(Message.objects.get(pk=mention.pk), False, by=cm)  # « Non » : checked
    assert not Classification.objects.get(message=mention).to_check
    assert list(queries.items(queries.Filters(uncertain=True), cm)) == []


@pytest.mark.parametrize(
    ("label", "targets_staff", "named", "to_check"),
    [
        ("criticism", False, True, True),
        ("abuse", False, True, True),
        ("conflict", False, True, True),
        ("misinformation", False, True, True),
        ("abuse", True, True, False),  # found: the procedure already runs
        ("positive_neutral", False, True, False),
        ("question", False, True, False),
        ("criticism", False, False, False),  # names nobody on the staff
    ],
)
def test_which_mentions_are_put_before_a_person(label, targets_staff, named, to_check):
    signals = [f"{STAFF_CLUE}Nadia Benali"] if named else ["mot grossier"]
    assert is_mention_to_check(label, targets_staff, signals) is to_check


def test_the_triage_marks_a_negative_mention_when_it_classifies(deliver):
    """Stored by the triage itself: whatever the model says of this comment, the mark follows its label and attack."""
    message = deliver(5, "Franchement Julien Roux pourrait répondre aux mails, trois semaines sans nouvelles")
    c = Classification.objects.get(message=message)
    assert c.staff_named == ["Julien Roux"]
    assert c.mention_to_check == is_mention_to_check(c.label, c.targets_staff, c.signals)


def test_a_person_says_a_message_attacks_staff_and_the_desk_follows(cm, unflagged_attack):
    assert unflagged_attack.classification.staff_named == ["Nadia Benali"]
    assert actions.mark_staff_target(unflagged_attack, True, by=cm)
    classification = Classification.objects.get(message=unflagged_attack)
    assert classification.targets_staff and classification.corrected_by == cm and not classification.uncertain
    item = Item.objects.get(message=unflagged_attack)
    assert item.targets_staff and item.priority == Priority.CRITICAL  # an attack on staff comes first
    assert {"capture_evidence", "notify_internal"} <= {r.action for r in unflagged_attack.recommendations.all()}
    event = AuditEvent.objects.get(verb="message.staff_target_corrected")
    assert event.summary == "Personnel visé corrigé : vise un membre de l'équipe"
    assert (event.before, event.after) == ({"targets_staff": False}, {"targets_staff": True})
    assert [(e.text, e.label, e.targets_staff) for e in corrections()] == [(unflagged_attack.text, "criticism", True)]
    assert not actions.mark_staff_target(unflagged_attack, True, by=cm)  # said twice: nothing more
    assert AuditEvent.objects.filter(verb="message.staff_target_corrected").count() == 1


def test_a_person_clears_personnel_vise_and_confirming_it_is_one_tap_too(deliver, cm):
    message = deliver(4, "Claire Fontaine est une incapable, une honte pour ce centre")
    assert message.classification.targets_staff
    assert actions.mark_staff_target(message, False, by=cm)
    assert not Classification.objects.get(message=message).targets_staff
    assert not Item.objects.get(message=message).targets_staff
    assert "notify_internal" not in {r.action for r in message.recommendations.filter(status="proposed")}
    other = deliver(5, "Julien Roux est un guignol qui lit ses slides")
    assert other.classification.targets_staff and other.classification.corrected_at is None
    assert actions.mark_staff_target(other, True, by=cm)  # as the model said: a confirmation
    assert Classification.objects.get(message=other).corrected_at is not None
    assert AuditEvent.objects.filter(verb="message.label_confirmed").count() == 1


def test_an_attack_cleared_by_a_person_no_longer_comes_first(deliver, cm):
    """The attack made the item critical; « Non » brings it back to what its label gives (abuse: high), and a
    label corrected to praise to normal. A priority a person set stays."""
    message = deliver(7, "Claire Fontaine est une incapable, une honte pour ce centre")
    assert message.classification.targets_staff and message.classification.label == "abuse"
    assert Item.objects.get(message=message).priority == Priority.CRITICAL
    actions.mark_staff_target(message, False, by=cm)
    assert Item.objects.get(message=message).priority == Priority.HIGH  # abuse, no longer an attack on staff
    praise = deliver(8, "Julien Roux est un guignol qui lit ses slides")
    assert Item.objects.get(message=praise).priority == Priority.CRITICAL
    actions.correct_label(praise, "positive_neutral", by=cm)  # « Personnel visé » goes with the label
    assert Item.objects.get(message=praise).priority == Priority.NORMAL
    kept = deliver(9, "Nadia Benali est une menteuse et une incompétente")
    assert kept.classification.targets_staff
    actions.set_priority(Item.objects.get(message=kept), Priority.URGENT, by=cm)  # a person's choice
    actions.mark_staff_target(kept, False, by=cm)
    assert Item.objects.get(message=kept).priority == Priority.URGENT and Item.objects.get(message=kept).priority_set


def test_the_priorities_set_before_it_was_stored_are_read_from_the_audit_log(deliver, cm):
    """Migration 0008 of inbox: whether a person or a rule set an item's priority was read from the audit log on
    every check; it is stored on the item now."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("vigie.inbox.migrations.0008_priority_set")
    chosen = Item.objects.get(message=deliver(9, "Bonjour, quel est le tarif ?"))
    left = Item.objects.get(message=deliver(10, "Bonjour, où a lieu la formation ?"))
    actions.set_priority(chosen, Priority.URGENT, by=cm)
    Item.objects.update(priority_set=False)
    migration.read_the_audit(apps, None)
    assert Item.objects.get(pk=chosen.pk).priority_set and not Item.objects.get(pk=left.pk).priority_set


def test_praise_is_not_marked_as_an_attack_before_its_label_is_corrected(deliver, cm):
    message = deliver(6, "Un grand merci à Nadia Benali pour sa bienveillance")
    assert message.classification.label == "positive_neutral"
    with pytest.raises(actions.ActionError, match="corrigez d'abord son étiquette"):
        actions.mark_staff_target(message, True, by=cm)
    assert not Classification.objects.get(message=message).targets_staff


def test_the_item_page_asks_in_one_tap_whether_a_named_message_attacks_staff(
    client, cm, two_messages, unflagged_attack
):
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[unflagged_attack.item_id])).content.decode()
    assert "Ce message attaque-t-il Nadia Benali ?" in page and 'name="targeted" value="oui"' in page
    unnamed = client.get(reverse("inbox:item", args=[two_messages[1].item_id])).content.decode()
    assert 'name="targeted"' not in unnamed  # nobody named: no question
    response = client.post(reverse("inbox:mark_staff_target", args=[unflagged_attack.pk]), {"targeted": "oui"})
    assert response.status_code == 302
    assert Classification.objects.get(message=unflagged_attack).targets_staff
    refused = client.post(reverse("inbox:mark_staff_target", args=[unflagged_attack.pk]), {"targeted": "peut-être"},
                          follow=True)  # fmt: skip
    assert "choix valide" in refused.content.decode()  # Django's French: « Sélectionnez un choix valide… »
    assert Classification.objects.get(message=unflagged_attack).targets_staff


@pytest.mark.parametrize(("role", "allowed"), [("community_manager", True), ("communication", True),
                                               ("direction", False), ("outsider", False)])  # fmt: skip
def test_only_the_desk_roles_say_whether_staff_is_targeted(client, personas, unflagged_attack, role, allowed):
    client.force_login(personas[role])
    client.post(reverse("inbox:mark_staff_target", args=[unflagged_attack.pk]), {"targeted": "oui"})
    assert Classification.objects.get(message=unflagged_attack).targets_staff is allowed


def test_saying_staff_is_targeted_needs_a_login_and_a_csrf_token(client, cm, unflagged_attack):
    from django.test import Client

    address = reverse("inbox:mark_staff_target", args=[unflagged_attack.pk])
    assert client.post(address, {"targeted": "oui"}).status_code == 302  # to the login page
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cm)
    assert strict.post(address, {"targeted": "oui"}).status_code == 403
    assert not Classification.objects.get(message=unflagged_attack).targets_staff


def test_classifications_stored_before_the_mark_get_it_when_the_database_is_migrated(deliver, cm):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("vigie.triage.migrations.0002_mention_to_check")
    mention = deliver(10, "Nadia Benali ment à ses stagiaires depuis des années")
    checked = deliver(11, "Julien Roux ne répond jamais aux mails")
    Classification.objects.update(label="criticism", targets_staff=False, mention_to_check=False)
    actions.mark_staff_target(checked, False, by=cm)  # a person already answered: nothing to check
    migration.mark_mentions_to_check(apps, None)
    assert Classification.objects.get(message=mention).mention_to_check
    assert not Classification.objects.get(message=checked).mention_to_check
