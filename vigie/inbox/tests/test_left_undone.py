"""An item is not marked done while that leaves undone what the procedure asks, unless a person says they leave it
so: an inappropriate comment still online (step 2: « Supprimer immédiatement le commentaire »), a private message
still without its answer (step 3: « Répondre sous 24 heures »)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from vigie.audit.models import AuditEvent
from vigie.inbox import actions, queries
from vigie.inbox.models import Item
from vigie.inbox.status import Status

pytestmark = pytest.mark.django_db

INSULT = "Bande de connards d'escrocs, allez vous faire foutre avec vos formations de merde"


@pytest.fixture
def insult(deliver):
    message = deliver(1, INSULT)
    assert message.classification.effective_label == "abuse"
    assert message.recommendations.filter(action="delete", status="proposed").exists()
    return message


def test_an_insult_still_online_is_not_marked_done_by_mistake(insult, cm):
    assert queries.take_down_pending(insult) == "delete"
    with pytest.raises(actions.ActionError, match="Toujours en ligne : la procédure propose « Supprimer »"):
        actions.change_status(insult.item, Status.DONE, by=cm)
    insult.item.refresh_from_db()
    assert insult.item.status == Status.NEW


def test_leaving_it_online_is_said_and_kept_in_the_audit(insult, cm):
    item = actions.change_status(insult.item, Status.DONE, by=cm, left_undone=True)
    assert item.status == Status.DONE
    event = AuditEvent.objects.filter(verb="item.status_changed").latest("id")
    assert "laissé en ligne (la procédure proposait « Supprimer »)" in event.summary


def test_once_the_platform_is_asked_to_take_it_down_nothing_is_pending(insult, cm):
    actions.moderate(insult, "delete", by=cm)
    assert queries.take_down_pending(insult) == ""


def test_a_hidden_comment_or_a_question_has_nothing_pending(insult, deliver, cm):
    question = deliver(2, "Bonjour, quand commence la prochaine session de formation en hypnose ?")
    assert queries.take_down_pending(question) == ""
    actions.change_status(question.item, Status.DONE, by=cm)  # as before
    insult.hidden_on_platform = True
    insult.save(update_fields=["hidden_on_platform"])
    assert queries.take_down_pending(insult) == ""


def test_a_corrected_label_lifts_the_take_down(insult, cm):
    """Read as an insult by mistake: once a person corrects the label, the procedure proposes no take-down."""
    actions.correct_label(insult, "criticism", by=cm)
    assert queries.take_down_pending(insult) == ""


def test_the_item_page_offers_the_take_down_first(client, cm, insult, deliver):
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[insult.item_id])).content.decode()
    assert "Toujours en ligne : la procédure propose « Supprimer »." in page
    assert 'data-take-down="delete"' in page and "Traité, laissé en ligne" in page
    assert f'id="moderate-choices-{insult.pk}"' in page
    question = deliver(2, "Bonjour, quand commence la prochaine session de formation en hypnose ?")
    page = client.get(reverse("inbox:item", args=[question.item_id])).content.decode()
    assert "Marquer comme traité" in page and "Traité, laissé en ligne" not in page


def test_bulk_done_leaves_the_insult_to_treat_and_says_why(client, cm, insult, deliver):
    thanks = deliver(2, "Merci beaucoup pour cette belle journée de formation !")
    client.force_login(cm)
    response = client.post(
        reverse("inbox:bulk"), {"items": [insult.item_id, thanks.item_id], "status": "done"}, follow=True
    )
    page = response.content.decode()
    assert "1 élément mis à jour." in page
    assert "1 laissé à traiter : toujours en ligne, la procédure propose de le retirer" in page
    insult.item.refresh_from_db()
    thanks.item.refresh_from_db()
    assert insult.item.status == Status.NEW and thanks.item.status == Status.DONE


def test_an_item_already_done_is_not_said_to_be_left_to_treat(client, cm, insult):
    actions.change_status(insult.item, Status.DONE, by=cm, left_undone=True)
    client.force_login(cm)
    page = client.post(reverse("inbox:bulk"), {"items": [insult.item_id], "status": "done"}, follow=True)
    assert "0 élément mis à jour. 1 inchangé (déjà ainsi ou impossible)." in page.content.decode()


# a private message due an answer ------------------------------------------------------------------------------

QUESTION_BY_PM = "Bonjour, quel est le tarif de la formation en hypnose ?"
SPAM_BY_PM = "Gagnez 3000 euros par semaine depuis chez vous !!! Cliquez vite sur bit.ly/argent-facile"


def two_hours_ago() -> str:
    return (timezone.now() - timedelta(hours=2)).isoformat()  # Messenger's window is open: a reply can leave


def due(item: Item) -> str:
    return f"{timezone.localtime(item.reply_due_at):%d/%m à %H:%M}"


@pytest.fixture
def asked(deliver):
    message = deliver(3, QUESTION_BY_PM, author="psid1", kind="private_message", thread_id="t_psid1",
                      created_at=two_hours_ago())  # fmt: skip
    assert message.reply_due_at is not None
    return Item.objects.get(pk=message.item_id)


def test_a_private_message_without_its_answer_is_not_marked_done_by_mistake(asked, cm):
    assert queries.reply_pending(asked)
    with pytest.raises(actions.ActionError, match="Sans réponse : la procédure demande une réponse"):
        actions.change_status(asked, Status.DONE, by=cm)
    asked.refresh_from_db()
    assert asked.status == Status.NEW


def test_leaving_it_unanswered_is_said_and_kept_in_the_audit(asked, cm):
    item = actions.change_status(asked, Status.DONE, by=cm, left_undone=True)
    assert item.status == Status.DONE
    event = AuditEvent.objects.filter(verb="item.status_changed").latest("id")
    assert f"sans réponse (elle était attendue le {due(item)})" in event.summary


def test_a_reply_on_its_way_or_answered_leaves_nothing_pending(asked, cm, personas):
    reply = actions.compose_reply(asked.thread, "Bonjour, le tarif est sur notre site.", by=cm,
                                  in_reply_to=asked.message, sensitive=True)  # fmt: skip
    assert not queries.reply_pending(asked)  # waiting for approval
    actions.reject_reply(reply, by=personas["communication"], reason="Trop court.")
    assert queries.reply_pending(asked)  # refused: someone has to answer again
    actions.compose_reply(asked.thread, "Bonjour, le cycle coûte 2 400 €.", by=cm, in_reply_to=asked.message)
    assert not queries.reply_pending(asked)  # in the outbox
    actions.change_status(asked, Status.DONE, by=cm)  # as before


def test_a_private_message_that_needs_no_answer_marks_done_as_before(deliver, cm):
    spam = deliver(4, SPAM_BY_PM, author="psid2", kind="private_message", thread_id="t_psid2",
                   created_at=two_hours_ago())  # fmt: skip
    assert spam.classification.effective_label == "spam"
    item = Item.objects.get(pk=spam.item_id)
    assert item.reply_due_at is None and queries.left_undone(item) is None
    actions.change_status(item, Status.DONE, by=cm)


def test_the_item_page_offers_the_reply_first(client, cm, asked):
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[asked.pk])).content.decode()
    assert f"Sans réponse : la procédure demande une réponse à ce message privé (attendue le {due(asked)})." in page
    assert 'href="#reply-form" class="button primary thumb" data-do-first data-reply-first>Répondre…</a>' in page
    assert "Traité sans réponse" in page and 'class="primary thumb">Marquer comme traité' not in page


def test_once_messengers_window_has_shut_the_thumb_bar_says_no_reply_can_leave(client, cm, deliver):
    """Eight days on, Facebook refuses any reply: « Traité sans réponse » is the bar's one button, and it says why."""
    eight_days_ago = (timezone.now() - timedelta(days=8)).isoformat()
    late = deliver(6, QUESTION_BY_PM, author="psid3", kind="private_message", thread_id="t_psid3",
                   created_at=eight_days_ago)  # fmt: skip
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[late.item_id])).content.decode()
    bar = page.split('id="done-form"')[1].split("</form>")[0]
    assert "Sans réponse : la procédure demande une réponse" in bar
    assert "Réponse impossible : fenêtre Messenger fermée." in bar
    assert "data-reply-first" not in bar and 'class="thumb primary"' in bar and "Traité sans réponse" in bar


