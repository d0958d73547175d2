"""Background jobs of the planning: the periodic read of each connected board, a webhook's item re-read.
Jobs take ids; running one twice does the work once (applying an item is idempotent)."""

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from vigie.planning import sync
from vigie.planning.models import Board, connected_boards


@db_task()
def sync_board(board_pk: int, full: bool = False) -> None:
    sync.run(board_pk, full=full)


@db_task(retries=2, retry_delay=30)
def refresh_item(board_pk: int, item_id: str) -> None:
    """A webhook said this item changed: read it again (a failure leaves it to the periodic read)."""
    board = Board.objects.filter(pk=board_pk, status=Board.Status.CONNECTED).first()
    if board is not None:
        sync.refresh_item(board, item_id)


@db_periodic_task(crontab(minute="*/10"))
def sync_connected_boards() -> None:
    for pk in connected_boards().values_list("pk", flat=True):
        sync_board(pk)


def sync_after_commit(board_pk: int, full: bool = False) -> None:
    transaction.on_commit(lambda: sync_board(board_pk, full))


def refresh_after_commit(board_pk: int, item_id: str) -> None:
    transaction.on_commit(lambda: refresh_item(board_pk, item_id))
