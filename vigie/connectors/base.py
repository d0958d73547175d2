"""What every connector hands the rest of Vigie (platform-neutral messages, actions and their results), and
what every connector is (`Connector`)."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from vigie.lib.http import ConnectorError
from vigie.vocabulary import Verb


class ParseError(ValueError):
    """A payload Vigie cannot read: the raw event is marked failed with this message."""


def load_json(body: str, what: str = "JSON"):
    """The body's JSON; a body that is not JSON, or nested too deep to read, is a ParseError."""
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise ParseError(f"{what} illisible : {exc.msg} (colonne {exc.colno})") from exc
    except RecursionError:
        raise ParseError(f"{what} illisible : trop imbriqué (structure trop profonde)") from None
    except ValueError as exc:  # Python refuses to read an integer of more than 4,300 digits
        raise ParseError(f"{what} illisible : nombre trop long (plus de 4 300 chiffres)") from exc


def from_timestamp(seconds: float, name: str = "") -> datetime:
    """A UNIX time as an aware datetime; a value no calendar holds (1e999, 10^17 s…) is a ParseError."""
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        where = f" dans « {name} »" if name else ""
        raise ParseError(f"date hors limites{where} : {seconds!r}") from None


@dataclass(frozen=True)
class NormalizedPost:
    external_id: str
    text: str = ""
    permalink: str = ""
    published_at: datetime | None = None


@dataclass(frozen=True)
class NormalizedMessage:
    """One incoming comment or private message, or the news that one was edited or removed; or (kind
    "reply") a message the page sent from another tool, seen by Vigie (a Messenger echo)."""

    platform: str
    channel_external_id: str
    kind: str
    external_id: str
    thread_external_id: str
    author_external_id: str
    author_name: str
    text: str
    created_at: datetime
    parent_external_id: str | None = None
    post: NormalizedPost | None = None
    removed: bool = False
    permalink: str = ""
    attachments: tuple[str, ...] = field(default_factory=tuple)
    hidden: bool | None = None  # hidden on the platform (hide / unhide news, polled is_hidden); None: not said
    author_name_known: bool = True  # False: the platform embeds no name (LinkedIn), author_name is a stand-in

    @property
    def known_author_name(self) -> str:
        """The author's name when the platform gave one; "" for a stand-in, which never replaces a known name."""
        return self.author_name if self.author_name_known else ""


# --- the outbound side: what a connector is asked to do on its platform --------------------------

VERBS = ("reply", "private_reply", "hide", "unhide", "delete", "block")


@dataclass(frozen=True)
class ActionRequest:
    """One platform action of the outbox, in platform-neutral terms."""

    verb: str
    channel_external_id: str
    target_external_id: str = ""  # the comment / message acted upon
    thread_external_id: str = ""  # the post or conversation
    author_external_id: str = ""  # for block, private replies to a person
    # the comment the target answers, as Vigie recorded it: "" when none, None when Vigie does not know
    # (Message.known_parent_external_id)
    target_parent_external_id: str | None = None
    text: str = ""  # for replies
    dedup_key: str = ""
    started_at: datetime | None = None  # when the first attempt began (to find its trace on the platform)
    options: dict = field(default_factory=dict)  # e.g. {"tag": "HUMAN_AGENT"}


@dataclass(frozen=True)
class ActionResult:
    platform_id: str = ""  # id of what the platform created (reply id…), if any
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Capability:
    """Whether a verb works on a platform; if not, the nearest allowed action and why (French)."""

    allowed: bool
    reason: str = ""
    nearest: str = ""


@dataclass(frozen=True)
class AuthorizedAccount:
    """A Page or organisation an authorisation flow gave access to, with the token to store."""

    id: str
    name: str
    token: str
    more: dict = field(default_factory=dict)  # other credentials to keep (refresh token, expiry…)


def refusal(capability: Capability) -> str:
    """Why a verb is not allowed, and the nearest thing to do (a verb's French name, or a task by hand)."""
    if not capability.nearest:
        return capability.reason
    verbs = dict(Verb.choices)
    return f"{capability.reason} Action possible : {verbs.get(capability.nearest, capability.nearest)}."


class Connector:
    """The handful of things every platform connector does (STYLE.md: same shape for each), registered in
    registry.py. `execute` refuses a verb the platform does not allow (`capabilities`) for good, before
    anything is sent; the connector's `act` carries out the others."""

    platform: str
    capabilities: dict[str, Capability]

    def parse(self, body: str) -> list[NormalizedMessage]:
        """A webhook delivery or a poll page (as stored in a RawEvent) → normalized messages."""
        raise NotImplementedError

    def execute(self, channel, request: ActionRequest) -> ActionResult:
        """Carry out one action on the platform; raise ConnectorError / RetryLater on failure."""
        capability = self.capabilities.get(request.verb) or Capability(False, f"action inconnue : {request.verb}")
        if not capability.allowed:
            raise ConnectorError(refusal(capability), permanent=True)
        return self.act(channel, request)

    def act(self, channel, request: ActionRequest) -> ActionResult:
        """The verb, allowed on this platform, carried out there."""
        raise NotImplementedError

    def find_done(self, channel, request: ActionRequest) -> ActionResult | None:
        """After an attempt whose outcome was not recorded: did the platform already do it?"""
        raise NotImplementedError
