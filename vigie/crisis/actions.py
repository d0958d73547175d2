"""Every change people make to a crisis: one transaction, the audit line and the room's timeline inside it."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from vigie.accounts.roles import COMMUNICATION, DIRECTION, roles_of
from vigie.audit.record import record
from vigie.crisis import publications as publications_rules
from vigie.crisis.models import (
    Crisis,
    CrisisEvent,
    CrisisMessage,
    CrisisSettings,
    Statement,
    StatementApproval,
    StatementPublication,
    StatementVersion,
    StrategyVersion,
)
from vigie.inbox import actions as inbox_actions
from vigie.inbox.models import Message
from vigie.lib.plural import pluriel
from vigie.moderation import outbox
from vigie.moderation import tasks as outbox_tasks
from vigie.moderation.models import PlatformAction
from vigie.records import improvements
from vigie.records.models import ImprovementAction

APPROVING_ROLES = (DIRECTION, COMMUNICATION)


class CrisisError(Exception):
    """A refused change, said in French to the person."""


def _log(crisis: Crisis, by, verb: str, text: str, **changes) -> None:
    CrisisEvent.objects.create(crisis=crisis, actor=by, text=text[:300])
    record(by, verb, crisis, summary=text, **changes)


def _locked(crisis: Crisis) -> Crisis:
    return Crisis.objects.select_for_update().get(pk=crisis.pk)


def _require_active(crisis: Crisis) -> None:
    if not crisis.active:
        raise CrisisError(f"Cette crise est déjà {crisis.get_status_display().lower()}.")


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise CrisisError("Indiquez la raison.")
    return reason


@transaction.atomic
def escalate(crisis: Crisis, *, by, reason: str) -> Crisis:
    crisis = _locked(crisis)
    _require_active(crisis)
    if crisis.status == Crisis.Status.ESCALATED:
        raise CrisisError("Cette crise est déjà escaladée.")
    crisis.status, crisis.reason = Crisis.Status.ESCALATED, _require_reason(reason)
    crisis.save(update_fields=["status", "reason"])
    _log(crisis, by, "crisis.escalated", f"Crise escaladée : {crisis.reason}",
         before={"status": "open"}, after={"status": "escalated"})  # fmt: skip
    return crisis


@transaction.atomic
def dismiss(crisis: Crisis, *, by, reason: str) -> Crisis:
    """A false alarm: closed, with the reason the dry run shows next to the alerts it would raise."""
    crisis = _locked(crisis)
    _require_active(crisis)
    before = crisis.status
    crisis.status, crisis.reason = Crisis.Status.DISMISSED, _require_reason(reason)
    crisis.closed_at, crisis.closed_by = timezone.now(), by
    crisis.save(update_fields=["status", "reason", "closed_at", "closed_by"])
    _log(crisis, by, "crisis.dismissed", f"Fausse alerte : {crisis.reason}",
         before={"status": before}, after={"status": "dismissed"})  # fmt: skip
    return crisis


@transaction.atomic
def merge(crisis: Crisis, into: Crisis, *, by, reason: str) -> Crisis:
    """Two alerts about the same events become one crisis: the messages move to `into`."""
    crisis, into = _locked(crisis), _locked(into)
    _require_active(crisis)
    if into.pk == crisis.pk or not into.active:
        raise CrisisError("Choisissez une autre crise encore ouverte.")
    reason = _require_reason(reason)
    for link in crisis.links.select_related("message"):
        CrisisMessage.objects.get_or_create(crisis=into, message=link.message,
                                            defaults={"trigger": link.trigger, "at": link.at})  # fmt: skip
    into.last_message_at = max(into.last_message_at, crisis.last_message_at)
    into.started_at = min(into.started_at, crisis.started_at)
    into.save(update_fields=["last_message_at", "started_at"])
    crisis.status, crisis.merged_into, crisis.reason = Crisis.Status.MERGED, into, reason
    crisis.closed_at, crisis.closed_by = timezone.now(), by
    crisis.save(update_fields=["status", "merged_into", "reason", "closed_at", "closed_by"])
    _log(crisis, by, "crisis.merged", f"Crise fusionnée dans la crise n° {into.pk} : {reason}",
         after={"merged_into": into.pk})  # fmt: skip
    _log(into, by, "crisis.merged", f"La crise n° {crisis.pk} y est fusionnée : {reason}")
    return crisis


REVIEW_DAYS = 30  # the default time given to each action of a crisis review


def changes_of(to_change: str) -> list[str]:
    """« Ce qu'il faut changer », one change a line (list marks dropped): each becomes an improvement action."""
    lines = (line.strip().lstrip("-•*–").strip() for line in to_change.splitlines())
    return [line for line in lines if line]


