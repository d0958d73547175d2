import html

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.connectors.base import NormalizedPost
from vigie.inbox import actions
from vigie.inbox.models import Item, Message, Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, cm):
    client.force_login(cm)
    return client


def test_the_inbox_lists_threads_with_their_latest_message(logged_in, ingest):
    ingest(1, text="Quand commence la prochaine session ?")
    page = logged_in.get(reverse("inbox:list")).content.decode()
    assert "Quand commence la prochaine session ?" in page and "Boîte de réception" in page


def test_the_list_says_how_many_items_it_holds(logged_in, ingest, monkeypatch):
    from vigie.inbox import queries

    for n in (1, 2, 3):
        ingest(n)
    Item.objects.filter(pk=Item.objects.order_by("pk").first().pk).update(status="done")
    page = logged_in.get(reverse("inbox:list")).content.decode()
    assert '<p class="count small" id="item-count">2 éléments</p>' in page
    filtered = logged_in.get(reverse("inbox:list"), {"status": "all", "platform": "facebook"}).content.decode()
    assert "3 éléments (filtrés)" in filtered
    monkeypatch.setattr(queries, "COUNTED_AT_MOST", 2)  # a long history is not counted to its end
    page = logged_in.get(reverse("inbox:list"), {"status": "all"}).content.decode()
    assert "plus de 2 éléments" in page
    Item.objects.update(status="done")
    page = logged_in.get(reverse("inbox:list")).content.decode()
    assert 'id="item-count"' not in page and "Rien à traiter ici. Bravo !" in page


def test_the_least_sure_labels_come_first_when_asked_and_a_checked_one_leaves(logged_in, deliver, cm):
    """« Étiquette la moins sûre » (active learning): what the model is least sure of, and no person checked yet,
    first; a page's cursor and « Marquer comme traité » follow that order."""
    from vigie.inbox import queries
    from vigie.triage.models import Classification

    made = [deliver(n, f"Bonjour, une question numéro {n} sur la formation") for n in range(1, 5)]
    for message, confidence in zip(made, (0.9, 0.3, 0.55, 0.45), strict=True):
        Classification.objects.filter(message=message).update(confidence=confidence)
    actions.correct_label(made[3], "question", by=cm)  # checked: it no longer needs a look
    unsure, fairly, sure = (m.item_id for m in (made[1], made[2], made[0]))
    listed = logged_in.get(reverse("inbox:list"), {"order": "unsure"}).context["page"].items
    assert [i.pk for i in listed] == [unsure, fairly, sure]
    first = queries.item_page(queries.Filters(order=queries.ORDER_UNSURE), cm, None, size=2)
    second = queries.item_page(queries.Filters(order=queries.ORDER_UNSURE), cm, first.next_cursor, size=2)
    assert [i.pk for i in first.items + second.items] == [unsure, fairly, sure] and second.next_cursor is None

    def treat(item_id):
        return logged_in.post(
            reverse("inbox:status", args=[item_id]), {"status": "done", "then": "next", "return_query": "order=unsure"}
        )

    assert treat(fairly).url == reverse("inbox:item", args=[sure]) + "?order=unsure"
    assert treat(sure).url == reverse("inbox:item", args=[unsure]) + "?order=unsure"  # the list's end: back up


def test_invalid_filters_are_explained_and_nothing_breaks(logged_in, ingest):
    ingest(1)
    response = logged_in.get(reverse("inbox:list"), {"platform": "myspace", "date_from": "demain"})
    page = response.content.decode()
    assert response.status_code == 200 and "Filtres invalides" in page and "Saisissez une date valide" in page
    assert '<details class="filters-box" open>' in page  # the errors stay in sight, on a phone too


def test_active_filters_fold_so_that_a_phone_shows_the_results_first(logged_in, ingest):
    ingest(1)
    page = logged_in.get(reverse("inbox:list"), {"uncertain": "on"}).content.decode()
    assert '<details class="filters-box">' in page and "<summary>Filtres (actifs)</summary>" in page


