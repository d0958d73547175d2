"""Monitoring rounds: the day's rounds, start, sign-off (and its refusals), missed rounds, reminders."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.inbox import actions
from vigie.inbox.models import Item
from vigie.inbox.status import Status
from vigie.lib.clock import PARIS
from vigie.notifications.models import Notification
from vigie.rounds import jobs, service
from vigie.rounds.models import Round, RoundWindow
from vigie.sla.models import ClockSettings
from vigie.triage.models import Classification
from vigie.vocabulary import Priority

pytestmark = pytest.mark.django_db

TUESDAY = datetime(2026, 11, 24, tzinfo=PARIS).date()


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


@pytest.fixture
def windows(db):
    found = RoundWindow.all_windows()
    RoundWindow.objects.update(created_at=at(TUESDAY, 0))
    return found


def test_three_rounds_a_day_by_default_and_none_on_a_weekend_or_a_holiday(windows):
    assert [p.window.slot for p in service.planned(TUESDAY)] == ["morning", "noon", "evening"]
    assert service.planned(datetime(2026, 11, 28).date()) == []  # Saturday
    assert service.planned(datetime(2026, 11, 11).date()) == []  # Armistice
    ClockSettings.objects.update_or_create(pk=1, defaults={"public_holidays": False})
    assert len(service.planned(datetime(2026, 11, 11).date())) == 3


def test_starting_a_round_shows_what_arrived_since_the_last_signed_off_one_per_channel(windows, cm, ingest):
    ingest(1, created_at=at(TUESDAY, 7))
    ingest(2, created_at=at(TUESDAY, 8), platform="linkedin", channel_external_id="urn:li:organization:1",
           thread_external_id="urn:li:share:1")  # fmt: skip
    row = service.start("morning", by=cm, now=at(TUESDAY, 9))
    assert row.status == Round.Status.STARTED and row.started_by == cm
    assert sorted((a["platform"], a["count"]) for a in row.arrivals) == [("facebook", 1), ("linkedin", 1)]
    assert AuditEvent.objects.filter(verb="round.started").exists()
    service.sign_off(row, by=cm, now=at(TUESDAY, 9, 30), left_open_reason="Réponses à préparer")
    ingest(3, created_at=at(TUESDAY, 11))
    noon = service.start("noon", by=cm, now=at(TUESDAY, 12, 15))
    assert noon.since == at(TUESDAY, 9, 30) and [a["count"] for a in noon.arrivals] == [1]


def test_a_round_counts_only_what_had_happened_by_its_own_time(windows, cm, ingest):
    """What a round says is fixed at its time: a round signed later, or a message that came later, is not in it
    (imported or staged history is judged at its own time, like the detectors in event time)."""
    morning = service.start("morning", by=cm, now=at(TUESDAY, 9))
    service.sign_off(morning, by=cm, now=at(TUESDAY, 9, 30))
    Round.objects.create(day=TUESDAY + timedelta(days=1), slot="morning", window_start=at(TUESDAY, 8),
                         window_end=at(TUESDAY, 10), status=Round.Status.DONE, signed_at=at(TUESDAY, 23))  # fmt: skip
    later = ingest(1, created_at=at(TUESDAY, 13))
    Item.objects.filter(pk=later.item_id).update(targets_staff=True)
    assert not service.urgent_items(at(TUESDAY, 12, 30)).exists()
    noon = service.start("noon", by=cm, now=at(TUESDAY, 12, 30))
    assert noon.since == at(TUESDAY, 9, 30) and noon.arrivals == []
    signed = service.sign_off(noon, by=cm, now=at(TUESDAY, 12, 45))
    assert (signed.left_open, signed.urgent_left) == (0, 0)


def test_a_round_starts_only_in_its_window(windows, cm):
    with pytest.raises(actions.ActionError, match="entre 08:30 et 10:30"):
        service.start("morning", by=cm, now=at(TUESDAY, 11))


def test_signing_off_records_who_when_how_many_handled_and_what_was_left_open(windows, cm, ingest, time_machine):
    first, second = ingest(1, created_at=at(TUESDAY, 7)), ingest(2, created_at=at(TUESDAY, 7, 30))
    time_machine.move_to(at(TUESDAY, 8, 50), tick=False)
    actions.change_status(second.item, Status.IN_PROGRESS, by=cm)  # before the round: not counted
    row = service.start("morning", by=cm, now=at(TUESDAY, 9))
    time_machine.move_to(at(TUESDAY, 9, 10), tick=False)
    actions.change_status(first.item, Status.DONE, by=cm)
    actions.add_note(first.item, "Répondu par téléphone", by=cm)
    with pytest.raises(actions.ActionError, match=r"^1 élément reste à traiter : dites pourquoi \(ou traitez-le\)"):
        service.sign_off(row, by=cm, now=at(TUESDAY, 9, 30))
    signed = service.sign_off(row, by=cm, now=at(TUESDAY, 9, 30), left_open_reason="Attend l'avis de la direction")
    assert (signed.status, signed.signed_by, signed.signed_at) == (Round.Status.DONE, cm, at(TUESDAY, 9, 30))
    assert (signed.handled, signed.left_open, signed.left_open_reason) == (1, 1, "Attend l'avis de la direction")
    assert second.item_id
    assert AuditEvent.objects.get(verb="round.signed").after["left_open"] == 1


def test_an_untreated_attack_on_staff_blocks_the_sign_off_unless_the_person_says_why(windows, cm, ingest):
    message = ingest(1, created_at=at(TUESDAY, 7))
    Item.objects.filter(pk=message.item_id).update(targets_staff=True)
    row = service.start("morning", by=cm, now=at(TUESDAY, 9))
    with pytest.raises(actions.ActionError, match=r"^1 élément urgent non traité \(.*\) : traitez-le, ou"):
        service.sign_off(row, by=cm, now=at(TUESDAY, 9, 30), left_open_reason="en cours")
    signed = service.sign_off(row, by=cm, now=at(TUESDAY, 9, 30), left_open_reason="en cours",
                              urgent_reason="La direction s'en occupe")  # fmt: skip
    assert signed.urgent_left == 1 and signed.urgent_reason == "La direction s'en occupe"


@pytest.mark.parametrize("urgent", ["critical", "overdue"])
def test_a_crisis_or_an_overdue_private_message_is_urgent_too(windows, cm, ingest, urgent):
    message = ingest(1, created_at=at(TUESDAY, 7))
    change = {"priority": Priority.CRITICAL} if urgent == "critical" else {"reply_due_at": at(TUESDAY, 8)}
    Item.objects.filter(pk=message.item_id).update(**change)
    assert list(service.urgent_items(at(TUESDAY, 9))) == [Item.objects.get(pk=message.item_id)]
    actions.change_status(message.item, Status.ESCALATED, by=cm)  # handed over: treated
    assert not service.urgent_items(at(TUESDAY, 9)).exists()


def test_a_round_not_signed_off_in_its_window_is_missed_and_the_direction_told(windows, personas):
    row = service.start("morning", by=personas["community_manager"], now=at(TUESDAY, 9))
    assert jobs.mark_missed(at(TUESDAY, 10, 29)) == []
    missed = jobs.mark_missed(at(TUESDAY, 10, 31))
    assert [r.slot for r in missed] == ["morning"]
    row.refresh_from_db()
    assert row.status == Round.Status.MISSED and row.started_by == personas["community_manager"]
    assert Notification.objects.filter(recipient=personas["direction"], title__contains="manqué").exists()
    assert jobs.mark_missed(at(TUESDAY, 10, 32)) == []  # once
    assert AuditEvent.objects.filter(verb="round.missed").count() == 1


def test_rounds_of_the_evening_and_days_before_are_caught_up(windows):
    missed = jobs.mark_missed(at(TUESDAY + timedelta(days=1), 9))
    assert [(r.day, r.slot) for r in missed] == [(TUESDAY, "morning"), (TUESDAY, "noon"), (TUESDAY, "evening")]


def test_community_managers_are_reminded_near_the_end_of_the_window_once(windows, personas):
    assert jobs.remind(at(TUESDAY, 9)) == []
    [row] = jobs.remind(at(TUESDAY, 10, 5))
    assert row.slot == "morning" and row.status == Round.Status.DUE
    assert Notification.objects.filter(recipient=personas["community_manager"], title__contains="à signer").count() == 1
    assert not Notification.objects.filter(recipient=personas["direction"]).exists()
    assert jobs.remind(at(TUESDAY, 10, 10)) == []


def test_a_signed_round_is_not_reminded_nor_missed(windows, cm):
    row = service.start("morning", by=cm, now=at(TUESDAY, 9))
    service.sign_off(row, by=cm, now=at(TUESDAY, 9, 5))
    assert jobs.remind(at(TUESDAY, 10, 5)) == []
    assert [r.slot for r in jobs.mark_missed(at(TUESDAY, 11))] == []


def test_the_page_shows_todays_rounds_and_the_history_and_exports_it(client, windows, personas, time_machine):
    time_machine.move_to(at(TUESDAY, 9), tick=False)
    cm = personas["community_manager"]
    client.force_login(cm)
    response = client.post(reverse("rounds:start", args=["morning"]))
    assert response.status_code == 302
    page = client.get(reverse("rounds:list")).content.decode()
    assert "Tour du matin du 24/11/2026 en cours" in page and "Signer le tour" in page
    client.post(reverse("rounds:sign", args=[Round.objects.get().pk]), {"left_open_reason": ""})
    assert Round.objects.get().status == Round.Status.DONE
    jobs.mark_missed(at(TUESDAY, 14, 1))
    client.force_login(personas["direction"])
    history = client.get(reverse("rounds:list"), {"status": "missed"}).content.decode()
    assert "Manqué" in history and "Midi" in history and "Signer le tour" not in history
    csv_text = b"".join(client.get(reverse("rounds:export")).streaming_content).decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("jour,tour,fenêtre,état") and len(lines) == 3
    assert "Signé" in csv_text and "Manqué" in csv_text


def test_before_its_window_a_round_says_when_it_can_be_started(client, windows, personas, time_machine):
    time_machine.move_to(at(TUESDAY, 8, 10), tick=False)
    client.force_login(personas["community_manager"])
    page = client.get(reverse("rounds:list")).content.decode()
    assert "Commencer le tour du matin" not in page and "Vous pourrez le commencer à 08:30." in page
    assert "Vous pourrez le commencer à 12:00." in page  # the noon round too
    time_machine.move_to(at(TUESDAY, 8, 31), tick=False)
    page = client.get(reverse("rounds:list")).content.decode()
    assert "Commencer le tour du matin" in page and "le commencer à 08:30" not in page


def test_a_round_caught_up_the_next_day_says_when_it_was_marked_missed(client, windows, personas, time_machine):
    """Marked missed at 09:00 the next morning: « à 09:00 » alone under an evening round read as before it began."""
    time_machine.move_to(at(TUESDAY + timedelta(days=1), 9), tick=False)
    jobs.mark_missed(at(TUESDAY + timedelta(days=1), 9))
    client.force_login(personas["direction"])
    page = client.get(reverse("rounds:list"), {"status": "missed"}).content.decode()
    assert "Marqué manqué le 25/11 à 09:00" in page
    assert "Marqué manqué à" not in page


def test_a_refused_sign_off_says_why_in_french(client, windows, cm, ingest, time_machine):
    time_machine.move_to(at(TUESDAY, 9), tick=False)
    ingest(1, created_at=at(TUESDAY, 7))
    ingest(2, created_at=at(TUESDAY, 7, 30))
    client.force_login(cm)
    client.post(reverse("rounds:start", args=["morning"]))
    response = client.post(reverse("rounds:sign", args=[Round.objects.get().pk]), follow=True)
    assert "2 éléments restent à traiter : dites pourquoi (ou traitez-les)." in response.content.decode()
    assert Round.objects.get().status == Round.Status.STARTED


def test_a_refused_sign_off_keeps_what_the_person_wrote(client, windows, cm, ingest, time_machine):
    time_machine.move_to(at(TUESDAY, 9), tick=False)
    attack = ingest(1, created_at=at(TUESDAY, 7))
    Item.objects.filter(pk=attack.item_id).update(targets_staff=True)  # urgent
    ingest(2, created_at=at(TUESDAY, 7, 30))
    client.force_login(cm)
    client.post(reverse("rounds:start", args=["morning"]))
    written = {"left_open_reason": "Deux questions attendent la réponse du Dr Girard.", "urgent_reason": ""}
    response = client.post(reverse("rounds:sign", args=[Round.objects.get().pk]), written)
    page = response.content.decode()
    assert response.status_code == 200 and "urgent" in page  # why, in French, on the page with the form
    assert "Deux questions attendent la réponse du Dr Girard.</textarea>" in page
    assert Round.objects.get().status == Round.Status.STARTED


def test_an_admin_sets_the_calendar_and_the_windows(client, windows, personas):
    client.force_login(personas["admin"])
    data = {
        "work_days": ["0", "1", "2", "3", "4", "5"], "opens_at": "08:00", "closes_at": "19:00",
        "public_holidays": "on", "reply_hours": "24", "counting": "business",
        "morning-starts_at": "08:00", "morning-ends_at": "10:00", "morning-active": "on",
        "noon-starts_at": "12:00", "noon-ends_at": "14:00", "noon-active": "on",
        "evening-starts_at": "17:00", "evening-ends_at": "19:00", "evening-active": "on",
    }  # fmt: skip
    assert client.post(reverse("rounds:settings"), data).status_code == 302
    settings_row = ClockSettings.current()
    assert settings_row.work_day_numbers == frozenset(range(6)) and settings_row.counting == "business"
    assert RoundWindow.objects.get(slot="morning").ends_at == time(10, 0)
    assert AuditEvent.objects.filter(verb="clock.settings_changed").exists()
    bad = client.post(reverse("rounds:settings"), data | {"noon-ends_at": "11:00"})
    assert bad.status_code == 200 and "La fin du tour doit suivre son début." in bad.content.decode()


def test_the_worker_keeps_the_clock_every_minute(windows, time_machine):
    from vigie.rounds import tasks

    time_machine.move_to(at(TUESDAY, 14, 5), tick=False)
    tasks.keep_the_clock.call_local()
    assert set(Round.objects.filter(day=TUESDAY, status="missed").values_list("slot", flat=True)) == {"morning", "noon"}


def test_a_round_shows_the_posts_published_since_the_last_one_and_those_due_before_the_next(
    client, windows, personas, time_machine
):
    """The procedure (Étape 1): the planning tells the people in charge what to watch."""
    from vigie.planning.models import Board, PlannedPost

    board = Board.objects.create(board_id="42", name="Planning | Réseaux sociaux")

    def planned(name: str, when: datetime, **values) -> PlannedPost:
        return PlannedPost.objects.create(board=board, monday_item_id=name, name=name, publish_at=when,
                                          sort_at=when, **values)  # fmt: skip

    planned("Portes ouvertes", at(TUESDAY, 8))  # published since the last round (none signed: last 24 h)
    planned("Webinaire hypnose", at(TUESDAY, 13), subject="Inscriptions ouvertes")  # before noon's end
    planned("Trop tôt", at(TUESDAY, 6) - timedelta(days=2))
    planned("Trop tard", at(TUESDAY, 18))  # after the next round (noon, 12:00–14:00)
    planned("Retiré", at(TUESDAY, 8, 30), removed_at=at(TUESDAY, 8, 45))
    assert service.next_round_end(at(TUESDAY, 9)) == at(TUESDAY, 14)
    time_machine.move_to(at(TUESDAY, 9), tick=False)
    client.force_login(personas["community_manager"])
    client.post(reverse("rounds:start", args=["morning"]))
    page = client.get(reverse("rounds:list")).content.decode()
    watch = page.split('id="to-watch"')[1].split("</ul>")[0]
    assert "publiée</span> 24/11 08:00 · Portes ouvertes" in watch
    assert "à paraître</span> 24/11 13:00 · Webinaire hypnose · Inscriptions ouvertes" in watch
    assert "Trop tôt" not in watch and "Trop tard" not in watch and "Retiré" not in watch


def test_a_round_in_progress_links_to_what_a_person_should_check(client, windows, personas, ingest, time_machine):
    """Negative mentions of staff the model did not call an attack (and unsure labels) are the round's to check."""
    mention, other = ingest(1, created_at=at(TUESDAY, 7)), ingest(2, created_at=at(TUESDAY, 7, 30))
    for message, to_check in ((mention, True), (other, False)):
        Classification.objects.create(message=message, label="criticism", confidence=0.9, mention_to_check=to_check,
                                      priority="normal", model_version="test", text_sha256="")  # fmt: skip
    time_machine.move_to(at(TUESDAY, 9), tick=False)
    client.force_login(personas["community_manager"])
    assert "À vérifier (" not in client.get(reverse("rounds:list")).content.decode()  # no round in progress
    client.post(reverse("rounds:start", args=["morning"]))
    page = client.get(reverse("rounds:list")).content.decode()
    assert '<a class="button" href="/boite/?uncertain=on">À vérifier (1 : tri incertain, attaque possible)</a>' in page
    actions.change_status(mention.item, Status.DONE, by=personas["community_manager"])
    assert "À vérifier (" not in client.get(reverse("rounds:list")).content.decode()


