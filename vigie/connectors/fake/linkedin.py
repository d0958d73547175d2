"""A local LinkedIn organisation page (Community Management API, platform-apis.md §2).

Endpoints: GET /rest/posts?q=author, POST /rest/posts (an organic post of the organisation, Posts API;
see docs/crisis.md: not yet in platform-apis.md), GET/POST /rest/socialActions/{urn}/comments, GET/DELETE
/rest/socialActions/{urn}/comments/{id}. It insists on what LinkedIn insists on (bearer token,
LinkedIn-Version, X-Restli-Protocol-Version 2.0.0, URL-encoded URNs in paths), answers with LinkedIn's
error envelope, and keeps counters of what was done to it (`created`, `deleted`).

The public acts through methods (`add_comment`, `edit_comment`, `remove_comment`, `like`); when
`webhook_url` is set, each act is sent there as a signed social action notification, at once or, with
`hold_notifications`, in batches of at most 10 by `flush_notifications()`.
"""

import itertools
import json
import re
import time
from dataclasses import dataclass
from urllib.parse import unquote

from vigie.connectors.fake.server import (
    AuthorizationCodes,
    FakeServer,
    Request,
    Response,
    hmac_sha256,
    post_webhook,
    redirect,
)

ORGANIZATION = "urn:li:organization:2414183"
MEMBER = "urn:li:person:Ylpq-RobP9"
MAX_COMMENT_LENGTH = 1250
NOTIFICATIONS_PER_POST = 10
LITTLE_RESERVED = frozenset("|{}@[]()<>#*_~")  # « little » text markup; a backslash escapes them (and itself)


def now_ms() -> int:
    return int(time.time() * 1000)


def error(status: int, message: str, code: str = "", service_code: int | None = None) -> Response:
    body = {"status": status, "serviceErrorCode": service_code if service_code is not None else status,
            "message": message}  # fmt: skip
    if code:
        body["code"] = code
    return Response(status, body)


@dataclass
class Post:
    urn: str  # urn:li:share:… as /posts lists it
    activity: str  # urn:li:activity:… (comment URNs and notifications use it)
    text: str
    created: int


@dataclass
class Comment:
    urn: str
    id: str
    post: Post
    actor: str
    text: str
    created: int
    modified: int
    parent: str | None = None
    deleted: bool = False