@pytest.mark.parametrize("params", [{"assignee": "1" * 30}, {"assignee": "²"}])
def test_an_impossible_assignee_is_explained_not_a_server_error(logged_in, ingest, params):
    ingest(1)
    response = logged_in.get(reverse("inbox:list"), params)
    assert response.status_code == 200 and "Filtres invalides" in response.content.decode()


@pytest.mark.parametrize(("view", "shown"), [("inbox:list", "premier fil"), ("inbox:posts", "Journée portes ouvertes")])
def test_the_first_and_last_days_of_the_calendar_are_valid_bounds(logged_in, ingest, view, shown):
    ingest(1, text="premier fil")
    response = logged_in.get(reverse(view), {"date_from": "0001-01-01", "date_to": "9999-12-31", "status": "all"})
    assert response.status_code == 200 and shown in response.content.decode()


@pytest.mark.parametrize("after", ["W05hTiwgMV0", "WzFlOTk5LCAxXQ", "W1tbW1tbW1tbWzFdXV1dXV1dXV0sIDFd", "1.2.3.4", "²"])
def test_a_stale_or_forged_cursor_falls_back_to_the_first_page(logged_in, ingest, after):
    ingest(1, text="premier fil")
    response = logged_in.get(reverse("inbox:list"), {"after": after})
    assert response.status_code == 200 and "premier fil" in response.content.decode()


def test_a_stale_cursor_falls_back_to_the_first_page(logged_in, ingest):
    ingest(1, text="premier fil")
    response = logged_in.get(reverse("inbox:list"), {"after": "bidon"}, follow=True)
    page = response.content.decode()
    assert "premier fil" in page and "plus valable" in page


def test_the_item_page_shows_context_history_and_forms(logged_in, ingest):
    ingest(1, author_external_id="jeanne", text="Première question")
    message = ingest(
        2, author_external_id="jeanne", thread_external_id="autre", external_id="autre_2", text="Encore moi"
    )
    page = logged_in.get(reverse("inbox:item", args=[message.item_id])).content.decode()
    assert "Journée portes ouvertes" in page  # the post
    assert "Première question" in page  # the author's history elsewhere
    assert "Attribuer" in page and "Note interne" in page and "Répondre" in page


def test_the_item_page_names_the_clues_the_triage_read(logged_in, deliver):
    message = deliver(1, "c koi le prix svp ??? et c tout les week end ??")
    signals = message.classification.signals
    page = logged_in.get(reverse("inbox:item", args=[message.item_id])).content.decode()
    assert signals and f"indices : {', '.join(signals)}" in html.unescape(page)


def test_a_youtube_video_without_text_is_named_as_a_video_not_as_an_empty_post(logged_in, ingest):
    message = ingest(1, platform="youtube", channel_external_id="UCdemo", thread_external_id="vid42",
                     external_id="Ugx1", post=NormalizedPost(external_id="vid42"))  # fmt: skip
    page = logged_in.get(reverse("inbox:item", args=[message.item_id])).content.decode()
    assert "une vidéo YouTube (son titre" in page and "(sans texte)" not in page
    listed = html.unescape(logged_in.get(reverse("inbox:list")).content.decode())
    assert "commentaire sur une vidéo YouTube" in listed and "sur «  »" not in listed
    by_post = html.unescape(logged_in.get(reverse("inbox:posts")).content.decode())
    assert "Une vidéo YouTube" in by_post


def test_a_post_without_text_elsewhere_is_named_as_such(logged_in, ingest):
    ingest(1, post=NormalizedPost(external_id="p-sans-texte"))
    listed = html.unescape(logged_in.get(reverse("inbox:list")).content.decode())
    assert "commentaire sur une publication sans texte" in listed


def test_the_item_page_shows_its_comment_and_the_replies_under_it_not_the_whole_post(logged_in, ingest):
    question = ingest(1, text="Quel est le tarif ?")
    ingest(2, text="Un autre sujet sous la même publication")
    ingest(3, text="Je me pose la même question", parent_external_id=question.external_id)
    page = logged_in.get(reverse("inbox:item", args=[question.item_id])).content.decode()
    assert "Quel est le tarif ?" in page and "Je me pose la même question" in page
    assert "Un autre sujet" not in page.split('class="messages"')[1]


