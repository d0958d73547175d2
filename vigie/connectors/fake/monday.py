"""A local monday.com account (GraphQL API, platform-apis.md §4), for the tests and the demo.

`POST /v2` only. Queries are parsed, validated and executed by graphql-core against a schema that
follows monday's own names (boards, columns with `settings_str`, items_page with `query_params`,
next_items_page, items, users, complexity, version), so a query monday would refuse is refused here
with GraphQL's error. As monday does:
- the token is the raw `Authorization` header (no « Bearer »); a wrong one gets HTTP 401 with the
  recorded body (payloads/monday-error-not-authenticated.json);
- every answer carries `extensions.request_id` and the `X-Request-Id` / `Api-Version` headers;
- application errors come back with HTTP 200 and `errors[].extensions.code`: ComplexityException
  (over 5,000,000 points in one query), COMPLEXITY_BUDGET_EXHAUSTED with `retry_in_seconds` (the
  per-minute budget), DAILY_LIMIT_EXCEEDED, CursorException (a cursor older than `cursor_ttl`, or
  any cursor once `expire_cursors` is set), USER_UNAUTHORIZED;
- column values carry `type`, `text` and `value` (a JSON-encoded string, null when empty);
- cursors are opaque, valid 60 minutes, null on the last page.

Complexity is this fake's own model, computed from the query before it runs (monday does not publish
its formula): each object field costs 1 plus its children, multiplied by the number of rows a list
field may return (`limit`, or the ids given, or the board's columns). Counters: `calls`,
`complexity_used` (every query's cost), `queries` (the text of each).

The team edits the board through methods (`add_item`, `change_values`, `archive_item`,
`delete_item`, `remove_column`); `send_event` delivers a board webhook signed with `signing_secret`
(a JWT in `Authorization`, as monday signs app webhooks), `register_webhook` does monday's
`challenge` handshake.
"""

import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import jwt
from graphql import (
    GraphQLError,
    GraphQLScalarType,
    build_schema,
    execute,
    parse,
    validate,
)
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode, IntValueNode, ListValueNode

from vigie.connectors.fake.server import FakeServer, Request, Response, from_opaque, now, opaque, zulu

TOKEN = "eyJhbGciOiJIUzI1NiJ9.fake-monday-personal-token"  # noqa: S105
SIGNING_SECRET = "fake-monday-signing-secret-of-the-local-app"  # noqa: S105
ACCOUNT_ID = 1825528
CURRENT_VERSION = "2025-10"
MAX_QUERY_COMPLEXITY = 5_000_000
MINUTE_BUDGET = 10_000_000  # personal token, paid plan
DAILY_CALLS = 10_000  # Pro plan (soft)
CURSOR_TTL = 3600.0
MAX_LIMIT = 500
DEFAULT_LIMIT = 25

