"""The desk in a real browser: headless Debian Chromium driven by Playwright against live_server.

Every step is checked twice: on the page (what the person sees) and in the database (what was
recorded, audit included). htmx boosts links and forms, so the tests wait on what the page shows
(`expect`), never on sleeps.
"""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import Page, expect

from vigie.audit.models import AuditEvent
from vigie.inbox.models import Item, Message, Note
from vigie.inbox.status import Status
from vigie.inbox.tests.conftest import PASSWORD
from vigie.ingestion.models import Channel
from vigie.moderation.models import PlatformAction

pytestmark = pytest.mark.browser

SCREENSHOTS = {"phone": "/tmp/vigie-phone.png", "desktop": "/tmp/vigie-desktop.png"}


def log_in(page: Page, username: str) -> None:
    page.goto("/boite/")
    expect(page).to_have_url(re.compile(r"/compte/connexion/\?next=/boite/"))
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Boîte de réception")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/boite/$"))
    expect(page.locator(".topbar .who")).to_have_text(username)


def open_menu(page: Page) -> None:
    """On a phone the main menu is behind « Menu »; on a computer it is always open."""
    menu = page.locator(".site-menu")
    if menu.get_attribute("open") is None:
        menu.locator("> summary").click()


def rows(page: Page):
    return page.locator("#thread-list .row")


def flash(page: Page):
    return page.locator(".flash")


def audited(target, verb: str):
    return AuditEvent.objects.filter(verb=verb, target_type=target._meta.model_name, target_id=str(target.pk))


def assign_select(page: Page):
    return page.get_by_label("Attribuer à")


def status_select(page: Page):
    return page.get_by_label("Changer le statut")


