"""Evidence of a message: what it is now, captured before any hide or delete (moderation/evidence.py
keeps it sealed). Part of the actions layer: call inside the transaction of the action that needs it."""

from django.utils import timezone

from vigie.inbox.models import Message
from vigie.moderation.evidence import seal
from vigie.moderation.models import Evidence
from vigie.procedure.service import version_in_force
from vigie.replies.models import Charter


def record_of(message: Message) -> dict:
    author = message.author
    thread = message.thread
    return {
        "platform": message.channel.platform,
        "channel": message.channel.external_id,
        "message_id": message.external_id,
        "kind": message.kind,
        "thread_id": thread.external_id,
        "post_permalink": thread.post.permalink if thread.post else "",
        "permalink": message.permalink,
        "author_id": author.external_id if author else "",
        "author_name": author.display_name if author else "",
        "text": message.text,
        "created_at": message.created_at.isoformat(),
        "edited": message.edited,
        "earlier_versions": [v.text for v in message.versions.all()],
        "captured_at": timezone.now().isoformat(),
        "charter_version": charter.version if (charter := Charter.current()) else "",  # the rules in force
        "procedure_version": version_in_force(),  # and the procedure's revision
    }


def capture(message: Message, *, by=None, rule: str = "") -> Evidence:
    return seal(message.pk, record_of(message), by=by, rule=rule)