SDL = """
scalar JSON
scalar CompareValue

enum State { active all archived deleted }
enum ItemsQueryRuleOperator { any_of not_any_of is_empty is_not_empty greater_than greater_than_or_equals
  lower_than lower_than_or_equal between contains_text not_contains_text }
enum ItemsQueryOperator { and or }

input ItemsQueryRule { column_id: ID! compare_value: CompareValue operator: ItemsQueryRuleOperator
  compare_attribute: String }
input ItemsQuery { rules: [ItemsQueryRule!] operator: ItemsQueryOperator ids: [ID!] }

type Query {
  boards(ids: [ID!], limit: Int, page: Int, state: State): [Board]
  items(ids: [ID!], limit: Int, exclude_nonactive: Boolean): [Item]
  next_items_page(cursor: String!, limit: Int): ItemsResponse!
  users(ids: [ID!], limit: Int): [User]
  me: User
  complexity: Complexity
  version: Version
}

type Board {
  id: ID!
  name: String!
  state: State!
  items_count: Int
  columns(ids: [String]): [Column]
  groups: [Group]
  items_page(limit: Int, cursor: String, query_params: ItemsQuery): ItemsResponse!
}
type Column { id: ID! title: String! type: String! settings_str: String! archived: Boolean! }
type Group { id: ID! title: String! }
type ItemsResponse { cursor: String items: [Item!]! }
type Item {
  id: ID!
  name: String!
  state: State
  created_at: String
  updated_at: String
  group: Group
  board: Board
  column_values(ids: [String!]): [ColumnValue!]!
}
type User { id: ID! name: String! email: String }
type Complexity { before: Int! after: Int! query: Int! reset_in_x_seconds: Int! }
type Version { kind: String! value: String! display_name: String! }

interface ColumnValue { id: ID! type: String! text: String value: JSON column: Column! }
type StatusValue implements ColumnValue { id: ID! type: String! text: String value: JSON column: Column!
  index: Int label: String is_done: Boolean }
type DateValue implements ColumnValue { id: ID! type: String! text: String value: JSON column: Column!
  date: String time: String }
type PeopleValue implements ColumnValue { id: ID! type: String! text: String value: JSON column: Column! }
type DropdownValue implements ColumnValue { id: ID! type: String! text: String value: JSON column: Column! }
type TextValue implements ColumnValue { id: ID! type: String! text: String value: JSON column: Column! }
type LongTextValue implements ColumnValue { id: ID! type: String! text: String value: JSON column: Column! }
type LinkValue implements ColumnValue { id: ID! type: String! text: String value: JSON column: Column!
  url: String url_text: String }
type NumbersValue implements ColumnValue { id: ID! type: String! text: String value: JSON column: Column! }
type CheckboxValue implements ColumnValue { id: ID! type: String! text: String value: JSON column: Column! }
type SubtasksValue implements ColumnValue { id: ID! type: String! text: String value: JSON column: Column! }
type MirrorValue implements ColumnValue { id: ID! type: String! text: String value: JSON column: Column!
  display_value: String! }
"""

VALUE_TYPES = {
    "status": "StatusValue", "date": "DateValue", "people": "PeopleValue", "dropdown": "DropdownValue",
    "text": "TextValue", "long_text": "LongTextValue", "link": "LinkValue", "numbers": "NumbersValue",
    "checkbox": "CheckboxValue", "subtasks": "SubtasksValue", "mirror": "MirrorValue",
}  # fmt: skip


@dataclass
class Column:
    id: str
    title: str
    type: str
    settings: dict = field(default_factory=dict)
    archived: bool = False

    @property
    def settings_str(self) -> str:
        return json.dumps(self.settings)


@dataclass
class Item:
    id: str
    board: str
    name: str
    group: dict
    values: dict  # column id → the value as monday stores it (dict), absent when empty
    created_at: datetime
    updated_at: datetime
    seq: int
    state: str = "active"


PLANNING_COLUMNS = [
    Column("date4", "Date de publication", "date"),
    Column("dropdown_mkplat", "Plateformes", "dropdown",
           {"labels": [{"id": 1, "name": "Facebook"}, {"id": 2, "name": "LinkedIn"}, {"id": 3, "name": "YouTube"}]}),
    Column("status", "Statut", "status",
           {"labels": {"0": "En préparation", "1": "Publié", "2": "À paraître", "5": ""}, "done_colors": [1]}),
    Column("text_mksujet", "Sujet", "text"),
    Column("long_text_mkmsg", "Messages préparés", "long_text"),
    Column("link_mklien", "Lien de la publication", "link"),
    Column("person", "Responsable", "people"),
    Column("subitems_mk", "Sous-éléments", "subtasks"),
]  # fmt: skip
GROUPS = [{"id": "topics", "title": "À venir"}, {"id": "group_published", "title": "Publiés"}]
USERS = {42835270: "Camille Durand", 42835271: "Sophie Lemoine", 42835272: "Lucas Bernard"}


