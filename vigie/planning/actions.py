"""Every change a person makes to the planning: one transaction, its audit event inside, the board's
read queued after commit. The token is kept encrypted and never written to the audit."""

from django.db import transaction

from vigie.audit.record import record
from vigie.inbox.models import Post
from vigie.planning import mapping as mappings
from vigie.planning import tasks
from vigie.planning.client import MondayClient
from vigie.planning.columns import Column
from vigie.planning.models import Board, PlannedPost


class PlanningError(ValueError):
    """A request the planning refuses, with the French reason to show."""


def board_columns(token: str, board_id: str) -> tuple[dict, list[Column]]:
    """The board (id, name) and its columns, read with this token (raises ConnectorError / RetryLater)."""
    info = MondayClient(token).board(board_id)
    return info, [Column.from_api(c) for c in info.get("columns") or []]


def connect_board(
    token: str, board_id: str, mapping: dict[str, str], *, by, actor_label: str = "", queue_read: bool = True
) -> Board:
    """Connect (or reconnect) the board with this token and this column mapping, checked against the
    board's columns; a full read is queued (unless the caller reads it itself)."""
    token, board_id = token.strip(), str(board_id).strip()
    if not token:
        raise PlanningError("Le jeton d'API monday.com est obligatoire.")
    info, columns = board_columns(token, board_id)
    problems = mappings.errors(mapping, columns)
    if problems:
        raise PlanningError(" ".join(problems.values()))
    with transaction.atomic():
        board = Board.objects.select_for_update().filter(board_id=board_id).first() or Board(board_id=board_id)
        created = board.pk is None
        before = {} if created else _state(board)
        board.name, board.token, board.mapping = info.get("name") or board_id, token, dict(mapping)
        board.columns, board.missing = [c.as_dict() for c in columns], []
        board.status, board.last_error, board.retry_at = Board.Status.CONNECTED, "", None
        board.save()
        verb = "Tableau monday.com connecté" if created else "Tableau monday.com reconnecté"
        record(by, "planning.board_connected", board, summary=f"{verb} : {board.name}", before=before,
               after=_state(board), actor_label=actor_label)  # fmt: skip
        if queue_read:
            tasks.sync_after_commit(board.pk, full=True)
    return board


def disconnect_board(board: Board, *, by) -> Board:
    with transaction.atomic():
        board = Board.objects.select_for_update().get(pk=board.pk)
        before = _state(board)
        board.token, board.status = "", Board.Status.DISABLED
        board.save(update_fields=["token", "status"])
        record(by, "planning.board_disconnected", board, summary=f"Tableau monday.com déconnecté : {board.name}",
               before=before, after=_state(board))  # fmt: skip
    return board


def request_sync(board: Board, *, by) -> None:
    if board.status == Board.Status.DISABLED or not board.token:
        raise PlanningError("Ce tableau n'est pas connecté : reconnectez-le avant de le relire.")
    if board.status == Board.Status.TO_RECONNECT:
        raise PlanningError("monday.com a refusé le jeton : saisissez un nouveau jeton pour reconnecter le tableau.")
    with transaction.atomic():
        record(by, "planning.sync_requested", board, summary=f"Relecture complète demandée : {board.name}")
        Board.objects.filter(pk=board.pk).update(retry_at=None)
        tasks.sync_after_commit(board.pk, full=True)


def confirm_match(planned: PlannedPost, post: Post, *, by) -> PlannedPost:
    """A person says this planned post is that real post."""
    with transaction.atomic():
        planned = PlannedPost.objects.select_for_update().get(pk=planned.pk)
        before = {"post_id": planned.post_id, "match": planned.match}
        planned.post, planned.suggested_post, planned.match = post, None, PlannedPost.Match.CONFIRMED
        planned.save(update_fields=["post", "suggested_post", "match"])
        record(by, "planned_post.match_confirmed", planned,
               summary=f"Publication rapprochée du planning : « {planned.name} »", before=before,
               after={"post_id": post.pk, "match": planned.match})  # fmt: skip
    return planned


def reject_suggestion(planned: PlannedPost, *, by) -> PlannedPost:
    """A person says the suggested post is not this one: it will not be suggested again."""
    with transaction.atomic():
        planned = PlannedPost.objects.select_for_update().get(pk=planned.pk)
        if planned.suggested_post_id is None:
            raise PlanningError("Aucun rapprochement proposé pour cette publication.")
        rejected = planned.suggested_post_id
        planned.rejected_posts = [*(planned.rejected_posts or []), rejected]
        planned.suggested_post, planned.match = None, PlannedPost.Match.NONE
        planned.save(update_fields=["rejected_posts", "suggested_post", "match"])
        summary = f"Rapprochement refusé pour « {planned.name} »"
        record(by, "planned_post.match_rejected", planned, summary=summary, after={"rejected_post_id": rejected})
    return planned


def _state(board: Board) -> dict:
    return {"board_id": board.board_id, "name": board.name, "status": board.status, "mapping": board.mapping,
            "token_stored": bool(board.token)}  # fmt: skip
