"""How the Graph API speaks, whatever the route: paths, error envelopes (§1.10), field selection, times."""

import json
import random
import string
from datetime import UTC, datetime

from vigie.connectors.fake.server import Response

VERSION = r"(?:/v\d+\.\d+)?"
NODE = r"/(?P<id>[A-Za-z0-9_.:-]+)"


def iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def graph_error(
    code: int,
    message: str,
    *,
    subcode: int | None = None,
    kind: str = "OAuthException",
    status: int = 400,
    headers: dict | None = None,
) -> Response:
    error = {"message": message, "type": kind, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = "".join(random.choices(string.ascii_letters + string.digits, k=11))
    return Response(status, {"error": error}, dict(headers or {}))


def not_found(object_id: str, method: str = "get") -> Response:
    return graph_error(
        100,
        f"Unsupported {method} request. Object with ID '{object_id}' does not exist, cannot be loaded due to "
        "missing permissions, or does not support this operation. Please read the Graph API documentation at "
        "https://developers.facebook.com/docs/graph-api",
        subcode=33,
        kind="GraphMethodException",
    )


def top_level_fields(fields: str) -> set[str]:
    """`id,from,messages.limit(20){id,from}` → {"id", "from", "messages"}."""
    names, depth, current = set(), 0, ""
    for char in fields + ",":
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        if char == "," and depth == 0:
            names.add(current.split(".", 1)[0].split("{", 1)[0].strip())
            current = ""
        else:
            current += char
    return names - {""}


def select(node: dict, fields: set[str]) -> dict:
    """The node with only the fields asked for (and its id, always there)."""
    return {key: value for key, value in node.items() if key == "id" or key in fields}


def json_param(value):
    """A parameter sent as JSON text in a form (`recipient={"id": …}`), read; anything else as it came."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def permalink(post_id: str) -> str:
    page, post = post_id.split("_", 1)
    return f"https://www.facebook.com/{page}/posts/{post}"