class FakeMonday(FakeServer):
    name = "monday"
    api_root = "/v2"

    def __init__(self, *, token: str = TOKEN, signing_secret: str = SIGNING_SECRET):
        self.token, self.signing_secret = token, signing_secret
        self.schema = _schema()
        super().__init__()
        self.reset()

    def reset(self) -> None:
        """An account with no boards, no faults, a fresh budget (tests share one running server)."""
        with self.lock:
            super().reset()
            self.boards: dict[str, dict] = {}
            self.items: dict[str, Item] = {}
            self.users = dict(USERS)
            self.queries: list[str] = []
            self.complexity_used: list[int] = []
            self.minute_budget, self.budget_used, self.budget_window = MINUTE_BUDGET, 0, time.time()
            self.daily_calls, self.calls_today = DAILY_CALLS, 0
            self.cursor_ttl, self.expire_cursors = CURSOR_TTL, False
            self.unauthorized = False  # the token's user lost access to the boards (USER_UNAUTHORIZED)
            self.retry_after_seconds = 30  # Retry-After of the 429 fault
            self._ids = itertools.count(18265998488)

    # --- the team, on monday.com ---------------------------------------------------------------------

    def add_board(self, name: str = "Planning | Réseaux sociaux", columns: list[Column] | None = None) -> str:
        with self.lock:
            board_id = str(next(self._ids))
            cols = [Column(c.id, c.title, c.type, dict(c.settings)) for c in (columns or PLANNING_COLUMNS)]
            self.boards[board_id] = {"id": board_id, "name": name, "columns": cols, "groups": list(GROUPS)}
            return board_id

    def add_item(self, board_id: str, name: str, values: dict | None = None, group: str = "topics") -> str:
        with self.lock:
            seq = next(self._ids)
            groups = {g["id"]: g for g in self.boards[board_id]["groups"]}
            created = now()
            item = Item(str(seq), board_id, name, groups[group], {}, created, created, seq)
            self.items[item.id] = item
            self._set_values(item, values or {})
            return item.id

    def change_values(self, item_id: str, values: dict | None = None, name: str | None = None) -> None:
        with self.lock:
            item = self.items[item_id]
            if name is not None:
                item.name = name
            self._set_values(item, values or {})
            item.updated_at = now()

    def archive_item(self, item_id: str) -> None:
        with self.lock:
            self.items[item_id].state, self.items[item_id].updated_at = "archived", now()

    def delete_item(self, item_id: str) -> None:
        with self.lock:
            self.items[item_id].state, self.items[item_id].updated_at = "deleted", now()

    def remove_column(self, board_id: str, column_id: str) -> None:
        with self.lock:
            board = self.boards[board_id]
            board["columns"] = [c for c in board["columns"] if c.id != column_id]
            for item in self.items.values():
                item.values.pop(column_id, None)

    def _set_values(self, item: Item, values: dict) -> None:
        stamp = zulu(now()).replace("Z", ".000Z")
        for column_id, value in values.items():
            if value is None:
                item.values.pop(column_id, None)
            else:
                item.values[column_id] = dict(value, changed_at=stamp) if isinstance(value, dict) else value

    # --- webhooks ------------------------------------------------------------------------------------

    def register_webhook(self, url: str) -> bool:
        """monday's URL check: a random `challenge` POSTed, which the endpoint must echo back."""
        challenge = uuid.uuid4().hex
        response = httpx.post(url, json={"challenge": challenge}, timeout=10)
        return response.status_code == 200 and response.json().get("challenge") == challenge

    def event(self, item_id: str, kind: str = "update_column_value", column_id: str = "") -> dict:
        item = self.items[item_id]
        event = {"userId": 42835270, "originalTriggerUuid": None, "boardId": int(item.board),
                 "pulseId": int(item.id), "pulseName": item.name, "groupId": item.group["id"],
                 "app": "monday", "type": kind, "triggerTime": zulu(now()).replace("Z", ".000Z"),
                 "subscriptionId": 147295839, "triggerUuid": uuid.uuid4().hex}  # fmt: skip
        if column_id:
            event["columnId"] = column_id
        return {"event": event}

    def authorization(self, url: str, secret: str | None = None, expires_in: int = 300) -> str:
        claims = {"accountId": ACCOUNT_ID, "userId": 42835270, "aud": url, "iat": int(time.time()),
                  "exp": int(time.time()) + expires_in, "shortLivedToken": "fake-short-lived"}  # fmt: skip
        return jwt.encode(claims, secret or self.signing_secret, algorithm="HS256")

    def send_event(self, url: str, item_id: str, kind: str = "update_column_value") -> httpx.Response:
        headers = {"Authorization": self.authorization(url), "User-Agent": "monday-webhooks"}
        return httpx.post(url, json=self.event(item_id, kind), headers=headers, timeout=10)

    # --- HTTP ----------------------------------------------------------------------------------------

    def register_routes(self) -> None:
        self.route("POST", r"/v2", self._graphql)

    def authenticate(self, request: Request) -> Response | None:
        if request.headers.get("authorization", "") != self.token:
            return Response(401, {"errors": [{"message": "Not authenticated",
                                              "extensions": {"code": "NOT_AUTHENTICATED"}}]})  # fmt: skip
        return None

    def expired_token_response(self) -> Response:
        return self.authenticate(Request("POST", "/v2", {}, {}, b""))

    def rate_limit_response(self) -> Response:
        body = {"errors": [{"message": "Rate Limit Exceeded", "extensions": {"code": "RATE_LIMIT_EXCEEDED"}}]}
        return Response(429, body, {"Retry-After": str(self.retry_after_seconds)})

    def _graphql(self, request: Request) -> Response:
        request_id = str(uuid.uuid4())
        headers = {"X-Request-Id": request_id, "Api-Version": request.headers.get("api-version", CURRENT_VERSION)}
        try:
            payload = request.json()
            query, variables = payload["query"], payload.get("variables") or {}
        except (ValueError, KeyError, TypeError):
            return Response(400, {"errors": [{"message": "Malformed JSON body"}]}, headers)
        self.queries.append(query)
        try:
            document = parse(query)
        except GraphQLError as exc:
            body = {"errors": [exc.formatted | {"extensions": {"code": "ParseError"}}]}
            return Response(400, body | {"extensions": {"request_id": request_id}}, headers)
        problems = validate(self.schema, document)
        if problems:
            body = {"errors": [p.formatted | {"extensions": {"code": "GraphQLValidationError"}} for p in problems]}
            return Response(400, body | {"extensions": {"request_id": request_id}}, headers)
        body = self._answer(document, variables)
        return Response(200, body | {"extensions": {"request_id": request_id}}, headers)

    def _answer(self, document, variables: dict) -> dict:
        self.calls_today += 1
        if self.calls_today > self.daily_calls:
            return _error("Daily limit exceeded", "DAILY_LIMIT_EXCEEDED", status_code=429)
        if self.unauthorized:
            return _error("User unauthorized to perform action", "USER_UNAUTHORIZED", status_code=403)
        cost = complexity_of(document, variables, self)
        if cost > MAX_QUERY_COMPLEXITY:
            return _error(f"Query has complexity of {cost}, which exceeds max complexity of {MAX_QUERY_COMPLEXITY}",
                          "ComplexityException", status_code=429)  # fmt: skip
        before, reset_in = self._spend(cost)
        if before is None:
            return _error("Complexity budget exhausted", "COMPLEXITY_BUDGET_EXHAUSTED", status_code=429,
                          retry_in_seconds=reset_in)  # fmt: skip
        self.complexity_used.append(cost)
        context = {"complexity": {"before": before, "after": before - cost, "query": cost,
                                  "reset_in_x_seconds": reset_in}}  # fmt: skip
        result = execute(self.schema, document, root_value=_Root(self), context_value=context,
                         variable_values=variables)  # fmt: skip
        body: dict = {"data": result.data}
        if result.errors:
            body["errors"] = [_formatted(e) for e in result.errors]
        return body

    def _spend(self, cost: int) -> tuple[int | None, int]:
        now = time.time()
        if now - self.budget_window >= 60:
            self.budget_window, self.budget_used = now, 0
        reset_in = max(1, int(60 - (now - self.budget_window)))
        if self.budget_used + cost > self.minute_budget:
            return None, reset_in
        before = self.minute_budget - self.budget_used
        self.budget_used += cost
        return before, reset_in

    # --- what the resolvers read ---------------------------------------------------------------------

    def active_items(self, board_id: str) -> list[Item]:
        return sorted((i for i in self.items.values() if i.board == board_id and i.state == "active"),
                      key=lambda i: i.seq)  # fmt: skip

    def make_cursor(self, board_id: str, rules: list, offset: int) -> str:
        raw = json.dumps({"b": board_id, "r": rules, "o": offset, "t": time.time()})
        return opaque(raw)

    def read_cursor(self, cursor: str) -> dict:
        try:
            state = json.loads(from_opaque(cursor))
            state["b"], state["o"]  # noqa: B018
        except (ValueError, KeyError, TypeError):
            raise _CursorError("CursorException: invalid cursor") from None
        if self.expire_cursors or time.time() - state["t"] > self.cursor_ttl:
            raise _CursorError("CursorExpiredError: The cursor provided for pagination has expired. "
                               "Please refresh your query and obtain a new cursor.")  # fmt: skip
        return state


