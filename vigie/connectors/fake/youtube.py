"""A local YouTube channel (Data API v3, platform-apis.md §3).

Endpoints: GET /youtube/v3/commentThreads, GET /youtube/v3/comments (parentId or id),
POST /youtube/v3/comments (reply), POST /youtube/v3/comments/setModerationStatus. Every request is
charged to the day's quota (list 1, insert and setModerationStatus 50) and refused with Google's
`quotaExceeded` once it is spent. Counters: `inserted`, `moderated`, `quota_used`.

The public acts through `add_comment` and `add_reply`. As YouTube does for the channel's owner, the
fake shows each comment's `moderationStatus`, also through `comments.list?id=`.
"""

import base64
import hashlib
import html
import itertools
from dataclasses import dataclass
from datetime import datetime

from vigie.connectors.fake.server import (
    AuthorizationCodes,
    FakeServer,
    Request,
    Response,
    from_opaque,
    now,
    opaque,
    redirect,
    zulu,
)

CHANNEL = "UCx9mO3yGvVq1ZtCqJ4hA2Fw"
VIEWER = "UCP22MyBntbNASpmy3aC4sdw"
DAILY_QUOTA = 10_000
INLINE_REPLIES = 5  # commentThreads.list inlines only some replies
STATUSES = ("heldForReview", "published", "rejected")


def error(status: int, reason: str, message: str, domain: str = "youtube.comment") -> Response:
    errors = [{"message": message, "domain": domain, "reason": reason}]
    return Response(status, {"error": {"code": status, "message": message, "errors": errors}})


def quota_exceeded() -> Response:
    message = ("The request cannot be completed because you have exceeded your "
               '<a href="/youtube/v3/getting-started#quota">quota</a>.')  # fmt: skip
    return error(403, "quotaExceeded", message, "youtube.quota")


@dataclass
class Comment:
    id: str
    video: str
    author: str
    author_name: str
    text: str
    published: datetime
    seq: int
    parent: str | None = None
    status: str = "published"


SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"


