"""Safe moderation (issue #8 §3): what cannot be undone asks first and waits a few seconds before the
outbox sends it; what Vigie did stays visible and names the person; an author's state shows everywhere."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from vigie.audit.models import AuditEvent
from vigie.connectors import registry
from vigie.connectors.base import ActionResult, Capability
from vigie.inbox import actions
from vigie.inbox.models import Author, Item, Message
from vigie.inbox.status import Status
from vigie.ingestion.models import Channel
from vigie.moderation import outbox
from vigie.moderation.models import PlatformAction

pytestmark = pytest.mark.django_db


class RecordingPlatform:
    """Does every moderation verb and remembers what it was asked."""

    platform = "facebook"
    capabilities = {verb: Capability(True) for verb in ("hide", "unhide", "delete", "block", "unblock")}

    def __init__(self):
        self.done: list[tuple[str, str]] = []

    def execute(self, channel, request):
        self.done.append((request.verb, request.target_external_id))
        return ActionResult()

    def find_done(self, channel, request):
        return None


@pytest.fixture
def platform(monkeypatch):
    connector = RecordingPlatform()
    monkeypatch.setitem(registry.CONNECTORS, "facebook", connector)
    return connector


@pytest.fixture
def comment(ingest):
    message = ingest(1, text="Arnaque, fuyez !", author_name="Marcel Guérin")
    Channel.objects.update(status=Channel.Status.CONNECTED)
    return Message.objects.select_related("channel", "author").get(pk=message.pk)


def test_a_delete_waits_the_undo_window_before_reaching_the_platform(platform, comment, cm):
    action = actions.moderate(comment, "delete", by=cm)
    assert action.next_attempt_at > timezone.now() + timedelta(seconds=8)
    assert outbox.run(action.pk) is None and platform.done == []  # not yet: it can still be taken back
    assert outbox.due_ids() == []
    with time_machine.travel(timezone.now() + actions.UNDO_WINDOW + timedelta(seconds=1)):
        assert outbox.due_ids() == [action.pk]
        assert outbox.run(action.pk).status == PlatformAction.Status.DONE
    assert platform.done == [("delete", comment.external_id)]


def test_cancelling_within_the_window_sends_nothing_and_reopens_the_item(platform, comment, cm):
    assert Item.objects.get(message=comment).status == Status.NEW
    action = actions.moderate(comment, "delete", by=cm)
    assert Item.objects.get(message=comment).status == Status.DONE
    actions.cancel_moderation(action, by=cm)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert outbox.run(action.pk) is None
    assert platform.done == []
    action.refresh_from_db()
    assert action.status == PlatformAction.Status.CANCELLED and action.cancelled_by == cm
    assert Item.objects.get(message=comment).status == Status.NEW
    cancelled = AuditEvent.objects.get(verb="platform_action.cancelled")
    assert cancelled.actor == cm and "annulé" in cancelled.summary


def test_once_tried_an_action_can_no_longer_be_cancelled(platform, comment, cm):
    action = actions.moderate(comment, "block", by=cm)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        outbox.run(action.pk)
    with pytest.raises(actions.ActionError, match="Trop tard"):
        actions.cancel_moderation(action, by=cm)


def test_hide_is_sent_at_once_and_a_rule_acts_without_a_window(platform, comment, cm):
    assert outbox.run(actions.moderate(comment, "hide", by=cm).pk).status == PlatformAction.Status.DONE
    by_rule = actions.moderate(comment, "delete", by=None, rule="Arnaques")
    assert by_rule.next_attempt_at is None


def test_the_platform_echo_of_our_delete_names_the_person_not_the_system(platform, comment, cm, ingest):
    action = actions.moderate(comment, "delete", by=cm)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        outbox.run(action.pk)
    ingest(1, removed=True)  # Facebook's « remove » webhook for the comment Vigie deleted
    removed = AuditEvent.objects.get(verb="message.removed")
    assert removed.actor == cm and "depuis Vigie" in removed.summary


def test_a_removal_by_its_author_is_still_told_as_such(comment, ingest):
    ingest(1, removed=True)
    removed = AuditEvent.objects.get(verb="message.removed")
    assert removed.actor is None and removed.summary == "Supprimé par son auteur ou la plateforme"


def _item_page(client, user, message) -> str:
    client.force_login(user)
    return client.get(reverse("inbox:item", args=[message.item_id])).content.decode()


def test_delete_and_block_ask_for_confirmation_saying_what_happens(client, platform, comment, cm):
    page = _item_page(client, cm, comment)
    assert '<details class="confirm" data-verb="delete">' in page
    assert "Le message sera supprimé sur Facebook" in page and "c&#x27;est définitif" in page
    assert "L&#x27;auteur sera bloqué sur Facebook" in page and "réversible avec « Débloquer »" in page
    assert "Vous aurez 10 s pour annuler" in page


def test_a_deleted_comment_stays_greyed_with_who_and_when(client, platform, comment, cm, ingest):
    client.force_login(cm)
    response = client.post(reverse("inbox:moderate", args=[comment.pk]), {"verb": "delete"}, follow=True)
    page = response.content.decode()
    assert "Envoi à la plateforme dans 10 s" in page and ">Annuler</button>" in page
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        outbox.run(PlatformAction.objects.get().pk)
    ingest(1, removed=True)
    page = _item_page(client, cm, comment)
    assert 'class="text deleted">Arnaque, fuyez !' in page
    assert "Supprimé depuis Vigie par Community-Manager" not in page  # the name, not the login
    assert f"Supprimé depuis Vigie par {cm.get_full_name() or cm.username}" in page
    assert 'value="delete"' not in page and ">Annuler</button>" not in page


def test_a_blocked_author_shows_blocked_and_can_be_unblocked(client, platform, comment, cm):
    action = actions.moderate(comment, "block", by=cm)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        outbox.run(action.pk)
    assert Author.objects.get(pk=comment.author_id).blocked
    page = _item_page(client, cm, comment)
    assert "author-blocked" in page and 'value="unblock"' in page and 'value="block"' not in page
    list_page = client.get(reverse("inbox:list"), {"status": "all"}).content.decode()
    assert "author-blocked" in list_page  # wherever the author appears
    client.post(reverse("inbox:moderate", args=[comment.pk]), {"verb": "unblock"})
    outbox.run(PlatformAction.objects.get(verb="unblock").pk)
    assert not Author.objects.get(pk=comment.author_id).blocked
    assert ("unblock", comment.external_id) in platform.done


def test_unblock_is_refused_where_the_platform_has_no_such_api(ingest, cm):
    message = ingest(1, platform="youtube", channel_external_id="UC123", thread_external_id="v1",
                     external_id="yt-1")  # fmt: skip
    Author.objects.filter(pk=message.author_id).update(blocked=True)
    with pytest.raises(actions.ActionError, match="YouTube Studio"):
        actions.moderate(Message.objects.get(pk=message.pk), "unblock", by=cm)


def test_an_action_on_a_channel_not_connected_says_so_at_once(client, comment, cm):
    Channel.objects.update(status=Channel.Status.TO_RECONNECT)
    client.force_login(cm)
    response = client.post(reverse("inbox:moderate", args=[comment.pk]), {"verb": "hide"}, follow=True)
    page = response.content.decode()
    assert "Canal non connecté : action en attente" in page
    assert page.count("Canal non connecté : action en attente") == 2  # the message, and the line under it


def test_private_messages_offer_no_hide_nor_delete(client, ingest, cm):
    message = ingest(1, kind="private_message", thread_external_id="t_conv", post=None)
    page = _item_page(client, cm, message)
    assert 'value="block"' in page
    assert 'value="hide"' not in page and 'value="delete"' not in page


@pytest.mark.parametrize("role", ["community_manager", "admin", "communication", "direction", "outsider"])
def test_only_moderators_cancel(client, platform, comment, cm, personas, role):
    action = actions.moderate(comment, "delete", by=cm)
    client.force_login(personas[role])
    client.post(reverse("inbox:cancel_action", args=[action.pk]))
    action.refresh_from_db()
    assert (action.status == PlatformAction.Status.CANCELLED) == (role in ("community_manager", "admin"))


def test_capturing_evidence_is_one_click_and_fulfils_the_proposal(client, cm, deliver):
    from vigie.moderation.evidence import verify
    from vigie.moderation.models import Evidence

    message = deliver(1, "Bande de connards d'escrocs, allez vous faire foutre avec vos formations de merde")
    assert message.recommendations.filter(action="capture_evidence", status="proposed").exists()
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[message.item_id])).content.decode()
    assert "★ Capturer une preuve" in page
    response = client.post(reverse("inbox:capture_evidence", args=[message.pk]), follow=True)
    evidence = Evidence.objects.get(message=message)
    assert verify(evidence) and evidence.requested_by == cm
    assert f"Preuve n° {evidence.pk} capturée" in response.content.decode()
    assert message.recommendations.get(action="capture_evidence").status == "done"
    assert AuditEvent.objects.get(verb="message.evidence_captured").actor == cm