class _CursorError(GraphQLError):
    def __init__(self, message: str):
        super().__init__(message, extensions={"code": "CursorException", "status_code": 200})


def _error(message: str, code: str, status_code: int = 200, **extra) -> dict:
    extensions = {"code": code, "status_code": status_code, "error_data": {}, "service": "monolith"} | extra
    return {"data": None, "errors": [{"message": message, "extensions": extensions}]}


def _formatted(error: GraphQLError) -> dict:
    formatted = error.formatted
    formatted.setdefault("extensions", {}).setdefault("code", "INTERNAL_SERVER_ERROR")
    return formatted


def _schema():
    schema = build_schema(SDL)
    json_scalar = schema.type_map["JSON"]
    assert isinstance(json_scalar, GraphQLScalarType)
    schema.type_map["ColumnValue"].resolve_type = lambda value, *_: VALUE_TYPES.get(value["type"], "TextValue")
    fields = schema.type_map
    fields["Board"].fields["items_page"].resolve = _items_page
    fields["Board"].fields["columns"].resolve = _columns
    fields["Item"].fields["column_values"].resolve = _column_values
    fields["Item"].fields["board"].resolve = lambda item, info: info.root_value.board(item["board"])
    return schema


class _Root:
    """Query fields, reading the fake's state (under its lock: the handler holds it)."""

    def __init__(self, fake: FakeMonday):
        self.fake = fake

    def board(self, board_id: str) -> dict:
        board = self.fake.boards[board_id]
        return board | {"state": "active", "items_count": len(self.fake.active_items(board_id))}

    def boards(self, info, ids=None, limit=DEFAULT_LIMIT, page=1, state="active"):
        wanted = [str(i) for i in ids] if ids else sorted(self.fake.boards)
        found = [self.board(b) for b in wanted if b in self.fake.boards]
        start = (max(page or 1, 1) - 1) * (limit or DEFAULT_LIMIT)
        return found[start : start + (limit or DEFAULT_LIMIT)]

    def items(self, info, ids=None, limit=DEFAULT_LIMIT, exclude_nonactive=False):
        found = [self.fake.items[str(i)] for i in ids or [] if str(i) in self.fake.items]
        if exclude_nonactive:
            found = [i for i in found if i.state == "active"]
        return [_item(i) for i in found[: limit or DEFAULT_LIMIT]]

    def next_items_page(self, info, cursor, limit=DEFAULT_LIMIT):
        state = self.fake.read_cursor(cursor)
        return _page(self.fake, state["b"], state["r"], state["o"], limit)

    def users(self, info, ids=None, limit=DEFAULT_LIMIT):
        wanted = [int(i) for i in ids] if ids else sorted(self.fake.users)
        return [{"id": str(u), "name": self.fake.users[u]} for u in wanted if u in self.fake.users]

    def me(self, info):
        return {"id": "42835270", "name": self.fake.users[42835270], "email": "camille@ahtma-formation.example"}

    def complexity(self, info):
        return info.context["complexity"]

    def version(self, info):
        return {"kind": "current", "value": CURRENT_VERSION, "display_name": "Current"}