class FakeYouTube(AuthorizationCodes, FakeServer):
    name = "youtube"
    api_root = "/youtube/v3"

    def __init__(self, channel_id: str = CHANNEL, *, token: str = "fake-youtube-token"):  # noqa: S107
        super().__init__()
        self.channel_id, self.channel_name, self.initial_token = channel_id, "AHTMA Formation", token
        self.client_id, self.client_secret = "1234-fake.apps.googleusercontent.com", "GOCSPX-fake-secret"  # noqa: S105
        self.reset()

    def reset(self) -> None:
        """A channel with no videos, no faults, the whole day's quota (tests share one running server)."""
        with self.lock:
            super().reset()
            self.forget_codes()
            self.videos: dict[str, dict] = {}
            self.comments: dict[str, Comment] = {}
            self.banned: set[str] = set()
            self.inserted: list[str] = []  # reply ids created through the API
            self.moderated: list[tuple[str, str, bool]] = []  # (id, moderationStatus, banAuthor) through the API
            self.quota_limit, self.quota_used = DAILY_QUOTA, 0
            self._seq = itertools.count(1)
            self.refresh_tokens: set[str] = set()
            self.token = self.initial_token  # the access token that works now (a refresh replaces it)

    # --- the public --------------------------------------------------------------------------------

    def add_video(self, title: str = "Qu'est-ce que la thérapie brève ?") -> str:
        with self.lock:
            video_id = f"vid{next(self._seq):08d}"
            self.videos[video_id] = {"title": title, "comments_disabled": False}
        return video_id

    def add_comment(self, video_id: str, text: str, author: str = VIEWER, name: str = "Camille Martin",
                    published: datetime | None = None) -> str:  # fmt: skip
        """A viewer comments on a video: a new thread, whose id is the comment's."""
        with self.lock:
            seq = next(self._seq)
            comment = Comment(f"Ugx{seq:016d}4AaABAg", video_id, author, name, text, published or now(), seq)
            return self._add(comment)

    def add_reply(self, thread_id: str, text: str, author: str = VIEWER, name: str = "Camille Martin") -> str:
        with self.lock:
            seq, thread = next(self._seq), self.comments[thread_id]
            comment = Comment(f"{thread_id}.9{seq:021d}", thread.video, author, name, text, now(), seq, thread_id)
            return self._add(comment)

    def disable_comments(self, video_id: str) -> None:
        self.videos[video_id]["comments_disabled"] = True

    def status_of(self, comment_id: str) -> str:
        return self.comments[comment_id].status

    def _add(self, comment: Comment) -> str:
        if comment.author in self.banned:
            comment.status = "rejected"  # a banned author's comments are rejected as they come
        self.comments[comment.id] = comment
        return comment.id

    # --- HTTP --------------------------------------------------------------------------------------

    def register_routes(self) -> None:
        self.route("GET", r"/o/oauth2/v2/auth", self._consent)
        self.route("POST", r"/token", self._token)
        self.route("GET", r"/youtube/v3/channels", self._charged(1, self._my_channels))
        self.route("GET", r"/youtube/v3/commentThreads", self._charged(1, self._list_threads))
        self.route("GET", r"/youtube/v3/comments", self._charged(1, self._list_comments))
        self.route("POST", r"/youtube/v3/comments", self._charged(50, self._insert))
        self.route("POST", r"/youtube/v3/comments/setModerationStatus", self._charged(50, self._moderate))

    # --- Google's OAuth 2.0 for web server apps (nobody is there to click: consent is given at once) --

    def _consent(self, request: Request) -> Response:
        query = request.query
        redirect_uri, state = query.get("redirect_uri", ""), query.get("state", "")
        if query.get("client_id") != self.client_id or query.get("response_type") != "code" or not redirect_uri:
            return Response(400, "Error 400: invalid_request", {"Content-Type": "text/html"})
        if self.deny_authorization:
            answer = {"error": "access_denied", "state": state}
        else:
            code = self.give_code(f"4/0Afake{next(self._seq):06d}", redirect_uri, 600)
            answer = {"code": code, "scope": query.get("scope", ""), "state": state}
        return redirect(redirect_uri, answer)

    def _token(self, request: Request) -> Response:
        form = request.form()
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return Response(401, {"error": "invalid_client", "error_description": "The OAuth client was not found."})
        if form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                expired = {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
                return Response(400, expired)
            self.token = f"ya29.fake{next(self._seq):06d}"  # the old access token stops working, as after an hour
            return Response(200, {"access_token": self.token, "expires_in": 3599, "token_type": "Bearer",
                                  "scope": SCOPE})  # fmt: skip
        redirect_uri = self.redeem_code(form.get("code", ""))
        if not redirect_uri or form.get("redirect_uri") != redirect_uri:
            return Response(400, {"error": "invalid_grant", "error_description": "Bad Request"})
        refresh = f"1//0fake-refresh-{next(self._seq):06d}"
        self.refresh_tokens.add(refresh)
        return Response(200, {"access_token": self.token, "expires_in": 3599, "refresh_token": refresh,
                              "scope": SCOPE, "token_type": "Bearer"})  # fmt: skip

    def _my_channels(self, request: Request) -> Response:
        if request.query.get("mine") != "true":
            return Response(400, {"error": {"code": 400, "message": "No filter selected.", "errors": [
                {"reason": "missingRequiredParameter", "domain": "youtube.parameter"}]}})  # fmt: skip
        item = {"kind": "youtube#channel", "id": self.channel_id, "snippet": {"title": self.channel_name}}
        return Response(200, {"kind": "youtube#channelListResponse", "items": [item],
                              "pageInfo": {"totalResults": 1, "resultsPerPage": 5}})  # fmt: skip

    def authenticate(self, request: Request) -> Response | None:
        if request.path in ("/o/oauth2/v2/auth", "/token"):
            return None  # the app identifies itself by client id and secret
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return self.expired_token_response()
        return None

    def expired_token_response(self) -> Response:
        body = {"error": {"code": 401, "status": "UNAUTHENTICATED",
                          "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                                     "login cookie or other valid authentication credential.",
                          "errors": [{"message": "Invalid Credentials", "domain": "global", "reason": "authError",
                                      "location": "Authorization", "locationType": "header"}]}}  # fmt: skip
        return Response(401, body)

    def rate_limit_response(self) -> Response:
        return quota_exceeded()

    def _charged(self, units: int, handler):
        def charged(request: Request) -> Response:
            if self.quota_used + units > self.quota_limit:
                return quota_exceeded()
            self.quota_used += units  # even a refused request costs
            return handler(request)

        return charged

    def _list_threads(self, request: Request) -> Response:
        q = request.query
        channel, video = q.get("allThreadsRelatedToChannelId"), q.get("videoId")
        if channel and channel != self.channel_id:
            return error(404, "channelNotFound", "The channel could not be found.", "youtube.commentThread")
        if bool(channel) == bool(video):
            return error(400, "incompatibleParameters", "Exactly one filter must be given.", "youtube.parameter")
        status = q.get("moderationStatus", "published")
        threads = [c for c in self.comments.values() if c.parent is None and c.status == status
                   and (not video or c.video == video)]  # fmt: skip
        threads.sort(key=lambda c: (c.published, c.seq), reverse=True)
        with_replies = "replies" in q.get("part", "").split(",")
        return self._page(request, "youtube#commentThreadListResponse", threads,
                          lambda c: self._thread_resource(c, with_replies, q))  # fmt: skip

    def _list_comments(self, request: Request) -> Response:
        q = request.query
        if q.get("id"):
            found = [self.comments[i] for i in q["id"].split(",") if i in self.comments]
        elif q.get("parentId"):
            found = [c for c in self.comments.values() if c.parent == q["parentId"] and c.status == "published"]
        else:
            return error(400, "missingRequiredParameter", "No filter selected.", "youtube.parameter")
        return self._page(request, "youtube#commentListResponse", found, lambda c: self._comment_resource(c, q))

    def _insert(self, request: Request) -> Response:
        snippet = request.json().get("snippet") or {}
        parent, text = self.comments.get(snippet.get("parentId", "")), snippet.get("textOriginal", "")
        if parent is None:
            return error(404, "commentNotFound", "The comment identified by the parentId parameter could not be found.")
        if parent.parent is not None:
            return error(400, "operationNotSupported", "Replies can only be made to top-level comments.")
        if not text.strip():
            return error(400, "commentTextRequired", "The comment resource must contain the snippet.textOriginal.")
        if self.videos.get(parent.video, {}).get("comments_disabled"):
            return error(403, "commentsDisabled", "The video has disabled comments.", "youtube.commentThread")
        seq = next(self._seq)
        reply = Comment(f"{parent.id}.9{seq:021d}", parent.video, self.channel_id, self.channel_name, text, now(),
                        seq, parent.id)  # fmt: skip
        self.comments[reply.id] = reply
        self.inserted.append(reply.id)
        return Response(200, self._comment_resource(reply, {}))

    def _moderate(self, request: Request) -> Response:
        q = request.query
        ids, status, ban = q.get("id", "").split(","), q.get("moderationStatus"), q.get("banAuthor") == "true"
        if status not in STATUSES:
            return error(400, "invalidModerationStatus", "The moderationStatus parameter is invalid.")
        if ban and status != "rejected":
            return error(400, "banWithoutReject", "banAuthor can only be used with moderationStatus rejected.")
        if len(ids) > 50 or any(i not in self.comments for i in ids):
            return error(404, "commentNotFound", "One or more comments could not be found.")
        if status == "published" and any(self.comments[i].status == "rejected" for i in ids):
            return error(400, "operationNotSupported", "A rejected comment cannot be published again.")
        for comment_id in ids:
            self.comments[comment_id].status = status
            self.moderated.append((comment_id, status, ban))
            if ban:
                self.banned.add(self.comments[comment_id].author)
        return Response(204)

    # --- resources ---------------------------------------------------------------------------------

    def _page(self, request: Request, kind: str, found: list, resource) -> Response:
        size = int(request.query.get("maxResults", 20))
        if not 1 <= size <= 100:
            return error(400, "invalidParameter", "maxResults must be between 1 and 100.", "youtube.parameter")
        start = int(from_opaque(request.query["pageToken"])) if request.query.get("pageToken") else 0
        items = [resource(c) for c in found[start : start + size]]
        body = {"kind": kind, "etag": _etag(kind, *(item["etag"] for item in items)),
                "pageInfo": {"totalResults": len(found), "resultsPerPage": size}, "items": items}  # fmt: skip
        if start + size < len(found):
            body["nextPageToken"] = opaque(str(start + size))
        return Response(200, body)

    def _thread_resource(self, thread: Comment, with_replies: bool, query: dict) -> dict:
        replies = sorted((c for c in self.comments.values() if c.parent == thread.id and c.status == "published"),
                         key=lambda c: c.seq)  # fmt: skip
        resource = {
            "kind": "youtube#commentThread", "etag": _etag(thread.id, thread.status, len(replies)), "id": thread.id,
            "snippet": {"channelId": self.channel_id, "videoId": thread.video,
                        "topLevelComment": self._comment_resource(thread, query), "canReply": True,
                        "totalReplyCount": len(replies), "isPublic": True},
        }  # fmt: skip
        if with_replies and replies:
            resource["replies"] = {"comments": [self._comment_resource(c, query) for c in replies[:INLINE_REPLIES]]}
        return resource

    def _comment_resource(self, comment: Comment, query: dict) -> dict:
        plain = query.get("textFormat") == "plainText"
        snippet = {
            "channelId": self.channel_id, "videoId": comment.video,
            "textDisplay": comment.text if plain else html.escape(comment.text), "textOriginal": comment.text,
            "authorDisplayName": comment.author_name,
            "authorProfileImageUrl": "https://yt3.ggpht.com/ytc/AIdro_fake=s48-c-k-c0x00ffffff-no-rj",
            "authorChannelUrl": f"http://www.youtube.com/channel/{comment.author}",
            "authorChannelId": {"value": comment.author}, "canRate": True, "viewerRating": "none", "likeCount": 0,
            "moderationStatus": comment.status, "publishedAt": zulu(comment.published),
            "updatedAt": zulu(comment.published),
        }  # fmt: skip
        if comment.parent:
            snippet["parentId"] = comment.parent
        return {"kind": "youtube#comment", "etag": _etag(comment.id, comment.status, comment.text), "id": comment.id,
                "snippet": snippet}  # fmt: skip


def _etag(*parts) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(repr(parts).encode()).digest()).decode()[:27]
