"""The demo's live feed: local fake platforms, connected channels, and the public writing every few
seconds (comments and Messenger messages through signed webhooks; YouTube through polling).

Only `vigie demo` uses this module; production code never imports the fakes.
"""

import hashlib
import json
import logging
import os
import random
import secrets
import threading
from dataclasses import dataclass, field

from vigie.connectors.fake.facebook import FakeFacebook
from vigie.connectors.fake.freshdesk import FakeFreshdesk
from vigie.connectors.fake.linkedin import FakeLinkedIn
from vigie.connectors.fake.youtube import FakeYouTube
from vigie.crisis.scenarios import Texts
from vigie.demo.files import DATA, ORGANIZATION, PAGE
from vigie.demo.history import PREFIX as HISTORY
from vigie.inbox.actions.ingest import DEFAULT_CHANNEL_NAMES
from vigie.inbox.models import Message
from vigie.ingestion.models import Channel

log = logging.getLogger(__name__)

FIRST_NAMES = ["Léa", "Thomas", "Inès", "Hugo", "Chloé", "Nathan", "Manon", "Karim", "Sarah", "Julien", "Aïcha", "Paul"]
LAST_NAMES = ["Moreau", "Girard", "Fontaine", "Lambert", "Rousseau", "Perrin", "Benoît", "Mercier", "Diallo",
              "Fabre", "Nguyen", "Colin"]  # fmt: skip
# a hundred and forty-four people, so that a live demo does not turn six busy people into repeat offenders
LIVE_NAMES = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
POSTS = {
    "facebook": "Nouvelle session « Thérapie brève orientée solution » à Lyon en janvier : inscriptions ouvertes !",
    "linkedin": "AHTMA Formation recrute un·e formateur·rice en hypnose ericksonienne pour Bordeaux.",
    "youtube": "Qu'est-ce qu'une thérapie brève ? (webinaire, 12 min)",
}


def member_urn(name: str) -> str:
    """Each person of the live feed is one LinkedIn member (LinkedIn gives their URN, not their name)."""
    return f"urn:li:person:{hashlib.sha256(name.encode()).hexdigest()[:10]}"


def youtube_channel(name: str) -> str:
    """Each person of the live feed comments on YouTube from a channel of their own."""
    return "UC" + hashlib.sha256(name.encode()).hexdigest()[:22]


def _private_messages() -> list[str]:
    """What the public writes in private, taken from the demo messages."""
    records = (json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip())
    return [record["text"] for record in records if record["kind"] == "private_message"]