def _items_page(board, info, limit=DEFAULT_LIMIT, cursor=None, query_params=None):
    fake = info.root_value.fake
    if cursor is not None:
        if query_params is not None:
            raise GraphQLError("query_params cannot be used together with cursor",
                               extensions={"code": "InvalidArgumentException"})  # fmt: skip
        state = fake.read_cursor(cursor)
        return _page(fake, state["b"], state["r"], state["o"], limit)
    rules = (query_params or {}).get("rules") or []
    for rule in rules:
        _check_rule(fake, board["id"], rule)
    return _page(fake, board["id"], rules, 0, limit)


def _page(fake: FakeMonday, board_id: str, rules: list, offset: int, limit: int | None) -> dict:
    limit = limit or DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise GraphQLError(f"limit must be between 1 and {MAX_LIMIT}", extensions={"code": "InvalidArgumentException"})
    matching = [i for i in fake.active_items(board_id) if all(_matches(fake, i, r) for r in rules)]
    shown = matching[offset : offset + limit]
    more = offset + limit < len(matching)
    return {"cursor": fake.make_cursor(board_id, rules, offset + limit) if more else None,
            "items": [_item(i) for i in shown]}  # fmt: skip


def _check_rule(fake: FakeMonday, board_id: str, rule: dict) -> None:
    known = {c.id for c in fake.boards[board_id]["columns"]} | {"__last_updated__", "name"}
    if rule["column_id"] not in known:
        raise GraphQLError(f"Column {rule['column_id']} not found", extensions={"code": "InvalidColumnIdException"})