def test_the_list_shows_each_items_own_label_and_filters_match_items(logged_in, ingest):
    abuse, thanks = ingest(1, text="Bande d'escrocs"), ingest(2, text="Merci beaucoup")
    Item.objects.filter(pk=abuse.item_id).update(label="abuse", priority=2)
    Item.objects.filter(pk=thanks.item_id).update(label="positive_neutral")
    page = logged_in.get(reverse("inbox:list"), {"label": "abuse"}).content.decode()
    assert "Bande d&#x27;escrocs" in page and "Merci beaucoup" not in page
    assert "Propos injurieux" in page and "Priorité urgente" in page


def test_the_post_view_counts_what_is_left_to_do(logged_in, ingest, cm):
    from vigie.inbox import actions

    first = ingest(1)
    ingest(2)
    actions.change_status(first.item, "done", by=cm)
    page = logged_in.get(reverse("inbox:posts")).content.decode()
    assert "1 à traiter" in page


def test_bulk_marks_fifteen_thanks_done_in_one_post(logged_in, ingest, cm):
    thread_id = [ingest(n, text="Merci !").thread_id for n in range(1, 16)][0]
    url = reverse("inbox:thread", args=[thread_id])
    response = logged_in.post(reverse("inbox:bulk"), {
        "items": list(Item.objects.values_list("pk", flat=True)), "status": "done", "next": url})  # fmt: skip
    assert response.url == url
    assert not Item.objects.exclude(status="done").exists()
    assert "15 éléments mis à jour" in logged_in.get(url).content.decode()


def test_bulk_without_a_choice_or_selection_is_explained(logged_in, ingest):
    item_id = ingest(1).item_id
    page = logged_in.post(reverse("inbox:bulk"), {"items": [item_id]}, follow=True).content.decode()
    assert "Choisissez ce qu&#x27;il faut faire" in page
    page = logged_in.post(reverse("inbox:bulk"), {"status": "done"}, follow=True).content.decode()
    assert "Sélectionnez au moins un élément" in page
    page = logged_in.post(reverse("inbox:bulk"), {"items": ["x"], "status": "done"}, follow=True).content.decode()
    assert "Sélection invalide" in page


def test_bulk_next_cannot_send_the_user_elsewhere(logged_in, ingest):
    item_id = ingest(1).item_id
    response = logged_in.post(reverse("inbox:bulk"), {"items": [item_id], "status": "done",
                                                      "next": "//evil.example/x"})  # fmt: skip
    assert response.url == reverse("inbox:list")


def test_an_unknown_thread_or_item_is_404(logged_in):
    assert logged_in.get(reverse("inbox:thread", args=[424242])).status_code == 404
    assert logged_in.get(reverse("inbox:item", args=[424242])).status_code == 404


def test_a_refused_transition_is_explained_and_nothing_changes(logged_in, ingest):
    item_id = ingest(1).item_id
    Item.objects.filter(pk=item_id).update(status="closed")
    response = logged_in.post(reverse("inbox:status", args=[item_id]), {"status": "done"}, follow=True)
    assert "Passage impossible" in response.content.decode()
    assert Item.objects.get(pk=item_id).status == "closed"


def test_marking_an_item_treated_opens_the_next_one_of_the_list_it_came_from(logged_in, ingest):
    """A round is one decision after another: « Marquer comme traité » goes on to the item the list shows next
    (its filters kept), back to what was skipped at the list's end, and to the list once nothing is left."""
    old, middle, new = (ingest(n).item_id for n in (1, 2, 3))  # the list shows the newest first
    ingest(4, kind="private_message", thread_external_id="t_4", external_id="m_4", post=None)  # not a comment

    def treat(item_id, query="kind=comment"):
        return logged_in.post(
            reverse("inbox:status", args=[item_id]), {"status": "done", "then": "next", "return_query": query}
        )

    assert treat(new).url == reverse("inbox:item", args=[middle]) + "?kind=comment"
    assert treat(old).url == reverse("inbox:item", args=[middle]) + "?kind=comment"  # skipped, it comes back
    response = treat(middle)
    assert response.url == reverse("inbox:list") + "?kind=comment"
    assert "Plus rien à traiter dans cette liste." in logged_in.get(response.url).content.decode()
    assert Item.objects.filter(status="done").count() == 3


