"""A local Freshdesk account (API v2, platform-apis.md §5).

Endpoints: POST/GET /api/v2/tickets, GET/PUT /api/v2/tickets/{id}, POST /api/v2/tickets/{id}/notes,
GET /api/v2/tickets/{id}/conversations, and GET /a/tickets/{id} (the agent's page, for the demo).
As Freshdesk does: Basic auth with the API key (401 `invalid_credentials` otherwise), JSON only (415),
validation errors in Freshdesk's envelope (400), `page`/`per_page` with a `Link: rel="next"` header,
`X-Ratelimit-*` headers on every answer and 429 with `Retry-After` past the per-minute budget; rejected
calls count too. Agents act through `resolve` (and an automation rule can call Vigie's webhook).
Faults: those of FakeServer, plus `throttle_next` (the next N calls get 429) and `fail_after_create`
(the ticket is created, then the answer is a 500: the caller cannot know it worked).
"""

import base64
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode

from vigie.connectors.fake.server import FakeServer, Request, Response, post_webhook, zulu

API_KEY = "fake-freshdesk-api-key"
STATUSES = (2, 3, 4, 5)
PRIORITIES = (1, 2, 3, 4)
SOURCES = (1, 2, 3, 7, 9, 10)
REQUESTER_FIELDS = ("requester_id", "email", "phone", "facebook_id", "twitter_id", "unique_external_id")
TICKET_FIELDS = frozenset(
    {
        *REQUESTER_FIELDS,
        "name",
        "subject",
        "description",
        "status",
        "priority",
        "source",
        "tags",
        "custom_fields",
        "type",
        "group_id",
        "responder_id",
        "product_id",
        "company_id",
        "cc_emails",
        "due_by",
        "fr_due_by",
        "email_config_id",
        "parent_id",
    }
)
NOTE_FIELDS = frozenset({"body", "private", "notify_emails", "incoming", "user_id"})
UPDATE_FIELDS = TICKET_FIELDS - set(REQUESTER_FIELDS)


def validation(*errors: tuple[str, str, str]) -> Response:
    listed = [{"field": f, "message": m, "code": c} for f, m, c in errors]
    return Response(400, {"description": "Validation failed", "errors": listed})


@dataclass
class Ticket:
    id: int
    fields: dict
    requester_id: int
    created_at: datetime
    updated_at: datetime
    conversations: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        f = self.fields
        return {
            "cc_emails": f.get("cc_emails", []),
            "fwd_emails": [],
            "reply_cc_emails": f.get("cc_emails", []),
            "email_config_id": None,
            "fr_escalated": False,
            "group_id": f.get("group_id"),
            "priority": f.get("priority", 1),
            "requester_id": self.requester_id,
            "responder_id": None,
            "source": f.get("source", 2),
            "spam": False,
            "status": f.get("status", 2),
            "subject": f.get("subject", ""),
            "type": f.get("type"),
            "company_id": None,
            "id": self.id,
            "to_emails": None,
            "product_id": None,
            "created_at": zulu(self.created_at),
            "updated_at": zulu(self.updated_at),
            "due_by": None,
            "fr_due_by": None,
            "is_escalated": False,
            "description": f.get("description", ""),
            "description_text": re.sub(r"<[^>]+>", "", f.get("description", "")),
            "custom_fields": f.get("custom_fields", {}),
            "tags": list(f.get("tags", [])),
            "attachments": [],
        }