def open_filters(page: Page, viewport: str) -> None:
    """On a phone, a tap on "Filtres"; on a computer, the "f" shortcut (the filters are open there)."""
    if viewport == "phone":
        page.locator(".filters-box summary").click()
    else:
        page.keyboard.press("f")
        expect(page.get_by_label("Rechercher")).to_be_focused()
    expect(page.get_by_role("button", name="Filtrer")).to_be_visible()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_triage_an_item_from_login_to_status(open_page, desk_users, inbox_items, viewport):
    page = open_page(viewport)
    cm, communication = desk_users["community_manager"], desk_users["communication"]
    item = inbox_items["linkedin"]

    log_in(page, "community-manager")
    expect(rows(page)).to_have_count(7)
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # filter: LinkedIn only
    open_filters(page, viewport)
    page.get_by_label("Plateforme").select_option("linkedin")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"platform=linkedin"))
    expect(rows(page)).to_have_count(1)
    expect(rows(page)).to_contain_text("Bravo pour la certification Qualiopi")
    expect(rows(page)).to_contain_text("LinkedIn")

    # open the item
    page.get_by_role("link", name=re.compile("Qualiopi")).click()
    expect(page).to_have_url(re.compile(rf"/boite/element/{item.pk}/\?.*platform=linkedin"))
    expect(page.locator("#item-title")).to_have_text("Commentaire de Hélène Marchand")
    expect(page.locator("#item-assignee")).to_have_text("Non attribué")
    expect(page.locator("#item-status")).to_have_text("À traiter")
    expect(page.locator(".messages")).to_contain_text("Hélène Marchand")
    check_layout(page, viewport)

    # assign
    assign_select(page).select_option(label="communication")
    page.get_by_role("button", name="Attribuer", exact=True).click()
    expect(flash(page)).to_have_text("Attribution enregistrée.")
    expect(page.locator("#item-assignee")).to_have_text("Attribué à communication")
    item.refresh_from_db()
    assert item.assignee == communication
    event = audited(item, "item.assigned").get()
    assert (event.actor, event.before, event.after) == (cm, {"assignee": None}, {"assignee": "communication"})

    # internal note
    page.get_by_label("Note interne", exact=True).fill("Remercier Hélène et partager la publication.")
    page.get_by_role("button", name="Ajouter la note").click()
    expect(flash(page)).to_have_text("Note interne ajoutée.")
    expect(page.locator(".notes .note")).to_have_count(1)
    expect(page.locator(".notes .note")).to_contain_text("Remercier Hélène et partager la publication.")
    expect(page.locator(".notes .note")).to_contain_text("community-manager")
    note = Note.objects.get(item=item)
    assert (note.author, note.text) == (cm, "Remercier Hélène et partager la publication.")
    assert audited(item, "item.note_added").get().after == {"note_id": note.pk}

    # status
    status_select(page).select_option(label="En cours")
    page.get_by_role("button", name="Appliquer", exact=True).click()
    expect(flash(page)).to_have_text("Statut : En cours.")
    expect(page.locator("#item-status")).to_have_text("En cours")
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    event = audited(item, "item.status_changed").get()
    assert (event.actor, event.before, event.after) == (cm, {"status": "new"}, {"status": "in_progress"})

    # the filters survived every step, and the earlier results are still on the page
    expect(page).to_have_url(re.compile(rf"/boite/element/{item.pk}/\?.*platform=linkedin"))
    expect(page.locator("#item-assignee")).to_have_text("Attribué à communication")
    check_layout(page, viewport)
    page.screenshot(path=SCREENSHOTS[viewport], full_page=True)

    # the list shows the new state too (on a phone, back to the list, filters kept)
    if viewport == "phone":
        page.get_by_role("link", name="← Boîte de réception").click()
        expect(page).to_have_url(re.compile(r"/boite/\?.*platform=linkedin"))
        expect(page.locator(".pane-list")).to_be_visible()
    row = rows(page)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("En cours")
    expect(row).to_contain_text("communication")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_fifteen_thanks_under_a_post_are_done_in_one_gesture(open_page, desk_users, viewport):
    from vigie.conftest import normalized
    from vigie.inbox import actions

    with transaction.atomic():
        made = [actions.ingest(normalized(n, text=f"Merci pour ce beau programme ! ({n})")) for n in range(1, 16)]
    page = open_page(viewport)
    log_in(page, "community-manager")
    expect(rows(page)).to_have_count(15)
    page.get_by_role("link", name=re.compile(r"\(15\)")).click()
    page.get_by_role("link", name=re.compile("Tous les commentaires de la publication")).click()
    expect(page.locator("#thread-open")).to_have_text("15 à traiter")
    done = page.get_by_role("button", name="Marquer la sélection comme traitée")
    expect(done).to_be_hidden()  # nothing selected yet: the selection's actions wait
    page.get_by_role("button", name="Tout sélectionner sur cette publication").click()
    expect(page.locator("[data-bulk-count]")).to_have_text("15 messages sélectionnés")
    done.click()
    expect(flash(page)).to_have_text("15 éléments mis à jour.")
    expect(page.locator("#thread-open")).to_have_text("0 à traiter")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=f"/tmp/vigie-bulk-{viewport}.png", full_page=True)
    assert not Item.objects.exclude(status=Status.DONE).exists()
    assert AuditEvent.objects.filter(verb="item.status_changed", actor=desk_users["community_manager"]).count() == 15
    assert made[0].thread.messages.count() == 15


