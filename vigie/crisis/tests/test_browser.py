"""The direction, on a phone, sees the crisis banner, opens the room from it and records a strategy."""

import re

import pytest
from playwright.sync_api import Page, expect

from vigie.audit.models import AuditEvent
from vigie.crisis.demo import start_demo_crisis
from vigie.inbox.tests.test_browser import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def crisis(role_groups, personas):
    return start_demo_crisis()


def test_the_direction_opens_the_room_from_the_alert_banner_on_a_phone(open_page, crisis):
    page: Page = open_page("phone")
    log_in(page, "direction")
    banner = page.get_by_role("alert", name="Crise en cours")
    expect(banner).to_contain_text("Attaque contre un membre de l'équipe")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    banner.get_by_role("link", name="Ouvrir la cellule de crise").click()
    expect(page).to_have_url(re.compile(rf"/crises/{crisis.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Cellule de crise n° {crisis.pk} — Attaque contre un membre de l'équipe"
    )
    expect(page.get_by_text("Attaque visant Nadia Benali").first).to_be_visible()
    expect(page.locator(".timeline li.trigger")).to_have_count(1)  # the first attack; the two others joined
    expect(page.locator(".timeline li")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_label("Ce que nous faisons").fill("Masquer les attaques, soutenir Nadia, communiqué à 18 h")
    page.get_by_label("Qui fait quoi").fill("Sophie : communiqué ; Camille : modération")
    page.get_by_role("button", name="Enregistrer la stratégie").click()
    expect(page.locator(".flash")).to_contain_text("Stratégie enregistrée")
    expect(page.get_by_text("Version 1", exact=False).first).to_be_visible()
    assert crisis.strategies.get().decision.startswith("Masquer les attaques")
    assert AuditEvent.objects.filter(verb="crisis.strategy", actor__username="direction").exists()
    page.screenshot(path="/tmp/vigie-crisis-phone.png", full_page=True)
