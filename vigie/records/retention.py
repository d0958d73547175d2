"""The retention policy, applied by a daily job: messages and authors of closed items are anonymised,
evidence, notifications and audit events deleted, once their time is up, except what a legal hold needs.

Every run is recorded (`RetentionRun`); a changed policy is always tried as a dry run first.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from vigie.audit.models import AuditEvent
from vigie.audit.record import record
from vigie.inbox.models import Author, Item, Message, MessageVersion, Note
from vigie.inbox.status import Status
from vigie.lib.plural import pluriel
from vigie.moderation.models import Evidence
from vigie.notifications.models import Notification
from vigie.records import holds
from vigie.records.models import Complaint, RetentionPolicy, RetentionRun

Kind = RetentionPolicy.Kind
Mode = RetentionPolicy.Mode
ANONYMOUS = "Personne anonymisée"
ERASED_TEXT = ""

# kind → (days, mode, why a French organisation would defend it)
DEFAULTS = {
    Kind.MESSAGES: (
        3 * 365,
        Mode.ANONYMISE,
        "3 ans après le dernier contact, comme la CNIL le recommande pour les prospects "
        "(personnes qui ne sont pas clientes) ; les chiffres des indicateurs restent.",
    ),
    Kind.EVIDENCE: (
        6 * 365,
        Mode.DELETE,
        "6 ans : délai de prescription des délits (art. 8 du code de procédure pénale), le temps "
        "qu'une plainte ou une procédure puisse en avoir besoin.",
    ),
    Kind.NOTIFICATIONS: (365, Mode.DELETE, "1 an : elles ne servent qu'au travail courant."),
    Kind.AUDIT: (
        5 * 365,
        Mode.DELETE,
        "5 ans : prescription de droit commun (art. 2224 du code civil) ; preuve des décisions de "
        "modération pour un audit ou un litige.",
    ),
}
# items whose decision is made: their messages may be anonymised once their time is up
FINISHED = (Status.DONE, Status.CLOSED)


def policies() -> dict[str, RetentionPolicy]:
    for kind, (days, mode, justification) in DEFAULTS.items():
        RetentionPolicy.objects.get_or_create(
            kind=kind, defaults={"days": days, "mode": mode, "justification": justification}
        )
    return {policy.kind: policy for policy in RetentionPolicy.objects.all()}


def cutoff(policy: RetentionPolicy, now):
    return now - timedelta(days=policy.days)


def expired_authors(policy: RetentionPolicy, now, held: set[int]) -> tuple[list[int], int]:
    """Authors (not yet anonymised) whose last contact is older than the policy, with every item of
    theirs finished; linked identities count as one person (the latest contact of any of them)."""
    last = dict(
        Message.objects.exclude(author=None)
        .values("author_id")
        .annotate(last=Max("created_at"))
        .values_list("author_id", "last")
    )
    persons = dict(Author.objects.exclude(person=None).values_list("pk", "person_id"))
    person_last: dict[int, object] = {}
    for author_id, person_id in persons.items():
        if author_id in last:
            person_last[person_id] = max(person_last.get(person_id, last[author_id]), last[author_id])
    busy = set(
        Item.objects.exclude(status__in=FINISHED)
        .exclude(message__author=None)
        .values_list("message__author_id", flat=True)
    )
    limit = cutoff(policy, now)
    due, kept = [], 0
    for author_id in Author.objects.exclude(display_name=ANONYMOUS).values_list("pk", flat=True):
        when = person_last.get(persons.get(author_id), last.get(author_id))
        if when is None or when >= limit or author_id in busy:
            continue
        if author_id in held:
            kept += 1
        else:
            due.append(author_id)
    return due, kept


def anonymise_authors(author_ids: list[int]) -> int:
    """Names, texts, links and earlier versions go; the rows (and so the indicators' counts) stay."""
    messages = Message.objects.filter(author_id__in=author_ids)
    message_ids = list(messages.values_list("pk", flat=True))
    MessageVersion.objects.filter(message_id__in=message_ids).delete()
    Message.objects.filter(
        Q(parent_id__in=message_ids) | Q(item__message_id__in=message_ids), kind=Message.Kind.REPLY
    ).update(text=ERASED_TEXT)  # our replies greet them by name
    Note.objects.filter(item__message_id__in=message_ids).update(text="[note anonymisée]")
    Complaint.objects.filter(message_id__in=message_ids).update(author_name="", subject="[anonymisée]")
    count = messages.update(text=ERASED_TEXT, permalink="")
    for author in Author.objects.filter(pk__in=author_ids):
        author.display_name, author.external_id = ANONYMOUS, f"anonyme-{author.pk}"
        author.save(update_fields=["display_name", "external_id"])
    return count


def _held_evidence(held_messages: set[int], held_authors: set[int]):
    return Q(message_id__in=held_messages) | Q(message__author_id__in=held_authors)


def _audit_held(held_messages: set[int], held_authors: set[int]):
    return Q(target_type="message", target_id__in=[str(pk) for pk in held_messages]) | Q(
        target_type="author", target_id__in=[str(pk) for pk in held_authors]
    )


def plan_and_apply(*, dry_run: bool, now) -> dict:
    found = policies()
    held_messages, held_authors = holds.held_message_ids(), holds.held_author_ids()
    counts = {}
    authors, kept = expired_authors(found[Kind.MESSAGES], now, held_authors)
    messages = Message.objects.filter(author_id__in=authors).count()
    counts[Kind.MESSAGES] = {"authors": len(authors), "messages": messages, "held": kept}
    evidence = Evidence.objects.filter(captured_at__lt=cutoff(found[Kind.EVIDENCE], now))
    counts[Kind.EVIDENCE] = {
        "deleted": evidence.exclude(_held_evidence(held_messages, held_authors)).count(),
        "held": evidence.filter(_held_evidence(held_messages, held_authors)).count(),
    }
    notifications = Notification.objects.filter(created_at__lt=cutoff(found[Kind.NOTIFICATIONS], now))
    counts[Kind.NOTIFICATIONS] = {"deleted": notifications.count(), "held": 0}
    audit = AuditEvent.objects.filter(created_at__lt=cutoff(found[Kind.AUDIT], now))
    counts[Kind.AUDIT] = {
        "deleted": audit.exclude(_audit_held(held_messages, held_authors)).count(),
        "held": audit.filter(_audit_held(held_messages, held_authors)).count(),
    }
    if not dry_run:
        anonymise_authors(authors)
        doomed = evidence.exclude(_held_evidence(held_messages, held_authors))
        doomed._raw_delete(doomed.db)  # evidence is never deleted one by one: only its retention ends it
        notifications.delete()
        old = audit.exclude(_audit_held(held_messages, held_authors))
        old._raw_delete(old.db)  # the one deletion the append-only audit log allows: its retention
    return counts


@transaction.atomic
def run(*, dry_run: bool, by=None, now=None) -> RetentionRun:
    now = now or timezone.now()
    counts = plan_and_apply(dry_run=dry_run, now=now)
    retention_run = RetentionRun.objects.create(dry_run=dry_run, by=by, counts=counts, finished_at=timezone.now())
    verb = "Simulation de la conservation" if dry_run else "Application de la conservation"
    record(
        by,
        "retention.dry_run" if dry_run else "retention.applied",
        retention_run,
        summary=f"{verb} : {summary(counts)}",
        after=counts,
    )
    return retention_run


def summary(counts: dict) -> str:
    messages = counts.get(Kind.MESSAGES, {})
    authors, anonymised = messages.get("authors", 0), messages.get("messages", 0)
    parts = [f"{authors} auteur{pluriel(authors)} et {anonymised} message{pluriel(anonymised)} anonymisés"]
    for kind, one, several in (
        (Kind.EVIDENCE, "preuve supprimée", "preuves supprimées"),
        (Kind.NOTIFICATIONS, "notification supprimée", "notifications supprimées"),
        (Kind.AUDIT, "événement d'audit supprimé", "événements d'audit supprimés"),
    ):
        deleted = counts.get(kind, {}).get("deleted", 0)
        parts.append(f"{deleted} {several if deleted >= 2 else one}")
    held = sum(value.get("held", 0) for value in counts.values())
    return ", ".join(parts) + (f" ; {held} gardé{pluriel(held)} par une conservation légale" if held else "")


def daily(now=None) -> RetentionRun:
    """The daily job: a policy changed since the last dry run is only simulated (an admin reads the
    result on the page); otherwise the policy is applied."""
    last_dry = RetentionRun.objects.filter(dry_run=True).order_by("-started_at").first()
    changed = RetentionPolicy.objects.aggregate(latest=Max("updated_at"))["latest"]
    if last_dry is None or (changed and changed > last_dry.started_at):
        return run(dry_run=True, now=now)
    return run(dry_run=False, now=now)


@transaction.atomic
def set_policy(policy: RetentionPolicy, *, by, days: int, justification: str) -> RetentionPolicy:
    before = {"days": policy.days, "justification": policy.justification}
    policy.days, policy.justification, policy.updated_by = days, justification, by
    policy.save()
    record(
        by,
        "retention.policy_changed",
        policy,
        summary=f"{by.get_username()} a fixé la conservation « {policy.get_kind_display()} » à {days} jours",
        before=before,
        after={"days": days, "justification": justification},
    )
    return policy
