"""Every change people make to a crisis: one transaction, the audit line and the room's timeline inside it."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from vigie.accounts.roles import COMMUNICATION, DIRECTION, roles_of
from vigie.audit.record import record
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


@transaction.atomic
def close(crisis: Crisis, *, by, what_happened: str, what_worked: str, to_change: str) -> Crisis:
    """Closing needs the short review (what happened, what worked, what to change in the procedure)."""
    crisis = _locked(crisis)
    _require_active(crisis)
    review = [what_happened.strip(), what_worked.strip(), to_change.strip()]
    if not all(review):
        raise CrisisError("Pour clore la crise, remplissez les trois parties du bilan.")
    crisis.review_what_happened, crisis.review_what_worked, crisis.review_to_change = review
    crisis.status, crisis.closed_at, crisis.closed_by = Crisis.Status.CLOSED, timezone.now(), by
    crisis.save()
    _log(crisis, by, "crisis.closed", "Crise close, bilan rédigé.", after={"status": "closed"})
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


def publication_targets(crisis: Crisis) -> list[Message]:
    """Where the statement goes: one reply under the first message of each public thread of the crisis."""
    firsts: dict[int, Message] = {}
    for link in crisis.links.select_related("message__thread").order_by("at", "id"):
        message = link.message
        if message.kind == Message.Kind.COMMENT and message.thread_id not in firsts:
            firsts[message.thread_id] = message
    return list(firsts.values())


@transaction.atomic
def publish_statement(crisis: Crisis, *, by) -> list[StatementPublication]:
    """The approved statement, as a reply on each public thread of the crisis, queued in the platform
    outbox (each reply done once, its evidence kept with the outgoing message)."""
    crisis = _locked(crisis)
    statement = Statement.objects.select_for_update().filter(crisis=crisis).first()
    if statement is None or statement.status != Statement.Status.APPROVED:
        raise CrisisError("Le communiqué doit être approuvé par la direction et la communication avant d'être publié.")
    targets = publication_targets(crisis)
    if not targets:
        raise CrisisError("Aucune publication où répondre : cette crise n'a pas de commentaire public.")
    version = statement.current
    publications = []
    for message in targets:
        reply = inbox_actions.compose_reply(message.thread, version.text, by=by, in_reply_to=message)
        publications.append(StatementPublication.objects.create(statement=statement, version=version, reply=reply))
    statement.status, statement.published_at, statement.published_by = Statement.Status.PUBLISHED, timezone.now(), by
    statement.save(update_fields=["status", "published_at", "published_by"])
    _log(crisis, by, "crisis.statement_published",
         f"Communiqué publié (version {version.number}) en réponse sur {len(publications)} fil(s).")  # fmt: skip
    return publications


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
