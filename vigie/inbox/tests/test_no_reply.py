"""Where the procedure says not to answer (an insult or a spam deleted without reply, an inappropriate private
message), the composer waits behind « Répondre quand même… »; where it proposes a reply, it is open."""

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

FOLDED = '<details class="reply-anyway">'


def page_of(client, cm, message) -> str:
    client.force_login(cm)
    return client.get(reverse("inbox:item", args=[message.item_id])).content.decode()


def test_an_insult_gets_no_reply_unless_a_person_insists(client, cm, deliver):
    insult = deliver(1, "Bande de connards d'escrocs, allez vous faire foutre avec vos formations de merde")
    page = page_of(client, cm, insult)
    assert "La procédure dit de ne pas répondre à ce message (propos injurieux)." in page
    assert FOLDED in page and "Répondre quand même…" in page
    assert page.index(FOLDED) < page.index('id="reply-form"')


def test_an_inappropriate_private_message_gets_no_reply(client, cm, deliver):
    spam = deliver(2, "Gagnez 5000 abonnés ce mois-ci !!! Contactez-nous en DM pour nos tarifs imbattables",
                   kind="private_message", thread_id="conversation-2",
                   created_at=timezone.now().isoformat())  # within Messenger's window: a reply could leave  # fmt: skip
    assert spam.recommendations.filter(action="no_reply").exists()
    assert FOLDED in page_of(client, cm, spam)


def test_a_question_is_answered_in_the_open(client, cm, deliver):
    question = deliver(3, "Bonjour, quand commence la prochaine session de formation en hypnose ?")
    page = page_of(client, cm, question)
    assert FOLDED not in page and "ne pas répondre" not in page and 'id="reply-form"' in page
