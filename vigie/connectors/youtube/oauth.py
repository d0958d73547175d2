"""Google's OAuth 2.0 for YouTube: the admin consents on Google, Vigie swaps the code for an access token
(one hour) and a refresh token (tokens.py), and reads which channel is theirs."""

from urllib.parse import urlencode

from django.conf import settings

from vigie.connectors.base import AuthorizedAccount
from vigie.connectors.youtube import client, tokens
from vigie.lib import http
from vigie.lib.http import ConnectorError

SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
# The settings the flow needs (each read from VIGIE_<name> by vigie/settings.py).
NEEDED_SETTINGS = ("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET")


def dialog_url(state: str, redirect_uri: str) -> str:
    query = {"client_id": settings.GOOGLE_CLIENT_ID, "redirect_uri": redirect_uri, "response_type": "code",
             "scope": SCOPE, "access_type": "offline", "prompt": "consent", "state": state}  # fmt: skip
    return f"{settings.GOOGLE_AUTH_URL}?{urlencode(query)}"


def accounts(code: str, redirect_uri: str) -> list[AuthorizedAccount]:
    """The approving person's channel, with its access token, refresh token and expiry."""
    granted = tokens.exchange({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri})
    if not granted.get("refresh_token"):
        raise ConnectorError("Google n'a pas donné de jeton de renouvellement", permanent=True)
    headers = {"Authorization": f"Bearer {granted['access_token']}"}
    url = f"{settings.YOUTUBE_API_URL.rstrip('/')}/channels"
    response = http.send("GET", url, params={"part": "snippet", "mine": "true"}, headers=headers, check=client.check)
    more = {"refresh_token": granted["refresh_token"], "expires_at": tokens.expiry(granted)}
    return [AuthorizedAccount(item["id"], (item.get("snippet") or {}).get("title", ""), granted["access_token"], more)
            for item in response.json().get("items", [])]  # fmt: skip
