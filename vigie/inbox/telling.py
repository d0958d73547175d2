"""Who on the desk is told of what (issue #8 §6): each role about what it must act on.

Community managers: what is assigned to them and the decision on their replies awaiting approval;
communication: replies to approve; direction: escalations. One notification per item, updated.
Called by the actions layer inside its transaction (e-mails leave after commit).
"""

from django.urls import reverse
from django.utils import timezone

from vigie.accounts.people import name_of
from vigie.accounts.roles import COMMUNICATION, DIRECTION
from vigie.inbox.models import Item, Message
from vigie.lib.clock import PARIS
from vigie.notifications import service
from vigie.notifications.models import Kind
from vigie.sla.deadlines import DUE_SOON_STATE, OVERDUE

RULE = "Une règle"  # who acted when nobody did: a rule of the procedure
PRESSING = (DUE_SOON_STATE, OVERDUE)  # a reply deadline this close makes the news urgent


def _author(item: Item) -> str:
    return item.message.author_name if item.message_id else "auteur inconnu"


def _where(item: Item) -> str:
    return reverse("inbox:item", args=[item.pk])


def assigned(item: Item, assignee, *, by) -> None:
    if assignee is None or assignee == by:
        return
    service.notify_people(
        [assignee], f"{name_of(by, RULE)} vous a attribué le message de {_author(item)}", item.message.text[:300],
        link=_where(item), reason="attribution", kind=Kind.ASSIGNMENT, about=item,
    )  # fmt: skip


def approval_requested(reply: Message, *, by) -> None:
    """The reply of a private message on the clock says by when it is due, and is urgent (e-mailed at once)
    once that deadline is near or passed: approved later, it answers late."""
    item = reply.item
    due = item.reply_due_at if item else None
    when = f" avant le {due.astimezone(PARIS):%d/%m à %H:%M}" if due else ""
    service.notify(
        [COMMUNICATION],
        f"Réponse à approuver{when} : {name_of(by, RULE)} répond à {_author(item) if item else 'une publication'}",
        reply.text[:300], link=reverse("inbox:approvals"), reason="réponse marquée sensible",
        kind=Kind.APPROVAL_REQUEST, about=item or reply, urgent=bool(due) and item.sla(timezone.now()) in PRESSING,
    )  # fmt: skip


def approval_decided(reply: Message, *, by, approved: bool, reason: str = "") -> None:
    """The request to approve is settled once no reply of its item waits any more; the reply's author hears."""
    awaiting = Message.objects.filter(item_id=reply.item_id, delivery=Message.Delivery.AWAITING_APPROVAL)
    if not (reply.item_id and awaiting.exists()):
        service.settle(reply.item or reply, Kind.APPROVAL_REQUEST)
    if reply.sent_by is None or reply.sent_by == by:
        return
    verdict = "approuvée : elle part vers la plateforme" if approved else f"refusée ({reason})"
    link = _where(reply.item) if reply.item_id else reverse("inbox:thread", args=[reply.thread_id])
    service.notify_people(
        [reply.sent_by], f"Votre réponse a été {verdict}", reply.text[:300], link=link,
        reason=f"décision de {name_of(by, RULE)}", kind=Kind.APPROVAL_DECISION, about=reply.item or reply,
    )  # fmt: skip


def deadline_met(item: Item) -> None:
    """Every message of the item that was due an answer has one: the warnings that its deadline neared or passed
    (« Message privé à répondre bientôt », « … en retard ») are marked read for everyone: nothing is left to do."""
    service.settle(item, Kind.DEADLINE)


def escalated(item: Item, *, by, rule: str = "") -> None:
    service.notify(
        [DIRECTION], f"Escaladé à la direction : message de {_author(item)}", item.message.text[:300],
        link=_where(item), reason=f"règle « {rule} »" if rule else f"escalade par {name_of(by, RULE)}",
        kind=Kind.ESCALATION, about=item, urgent=True,
    )  # fmt: skip
