"""FakeFacebook: the Graph endpoints Vigie uses, with their state, errors and signed webhooks.

Follows platform-apis.md §1: ids in the real formats (§1.12), Graph error envelopes and codes (§1.10),
`X-Business-Use-Case-Usage` on every answer with a call count that grows with traffic (§1.11), cursor
paging with `paging.cursors` and `paging.next` (§1.9), the Send API with its 24 h / 7 days windows and the
one-private-reply-per-comment rule (§1.8), and the Page's own posts on its feed (`POST /{page-id}/feed`,
Meta's Pages API; see docs/crisis.md: not yet in platform-apis.md).

The public acts through methods (`add_comment`, `edit_comment`, `remove_comment`, `add_message`, `react`);
each sends the webhook Meta would send, signed with the app secret over the exact bytes (non-ASCII escaped
as \\uXXXX). What the Page does through the API (replies, messages) produces webhooks too, with
`from.id` = the Page: they wait in `pending_webhooks` until `flush()` (or go at once, from a background
thread, when only `webhook_url` is set, as for the demo). `counts` says what was done on the platform.

Assumptions marked [unconf] in platform-apis.md are choices here: errors 10900 / 10903 for a second or late
private reply, code 10 when hiding the Page's own comment, hide/unhide webhooks only when `hide_webhooks`.
"""

import base64
import hashlib
import hmac
import json
import random
import re
import string
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode

import httpx

from vigie.connectors.fake.server import FakeServer, Faults, Request, Response

VERSION = r"(?:/v\d+\.\d+)?"
NODE = r"/(?P<id>[A-Za-z0-9_.:-]+)"
DAY = 86400.0
MESSAGING_WINDOW = DAY
HUMAN_AGENT_WINDOW = 7 * DAY
PRIVATE_REPLY_WINDOW = 7 * DAY


@dataclass
class Person:
    name: str
    asid: str  # app-scoped id, seen as from.id on comments
    psid: str  # page-scoped id, seen on Messenger


@dataclass
class Post:
    id: str
    message: str
    created_time: float
    seq: int


@dataclass
class Comment:
    id: str
    post_id: str
    parent_id: str | None
    author_id: str
    author_name: str
    message: str
    created_time: float
    seq: int
    is_hidden: bool = False
    private_reply_conversation: str | None = None
    photo: str | None = None


@dataclass
class Conversation:
    id: str
    psid: str
    name: str
    updated_time: float
    last_user_message_at: float | None = None
    messages: list[dict] = field(default_factory=list)  # oldest first


def iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


RATE_LIMIT_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    80001: "(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, "
    "please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
}


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


