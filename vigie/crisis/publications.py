"""The statement on the platforms: where it may go, and what happens when the outbox has done (or failed)
each publication. A reply rides on its outgoing message; a new post is a platform action of its own.

Only what a platform's API allows is offered (`registry.capabilities`): a new post on a Facebook Page
(`POST /{page-id}/feed`) or a LinkedIn organisation page (`POST /rest/posts`); YouTube has no API for
it, so the statement goes there only as replies. When the platform confirms a publication, what was
published is kept as evidence: the text, where, its id and link, the version and its approvals,
hashed (SHA-256 of the canonical JSON, as for moderation evidence).
"""

from django.db import transaction
from django.utils import timezone

from vigie.connectors import registry
from vigie.crisis.models import CrisisEvent, StatementPublication
from vigie.ingestion.models import Channel
from vigie.moderation.evidence import fingerprint
from vigie.moderation.models import PlatformAction

POST = PlatformAction.Verb.PUBLISH_POST


def can_post(channel: Channel) -> bool:
    capability = registry.capabilities(channel.platform).get(POST)
    return capability is not None and capability.allowed


def post_channels():
    """The connected pages where the statement can be published as a new post."""
    connected = Channel.objects.filter(status=Channel.Status.CONNECTED).order_by("platform", "name")
    return [channel for channel in connected if can_post(channel)]


def refusal(channel: Channel) -> str:
    """Why the statement cannot be posted on this page (in French)."""
    capability = registry.capabilities(channel.platform).get(POST)
    if capability is not None and not capability.allowed:
        return capability.reason
    if channel.status != Channel.Status.CONNECTED:
        return f"{channel.get_platform_display()} — {channel.name} : page non connectée, rien ne peut y être publié."
    return f"{channel.get_platform_display()} : publication impossible depuis Vigie."


def refusals() -> list[str]:
    """Why the other connected platforms are not offered (in French, for the room)."""
    platforms = sorted(set(Channel.objects.filter(status=Channel.Status.CONNECTED).values_list("platform", flat=True)))
    found = []
    for platform in platforms:
        capability = registry.capabilities(platform).get(POST)
        if capability is not None and not capability.allowed:
            found.append(capability.reason)
    return found


def thread_key(publication: StatementPublication) -> str:
    """The thread id Vigie gives the comments of a new post (the message contract's thread_id)."""
    if not publication.platform_id:
        return ""
    if publication.channel.platform == "facebook":
        return publication.platform_id.partition("_")[2] or publication.platform_id
    return publication.platform_id


def of_action(action: PlatformAction) -> StatementPublication | None:
    if action.verb == POST:
        return StatementPublication.objects.filter(action=action).select_related("statement__crisis").first()
    if action.verb == PlatformAction.Verb.REPLY and action.reply_message_id:
        return (
            StatementPublication.objects.filter(reply_id=action.reply_message_id)
            .select_related("statement__crisis")
            .first()
        )
    return None


def evidence_of(publication: StatementPublication, action: PlatformAction, at) -> dict:
    version = publication.version
    details = (action.result or {}).get("details", {}) if isinstance(action.result, dict) else {}
    return {
        "crisis": publication.statement.crisis_id,
        "kind": publication.kind,
        "platform": publication.channel.platform,
        "channel": publication.channel.external_id,
        "channel_name": publication.channel.name,
        "in_reply_to": publication.reply.parent.external_id if publication.reply_id and publication.reply.parent_id
        else "",
        "platform_id": action.platform_result_id,
        "permalink": details.get("permalink", ""),
        "text": version.text,
        "statement_version": version.number,
        "approvals": [
            {"role": a.role, "user": a.user.get_username(), "at": a.at.isoformat()}
            for a in version.approvals.select_related("user").order_by("role")
        ],
        "requested_by": action.requested_by.get_username() if action.requested_by else "",
        "requested_at": action.created_at.isoformat(),
        "attempts": action.attempts,
        "confirmed_at": at.isoformat(),
    }  # fmt: skip


@transaction.atomic
def confirmed(action: PlatformAction) -> StatementPublication | None:
    """The platform did it: its id, its link and the evidence are kept, and the room says so."""
    publication = of_action(action)
    if publication is None or publication.sha256:
        return publication
    now = timezone.now()
    record = evidence_of(publication, action, now)
    publication.platform_id, publication.permalink = action.platform_result_id, record["permalink"]
    publication.published_at, publication.evidence = now, record
    publication.sha256 = fingerprint(record)
    publication.save(update_fields=["platform_id", "permalink", "published_at", "evidence", "sha256"])
    where = f"{publication.channel.get_platform_display()} ({publication.channel.name})"
    said = f"Communiqué en ligne : {publication.get_kind_display().lower()} sur {where}."
    CrisisEvent.objects.create(crisis=publication.statement.crisis, text=said)
    return publication


@transaction.atomic
def failed(action: PlatformAction) -> StatementPublication | None:
    publication = of_action(action)
    if publication is not None:
        where = publication.channel.get_platform_display()
        said = f"Échec de la publication du communiqué sur {where} : {action.error}"
        CrisisEvent.objects.create(crisis=publication.statement.crisis, text=said[:300])
    return publication
