from datetime import datetime

import pytest

from vigie.connectors.base import Capability
from vigie.policy import engine
from vigie.policy.facts import Facts

MONDAY_10H = datetime.fromisoformat("2026-11-23T10:00:00+01:00")
SPAM = Facts(text="Gagnez 3000€ par semaine sur https://x.example", platform="facebook", kind="comment",
             created_at=MONDAY_10H, label="spam", confidence=0.97, has_link=True)  # fmt: skip

DELETE_SPAM = {"conditions": [{"type": "label_in", "labels": ["spam"]}, {"type": "confidence_at_least", "value": 0.9}],
               "actions": [{"type": "delete"}], "automatic": True}  # fmt: skip


def rule(definition, name="spam", version=1):
    return engine.RuleSpec(name, version, definition)


def test_a_valid_rule_has_no_errors():
    assert engine.validate(DELETE_SPAM) == []


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        ({"conditions": [], "actions": [{"type": "delete"}]}, "liste vide"),
        ({"conditions": [{"type": "label_in", "labels": ["troll"]}], "actions": [{"type": "delete"}]}, "non autorisée"),
        ({"conditions": [{"type": "mood"}], "actions": [{"type": "delete"}]}, "type inconnu « mood »"),
        ({"conditions": [{"type": "has_link", "value": True}], "actions": [{"type": "teleport"}]}, "type inconnu"),
        ({"conditions": [{"type": "text_matches", "pattern": "(["}], "actions": [{"type": "hide"}]}, "motif invalide"),
        ({"conditions": [{"type": "time_between", "from": "25:00", "to": "08:00"}], "actions": [{"type": "hide"}]},
         "format incorrect"),
        ({"conditions": [{"type": "has_link", "value": True}], "actions": [{"type": "assign"}]}, "obligatoire"),
        ({"conditions": [{"type": "has_link", "value": True, "extra": 1}], "actions": [{"type": "hide"}]}, "inconnu"),
        ("pas un objet", "type incorrect"),
    ],
)  # fmt: skip
def test_a_bad_rule_is_explained_in_french(definition, expected):
    errors = engine.validate(definition)
    assert errors and any(expected in error for error in errors), errors


def test_a_matching_rule_plans_its_actions():
    [planned] = engine.evaluate([rule(DELETE_SPAM)], SPAM)
    assert (planned.type, planned.rule, planned.automatic) == ("delete", "spam v1", True)


def test_all_conditions_must_hold_unless_match_is_any():
    unsure = Facts(**{**SPAM.__dict__, "confidence": 0.5})
    assert engine.evaluate([rule(DELETE_SPAM)], unsure) == []
    assert engine.evaluate([rule({**DELETE_SPAM, "match": "any"})], unsure) != []


def test_the_same_action_from_two_rules_is_planned_once():
    assert len(engine.evaluate([rule(DELETE_SPAM, "a"), rule(DELETE_SPAM, "b")], SPAM)) == 1


@pytest.mark.parametrize(
    ("condition", "facts_change", "expected"),
    [
        ({"type": "text_contains_any", "words": ["gagnez"]}, {}, True),
        ({"type": "text_contains_any", "words": ["DÉÇU"]}, {"text": "tres decu du stage"}, True),
        ({"type": "text_contains_any", "words": ["nul"]}, {"text": "annulé"}, False),
        ({"type": "text_matches", "pattern": r"\d{4}\s?€"}, {}, True),
        ({"type": "has_phone", "value": True}, {}, False),
        ({"type": "author_offences_at_least", "count": 2}, {"author_offences": 2}, True),
        ({"type": "targets_staff", "value": True}, {"targets_staff": True}, True),
        ({"type": "kind_in", "kinds": ["private_message"]}, {}, False),
        ({"type": "platform_in", "platforms": ["facebook", "youtube"]}, {}, True),
        ({"type": "post_in", "post_ids": ["p1"]}, {"post_external_id": "p1"}, True),
        ({"type": "time_between", "from": "09:00", "to": "18:00", "days": [0, 1, 2, 3, 4]}, {}, True),
        ({"type": "time_between", "from": "22:00", "to": "07:00"}, {}, False),
        ({"type": "time_between", "from": "22:00", "to": "07:00"},
         {"created_at": datetime.fromisoformat("2026-11-23T23:30:00+01:00")}, True),
    ],
)  # fmt: skip
def test_each_condition(condition, facts_change, expected):
    facts = Facts(**{**SPAM.__dict__, **facts_change})
    definition = {"conditions": [condition], "actions": [{"type": "escalate"}]}
    assert engine.validate(definition) == []
    assert engine.matches(definition, facts) is expected


LINKEDIN = {
    "hide": Capability(False, "LinkedIn ne permet pas de masquer un commentaire.", "delete"),
    "block": Capability(False, "LinkedIn ne permet pas de bloquer depuis l'API.", "Bloquer depuis la page LinkedIn"),
    "delete": Capability(True),
}


def test_what_the_platform_forbids_becomes_the_nearest_action_with_its_reason():
    planned = engine.evaluate([rule({"conditions": DELETE_SPAM["conditions"],
                                     "actions": [{"type": "hide"}, {"type": "block"}, {"type": "notify",
                                                 "roles": ["direction"]}]})], SPAM)  # fmt: skip
    adapted = engine.adapt(planned, LINKEDIN)
    assert [a.type for a in adapted] == ["delete", "manual_task", "notify"]
    assert "masquer" in adapted[0].note and "bloquer" in adapted[1].params["reason"]
    assert adapted[1].params["reason"].endswith("Bloquer depuis la page LinkedIn")
    assert adapted[1].automatic is False


def test_evaluation_is_deterministic():
    rules = [rule(DELETE_SPAM, "a"), rule({**DELETE_SPAM, "actions": [{"type": "block"}]}, "b")]
    assert engine.evaluate(rules, SPAM) == engine.evaluate(rules, SPAM)


@pytest.mark.django_db
def test_a_rule_keeps_every_version_and_refuses_an_invalid_one():
    from django.core.exceptions import ValidationError

    from vigie.policy.models import Rule, RuleVersion

    spam = Rule.objects.create(name="Spam évident")
    RuleVersion.objects.create(rule=spam, number=1, definition=DELETE_SPAM)
    RuleVersion.objects.create(rule=spam, number=2, definition={**DELETE_SPAM, "automatic": False})
    assert spam.spec().label == "Spam évident v2"
    with pytest.raises(ValidationError, match="type inconnu"):
        RuleVersion.objects.create(rule=spam, number=3, definition={**DELETE_SPAM, "actions": [{"type": "x"}]})
    first = spam.versions.get(number=1)
    first.definition = {}
    with pytest.raises(ValidationError, match="ne se modifie pas"):
        first.save()
