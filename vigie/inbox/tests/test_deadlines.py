"""Private messages on the clock, through the pipeline: deadlines set at triage, met by a reply."""

import json
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command

from vigie.api import tokens
from vigie.inbox import actions, items, queries
from vigie.inbox.models import Item, Message
from vigie.lib.clock import PARIS
from vigie.sla.models import ClockSettings

pytestmark = pytest.mark.django_db

ARRIVED = "2026-11-24T10:00:00+01:00"  # a Tuesday


def dm(deliver, n: int, text: str = "Bonjour, quel est le tarif de la formation ?", at: str = ARRIVED, psid="p1"):
    return deliver(n, text, author=psid, kind="private_message", thread_id=f"t_{psid}", created_at=at)


def business_hours():
    ClockSettings.objects.update_or_create(pk=1, defaults={"counting": ClockSettings.Counting.BUSINESS})


def test_a_question_by_private_message_is_due_an_answer_24_hours_later(deliver):
    message = dm(deliver, 1)
    assert message.reply_due_at == datetime.fromisoformat(ARRIVED) + timedelta(hours=24)
    assert Item.objects.get(pk=message.item_id).reply_due_at == message.reply_due_at


def test_a_comment_is_not_on_this_clock(deliver):
    assert deliver(1, "Quel est le tarif ?").reply_due_at is None


def test_a_message_corrected_to_spam_loses_its_deadline_and_gets_it_back(deliver, cm):
    message = dm(deliver, 1)
    actions.correct_label(message, "spam", by=cm)
    message.refresh_from_db()
    assert message.reply_due_at is None and Item.objects.get(pk=message.item_id).reply_due_at is None
    actions.correct_label(message, "question", by=cm)
    message.refresh_from_db()
    assert message.reply_due_at is not None and Item.objects.get(pk=message.item_id).reply_due_at is not None


def test_a_reply_at_23h59_meets_it_and_at_24h01_misses_it(deliver):
    first, second = dm(deliver, 1, psid="p1"), dm(deliver, 2, psid="p2")
    came = datetime.fromisoformat(ARRIVED)
    items.answered(first.item_id, came + timedelta(hours=23, minutes=59))
    items.answered(second.item_id, came + timedelta(hours=24, minutes=1))
    later = came + timedelta(days=2)
    assert Message.objects.get(pk=first.pk).sla(later) == "met"
    assert Message.objects.get(pk=second.pk).sla(later) == "missed"
    assert Item.objects.get(pk=first.item_id).reply_due_at is None  # nothing left to answer


def test_a_message_after_our_reply_opens_a_new_deadline(deliver):
    first = dm(deliver, 1)
    items.answered(first.item_id, datetime.fromisoformat(ARRIVED) + timedelta(hours=1))
    second = dm(deliver, 2, at="2026-11-25T08:00:00+01:00")
    assert second.item_id == first.item_id
    assert Item.objects.get(pk=first.item_id).reply_due_at == second.reply_due_at
    assert Message.objects.get(pk=first.pk).replied_at is not None and second.replied_at is None


def test_two_unanswered_messages_show_the_earliest_deadline(deliver):
    first = dm(deliver, 1)
    dm(deliver, 2, at="2026-11-24T15:00:00+01:00")
    assert Item.objects.get(pk=first.item_id).reply_due_at == first.reply_due_at


def test_under_business_hours_a_friday_evening_message_is_due_on_wednesday_afternoon(deliver):
    business_hours()
    message = dm(deliver, 1, at="2026-11-27T19:30:00+01:00")
    assert message.reply_due_at == datetime(2026, 12, 2, 15, 0, tzinfo=PARIS)


def test_under_business_hours_a_public_holiday_does_not_count(deliver):
    business_hours()
    # Tuesday 10 November, 17:00: 1 h on Tuesday, Wednesday 11 (Armistice) off, 9 h on Thursday, 9 h on
    # Friday, the last 5 h on Monday (without the holiday: Friday 14:00)
    message = dm(deliver, 1, at="2026-11-10T17:00:00+01:00")
    assert message.reply_due_at == datetime(2026, 11, 16, 14, 0, tzinfo=PARIS)


