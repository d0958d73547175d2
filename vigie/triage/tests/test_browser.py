"""The uncertain labels and their one-tap correction, in Debian's Chromium (phone and desktop)."""

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from vigie.audit.models import AuditEvent
from vigie.inbox.models import Item
from vigie.inbox.tests.conftest import _ingest
from vigie.inbox.tests.test_browser import flash, log_in, open_filters, rows
from vigie.triage.models import STAFF_CLUE, Classification

pytestmark = pytest.mark.browser


def classified(n: int, text: str, label: str, confidence: float) -> Item:
    message = _ingest(n, thread_external_id=f"t{n}", external_id=f"c{n}", author_name=f"Auteur {n}", text=text)
    Classification.objects.create(
        message=message, label=label, confidence=confidence, priority="normal", model_version="test",
        text_sha256="-",
    )  # fmt: skip
    Item.objects.filter(message=message).update(label=label)
    return Item.objects.get(message=message)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_moderator_finds_the_uncertain_label_and_corrects_it_in_one_tap(open_page, desk_users, viewport):
    classified(1, "Quel est le tarif du cycle d'hypnose ?", "question", 0.97)
    unsure = classified(2, "Bon ben on verra bien ce que ça donne", "conflict", 0.41)
    page = open_page(viewport)
    log_in(page, "community-manager")
    expect(rows(page)).to_have_count(2)
    expect(rows(page).filter(has_text="on verra bien")).to_contain_text("tri incertain")
    expect(rows(page).filter(has_text="tarif")).not_to_contain_text("tri incertain")

    open_filters(page, viewport)
    page.get_by_label("À vérifier seulement (tri incertain, attaque possible)").check()
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"uncertain=on"))
    expect(rows(page)).to_have_count(1)

    page.get_by_role("link", name=re.compile("on verra bien")).click()
    expect(page.locator(".triage")).to_contain_text("tri incertain : à vérifier")
    page.get_by_role("button", name="Critique constructive", exact=True).click()
    expect(flash(page)).to_have_text("Étiquette corrigée : la correction servira au prochain entraînement.")
    expect(page.locator(".triage")).not_to_contain_text("tri incertain")
    expect(page.get_by_role("button", name="Critique constructive", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=f"/tmp/vigie-correction-{viewport}.png", full_page=True)
    classification = Classification.objects.get(message=unsure.message)
    assert (
        classification.corrected_label == "criticism" and classification.corrected_by == desk_users["community_manager"]
    )
    assert AuditEvent.objects.get(verb="message.label_corrected").after == {"label": "criticism"}


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_moderator_points_out_a_missed_attack_on_staff_in_two_taps(open_page, desk_users, viewport):
    item = classified(3, "Bravo Nadia Benali, encore une belle démonstration d'amateurisme", "positive_neutral", 0.9)
    Classification.objects.filter(message=item.message).update(signals=[f"{STAFF_CLUE}Nadia Benali"])
    page = open_page(viewport)
    log_in(page, "community-manager")
    page.get_by_role("link", name=re.compile("démonstration d'amateurisme")).click()
    question = page.locator("form.correct", has_text="Ce message attaque-t-il Nadia Benali ?")
    expect(question.get_by_role("button", name="Non")).to_have_attribute("aria-pressed", "true")

    question.get_by_role("button", name="Oui, personnel visé").click()  # praise attacks nobody: relabel first
    expect(flash(page)).to_contain_text("corrigez d'abord son étiquette")
    page.get_by_role("button", name="Propos injurieux", exact=True).click()
    expect(flash(page)).to_have_text("Étiquette corrigée : la correction servira au prochain entraînement.")
    page.locator("form.correct", has_text="Ce message attaque-t-il").get_by_role(
        "button", name="Oui, personnel visé"
    ).click()
    expect(flash(page)).to_contain_text("Noté : ce message vise un membre de l'équipe.")
    expect(page.locator(".triage")).to_contain_text("Personnel visé")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=f"/tmp/vigie-staff-target-{viewport}.png", full_page=True)
    classification = Classification.objects.get(message=item.message)
    assert classification.targets_staff and classification.effective_label == "abuse"
    assert Item.objects.get(pk=item.pk).targets_staff


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_direction_reads_that_an_alert_a_moderator_cleared_is_lifted(open_page, desk_users, viewport):
    from vigie.policy import service
    from vigie.triage import playbook_defaults

    item = classified(4, "Un grand bravo à Nadia Benali pour sa conférence", "abuse", 0.95)  # praise misread
    classification = Classification.objects.get(message=item.message)
    classification.targets_staff, classification.signals = True, [f"{STAFF_CLUE}Nadia Benali"]
    classification.proposed_actions = playbook_defaults.plan("abuse", targets_staff=True).actions
    classification.save()
    with transaction.atomic():
        service.apply(item.message, classification, new=True)  # the procedure tells the direction, urgently
    moderator = open_page(viewport)
    log_in(moderator, "community-manager")
    moderator.get_by_role("link", name=re.compile("grand bravo")).click()
    moderator.locator("form.correct", has_text="Ce message attaque-t-il Nadia Benali ?").get_by_role(
        "button", name="Non", exact=True
    ).click()
    expect(flash(moderator)).to_contain_text("Noté : ce message ne vise pas le personnel.")

    direction = open_page(viewport)
    log_in(direction, "direction")
    direction.goto("/notifications/")
    lifted = direction.locator(".notifications li", has_text="Alerte levée")
    expect(lifted).to_contain_text("propos injurieux, ne vise pas l'équipe")
    expect(lifted).to_contain_text("community-manager, après vérification")
    expect(lifted.locator(".badge.prio")).to_have_count(0)  # no longer urgent
    assert direction.evaluate("document.documentElement.scrollWidth") <= direction.viewport_size["width"]
    direction.screenshot(path=f"/tmp/vigie-alert-lifted-{viewport}.png", full_page=True)
