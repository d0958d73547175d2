"""The desk's first templates fit the channel they answer: a comment is answered in public, a private message
in private (procedure, step 3: « répondre sous 24 heures en apportant un maximum de précisions »)."""

import pytest

from vigie.inbox.reply_suggestions import for_message
from vigie.replies import defaults
from vigie.replies.models import ReplyTemplate

pytestmark = pytest.mark.django_db

IN_PUBLIC_ONLY = ("message privé", "à toutes et à tous", "clôturons cet échange")


def offered(message) -> dict[str, str]:
    return {offer.template.title: offer.text for offer in for_message(message, "facebook")}


def test_a_private_message_is_never_asked_to_write_in_private(ingest):
    defaults.install()
    private = ingest(1, kind="private_message", thread_external_id="t_1", post=None, author_name="Karim Haddad")
    texts = offered(private)
    assert {"Financement (CPF, OPCO, France Travail)", "Dates et tarifs", "Réponse d'attente"} <= set(texts)
    assert not [title for title, text in texts.items() if any(words in text for words in IN_PUBLIC_ONLY)]
    assert texts["Financement (CPF, OPCO, France Travail)"].startswith("Bonjour Karim,")


def test_a_comment_is_offered_the_public_templates(ingest):
    defaults.install()
    texts = offered(ingest(1, author_name="Jeanne Dupont"))
    assert "message privé" in texts["Financement (CPF, OPCO, France Travail)"]
    assert {"Recentrer sur le sujet", "Clore en rappelant la charte"} <= set(texts)
    assert "https://www.ahtma-formation.fr" in texts["Merci et invitation"]  # {lien_site} is filled


def test_installing_twice_adds_nothing():
    assert defaults.install() == len(defaults.TEMPLATES)
    assert defaults.install() == 0 and ReplyTemplate.objects.count() == len(defaults.TEMPLATES)