def check_layout(page: Page, viewport: str) -> None:
    if viewport == "phone":
        # one column: the item replaces the list, and a link leads back to it
        expect(page.locator(".pane-item")).to_be_visible()
        expect(page.locator(".pane-list")).to_be_hidden()
        expect(page.locator(".pane-filters")).to_be_hidden()
        expect(page.get_by_role("link", name="← Boîte de réception")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    else:
        panes = [page.locator(selector) for selector in (".pane-filters", ".pane-list", ".pane-item")]
        for pane in panes:
            expect(pane).to_be_visible()
        boxes = [pane.bounding_box() for pane in panes]
        assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
        # side by side: each pane ends before the next one starts, all on the same row
        assert boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"]
        assert boxes[1]["x"] + boxes[1]["width"] <= boxes[2]["x"]
        assert abs(boxes[0]["y"] - boxes[2]["y"]) < 1
        expect(page.get_by_role("link", name="← Boîte de réception")).to_be_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def test_search_lists_only_the_matching_item(open_page, desk_users, inbox_items):
    page = open_page("phone")
    log_in(page, "community-manager")
    open_filters(page, "phone")
    page.get_by_label("Rechercher").fill("parking")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"q=parking"))
    expect(rows(page)).to_have_count(1)
    expect(rows(page)).to_contain_text("Le parking était complet samedi matin")
    expect(rows(page)).to_contain_text("Claire Dubois")
    # on a phone the results come first: the filters fold, saying they are active, and keep their values
    expect(page.locator(".filters-box summary")).to_have_text("Filtres (actifs)")
    expect(rows(page).first).to_be_in_viewport()
    expect(page.get_by_label("Rechercher")).to_be_hidden()
    open_filters(page, "phone")
    expect(page.get_by_label("Rechercher")).to_have_value("parking")

    page.get_by_label("Rechercher").fill("introuvable")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("Rien à traiter ici. Bravo !")).to_be_visible()
    expect(rows(page)).to_have_count(0)


def test_a_reply_draft_survives_a_reload_and_is_queued_for_the_platform(open_page, desk_users, inbox_items):
    page = open_page("desktop")
    cm = desk_users["community_manager"]
    item = inbox_items["annulation"]
    thread = item.thread
    log_in(page, "community-manager")
    page.goto(f"/boite/element/{item.pk}/")
    expect(page.locator("#item-title")).to_have_text("Message privé de Paul Girard")

    reply = page.locator("#id_text_reply")
    text = "Bonjour Paul, nous annulons votre inscription et vous remboursons sous huit jours."
    reply.press_sequentially(text[:40])
    reply.press_sequentially(text[40:])
    page.reload()
    expect(page.locator("#id_text_reply")).to_have_value(text)
    assert not Message.objects.filter(kind=Message.Kind.REPLY).exists()

    page.locator("#reply-form").get_by_role("button", name="Répondre", exact=True).click()
    expect(flash(page)).to_have_text("Réponse enregistrée : elle partira vers la plateforme.")
    ours = page.locator(".message.ours")
    expect(ours).to_have_count(1)
    expect(ours).to_contain_text(text)
    expect(ours).to_contain_text("En attente d'envoi")
    # the draft is gone once sent
    expect(page.locator("#id_text_reply")).to_have_value("")
    assert page.evaluate(f"localStorage.getItem('vigie-draft-reply-item-{item.pk}')") is None

    message = Message.objects.get(kind=Message.Kind.REPLY)
    assert (message.thread, message.sent_by, message.text) == (thread, cm, text)
    assert message.delivery == Message.Delivery.PENDING
    action = PlatformAction.objects.get()
    assert (action.verb, action.status) == (PlatformAction.Verb.REPLY, PlatformAction.Status.PENDING)
    assert (action.reply_message, action.requested_by, action.channel) == (message, cm, thread.channel)
    assert audited(thread, "thread.reply_queued").count() == 1
    item.refresh_from_db()
    assert item.status == Status.WAITING  # a conversation waits for the person's answer
    expect(page.locator("#item-status")).to_have_text("En attente")


