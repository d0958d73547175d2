"""Freshdesk API v2 calls (platform-apis.md §5), through vigie.lib.http.

Basic auth with the API key as user name and « X » as password; JSON bodies. Errors become
ConnectorErrors that say what to do: 401/403 → the account is to reconnect; 429 → RetryLater after
`Retry-After`; a 4xx on what we sent → a permanent error, in French, with Freshdesk's field messages.
"""

import re
from collections.abc import Iterator
from datetime import datetime

import httpx
from django.conf import settings

from vigie.lib import http
from vigie.lib.http import ConnectorError

POLICY = http.Policy()
PER_PAGE = 100  # Freshdesk's maximum
MAX_PAGES = 50
NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="next"')
DOMAIN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")

RECONNECT = {
    401: "Freshdesk refuse la clé d'API (invalid_credentials) : reconnectez Freshdesk avec une clé valide",
    403: "Freshdesk refuse l'accès (access_denied) : la clé d'API n'a pas les droits nécessaires ; "
    "reconnectez Freshdesk",
}
CODES = {
    "missing_field": "champ manquant",
    "invalid_value": "valeur refusée",
    "duplicate_value": "valeur déjà utilisée",
    "datatype_mismatch": "type de valeur incorrect",
    "invalid_field": "champ inconnu",
    "invalid_json": "JSON illisible",
    "readonly_field": "champ en lecture seule",
    "inaccessible_field": "champ inaccessible",
    "unsupported_content_type": "type de contenu refusé",
    "require_feature": "fonction absente de l'abonnement Freshdesk",
    "account_suspended": "compte Freshdesk suspendu",
    "ssl_required": "HTTPS obligatoire",
}


def api_url(domain: str) -> str:
    """https://<domain>.freshdesk.com/api/v2, or the address settings give (the local fake)."""
    return (settings.FRESHDESK_API_URL or f"https://{domain}.freshdesk.com/api/v2").rstrip("/")


def agent_url(domain: str, ticket_id: int) -> str:
    """Where an agent opens the ticket in Freshdesk."""
    return f"{api_url(domain).removesuffix('/api/v2')}/a/tickets/{ticket_id}"


def _body(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _field_errors(body: dict) -> str:
    parts = []
    for error in body.get("errors") or []:
        if isinstance(error, dict):
            code = CODES.get(error.get("code", ""), error.get("code", ""))
            parts.append(f"{error.get('field') or '?'} : {code} ({error.get('message', '')})")
    return " ; ".join(parts)


def check(response: httpx.Response) -> None:
    """Raise what a refused call means; 429 and 5xx are left to lib.http (retried, then RetryLater)."""
    status = response.status_code
    if status < 400 or status == 429 or status >= 500:
        return
    if status in RECONNECT:
        raise ConnectorError(RECONNECT[status], reconnect=True)
    body = _body(response)
    detail = _field_errors(body) or CODES.get(body.get("code", ""), body.get("message", "")) or "sans détail"
    raise ConnectorError(f"Freshdesk a refusé la demande ({status}) : {detail}", permanent=True)


class FreshdeskClient:
    def __init__(self, domain: str, api_key: str):
        self.base_url = api_url(domain)
        self.auth = httpx.BasicAuth(api_key, "X")

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        # a POST creates a ticket or a note: http.send does not send it again once it may exist
        return http.send(method, self.base_url + path, check=check, policy=POLICY, creates=method == "POST",
                         auth=self.auth, **kwargs)  # fmt: skip

    def create_ticket(self, fields: dict) -> dict:
        return self._call("POST", "/tickets", json=fields).json()

    def ticket(self, ticket_id: int) -> dict:
        return self._call("GET", f"/tickets/{ticket_id}").json()

    def update_ticket(self, ticket_id: int, fields: dict) -> dict:
        return self._call("PUT", f"/tickets/{ticket_id}", json=fields).json()

    def add_note(self, ticket_id: int, body: str, private: bool = True) -> dict:
        return self._call("POST", f"/tickets/{ticket_id}/notes", json={"body": body, "private": private}).json()

    def conversations(self, ticket_id: int) -> Iterator[dict]:
        yield from self._pages(f"/tickets/{ticket_id}/conversations", {"per_page": PER_PAGE})

    def tickets_updated_since(self, since: datetime) -> Iterator[dict]:
        """Every ticket updated at or after `since`, oldest change first, page after page."""
        params = {
            "updated_since": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "order_by": "updated_at",
            "order_type": "asc",
            "per_page": PER_PAGE,
        }
        yield from self._pages("/tickets", params)

    def _pages(self, path: str, params: dict) -> Iterator[dict]:
        """Follow `Link: <…>; rel="next"` (platform-apis.md §5.4), within MAX_PAGES."""
        response = self._call("GET", path, params=params)
        for _ in range(MAX_PAGES):
            yield from response.json()
            following = NEXT_LINK.search(response.headers.get("Link", ""))
            if following is None:
                return
            url = following.group(1)
            if not url.startswith(self.base_url + "/"):  # the API key never goes to another host
                raise ConnectorError(f"lien de page suivante inattendu : {url[:100]}", permanent=True)
            response = http.send("GET", url, check=check, policy=POLICY, auth=self.auth)
