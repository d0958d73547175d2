"""Reading the board from the local monday: each column type, paging, cursors, removals, columns."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from vigie.audit.models import AuditEvent
from vigie.planning import client, sync
from vigie.planning.models import Board, PlannedPost
from vigie.planning.tests.conftest import values

pytestmark = pytest.mark.django_db


def test_each_column_type_is_read_from_its_json_value(board, fake_monday, monday_board):
    item = fake_monday.add_item(monday_board, "Portes ouvertes Paris", values(platforms=(1, 2)))
    report = sync.sync(board)
    planned = PlannedPost.objects.get(monday_item_id=item)
    assert planned.publish_at == datetime(2026, 12, 3, 8, 30, tzinfo=UTC)  # date + time (UTC on monday)
    assert planned.has_time
    assert planned.platforms == ["facebook", "linkedin"]  # dropdown ids → labels of the column's settings
    assert planned.status == "À paraître" and not planned.published  # status index → label
    assert planned.subject == "Journée portes ouvertes"  # text
    assert planned.prepared_messages == ["Bonjour {prenom}, merci !", "À bientôt {prenom}."]  # long text
    assert planned.owner == "Camille Durand"  # people ids → names (users query)
    assert (report.created, report.items, report.full) == (1, 1, True)


def test_the_report_summary_writes_french_plurals():
    report = sync.Report(full=True, items=2, created=2, updated=1, removed=0, calls=3, complexity=40)
    assert report.summary() == (
        "lecture complète : 2 éléments lus, 2 nouveaux, 1 modifié, 0 retiré ; 3 appels, complexité 40"
    )
    report = sync.Report(full=False, items=1, created=0, updated=2, removed=2, calls=1, complexity=5)
    assert report.summary() == (
        "éléments modifiés : 1 élément lu, 0 nouveau, 2 modifiés, 2 retirés ; 1 appel, complexité 5"
    )


def test_a_date_without_time_is_a_paris_day_and_a_link_is_its_url(board, fake_monday, monday_board):
    fake_monday.add_item(
        monday_board, "Webinaire", values(time=None, status=1, link="https://www.facebook.com/1/posts/2")
    )
    sync.sync(board)
    planned = PlannedPost.objects.get()
    assert planned.publish_at.isoformat() == "2026-12-02T23:00:00+00:00" and not planned.has_time
    assert planned.link == "https://www.facebook.com/1/posts/2"
    assert planned.status == "Publié" and planned.published


def test_the_display_text_is_not_what_vigie_reads(board, fake_monday, monday_board):
    """monday's `text` of a status is the label; Vigie reads the index and the column's labels, so a
    label renamed on the board is seen at the next read even for items not touched."""
    fake_monday.add_item(monday_board, "Témoignage", values(status=2))
    sync.sync(board)
    status_column = next(c for c in fake_monday.boards[monday_board]["columns"] if c.id == "status")
    status_column.settings["labels"]["2"] = "Programmé"
    sync.sync(board, full=True)
    assert PlannedPost.objects.get().status == "Programmé"


def test_pages_are_read_with_the_cursor_until_it_is_null(board, fake_monday, monday_board, monkeypatch):
    monkeypatch.setattr(client, "PAGE_LIMIT", 2)
    for n in range(5):
        fake_monday.add_item(monday_board, f"Publication {n}", values())
    report = sync.sync(board)
    assert PlannedPost.objects.count() == 5
    assert sum("next_items_page" in q for q in fake_monday.queries) == 2
    assert report.calls == 4  # first page, two next pages, the users' names


def test_an_expired_cursor_starts_the_read_again(board, fake_monday, monday_board, monkeypatch):
    monkeypatch.setattr(client, "PAGE_LIMIT", 2)
    for n in range(3):
        fake_monday.add_item(monday_board, f"Publication {n}", values())
    fake_monday.cursor_ttl = -1  # every cursor is already too old
    first_try = fake_monday.queries
    with pytest.raises(sync.RetryLater, match="curseurs monday.com expirent"):
        sync.sync(board)
    assert sum("query_params" in q for q in first_try) == sync.CURSOR_RESTARTS
    fake_monday.cursor_ttl = 3600

    expired_once = {"left": 1}
    real_next = client.MondayClient.next_page

    def next_page(self, cursor, columns, limit=2):
        if expired_once["left"]:
            expired_once["left"] -= 1
            fake_monday.expire_cursors = True
            try:
                return real_next(self, cursor, columns, limit)
            finally:
                fake_monday.expire_cursors = False
        return real_next(self, cursor, columns, limit)

    monkeypatch.setattr(client.MondayClient, "next_page", next_page)
    report = sync.sync(board)
    assert report.restarts == 1 and PlannedPost.objects.count() == 3


def test_a_later_read_asks_only_what_changed_since(board, fake_monday, monday_board):
    with time_machine.travel(datetime(2026, 11, 30, 7, 0, tzinfo=UTC), tick=False):
        kept = fake_monday.add_item(monday_board, "Sans changement", values())
        changed = fake_monday.add_item(monday_board, "Changera", values())
    with time_machine.travel(datetime(2026, 11, 30, 8, 0, tzinfo=UTC), tick=False):
        sync.sync(board)
    with time_machine.travel(datetime(2026, 11, 30, 8, 20, tzinfo=UTC), tick=False):
        fake_monday.change_values(changed, {"text_mksujet": "Nouveau sujet"})
        board.refresh_from_db()
        report = sync.sync(board)
    assert not report.full and report.items == 1 and report.updated == 1
    assert report.complexity < 1000  # pages of 100 for the changes, not 500
    assert PlannedPost.objects.get(monday_item_id=changed).subject == "Nouveau sujet"
    assert PlannedPost.objects.get(monday_item_id=kept).versions.count() == 1


def test_deleted_and_archived_items_leave_the_planning_with_their_history(board, fake_monday, monday_board):
    deleted = fake_monday.add_item(monday_board, "Supprimée", values())
    archived = fake_monday.add_item(monday_board, "Archivée", values())
    fake_monday.add_item(monday_board, "Restée", values())
    sync.sync(board)
    fake_monday.delete_item(deleted)
    fake_monday.archive_item(archived)
    report = sync.sync(board, full=True)
    assert report.removed == 2
    gone = {p.monday_item_id: p for p in PlannedPost.objects.exclude(removed_at=None)}
    assert (gone[deleted].removed_reason, gone[archived].removed_reason) == ("deleted", "archived")
    assert [v.change for v in gone[deleted].versions.all()] == ["created", "deleted"]
    assert gone[deleted].versions.last().values["name"] == "Supprimée"
    assert AuditEvent.objects.filter(verb="planned_post.deleted", target_id=str(gone[deleted].pk)).exists()
    assert PlannedPost.objects.filter(removed_at=None).count() == 1


def test_a_column_removed_from_the_board_is_reported(board, fake_monday, monday_board):
    fake_monday.add_item(monday_board, "Publication", values())
    sync.sync(board)
    fake_monday.remove_column(monday_board, "long_text_mkmsg")
    sync.sync(board, full=True)
    board.refresh_from_db()
    gone = {
        "field": "prepared_messages",
        "column": "long_text_mkmsg",
        "reason": "removed",
        "title": "Messages préparés",
    }
    assert board.missing == [gone]
    assert PlannedPost.objects.get().prepared_messages == []
    assert board.status == Board.Status.CONNECTED  # the rest is still read
    sync.sync(board, full=True)
    board.refresh_from_db()
    assert board.missing == [gone]  # still said, with the title the admin knew


def test_a_webhook_event_re_reads_its_item(board, fake_monday, monday_board):
    item = fake_monday.add_item(monday_board, "Publication", values())
    sync.sync(board)
    board.refresh_from_db()
    fake_monday.change_values(item, {"status": {"index": 1}})
    assert sync.refresh_item(board, item) == "updated"
    assert PlannedPost.objects.get().status == "Publié"
    fake_monday.delete_item(item)
    assert sync.refresh_item(board, item) == "deleted"


def test_the_same_read_twice_changes_nothing(board, fake_monday, monday_board):
    fake_monday.add_item(monday_board, "Publication", values())
    sync.sync(board)
    report = sync.sync(board, full=True)
    assert (report.created, report.updated, report.removed) == (0, 0, 0)
    assert PlannedPost.objects.get().versions.count() == 1


def test_a_sync_is_paused_while_monday_says_to_wait(board, fake_monday):
    board.retry_at = datetime.now(UTC) + timedelta(minutes=5)
    board.save()
    assert sync.run(board.pk) is None
    assert fake_monday.queries == []


def test_a_webhook_naming_an_item_of_another_board_changes_nothing(board, fake_monday, monday_board):
    other = fake_monday.add_board("Autre tableau")
    stranger = fake_monday.add_item(other, "Pas du planning", values())
    assert sync.refresh_item(board, stranger) == ""
    assert not PlannedPost.objects.exists()


def test_an_item_gone_from_the_board_is_asked_its_state_once(board, fake_monday, monday_board):
    kept = fake_monday.add_item(monday_board, "Restée", values())
    gone = fake_monday.add_item(monday_board, "Archivée", values())
    sync.sync(board)
    fake_monday.archive_item(gone)
    report = sync.sync(board, full=True)
    assert report.removed == 1 and report.calls == 2  # the page, then the state of the missing item
    assert PlannedPost.objects.get(monday_item_id=gone).removed_reason == "archived"
    assert PlannedPost.objects.get(monday_item_id=kept).removed_at is None
