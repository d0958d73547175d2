"""The rule form: a definition shown as rows and read back, the same validation as the JSON."""

import pytest
from django.http import QueryDict

from vigie.policy import builder, engine
from vigie.policy.actions import ACTION_TYPES
from vigie.policy.conditions import CONDITIONS

EVERY_CONDITION = [
    {"type": "label_in", "labels": ["spam", "abuse"]},
    {"type": "confidence_at_least", "value": 0.85},
    {"type": "platform_in", "platforms": ["facebook"]},
    {"type": "kind_in", "kinds": ["private_message"]},
    {"type": "text_contains_any", "words": ["arnaque", "escroc"]},
    {"type": "text_matches", "pattern": r"\bpromo\b"},
    {"type": "has_link", "value": True},
    {"type": "has_phone", "value": False},
    {"type": "has_email", "value": True},
    {"type": "targets_staff", "value": True},
    {"type": "author_offences_at_least", "count": 2},
    {"type": "post_in", "post_ids": ["123_456"]},
    {"type": "time_between", "from": "22:00", "to": "07:00", "days": [5, 6]},
]
EVERY_ACTION = [
    {"type": "hide"}, {"type": "unhide"}, {"type": "delete"}, {"type": "block"},
    {"type": "private_reply", "template": "Réponse privée"}, {"type": "reply_template", "template": "Merci"},
    {"type": "assign", "username": "camille"}, {"type": "escalate"}, {"type": "set_priority", "priority": "urgent"},
    {"type": "notify", "roles": ["direction", "communication"], "email": True}, {"type": "capture_evidence"},
    {"type": "open_ticket"}, {"type": "report_platform"}, {"type": "manual_task", "reason": "Voir avec la direction"},
]  # fmt: skip
EVERYTHING = {"match": "any", "conditions": EVERY_CONDITION, "actions": EVERY_ACTION, "automatic": True}


def posted(draft: builder.Draft, **extra) -> QueryDict:
    """The form as a browser would post it after showing `draft`."""
    data = QueryDict(mutable=True)
    data["match"] = draft.match
    if draft.automatic:
        data["automatic"] = "on"
    for section, rows in builder.rows(draft, {}).items():
        data[f"{section[0]}-count"] = str(len(rows))
        for row in rows:
            data[f"{row.prefix}-type"] = row.type
            for field in row.fields:
                if field.widget == "checkboxes":
                    data.setlist(field.input_name, field.value)
                else:
                    data[field.input_name] = field.value
    for key, value in extra.items():
        data[key] = value
    return data


def test_every_condition_and_action_type_is_covered_here():
    assert {c["type"] for c in EVERY_CONDITION} == set(CONDITIONS)
    assert {a["type"] for a in EVERY_ACTION} == set(ACTION_TYPES)
    assert engine.validate(EVERYTHING) == []


def test_a_definition_shown_in_the_form_and_posted_back_is_the_same_rule():
    draft = builder.from_definition(EVERYTHING)
    definition, errors = builder.to_definition(builder.from_post(posted(draft)))
    assert errors == [] and definition == EVERYTHING


def test_the_fields_of_each_type_are_named_in_french_with_their_choices():
    rows = builder.rows(builder.from_definition(EVERYTHING), {"username": [("camille", "Camille Martin")]})
    label_row = rows["conditions"][0]
    assert label_row.type_label == "L'étiquette est"
    assert label_row.fields[0].widget == "checkboxes" and ("abuse", "Propos injurieux") in label_row.fields[0].choices
    time_row = rows["conditions"][-1]
    assert [f.widget for f in time_row.fields] == ["time", "time", "checkboxes"]
    assert time_row.fields[2].choices[5] == ("5", "Sam.") and time_row.fields[2].value == ["5", "6"]
    assign = next(r for r in rows["actions"] if r.type == "assign")
    assert assign.fields[0].choices == [("camille", "Camille Martin")]
    notify = next(r for r in rows["actions"] if r.type == "notify")
    assert notify.fields[1].choices == [("", "—"), ("true", "Oui"), ("false", "Non")]


def test_a_person_who_left_stays_visible_in_the_rule_that_names_them():
    rows = builder.rows(builder.from_definition({"actions": [{"type": "assign", "username": "paul"}]}), {})
    assert rows["actions"][0].fields[0].choices == [("paul", "paul (introuvable)")]


def test_rows_are_added_and_removed_and_a_new_type_shows_its_own_fields():
    draft = builder.from_definition({"conditions": [{"type": "label_in", "labels": ["spam"]}],
                                     "actions": [{"type": "delete"}]})  # fmt: skip
    added = builder.from_post(posted(draft, add_c="1"))
    assert len(added.conditions) == 2 and added.conditions[1]["type"] == "label_in"
    removed = builder.from_post(posted(added, remove="c0"))
    assert len(removed.conditions) == 1
    data = posted(draft)
    data["c0-type"] = "author_offences_at_least"
    changed = builder.rows(builder.from_post(data), {})["conditions"][0]
    assert [f.name for f in changed.fields] == ["count"] and changed.fields[0].step == "1"


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("c0-value", "beaucoup", "Condition 1 « Confiance au moins » : Valeur — un nombre est attendu"),
        ("c0-value", "", "Condition 1 « Confiance au moins » : Valeur à remplir"),
    ],
)
def test_what_cannot_be_read_is_said_in_french_naming_the_row(field, value, error):
    draft = builder.from_definition({"conditions": [{"type": "confidence_at_least", "value": 0.9}],
                                     "actions": [{"type": "hide"}]})  # fmt: skip
    _, errors = builder.to_definition(builder.from_post(posted(draft, **{field: value})))
    assert errors == [error]


def test_an_empty_choice_is_reported_and_a_range_goes_to_the_engine():
    draft = builder.from_definition({"conditions": [{"type": "label_in", "labels": ["spam"]}],
                                     "actions": [{"type": "hide"}]})  # fmt: skip
    data = posted(draft)
    data.setlist("c0-labels", [])
    _, errors = builder.to_definition(builder.from_post(data))
    assert errors == ["Condition 1 « L'étiquette est » : Étiquettes à remplir"]
    definition, errors = builder.to_definition(
        builder.from_definition(
            {"conditions": [{"type": "confidence_at_least", "value": 1.5}], "actions": [{"type": "hide"}]}
        )
    )
    assert errors == [] and any("trop grande" in e for e in engine.validate(definition))


def test_a_decimal_comma_is_read_as_a_french_person_types_it():
    draft = builder.from_definition({"conditions": [{"type": "confidence_at_least", "value": 0.9}],
                                     "actions": [{"type": "hide"}]})  # fmt: skip
    definition, _ = builder.to_definition(builder.from_post(posted(draft, **{"c0-value": "0,75"})))
    assert definition["conditions"][0]["value"] == 0.75


def test_junk_counts_and_types_do_not_break_the_form():
    data = QueryDict("c-count=abc&a-count=9999&a0-type=lune&match=all")
    draft = builder.from_post(data)
    assert draft.conditions == [] and len(draft.actions) == builder.MAX_ROWS
    assert draft.actions[0]["type"] == next(iter(ACTION_TYPES))