def test_a_reply_refused_by_the_server_comes_back_with_its_text(open_page, desk_users, inbox_items):
    """Messenger's window closes while the reply is written: the refusal says so, and the text is kept, shown to be
    copied (no reply can leave through the platform any more)."""
    page = open_page("phone")
    item = inbox_items["annulation"]
    log_in(page, "community-manager")
    page.goto(f"/boite/element/{item.pk}/")
    text = "Bonjour Paul, nous annulons votre inscription et vous remboursons sous huit jours."
    page.locator("#id_text_reply").fill(text)
    with transaction.atomic():  # ten days later, as far as Messenger is concerned
        Item.objects.filter(pk=item.pk).update(received_at=item.received_at - timedelta(days=10))
    page.locator("#reply-form").get_by_role("button", name="Répondre", exact=True).click()
    expect(flash(page)).to_contain_text("24")
    expect(page.locator("#reply-refused")).to_contain_text("Réponse impossible")
    kept = page.get_by_label("Votre réponse n'est pas partie ; la voici, à copier :")
    expect(kept).to_have_value(text)  # to send another way
    assert not Message.objects.filter(kind=Message.Kind.REPLY).exists()
    page.reload()
    expect(kept).to_have_value(text)
    page.get_by_role("button", name="Effacer ce brouillon").click()
    expect(kept).to_be_hidden()
    assert page.evaluate(f"localStorage.getItem('vigie-draft-reply-item-{item.pk}')") is None


def test_keyboard_opens_the_help_and_moves_between_items(open_page, desk_users, inbox_items):
    page = open_page("desktop")
    log_in(page, "community-manager")
    first, second = inbox_items["supervision"], inbox_items["annulation"]  # private: high priority
    expect(rows(page).first).to_contain_text("Merci pour l'accueil chaleureux")

    page.keyboard.press("?")
    help_dialog = page.locator("#help")
    expect(help_dialog).to_be_visible()
    expect(help_dialog.get_by_role("heading")).to_have_text("Raccourcis clavier")
    expect(help_dialog).to_contain_text("Message suivant")
    expect(help_dialog).to_contain_text("Marquer comme traité, puis ouvrir le suivant")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()

    page.keyboard.press("j")
    expect(page).to_have_url(re.compile(rf"/boite/element/{first.pk}/$"))
    expect(page.locator(".pane-item")).to_contain_text("Merci pour l'accueil chaleureux lors de la supervision.")
    expect(page.locator(".row.current")).to_contain_text("Inès Moreau")

    page.keyboard.press("j")
    expect(page).to_have_url(re.compile(rf"/boite/element/{second.pk}/$"))
    expect(page.locator(".row.current")).to_contain_text("Paul Girard")
    page.keyboard.press("k")
    expect(page).to_have_url(re.compile(rf"/boite/element/{first.pk}/$"))
    expect(page.locator(".row.current")).to_contain_text("Inès Moreau")
    page.keyboard.press("?")
    expect(help_dialog).to_be_visible()
    page.get_by_role("button", name="Fermer").click()
    expect(help_dialog).to_be_hidden()

    # "d": done; the item leaves the "à traiter" list and the next one opens
    page.keyboard.press("d")
    expect(flash(page)).to_have_text("Statut : Traité.")
    expect(page).to_have_url(re.compile(rf"/boite/element/{second.pk}/$"))
    expect(page.locator("#item-status")).to_have_text("À traiter")
    expect(rows(page)).to_have_count(6)
    expect(page.locator(".row.current")).to_contain_text("Paul Girard")
    first.refresh_from_db()
    assert first.status == Status.DONE
    assert audited(first, "item.status_changed").get().after == {"status": "done"}


def test_on_a_wide_screen_the_open_messages_row_stays_in_sight_in_the_list(open_page, desk_users, deliver):
    """The list scrolls in its own pane and is drawn anew with each message opened: the open one's row is brought
    back in sight (it was left below the pane's fold, the list back at its top), and « j » keeps it there."""
    for n in range(24):
        deliver(n, f"Bonjour, la session n° {n} de la formation en hypnose a-t-elle encore des places ?",
                author=f"a{n}")  # fmt: skip
    page = open_page("desktop")
    log_in(page, "community-manager")
    last = rows(page).last.get_by_role("link").first
    expect(last).not_to_be_in_viewport()  # 24 rows: the pane's fold hides the last ones
    last.click()
    current = page.locator(".row.current")
    expect(current).to_be_in_viewport()
    page.keyboard.press("k")
    expect(current).to_be_in_viewport()
    assert page.evaluate("document.querySelector('.pane-list').scrollTop") > 0