def test_vigie_import_computes_deadlines_for_history(tmp_path, cm):
    lines = [
        {"platform": "facebook", "kind": "private_message", "id": f"m_{n}", "thread_id": f"t_{n}", "parent_id": None,
         "author": {"id": f"p{n}", "name": "Jeanne D."}, "text": text, "created_at": "2026-03-02T09:15:00+01:00"}
        for n, text in enumerate(["Bonjour, quel est le tarif de la formation ?", "Merci pour la formation !"])
    ]  # fmt: skip
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    call_command("import_messages", str(path))
    due = datetime.fromisoformat("2026-03-03T09:15:00+01:00")
    assert set(Message.objects.values_list("reply_due_at", flat=True)) == {due}


def test_the_api_gives_each_message_its_deadline_and_filters_on_it(client, deliver, cm):
    late, answered = dm(deliver, 1, psid="p1"), dm(deliver, 2, psid="p2")
    deliver(3, "Un commentaire")
    items.answered(answered.item_id, datetime.fromisoformat(ARRIVED) + timedelta(hours=2))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens.issue(cm)[1]}"}
    results = client.get("/api/v1/messages", **headers).json()["results"]
    by_id = {m["id"]: m for m in results}
    assert by_id[late.pk]["sla"] == "overdue" and by_id[answered.pk]["sla"] == "met"
    assert datetime.fromisoformat(by_id[late.pk]["reply_due_at"]) == late.reply_due_at
    assert [m["sla"] for m in results if m["kind"] == "comment"] == [None]
    assert [m["reply_due_at"] for m in results if m["kind"] == "comment"] == [None]
    overdue = client.get("/api/v1/messages", {"sla": "overdue"}, **headers).json()["results"]
    assert [m["id"] for m in overdue] == [late.pk]
    met = client.get("/api/v1/messages", {"sla": "met"}, **headers).json()["results"]
    assert [m["id"] for m in met] == [answered.pk]
    assert client.get("/api/v1/messages", {"sla": "bientôt"}, **headers).status_code == 400


# --- visible everywhere -------------------------------------------------------------------------------


@pytest.fixture
def three_clocks(deliver, time_machine):
    """Three questions by private message: overdue, due in 2 h, due in 20 h (seen at 14:00 on the 25th)."""
    late = dm(deliver, 1, psid="p1", at="2026-11-24T10:00:00+01:00")
    soon = dm(deliver, 2, psid="p2", at="2026-11-24T16:00:00+01:00")
    calm = dm(deliver, 3, psid="p3", at="2026-11-25T10:00:00+01:00")
    time_machine.move_to(datetime(2026, 11, 25, 14, 0, tzinfo=PARIS), tick=False)
    return late, soon, calm


def test_each_item_shows_its_time_left_amber_under_4_hours_red_when_overdue(client, cm, three_clocks):
    client.force_login(cm)
    page = client.get("/boite/").content.decode()
    assert 'class="badge sla-overdue"' in page and "En retard de 4 h 00" in page
    assert 'class="badge sla-due_soon"' in page and "Reste 2 h 00" in page
    assert 'class="badge sla-on_time"' in page and "Reste 20 h 00" in page


def test_the_filter_en_retard_and_the_sort_by_nearest_deadline(client, cm, three_clocks, deliver):
    late, soon, calm = three_clocks
    deliver(9, "Un commentaire sans délai")
    client.force_login(cm)
    overdue = client.get("/boite/", {"sla": "overdue"}).context["page"].items
    assert [i.pk for i in overdue] == [late.item_id]
    ordered = client.get("/boite/", {"order": "due"}).context["page"].items
    assert [i.pk for i in ordered] == [late.item_id, soon.item_id, calm.item_id]