@transaction.atomic
def close(crisis: Crisis, *, by, what_happened: str, what_worked: str, to_change: str, owner=None,
          due_on=None) -> Crisis:  # fmt: skip
    """Closing needs the short review (what happened, what worked, what to change in the procedure); each
    change becomes an action of the improvement plan, linked to the crisis, given to `owner` (the person
    closing, by default) for `due_on` (in 30 days, by default)."""
    crisis = _locked(crisis)
    _require_active(crisis)
    review = [what_happened.strip(), what_worked.strip(), to_change.strip()]
    changes = changes_of(to_change)
    if not all(review) or not changes:
        raise CrisisError("Pour clore la crise, remplissez les trois parties du bilan.")
    crisis.review_what_happened, crisis.review_what_worked, crisis.review_to_change = review
    crisis.status, crisis.closed_at, crisis.closed_by = Crisis.Status.CLOSED, timezone.now(), by
    crisis.save()
    due_on = due_on or improvements.today() + timedelta(days=REVIEW_DAYS)
    for change in changes:
        improvements.open_action(by=by, title=change, owner=owner or by, due_on=due_on,
                                 origin=ImprovementAction.Origin.CRISIS, crisis=crisis,
                                 origin_reference=f"Crise n° {crisis.pk} — {crisis.title}")  # fmt: skip
    s = pluriel(changes)
    _log(crisis, by, "crisis.closed",
         f"Crise close, bilan rédigé : {len(changes)} action{s} d'amélioration ouverte{s}.",
         after={"status": "closed", "improvement_actions": len(changes)})  # fmt: skip
    return crisis


@transaction.atomic
def save_strategy(crisis: Crisis, *, by, decision: str, owners: str) -> StrategyVersion:
    crisis = _locked(crisis)
    _require_active(crisis)
    if not decision.strip():
        raise CrisisError("Décrivez la stratégie retenue.")
    number = (crisis.strategies.aggregate(n=Max("number"))["n"] or 0) + 1
    version = StrategyVersion.objects.create(crisis=crisis, number=number, decision=decision.strip(),
                                             owners=owners.strip(), author=by)  # fmt: skip
    _log(crisis, by, "crisis.strategy", f"Stratégie, version {number} : {decision.strip()[:200]}",
         after={"version": number})  # fmt: skip
    return version