def test_a_round_in_progress_says_how_many_private_messages_are_overdue(client, windows, personas, ingest,
                                                                        time_machine):  # fmt: skip
    """The link to the inbox's « En retard » counts what that list holds, and goes once none is left."""
    late, on_time = ingest(1, created_at=at(TUESDAY, 7)), ingest(2, created_at=at(TUESDAY, 7, 30))
    Item.objects.filter(pk=late.item_id).update(reply_due_at=at(TUESDAY, 8))
    Item.objects.filter(pk=on_time.item_id).update(reply_due_at=at(TUESDAY, 15))
    time_machine.move_to(at(TUESDAY, 9), tick=False)
    client.force_login(personas["community_manager"])
    client.post(reverse("rounds:start", args=["morning"]))
    page = client.get(reverse("rounds:list")).content.decode()
    assert '<a class="button" href="/boite/?sla=overdue">Messages privés en retard (1)</a>' in page
    actions.change_status(late.item, Status.DONE, by=personas["community_manager"], left_undone=True)
    assert "Messages privés en retard" not in client.get(reverse("rounds:list")).content.decode()


def test_the_next_round_skips_the_evening_weekend(windows):
    friday = TUESDAY + timedelta(days=3)
    assert service.next_round_end(at(friday, 18)) == at(friday + timedelta(days=3), 10, 30)  # Monday morning