def test_direction_reads_and_notes_but_does_not_handle_items(open_page, desk_users, inbox_items):
    page = open_page("desktop")
    direction = desk_users["direction"]
    item = inbox_items["tarifs"]
    log_in(page, "direction")
    page.get_by_role("link", name=re.compile("Quel est le tarif")).click()
    expect(page).to_have_url(re.compile(rf"/boite/element/{item.pk}/$"))
    expect(page.locator("#item-title")).to_be_visible()

    for form in ("#assign-form", "#status-form", "#done-form", "#reply-form"):
        expect(page.locator(form)).to_have_count(0)
    expect(page.get_by_role("button", name="Attribuer", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Appliquer", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Répondre à ce message")).to_have_count(0)

    page.get_by_label("Note interne", exact=True).fill("Vérifier le tarif 2027 avant de répondre.")
    page.get_by_role("button", name="Ajouter la note").click()
    expect(flash(page)).to_have_text("Note interne ajoutée.")
    expect(page.locator(".notes .note")).to_contain_text("Vérifier le tarif 2027 avant de répondre.")
    note = Note.objects.get(item=item)
    assert note.author == direction
    assert audited(item, "item.note_added").get().actor == direction
    item.refresh_from_db()
    assert (item.assignee, item.status) == (None, Status.NEW)


def test_the_item_selects_are_named_by_their_own_labels(open_page, desk_users, inbox_items):
    page = open_page("desktop")
    log_in(page, "community-manager")
    page.goto(f"/boite/element/{inbox_items['tarifs'].pk}/")
    expect(page.locator("#item-title")).to_be_visible()
    duplicates = page.evaluate(
        """() => { const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
                   return ids.filter((id, i) => ids.indexOf(id) !== i); }"""
    )
    page.keyboard.press("a")
    assign, status = page.locator("#assign-form select"), page.locator("#status-form select")
    labels = "(select) => [...select.labels].map((label) => label.textContent).join(' | ')"
    assert {
        "duplicate ids": duplicates,
        "assign select labelled 'Attribuer à'": "Attribuer à" in assign.evaluate(labels),
        "status select labelled 'Changer le statut'": "Changer le statut" in status.evaluate(labels),
        "'a' focuses the assign select": assign.evaluate("(select) => select === document.activeElement"),
    } == {
        "duplicate ids": [],
        "assign select labelled 'Attribuer à'": True,
        "status select labelled 'Changer le statut'": True,
        "'a' focuses the assign select": True,
    }


def test_on_a_computer_the_filters_pane_shows_the_filters(open_page, desk_users, inbox_items):
    page = open_page("desktop")
    log_in(page, "community-manager")
    filtrer = page.get_by_role("button", name="Filtrer")
    if not filtrer.is_visible():
        page.get_by_text("Filtres", exact=True).click(timeout=1_000)
    expect(filtrer).to_be_visible(timeout=1_000)


def test_direction_opens_a_notification_on_a_phone_and_lands_on_the_thread(open_page, desk_users, inbox_items):
    from vigie.notifications.service import notify

    thread = inbox_items["tarifs"].thread
    notify(["direction"], "Marc Troll sur Facebook : propos injurieux, récidive", "Texte du message",
           link=f"/boite/fil/{thread.pk}/", reason="procédure", email=False)  # fmt: skip
    page = open_page("phone")
    log_in(page, "direction")
    open_menu(page)
    page.get_by_role("link", name=re.compile(r"Notifications\s*1")).click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    title = page.get_by_role("button", name=re.compile("Marc Troll sur Facebook"))
    assert title.evaluate("b => getComputedStyle(b).textAlign") == "left"  # a wrapped title reads from its bullet
    title.click()
    expect(page).to_have_url(re.compile(rf"/boite/fil/{thread.pk}/$"))
    page.goto("/notifications/")
    expect(page.locator(".notifications .badge")).to_have_count(0)  # read now


