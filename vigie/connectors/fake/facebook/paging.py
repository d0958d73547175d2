"""Graph's cursor paging (§1.9): `limit`, `after`, and `paging.cursors` / `paging.next` in the answer."""

from collections.abc import Callable
from urllib.parse import urlencode

from vigie.connectors.fake.facebook.graph import graph_error
from vigie.connectors.fake.server import Request, Response, from_opaque, opaque

DEFAULT_LIMIT = 25


def cursor(position: int) -> str:
    return opaque(f"cursor:{position}")


def position_of(cursor: str) -> int | None:
    try:
        return int(from_opaque(cursor).split(":", 1)[1])
    except (ValueError, IndexError):
        return None


def listed(base_url: str, request: Request, items: list, position: Callable, node: Callable) -> Response:
    """A Graph list: one page of `items` as nodes, with its paging; error 100 for a cursor it cannot read."""
    paged = page_of(base_url, request, items, position)
    if paged is None:
        return graph_error(100, "(#100) Invalid cursor")
    page, paging = paged
    data = [node(item) for item in page]
    return Response(200, {"data": data, "paging": paging} if paging else {"data": data})


def page_of(base_url: str, request: Request, items: list, position: Callable):
    """One page of `items` (already in order) after the query's cursor, with Graph's paging; None when
    the cursor cannot be read."""
    limit = max(1, min(int(request.query.get("limit", DEFAULT_LIMIT) or DEFAULT_LIMIT), 100))
    if "after" in request.query:
        after = position_of(request.query["after"])
        if after is None:
            return None
        positions = [position(item) for item in items]
        index = positions.index(after) + 1 if after in positions else after_missing(items, position, after)
        items = items[index:]
    page, more = items[:limit], len(items) > limit
    paging = {}
    if page:
        paging["cursors"] = {"before": cursor(position(page[0])), "after": cursor(position(page[-1]))}
        if more:
            query = {k: v for k, v in request.query.items() if k != "before"} | {"after": paging["cursors"]["after"]}
            paging["next"] = f"{base_url}{request.path}?{urlencode(query)}"
    return page, paging


def after_missing(items: list, position: Callable, after: int) -> int:
    """The cursor's item is gone (deleted): continue where it stood (positions grow with the order)."""
    ascending = len(items) < 2 or position(items[0]) <= position(items[-1])
    return next((i for i, item in enumerate(items) if (position(item) > after) == ascending), len(items))