def _matches(fake: FakeMonday, item: Item, rule: dict) -> bool:
    """The rules Vigie sends: `__last_updated__` greater_than ["EXACT", iso] (UPDATED_AT), and any_of on a
    status column's indexes."""
    operator, values = rule.get("operator", "any_of"), rule.get("compare_value") or []
    if rule["column_id"] == "__last_updated__":
        exact = values[1] if len(values) == 2 and values[0] == "EXACT" else values[0]
        since = datetime.fromisoformat(str(exact).replace("Z", "+00:00"))
        since = since if since.tzinfo else since.replace(tzinfo=UTC)
        return item.updated_at > since if operator == "greater_than" else item.updated_at >= since
    value = item.values.get(rule["column_id"]) or {}
    if operator == "any_of":
        return value.get("index") in values
    return True


def _item(item: Item) -> dict:
    return {"id": item.id, "name": item.name, "state": item.state, "group": item.group, "board": item.board,
            "created_at": zulu(item.created_at), "updated_at": zulu(item.updated_at), "_item": item}  # fmt: skip


def _columns(board, info, ids=None):
    return [_column(c) for c in board["columns"] if ids is None or c.id in ids]


def _column(column: Column) -> dict:
    return {"id": column.id, "title": column.title, "type": column.type, "settings_str": column.settings_str,
            "archived": column.archived}  # fmt: skip


def _column_values(item, info, ids=None):
    fake = info.root_value.fake
    raw: Item = item["_item"]
    columns = fake.boards[raw.board]["columns"]
    return [_column_value(fake, c, raw.values.get(c.id)) for c in columns if ids is None or c.id in ids]


