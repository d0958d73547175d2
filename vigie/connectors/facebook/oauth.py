"""Facebook Login for a Page, the manual flow: the admin approves Vigie on Facebook's dialog, Vigie
swaps the code for a user token, makes it long-lived, and lists the Pages that person manages with
their Page tokens (a Page token obtained from a long-lived user token does not expire)."""

from urllib.parse import urlencode

from django.conf import settings

from vigie.connectors.base import AuthorizedAccount
from vigie.connectors.facebook import client
from vigie.lib import http
from vigie.lib.http import ConnectorError

SCOPES = (
    "pages_show_list", "pages_read_engagement", "pages_read_user_content", "pages_manage_engagement",
    "pages_manage_metadata", "pages_messaging",
)  # fmt: skip


# The settings the flow needs (each read from VIGIE_<name> by vigie/settings.py).
NEEDED_SETTINGS = ("FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET")


def dialog_url(state: str, redirect_uri: str) -> str:
    query = {"client_id": settings.FACEBOOK_APP_ID, "redirect_uri": redirect_uri, "state": state,
             "response_type": "code", "scope": ",".join(SCOPES)}  # fmt: skip
    return f"{settings.FACEBOOK_DIALOG_URL}?{urlencode(query)}"


def accounts(code: str, redirect_uri: str) -> list[AuthorizedAccount]:
    """The Pages the approving person manages, each with its Page token. Raises ConnectorError."""
    short = _token({"code": code, "redirect_uri": redirect_uri})
    long_lived = _token({"grant_type": "fb_exchange_token", "fb_exchange_token": short})
    pages = []
    for page in client.Graph(long_lived).pages("/me/accounts", {"fields": "id,name,access_token,tasks", "limit": 100}):
        pages += [AuthorizedAccount(str(p["id"]), p.get("name", ""), p["access_token"]) for p in page.get("data", [])
                  if p.get("access_token")]  # fmt: skip
    return pages


def _token(params: dict) -> str:
    secret = {"client_id": settings.FACEBOOK_APP_ID, "client_secret": settings.FACEBOOK_APP_SECRET}
    url = f"{settings.FACEBOOK_GRAPH_URL.rstrip('/')}/oauth/access_token"
    response = http.send("GET", url, params=secret | params, check=client.check, policy=client.POLICY)
    try:
        token = response.json().get("access_token")
    except ValueError:
        token = None
    if not token:
        raise ConnectorError("Facebook n'a pas donné de jeton d'accès", permanent=True)
    return token
