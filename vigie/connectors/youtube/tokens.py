"""Google's token endpoint: an authorization code or a refresh token swapped for an access token (one
hour). Used by the consent flow (oauth.py) and by the client when a token is about to expire."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from vigie.connectors import oauth2


def refreshed(refresh_token: str) -> tuple[str, str]:
    """A new access token and its expiry (ISO) for a refresh token. Raises ConnectorError."""
    tokens = exchange({"grant_type": "refresh_token", "refresh_token": refresh_token})
    return tokens["access_token"], expiry(tokens)


def exchange(form: dict) -> dict:
    secret = {"client_id": settings.GOOGLE_CLIENT_ID, "client_secret": settings.GOOGLE_CLIENT_SECRET}
    refused = "Google refuse de donner un jeton ({said}) : reconnectez la chaîne"
    return oauth2.token_response(settings.GOOGLE_TOKEN_URL, secret | form, refused=refused, reconnect=True)


def expiry(tokens: dict) -> str:
    return (timezone.now() + timedelta(seconds=int(tokens.get("expires_in", 3600)))).isoformat()