@transaction.atomic
def draft_statement(crisis: Crisis, *, by, text: str) -> StatementVersion:
    """A new version of the statement: earlier approvals were for earlier words, so it is a draft again."""
    crisis = _locked(crisis)
    if not text.strip():
        raise CrisisError("Le communiqué est vide.")
    statement, _ = Statement.objects.get_or_create(crisis=crisis)
    if statement.status == Statement.Status.PUBLISHED:
        raise CrisisError("Le communiqué est déjà publié.")
    number = (statement.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = StatementVersion.objects.create(statement=statement, number=number, text=text.strip(), author=by)
    statement.status = Statement.Status.DRAFT
    statement.save(update_fields=["status"])
    _log(crisis, by, "crisis.statement_drafted", f"Communiqué, version {number} rédigée.", after={"version": number})
    return version


def _approving_roles(user) -> list[str]:
    if user.is_superuser:
        return list(APPROVING_ROLES)
    return [role for role in APPROVING_ROLES if role in roles_of(user)]


@transaction.atomic
def approve_statement(crisis: Crisis, *, by) -> Statement:
    """The direction and the communication officer each approve the current version."""
    crisis = _locked(crisis)
    statement = Statement.objects.filter(crisis=crisis).first()
    version = statement.current if statement else None
    if version is None or statement.status == Statement.Status.PUBLISHED:
        raise CrisisError("Aucun communiqué à approuver.")
    roles = _approving_roles(by)
    if not roles:
        raise CrisisError("Le communiqué est approuvé par la direction et la chargée de communication.")
    for role in roles:
        StatementApproval.objects.get_or_create(version=version, role=role, defaults={"user": by})
    approved = set(version.approvals.values_list("role", flat=True)) >= set(APPROVING_ROLES)
    if approved:
        statement.status = Statement.Status.APPROVED
        statement.save(update_fields=["status"])
    _log(crisis, by, "crisis.statement_approved",
         f"Communiqué, version {version.number}, approuvé ({', '.join(roles)})"
         + (" : prêt à publier." if approved else " : en attente de l'autre approbation."))  # fmt: skip
    return statement


def publication_targets(crisis: Crisis, channels=None) -> list[Message]:
    """Where the statement goes as replies: under the first message of each public thread of the crisis
    (on the chosen channels only, when some are chosen)."""
    firsts: dict[int, Message] = {}
    chosen = None if channels is None else {c.pk for c in channels}
    for link in crisis.links.select_related("message__thread").order_by("at", "id"):
        message = link.message
        on_chosen = chosen is None or message.channel_id in chosen
        if message.kind == Message.Kind.COMMENT and on_chosen and message.thread_id not in firsts:
            firsts[message.thread_id] = message
    return list(firsts.values())


@transaction.atomic
def publish_statement(crisis: Crisis, *, by, replies: bool = True, posts: bool = False,
                      channels=None) -> list[StatementPublication]:  # fmt: skip
    """The approved statement, queued in the platform outbox (each publication done once): as a reply on
    each public thread of the crisis, and/or as a new post on each chosen page that allows it. `channels`
    (None: every channel of the crisis's threads) limits both."""
    crisis = _locked(crisis)
    statement = Statement.objects.select_for_update().filter(crisis=crisis).first()
    if statement is None or statement.status != Statement.Status.APPROVED:
        raise CrisisError("Le communiqué doit être approuvé par la direction et la communication avant d'être publié.")
    if not (replies or posts):
        raise CrisisError(
            "Choisissez comment publier le communiqué : en réponse sur les fils, en nouvelle publication, ou les deux."
        )
    channels = list(channels) if channels is not None else None
    version = statement.current
    targets = publication_targets(crisis, channels) if replies else []
    pages = _post_pages(channels) if posts else []
    if replies and not targets and not posts:
        raise CrisisError("Aucun fil où répondre sur ces pages : cette crise n'y a pas de commentaire public.")
    publications = []
    for message in targets:
        reply = inbox_actions.compose_reply(message.thread, version.text, by=by, in_reply_to=message)
        publications.append(StatementPublication.objects.create(
            statement=statement, version=version, kind=StatementPublication.Kind.REPLY, channel=message.channel,
            reply=reply))  # fmt: skip
    for channel in pages:
        action = PlatformAction.objects.create(
            channel=channel, verb=PlatformAction.Verb.PUBLISH_POST, requested_by=by,
            dedup_key=f"crisis-statement:{statement.pk}:post:{channel.pk}", result={"options": {"text": version.text}},
        )  # fmt: skip
        outbox_tasks.enqueue_after_commit(action.pk)
        publications.append(StatementPublication.objects.create(
            statement=statement, version=version, kind=StatementPublication.Kind.POST, channel=channel,
            action=action))  # fmt: skip
    statement.status, statement.published_at, statement.published_by = Statement.Status.PUBLISHED, timezone.now(), by
    statement.save(update_fields=["status", "published_at", "published_by"])
    said = [f"en réponse sur {len(targets)} fil{pluriel(targets)}"] if targets else []
    said += [f"en nouvelle publication sur {', '.join(c.name for c in pages)}"] if pages else []
    _log(crisis, by, "crisis.statement_published", f"Communiqué publié (version {version.number}) {' et '.join(said)}.",
         after={"replies": len(targets), "posts": [c.pk for c in pages]})  # fmt: skip
    return publications


def _post_pages(channels) -> list:
    """The chosen pages that can receive a new post (connected, and the platform's API allows it); the
    others chosen only take the replies. None of them: the platforms' reasons, in French."""
    if not channels:
        raise CrisisError("Choisissez la ou les pages où publier le communiqué.")
    offered = {c.pk for c in publications_rules.post_channels()}
    pages = [channel for channel in channels if channel.pk in offered]
    if not pages:
        reasons = {publications_rules.refusal(channel) for channel in channels}
        raise CrisisError(" ".join(sorted(reasons)))
    return pages


@transaction.atomic
def retry_publication(publication: StatementPublication, *, by) -> StatementPublication:
    """A failed publication starts over in the outbox (its earlier attempts stay in the audit log)."""
    action = publication.outbox_action
    if action is None or action.status != PlatformAction.Status.FAILED:
        raise CrisisError("Seule une publication en échec peut être relancée.")
    outbox.retry_failed(action, by=by)
    outbox_tasks.enqueue_after_commit(action.pk)
    where = publication.channel.get_platform_display()
    CrisisEvent.objects.create(crisis=publication.statement.crisis, actor=by,
                               text=f"Publication du communiqué relancée sur {where}.")  # fmt: skip
    return publication


@transaction.atomic
def update_settings(*, by, thresholds: dict, webhook_url: str, webhook_secret: str | None) -> CrisisSettings:
    """The admin's thresholds and webhook (a blank secret keeps the one stored; it is never shown back)."""
    config = CrisisSettings.objects.select_for_update().get_or_create(pk=1)[0]
    before = {"thresholds": config.thresholds, "webhook_url": config.webhook_url}
    config.thresholds, config.webhook_url = thresholds, webhook_url
    if webhook_secret:
        config.webhook_secret = webhook_secret
    config.save()
    after = {"thresholds": thresholds, "webhook_url": webhook_url, "secret_changed": bool(webhook_secret)}
    record(by, "crisis.settings", config, summary="Réglages de la détection de crise modifiés.", before=before,
           after=after)  # fmt: skip
    return config
