"""Reading the board into Vigie's planning.

A sync reads the items updated since the last read (one `items_page` call with a `__last_updated__`
rule, a few minutes of overlap), and, once an hour or when asked, the whole board, which is the only
way to see items deleted or archived while no webhook told us. Pages are read with `items_page`
then `next_items_page` and the cursor; an expired cursor restarts the read from the first page
(applying an item twice changes nothing). The first page also brings the board's columns: a mapped
column removed or retyped on monday is reported on the channels page.

A webhook event re-reads its one item (`refresh_item`). Each change of an item keeps a version
(`PlannedPostVersion`); a deleted or archived item leaves the planning (`removed_at`) with its history.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vigie.audit.record import record
from vigie.lib.http import ConnectorError, RetryLater
from vigie.lib.plural import pluriel
from vigie.planning import client as client_module
from vigie.planning import mapping as mappings
from vigie.planning import matching
from vigie.planning.client import CursorExpired, MondayClient
from vigie.planning.columns import Column, is_published, messages_of, platforms_of, read
from vigie.planning.models import Board, PlannedPost, PlannedPostVersion

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(hours=1)
CHANGES_LIMIT = 100  # a periodic read asks for pages of 100: monday charges a page's complexity by its limit
OVERLAP = timedelta(minutes=5)
CURSOR_RESTARTS = 3
FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Report:
    full: bool
    items: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    calls: int = 0
    complexity: int = 0
    restarts: int = 0
    missing: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("full", "items", "created", "updated", "removed", "calls",
                                             "complexity", "restarts")}  # fmt: skip

    def summary(self) -> str:
        kind = "lecture complète" if self.full else "éléments modifiés"
        s = pluriel(self.items)
        return (f"{kind} : {self.items} élément{s} lu{s}, {self.created} nouveau{pluriel(self.created, 'x')}, "
                f"{self.updated} modifié{pluriel(self.updated)}, {self.removed} retiré{pluriel(self.removed)} ; "
                f"{self.calls} appel{pluriel(self.calls)}, complexité {self.complexity}")  # fmt: skip


def client_for(board: Board) -> MondayClient:
    if not board.token:
        raise ConnectorError("Aucun jeton monday.com enregistré : reconnectez le tableau.", reconnect=True)
    return MondayClient(board.token)


def updated_since(moment: datetime) -> dict:
    stamp = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    rule = {"column_id": "__last_updated__", "compare_value": ["EXACT", stamp], "operator": "greater_than",
            "compare_attribute": "UPDATED_AT"}  # fmt: skip
    return {"rules": [rule]}


# --- one board, one read -----------------------------------------------------------------------------


def sync(board: Board, *, full: bool = False, client: MondayClient | None = None) -> Report:
    """Read the board and apply what changed; raises ConnectorError / RetryLater (see `run`)."""
    client = client or client_for(board)
    started = timezone.now()
    full = full or board.read_since is None or board.swept_at is None or board.swept_at <= started - SWEEP_EVERY
    report = Report(full=full)
    params = None if full else updated_since(board.read_since - OVERLAP)
    info, items = _read_all(client, board, params, report)
    columns = [Column.from_api(c) for c in info.get("columns") or []]
    people = _names(board, client, items, columns)  # monday is asked outside the transaction
    gone = _gone(board, client, {str(item["id"]) for item in items}) if full else {}
    with transaction.atomic():
        board = Board.objects.select_for_update().get(pk=board.pk)
        board.people = {**board.people, **people}
        known = {p.monday_item_id: p for p in board.planned_posts.filter(monday_item_id__in=[i["id"] for i in items])}
        for item in items:
            _count(report, apply_item(board, item, columns, known.get(str(item["id"]))))
        for planned in board.planned_posts.filter(removed_at=None, monday_item_id__in=list(gone)):
            report.removed += bool(remove(planned, gone[planned.monday_item_id]))
        report.missing = _missing(board, columns)
        _done(board, info, columns, report, started)
    report.calls, report.complexity = client.calls, client.complexity
    Board.objects.filter(pk=board.pk).update(last_sync=report.as_dict())
    match_board(board)
    return report


def _read_all(client: MondayClient, board: Board, params: dict | None, report: Report) -> tuple[dict, list[dict]]:
    columns = list(board.mapping.values())
    limit = client_module.PAGE_LIMIT if report.full else CHANGES_LIMIT
    for _ in range(CURSOR_RESTARTS):
        try:
            page = client.first_page(board.board_id, columns, params, limit)
            items, cursor = list(page["items"]), page["cursor"]
            while cursor:
                following = client.next_page(cursor, columns, limit)
                items += following["items"]
                cursor = following["cursor"]
            return page["board"], items
        except CursorExpired as exc:
            log.warning("monday board %s: %s", board.board_id, exc)
            report.restarts += 1
    raise RetryLater("Les curseurs monday.com expirent avant la fin de la lecture : nouvel essai plus tard.", 300)


def _count(report: Report, change: str) -> None:
    report.items += 1
    if change == "created":
        report.created += 1
    elif change in ("updated", "restored"):
        report.updated += 1
    elif change in ("archived", "deleted"):
        report.removed += 1


def _missing(board: Board, columns: list[Column]) -> list[dict]:
    """What no longer maps, with the column's title as the admin knew it (kept from read to read)."""
    known = {c["id"]: c["title"] for c in board.columns} | {m["column"]: m.get("title") for m in board.missing}
    return [
        gone | {"title": known.get(gone["column"]) or gone["column"]}
        for gone in mappings.missing(board.mapping, columns)
    ]