def test_another_status_or_a_refused_one_stays_on_the_item(logged_in, ingest):
    first, second = ingest(1).item_id, ingest(2).item_id
    response = logged_in.post(reverse("inbox:status", args=[second]), {"status": "in_progress", "then": "next"})
    assert response.url == reverse("inbox:item", args=[second])
    Item.objects.filter(pk=first).update(status="closed")
    response = logged_in.post(reverse("inbox:status", args=[first]), {"status": "done", "then": "next"})
    assert response.url == reverse("inbox:item", args=[first]) and Item.objects.get(pk=first).status == "closed"


def test_an_unknown_status_is_refused(logged_in, ingest):
    item_id = ingest(1).item_id
    response = logged_in.post(reverse("inbox:status", args=[item_id]), {"status": "archivé"}, follow=True)
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_a_note_and_a_reply_from_the_item_page(logged_in, ingest, cm):
    message = ingest(1)
    item_url = reverse("inbox:item", args=[message.item_id])
    logged_in.post(reverse("inbox:note", args=[message.item_id]), {"text": "Voir avec Claire"})
    response = logged_in.post(reverse("inbox:reply", args=[message.thread_id]),
                              {"text": "Bonjour !", "in_reply_to": message.pk, "item": message.item_id})  # fmt: skip
    reply = Message.objects.get(kind="reply")
    assert response.url == f"{item_url}?envoye={reply.pk}"  # the person stays where they were, at the reply
    assert Note.objects.get().text == "Voir avec Claire"
    assert reply.parent == message and reply.sent_by == cm
    page = logged_in.get(response.url).content.decode()
    assert "Voir avec Claire" in page and "En attente d&#x27;envoi" in page
    assert f'data-landing id="message-{reply.pk}"' in page


def test_a_reply_from_the_thread_page_lands_on_it_there(logged_in, ingest):
    """The page marks the reply just sent: the browser brings it into view and forgets its draft (vigie.js)."""
    message = ingest(1)
    thread_url = reverse("inbox:thread", args=[message.thread_id])
    response = logged_in.post(reverse("inbox:reply", args=[message.thread_id]), {"text": "Merci à tous !"})
    reply = Message.objects.get(kind="reply")
    assert response.url == f"{thread_url}?envoye={reply.pk}"
    assert f'data-landing id="message-{reply.pk}"' in logged_in.get(response.url).content.decode()
    assert "data-landing" not in logged_in.get(thread_url).content.decode()


def test_replying_to_a_message_of_another_thread_is_refused(logged_in, ingest):
    message = ingest(1)
    other = ingest(2, thread_external_id="autre", external_id="autre_2")
    response = logged_in.post(
        reverse("inbox:reply", args=[message.thread_id]), {"text": "x", "in_reply_to": other.pk}, follow=True
    )
    assert "n&#x27;appartient pas à ce fil" in response.content.decode()
    assert not Message.objects.filter(kind="reply").exists()


def test_after_an_action_the_user_returns_to_the_same_filtered_view(logged_in, ingest):
    item_id = ingest(1).item_id
    response = logged_in.post(
        reverse("inbox:note", args=[item_id]),
        {"text": "ok", "return_query": "platform=facebook&status=open"},
    )
    assert response.url == reverse("inbox:item", args=[item_id]) + "?platform=facebook&status=open"


def test_the_return_query_cannot_send_the_user_elsewhere(logged_in, ingest):
    item_id = ingest(1).item_id
    response = logged_in.post(reverse("inbox:note", args=[item_id]), {"text": "ok", "return_query": "x=//evil.example"})
    assert response.url.startswith(reverse("inbox:item", args=[item_id]))


