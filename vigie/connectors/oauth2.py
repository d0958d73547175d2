"""OAuth 2.0's token request (RFC 6749 §4.1.3 and §6), as LinkedIn and Google answer it."""

from vigie.lib import http
from vigie.lib.http import ConnectorError


def token_response(url: str, form: dict, *, refused: str, reconnect: bool = False, policy=None) -> dict:
    """The platform's token response; or ConnectorError with `refused` ("… ({said}) …") naming what it said."""
    response = http.send("POST", url, data=form, policy=policy)
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
        body = body if isinstance(body, dict) else {}
        said = body.get("error_description") or body.get("error") or f"HTTP {response.status_code}"
        raise ConnectorError(refused.format(said=said), permanent=True, reconnect=reconnect)
    return body