def _done(board: Board, info: dict, columns: list[Column], report: Report, started: datetime) -> None:
    board.name = info.get("name") or board.name
    board.columns = [c.as_dict() for c in columns]
    board.missing = report.missing
    board.status, board.last_error, board.retry_at = Board.Status.CONNECTED, "", None
    board.read_since, board.last_sync_at = started, timezone.now()
    if report.full:
        board.swept_at = started
    board.save()


def _names(board: Board, client: MondayClient, items: list[dict], columns: list[Column]) -> dict[str, str]:
    """Names of the people the owner column points at that Vigie does not know yet (one call)."""
    column_id = board.mapping.get("owner")
    by_id = {c.id: c for c in columns}
    wanted = set()
    for item in items:
        for cell in item.get("column_values") or []:
            if cell.get("id") == column_id:
                wanted |= set(read(cell, by_id.get(column_id)) or [])
    unknown = sorted(i for i in wanted if str(i) not in board.people)
    if not unknown:
        return {}
    found = {str(k): v for k, v in client.users(unknown).items()}
    board.people = {**board.people, **found}  # values_of reads them before the transaction saves them
    return found


# --- one item ----------------------------------------------------------------------------------------


def values_of(item: dict, board: Board, columns: list[Column]) -> dict:
    """What the item says, field by field, read by column type; JSON-ready (versions keep it)."""
    by_id = {c.id: c for c in columns}
    cells = {cell.get("id"): cell for cell in item.get("column_values") or []}

    def get(name: str):
        column_id = board.mapping.get(name)
        cell = cells.get(column_id)
        return read(cell, by_id.get(column_id)) if cell is not None else None

    when = get("publish_at")
    status = get("status") or ""
    owners = get("owner") or []
    return {
        "name": item.get("name") or "",
        "group": (item.get("group") or {}).get("title", ""),
        "publish_at": when.at.isoformat() if when else None,
        "has_time": bool(when and when.has_time),
        "platforms": platforms_of(get("platforms")),
        "status": status if isinstance(status, str) else "",
        "subject": str(get("subject") or ""),
        "prepared_messages": messages_of(str(get("prepared_messages") or "")),
        "link": str(get("link") or ""),
        "owner": ", ".join(board.people.get(str(p), "") for p in owners if isinstance(p, int)).strip(", "),
    }


def _fields(values: dict) -> dict:
    publish_at = datetime.fromisoformat(values["publish_at"]) if values["publish_at"] else None
    return {
        "name": values["name"][:500], "group": values["group"][:200], "publish_at": publish_at,
        "has_time": values["has_time"], "sort_at": publish_at or FAR_PAST, "platforms": values["platforms"],
        "status": values["status"][:200], "published": is_published(values["status"]), "subject": values["subject"],
        "prepared_messages": values["prepared_messages"], "link": values["link"][:1000],
        "owner": values["owner"][:300],
    }  # fmt: skip


def apply_item(board: Board, item: dict, columns: list[Column], planned: PlannedPost | None = None) -> str:
    """Create, update or remove the planned post of this item (`planned`, when the caller already has
    it); returns what changed ("" for nothing)."""
    if planned is None:
        planned = PlannedPost.objects.filter(board=board, monday_item_id=str(item["id"])).first()
    state = item.get("state") or "active"
    if state != "active":
        return remove(planned, state) if planned is not None else ""
    values = values_of(item, board, columns)
    if planned is not None and planned.values == values and planned.removed_at is None:
        return ""
    change = "created" if planned is None else ("restored" if planned.removed_at else "updated")
    if planned is None:
        planned = PlannedPost(board=board, monday_item_id=str(item["id"]))
    elif planned.match == PlannedPost.Match.LINK and values["link"] != planned.link:
        planned.post, planned.match = None, PlannedPost.Match.NONE  # the board now points elsewhere
    for name, value in _fields(values).items():
        setattr(planned, name, value)
    planned.values, planned.monday_updated_at = values, _parsed(item.get("updated_at"))
    planned.removed_at, planned.removed_reason = None, ""
    planned.save()
    PlannedPostVersion.objects.create(planned_post=planned, values=values, change=change)
    return change


