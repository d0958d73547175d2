"""LinkedIn's 3-legged OAuth for an organisation page: the admin approves Vigie on LinkedIn, Vigie swaps
the code for a member token (60 days) and lists the organisations that member administers."""

from urllib.parse import urlencode

from django.conf import settings

from vigie.connectors import oauth2
from vigie.connectors.base import AuthorizedAccount
from vigie.connectors.linkedin import client

SCOPES = ("r_organization_social", "w_organization_social", "rw_organization_admin")


# The settings the flow needs (each read from VIGIE_<name> by vigie/settings.py).
NEEDED_SETTINGS = ("LINKEDIN_CLIENT_ID", "LINKEDIN_CLIENT_SECRET")


def dialog_url(state: str, redirect_uri: str) -> str:
    query = {"response_type": "code", "client_id": settings.LINKEDIN_CLIENT_ID, "redirect_uri": redirect_uri,
             "state": state, "scope": " ".join(SCOPES)}  # fmt: skip
    return f"{settings.LINKEDIN_OAUTH_URL.rstrip('/')}/authorization?{urlencode(query)}"


def accounts(code: str, redirect_uri: str) -> list[AuthorizedAccount]:
    """The organisations the approving member administers, each with the member's token."""
    token = _token(code, redirect_uri)
    api = client.LinkedInClient(token)
    return [AuthorizedAccount(urn, api.organization_name(urn), token) for urn in api.administered_organizations()]


def _token(code: str, redirect_uri: str) -> str:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": settings.LINKEDIN_CLIENT_ID, "client_secret": settings.LINKEDIN_CLIENT_SECRET}  # fmt: skip
    url = f"{settings.LINKEDIN_OAUTH_URL.rstrip('/')}/accessToken"
    refused = "LinkedIn a refusé le code d'autorisation ({said})"
    return oauth2.token_response(url, form, refused=refused, policy=client.POLICY)["access_token"]
