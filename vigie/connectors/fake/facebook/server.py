"""FakeFacebook itself: its parts put together, reset as a fresh Page, and its routes."""

import threading

from vigie.connectors.fake.facebook.faults import GraphFaults
from vigie.connectors.fake.facebook.feed import Feed
from vigie.connectors.fake.facebook.graph import NODE, VERSION, graph_error
from vigie.connectors.fake.facebook.login import Login
from vigie.connectors.fake.facebook.messenger import Messenger
from vigie.connectors.fake.facebook.moderation import Moderation
from vigie.connectors.fake.facebook.public import Public
from vigie.connectors.fake.facebook.store import PageState
from vigie.connectors.fake.facebook.webhooks import Deliver, Webhooks
from vigie.connectors.fake.server import FakeServer, Request, Response


class FakeFacebook(Feed, Moderation, Messenger, Public, Webhooks, Login, GraphFaults, PageState, FakeServer):
    name = "facebook"

    def __init__(
        self,
        *,
        page_id: str = "104857600123456",
        page_name: str = "AHTMA Formation",
        page_token: str = "EAAfakePageToken",  # noqa: S107 (a fake)
        app_secret: str = "fake-app-secret",  # noqa: S107
        webhook_url: str | None = None,
        deliver: Deliver | None = None,
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

    def reset(self, *, webhook_url: str | None = None, deliver: Deliver | None = None) -> None:
        """A fresh Page: no posts, comments, conversations, blocks, faults or counts (the server keeps running)."""
        with self.lock:
            super().reset()
            self.empty_page()
            self.no_webhooks(webhook_url, deliver)
            self.fresh_budget()
            self.forget_logins()

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
