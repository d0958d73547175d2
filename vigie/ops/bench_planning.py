"""`vigie bench planning`: monday.com calls and complexity per sync, for a board of N items (1,000 by
default), against the local monday fake (its complexity model, see vigie/connectors/fake/monday.py).

Everything is written in one transaction that is rolled back: the database is left as it was.
Figures: the first (full) read, a periodic read with nothing changed, one with 10 items changed, the
hourly full read that finds 5 deleted items, a webhook's re-read of one item, and the calls a day
(a read every 10 minutes, a full one every hour).
"""

import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from vigie.connectors.fake.monday import FakeMonday
from vigie.planning import client, sync
from vigie.planning.columns import Column
from vigie.planning.mapping import propose
from vigie.planning.models import Board

READS_A_DAY, FULL_READS_A_DAY = 24 * 6, 24


class _Rollback(Exception):
    pass


def _fill(fake: FakeMonday, items: int) -> tuple[str, list[str]]:
    board_id = fake.add_board()
    ids = []
    for n in range(items):
        day = (timezone.localdate() + timedelta(days=n % 90 - 45)).isoformat()
        values = {
            "date4": {"date": day, "time": f"{8 + n % 10:02d}:30:00"},
            "dropdown_mkplat": {"ids": [1 + n % 3]},
            "status": {"index": 1 if n % 2 else 2},
            "text_mksujet": f"Sujet de la publication {n}",
            "long_text_mkmsg": {"text": f"Bonjour {{prenom}}, merci ({n}) !\n\nÀ bientôt {{prenom}}."},
            "person": {"personsAndTeams": [{"id": 42835270 + n % 3, "kind": "person"}]},
        }
        ids.append(fake.add_item(board_id, f"Publication {n}", values))
    earlier = timezone.now() - timedelta(hours=2)  # the board was filled before Vigie reads it
    for item_id in ids:
        fake.items[item_id].created_at = fake.items[item_id].updated_at = earlier
    return board_id, ids


def _line(out, what: str, before: tuple[int, int], fake: FakeMonday, report, seconds: float) -> None:
    calls, complexity = len(fake.complexity_used) - before[0], sum(fake.complexity_used) - before[1]
    biggest = max(fake.complexity_used[before[0] :], default=0)
    detail = f" ({report.items} éléments lus)" if report is not None else ""
    out(f"planning {what}: {calls} appels, complexité {complexity} (requête la plus lourde {biggest}), "
        f"{seconds * 1000:.0f} ms{detail}")  # fmt: skip


def _measure(out, what: str, fake: FakeMonday, work):
    before = (len(fake.complexity_used), sum(fake.complexity_used))
    started = time.perf_counter()
    report = work()
    _line(out, what, before, fake, report if isinstance(report, sync.Report) else None, time.perf_counter() - started)
    return len(fake.complexity_used) - before[0]


def run_planning_bench(out, items: int = 1000) -> None:
    from django.conf import settings

    fake = FakeMonday()
    fake.start()
    previous_url = settings.MONDAY_API_URL
    settings.MONDAY_API_URL = fake.api_url
    try:
        with transaction.atomic():
            _run(out, fake, items)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        settings.MONDAY_API_URL = previous_url
        fake.stop()


def _run(out, fake: FakeMonday, items: int) -> None:
    board_id, ids = _fill(fake, items)
    columns = [Column.from_api(c) for c in client.MondayClient(fake.token).board(board_id)["columns"]]
    board = Board.objects.create(board_id=board_id, name="bench", token=fake.token, mapping=propose(columns))
    out(f"planning: tableau de {items} éléments, {len(board.mapping)} colonnes lues, pages de {client.PAGE_LIMIT}")
    _measure(out, "première lecture (complète)", fake, lambda: sync.sync(board))
    board.refresh_from_db()
    calls = _measure(out, "lecture périodique, rien de changé", fake, lambda: sync.sync(board))
    for item in ids[:10]:
        fake.change_values(item, {"text_mksujet": "Sujet revu"})
    board.refresh_from_db()
    _measure(out, "lecture périodique, 10 éléments modifiés", fake, lambda: sync.sync(board))
    for item in ids[10:15]:
        fake.delete_item(item)
    board.refresh_from_db()
    full_calls = _measure(out, "lecture complète horaire, 5 éléments supprimés", fake,
                          lambda: sync.sync(board, full=True))  # fmt: skip
    board.refresh_from_db()
    _measure(out, "webhook : relecture d'un élément", fake, lambda: sync.refresh_item(board, ids[20]))
    per_day = (READS_A_DAY - FULL_READS_A_DAY) * calls + FULL_READS_A_DAY * full_calls
    out(f"planning par jour (lecture toutes les 10 min, complète toutes les heures) : environ {per_day} appels "
        "(limites monday.com : 1 000 en Basic/Standard, 10 000 en Pro)")  # fmt: skip
