"""An admin builds a rule with the form, in a real browser (Debian Chromium), on a phone and a desktop."""

import json

import pytest
from playwright.sync_api import expect

from vigie.inbox.tests.test_browser import log_in
from vigie.policy.models import Rule

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_an_admin_builds_a_rule_from_lists_without_writing_json(open_page, desk_users, viewport):
    page = open_page(viewport)
    log_in(page, "admin")
    page.goto("/regles/nouvelle/")
    page.get_by_label("Nom").fill("Arnaques la nuit")
    condition = page.get_by_role("group", name="Condition 1")
    condition.get_by_label("Type").select_option(label="Le texte contient l'un des mots")
    words = page.get_by_role("group", name="Condition 1").get_by_label("Mots (séparés par des virgules)")
    expect(words).to_be_visible()  # the chosen type brought up its own field
    words.fill("arnaque, escroquerie")
    page.get_by_role("button", name="Retirer condition 2").click()  # the example's second condition
    expect(page.get_by_role("group", name="Condition 2")).to_have_count(0)
    page.get_by_role("button", name="+ Ajouter une condition").click()
    second = page.get_by_role("group", name="Condition 2")
    second.get_by_label("Type").select_option(label="Reçu entre (heure de Paris)")
    second = page.get_by_role("group", name="Condition 2")
    second.get_by_label("De", exact=True).fill("22:00")
    second.get_by_label("À", exact=True).fill("07:00")
    second.get_by_label("Sam.").check()
    second.get_by_label("Dim.").check()
    action = page.get_by_role("group", name="Action 1")
    action.get_by_label("Type").select_option(label="Priorité")
    page.get_by_role("group", name="Action 1").get_by_label("Priorité").select_option(label="Urgente")
    page.screenshot(path=f"/tmp/vigie-regle-formulaire-{viewport}.png", full_page=True)
    page.get_by_role("button", name="Enregistrer (nouvelle version)").click()
    expect(page.locator(".flash")).to_contain_text("Règle enregistrée (version 1)")
    assert Rule.objects.get().current.definition == {
        "match": "all",
        "conditions": [
            {"type": "text_contains_any", "words": ["arnaque", "escroquerie"]},
            {"type": "time_between", "from": "22:00", "to": "07:00", "days": [5, 6]},
        ],
        "actions": [{"type": "set_priority", "priority": "urgent"}],
        "automatic": False,
    }
    page.get_by_text("Vue avancée (JSON)").click()
    shown = page.get_by_label("Définition (JSON)").input_value()
    assert json.loads(shown) == Rule.objects.get().current.definition
    assert shown.index('"conditions"') < shown.index('"actions"') and shown.index('"type"') < shown.index('"from"')