@pytest.fixture
def facebook_login(settings):
    """A local Facebook whose Login dialog approves at once; Vigie's settings point at it."""
    from vigie.connectors.fake.facebook import FakeFacebook

    fake = FakeFacebook(app_secret="secret-de-test")  # noqa: S106 (a fake)
    fake.start()
    settings.FACEBOOK_APP_ID, settings.FACEBOOK_APP_SECRET = fake.app_id, fake.app_secret
    settings.FACEBOOK_GRAPH_URL = f"{fake.url}/v21.0"
    settings.FACEBOOK_DIALOG_URL = f"{fake.url}/v21.0/dialog/oauth"
    yield fake
    fake.stop()


def test_an_admin_connects_the_page_with_facebook_from_a_phone(open_page, desk_users, facebook_login):
    from vigie.ingestion.models import Channel

    page = open_page("phone")
    page.goto("/collecte/canaux/")
    page.get_by_label("Identifiant").fill("admin")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Canaux")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Se connecter avec Facebook").click()  # to Facebook and back
    expect(page.get_by_role("heading", name="Choisir la Page Facebook")).to_be_visible()
    expect(page.get_by_label(re.compile("AHTMA Formation"))).to_be_checked()
    page.get_by_role("button", name="Connecter", exact=True).click()
    expect(flash(page)).to_contain_text("connecté par autorisation")
    channel = Channel.objects.get(platform="facebook")
    assert channel.external_id == facebook_login.page_id and channel.status == Channel.Status.CONNECTED


def test_the_pages_and_swagger_ui_work_under_the_content_security_policy(open_page, desk_users, inbox_items):
    page = open_page("desktop")
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    log_in(page, "admin")
    rows(page).first.locator("a").click()
    expect(page.locator("#item-title")).to_be_visible()
    page.keyboard.press("?")  # vigie.js runs
    expect(page.locator("#help")).to_be_visible()
    page.keyboard.press("Escape")
    page.get_by_text("Administration", exact=True).click()  # the API's documentation is an admin's page
    page.get_by_role("link", name="Documentation de l'API").click()
    expect(page.get_by_role("heading", name=re.compile("API Vigie"))).to_be_visible()
    expect(page.get_by_text("/api/v1/messages").first).to_be_visible()
    page.get_by_role("link", name="← Retour à Vigie").click()  # and a way back
    expect(page.get_by_role("heading", name="Boîte de réception")).to_be_visible()
    assert refused == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_delete_asks_first_then_can_be_taken_back(open_page, desk_users, inbox_items, viewport):
    """Supprimer says what happens on the platform, waits a few seconds, and « Annuler » takes it back."""
    page = open_page(viewport)
    item = inbox_items["parking"]
    Channel.objects.update(status=Channel.Status.CONNECTED)
    log_in(page, "community-manager")
    page.goto(f"/boite/element/{item.pk}/")
    moderation = page.locator(f"#message-{item.message_id}")
    moderation.get_by_text("Supprimer…").click()
    expect(moderation.get_by_text("Le message sera supprimé sur Facebook")).to_be_visible()
    moderation.get_by_role("button", name="Confirmer : supprimer").click()
    expect(flash(page)).to_contain_text("Envoi à la plateforme dans 10 s")
    expect(page.locator("#item-status")).to_have_text("Traité")
    action = PlatformAction.objects.get(verb="delete")
    assert action.requested_by == desk_users["community_manager"] and action.cancellable
    page.locator(f"#action-{action.pk}").get_by_role("button", name="Annuler").click()
    expect(flash(page)).to_contain_text("Supprimer annulé : rien n'a été envoyé")
    expect(page.locator(f"#action-{action.pk}")).to_contain_text("annulé par")
    expect(page.locator("#item-status")).to_have_text("À traiter")
    action.refresh_from_db()
    assert action.status == PlatformAction.Status.CANCELLED
    page.screenshot(path=f"/tmp/vigie-moderation-{viewport}.png", full_page=True)


