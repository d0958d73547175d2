import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.inbox.models import Message, Note, Thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, cm):
    client.force_login(cm)
    return client


def test_the_inbox_lists_threads_with_their_latest_message(logged_in, ingest):
    ingest(1, text="Quand commence la prochaine session ?")
    page = logged_in.get(reverse("inbox:list")).content.decode()
    assert "Quand commence la prochaine session ?" in page and "Boîte de réception" in page


def test_invalid_filters_are_explained_and_nothing_breaks(logged_in, ingest):
    ingest(1)
    response = logged_in.get(reverse("inbox:list"), {"platform": "myspace", "date_from": "demain"})
    page = response.content.decode()
    assert response.status_code == 200 and "Filtres invalides" in page and "Saisissez une date valide" in page


def test_a_stale_cursor_falls_back_to_the_first_page(logged_in, ingest):
    ingest(1, text="premier fil")
    response = logged_in.get(reverse("inbox:list"), {"after": "bidon"}, follow=True)
    page = response.content.decode()
    assert "premier fil" in page and "plus valable" in page


def test_the_thread_page_shows_context_history_and_forms(logged_in, ingest):
    ingest(1, author_external_id="jeanne", text="Première question")
    message = ingest(
        2, author_external_id="jeanne", thread_external_id="autre", external_id="autre_2", text="Encore moi"
    )
    page = logged_in.get(reverse("inbox:thread", args=[message.thread_id])).content.decode()
    assert "Journée portes ouvertes" in page  # the post
    assert "Première question" in page  # the author's history elsewhere
    assert "Attribuer" in page and "Note interne" in page and "Répondre" in page


def test_an_unknown_thread_is_404(logged_in):
    assert logged_in.get(reverse("inbox:thread", args=[424242])).status_code == 404


def test_a_refused_transition_is_explained_and_nothing_changes(logged_in, ingest):
    thread = ingest(1).thread
    Thread.objects.filter(pk=thread.pk).update(status="closed")
    response = logged_in.post(reverse("inbox:status", args=[thread.pk]), {"status": "done"}, follow=True)
    assert "Passage impossible" in response.content.decode()
    assert Thread.objects.get(pk=thread.pk).status == "closed"


def test_an_unknown_status_is_refused(logged_in, ingest):
    thread = ingest(1).thread
    response = logged_in.post(reverse("inbox:status", args=[thread.pk]), {"status": "archivé"}, follow=True)
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_a_note_and_a_reply_from_the_thread_page(logged_in, ingest, cm):
    message = ingest(1)
    thread_url = reverse("inbox:thread", args=[message.thread_id])
    logged_in.post(reverse("inbox:note", args=[message.thread_id]), {"text": "Voir avec Claire"})
    logged_in.post(reverse("inbox:reply", args=[message.thread_id]), {"text": "Bonjour !", "in_reply_to": message.pk})
    assert Note.objects.get().text == "Voir avec Claire"
    reply = Message.objects.get(kind="reply")
    assert reply.parent == message and reply.sent_by == cm
    page = logged_in.get(thread_url).content.decode()
    assert "Voir avec Claire" in page and "En attente d&#x27;envoi" in page


def test_replying_to_a_message_of_another_thread_is_refused(logged_in, ingest):
    message = ingest(1)
    other = ingest(2, thread_external_id="autre", external_id="autre_2")
    response = logged_in.post(
        reverse("inbox:reply", args=[message.thread_id]), {"text": "x", "in_reply_to": other.pk}, follow=True
    )
    assert "n&#x27;appartient pas à ce fil" in response.content.decode()
    assert not Message.objects.filter(kind="reply").exists()


def test_after_an_action_the_user_returns_to_the_same_filtered_view(logged_in, ingest):
    thread = ingest(1).thread
    response = logged_in.post(
        reverse("inbox:note", args=[thread.pk]),
        {"text": "ok", "return_query": "platform=facebook&status=open"},
    )
    assert response.url == reverse("inbox:thread", args=[thread.pk]) + "?platform=facebook&status=open"


def test_the_return_query_cannot_send_the_user_elsewhere(logged_in, ingest):
    thread = ingest(1).thread
    response = logged_in.post(
        reverse("inbox:note", args=[thread.pk]), {"text": "ok", "return_query": "x=//evil.example"}
    )
    assert response.url.startswith(reverse("inbox:thread", args=[thread.pk]))


@pytest.mark.parametrize(
    "scheme", ["javascript:alert(document.cookie)", "JavaScript:alert(1)", " javascript:x", "data:text/html,x"]
)
def test_it_does_not_render_a_permalink_that_is_not_a_web_address_as_a_link(logged_in, ingest, scheme):
    from vigie.connectors.base import NormalizedPost

    message = ingest(1, post=NormalizedPost(external_id="p_js", text="Publication piégée", permalink=scheme))
    page = logged_in.get(reverse("inbox:thread", args=[message.thread_id])).content.decode()
    assert "Publication piégée" in page and "voir sur la plateforme" not in page and scheme.strip() not in page


def test_it_renders_a_web_permalink_as_a_link(logged_in, ingest):
    from vigie.connectors.base import NormalizedPost

    url = "https://www.facebook.com/104857600123456/posts/712750021053074"
    message = ingest(1, post=NormalizedPost(external_id="p_web", text="Publication", permalink=url))
    page = logged_in.get(reverse("inbox:thread", args=[message.thread_id])).content.decode()
    assert f'<a href="{url}"' in page
