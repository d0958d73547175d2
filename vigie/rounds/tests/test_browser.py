"""A community manager does the morning round on a phone and answers an overdue private message."""

import re
from datetime import time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from vigie.conftest import normalized
from vigie.inbox import actions, items
from vigie.inbox.models import Item, Message
from vigie.inbox.status import Status
from vigie.inbox.tests.conftest import PASSWORD
from vigie.inbox.tests.test_browser import open_menu
from vigie.moderation.models import PlatformAction
from vigie.rounds.models import Round, RoundWindow
from vigie.sla.models import ClockSettings

pytestmark = pytest.mark.browser


@pytest.fixture
def morning_now(role_groups):  # noqa: F811
    """Today is a working day and the morning window is open; the app may reply as a human agent."""
    ClockSettings.objects.update_or_create(
        pk=1, defaults={"work_days": "0,1,2,3,4,5,6", "public_holidays": False, "human_agent": True}
    )
    RoundWindow.all_windows()
    RoundWindow.objects.filter(slot="morning").update(starts_at=time(0, 0), ends_at=time(23, 59, 59))
    RoundWindow.objects.exclude(slot="morning").update(active=False)


@pytest.fixture
def overdue_question(role_groups):  # noqa: F811
    """A question by Messenger that came 26 hours ago (2 hours overdue), and a comment an hour ago."""
    with transaction.atomic():
        message = actions.ingest(normalized(
            1, kind="private_message", post=None, thread_external_id="psid:4242", external_id="m_late",
            author_name="Nadia Benali", text="Bonjour, le stage de juin est-il finançable par le CPF ?",
            created_at=timezone.now() - timedelta(hours=26),
        ))  # fmt: skip
        Item.objects.filter(pk=message.item_id).update(label="question")
        items.set_deadlines({message.pk: "question"})
        actions.ingest(normalized(2, author_name="Marc Petit", text="Merci pour la conférence d'hier !",
                                  created_at=timezone.now() - timedelta(hours=1)))  # fmt: skip
    return Item.objects.get(pk=message.item_id)


def test_a_morning_round_on_a_phone_with_an_overdue_private_message(open_page, desk_users, morning_now,
                                                                    overdue_question):  # fmt: skip
    cm = desk_users["community_manager"]
    page = open_page("phone")
    page.goto("/tours/")
    page.get_by_label("Identifiant").fill("community-manager")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Tours de veille")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("button", name="Commencer le tour du matin").click()
    current = page.locator(".current-round")
    expect(current).to_contain_text("en cours")
    expect(current.locator(".arrivals")).to_contain_text("1 nouveau")
    expect(current.locator(".urgent")).to_contain_text("Nadia Benali")
    expect(current.locator(".urgent")).to_contain_text("En retard")
    page.screenshot(path="/tmp/vigie-round-phone.png", full_page=True)

    # signing off now is refused: the overdue message is untreated
    page.get_by_role("button", name="Signer le tour").click()
    expect(page.locator(".flash")).to_contain_text("urgent")
    assert Round.objects.get().status == Round.Status.STARTED

    page.get_by_role("link", name="Messages privés en retard").click()
    expect(page).to_have_url(re.compile(r"/boite/\?sla=overdue"))
    row = page.locator("#thread-list .row")
    expect(row).to_have_count(1)
    expect(row.locator(".badge.sla-overdue")).to_have_text(re.compile(r"En retard de 2 h 0\d"))
    row.get_by_role("link").click()
    expect(page.locator("#messenger-window")).to_contain_text("agent humain")
    page.screenshot(path="/tmp/vigie-overdue-phone.png", full_page=True)
    page.locator("#id_text_reply").fill("Bonjour Nadia, oui : le stage de juin est éligible au CPF.")
    page.locator("#reply-form").get_by_role("button", name="Répondre", exact=True).click()
    expect(page.locator(".flash")).to_have_text("Réponse enregistrée : elle partira vers la plateforme.")
    expect(page.locator("#item-status")).to_have_text("En attente")

    open_menu(page)
    page.get_by_role("link", name="Tours de veille").click()
    page.get_by_label("Ce qui reste ouvert, et pourquoi").fill("Le remerciement de Marc attend le modèle du soir.")
    page.get_by_role("button", name="Signer le tour").click()
    expect(page.locator(".flash")).to_contain_text("signé")
    expect(page.locator(".round-history")).to_contain_text("1 traité")

    signed = Round.objects.get()
    assert (signed.status, signed.signed_by, signed.handled, signed.left_open) == (Round.Status.DONE, cm, 1, 1)
    assert signed.left_open_reason == "Le remerciement de Marc attend le modèle du soir."
    reply = Message.objects.get(kind=Message.Kind.REPLY)
    action = PlatformAction.objects.get(reply_message=reply)
    assert action.result == {"options": {"tag": "HUMAN_AGENT"}}  # outside the 24 h window, within 7 days
    assert Item.objects.get(pk=overdue_question.pk).status == Status.WAITING