def test_a_placeholder_left_in_a_reply_is_highlighted_and_blocks_sending(open_page, desk_users, inbox_items):
    from vigie.replies.models import ReplyTemplate

    ReplyTemplate.objects.create(title="Dates", label="question", body="Bonjour {prenom}, la formation {formation} …")
    item = inbox_items["tarifs"]
    page = open_page("phone")
    log_in(page, "community-manager")
    page.goto(f"/boite/element/{item.pk}/")
    page.get_by_label("Modèle de réponse").select_option(label="Question · Dates")
    preview = page.locator('[data-preview-of="id_text_reply"]')
    expect(preview.locator(".preview-text")).to_have_text("Bonjour Julien, la formation {formation} …")
    expect(preview.locator("mark")).to_have_text("{formation}")
    expect(preview.locator(".unfilled")).to_have_text("À compléter avant l'envoi : {formation}")
    send = page.locator("#reply-form").get_by_role("button", name="Répondre")
    expect(send).to_be_disabled()
    page.get_by_label("Répondre à Julien Roux").fill("Bonjour Julien, la formation Hypnose ericksonienne …")
    expect(preview.locator("mark")).to_have_count(0)
    expect(send).to_be_enabled()
    send.click()
    expect(flash(page)).to_contain_text("Réponse enregistrée")
    assert Message.objects.get(kind=Message.Kind.REPLY).text.startswith("Bonjour Julien, la formation Hypnose")


def test_an_open_item_shows_a_colleagues_reply_and_its_outcome_without_reloading(open_page, desk_users, inbox_items):
    from vigie.inbox import actions

    item = inbox_items["tarifs"]
    page = open_page("desktop")
    log_in(page, "community-manager")
    page.goto(f"/boite/element/{item.pk}/")
    page.get_by_label("Répondre à Julien Roux").fill("Brouillon en cours")  # a draft is not disturbed
    with transaction.atomic():
        reply = actions.compose_reply(item.thread, "Bonjour Julien, tout est sur le site.",
                                      by=desk_users["admin"], in_reply_to=item.message)  # fmt: skip
    shown = page.locator(f"#message-{reply.pk}")
    expect(shown).to_contain_text("tout est sur le site", timeout=25_000)
    expect(page.locator("#item-status")).to_have_text("Traité")
    Message.objects.filter(pk=reply.pk).update(delivery=Message.Delivery.FAILED)  # the platform refused it
    expect(shown.locator(".tag.delivery-failed")).to_have_text("Échec de l'envoi", timeout=25_000)
    expect(page.get_by_label("Répondre à Julien Roux")).to_have_value("Brouillon en cours")


