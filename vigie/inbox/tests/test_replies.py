import pytest
from django.urls import reverse
from django.utils import timezone

from vigie.audit.models import AuditEvent
from vigie.inbox import actions
from vigie.inbox.models import Message
from vigie.moderation.models import PlatformAction
from vigie.replies.models import Charter, ReplyTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(db):
    Charter.objects.create(version="2", url="https://ahtma.example/charte-v2", published_at=timezone.now())
    return ReplyTemplate.objects.create(
        title="Rappel de la charte", label="conflict", body="Bonjour {prenom}, merci de respecter {lien_charte}."
    )


def test_templates_are_offered_filled_for_the_author(client, ingest, cm, template):
    message = ingest(1, author_name="Jeanne Dupont")
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[message.item_id])).content.decode()
    assert "Bonjour Jeanne, merci de respecter https://ahtma.example/charte-v2." in page


def test_a_template_greets_the_author_of_the_message_answered_not_the_latest(client, ingest, cm, template):
    chloe = ingest(1, author_name="Chloé Rousseau", author_external_id="chloe")
    ingest(2, author_name="Inès Moreau", author_external_id="ines")
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[chloe.item_id])).content.decode()
    assert "Bonjour Chloé," in page and "Bonjour Inès" not in page


def test_using_a_template_counts_it(ingest, cm, template):
    message = ingest(1)
    actions.compose_reply(message.thread, "Bonjour", by=cm, template=template)
    template.refresh_from_db()
    assert template.usage_count == 1


def test_a_sensitive_reply_waits_for_approval_then_leaves(ingest, cm, personas):
    message = ingest(1)
    reply = actions.compose_reply(message.thread, "Nous regrettons…", by=cm, in_reply_to=message, sensitive=True)
    assert reply.delivery == Message.Delivery.AWAITING_APPROVAL and not PlatformAction.objects.exists()
    actions.approve_reply(reply, by=personas["communication"], text="Nous regrettons sincèrement…")
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.PENDING and reply.text == "Nous regrettons sincèrement…"
    action = PlatformAction.objects.get()
    assert action.reply_message == reply and action.requested_by == cm
    event = AuditEvent.objects.get(verb="thread.reply_approved")
    assert event.actor == personas["communication"] and event.before["text"] == "Nous regrettons…"


def test_a_sensitive_template_makes_the_reply_sensitive(ingest, cm, template):
    template.sensitive = True
    template.save()
    reply = actions.compose_reply(ingest(1).thread, "Bonjour", by=cm, template=template)
    assert reply.delivery == Message.Delivery.AWAITING_APPROVAL


def test_a_refused_reply_never_leaves(ingest, cm, personas):
    reply = actions.compose_reply(ingest(1).thread, "Texte", by=cm, sensitive=True)
    actions.reject_reply(reply, by=personas["communication"], reason="Ton trop sec")
    with pytest.raises(actions.ActionError):
        actions.approve_reply(reply, by=personas["communication"])
    assert not PlatformAction.objects.exists()
    assert AuditEvent.objects.get(verb="thread.reply_rejected").summary == "Ton trop sec"


def test_the_communication_officer_approves_from_the_pages(client, ingest, cm, personas):
    message = ingest(1)
    client.force_login(cm)
    client.post(reverse("inbox:reply", args=[message.thread_id]), {"text": "Réponse délicate", "sensitive": "on"})
    reply = Message.objects.get(kind="reply")
    client.force_login(personas["communication"])
    assert "Réponse délicate" in client.get(reverse("inbox:approvals")).content.decode()
    client.post(reverse("inbox:approve", args=[reply.pk]), {"text": "Réponse délicate, revue"})
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.PENDING and reply.text == "Réponse délicate, revue"


def test_the_menu_counts_the_replies_awaiting_approval_for_those_who_approve(client, ingest, cm, personas):
    for n in (1, 2):
        actions.compose_reply(ingest(n).thread, f"Texte {n}", by=cm, sensitive=True)
    client.force_login(personas["communication"])
    menu = client.get(reverse("inbox:approvals")).content.decode()
    assert 'À approuver <span class="badge warn" aria-label="en attente d\'approbation : 2">2</span>' in menu
    client.force_login(cm)
    assert "À approuver" not in client.get(reverse("inbox:list")).content.decode()


