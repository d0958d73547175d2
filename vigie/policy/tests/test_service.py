"""The procedure in the pipeline: recommendations, repeat offences, rules that act by themselves."""

import pytest

from vigie.audit.models import AuditEvent
from vigie.inbox import actions
from vigie.inbox.models import Author, Message
from vigie.moderation.models import Evidence, PlatformAction
from vigie.policy.models import PolicySettings, Recommendation, Rule, RuleVersion
from vigie.triage.models import Classification

pytestmark = pytest.mark.django_db
SPAM = "GAGNEZ 3000€ PAR SEMAINE 💰 sans effort, contactez-moi sur WhatsApp +44 7700 900123 !!!"


def test_the_default_playbook_is_proposed_not_done(deliver):
    message = deliver(1, SPAM)
    assert [(r.action, r.source, r.status) for r in message.recommendations.all()] == [
        ("delete", "procédure", Recommendation.Status.PROPOSED)
    ]
    assert not PlatformAction.objects.exists()


def test_a_second_inappropriate_message_is_a_repeat_offence(deliver):
    """Spam on repeat: block the user (the procedure tells nobody about spam)."""
    deliver(1, SPAM)
    second = deliver(2, SPAM.replace("3000", "5000"))
    assert {(r.action, r.note) for r in second.recommendations.all()} == {("delete", ""), ("block", "récidive")}
    assert Author.objects.get(external_id="a1").offence_count == 2


def test_a_second_polemic_is_refocused_again_not_blocked(deliver):
    """The procedure has no « en cas de récidive » for polemics: someone who argues twice (here, defending the
    centre) is answered again, neither blocked nor reported to the team; the offences are still counted."""
    first = deliver(1, "Source ? Vous racontez n'importe quoi, arrêtez de balancer des trucs sans preuve.")
    second = deliver(2, "Source ? Encore une fois, vous racontez n'importe quoi sans la moindre preuve.")
    assert first.classification.label == second.classification.label == "conflict"
    assert {r.action for r in second.recommendations.all()} == {"refocus_reply"}
    assert Author.objects.get(external_id="a1").offence_count == 2


def test_outside_the_window_it_is_not_a_repeat(deliver):
    PolicySettings.objects.create(pk=1, repeat_window_days=1)
    deliver(1, SPAM)
    Message.objects.filter(external_id="c_1").update(created_at="2026-01-01T00:00:00+01:00")
    second = deliver(2, SPAM.replace("3000", "5000"))
    assert "block" not in {r.action for r in second.recommendations.all()}


def test_an_automatic_rule_deletes_with_evidence_and_says_which_rule(deliver):
    rule = Rule.objects.create(name="Spam évident", enabled=True)
    RuleVersion.objects.create(rule=rule, number=1, definition={
        "conditions": [{"type": "label_in", "labels": ["spam"]}, {"type": "has_phone", "value": True}],
        "actions": [{"type": "delete"}], "automatic": True})  # fmt: skip
    message = deliver(1, SPAM)
    done = message.recommendations.get(source="Spam évident v1")
    assert done.status == Recommendation.Status.DONE
    action = PlatformAction.objects.get()
    assert action.verb == "delete" and action.requested_by_rule == "Spam évident v1" and action.requested_by is None
    assert Evidence.objects.get().requested_by_rule == "Spam évident v1"
    assert AuditEvent.objects.get(verb="message.delete_queued").actor_label == "Spam évident v1"


def test_a_disabled_rule_does_nothing(deliver):
    rule = Rule.objects.create(name="Tout supprimer", enabled=False)
    definition = {"conditions": [{"type": "has_link", "value": False}], "actions": [{"type": "delete"}]}
    RuleVersion.objects.create(rule=rule, number=1, definition={**definition, "automatic": True})
    deliver(1, "Merci pour cette belle formation !")
    assert not PlatformAction.objects.exists()


def test_a_message_processed_twice_gets_its_recommendations_once(deliver):
    message = deliver(1, SPAM)
    from vigie.policy import service
    from vigie.triage.models import Classification

    service.apply(message, Classification.objects.get(message=message))
    assert message.recommendations.count() == 1


def test_a_rule_on_the_authors_offences_sees_them_even_on_a_civil_message(deliver):
    rule = Rule.objects.create(name="Récidiviste qui revient", enabled=True)
    definition = {"conditions": [{"type": "author_offences_at_least", "count": 1}], "actions": [{"type": "escalate"}]}
    RuleVersion.objects.create(rule=rule, number=1, definition=definition)
    deliver(1, SPAM)
    civil = deliver(2, "Merci pour cette belle formation !")
    assert civil.recommendations.filter(source="Récidiviste qui revient v1").exists()
    assert not deliver(3, "Merci beaucoup !", author="a2").recommendations.filter(source__startswith="Réc").exists()


def test_a_corrected_label_brings_the_procedures_proposals_for_it(deliver, cm):
    """Spam corrected to criticism: « supprimer » is no longer proposed, the diplomatic reply and the complaints
    register are; the author's offence is taken back."""
    message = deliver(1, SPAM)
    assert Author.objects.get(external_id="a1").offence_count == 1
    actions.correct_label(message, "criticism", by=cm)
    proposed = {(r.action, r.source, r.status) for r in message.recommendations.all()}
    assert proposed == {("diplomatic_reply", "procédure", "proposed"), ("log_complaint", "procédure", "proposed")}
    assert Classification.objects.get(message=message).proposed_actions == ["diplomatic_reply", "log_complaint"]
    assert Author.objects.get(external_id="a1").offence_count == 0


def test_what_was_done_stays_and_a_repeat_abuse_found_by_a_person_is_told(deliver, cm, personas):
    first = deliver(1, SPAM)
    second = deliver(2, "Merci pour les infos sur le parking, à jeudi")
    assert "block" not in {r.action for r in second.recommendations.all()}
    actions.correct_label(second, "abuse", by=cm)  # a second inappropriate message: the repeat branch applies
    done = second.recommendations.get(action="notify_internal")
    assert done.status == "done" and done.note == "2 personnes prévenues"  # a person's label is sure
    assert second.recommendations.get(action="block").note == "récidive"
    actions.correct_label(second, "criticism", by=cm)  # back: the team was told, that stays; blocking goes
    assert {r.action for r in second.recommendations.all()} == {"notify_internal", "diplomatic_reply", "log_complaint"}
    assert first.recommendations.get().action == "delete"


def test_praise_taken_for_an_attack_is_no_longer_staff_targeted_once_corrected(deliver, cm):
    from vigie.inbox.models import Item

    message = deliver(1, "Claire Fontaine est une incapable, une honte pour ce centre")
    assert message.classification.targets_staff and Item.objects.get(message=message).targets_staff
    actions.correct_label(message, "positive_neutral", by=cm)
    assert not Classification.objects.get(message=message).targets_staff
    assert not Item.objects.get(message=message).targets_staff
    assert {r.action for r in message.recommendations.all()} >= {"reply_kindly"}
    actions.correct_label(message, "abuse", by=cm)  # back to abuse: the label only (whom it targets is said apart)
    assert not Classification.objects.get(message=message).targets_staff