def test_on_a_phone_the_menu_waits_behind_a_button_and_on_a_computer_it_is_shown(open_page, desk_users, inbox_items):
    phone = open_page("phone")
    log_in(phone, "community-manager")
    tasks = phone.get_by_role("link", name="Tâches", exact=True)
    expect(tasks).to_be_hidden()
    phone.get_by_text("Menu", exact=True).click()
    expect(tasks).to_be_visible()
    tasks.click()
    expect(phone.get_by_role("heading", name="Tâches", exact=True)).to_be_visible()
    expect(phone.get_by_role("link", name="Tâches", exact=True)).to_be_hidden()  # closed again on the new page
    desktop = open_page("desktop")
    log_in(desktop, "community-manager")
    expect(desktop.get_by_role("link", name="Tâches", exact=True)).to_be_visible()
    expect(desktop.get_by_text("Menu", exact=True)).to_be_hidden()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_an_insult_still_online_puts_its_take_down_under_the_thumb(open_page, desk_users, deliver, viewport):
    """« Supprimer… » in the thumb bar opens the deletion's confirmation; « d » does the same, never leaving an
    insult online by a keystroke; « Traité, laissé en ligne » is a tap that the audit keeps."""
    insult = deliver(1, "Bande de connards d'escrocs, allez vous faire foutre avec vos formations de merde")
    page = open_page(viewport)
    log_in(page, "community-manager")
    page.goto(f"/boite/element/{insult.item_id}/")
    bar = page.locator("#done-form")
    expect(bar.locator(".left-undone")).to_have_text("Toujours en ligne : la procédure propose « Supprimer ».")
    confirm = page.locator(f'#moderate-choices-{insult.pk} details[data-verb="delete"]')
    if viewport == "phone":
        bar.get_by_role("link", name="Supprimer…").tap()
    else:
        page.keyboard.press("d")
    expect(confirm).to_have_attribute("open", "")
    expect(confirm.get_by_role("button", name="Confirmer : supprimer")).to_be_in_viewport()
    assert Item.objects.get(pk=insult.item_id).status == Status.NEW
    bar.get_by_role("button", name="Traité, laissé en ligne").click()
    expect(page.locator(".flash")).to_contain_text("Statut : Traité.")
    assert Item.objects.get(pk=insult.item_id).status == Status.DONE
    assert "laissé en ligne" in audited(insult.item, "item.status_changed").latest("id").summary


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_private_message_without_its_answer_puts_the_reply_under_the_thumb(open_page, desk_users, deliver, viewport):
    """« Répondre… » in the thumb bar (or « d ») brings the reply box, ready to type, and marks nothing; « Traité sans
    réponse » is a tap that the audit keeps."""
    two_hours_ago = (timezone.now() - timedelta(hours=2)).isoformat()  # Messenger's window is open
    asked = deliver(3, "Bonjour, quel est le tarif de la formation en hypnose ?", author="psid1",
                    kind="private_message", thread_id="t_psid1", created_at=two_hours_ago)  # fmt: skip
    page = open_page(viewport)
    log_in(page, "community-manager")
    page.goto(f"/boite/element/{asked.item_id}/")
    bar = page.locator("#done-form")
    expect(bar.locator(".left-undone")).to_contain_text("Sans réponse : la procédure demande une réponse")
    if viewport == "phone":
        bar.get_by_role("link", name="Répondre…").tap()
    else:
        page.keyboard.press("d")
    composer = page.locator("#id_text_reply")
    expect(composer).to_be_focused()
    expect(composer).to_be_in_viewport()
    assert Item.objects.get(pk=asked.item_id).status == Status.NEW
    bar.get_by_role("button", name="Traité sans réponse").click()
    expect(page.locator(".flash")).to_contain_text("Statut : Traité.")
    assert Item.objects.get(pk=asked.item_id).status == Status.DONE
    assert "sans réponse (elle était attendue le" in audited(asked.item, "item.status_changed").latest("id").summary


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_an_insult_is_answered_only_by_someone_who_insists(open_page, desk_users, deliver, viewport):
    insult = deliver(1, "Bande de connards d'escrocs, allez vous faire foutre avec vos formations de merde")
    page = open_page(viewport)
    log_in(page, "community-manager")
    page.goto(f"/boite/element/{insult.item_id}/")
    expect(page.locator("#no-reply")).to_contain_text("La procédure dit de ne pas répondre à ce message")
    composer = page.locator("#id_text_reply")
    expect(composer).to_be_hidden()
    if viewport == "phone":
        page.get_by_text("Répondre quand même…").tap()
    else:
        page.keyboard.press("r")  # the shortcut opens it
        expect(composer).to_be_focused()
    expect(composer).to_be_visible()
