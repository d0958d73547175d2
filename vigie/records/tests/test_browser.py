"""The registers and the procedure page in a real browser (Debian Chromium), on a phone and a desktop."""

import re

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from vigie.conftest import normalized
from vigie.inbox import actions
from vigie.inbox.models import Item
from vigie.inbox.tests.test_browser import log_in, open_menu
from vigie.procedure.models import Revision
from vigie.records.models import Complaint

pytestmark = pytest.mark.browser


def _message(n: int, label: str, **overrides):
    with transaction.atomic():
        message = actions.ingest(normalized(n, **overrides))
    Item.objects.filter(pk=message.item_id).update(label=label)
    return message


def fits_the_screen(page: Page) -> None:
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_complaint_is_logged_from_the_item_and_shown_in_the_register(open_page, desk_users, viewport):
    message = _message(1, "criticism", author_name="Claire Dubois", text="Le parking était complet, dommage.")
    page = open_page(viewport)
    log_in(page, "community-manager")
    page.goto(f"/boite/element/{message.item_id}/")
    button = page.get_by_role("button", name="Inscrire au registre des réclamations")
    button.click()
    expect(page.locator(".flash")).to_contain_text("Inscrite au registre des réclamations")
    complaint = Complaint.objects.get(message=message)
    expect(page.get_by_role("link", name=f"réclamation n° {complaint.pk}")).to_be_visible()
    page.goto("/suivi/reclamations/")
    expect(page.get_by_role("heading", name="Registre des réclamations")).to_be_visible()
    row = page.locator("#complaints tbody tr").first
    expect(row).to_contain_text("Claire Dubois")
    expect(row).to_contain_text("Le parking était complet")
    expect(row).to_contain_text("En cours")
    fits_the_screen(page)
    page.screenshot(path=f"/tmp/vigie-registre-reclamations-{viewport}.png", full_page=True)
    row.get_by_role("link").click()
    page.get_by_label("Suite donnée").select_option("resolved")
    page.get_by_label("Amélioration qu'elle a permise").fill("Dix places réservées")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".flash")).to_contain_text("mise à jour")
    complaint.refresh_from_db()
    assert (complaint.outcome, complaint.improvement) == ("resolved", "Dix places réservées")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_moderation_register_shows_the_action_its_reason_and_evidence(open_page, desk_users, viewport):
    message = _message(2, "spam", author_name="Promo Express", text="Achetez des followers !")
    actions_done = actions.moderate(message, "hide", by=desk_users["community_manager"])
    page = open_page(viewport)
    log_in(page, "direction")
    open_menu(page)
    page.get_by_role("link", name="Suivi", exact=True).click()
    page.get_by_role("link", name="Modération", exact=True).click()
    expect(page.get_by_role("heading", name="Registre de modération")).to_be_visible()
    row = page.locator("#moderation tbody tr").first
    expect(row).to_contain_text("Masquer")
    expect(row).to_contain_text("Promo Express")
    expect(row).to_contain_text("Spam ou publicité")
    expect(row.get_by_role("link", name=re.compile(r"n° \d+"))).to_be_visible()
    expect(page.get_by_role("link", name="Exporter en CSV")).to_be_visible()
    fits_the_screen(page)
    if viewport == "desktop":  # reached from the login page without reloading: not kept at the login's width
        assert page.locator("section.card").bounding_box()["width"] > 800
    page.screenshot(path=f"/tmp/vigie-registre-moderation-{viewport}.png", full_page=True)
    assert actions_done.target_message_id == message.pk


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_an_admin_publishes_a_new_version_of_the_procedure(open_page, desk_users, viewport):
    page = open_page(viewport)
    log_in(page, "admin")
    open_menu(page)
    page.get_by_role("link", name="Procédure", exact=True).click()
    expect(page.locator("#procedure-version")).to_contain_text("PCM3A-r1")
    expect(page.locator("#procedure-version")).to_contain_text("créée le 13/05/2025")
    expect(page.get_by_role("heading", name="Étape 3. Gestion des messages privés")).to_be_visible()
    fits_the_screen(page)
    page.screenshot(path=f"/tmp/vigie-procedure-{viewport}.png", full_page=True)
    page.get_by_role("link", name="Modifier la procédure").click()
    text = page.get_by_label("Texte de la procédure (Markdown)")
    text.fill(
        text.input_value().replace(
            "## Points de vigilance généraux\n\nà compléter",
            "## Points de vigilance généraux\n\n- Relire avant d'envoyer.",
        )
    )
    page.get_by_label("Ce qui change").fill("Points de vigilance")
    page.get_by_role("button", name="Publier la nouvelle version").click()
    why = page.get_by_label("Pourquoi")
    assert why.evaluate("field => field.validity.valueMissing")  # the browser asks for the reason first
    assert not Revision.objects.filter(number=2).exists()
    why.fill("Audit Qualiopi")
    page.get_by_role("button", name="Publier la nouvelle version").click()
    expect(page.locator(".flash")).to_contain_text("Version PCM3A-r2 de la procédure publiée")
    expect(page.locator("#procedure-version")).to_contain_text("PCM3A-r2")
    page.get_by_role("link", name="PCM3A-r2").click()
    expect(page.locator(".diff-added").first).to_contain_text("Relire avant d'envoyer.")
    assert Revision.objects.get(number=2).why == "Audit Qualiopi"