def test_the_queue_shows_what_each_reply_answers_and_decides_there(client, ingest, cm, personas):
    """On a phone, one reply after another: approved or refused in the queue, the person stays in it."""
    first, second = ingest(1, text="Vos tarifs sont scandaleux."), ingest(2, text="Pourquoi ce changement de lieu ?")
    client.force_login(cm)
    for message, text in ((first, "Nous entendons votre remarque."), (second, "Le lieu a changé.")):
        client.post(reverse("inbox:reply", args=[message.thread_id]),
                    {"text": text, "in_reply_to": message.pk, "sensitive": "on"})  # fmt: skip
    replies = list(Message.objects.filter(kind="reply").order_by("pk"))
    client.force_login(personas["communication"])
    queue = client.get(reverse("inbox:approvals")).content.decode()
    assert "Vos tarifs sont scandaleux." in queue and "Pourquoi ce changement de lieu ?" in queue  # what they answer
    assert queue.count("Approuver et envoyer") == 2 and 'name="then" value="approvals"' in queue
    approved = client.post(reverse("inbox:approve", args=[replies[0].pk]),
                           {"text": "Nous entendons votre remarque.", "then": "approvals"})  # fmt: skip
    assert approved.url == reverse("inbox:approvals")
    refused = client.post(reverse("inbox:reject", args=[replies[1].pk]), {"reason": "Trop vague", "then": "approvals"})
    assert refused.url == reverse("inbox:approvals")
    assert [r.delivery for r in Message.objects.filter(kind="reply").order_by("pk")] == [
        Message.Delivery.PENDING, Message.Delivery.REJECTED,
    ]  # fmt: skip
    assert "Aucune réponse n'attend d'approbation." in client.get(reverse("inbox:approvals")).content.decode()
    from_thread = client.post(reverse("inbox:approve", args=[replies[0].pk]), {"text": "x"})  # not from the queue
    assert from_thread.url != reverse("inbox:approvals")


def test_templates_of_the_messages_label_are_suggested_first(client, cm, deliver):
    ReplyTemplate.objects.create(title="Recentrer", label="conflict", body="Recentrons le débat.")
    ReplyTemplate.objects.create(title="Tarifs", label="question", body="Les tarifs de la formation sont en ligne.")
    message = deliver(11, "Bonjour, quel est le tarif de la formation en hypnose ?")
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[message.item_id])).content.decode()
    assert "★ Question · Tarifs" in page and "★ Conflit" not in page
    assert page.index("★ Question · Tarifs") < page.index("Recentrer")


def test_among_the_suggested_templates_the_one_closest_to_the_message_comes_first(client, cm, deliver):
    """A question about the CPF is offered the financing answer before the dates-and-prices one, whatever
    order the templates were written in."""
    ReplyTemplate.objects.create(title="Dates et tarifs", label="question",
                                 body="Bonjour, les dates et les tarifs de la formation sont en ligne.")  # fmt: skip
    ReplyTemplate.objects.create(title="Financement", label="question",
                                 body="Bonjour, la formation peut être financée (CPF, OPCO).")  # fmt: skip
    message = deliver(12, "Bonjour, est-ce que la formation est finançable par le CPF ?")
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[message.item_id])).content.decode()
    assert page.index("★ Question · Financement") < page.index("★ Question · Dates et tarifs")


def test_a_reliable_source_fills_the_source_placeholder(client, ingest, cm):
    from vigie.replies.models import Source

    Source.objects.create(
        title="Inserm : hypnose", url="https://inserm.example/hypnose", keywords="hypnose, efficacité"
    )
    Source.objects.create(title="Qualiopi", url="https://travail.example/qualiopi", keywords="qualiopi")
    ReplyTemplate.objects.create(title="Rectifier", label="misinformation", body="Voici une source fiable : {source}")
    message = ingest(1, text="L'hypnose c'est une arnaque, aucune efficacité prouvée")
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[message.item_id])).content.decode()
    assert "Voici une source fiable : Inserm : hypnose (https://inserm.example/hypnose)" in page


