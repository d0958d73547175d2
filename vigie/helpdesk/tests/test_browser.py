"""A complex request followed to the end, on a phone, with Freshdesk connected to the local fake."""

import re

import pytest
from playwright.sync_api import expect

from vigie.helpdesk.models import HelpdeskTicket, Task
from vigie.helpdesk.tests.conftest import WEBHOOK_SECRET
from vigie.inbox.models import Message
from vigie.inbox.tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}


def log_in(page, username):
    page.goto("/taches/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Tâches", exact=True)).to_be_visible()


def test_a_community_manager_follows_a_complex_request_to_the_end_on_a_phone(
    open_page, desk_users, freshdesk, fake_freshdesk, complex_item, live_server
):
    page = open_page("phone")
    page.set_viewport_size(PHONE_390)
    log_in(page, "community-manager")
    expect(page.get_by_text("Aucune tâche à faire.")).to_be_visible()

    page.goto(f"/boite/element/{complex_item.pk}/")
    form = page.locator("#complex-form")
    expect(form).to_be_visible()  # a « Demande complexe » opens its follow-up form
    holding = page.get_by_label("Réponse d'attente à Chloé Rousseau")
    expect(holding).to_have_value(re.compile(r"^Bonjour Chloé, .*revenons vers vous d'ici le [a-z]+ [0-9]+ [^ ]+\.$"))
    expect(page.get_by_label("Créer aussi un ticket Freshdesk")).to_be_checked()
    form.get_by_role("button", name="Envoyer la réponse d'attente et créer la tâche").click()

    expect(page.locator(".flash")).to_contain_text("Tâche de suivi créée et un ticket Freshdesk est demandé")
    ticket = HelpdeskTicket.objects.get()
    [number] = fake_freshdesk.created
    assert ticket.freshdesk_id == number
    card = page.locator(".followup .task-card")
    expect(card).to_contain_text("Faire le point en interne : Chloé Rousseau")
    expect(card.get_by_role("link", name=f"n° {number}")).to_have_attribute("href", re.compile(f"/a/tickets/{number}$"))
    expect(card).to_contain_text("Ouvert")
    timeline = page.locator(".followup .timeline")
    expect(timeline).to_contain_text("Réponse d'attente envoyée")
    expect(timeline).to_contain_text(f"Ticket Freshdesk n° {number} créé")
    expect(page.locator(".message.ours")).to_contain_text("revenons vers vous d'ici le")
    page.screenshot(path="/tmp/vigie-helpdesk-phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"

    reply = Message.objects.get(kind="reply")
    assert reply.parent == complex_item.message and reply.sent_by == desk_users["community_manager"]

    # the ticket is resolved in Freshdesk; its automation rule calls Vigie's webhook
    fake_freshdesk.webhook_url = f"{live_server.url}/webhooks/freshdesk"
    fake_freshdesk.webhook_headers = {"X-Vigie-Secret": WEBHOOK_SECRET}
    fake_freshdesk.resolve(number)
    page.goto("/taches/?vue=mes")
    expect(page.get_by_text("Aucune tâche à faire.")).to_be_visible()
    done = page.locator(".task-card")
    expect(done).to_contain_text(f"Issue : Ticket Freshdesk n° {number} résolu dans Freshdesk")
    expect(done).to_contain_text("Terminée")
    assert Task.objects.get().status == Task.Status.DONE
