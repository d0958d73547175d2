"""Google's OAuth 2.0 for YouTube: the admin consents on Google, Vigie swaps the code for an access token
(one hour) and a refresh token, and reads which channel is theirs. `refreshed` renews an access token."""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from vigie.connectors.base import AuthorizedAccount, ConnectorError
from vigie.connectors.youtube import client
from vigie.lib import http

SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
# The settings the flow needs (each read from VIGIE_<name> by vigie/settings.py).
NEEDED_SETTINGS = ("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET")


def dialog_url(state: str, redirect_uri: str) -> str:
    query = {"client_id": settings.GOOGLE_CLIENT_ID, "redirect_uri": redirect_uri, "response_type": "code",
             "scope": SCOPE, "access_type": "offline", "prompt": "consent", "state": state}  # fmt: skip
    return f"{settings.GOOGLE_AUTH_URL}?{urlencode(query)}"


def accounts(code: str, redirect_uri: str) -> list[AuthorizedAccount]:
    """The approving person's channel, with its access token, refresh token and expiry."""
    tokens = _tokens({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri})
    if not tokens.get("refresh_token"):
        raise ConnectorError("Google n'a pas donné de jeton de renouvellement", permanent=True)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    url = f"{settings.YOUTUBE_API_URL.rstrip('/')}/channels"
    response = http.send("GET", url, params={"part": "snippet", "mine": "true"}, headers=headers, check=client.check)
    more = {"refresh_token": tokens["refresh_token"], "expires_at": _expiry(tokens)}
    return [AuthorizedAccount(item["id"], (item.get("snippet") or {}).get("title", ""), tokens["access_token"], more)
            for item in response.json().get("items", [])]  # fmt: skip


def refreshed(refresh_token: str) -> tuple[str, str]:
    """A new access token and its expiry (ISO) for a refresh token. Raises ConnectorError."""
    tokens = _tokens({"grant_type": "refresh_token", "refresh_token": refresh_token})
    return tokens["access_token"], _expiry(tokens)


def _tokens(form: dict) -> dict:
    secret = {"client_id": settings.GOOGLE_CLIENT_ID, "client_secret": settings.GOOGLE_CLIENT_SECRET}
    response = http.send("POST", settings.GOOGLE_TOKEN_URL, data=secret | form)
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not body.get("access_token"):
        said = body.get("error_description") or body.get("error") or f"HTTP {response.status_code}"
        raise ConnectorError(f"Google refuse de donner un jeton ({said}) : reconnectez la chaîne", reconnect=True)
    return body


def _expiry(tokens: dict) -> str:
    return (timezone.now() + timedelta(seconds=int(tokens.get("expires_in", 3600)))).isoformat()