def test_the_sort_by_deadline_pages_through_every_item_once(cm, deliver):
    made = [dm(deliver, n, psid=f"p{n}", at=f"2026-11-24T1{n}:00:00+01:00") for n in range(5)]
    seen, cursor = [], None
    for _ in range(5):
        page = queries.item_page(queries.Filters(order=queries.ORDER_DUE), cm, cursor, size=2)
        seen += [i.pk for i in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [m.item_id for m in made]


def test_an_overdue_private_message_shows_its_badge_on_its_page(client, cm, three_clocks):
    late, _, _ = three_clocks
    client.force_login(cm)
    page = client.get(f"/boite/element/{late.item_id}/").content.decode()
    assert "Réponse attendue" in page and "sla-overdue" in page


def test_the_composer_says_which_messenger_rule_applies(client, cm, three_clocks):
    late, _, calm = three_clocks
    client.force_login(cm)
    open_page = client.get(f"/boite/element/{calm.item_id}/").content.decode()
    assert 'id="reply-form"' in open_page and "réponse libre" in open_page
    closed_page = client.get(f"/boite/element/{late.item_id}/").content.decode()
    assert 'id="reply-form"' not in closed_page and "Réponse impossible" in closed_page
    ClockSettings.objects.update_or_create(pk=1, defaults={"human_agent": True})
    tagged_page = client.get(f"/boite/element/{late.item_id}/").content.decode()
    assert 'id="reply-form"' in tagged_page and "agent humain" in tagged_page


def test_a_reply_the_platform_would_refuse_is_refused_before_sending_in_french(client, cm, three_clocks):
    late, _, _ = three_clocks
    client.force_login(cm)
    response = client.post(f"/boite/fil/{late.thread_id}/repondre", {"text": "Bonjour", "item": late.item_id},
                           follow=True)  # fmt: skip
    assert "Fenêtre Messenger de 24 h fermée" in response.content.decode()
    assert not Message.objects.filter(kind="reply").exists()


def test_replies_to_approve_come_soonest_deadline_first_with_their_clocks(client, cm, personas, three_clocks):
    """The communication officer sees by when each sensitive reply must leave, and Messenger's window: the
    reply written last but due first leads the queue."""
    _, soon, calm = three_clocks
    for message, text in ((calm, "Réponse au calme"), (soon, "Réponse pressée")):
        actions.compose_reply(message.thread, text, by=cm, in_reply_to=message, sensitive=True)
    client.force_login(personas["communication"])
    page = client.get("/boite/approbations/").content.decode()
    assert page.index("Réponse pressée") < page.index("Réponse au calme")
    assert "Reste 2 h 00" in page and "Reste 20 h 00" in page
    assert page.count('class="window-rule window-standard"') == 2 and "(jusqu'au 25/11 à 16:00)" in page


def test_a_reply_to_approve_says_its_deadline_and_is_urgent_when_it_is_near(cm, three_clocks):
    from vigie.notifications.models import Kind, Notification

    _, soon, calm = three_clocks
    for message in (soon, calm):
        actions.compose_reply(message.thread, "Bonjour", by=cm, in_reply_to=message, sensitive=True)
    asked = Notification.objects.filter(recipient__username="communication", kind=Kind.APPROVAL_REQUEST)
    by_item = {n.key: n for n in asked}
    pressing, calm_one = by_item[f"item:{soon.item_id}"], by_item[f"item:{calm.item_id}"]
    assert pressing.urgent and pressing.title.startswith("Réponse à approuver avant le 25/11 à 16:00 :")
    assert not calm_one.urgent and calm_one.title.startswith("Réponse à approuver avant le 26/11 à 10:00 :")


def test_a_reply_whose_messenger_window_shut_while_it_waited_can_only_be_refused(client, cm, personas, three_clocks,
                                                                                  time_machine):  # fmt: skip
    _, soon, _ = three_clocks  # its window shuts at 16:00
    reply = actions.compose_reply(soon.thread, "Bonjour", by=cm, in_reply_to=soon, sensitive=True)
    time_machine.move_to(datetime(2026, 11, 25, 17, 0, tzinfo=PARIS), tick=False)
    with pytest.raises(actions.ActionError, match="Fenêtre Messenger de 24 h fermée"):
        actions.approve_reply(reply, by=personas["communication"])
    client.force_login(personas["communication"])
    queue = client.get("/boite/approbations/").content.decode()
    assert "Approbation impossible : Fenêtre Messenger de 24 h fermée" in queue
    assert "Approuver et envoyer" not in queue and "Refuser" in queue
    for page in (f"/boite/element/{soon.item_id}/", f"/boite/fil/{soon.thread_id}/"):  # « Relire dans le fil »
        shown = client.get(page).content.decode()
        assert "Approbation impossible" in shown and "Approuver et envoyer" not in shown
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.AWAITING_APPROVAL