def test_the_history_shows_a_week_a_page_and_its_pages_keep_the_filters(client, windows, personas):
    days = [TUESDAY - timedelta(days=n) for n in range(10)]
    Round.objects.bulk_create(
        Round(day=day, slot=slot, window_start=at(day, hour), window_end=at(day, hour + 2), status=Round.Status.MISSED,
              missed_at=at(day, hour + 2))
        for day in days for slot, hour in (("morning", 8), ("noon", 12), ("evening", 17))
    )  # fmt: skip
    client.force_login(personas["community_manager"])
    first = client.get(reverse("rounds:list"), {"status": "missed"}).content.decode().split('class="round-history"')[1]
    assert first.count('class="round-card round-missed"') == 21 and "page 1 sur 2" in first
    assert 'href="?status=missed&amp;page=2">Plus anciens</a>' in first
    second = client.get(reverse("rounds:list"), {"status": "missed", "page": "2"}).content.decode()
    second = second.split('class="round-history"')[1]
    assert second.count('class="round-card round-missed"') == 9 and ">Plus récents</a>" in second
    export = client.get(reverse("rounds:list"), {"status": "missed", "page": "2"}).content.decode()
    assert f'href="{reverse("rounds:export")}?status=missed"' in export  # the CSV: all the filters' rounds
    assert "mar 24/11/2026" in first and "mar 24/11/2026" not in second  # newest first