def test_someone_who_may_not_moderate_is_not_offered_the_take_down(client, personas, insult):
    """The communication officer answers but does not moderate: no « Supprimer… » that would lead nowhere, leaving
    it online is the bar's one button."""
    client.force_login(personas["communication"])
    page = client.get(reverse("inbox:item", args=[insult.item_id])).content.decode()
    bar = page.split('id="done-form"')[1].split("</form>")[0]
    assert "Toujours en ligne : la procédure propose « Supprimer »." in bar
    assert "data-take-down" not in bar and 'class="thumb primary"' in bar and "Traité, laissé en ligne" in bar


@pytest.mark.parametrize(("case", "refusal"), [("insult", "toujours en ligne"), ("asked", "Sans réponse")])
def test_the_status_form_refuses_then_the_thumb_bar_leaves_it_undone(client, cm, case, refusal, request):
    item = request.getfixturevalue(case)
    item = item if isinstance(item, Item) else item.item
    client.force_login(cm)
    url = reverse("inbox:status", args=[item.pk])
    assert refusal in client.post(url, {"status": "done"}, follow=True).content.decode()
    item.refresh_from_db()
    assert item.status == Status.NEW
    client.post(url, {"status": "done", "left_undone": "1", "then": "next"})
    item.refresh_from_db()
    assert item.status == Status.DONE


def test_bulk_done_leaves_the_unanswered_private_message_and_says_so(client, cm, asked, insult, deliver):
    question = deliver(5, "Bonjour, quand commence la prochaine session de formation en hypnose ?")
    client.force_login(cm)
    chosen = [asked.pk, insult.item_id, question.item_id]
    page = client.post(reverse("inbox:bulk"), {"items": chosen, "status": "done"}, follow=True).content.decode()
    assert "1 élément mis à jour." in page
    assert "1 laissé à traiter : toujours en ligne" in page
    assert "1 laissé à traiter : message privé sans la réponse due (depuis sa page)." in page
    assert list(Item.objects.filter(pk__in=chosen, status=Status.DONE).values_list("pk", flat=True)) == [
        question.item_id
    ]
