"""On a phone: the direction sees the crisis banner, opens the room from it and records a strategy; closes
the crisis with its review (each change an improvement action); the communication officer publishes the
approved statement as a new post on the Facebook Page (the local fake)."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from vigie.audit.models import AuditEvent
from vigie.connectors import registry
from vigie.connectors.facebook import connector as facebook_connector
from vigie.connectors.facebook.tests.conftest import facebook_server  # noqa: F401 (one local Facebook)
from vigie.crisis import actions
from vigie.crisis.demo import start_demo_crisis
from vigie.inbox.tests.test_browser import log_in
from vigie.ingestion.models import Channel

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


def test_the_direction_escalates_the_crisis_from_its_decisions_on_a_phone(open_page, crisis):
    """Each decision reads as the button it is (it was bold text, a heading to the eye) and opens its form."""
    page: Page = open_page("phone")
    log_in(page, "direction")
    page.goto(f"/crises/{crisis.pk}/")
    decisions = page.locator(".decisions")
    escalate = decisions.get_by_text("Escalader…", exact=True)
    for name in ("Escalader…", "Classer comme fausse alerte…"):
        assert decisions.get_by_text(name, exact=True).evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    expect(decisions.get_by_label("Raison")).to_be_hidden()
    escalate.tap()
    decisions.get_by_label("Raison").fill("La presse locale reprend l'attaque")
    decisions.get_by_role("button", name="Escalader la crise").tap()
    expect(page.locator(".flash")).to_contain_text("Crise escaladée.")
    crisis.refresh_from_db()
    assert crisis.status == "escalated"


def test_the_direction_closes_the_crisis_with_its_review_on_a_phone(open_page, crisis, personas):
    page: Page = open_page("phone")
    log_in(page, "direction")
    page.goto(f"/crises/{crisis.pk}/")
    review = page.locator("#close-form")
    review.get_by_label("Ce qui s'est passé").fill("Trois attaques contre la directrice en trois minutes")
    review.get_by_label("Ce qui a marché").fill("L'alerte est arrivée tout de suite ; messages masqués")
    review.get_by_label("Ce qu'il faut changer dans la procédure").fill(
        "Prévenir la personne visée dans l'heure\nAjouter les surnoms de l'équipe à la liste de veille"
    )
    review.get_by_label("Responsable des actions").select_option(label="communication")
    review.get_by_label("Échéance des actions").fill("2027-01-15")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    review.get_by_role("button", name="Clore la crise").click()
    expect(page.locator(".flash")).to_contain_text("Crise close.")
    expect(page.get_by_role("alert", name="Crise en cours")).to_have_count(0)  # the banner is gone
    actions = page.locator("#crisis-actions li")
    expect(actions).to_have_count(2)
    expect(actions.first).to_contain_text("Prévenir la personne visée dans l'heure")
    expect(actions.first).to_contain_text("échéance 15/01/2027")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("link", name="Voir le plan d'amélioration").click()
    current = page.locator("#current")
    expect(current).to_contain_text("Ajouter les surnoms de l'équipe à la liste de veille")
    expect(current.get_by_role("link", name=f"crise n° {crisis.pk}").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path="/tmp/vigie-crisis-review-phone.png", full_page=True)


@pytest.fixture
def facebook_page(facebook_server, settings):  # noqa: F811
    """The centre's Page, connected to the local Facebook."""
    facebook_server.reset()
    settings.FACEBOOK_GRAPH_URL = f"{facebook_server.url}/v21.0"
    Channel.objects.update_or_create(
        platform="facebook", external_id=facebook_server.page_id,
        defaults={"name": "AHTMA Formation (page)", "status": Channel.Status.CONNECTED,
                  "credentials": json.dumps({"page_access_token": facebook_server.page_token})},
    )  # fmt: skip
    yield facebook_server
    facebook_server.wait_idle()


def test_the_communication_officer_publishes_the_statement_as_a_new_post(open_page, crisis, personas, facebook_page,
                                                                        monkeypatch):  # fmt: skip
    monkeypatch.setitem(registry.CONNECTORS, "facebook", facebook_connector.connector)
    text = "Le centre condamne fermement les propos visant notre directrice et a saisi les plateformes."
    actions.draft_statement(crisis, by=personas["communication"], text=text)
    actions.approve_statement(crisis, by=personas["direction"])
    actions.approve_statement(crisis, by=personas["communication"])

    page: Page = open_page("phone")
    log_in(page, "communication")
    page.goto(f"/crises/{crisis.pk}/")
    form = page.locator("#publish-form")
    form.get_by_label("En réponse sous les fils de la crise").uncheck()
    form.get_by_label("En nouvelle publication sur les pages cochées").check()
    form.get_by_label("Facebook — AHTMA Formation (page) (publication)").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    form.get_by_role("button", name="Publier le communiqué").click()
    expect(page.locator(".flash")).to_contain_text("Communiqué publié")
    publication = page.locator("#publications li")
    expect(publication).to_have_count(1)  # the crisis's own page (not connected) takes replies only
    expect(publication).to_contain_text("Nouvelle publication")
    expect(publication).to_contain_text("En ligne")
    expect(publication.get_by_role("link", name="Voir la publication")).to_have_attribute(
        "href", re.compile(rf"^https://www\.facebook\.com/{facebook_page.page_id}/posts/\d+$"))  # fmt: skip
    expect(publication).to_contain_text("empreinte SHA-256")
    assert [post.message for post in facebook_page.posts.values()] == [text]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path="/tmp/vigie-crisis-statement-post-phone.png", full_page=True)