def remove(planned: PlannedPost, state: str) -> str:
    """The item was archived or deleted on monday: it leaves the planning, its history stays."""
    if planned.removed_at is not None:
        return ""
    reason = "archived" if state == "archived" else "deleted"
    planned.removed_at, planned.removed_reason = timezone.now(), reason
    planned.save(update_fields=["removed_at", "removed_reason"])
    PlannedPostVersion.objects.create(planned_post=planned, values=planned.values, change=reason)
    word = "archivé" if reason == "archived" else "supprimé"
    record(None, f"planned_post.{reason}", planned, summary=f"Élément {word} sur monday.com : {planned.name}",
           actor_label="monday.com")  # fmt: skip
    return reason


def _gone(board: Board, client: MondayClient, seen: set[str]) -> dict[str, str]:
    """After a full read, the items Vigie still plans that the board no longer lists → "archived" or
    "deleted" (monday is asked their state; an item it no longer returns is deleted)."""
    ids = list(board.planned_posts.filter(removed_at=None).exclude(monday_item_id__in=seen)
               .values_list("monday_item_id", flat=True))  # fmt: skip
    states = {}
    for start in range(0, len(ids), 100):
        states |= {str(i["id"]): i.get("state") or "deleted" for i in client.items(ids[start : start + 100], [])}
    return {item_id: states.get(item_id, "deleted") for item_id in ids if states.get(item_id) != "active"}


def _parsed(stamp: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else None
    except ValueError:
        return None


# --- webhooks: one item re-read ----------------------------------------------------------------------


def refresh_item(board: Board, item_id: str, client: MondayClient | None = None) -> str:
    client = client or client_for(board)
    found = client.items([item_id], list(board.mapping.values()))
    item = found[0] if found else {"id": item_id, "state": "deleted"}
    if found and str((item.get("board") or {}).get("id")) != board.board_id:
        log.warning("monday webhook: item %s is not on board %s", item_id, board.board_id)
        return ""
    columns = [Column(c["id"], c["title"], c["type"], c.get("settings") or {}) for c in board.columns]
    with transaction.atomic():
        change = apply_item(Board.objects.select_for_update().get(pk=board.pk), item, columns)
    match_board(board)
    return change


# --- matching after a read ---------------------------------------------------------------------------


SUGGEST_WITHIN = timedelta(days=14)


def match_board(board: Board, within: timedelta | None = SUGGEST_WITHIN) -> None:
    """Link by the link column; suggest a post for what should be out by now (`within` the last two weeks,
    None: whenever) and has neither a post nor a suggestion waiting for a person."""
    now = timezone.now()
    pending = board.planned_posts.filter(removed_at=None, post=None)
    due = Q(publish_at__lte=now, match=PlannedPost.Match.NONE)
    if within is not None:
        due &= Q(publish_at__gte=now - within)
    for planned in pending.filter(Q(link__gt="") | due):
        with transaction.atomic():
            _match_one(planned)


def _match_one(planned: PlannedPost) -> None:
    if planned.link:
        post = matching.post_for_link(planned.link)
        if post is not None and planned.post_id != post.pk:
            planned.post, planned.match, planned.suggested_post = post, PlannedPost.Match.LINK, None
            planned.save(update_fields=["post", "match", "suggested_post"])
            record(None, "planned_post.linked", planned, summary=f"Rapprochée par le lien du tableau : {planned.name}",
                   after={"post_id": post.pk}, actor_label="monday.com")  # fmt: skip
            return
    if planned.post_id is None:
        candidate = matching.best_candidate(planned)
        if candidate is not None and candidate.pk != planned.suggested_post_id:
            planned.suggested_post, planned.match = candidate, PlannedPost.Match.SUGGESTED
            planned.save(update_fields=["suggested_post", "match"])


# --- the job's side: state of the board --------------------------------------------------------------


def run(board_pk: int, *, full: bool = False) -> Report | None:
    """Sync one board and keep its state for the channels page: paused until monday's limit resets,
    « À reconnecter » for a refused token, « En erreur » with the reason otherwise."""
    board = Board.objects.filter(pk=board_pk).first()
    if board is None or board.status in (Board.Status.DISABLED, Board.Status.TO_RECONNECT):
        return None
    if board.retry_at and board.retry_at > timezone.now():
        return None
    try:
        return sync(board, full=full)
    except RetryLater as exc:
        retry_at = timezone.now() + timedelta(seconds=exc.retry_after)
        _failed(board, Board.Status.PAUSED, str(exc), retry_at)
    except ConnectorError as exc:
        _failed(board, Board.Status.TO_RECONNECT if exc.reconnect else Board.Status.FAILING, str(exc), None)
    return None


def _failed(board: Board, status: str, message: str, retry_at) -> None:
    log.warning("monday board %s: %s", board.board_id, message)
    Board.objects.filter(pk=board.pk).update(status=status, last_error=message, retry_at=retry_at)
