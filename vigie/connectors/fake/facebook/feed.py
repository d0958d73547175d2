"""The Graph routes of the Page's feed: its posts (listed, and published by the Page: `POST /{page-id}/feed`,
Meta's Pages API, see docs/crisis.md), their comments (listed, and the Page's public replies), and any
node read by id. A part of FakeFacebook (server.py)."""

import time

from vigie.connectors.fake.facebook.graph import graph_error, iso, not_found, permalink, select, top_level_fields
from vigie.connectors.fake.facebook.paging import listed, page_of
from vigie.connectors.fake.facebook.store import DAY, PRIVATE_REPLY_WINDOW, Comment, Post
from vigie.connectors.fake.server import Request, Response


class Feed:
    def _post_node(self, post: Post, fields: set[str], raw_fields: str) -> dict:
        node = {
            "id": post.id,
            "message": post.message,
            "created_time": iso(post.created_time),
            "permalink_url": permalink(post.id),
        }
        if "comments" in fields:
            stream = "filter(stream)" in raw_fields
            count = sum(1 for c in self.comments.values() if c.post_id == post.id and (stream or not c.parent_id))
            node["comments"] = {
                "data": [],
                "summary": {"order": "chronological", "total_count": count, "can_comment": True},
            }
        return select(node, fields or {"id", "message", "created_time"})

    def list_posts(self, request: Request) -> Response:
        if not self._is_page(request):
            return not_found(request.match["id"])
        raw_fields = request.query.get("fields", "")
        posts = sorted(self.posts.values(), key=lambda p: (p.created_time, p.seq), reverse=True)
        return listed(self.url, request, posts, lambda p: p.seq,
                      lambda p: self._post_node(p, top_level_fields(raw_fields), raw_fields))  # fmt: skip

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
            "permalink_url": f"{permalink(comment.post_id)}?comment_id={comment.id.split('_', 1)[1]}",
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
        return select(node, fields or {"created_time", "from", "message"})

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
        paged = page_of(self.url, request, pool, lambda c: c.seq)
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
        post = self._new_post(message, scheduled or time.time())
        self.counts["posts"] += 1
        if scheduled is None:
            self._emit_post(post)
            self._api_flush()
        return Response(200, {"id": post.id})

    def read_node(self, request: Request) -> Response:
        object_id, fields = request.match["id"], top_level_fields(request.query.get("fields", ""))
        if object_id in (self.page_id, "me"):
            return Response(200, select({"id": self.page_id, "name": self.page_name}, fields or {"name"}))
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
