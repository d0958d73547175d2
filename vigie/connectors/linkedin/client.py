"""LinkedIn Community Management API calls (platform-apis.md §2), through vigie.lib.http.

Every call carries the bearer token, `LinkedIn-Version` and `X-Restli-Protocol-Version`; URNs are
URL-encoded in paths and queries. `check` turns LinkedIn's error envelope into Vigie's errors.
"""

import json
from collections.abc import Iterator
from urllib.parse import parse_qs, quote, urlsplit

import httpx
from django.conf import settings

from vigie.lib import http
from vigie.lib.http import ConnectorError

API_VERSION = "202601"  # LinkedIn-Version (YYYYMM): versions are supported about a year
COMMENTS_PER_PAGE = 50
POSTS_PER_POLL = 20  # the most recent posts are polled; older ones are followed by the webhook
DEFAULT_RETRY_AFTER = 60.0  # LinkedIn documents no rate-limit header
POLICY = http.Policy()


class NotFound(ConnectorError):
    """404: the comment or the post no longer exists (for a deletion, that means it is done)."""

    def __init__(self, message: str):
        super().__init__(message, permanent=True)


def check(response: httpx.Response) -> None:
    """LinkedIn's errors (§2.7) → ConnectorError / RetryLater, in French for the people at the desk."""
    status = response.status_code
    if status < 400:
        return
    message = _error_message(response)
    if status == 401:
        raise ConnectorError(f"Jeton LinkedIn expiré ou révoqué : reconnectez la page ({message})", reconnect=True)
    if status == 403:
        raise ConnectorError(
            f"LinkedIn refuse l'opération : permission manquante ou le compte n'est plus administrateur de la page "
            f"({message})",
            permanent=True,
        )
    if status == 404:
        raise NotFound(f"Introuvable sur LinkedIn : le commentaire ou le post a disparu ({message})")
    if status == 422:
        raise ConnectorError(f"LinkedIn refuse le contenu envoyé : {message}", permanent=True)
    if status == 429:
        wait = http.retry_after_seconds(response) or DEFAULT_RETRY_AFTER
        raise http.RetryLater(f"Limite d'appels LinkedIn atteinte ({message})", wait)
    if status >= 500:
        raise ConnectorError(f"LinkedIn indisponible (erreur {status})")
    raise ConnectorError(f"LinkedIn refuse la requête (erreur {status}) : {message}", permanent=True)


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text[:200]
    if not isinstance(body, dict):
        return str(body)[:200]
    code = body.get("code") or body.get("serviceErrorCode")
    return f"{body.get('message', '')} [{code}]" if code else str(body.get("message", ""))


def encoded(urn: str) -> str:
    return quote(urn, safe="")


class LinkedInClient:
    def __init__(self, access_token: str, base_url: str | None = None):
        self.base_url = (base_url or settings.LINKEDIN_API_URL).rstrip("/")
        self.headers = {
            "Authorization": f"Bearer {access_token}",
            "LinkedIn-Version": API_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def send(self, method: str, path: str, **kwargs) -> httpx.Response:
        return http.send(method, self.base_url + path, check=check, policy=POLICY, headers=self.headers, **kwargs)

    def posts(self, organization: str) -> list[dict]:
        params = {"q": "author", "author": organization, "count": POSTS_PER_POLL}
        return self.send("GET", "/posts", params=params).json().get("elements", [])

    def comment_pages(self, target: str) -> Iterator[list[dict]]:
        """The comments on a post, or the replies to a comment, a page at a time (Rest.li start/count)."""
        start = 0
        while True:
            params = {"start": start, "count": COMMENTS_PER_PAGE}
            page = self.send("GET", f"/socialActions/{encoded(target)}/comments", params=params).json()
            elements = page.get("elements", [])
            if elements:
                yield elements
            start = _next_start(page.get("paging") or {}, start, len(elements))
            if start is None:
                return

    def comment(self, container: str, comment_id: str) -> dict | None:
        """One comment, or None when LinkedIn says it does not exist (any more)."""
        try:
            return self.send("GET", f"/socialActions/{encoded(container)}/comments/{comment_id}").json()
        except NotFound:
            return None

    def administered_organizations(self) -> list[str]:
        """URNs of the organisations the token's member administers (approved roles)."""
        params = {"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"}
        elements = self.send("GET", "/organizationAcls", params=params).json().get("elements", [])
        return [element["organization"] for element in elements if element.get("organization")]

    def organization_name(self, urn: str) -> str:
        body = self.send("GET", f"/organizations/{urn.rsplit(':', 1)[-1]}").json()
        return body.get("localizedName") or urn

    def create_post(self, body: dict) -> httpx.Response:
        """Posts API: 201, the new post's URN in the `x-restli-id` header (LinkedIn sends no body)."""
        return self.send("POST", "/posts", json=body)

    def create_comment(self, target: str, body: dict) -> httpx.Response:
        return self.send("POST", f"/socialActions/{encoded(target)}/comments", json=body, creates=True)

    def delete_comment(self, container: str, comment_id: str, actor: str) -> None:
        self.send("DELETE", f"/socialActions/{encoded(container)}/comments/{comment_id}", params={"actor": actor})


def _next_start(paging: dict, start: int, received: int) -> int | None:
    """Where the next page starts: the `next` link when LinkedIn gives one, else `total`, else a full
    page means there may be more."""
    for link in paging.get("links") or []:
        if link.get("rel") == "next":
            query = parse_qs(urlsplit(link.get("href", "")).query)
            following = int(query["start"][0]) if "start" in query else start + received
            return following if following > start else None
    if received == 0:
        return None
    total = paging.get("total")
    if isinstance(total, int):
        return start + received if start + received < total else None
    count = paging.get("count") or COMMENTS_PER_PAGE
    return start + received if received >= count else None


def for_channel(channel) -> LinkedInClient:
    try:
        token = json.loads(channel.credentials or "{}")["access_token"]
    except (json.JSONDecodeError, KeyError, TypeError):
        raise ConnectorError("Page LinkedIn sans jeton d'accès : reconnectez la page", reconnect=True) from None
    return LinkedInClient(token)
