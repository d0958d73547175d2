"""monday.com GraphQL calls (platform-apis.md §4), through vigie.lib.http.

`POST /v2` with the raw token in `Authorization` (no « Bearer ») and an `API-Version` header. monday
answers application errors with HTTP 200 and `errors[].extensions.code`; each kind becomes an
exception whose French message is what the channels page shows:
- 401 / NOT_AUTHENTICATED: the token is refused (reconnect);
- 429 with Retry-After, COMPLEXITY_BUDGET_EXHAUSTED (or the older ComplexityException) with
  `retry_in_seconds`, DAILY_LIMIT_EXCEEDED (until midnight UTC), concurrency and IP limits: RetryLater;
- CursorException: CursorExpired (the read starts again);
- USER_UNAUTHORIZED, a query monday cannot read, any other code: permanent.
The client counts its calls and the complexity monday charged (`complexity { query }` is asked with
every query).
"""

import logging
import time
from datetime import UTC, datetime, timedelta

import httpx
from django.conf import settings

from vigie.lib import http
from vigie.lib.http import ConnectorError

log = logging.getLogger(__name__)

API_VERSION = "2025-10"
PAGE_LIMIT = 500  # monday's maximum
POLICY = http.Policy()
COMPLEXITY = "complexity { before after query reset_in_x_seconds }"
ITEM_FIELDS = "id name state updated_at group { id title } column_values(ids: $columns) { id type text value }"


def _query(text: str) -> str:
    return text.replace("<ITEM>", ITEM_FIELDS).replace("<COMPLEXITY>", COMPLEXITY)


BOARDS = _query("query { boards(limit: 100, state: active) { id name items_count } <COMPLEXITY> }")
COLUMNS = _query("query ($board: [ID!]) { boards(ids: $board) { id name columns { id title type settings_str } } "
                 "<COMPLEXITY> }")  # fmt: skip
FIRST_PAGE = _query(
    "query ($board: [ID!], $limit: Int!, $columns: [String!], $params: ItemsQuery) { boards(ids: $board) { id name "
    "columns { id title type settings_str } items_page(limit: $limit, query_params: $params) { cursor items { <ITEM> } "
    "} } <COMPLEXITY> }"
)
NEXT_PAGE = _query(
    "query ($cursor: String!, $limit: Int!, $columns: [String!]) { next_items_page(limit: $limit, cursor: $cursor) "
    "{ cursor items { <ITEM> } } <COMPLEXITY> }"
)
ITEMS = _query("query ($ids: [ID!], $columns: [String!]) { items(ids: $ids, limit: 100) { <ITEM> board { id } } "
               "<COMPLEXITY> }")  # fmt: skip
USERS = _query("query ($ids: [ID!]) { users(ids: $ids) { id name } <COMPLEXITY> }")


class CursorExpired(ConnectorError):
    """monday no longer knows the cursor (older than 60 minutes): read again from the first page."""


def seconds_until_utc_midnight() -> float:
    now = datetime.now(UTC)
    return ((now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0) - now).total_seconds()


def error_for(error: dict) -> ConnectorError:
    """An entry of `errors` (or a legacy error body) as the exception it means, in French."""
    extensions = error.get("extensions") or {}
    code = extensions.get("code") or error.get("error_code") or ""
    message = error.get("message") or error.get("error_message") or ""
    retry_in = extensions.get("retry_in_seconds")
    if code == "NOT_AUTHENTICATED":
        return ConnectorError("monday.com refuse le jeton (Not authenticated) : saisissez un nouveau jeton d'API.",
                              reconnect=True)  # fmt: skip
    if code in ("COMPLEXITY_BUDGET_EXHAUSTED", "ComplexityException") and retry_in is not None:
        wait = float(retry_in)
        return http.RetryLater(f"Budget de complexité monday.com épuisé : nouvel essai dans {wait:.0f} s.", wait)
    if code == "DAILY_LIMIT_EXCEEDED":
        return http.RetryLater("Limite quotidienne d'appels monday.com atteinte : reprise après minuit (UTC).",
                               seconds_until_utc_midnight())  # fmt: skip
    if code in ("maxConcurrencyExceeded", "IP_RATE_LIMIT_EXCEEDED", "RATE_LIMIT_EXCEEDED"):
        wait = float(retry_in or 60)
        return http.RetryLater(f"monday.com limite le rythme des appels ({code}) : nouvel essai dans {wait:.0f} s.",
                               wait)  # fmt: skip
    if code == "CursorException":
        return CursorExpired(f"Curseur monday.com expiré : lecture reprise au début ({message}).")
    if code == "USER_UNAUTHORIZED":
        return ConnectorError("Le compte du jeton n'a pas accès à ce tableau monday.com (USER_UNAUTHORIZED) : "
                              "donnez-lui l'accès ou utilisez un autre jeton.", permanent=True)  # fmt: skip
    if code in ("InvalidBoardIdException", "ResourceNotFoundException"):
        return ConnectorError("Tableau introuvable sur monday.com (supprimé, ou inaccessible avec ce jeton).",
                              permanent=True)  # fmt: skip
    return ConnectorError(f"monday.com a refusé la requête : {message or 'erreur inconnue'} ({code or '?'}).",
                          permanent=True)  # fmt: skip