@dataclass
class LiveFeed:
    base_url: str
    every_seconds: float = 20.0  # a training centre's page: a few dozen comments a day, faster for a demo
    facebook: FakeFacebook = field(init=False)
    linkedin: FakeLinkedIn = field(init=False)
    youtube: FakeYouTube = field(init=False)
    freshdesk: FakeFreshdesk = field(init=False)
    posts: dict[str, str] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _random: random.Random = field(default_factory=lambda: random.Random(2026))
    _comments: Texts = field(init=False)
    _private_messages: list[str] = field(init=False)

    def __post_init__(self):
        self._comments = Texts(self._random)
        self._private_messages = _private_messages()

    def comment_text(self) -> str:
        """A comment as an ordinary day brings them (`crisis.scenarios.MIX`: half kind words, a few negative
        ones, one false claim in a hundred): drawn from the demo's messages, which show every case at
        once, the feed made up a « fausse information qui se répand » crisis within minutes of every start.
        A crisis on demand is the Crises page's button."""
        return self._comments.pick(self._comments.label())

    def start_platforms(self) -> dict[str, str]:
        """Start the fakes; return the environment the web server and the worker need to reach them."""
        # the pages of the demo's history: what the desk does to its messages really runs on the fakes
        self.facebook = FakeFacebook(page_id=PAGE, webhook_url=f"{self.base_url}/webhooks/facebook")
        self.linkedin = FakeLinkedIn(organization=ORGANIZATION)
        self.youtube = FakeYouTube()
        self.freshdesk = FakeFreshdesk(domain="ahtma-demo")
        for fake in (self.facebook, self.linkedin, self.youtube, self.freshdesk):
            fake.start()
        self.restore_history()
        self.linkedin.webhook_url = f"{self.base_url}/webhooks/linkedin"
        self.posts = {
            "facebook": self.facebook.add_post(POSTS["facebook"]),
            "linkedin": self.linkedin.add_post(POSTS["linkedin"]),
            "youtube": self.youtube.add_video(POSTS["youtube"]),
        }
        return {
            "VIGIE_FACEBOOK_GRAPH_URL": f"{self.facebook.url}/v21.0",
            "VIGIE_FACEBOOK_APP_SECRET": self.facebook.app_secret,
            "VIGIE_FACEBOOK_APP_ID": self.facebook.app_id,  # « Se connecter avec Facebook » against the fake
            "VIGIE_FACEBOOK_DIALOG_URL": f"{self.facebook.url}/v21.0/dialog/oauth",
            "VIGIE_FACEBOOK_VERIFY_TOKEN": "vigie-demo",
            "VIGIE_LINKEDIN_API_URL": self.linkedin.api_url,
            "VIGIE_LINKEDIN_CLIENT_SECRET": self.linkedin.client_secret,
            "VIGIE_LINKEDIN_CLIENT_ID": self.linkedin.client_id,  # « Se connecter avec LinkedIn » against the fake
            "VIGIE_LINKEDIN_OAUTH_URL": f"{self.linkedin.url}/oauth/v2",
            "VIGIE_YOUTUBE_API_URL": self.youtube.api_url,
            "VIGIE_GOOGLE_CLIENT_ID": self.youtube.client_id,  # « Se connecter avec YouTube » against the fake
            "VIGIE_GOOGLE_CLIENT_SECRET": self.youtube.client_secret,
            "VIGIE_GOOGLE_AUTH_URL": f"{self.youtube.url}/o/oauth2/v2/auth",
            "VIGIE_GOOGLE_TOKEN_URL": f"{self.youtube.url}/token",
            "VIGIE_FRESHDESK_API_URL": self.freshdesk.api_url,
        }

    def restore_history(self) -> int:
        """What the public wrote before the demo started (imported into Vigie) also exists on the fakes, with
        the same ids, so that replying to it, hiding or deleting it reaches a platform that knows it. The four
        months staged for the indicators (history.py, treated long ago) stay off the fakes, at every start."""
        incoming = (
            Message.objects.filter(channel__external_id__in=[PAGE, ORGANIZATION], sent_by=None)
            .exclude(author=None).exclude(external_id=None).exclude(external_id__startswith=HISTORY)
            .select_related("author", "thread__post", "channel").order_by("created_at", "id")
        )  # fmt: skip
        count = 0
        for message in incoming:
            if message.author.external_id == message.channel.external_id:
                continue  # the Page's own answers
            self._restore(message)
            count += 1
        return count

    def _restore(self, message: Message) -> None:
        post = message.thread.post
        author, at = message.author, message.created_at.timestamp()
        if message.channel.platform == "linkedin":
            self.linkedin.restore_comment(message.external_id, post.external_id, author.external_id, message.text,
                                          int(at * 1000), parent=message.parent_external_id or None,
                                          post_text=post.text)  # fmt: skip
        elif message.kind == "private_message":
            thread = message.thread.external_id
            psid = thread.removeprefix("psid:") if thread.startswith("psid:") else author.external_id
            self.facebook.restore_message(message.external_id, psid, author.display_name, message.text, at)
        else:
            self.facebook.restore_comment(
                message.external_id, post.external_id, author.external_id, author.display_name, message.text, at,
                parent_id=message.parent_external_id or None, post_text=post.text,
            )  # fmt: skip

    def connect_channels(self) -> list[Channel]:
        """The live pages, connected with the fakes' tokens (encrypted at rest like real ones)."""
        wanted = [
            ("facebook", self.facebook.page_id, {"page_access_token": self.facebook.page_token}),
            ("linkedin", self.linkedin.organization, {"access_token": self.linkedin.token}),
            ("youtube", self.youtube.channel_id, {"access_token": self.youtube.token}),
        ]
        channels = []
        for platform, external_id, credentials in wanted:
            channel, _ = Channel.objects.update_or_create(
                platform=platform,
                external_id=external_id,
                defaults={"status": Channel.Status.CONNECTED, "credentials": json.dumps(credentials)},
                create_defaults={
                    "name": DEFAULT_CHANNEL_NAMES[platform],
                    "status": Channel.Status.CONNECTED,
                    "credentials": json.dumps(credentials),
                },  # fmt: skip
            )
            channels.append(channel)
        channels.append(self.connect_freshdesk())
        return channels

    def connect_freshdesk(self) -> Channel:
        """The centre's helpdesk: the local Freshdesk, whose automation rule calls Vigie's webhook."""
        from vigie.helpdesk import service

        secret = secrets.token_urlsafe(32)
        channel = service.connect_freshdesk(self.freshdesk.domain, self.freshdesk.api_key, secret, by=None)
        self.freshdesk.webhook_url = f"{self.base_url}/webhooks/freshdesk"
        self.freshdesk.webhook_headers = {"X-Vigie-Secret": secret}
        return channel

    def emit_one(self) -> str:
        """The public writes one thing somewhere; returns the platform it went to."""
        platform = self._random.choice(["facebook", "facebook", "facebook", "linkedin", "youtube"])
        name = self._random.choice(LIVE_NAMES)
        if platform == "facebook" and self._random.random() < 0.3:
            self.facebook.add_message(None, self._random.choice(self._private_messages), name=name)
        elif platform == "facebook":
            self.facebook.add_comment(self.posts["facebook"], self.comment_text(), name)
        elif platform == "linkedin":
            self.linkedin.add_comment(self.posts["linkedin"], self.comment_text(), member_urn(name))
        else:
            text = self.comment_text()
            self.youtube.add_comment(self.posts["youtube"], text, author=youtube_channel(name), name=name)
        return platform

    def run_in_background(self) -> threading.Thread:
        def loop():
            while not self._stop.wait(self.every_seconds):
                try:
                    self.emit_one()
                except Exception:  # the demo's feed must not stop the desk
                    log.exception("demo live feed")

        thread = threading.Thread(target=loop, daemon=True, name="demo-live-feed")
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()
        for fake in (self.facebook, self.linkedin, self.youtube, self.freshdesk):
            fake.stop()


def export_environment(variables: dict[str, str]) -> None:
    """The web server and the worker are child processes: they read these at start-up."""
    os.environ.update(variables)