# --- placeholders (issue #8 §4): filled for the message answered, or highlighted and refused -----------

AUTHORS = {  # how each platform names a person; LinkedIn does not always say who wrote
    "facebook": ("Chloé Rousseau", "Chloé"),
    "youtube": ("Marc Petit", "Marc"),
    "linkedin": ("Membre LinkedIn 3f2a9c", ""),
}
CHANNELS = {"facebook": "104857600123456", "youtube": "UC_ahtma", "linkedin": "urn:li:organization:1"}


def _message_on(ingest, platform: str, text: str = "Est-ce vrai que l'hypnose n'a aucune efficacité ?"):
    return ingest(1, platform=platform, channel_external_id=CHANNELS[platform], author_name=AUTHORS[platform][0],
                  text=text)  # fmt: skip


def _filled(message, platform: str, body: str) -> str:
    from vigie.inbox.reply_suggestions import for_message
    from vigie.replies.models import Source

    Charter.objects.get_or_create(version="3", defaults={"url": "https://ahtma.example/charte",
                                                         "published_at": timezone.now()})  # fmt: skip
    Source.objects.get_or_create(title="Inserm (2015)", url="https://inserm.example/hypnose", keywords="hypnose")
    ReplyTemplate.objects.create(title="Essai", label="question", body=body, platform=platform)
    [offer] = [o for o in for_message(message, platform) if o.template.title == "Essai"]
    return offer.text


@pytest.mark.parametrize("platform", ["facebook", "youtube", "linkedin"])
def test_every_placeholder_on_every_platform(ingest, cm, platform):
    from vigie.replies.render import PLACEHOLDERS

    message = _message_on(ingest, platform)
    expected = {
        "prenom": AUTHORS[platform][1],
        "lien_charte": "https://ahtma.example/charte",
        "lien_site": "https://www.ahtma-formation.fr",
        "source": "Inserm (2015) (https://inserm.example/hypnose)",
    }
    for name in PLACEHOLDERS:
        text = _filled(message, platform, f"Bonjour {{{name}}} !")
        ReplyTemplate.objects.filter(title="Essai").delete()
        if expected.get(name):
            assert text == f"Bonjour {expected[name]} !", name
            actions.compose_reply(message.thread, text, by=cm, in_reply_to=message)
        else:  # nothing to fill it with: it stays, and the reply cannot leave with it
            assert text == f"Bonjour {{{name}}} !", name
            with pytest.raises(actions.ActionError, match=rf"À compléter avant l'envoi : \{{{name}\}}"):
                actions.compose_reply(message.thread, text, by=cm, in_reply_to=message)


def test_a_placeholder_left_in_an_approved_text_is_refused(ingest, cm, personas):
    message = ingest(1)
    reply = actions.compose_reply(message.thread, "Bonjour Jeanne", by=cm, sensitive=True)
    with pytest.raises(actions.ActionError, match="prénom de l'auteur"):
        actions.approve_reply(reply, by=personas["communication"], text="Bonjour {prenom}")
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.AWAITING_APPROVAL and reply.text == "Bonjour Jeanne"


def test_the_reply_form_says_what_is_left_to_complete(client, ingest, cm):
    message = ingest(1)
    client.force_login(cm)
    response = client.post(
        reverse("inbox:reply", args=[message.thread_id]),
        {"text": "Bonjour {prenom}, voir {lien_site}", "in_reply_to": message.pk, "item": message.item_id},
        follow=True,
    )
    page = response.content.decode()
    assert "À compléter avant l&#x27;envoi : {prenom} (le prénom de l&#x27;auteur), {lien_site}" in page
    assert not Message.objects.filter(kind=Message.Kind.REPLY).exists()
    assert 'data-preview-of="id_text_reply"' in page
