"""An inappropriate comment the procedure says to take down is not marked done while it is still online unless a
person says they leave it there (procedure, step 2: « Supprimer immédiatement le commentaire »)."""

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.inbox import actions, queries
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
    with pytest.raises(actions.ActionError, match="toujours en ligne : la procédure propose « Supprimer »"):
        actions.change_status(insult.item, Status.DONE, by=cm)
    insult.item.refresh_from_db()
    assert insult.item.status == Status.NEW


def test_leaving_it_online_is_said_and_kept_in_the_audit(insult, cm):
    item = actions.change_status(insult.item, Status.DONE, by=cm, left_online=True)
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


def test_the_status_form_refuses_then_the_thumb_bar_leaves_it_online(client, cm, insult):
    client.force_login(cm)
    url = reverse("inbox:status", args=[insult.item_id])
    page = client.post(url, {"status": "done"}, follow=True).content.decode()
    assert "toujours en ligne" in page
    insult.item.refresh_from_db()
    assert insult.item.status == Status.NEW
    client.post(url, {"status": "done", "left_online": "1", "then": "next"})
    insult.item.refresh_from_db()
    assert insult.item.status == Status.DONE


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
    actions.change_status(insult.item, Status.DONE, by=cm, left_online=True)
    client.force_login(cm)
    page = client.post(reverse("inbox:bulk"), {"items": [insult.item_id], "status": "done"}, follow=True)
    assert "0 élément mis à jour. 1 inchangé (déjà ainsi ou impossible)." in page.content.decode()
