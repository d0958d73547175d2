"""The webhooks Meta sends: feed changes and Messenger events, signed with the app secret over the exact
bytes (non-ASCII escaped as \\uXXXX), the subscription (`subscribed_apps`) and Meta's GET handshake.

What the public does goes at once (`auto_flush`); what the Page does through the API waits in
`pending_webhooks` until `flush()`, or goes from a background thread when only `webhook_url` is set (the
demo). A part of FakeFacebook (server.py)."""

import json
import threading
import time
from collections.abc import Callable

import httpx

from vigie.connectors.fake.facebook.graph import iso, permalink
from vigie.connectors.fake.facebook.store import Comment, Post
from vigie.connectors.fake.server import Request, Response, hmac_sha256, post_webhook

Deliver = Callable[[bytes, dict], int]


class Webhooks:
    def no_webhooks(self, webhook_url: str | None, deliver: Deliver | None) -> None:
        """Nothing pending or sent, no subscription; deliveries go to `deliver`, else to `webhook_url`."""
        self.webhook_url, self.deliver = webhook_url, deliver
        self.auto_flush = True  # the public's acts are delivered at once
        self.hide_webhooks = False  # [unconf] whether Meta still sends feed hide/unhide
        self.webhook_timeout = 5.0  # seconds Vigie has to answer a delivery (Messenger: 5 s to 20 s)
        self.pending_webhooks: list[dict] = []
        self.webhooks_sent: list[tuple[bytes, dict, int]] = []
        self.subscribed_fields: list[str] = []

    # --- what happened, as Meta words it ------------------------------------------------------------
    def _emit_feed(self, value: dict, *, field_name: str = "feed") -> None:
        entry = {"id": self.page_id, "time": int(time.time()), "changes": [{"field": field_name, "value": value}]}
        self.pending_webhooks.append({"object": "page", "entry": [entry]})

    def _emit_post(self, post: Post) -> None:
        self._emit_feed({"item": "status", "verb": "add", "post_id": post.id, "message": post.message,
                         "from": self._page_from(), "created_time": int(post.created_time),
                         "published": 1})  # fmt: skip

    def _emit_comment(self, comment: Comment, verb: str, *, created_time: float | None = None) -> None:
        post = self.posts.get(comment.post_id)
        value = {"from": {"id": comment.author_id, "name": comment.author_name}}
        if post is not None and verb != "remove":
            value["post"] = {
                "status_type": "mobile_status_update",
                "is_published": True,
                "updated_time": iso(time.time()),
                "permalink_url": permalink(post.id),
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

    # --- deliveries ---------------------------------------------------------------------------------
    def signed(self, payload: dict) -> tuple[bytes, dict]:
        """The bytes Meta sends (non-ASCII as \\uXXXX) and their headers."""
        body = json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode()
        signature = hmac_sha256(self.app_secret, body)
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
            status = post_webhook(self.webhook_url, body, headers, self.webhook_timeout)
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

    # --- the app's subscription to the Page's fields ------------------------------------------------
    def subscribe(self, request: Request) -> Response:
        fields = str(request.form().get("subscribed_fields", ""))
        self.subscribed_fields = [f for f in fields.split(",") if f]
        return Response(200, {"success": True})

    def list_subscriptions(self, request: Request) -> Response:
        apps = [{"id": self.app_id, "name": "Vigie", "subscribed_fields": self.subscribed_fields}]
        return Response(200, {"data": apps if self.subscribed_fields else []})