def check(response: httpx.Response) -> None:
    """Transport-level answers: 401, 429, 5xx, 400."""
    status = response.status_code
    if status < 400:
        return
    errors = _errors(response)
    if status == 401:
        raise error_for({"extensions": {"code": "NOT_AUTHENTICATED"}})
    if status == 429:
        wait = http.retry_after_seconds(response) or 60.0
        raise http.RetryLater(f"monday.com limite le rythme des appels (429) : nouvel essai dans {wait:.0f} s.", wait)
    if status >= 500:
        raise http.RetryLater(f"monday.com indisponible (erreur {status}) : nouvel essai plus tard.", 60.0)
    raise error_for(errors[0] if errors else {"message": f"erreur HTTP {status}"})


def _errors(response: httpx.Response) -> list[dict]:
    try:
        body = response.json()
    except ValueError:
        return []
    if not isinstance(body, dict):
        return []
    if "error_code" in body:  # legacy format (API ≤ 2024-10)
        return [body]
    return [e for e in body.get("errors") or [] if isinstance(e, dict)]


class MondayClient:
    def __init__(self, token: str, base_url: str | None = None):
        self.url = base_url or settings.MONDAY_API_URL
        self.headers = {"Authorization": token, "API-Version": API_VERSION, "Content-Type": "application/json"}
        self.calls = 0
        self.complexity = 0

    def run(self, query: str, variables: dict | None = None) -> dict:
        """The query's `data`; errors raised as their exception. A spent complexity budget is waited
        for once when monday asks for a short wait."""
        try:
            return self._run(query, variables or {})
        except http.RetryLater as exc:
            if "complexité" not in str(exc) or exc.retry_after > POLICY.max_wait:
                raise
            time.sleep(exc.retry_after)
            return self._run(query, variables or {})

    def _run(self, query: str, variables: dict) -> dict:
        self.calls += 1
        response = http.send("POST", self.url, check=check, policy=POLICY, headers=self.headers,
                             json={"query": query, "variables": variables})  # fmt: skip
        try:
            body = response.json()
        except ValueError:
            raise ConnectorError("Réponse illisible de monday.com (pas du JSON).") from None
        errors = _errors(response)
        if errors:
            raise error_for(errors[0])
        data = body.get("data") or {}
        self.complexity += int((data.get("complexity") or {}).get("query") or 0)
        return data

    # --- what Vigie reads ----------------------------------------------------------------------------

    def boards(self) -> list[dict]:
        return self.run(BOARDS).get("boards") or []

    def board(self, board_id: str) -> dict:
        boards = self.run(COLUMNS, {"board": [board_id]}).get("boards") or []
        if not boards:
            raise error_for({"extensions": {"code": "InvalidBoardIdException"}})
        return boards[0]

    def first_page(self, board_id: str, columns: list[str], params: dict | None, limit: int | None = None) -> dict:
        """{"board": {id, name, columns}, "cursor", "items"}."""
        variables = {"board": [board_id], "limit": limit or PAGE_LIMIT, "columns": columns, "params": params}
        boards = self.run(FIRST_PAGE, variables).get("boards") or []
        if not boards:
            raise error_for({"extensions": {"code": "InvalidBoardIdException"}})
        page = boards[0].pop("items_page") or {}
        return {"board": boards[0], "cursor": page.get("cursor"), "items": page.get("items") or []}

    def next_page(self, cursor: str, columns: list[str], limit: int | None = None) -> dict:
        variables = {"cursor": cursor, "limit": limit or PAGE_LIMIT, "columns": columns}
        page = self.run(NEXT_PAGE, variables).get("next_items_page")
        return {"cursor": (page or {}).get("cursor"), "items": (page or {}).get("items") or []}

    def items(self, ids: list[str], columns: list[str]) -> list[dict]:
        return self.run(ITEMS, {"ids": ids, "columns": columns}).get("items") or []

    def users(self, ids: list[int]) -> dict[int, str]:
        found = self.run(USERS, {"ids": [str(i) for i in ids]}).get("users") or []
        return {int(u["id"]): u.get("name", "") for u in found}