class FakeLinkedIn(AuthorizationCodes, FakeServer):
    name = "linkedin"
    api_root = "/rest"

    def __init__(self, organization: str = ORGANIZATION, *, token: str = "fake-linkedin-token",  # noqa: S107
                 client_secret: str = "fake-linkedin-client-secret"):  # noqa: S107  # fmt: skip
        super().__init__()
        self.organization = organization
        self.organization_name = "AHTMA Formation"
        self.token = token
        self.client_id, self.client_secret = "78fakeclientid", client_secret
        self.subscriber = "urn:li:person:AdminPage01"  # the admin whose webhook subscription this is
        self.reset()

    def reset(self) -> None:
        """A page with nothing on it, no faults, no webhook (tests share one running server)."""
        with self.lock:
            super().reset()
            self.forget_codes()
            self.webhook_url = ""
            self.hold_notifications = False
            self.include_total = False  # LinkedIn's `paging.total` may be absent
            self.comment_summaries = True  # `commentsSummary` on each comment element
            self.posts: dict[str, Post] = {}
            self.comments: dict[str, Comment] = {}
            self.created: list[str] = []  # comment URNs created through the API
            self.deleted: list[str] = []  # comment URNs deleted through the API
            self.published: list[str] = []  # post URNs created through the API
            self.deliveries: list[tuple[int, list[int]]] = []  # (HTTP status, notification ids) per POST
            self._queue: list[dict] = []
            self._ids = itertools.count(1)

    # --- the public, and the page's admins in LinkedIn's own interface ----------------------------

    def add_post(self, text: str = "Journée portes ouvertes le 14 mars : venez découvrir nos formations") -> str:
        with self.lock:
            post = Post(f"urn:li:share:{self._next_id()}", f"urn:li:activity:{self._next_id()}", text, now_ms())
            self.posts[post.urn] = post
        return post.urn

    def add_comment(self, target: str, text: str, author: str = MEMBER) -> str:
        """A member comments on a post, or replies to a comment (target = its URN)."""
        with self.lock:
            comment = self._create(target, author, text)
        self._notify("COMMENT", comment)
        return comment.urn

    def restore_comment(self, urn: str, post_urn: str, actor: str, text: str, at_ms: int, *,
                        parent: str | None = None, post_text: str = "") -> None:  # fmt: skip
        """A comment that existed before Vigie was connected (no notification goes): the demo's history."""
        activity, key = urn.removeprefix("urn:li:comment:(").rstrip(")").rsplit(",", 1)
        with self.lock:
            post = self._find_post(post_urn) or self.posts.setdefault(post_urn, Post(post_urn, activity, post_text,
                                                                                       at_ms))  # fmt: skip
            self.comments[urn] = Comment(urn, key, post, actor, text, at_ms, at_ms, parent=parent)

    def edit_comment(self, urn: str, text: str) -> None:
        with self.lock:
            comment = self.comments[urn]
            comment.text, comment.modified = text, now_ms()
        self._notify("COMMENT_EDIT", comment)

    def remove_comment(self, urn: str) -> None:
        """Its author deletes a comment."""
        with self.lock:
            self.comments[urn].deleted = True
        self._notify("COMMENT_DELETE", self.comments[urn])

    def like(self, post_urn: str, actor: str = MEMBER) -> None:
        self._notify("LIKE", post=self.posts[post_urn], actor=actor)

    def visible(self, urn: str) -> bool:
        return urn in self.comments and not self.comments[urn].deleted

    # --- HTTP --------------------------------------------------------------------------------------

    def register_routes(self) -> None:
        comments = r"/rest/socialActions/(?P<target>[^/]+)/comments"
        self.route("GET", r"/oauth/v2/authorization", self._authorization)
        self.route("POST", r"/oauth/v2/accessToken", self._access_token)
        self.route("GET", r"/rest/organizationAcls", self._organization_acls)
        self.route("GET", r"/rest/organizations/(?P<id>\d+)", self._organization)
        self.route("GET", r"/rest/posts", self._list_posts)
        self.route("POST", r"/rest/posts", self._create_post)
        self.route("GET", comments, self._list_comments)
        self.route("POST", comments, self._create_comment)
        self.route("GET", comments + r"/(?P<id>\d+)", self._get_comment)
        self.route("DELETE", comments + r"/(?P<id>\d+)", self._delete_comment)

    # --- 3-legged OAuth (nobody is there to click: the consent screen approves at once) ----------

    def _authorization(self, request: Request) -> Response:
        query = request.query
        redirect_uri, state = query.get("redirect_uri", ""), query.get("state", "")
        if query.get("client_id") != self.client_id or query.get("response_type") != "code" or not redirect_uri:
            return Response(400, "invalid_request", {"Content-Type": "text/html"})
        if self.deny_authorization:
            answer = {"error": "user_cancelled_authorize", "error_description": "The user cancelled the authorization",
                      "state": state}  # fmt: skip
        else:
            answer = {"code": self.give_code(f"AQT{next(self._ids):06d}fakecode", redirect_uri, 1800), "state": state}
        return redirect(redirect_uri, answer)

    def _access_token(self, request: Request) -> Response:
        form = request.form()
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return Response(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        redirect_uri = self.redeem_code(form.get("code", ""))
        if not redirect_uri or form.get("redirect_uri") != redirect_uri:
            return Response(400, {"error": "invalid_request", "error_description": "Unable to retrieve access token: "
                                  "appid/redirect uri/code verifier does not match authorization code"})  # fmt: skip
        return Response(200, {"access_token": self.token, "expires_in": 5183999, "refresh_token": "AQWfakerefresh",
                              "refresh_token_expires_in": 31535999, "scope": "r_organization_social,"
                              "rw_organization_admin,w_organization_social"})  # fmt: skip

    def _organization_acls(self, request: Request) -> Response:
        wanted = (request.query.get("q"), request.query.get("role"), request.query.get("state"))
        if wanted != ("roleAssignee", "ADMINISTRATOR", "APPROVED"):
            return error(400, "Invalid query parameters", "ILLEGAL_ARGUMENT")
        acl = {"organization": self.organization, "role": "ADMINISTRATOR", "state": "APPROVED",
               "roleAssignee": self.subscriber}  # fmt: skip
        return Response(200, {"paging": {"count": 10, "start": 0, "links": []}, "elements": [acl]})

    def _organization(self, request: Request) -> Response:
        if f"urn:li:organization:{request.match['id']}" != self.organization:
            return error(404, "Organization not found", "NOT_FOUND")
        return Response(200, {"id": int(request.match["id"]), "localizedName": self.organization_name,
                              "vanityName": "ahtma-formation"})  # fmt: skip

    def authenticate(self, request: Request) -> Response | None:
        if request.path.startswith("/oauth/v2/"):
            return None  # the app identifies itself by client id and secret
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return error(401, "Invalid access token", "INVALID_ACCESS_TOKEN", 65600)
        version = request.headers.get("linkedin-version", "")
        if not re.fullmatch(r"20\d{4}", version):
            return error(426, f"Requested version {version!r} is not active", "NONEXISTENT_VERSION")
        if request.headers.get("x-restli-protocol-version") != "2.0.0":
            return error(400, "X-Restli-Protocol-Version 2.0.0 is required", "ILLEGAL_ARGUMENT")
        if ":" in request.path:
            return error(400, "Syntax exception in path variables", "ILLEGAL_ARGUMENT")
        return None

    def expired_token_response(self) -> Response:
        return error(401, "The token used in the request has expired", "EXPIRED_ACCESS_TOKEN", 65601)

    def rate_limit_response(self) -> Response:
        return error(429, "Resource level throttle limit for calls to this resource is reached.")  # no header

    def _list_posts(self, request: Request) -> Response:
        if request.query.get("q") != "author" or request.query.get("author") != self.organization:
            return error(403, f"Not enough permissions to access: posts.FINDER-author.{self.organization}",
                         "ACCESS_DENIED", 100)  # fmt: skip
        posts = sorted(self.posts.values(), key=lambda p: p.created, reverse=True)
        return Response(200, self._page(request, [self._post_element(p) for p in posts]))

    def _create_post(self, request: Request) -> Response:
        """Posts API: an organic post of the organisation. 201, no body, the URN in `x-restli-id`. The
        commentary is « little » text: `\\x` is a plain x; an unescaped reserved character is read as
        markup, and LinkedIn shows the text only up to it [unconf: observed by integrators]."""
        try:
            body = request.json()
        except ValueError:
            return error(400, "Invalid JSON in request body", "ILLEGAL_ARGUMENT")
        if body.get("author") != self.organization:
            return error(403, f"Not enough permissions to create a post as {body.get('author')}", "ACCESS_DENIED", 100)
        missing = [name for name in ("commentary", "visibility", "distribution", "lifecycleState") if name not in body]
        if missing:
            return error(422, f"/{missing[0]} :: field is required but not found", "UNPROCESSABLE_ENTITY")
        if body["visibility"] not in ("PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER"):
            return error(422, f"/visibility :: {body['visibility']!r} is not a valid value", "UNPROCESSABLE_ENTITY")
        if body["lifecycleState"] != "PUBLISHED" or not (body["distribution"] or {}).get("feedDistribution"):
            return error(422, "/distribution/feedDistribution and lifecycleState PUBLISHED are required",
                         "UNPROCESSABLE_ENTITY")  # fmt: skip
        with self.lock:
            post = Post(f"urn:li:share:{self._next_id()}", f"urn:li:activity:{self._next_id()}", body["commentary"],
                        now_ms())  # fmt: skip
            self.posts[post.urn] = post
            self.published.append(post.urn)
        return Response(201, None, {"x-restli-id": post.urn})

    def shown_text(self, urn: str) -> str:
        """What members see of a post: « little » escapes read, cut at the first unescaped reserved character."""
        shown, escaped = [], False
        for char in self.posts[urn].text:
            if escaped:
                shown.append(char)
                escaped = False
            elif char == "\\":
                escaped = True
            elif char in LITTLE_RESERVED:
                break
            else:
                shown.append(char)
        return "".join(shown)

    def _list_comments(self, request: Request) -> Response:
        target = unquote(request.match["target"])
        if target.startswith("urn:li:comment:"):
            parent = self.comments.get(target)
            if parent is None or parent.deleted:
                return error(404, f"Comment {target} not found", "NOT_FOUND")
            found = [c for c in self.comments.values() if c.parent == target]
        else:
            post = self._find_post(target)
            if post is None:
                return error(404, f"Entity {target} not found", "NOT_FOUND")
            found = [c for c in self.comments.values() if c.post is post and c.parent is None]
        elements = [self._comment_element(c) for c in found if not c.deleted]
        return Response(200, self._page(request, elements))

    def _create_comment(self, request: Request) -> Response:
        target, body = unquote(request.match["target"]), request.json()
        if body.get("actor") != self.organization:
            return error(403, "Not enough permissions to comment as this actor", "ACCESS_DENIED", 100)
        text = (body.get("message") or {}).get("text", "")
        if not 0 < len(text) <= MAX_COMMENT_LENGTH:
            return error(
                422, f"/message/text: length must be between 1 and {MAX_COMMENT_LENGTH}", "UNPROCESSABLE_ENTITY"
            )
        if target.startswith("urn:li:comment:"):
            if body.get("parentComment") != target:
                return error(422, "/parentComment must be the comment in the path", "UNPROCESSABLE_ENTITY")
            parent = self.comments.get(target)
            if parent is None or parent.deleted:
                return error(404, f"Comment {target} not found", "NOT_FOUND")
            if parent.parent is not None:
                return error(422, "Comments can be nested one level only", "UNPROCESSABLE_ENTITY")
            post = parent.post
        else:
            post = self._find_post(target)
            if post is None:
                return error(404, f"Entity {target} not found", "NOT_FOUND")
        if body.get("object") not in (post.urn, post.activity):
            return error(422, "/object must be the post commented on", "UNPROCESSABLE_ENTITY")
        comment = self._create(target, self.organization, text)
        self.created.append(comment.urn)
        self._notify("ADMIN_COMMENT", comment)
        return Response(201, self._comment_element(comment), {"x-restli-id": comment.id})

    def _get_comment(self, request: Request) -> Response:
        comment = self._addressed(request)
        if comment is None:
            return error(404, "Comment not found", "NOT_FOUND")
        return Response(200, self._comment_element(comment))

    def _delete_comment(self, request: Request) -> Response:
        comment = self._addressed(request)
        if comment is None:
            return error(404, "Comment not found", "NOT_FOUND")
        if request.query.get("actor") not in (self.organization, comment.actor):
            return error(403, "Not enough permissions to delete this comment", "ACCESS_DENIED", 100)
        comment.deleted = True
        self.deleted.append(comment.urn)
        self._notify("COMMENT_DELETE", comment)
        return Response(204)

    # --- state helpers (called under self.lock) ------------------------------------------------------

    def _next_id(self) -> str:
        return str(7_094_637_247_890_620_418 + next(self._ids) * 7_919)

    def _find_post(self, urn: str) -> Post | None:
        return next((p for p in self.posts.values() if urn in (p.urn, p.activity)), None)

    def _create(self, target: str, actor: str, text: str) -> Comment:
        parent = self.comments.get(target) if target.startswith("urn:li:comment:") else None
        post = parent.post if parent else self._find_post(target)
        if post is None:
            raise KeyError(f"no post or comment {target}")
        key, moment = self._next_id(), now_ms()
        comment = Comment(f"urn:li:comment:({post.activity},{key})", key, post, actor, text, moment, moment,
                          parent=parent.urn if parent else None)  # fmt: skip
        self.comments[comment.urn] = comment
        return comment

    def _addressed(self, request: Request) -> Comment | None:
        """The comment at /socialActions/{container}/comments/{id}, if the container is really its own."""
        container = unquote(request.match["target"])
        comment = next((c for c in self.comments.values() if c.id == request.match["id"]), None)
        if comment is None or comment.deleted:
            return None
        own = (comment.parent,) if comment.parent else (comment.post.urn, comment.post.activity)
        return comment if container in own else None

    def _page(self, request: Request, elements: list[dict]) -> dict:
        start, count = int(request.query.get("start", 0)), int(request.query.get("count", 10))
        paging = {"start": start, "count": count, "links": []}
        if start + count < len(elements):
            paging["links"].append({"rel": "next", "type": "application/json",
                                    "href": f"{request.path}?count={count}&start={start + count}"})  # fmt: skip
        if self.include_total:
            paging["total"] = len(elements)
        return {"paging": paging, "elements": elements[start : start + count]}

    def _post_element(self, post: Post) -> dict:
        return {
            "id": post.urn, "author": self.organization, "commentary": post.text, "visibility": "PUBLIC",
            "lifecycleState": "PUBLISHED", "createdAt": post.created, "publishedAt": post.created,
            "lastModifiedAt": post.created, "isReshareDisabledByAuthor": False,
            "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                             "thirdPartyDistributionChannels": []},
        }  # fmt: skip

    def _comment_element(self, comment: Comment) -> dict:
        element = {
            "actor": comment.actor, "commentUrn": comment.urn, "id": comment.id, "object": comment.post.activity,
            "created": {"actor": comment.actor, "time": comment.created},
            "lastModified": {"actor": comment.actor, "time": comment.modified},
            "message": {"text": comment.text, "attributes": []},
            "likesSummary": {"selectedLikes": [], "aggregatedTotalLikes": 0, "likedByCurrentUser": False,
                             "totalLikes": 0},
        }  # fmt: skip
        if comment.parent:
            element["parentComment"] = comment.parent
        elif self.comment_summaries:
            replies = sum(1 for c in self.comments.values() if c.parent == comment.urn and not c.deleted)
            element["commentsSummary"] = {"selectedComments": [], "totalFirstLevelComments": replies,
                                          "aggregatedTotalComments": replies}  # fmt: skip
        return element

    # --- webhook notifications ----------------------------------------------------------------------

    def _notify(self, action: str, comment: Comment | None = None, *, post: Post | None = None, actor: str = ""):
        if not self.webhook_url:
            return
        post = comment.post if comment else post
        notification = {
            "notificationId": 5_603_453_321 + next(self._ids), "organizationalEntity": self.organization,
            "action": action, "sourcePost": post.activity,
            "decoratedSourcePost": {"owner": self.organization, "mediaCategory": "NONE", "text": post.text,
                                    "entity": post.urn},
            "lastModifiedAt": now_ms(), "subscriber": self.subscriber,
        }  # fmt: skip
        if comment is not None:
            decorated = {"owner": comment.actor, "entity": comment.urn, "object": post.activity}
            if action != "COMMENT_DELETE":
                decorated["text"] = comment.text
            notification |= {"generatedActivity": comment.urn, "decoratedGeneratedActivity": {"comment": decorated}}
        else:
            notification["generatedActivity"] = f"urn:li:like:({actor},{post.activity})"
        with self.lock:
            self._queue.append(notification)
        if not self.hold_notifications:
            self.flush_notifications()

    def flush_notifications(self) -> None:
        """Send what is queued: batched by action, at most 10 notifications a POST, signed."""
        with self.lock:
            queued, self._queue = self._queue, []
        for action in dict.fromkeys(n["action"] for n in queued):
            same = [n for n in queued if n["action"] == action]
            for start in range(0, len(same), NOTIFICATIONS_PER_POST):
                self._deliver(same[start : start + NOTIFICATIONS_PER_POST])

    def sign(self, body: bytes) -> str:
        return hmac_sha256(self.client_secret, b"hmacsha256=" + body)

    def _deliver(self, notifications: list[dict]) -> None:
        body = json.dumps({"type": "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS", "notifications": notifications})
        headers = {"Content-Type": "application/json", "X-LI-Signature": self.sign(body.encode())}
        status = post_webhook(self.webhook_url, body.encode(), headers, timeout=10)
        with self.lock:
            self.deliveries.append((status, [n["notificationId"] for n in notifications]))