class FakeFacebook(FakeServer):
    name = "facebook"

    def __init__(
        self,
        *,
        page_id: str = "104857600123456",
        page_name: str = "AHTMA Formation",
        page_token: str = "EAAfakePageToken",  # noqa: S107 (a fake)
        app_secret: str = "fake-app-secret",  # noqa: S107
        webhook_url: str | None = None,
        deliver: Callable[[bytes, dict], int] | None = None,
        seed: int = 7,
    ):
        self.page_id, self.page_name, self.page_token = page_id, page_name, page_token
        self.app_secret, self.app_id = app_secret, "1517776481860111"
        self.seed = seed
        self._flushing = threading.Lock()
        self._idle = threading.Condition()
        self._in_flight = 0
        super().__init__()
        self.reset(webhook_url=webhook_url, deliver=deliver)

    def reset(self, *, webhook_url: str | None = None, deliver: Callable[[bytes, dict], int] | None = None) -> None:
        """A fresh Page: no posts, comments, conversations, blocks, faults or counts (the server keeps running)."""
        with self.lock:
            self.webhook_url, self.deliver = webhook_url, deliver
            self.auto_flush = True  # the public's acts are delivered at once
            self.hide_webhooks = False  # [unconf] whether Meta still sends feed hide/unhide
            self.faults = Faults()
            self.calls.clear()
            self.ids = random.Random(self.seed)
            self.seq = 0
            self.people: dict[str, Person] = {}  # by name
            self.posts: dict[str, Post] = {}
            self.comments: dict[str, Comment] = {}
            self.deleted: set[str] = set()
            self.conversations: dict[str, Conversation] = {}  # by PSID
            self.blocked: dict[str, str] = {}  # id → name
            self.subscribed_fields: list[str] = []
            self.counts: Counter[str] = Counter()
            self.usage = {"call_count": 0.0, "total_cputime": 0.0, "total_time": 0.0}
            self.usage_step = 0.02  # percent of the budget each call uses
            self.regain_minutes = 5
            self.rate_limit_code = 80001  # or 4, 17, 32 (app, user, Page with a user token)
            self.webhook_timeout = 5.0  # seconds Vigie has to answer a delivery (Messenger: 5 s to 20 s)
            self.pending_webhooks: list[dict] = []
            self.webhooks_sent: list[tuple[bytes, dict, int]] = []
            self.scripted: list[Response] = []  # answered, in order, to the next calls (see `answer_next`)
            self.deny_authorization = False  # the admin clicks "Not now" on the Login dialog
            self.codes: dict[str, tuple[str, float]] = {}  # authorization code → (redirect_uri, expiry)
            self.user_tokens: set[str] = set()  # short- and long-lived user tokens given out

    # --- what tests count ---------------------------------------------------------------------------
    @property
    def replies_created(self) -> int:
        return self.counts["replies"]

    @property
    def messages_sent(self) -> int:
        return self.counts["messages"]

    @property
    def private_replies(self) -> int:
        return self.counts["private_replies"]

    @property
    def posts_published(self) -> int:
        return self.counts["posts"]

    @property
    def hides(self) -> int:
        return self.counts["hides"]

    @property
    def deletions(self) -> int:
        return self.counts["deletions"]

    @property
    def blocks(self) -> int:
        return self.counts["blocks"]

    def replies_to(self, object_id: str) -> list[Comment]:
        with self.lock:
            return [
                c for c in self._alive() if c.parent_id == object_id or (c.parent_id is None and c.post_id == object_id)
            ]

    def answer_next(self, *responses: Response) -> None:
        """The next calls get these answers (e.g. `graph_error(368, ...)`) instead of being served."""
        with self.lock:
            self.scripted.extend(responses)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Until no request is being served (a timed-out one finishes its work first, as on Facebook)."""
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    # --- ids in the real formats (§1.12) ------------------------------------------------------------
    def _digits(self, length: int) -> str:
        return str(self.ids.randint(10 ** (length - 1), 10**length - 1))

    def _next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def _mid(self) -> str:
        alphabet = string.ascii_letters + string.digits + "-_"
        return "m_" + "".join(self.ids.choice(alphabet) for _ in range(86))

    # --- the public ---------------------------------------------------------------------------------
    def person(self, name: str) -> Person:
        with self.lock:
            if name not in self.people:
                self.people[name] = Person(name=name, asid=self._digits(17), psid=self._digits(16))
            return self.people[name]

    def _person_by_id(self, person_id: str) -> Person | None:
        return next((p for p in self.people.values() if person_id in (p.asid, p.psid)), None)

    def add_post(self, message: str, *, created_time: float | None = None) -> str:
        with self.lock:
            post = Post(f"{self.page_id}_{self._digits(15)}", message, created_time or time.time(), self._next_seq())
            self.posts[post.id] = post
            self._emit_feed(
                {
                    "item": "status",
                    "verb": "add",
                    "post_id": post.id,
                    "message": message,
                    "from": self._page_from(),
                    "created_time": int(post.created_time),
                    "published": 1,
                }
            )
        self._public_flush()
        return post.id

    def add_comment(
        self,
        post_id: str,
        text: str,
        author: str | Person = "Camille Martin",
        *,
        parent_id: str | None = None,
        created_time: float | None = None,
        photo: str | None = None,
    ) -> str:
        """A person comments on a post (or replies to a comment): the comment exists, the webhook goes."""
        with self.lock:
            if post_id not in self.posts:
                self.posts[post_id] = Post(post_id, "", time.time(), self._next_seq())
            person = author if isinstance(author, Person) else self.person(author)
            comment = self._create_comment(post_id, parent_id, person.asid, person.name, text, created_time, photo)
            self._emit_comment(comment, "add")
        self._public_flush()
        return comment.id

    def edit_comment(self, comment_id: str, text: str) -> None:
        with self.lock:
            comment = self.comments[comment_id]
            comment.message = text
            self._emit_comment(comment, "edited", created_time=time.time())
        self._public_flush()

    def remove_comment(self, comment_id: str) -> None:
        """Its author deletes the comment."""
        with self.lock:
            comment = self._delete_comment(comment_id)
            self._emit_comment(comment, "remove")
        self._public_flush()

    def react(self, post_id: str, author: str = "Camille Martin", reaction_type: str = "like") -> None:
        with self.lock:
            person = self.person(author)
            self._emit_feed(
                {
                    "item": "reaction",
                    "verb": "add",
                    "reaction_type": reaction_type,
                    "post_id": post_id,
                    "parent_id": post_id,
                    "from": {"id": person.asid, "name": person.name},
                    "created_time": int(time.time()),
                }
            )
        self._public_flush()

    def add_message(
        self,
        psid: str | None,
        text: str = "",
        *,
        name: str = "Camille Martin",
        attachments: list[dict] | None = None,
        at: float | None = None,
    ) -> str:
        """A person writes to the Page on Messenger: the one with this PSID, or else the one called `name`."""
        with self.lock:
            person = self._person_by_id(psid) if psid else self.person(name)
            if person is None:  # a PSID the fake has not seen yet
                person = Person(name=name, asid=self._digits(17), psid=psid)
                self.people[name if name not in self.people else f"{name} ({psid})"] = person
            at = at or time.time()
            conversation = self._conversation(person)
            mid = self._add_to_conversation(conversation, person.psid, text, at, attachments or [])
            conversation.last_user_message_at = at
            message = {"mid": mid, "text": text} if text else {"mid": mid}
            if attachments:
                message["attachments"] = attachments
            self._emit_messaging(
                {
                    "sender": {"id": person.psid},
                    "recipient": {"id": self.page_id},
                    "timestamp": int(at * 1000),
                    "message": message,
                },
                at,
            )
        self._public_flush()
        return mid

    # --- what existed before Vigie was connected (no webhook goes): the demo's history --------------
    def restore_comment(self, comment_id: str, post_id: str, author_id: str, name: str, text: str, at: float, *,
                        parent_id: str | None = None, post_text: str = "") -> None:  # fmt: skip
        with self.lock:
            if post_id not in self.posts:
                self.posts[post_id] = Post(post_id, post_text, at, self._next_seq())
            self.people.setdefault(name, Person(name=name, asid=author_id, psid=self._digits(16)))
            self.comments[comment_id] = Comment(comment_id, post_id, parent_id, author_id, name, text, at,
                                                self._next_seq())  # fmt: skip

    def restore_message(self, psid: str, name: str, text: str, at: float) -> None:
        """A Messenger message a person sent earlier (the 24-hour window counts from the latest one)."""
        with self.lock:
            person = self._person_by_id(psid)
            if person is None:
                person = Person(name=name, asid=self._digits(17), psid=psid)
                self.people[name if name not in self.people else f"{name} ({psid})"] = person
            conversation = self._conversation(person)
            self._add_to_conversation(conversation, psid, text, at, [])
            conversation.last_user_message_at = max(conversation.last_user_message_at or 0, at)

    # --- state changes shared by the public and the API ---------------------------------------------
    def _create_comment(self, object_id, parent_id, author_id, author_name, text, created_time, photo) -> Comment:
        post_id = object_id if object_id in self.posts else self.comments[object_id].post_id
        parent_id = parent_id or (object_id if object_id in self.comments else None)
        post_object = post_id.split("_", 1)[1]
        comment = Comment(
            f"{post_object}_{self._digits(16)}",
            post_id,
            parent_id,
            author_id,
            author_name,
            text,
            created_time or time.time(),
            self._next_seq(),
            photo=photo,
        )
        self.comments[comment.id] = comment
        return comment

    def _delete_comment(self, comment_id: str) -> Comment:
        comment = self.comments.pop(comment_id)
        self.deleted.add(comment_id)
        for reply in [c for c in self.comments.values() if c.parent_id == comment_id]:
            self.comments.pop(reply.id)
            self.deleted.add(reply.id)
        return comment

    def _alive(self) -> list[Comment]:
        return sorted(self.comments.values(), key=lambda c: c.seq)

    def _conversation(self, person: Person) -> Conversation:
        if person.psid not in self.conversations:
            self.conversations[person.psid] = Conversation(
                f"t_{self._digits(16)}", person.psid, person.name, time.time()
            )
        return self.conversations[person.psid]

    def _add_to_conversation(
        self, conversation: Conversation, sender: str, text: str, at: float, attachments: list[dict]
    ) -> str:
        mid = self._mid()
        conversation.messages.append({"id": mid, "from": sender, "text": text, "at": at, "attachments": attachments})
        conversation.updated_time = at
        return mid

    # --- webhooks -----------------------------------------------------------------------------------
    def _page_from(self) -> dict:
        return {"id": self.page_id, "name": self.page_name}

    def _emit_feed(self, value: dict, *, field_name: str = "feed") -> None:
        entry = {"id": self.page_id, "time": int(time.time()), "changes": [{"field": field_name, "value": value}]}
        self.pending_webhooks.append({"object": "page", "entry": [entry]})

    def _emit_comment(self, comment: Comment, verb: str, *, created_time: float | None = None) -> None:
        post = self.posts.get(comment.post_id)
        value = {"from": {"id": comment.author_id, "name": comment.author_name}}
        if post is not None and verb != "remove":
            value["post"] = {
                "status_type": "mobile_status_update",
                "is_published": True,
                "updated_time": iso(time.time()),
                "permalink_url": self._permalink(post.id),
                "promotion_status": "inactive",
                "id": post.id,
            }
        if verb != "remove":
            value |= {"message": comment.message, "created_time": int(created_time or comment.created_time)}
        if comment.photo and verb != "remove":
            value["photo"] = comment.photo
        value |= {
            "post_id": comment.post_id,
            "comment_id": comment.id,
            "item": "comment",
            "parent_id": comment.parent_id or comment.post_id,
            "verb": verb,
        }
        self._emit_feed(value)

    def _emit_messaging(self, event: dict, at: float) -> None:
        entry = {"id": self.page_id, "time": int(at * 1000), "messaging": [event]}
        self.pending_webhooks.append({"object": "page", "entry": [entry]})

    def signed(self, payload: dict) -> tuple[bytes, dict]:
        """The bytes Meta sends (non-ASCII as \\uXXXX) and their headers."""
        body = json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode()
        signature = hmac.new(self.app_secret.encode(), body, hashlib.sha256).hexdigest()
        return body, {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={signature}"}

    def flush(self, *, batch: bool = False) -> list[int]:
        """Deliver the pending webhooks (all in one POST when `batch`); failed ones stay pending."""
        with self._flushing:
            with self.lock:
                payloads, self.pending_webhooks = self.pending_webhooks, []
            if batch and payloads:
                payloads = [{"object": "page", "entry": [e for p in payloads for e in p["entry"]]}]
            statuses, failed = [], []
            for payload in payloads:
                status = self._deliver(payload)
                statuses.append(status)
                if not 200 <= status < 300:
                    failed.append(payload)
            with self.lock:
                self.pending_webhooks[:0] = failed  # Meta retries for up to 36 hours
            return statuses

    def verify_subscription(self, verify_token: str, get: Callable[[dict], httpx.Response] | None = None) -> bool:
        """Meta's GET handshake against the webhook: True when the challenge comes back byte for byte."""
        challenge = self._digits(10)
        query = {"hub.mode": "subscribe", "hub.challenge": challenge, "hub.verify_token": verify_token}
        response = get(query) if get is not None else httpx.get(self.webhook_url, params=query, timeout=5.0)
        return response.status_code == 200 and response.content == challenge.encode()

    def _deliver(self, payload: dict) -> int:
        body, headers = self.signed(payload)
        if self.deliver is not None:
            status = self.deliver(body, headers)
        elif self.webhook_url:
            try:
                response = httpx.post(self.webhook_url, content=body, headers=headers, timeout=self.webhook_timeout)
                status = response.status_code
            except httpx.HTTPError:
                status = 0
        else:
            return 0
        self.webhooks_sent.append((body, headers, status))
        return status

    def _public_flush(self) -> None:
        if self.auto_flush and (self.deliver or self.webhook_url):
            self.flush()

    def _api_flush(self) -> None:
        """Webhooks caused by API calls: delivered from a thread only when posting to a real URL."""
        if self.auto_flush and self.webhook_url and self.deliver is None:
            threading.Thread(target=self.flush, daemon=True).start()

    # --- Facebook Login (the manual flow; nobody is there to click, so the dialog approves at once) -----
    def login_dialog(self, request: Request) -> Response:
        query = request.query
        redirect_uri, state = query.get("redirect_uri", ""), query.get("state", "")
        if query.get("client_id") != self.app_id or not redirect_uri:
            return Response(400, "Invalid App ID or redirect_uri", {"Content-Type": "text/html"})
        if self.deny_authorization:
            answer = {"error": "access_denied", "error_code": "200", "error_reason": "user_denied",
                      "error_description": "Permissions error", "state": state}  # fmt: skip
        else:
            code = "AQ" + self._digits(40)
            self.codes[code] = (redirect_uri, time.time() + 600)  # single use, ten minutes
            answer = {"code": code, "state": state}
        separator = "&" if "?" in redirect_uri else "?"
        return Response(302, "", {"Location": f"{redirect_uri}{separator}{urlencode(answer)}"})

    def access_token(self, request: Request) -> Response:
        query = request.query
        if query.get("client_id") != self.app_id:
            return graph_error(101, "Error validating application. Invalid application ID.")
        if query.get("client_secret") != self.app_secret:
            return graph_error(1, "Error validating client secret.")
        if query.get("grant_type") == "fb_exchange_token":
            if query.get("fb_exchange_token") not in self.user_tokens:
                return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
            return Response(200, self._user_token(expires_in=5183944))
        redirect_uri, expires = self.codes.pop(query.get("code", ""), ("", 0.0))
        if not redirect_uri or expires < time.time():
            return graph_error(100, "This authorization code has been used.", subcode=36009)
        if query.get("redirect_uri") != redirect_uri:
            message = "Error validating verification code. Please make sure your redirect_uri is identical to the one "
            return graph_error(100, message + "you used in the OAuth dialog request", subcode=36008)
        return Response(200, self._user_token(expires_in=5183))

    def _user_token(self, expires_in: int) -> dict:
        token = "EAAfakeUser" + self._digits(24)
        self.user_tokens.add(token)
        return {"access_token": token, "token_type": "bearer", "expires_in": expires_in}

    def managed_pages(self, request: Request) -> Response:
        page = {"access_token": self.page_token, "category": "Education", "name": self.page_name, "id": self.page_id,
                "tasks": ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"]}  # fmt: skip
        return Response(200, {"data": [page], "paging": {"cursors": {"before": "QVFI", "after": "QVFI"}}})

    # --- HTTP plumbing --------------------------------------------------------------------------------
    def _dispatch(self, request: Request) -> Response:
        with self._idle:
            self._in_flight += 1
        try:
            with self.lock:
                scripted = self.scripted.pop(0) if self.scripted else None
            started = time.monotonic()
            response = scripted or super()._dispatch(request)
            with self.lock:
                self.counts["requests"] += 1
                slow = time.monotonic() - started >= self.faults.timeout_seconds  # the client had given up
                self.counts["failed_answers"] += slow or response.status >= 500
                for key, share in (("call_count", 1.0), ("total_time", 0.8), ("total_cputime", 0.6)):
                    self.usage[key] = min(100.0, self.usage[key] + self.usage_step * share)
                response.headers.setdefault("X-Business-Use-Case-Usage", self._usage_header())
            return response
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def _usage_header(self, *, exhausted: bool = False) -> str:
        numbers = {key: 100 if exhausted else int(value) for key, value in self.usage.items()}
        full = exhausted or max(numbers.values()) >= 100
        row = {"type": "pages", **numbers, "estimated_time_to_regain_access": self.regain_minutes if full else 0}
        return json.dumps({self.page_id: [row]})

    def rate_limit_response(self) -> Response:
        headers = {"X-Business-Use-Case-Usage": self._usage_header(exhausted=True)}
        code = self.rate_limit_code
        return graph_error(code, RATE_LIMIT_MESSAGES.get(code, f"(#{code}) Rate limit reached"), headers=headers)

    def expired_token_response(self) -> Response:
        return graph_error(
            190,
            "Error validating access token: Session has expired on Tuesday, 17-Nov-26 "
            "09:00:00 PST. The current time is Friday, 20-Nov-26 01:00:00 PST.",
            subcode=463,
        )

    def authenticate(self, request: Request) -> Response | None:
        if re.fullmatch(f"{VERSION}/(dialog/oauth|oauth/access_token)", request.path):
            return None  # Facebook Login: the app identifies itself by client id and secret
        bearer = request.headers.get("authorization", "")
        token = request.query.get("access_token") or (bearer[7:] if bearer.startswith("Bearer ") else "")
        if not token and request.body and request.method == "POST":
            token = str(request.form().get("access_token", ""))
        if not token:
            return graph_error(104, "An access token is required to request this resource.")
        user_edge = re.fullmatch(f"{VERSION}/me/accounts", request.path)
        if token != self.page_token and not (user_edge and token in self.user_tokens):
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        return None

    def register_routes(self) -> None:
        self.route("GET", f"{VERSION}/dialog/oauth", self.login_dialog)
        self.route("GET", f"{VERSION}/oauth/access_token", self.access_token)
        self.route("GET", f"{VERSION}/me/accounts", self.managed_pages)
        for edge in ("posts", "feed"):
            self.route("GET", f"{VERSION}{NODE}/{edge}", self.list_posts)
        self.route("GET", f"{VERSION}{NODE}/comments", self.list_comments)
        self.route("POST", f"{VERSION}{NODE}/comments", self.create_comment)
        self.route("POST", f"{VERSION}{NODE}/feed", self.create_post)
        self.route("GET", f"{VERSION}{NODE}/conversations", self.list_conversations)
        self.route("POST", f"{VERSION}{NODE}/messages", self.send_message)
        self.route("GET", f"{VERSION}{NODE}/blocked", self.list_blocked)
        self.route("POST", f"{VERSION}{NODE}/blocked", self.block)
        self.route("DELETE", f"{VERSION}{NODE}/blocked", self.unblock)
        self.route("GET", f"{VERSION}{NODE}/subscribed_apps", self.list_subscriptions)
        self.route("POST", f"{VERSION}{NODE}/subscribed_apps", self.subscribe)
        self.route("GET", f"{VERSION}{NODE}", self.read_node)
        self.route("POST", f"{VERSION}{NODE}", self.update_comment)
        self.route("DELETE", f"{VERSION}{NODE}", self.delete_comment)
        for method in ("GET", "POST", "DELETE", "PUT"):
            self.route(method, r"/.*", self.unknown_path)

    def unknown_path(self, request: Request) -> Response:
        return graph_error(2500, f"Unknown path components: {request.path}")

    def _is_page(self, request: Request) -> bool:
        return request.match["id"] in (self.page_id, "me")

    # --- cursor paging (§1.9) -------------------------------------------------------------------------
    @staticmethod
    def _cursor(position: int) -> str:
        return base64.b64encode(f"cursor:{position}".encode()).decode().rstrip("=")

    @staticmethod
    def _position(cursor: str) -> int | None:
        try:
            return int(base64.b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":", 1)[1])
        except (ValueError, IndexError, UnicodeDecodeError):
            return None

    def _page_of(self, request: Request, items: list, position: Callable, *, default_limit: int = 25):
        """One page of `items` (already in order) after/before the query's cursor, with Graph's paging."""
        limit = max(1, min(int(request.query.get("limit", default_limit) or default_limit), 100))
        if "after" in request.query:
            after = self._position(request.query["after"])
            if after is None:
                return None
            positions = [position(item) for item in items]
            index = positions.index(after) + 1 if after in positions else self._after_missing(items, position, after)
            items = items[index:]
        page, more = items[:limit], len(items) > limit
        paging = {}
        if page:
            paging["cursors"] = {"before": self._cursor(position(page[0])), "after": self._cursor(position(page[-1]))}
            if more:
                query = {k: v for k, v in request.query.items() if k != "before"} | {
                    "after": paging["cursors"]["after"]
                }
                paging["next"] = f"{self.url}{request.path}?{urlencode(query)}"
        return page, paging

    @staticmethod
    def _after_missing(items: list, position: Callable, after: int) -> int:
        """The cursor's item is gone (deleted): continue where it stood (positions grow with the order)."""
        ascending = len(items) < 2 or position(items[0]) <= position(items[-1])
        return next((i for i, item in enumerate(items) if (position(item) > after) == ascending), len(items))

    # --- posts and comments ---------------------------------------------------------------------------
    def _permalink(self, post_id: str) -> str:
        page, post = post_id.split("_", 1)
        return f"https://www.facebook.com/{page}/posts/{post}"

    def _post_node(self, post: Post, fields: set[str], raw_fields: str) -> dict:
        node = {
            "id": post.id,
            "message": post.message,
            "created_time": iso(post.created_time),
            "permalink_url": self._permalink(post.id),
        }
        if "comments" in fields:
            stream = "filter(stream)" in raw_fields
            count = sum(1 for c in self.comments.values() if c.post_id == post.id and (stream or not c.parent_id))
            node["comments"] = {
                "data": [],
                "summary": {"order": "chronological", "total_count": count, "can_comment": True},
            }
        return self._select(node, fields or {"id", "message", "created_time"})

    @staticmethod
    def _select(node: dict, fields: set[str]) -> dict:
        return {key: value for key, value in node.items() if key == "id" or key in fields}

    def list_posts(self, request: Request) -> Response:
        if not self._is_page(request):
            return not_found(request.match["id"])
        raw_fields = request.query.get("fields", "")
        posts = sorted(self.posts.values(), key=lambda p: (p.created_time, p.seq), reverse=True)
        paged = self._page_of(request, posts, lambda p: p.seq)
        if paged is None:
            return graph_error(100, "(#100) Invalid cursor")
        page, paging = paged
        data = [self._post_node(p, top_level_fields(raw_fields), raw_fields) for p in page]
        return Response(200, {"data": data, "paging": paging} if paging else {"data": data})

    def _comment_node(self, comment: Comment, fields: set[str]) -> dict:
        young = time.time() - comment.created_time <= PRIVATE_REPLY_WINDOW
        by_page = comment.author_id == self.page_id
        node = {
            "id": comment.id,
            "created_time": iso(comment.created_time),
            "from": {"name": comment.author_name, "id": comment.author_id},
            "message": comment.message,
            "can_remove": True,
            "can_hide": not by_page,
            "can_reply_privately": not by_page and young and comment.private_reply_conversation is None,
            "is_hidden": comment.is_hidden,
            "like_count": 0,
            "comment_count": sum(1 for c in self.comments.values() if c.parent_id == comment.id),
            "permalink_url": f"{self._permalink(comment.post_id)}?comment_id={comment.id.split('_', 1)[1]}",
        }
        if comment.parent_id:
            parent = self.comments.get(comment.parent_id)
            node["parent"] = {"id": comment.parent_id} | (
                {"created_time": iso(parent.created_time), "message": parent.message} if parent else {}
            )
        if comment.private_reply_conversation:
            node["private_reply_conversation"] = {"id": comment.private_reply_conversation}
        if comment.photo:
            node["attachment"] = {
                "type": "photo",
                "media": {"image": {"height": 720, "width": 960, "src": comment.photo}},
                "url": comment.photo,
            }
        return self._select(node, fields or {"created_time", "from", "message"})

    def list_comments(self, request: Request) -> Response:
        object_id = request.match["id"]
        stream = request.query.get("filter") == "stream"
        if object_id in self.posts:
            pool = [c for c in self._alive() if c.post_id == object_id and (stream or c.parent_id is None)]
        elif object_id in self.comments:
            pool = [c for c in self._alive() if c.parent_id == object_id]
        else:
            return not_found(object_id)
        order = request.query.get("order", "chronological")
        if order == "reverse_chronological":
            pool.reverse()
        paged = self._page_of(request, pool, lambda c: c.seq)
        if paged is None:
            return graph_error(
                100, "(#100) The After Cursor specified exceeds the max limit supported by this endpoint"
            )
        page, paging = paged
        body = {"data": [self._comment_node(c, top_level_fields(request.query.get("fields", ""))) for c in page]}
        if paging:
            body["paging"] = paging
        if request.query.get("summary") == "true":
            body["summary"] = {"order": order, "total_count": len(pool), "can_comment": True}
        return Response(200, body)

    def create_comment(self, request: Request) -> Response:
        """The Page replies publicly (to a comment or on a post)."""
        object_id = request.match["id"]
        if object_id not in self.posts and object_id not in self.comments:
            return not_found(object_id, "post")
        text = str(request.form().get("message", "")).strip()
        if not text:
            return graph_error(100, "(#100) Missing message or attachment", kind="OAuthException")
        comment = self._create_comment(object_id, None, self.page_id, self.page_name, text, None, None)
        self.counts["replies"] += 1
        self._emit_comment(comment, "add")
        self._api_flush()
        return Response(200, {"id": comment.id})

    def create_post(self, request: Request) -> Response:
        """The Page publishes on its feed (Pages API: `POST /{page-id}/feed`, `message` and/or `link`;
        `published=false` needs a `scheduled_publish_time` 10 minutes to 30 days ahead): `{"id": "<page>_<post>"}`.
        Only the Page itself can be posted to with a Page token."""
        if not self._is_page(request):
            return graph_error(200, "(#200) The user hasn't authorized the application to perform this action",
                               kind="OAuthException", status=403)  # fmt: skip
        params = request.form()
        message, link = str(params.get("message", "")).strip(), str(params.get("link", "")).strip()
        if not message and not link:
            return graph_error(100, "(#100) Missing message or attachment")
        scheduled = None
        if str(params.get("published", "true")).lower() == "false":
            try:
                scheduled = float(params["scheduled_publish_time"])
            except (KeyError, ValueError):
                return graph_error(100, "(#100) Unpublished posts must be scheduled with scheduled_publish_time")
            if not 600 <= scheduled - time.time() <= 30 * DAY:
                return graph_error(100, "(#100) The specified scheduled publish time is invalid.")
        post = Post(f"{self.page_id}_{self._digits(15)}", message, scheduled or time.time(), self._next_seq())
        self.posts[post.id] = post
        self.counts["posts"] += 1
        if scheduled is None:
            self._emit_feed({"item": "status", "verb": "add", "post_id": post.id, "message": message,
                             "from": self._page_from(), "created_time": int(post.created_time),
                             "published": 1})  # fmt: skip
            self._api_flush()
        return Response(200, {"id": post.id})

    def update_comment(self, request: Request) -> Response:
        """POST /{comment-id}: is_hidden=true|false, or message= for the Page's own comment."""
        comment = self.comments.get(request.match["id"])
        if comment is None:
            return not_found(request.match["id"], "post")
        params = request.form()
        if "is_hidden" in params:
            hidden = str(params["is_hidden"]).lower() == "true"
            if comment.author_id == self.page_id:
                return graph_error(10, "(#10) A Page cannot hide its own comments")  # [unconf] code
            comment.is_hidden = hidden
            self.counts["hides" if hidden else "unhides"] += 1
            if self.hide_webhooks:
                self._emit_comment(comment, "hide" if hidden else "unhide", created_time=time.time())
                self._api_flush()
            return Response(200, {"success": True})
        if "message" in params and comment.author_id == self.page_id:
            comment.message = str(params["message"])
            self._emit_comment(comment, "edited", created_time=time.time())
            self._api_flush()
            return Response(200, {"success": True})
        return graph_error(100, "(#100) Invalid parameter")

    def delete_comment(self, request: Request) -> Response:
        if request.match["id"] not in self.comments:
            return not_found(request.match["id"], "delete")
        comment = self._delete_comment(request.match["id"])
        self.counts["deletions"] += 1
        self._emit_comment(comment, "remove")
        self._api_flush()
        return Response(200, {"success": True})

    def read_node(self, request: Request) -> Response:
        object_id, fields = request.match["id"], top_level_fields(request.query.get("fields", ""))
        if object_id in (self.page_id, "me"):
            return Response(200, self._select({"id": self.page_id, "name": self.page_name}, fields or {"name"}))
        if object_id in self.posts:
            return Response(200, self._post_node(self.posts[object_id], fields, request.query.get("fields", "")))
        if object_id in self.comments:
            return Response(200, self._comment_node(self.comments[object_id], fields))
        conversation = next((c for c in self.conversations.values() if c.id == object_id), None)
        if conversation is not None:
            return Response(200, self._conversation_node(conversation, fields or {"messages"}))
        for conversation in self.conversations.values():
            for message in conversation.messages:
                if message["id"] == object_id:
                    return Response(200, self._message_node(conversation, message))
        return not_found(object_id)

    # --- Messenger ------------------------------------------------------------------------------------
    def _participant(self, person_id: str) -> dict:
        if person_id == self.page_id:
            return {"name": self.page_name, "email": f"{self.page_id}@facebook.com", "id": self.page_id}
        person = self._person_by_id(person_id)
        return {"name": person.name if person else "", "email": f"{person_id}@facebook.com", "id": person_id}

    def _message_node(self, conversation: Conversation, message: dict) -> dict:
        to = self.page_id if message["from"] != self.page_id else conversation.psid
        node = {
            "id": message["id"],
            "created_time": iso(message["at"]),
            "from": self._participant(message["from"]),
            "to": {"data": [self._participant(to)]},
            "message": message["text"],
        }
        files = [
            {
                "id": str(i),
                "mime_type": "image/jpeg",
                "name": f"image-{i}.jpg",
                "image_data": {"url": a.get("payload", {}).get("url", ""), "width": 960, "height": 720},
            }
            for i, a in enumerate(message["attachments"])
        ]
        if files:
            node["attachments"] = {"data": files}
        return node

    def _conversation_node(self, conversation: Conversation, fields: set[str]) -> dict:
        node = {
            "id": conversation.id,
            "updated_time": iso(conversation.updated_time),
            "participants": {"data": [self._participant(conversation.psid), self._participant(self.page_id)]},
            "message_count": len(conversation.messages),
        }
        if "messages" in fields:
            newest = list(reversed(conversation.messages))[:20]  # only the 20 most recent can be read
            node["messages"] = {"data": [self._message_node(conversation, m) for m in newest]}
        return self._select(node, fields or {"updated_time"})

    def list_conversations(self, request: Request) -> Response:
        if not self._is_page(request):
            return not_found(request.match["id"])
        conversations = sorted(self.conversations.values(), key=lambda c: c.updated_time, reverse=True)
        if request.query.get("user_id"):
            conversations = [c for c in conversations if c.psid == request.query["user_id"]]
        order = {c.id: i for i, c in enumerate(conversations)}
        paged = self._page_of(request, conversations, lambda c: order[c.id])
        if paged is None:
            return graph_error(100, "(#100) Invalid cursor")
        page, paging = paged
        fields = top_level_fields(request.query.get("fields", ""))
        data = [self._conversation_node(c, fields) for c in page]
        return Response(200, {"data": data, "paging": paging} if paging else {"data": data})

    @staticmethod
    def _json_param(value):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def send_message(self, request: Request) -> Response:
        """The Send API: a Messenger message to a PSID, or the private reply to a comment."""
        if not self._is_page(request):
            return not_found(request.match["id"], "post")
        params = request.form()
        recipient = self._json_param(params.get("recipient")) or {}
        message = self._json_param(params.get("message")) or {}
        text = str(message.get("text") or "") if isinstance(message, dict) else ""
        if not text:
            return graph_error(100, "(#100) Message cannot be empty, must provide valid attachment or text")
        if len(text) > 2000:
            return graph_error(100, "(#100) Length of param message[text] must be less than or equal to 2000")
        if not isinstance(recipient, dict):
            return graph_error(100, "(#100) param recipient must be non-empty.")
        if recipient.get("comment_id"):
            return self._private_reply(str(recipient["comment_id"]), text)
        if recipient.get("id"):
            return self._message_to(str(recipient["id"]), text, params)
        return graph_error(100, "(#100) param recipient must be non-empty.")

    def _private_reply(self, comment_id: str, text: str) -> Response:
        comment = self.comments.get(comment_id)
        if comment is None:
            return not_found(comment_id, "post")
        if comment.private_reply_conversation:
            return graph_error(10900, "(#10900) Activity already replied to")  # [unconf] code
        if time.time() - comment.created_time > PRIVATE_REPLY_WINDOW:
            return graph_error(10903, "(#10903) This activity can't be replied to")  # [unconf] code
        person = self._person_by_id(comment.author_id) or Person(
            comment.author_name, comment.author_id, self._digits(16)
        )
        conversation = self._conversation(person)
        comment.private_reply_conversation = conversation.id
        mid = self._page_says(conversation, text)
        self.counts["private_replies"] += 1
        return Response(200, {"recipient_id": person.psid, "message_id": mid})

    def _message_to(self, psid: str, text: str, params: dict) -> Response:
        conversation = self.conversations.get(psid)
        if conversation is None:
            return graph_error(100, "(#100) No matching user found", subcode=2018001)
        if psid in self.blocked:
            return graph_error(551, "This person isn't available right now.", subcode=1545041)
        window = MESSAGING_WINDOW
        if params.get("messaging_type") == "MESSAGE_TAG":
            if params.get("tag") != "HUMAN_AGENT":
                return graph_error(
                    100,
                    "(#100) Param tag must be one of {CONFIRMED_EVENT_UPDATE, "
                    "POST_PURCHASE_UPDATE, ACCOUNT_UPDATE, HUMAN_AGENT}",
                )
            window = HUMAN_AGENT_WINDOW
        last = conversation.last_user_message_at
        if last is None or time.time() - last > window:
            return graph_error(
                10,
                "(#10) This message is sent outside of allowed window. Learn more about the new "
                "policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview",
                subcode=2018278,
            )
        mid = self._page_says(conversation, text)
        self.counts["messages"] += 1
        return Response(200, {"recipient_id": psid, "message_id": mid})

    def _page_says(self, conversation: Conversation, text: str) -> str:
        now = time.time()
        mid = self._add_to_conversation(conversation, self.page_id, text, now, [])
        self._emit_messaging(
            {
                "sender": {"id": self.page_id},
                "recipient": {"id": conversation.psid},
                "timestamp": int(now * 1000),
                "message": {"mid": mid, "is_echo": True, "app_id": int(self.app_id), "text": text},
            },
            now,
        )
        self._api_flush()
        return mid

    # --- blocking and subscriptions -------------------------------------------------------------------
    @classmethod
    def _ids_param(cls, params: dict) -> list[str]:
        for key in ("user", "uid", "psid", "asid"):
            if key in params:
                value = cls._json_param(params[key])
                values = value if isinstance(value, list) else str(value).split(",")
                return [str(v).strip() for v in values if str(v).strip()]
        return []

    def block(self, request: Request) -> Response:
        if not self._is_page(request):
            return not_found(request.match["id"], "post")
        ids = self._ids_param(request.form())
        if not ids:
            return graph_error(100, "(#100) Must specify one of user, uid, psid, asid")
        result = {}
        for person_id in ids:
            person = self._person_by_id(person_id) or next(
                (Person(c.author_name, c.author_id, "") for c in self.comments.values() if c.author_id == person_id),
                None,
            )
            result[person_id] = person is not None and person_id != self.page_id
            if result[person_id]:
                self.blocked[person_id] = person.name
                self.counts["blocks"] += 1
        return Response(200, result)

    def list_blocked(self, request: Request) -> Response:
        if not self._is_page(request):
            return not_found(request.match["id"])
        wanted = self._ids_param(request.query)
        data = [{"id": i, "name": n} for i, n in self.blocked.items() if not wanted or i in wanted]
        return Response(200, {"data": data, "paging": {"cursors": {"before": "QVFIU", "after": "QVFIU"}}})

    def unblock(self, request: Request) -> Response:
        if not self._is_page(request):
            return not_found(request.match["id"], "delete")
        for person_id in self._ids_param(request.query | request.form()):
            if self.blocked.pop(person_id, None) is not None:
                self.counts["unblocks"] += 1
        return Response(200, {"success": True})

    def subscribe(self, request: Request) -> Response:
        fields = str(request.form().get("subscribed_fields", ""))
        self.subscribed_fields = [f for f in fields.split(",") if f]
        return Response(200, {"success": True})

    def list_subscriptions(self, request: Request) -> Response:
        apps = [{"id": self.app_id, "name": "Vigie", "subscribed_fields": self.subscribed_fields}]
        return Response(200, {"data": apps if self.subscribed_fields else []})