@pytest.mark.parametrize(
    "scheme", ["javascript:alert(document.cookie)", "JavaScript:alert(1)", " javascript:x", "data:text/html,x"]
)
def test_it_does_not_render_a_permalink_that_is_not_a_web_address_as_a_link(logged_in, ingest, scheme):
    from vigie.connectors.base import NormalizedPost

    message = ingest(1, post=NormalizedPost(external_id="p_js", text="Publication piégée", permalink=scheme))
    for url in (reverse("inbox:thread", args=[message.thread_id]), reverse("inbox:item", args=[message.item_id])):
        page = logged_in.get(url).content.decode()
        assert "Publication piégée" in page and "voir sur la plateforme" not in page and scheme.strip() not in page


def test_it_renders_a_web_permalink_as_a_link(logged_in, ingest):
    from vigie.connectors.base import NormalizedPost

    url = "https://www.facebook.com/104857600123456/posts/712750021053074"
    message = ingest(1, post=NormalizedPost(external_id="p_web", text="Publication", permalink=url))
    for page_url in (reverse("inbox:thread", args=[message.thread_id]), reverse("inbox:item", args=[message.item_id])):
        assert f'<a href="{url}"' in logged_in.get(page_url).content.decode()


def test_new_items_are_announced_without_moving_the_list(logged_in, ingest):
    from vigie.inbox.queries import newest_item_id

    ingest(1, text="déjà là")
    shown = newest_item_id()
    assert f"depuis={shown}" in logged_in.get(reverse("inbox:list")).content.decode()
    assert "nouveau" not in logged_in.get(reverse("inbox:fresh"), {"depuis": shown}).content.decode()
    ingest(2, text="arrivé après")
    ingest(3, text="encore un", platform="linkedin", channel_external_id="urn:li:organization:1",
           thread_external_id="urn:li:share:9", external_id="li-3")  # fmt: skip
    page = logged_in.get(reverse("inbox:fresh"), {"depuis": shown}).content.decode()
    assert "2 nouveaux messages" in page
    filtered = logged_in.get(reverse("inbox:fresh"), {"depuis": shown, "platform": "linkedin"}).content.decode()
    assert "1 nouveau message" in filtered and "platform=linkedin" in filtered
    assert "nouveau" not in logged_in.get(reverse("inbox:fresh"), {"depuis": "x" * 30}).content.decode()


def test_the_live_marker_needs_a_desk_role(client, personas):
    client.force_login(personas["outsider"])
    assert client.get(reverse("inbox:fresh"), {"depuis": 0}).status_code == 403


def test_the_open_item_refreshes_only_when_something_changed(logged_in, ingest, cm):
    """Polled every 10 s: 204 while nothing changed; the messages again when a reply was sent or a
    platform outcome came back."""
    message = ingest(1)
    live = reverse("inbox:item_live", args=[message.item_id])
    first = logged_in.get(live)
    version = first.content.decode().split("version=")[1].split('"')[0].split("&")[0]
    assert logged_in.get(live, {"version": version}).status_code == 204
    reply = actions.compose_reply(message.thread, "Bonjour !", by=cm, in_reply_to=message)
    changed = logged_in.get(live, {"version": version})
    assert changed.status_code == 200 and f'id="message-{reply.pk}"' in changed.content.decode()
    assert 'id="item-status" hx-swap-oob="true">Traité' in changed.content.decode()
    version = changed.content.decode().split("version=")[1].split('"')[0].split("&")[0]
    Message.objects.filter(pk=reply.pk).update(delivery=Message.Delivery.SENT)  # the platform published it
    published = logged_in.get(live, {"version": version}).content.decode()
    assert "Envoyé" in published


@pytest.mark.parametrize("role", ["community_manager", "communication", "direction", "admin", "outsider"])
def test_the_live_item_is_for_desk_roles(client, ingest, personas, role):
    message = ingest(1)
    client.force_login(personas[role])
    response = client.get(reverse("inbox:item_live", args=[message.item_id]))
    assert response.status_code == (403 if role == "outsider" else 200)


def test_the_interface_stays_french_in_an_english_browser(logged_in, ingest):
    ingest(1)
    response = logged_in.get(reverse("inbox:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "fr"
    from django.utils import formats, translation

    with translation.override(response["Content-Language"]):
        assert formats.date_format(ingest(2).created_at, "D") in {"lun", "mar", "mer", "jeu", "ven", "sam", "dim"}