def _column_value(fake: FakeMonday, column: Column, value) -> dict:
    shown = {"id": column.id, "type": column.type, "column": _column(column),
             "value": json.dumps(value) if value is not None else None, "text": _text(fake, column, value)}  # fmt: skip
    if column.type == "status":
        index = (value or {}).get("index")
        shown |= {"index": index, "label": column.settings.get("labels", {}).get(str(index)),
                  "is_done": index in column.settings.get("done_colors", [])}  # fmt: skip
    elif column.type == "date":
        shown |= {"date": (value or {}).get("date"), "time": (value or {}).get("time")}
    elif column.type == "link":
        shown |= {"url": (value or {}).get("url"), "url_text": (value or {}).get("text")}
    elif column.type == "mirror":
        shown |= {"text": None, "display_value": ""}
    elif column.type == "subtasks":
        shown |= {"text": None}
    return shown


def _text(fake: FakeMonday, column: Column, value) -> str:
    """monday's display text: what a person sees in the cell (Vigie must not rely on it)."""
    if value is None:
        return ""
    kind = column.type
    if kind == "status":
        return column.settings.get("labels", {}).get(str(value.get("index")), "")
    if kind == "date":
        return " ".join(part for part in (value.get("date"), (value.get("time") or "")[:5]) if part)
    if kind == "people":
        return ", ".join(fake.users.get(p["id"], "") for p in value.get("personsAndTeams", []))
    if kind == "dropdown":
        names = {label["id"]: label["name"] for label in column.settings.get("labels", [])}
        return ", ".join(names.get(i, "") for i in value.get("ids", []))
    if kind == "long_text":
        return value.get("text", "")
    if kind == "link":
        return f"{value.get('text', '')} - {value.get('url', '')}"
    if kind == "checkbox":
        return "v" if value.get("checked") in ("true", True) else ""
    return str(value) if not isinstance(value, dict) else ""


# --- complexity, computed from the query before it runs ---------------------------------------------

LIST_FIELDS = {"boards", "items", "users", "columns", "column_values", "groups"}


def complexity_of(document, variables: dict, fake: FakeMonday) -> int:
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    operations = [d for d in document.definitions if d.kind == "operation_definition"]
    return sum(_selection_cost(op.selection_set, variables, fragments, fake) for op in operations)


def _selection_cost(selection_set, variables, fragments, fake) -> int:
    if selection_set is None:
        return 0
    total = 0
    for node in selection_set.selections:
        if isinstance(node, FieldNode):
            total += _field_cost(node, variables, fragments, fake)
        elif isinstance(node, InlineFragmentNode):
            total += _selection_cost(node.selection_set, variables, fragments, fake)
        elif isinstance(node, FragmentSpreadNode) and node.name.value in fragments:
            total += _selection_cost(fragments[node.name.value].selection_set, variables, fragments, fake)
    return total


def _field_cost(node: FieldNode, variables, fragments, fake) -> int:
    if node.selection_set is None:
        return 0  # scalars are free; objects pay
    name = node.name.value
    inner = 1 + _selection_cost(node.selection_set, variables, fragments, fake)
    arguments = {a.name.value: _argument(a.value, variables) for a in node.arguments or []}
    if name in ("items_page", "next_items_page"):
        items = [s for s in node.selection_set.selections if isinstance(s, FieldNode) and s.name.value == "items"]
        per_item = sum(1 + _selection_cost(s.selection_set, variables, fragments, fake) for s in items)
        return 10 + (arguments.get("limit") or DEFAULT_LIMIT) * per_item
    if name in LIST_FIELDS:
        ids = arguments.get("ids")
        rows = len(ids) if isinstance(ids, list) else arguments.get("limit") or (
            _most_columns(fake) if name in ("columns", "column_values") else DEFAULT_LIMIT)  # fmt: skip
        return rows * inner
    return inner


def _most_columns(fake: FakeMonday) -> int:
    return max((len(b["columns"]) for b in fake.boards.values()), default=10)


def _argument(value, variables):
    kind = value.kind
    if kind == "variable":
        return variables.get(value.name.value)
    if isinstance(value, IntValueNode):
        return int(value.value)
    if isinstance(value, ListValueNode):
        return [_argument(v, variables) for v in value.values]
    return getattr(value, "value", None)