class FakeFreshdesk(FakeServer):
    name = "freshdesk"
    api_root = "/api/v2"

    def __init__(self, domain: str = "ahtma", per_minute: int = 200):
        self.domain = domain
        self.default_per_minute = per_minute
        super().__init__()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            super().reset()
            self.api_key = API_KEY
            self.per_minute = self.default_per_minute
            self.tickets: dict[int, Ticket] = {}
            self.contacts: dict[str, int] = {}  # unique_external_id → contact id
            self.created: list[int] = []
            self._ids = itertools.count(1001)
            self._contact_ids = itertools.count(5001)
            self._conversation_ids = itertools.count(9001)
            self.window: list[float] = []  # times of the calls counted in the current minute
            self.received = 0  # every request, answered or refused
            self.throttle_next = 0
            self.retry_after = "1"
            self.fail_after_create = False
            self.webhook_url = ""
            self.webhook_headers: dict[str, str] = {}

    # --- Freshdesk's rules -----------------------------------------------------------------------
    def authenticate(self, request: Request) -> Response | None:
        if request.path.startswith("/a/"):
            return None
        expected = "Basic " + base64.b64encode(f"{self.api_key}:X".encode()).decode()
        given = request.headers.get("authorization", "")
        user = ""
        if given.startswith("Basic "):
            try:
                user = base64.b64decode(given[6:]).decode().split(":", 1)[0]
            except (ValueError, UnicodeDecodeError):
                user = ""
        if given != expected and user != self.api_key:
            return Response(
                401, {"code": "invalid_credentials", "message": "You have to be logged in to perform this action."}
            )
        return None

    def expired_token_response(self) -> Response:
        return Response(403, {"code": "access_denied", "message": "You are not authorized to perform this action."})

    def rate_limit_response(self) -> Response:
        return Response(
            429, {"message": "You have exceeded the limit of requests per minute"}, {"Retry-After": self.retry_after}
        )

    def _dispatch(self, request: Request) -> Response:
        with self.lock:
            now = time.monotonic()
            self.window = [t for t in self.window if now - t < 60] + [now]  # rejected calls count too
            self.received += 1
            used, throttled = len(self.window), self.throttle_next > 0
            self.throttle_next = max(0, self.throttle_next - 1)
        limited = throttled or used > self.per_minute
        response = self.rate_limit_response() if limited else super()._dispatch(request)
        response.headers |= {
            "X-Ratelimit-Total": str(self.per_minute),
            "X-Ratelimit-Remaining": str(max(0, self.per_minute - used)),
            "X-Ratelimit-Used-CurrentRequest": "1",
        }
        return response

    def register_routes(self) -> None:
        self.route("POST", r"/api/v2/tickets", self._create)
        self.route("GET", r"/api/v2/tickets", self._list)
        self.route("GET", r"/api/v2/tickets/(\d+)", self._show)
        self.route("PUT", r"/api/v2/tickets/(\d+)", self._update)
        self.route("POST", r"/api/v2/tickets/(\d+)/notes", self._note)
        self.route("GET", r"/api/v2/tickets/(\d+)/conversations", self._conversations)
        self.route("GET", r"/a/tickets/(\d+)", self._agent_page)

    def _json(self, request: Request) -> tuple[dict | None, Response | None]:
        if "application/json" not in request.headers.get("content-type", ""):
            return None, Response(
                415,
                {
                    "code": "unsupported_content_type",
                    "message": "Content-Type header is set to . It should be set to application/json",
                },
            )
        try:
            body = json.loads(request.body or b"")
        except ValueError:
            return None, validation(("", "Request body has invalid json format", "invalid_json"))
        if not isinstance(body, dict):
            return None, validation(("", "Request body has invalid json format", "invalid_json"))
        return body, None

    def _check_fields(self, body: dict, allowed: frozenset) -> list[tuple[str, str, str]]:
        errors = [(k, "Unexpected/invalid field in request", "invalid_field") for k in body if k not in allowed]
        for name, values in (("status", STATUSES), ("priority", PRIORITIES), ("source", SOURCES)):
            if name in body and body[name] not in values:
                errors.append(
                    (name, f"It should be one of these values: '{','.join(map(str, values))}'", "invalid_value")
                )
        tags = body.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) and 0 < len(t) <= 255 for t in tags):
            errors.append(("tags", "It should contain elements of type String only", "datatype_mismatch"))
        return errors

    def _create(self, request: Request) -> Response:
        body, refused = self._json(request)
        if refused:
            return refused
        errors = self._check_fields(body, TICKET_FIELDS)
        if not any(body.get(f) for f in REQUESTER_FIELDS):
            errors.append(
                (
                    "requester_id",
                    "Please fill at least 1 of email, mobile, phone, twitter_id, "
                    "unique_external_id, facebook_id, requester_id fields",
                    "missing_field",
                )
            )
        for name in ("subject", "description"):
            if not isinstance(body.get(name), str) or not body.get(name).strip():
                errors.append((name, "It should be a/an String", "missing_field"))
        if errors:
            return validation(*errors)
        now = datetime.now(UTC)
        external = body.get("unique_external_id") or body.get("email") or json.dumps(body.get("requester_id"))
        requester = self.contacts.setdefault(external, next(self._contact_ids))
        ticket = Ticket(
            next(self._ids),
            {**body, "status": body.get("status", 2), "priority": body.get("priority", 1)},
            requester,
            now,
            now,
        )
        self.tickets[ticket.id] = ticket
        self.created.append(ticket.id)
        if self.fail_after_create:
            return Response(500, {"code": "internal_error", "message": "Something went wrong"})
        return Response(201, ticket.as_json(), {"Location": f"{self.api_url}/tickets/{ticket.id}"})

    def _ticket(self, request: Request) -> Ticket | None:
        return self.tickets.get(int(request.match.group(1)))

    def _show(self, request: Request) -> Response:
        ticket = self._ticket(request)
        return Response(200, ticket.as_json()) if ticket else Response(404)

    def _update(self, request: Request) -> Response:
        ticket = self._ticket(request)
        if ticket is None:
            return Response(404)
        body, refused = self._json(request)
        if refused:
            return refused
        errors = self._check_fields(body, UPDATE_FIELDS)
        if errors:
            return validation(*errors)
        ticket.fields.update(body)
        ticket.updated_at = datetime.now(UTC)
        return Response(200, ticket.as_json())

    def _note(self, request: Request) -> Response:
        ticket = self._ticket(request)
        if ticket is None:
            return Response(404)
        body, refused = self._json(request)
        if refused:
            return refused
        errors = [(k, "Unexpected/invalid field in request", "invalid_field") for k in body if k not in NOTE_FIELDS]
        if not isinstance(body.get("body"), str) or not body["body"].strip():
            errors.append(("body", "It should be a/an String", "missing_field"))
        if errors:
            return validation(*errors)
        now = datetime.now(UTC)
        note = {
            "body": body["body"],
            "body_text": re.sub(r"<[^>]+>", "", body["body"]),
            "id": next(self._conversation_ids),
            "incoming": False,
            "private": body.get("private", True),
            "user_id": 1,
            "support_email": None,
            "source": 2,
            "ticket_id": ticket.id,
            "to_emails": [],
            "from_email": None,
            "cc_emails": None,
            "bcc_emails": None,
            "created_at": zulu(now),
            "updated_at": zulu(now),
            "attachments": [],
        }
        ticket.conversations.append(note)
        ticket.updated_at = now
        return Response(201, note)

    def _page(self, request: Request, rows: list, path: str) -> Response:
        try:
            page, per_page = int(request.query.get("page", "1")), int(request.query.get("per_page", "30"))
        except ValueError:
            return validation(("page", "It should be a/an Positive Integer", "datatype_mismatch"))
        if page < 1 or not 1 <= per_page <= 100:
            return validation(
                ("per_page", "It should be a Positive Integer less than or equal to 100", "invalid_value")
            )
        shown = rows[(page - 1) * per_page : page * per_page]
        headers = {}
        if len(rows) > page * per_page:
            query = urlencode({**request.query, "page": page + 1})
            headers["Link"] = f'<{self.api_url}{path}?{query}>; rel="next"'
        return Response(200, shown, headers)

    def _list(self, request: Request) -> Response:
        rows = list(self.tickets.values())
        since = request.query.get("updated_since")
        if since:
            try:
                moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
            except ValueError:
                return validation(("updated_since", "It should be in the 'valid date' format", "invalid_value"))
            rows = [t for t in rows if t.updated_at >= moment]
        key = request.query.get("order_by", "created_at")
        if key not in ("created_at", "due_by", "updated_at", "status"):
            return validation(
                ("order_by", "It should be one of these values: 'created_at,due_by,updated_at,status'", "invalid_value")
            )
        rows.sort(
            key=lambda t: (getattr(t, key, None) or t.fields.get(key, 0), t.id),
            reverse=request.query.get("order_type", "desc") == "desc",
        )
        listed = [{k: v for k, v in t.as_json().items() if k not in ("description", "description_text")} for t in rows]
        return self._page(request, listed, "/tickets")

    def _conversations(self, request: Request) -> Response:
        ticket = self._ticket(request)
        if ticket is None:
            return Response(404)
        return self._page(request, ticket.conversations, f"/tickets/{ticket.id}/conversations")

    def _agent_page(self, request: Request) -> Response:
        ticket = self._ticket(request)
        if ticket is None:
            return Response(404, "Ticket introuvable")
        subject, status = ticket.fields.get("subject", ""), ticket.fields.get("status")
        return Response(200, f"Freshdesk (local) — ticket n° {ticket.id} : {subject} — statut {status}")

    # --- what an agent does in Freshdesk ----------------------------------------------------------
    def resolve(self, ticket_id: int, status: int = 4, notify: bool = True) -> None:
        """An agent resolves the ticket; an automation rule then tells Vigie (when a webhook is set)."""
        with self.lock:
            ticket = self.tickets[ticket_id]
            ticket.fields["status"] = status
            ticket.updated_at = datetime.now(UTC)
        if self.webhook_url and notify:
            self._call_webhook(ticket_id, status)

    def _call_webhook(self, ticket_id: int, status: int) -> None:
        body = json.dumps({"freshdesk_webhook": {"ticket_id": ticket_id, "ticket_status": status}}).encode()
        headers = {"Content-Type": "application/json", **self.webhook_headers}
        post_webhook(self.webhook_url, body, headers, timeout=5)  # a failure is not retried; polling catches up
