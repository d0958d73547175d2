"""The tracking tables: the complaints register (kept by people) and the moderation register (read from
the outbox, the evidence and the platform reports). Every change by a person is audited."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vigie.accounts.people import name_of
from vigie.audit.record import record
from vigie.inbox.errors import ActionError
from vigie.inbox.models import LABEL_NAMES, Message
from vigie.lib.rows import narrowed
from vigie.moderation.models import PlatformAction
from vigie.procedure.service import version_in_force
from vigie.records.models import Complaint, PlatformReport

MODERATION_VERBS = ("hide", "unhide", "delete", "block")


def answer_given(message: Message) -> str:
    """Our latest reply to this message (or to its conversation), as it stands."""
    replies = Message.objects.filter(kind=Message.Kind.REPLY).exclude(delivery=Message.Delivery.REJECTED)
    found = replies.filter(Q(parent=message) | Q(item_id=message.item_id, item__isnull=False)).order_by("-id").first()
    return found.text if found else ""


@transaction.atomic
def log_complaint(message: Message, *, by, subject: str = "", source: str = Complaint.Source.DESK) -> Complaint:
    """« Inscrire au registre des réclamations »: one click on an item; logging twice changes nothing."""
    if not message.incoming:
        raise ActionError("Seul un message reçu peut être inscrit au registre des réclamations.")
    existing = Complaint.objects.filter(message=message).first()
    if existing is not None:
        return existing
    if message.recommendations.filter(action="log_complaint").exists():
        source = Complaint.Source.PLAYBOOK  # the click followed the procedure's proposal
    author, answer = message.author, answer_given(message)
    complaint = Complaint.objects.create(
        message=message,
        received_at=message.created_at,
        platform=message.channel.platform,
        author_name=author.display_name if author else "",
        subject=(subject or message.text)[:300],
        answer=answer,
        source=source,
        logged_by=by,
        procedure_version=version_in_force(),
        outcome=Complaint.Outcome.ANSWERED if answer else Complaint.Outcome.OPEN,
    )
    record(
        by,
        "complaint.logged",
        complaint,
        summary=f"{name_of(by, 'Vigie')} a inscrit la réclamation de "
        f"{complaint.author_name or 'un auteur inconnu'} au registre",
        after={"message_id": message.pk},
    )
    return complaint


COMPLAINT_FIELDS = ("subject", "answer", "outcome", "improvement")


@transaction.atomic
def update_complaint(complaint: Complaint, *, by, **values) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    before = {name: getattr(complaint, name) for name in COMPLAINT_FIELDS}
    for name in COMPLAINT_FIELDS:
        if name in values:
            setattr(complaint, name, values[name])
    after = {name: getattr(complaint, name) for name in COMPLAINT_FIELDS}
    changed = [name for name in COMPLAINT_FIELDS if before[name] != after[name]]
    if changed:
        complaint.save(update_fields=changed)
        record(
            by,
            "complaint.updated",
            complaint,
            summary=f"{name_of(by, 'Vigie')} a mis à jour la réclamation n° {complaint.pk} "
            f"({complaint.get_outcome_display()})",
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return complaint


@transaction.atomic
def record_report(message: Message, *, by, reference: str = "", pharos_reference: str = "") -> PlatformReport:
    """The manual report to the platform was made: when, and the references it gave."""
    if not message.incoming:
        raise ActionError("Seul un message reçu peut être signalé à la plateforme.")
    label = label_of(message)
    report = PlatformReport.objects.create(
        message=message,
        platform=message.channel.platform,
        reported_at=timezone.now(),
        reference=reference[:200],
        pharos_reference=pharos_reference[:200],
        reason=LABEL_NAMES.get(label, ""),
        reported_by=by,
        procedure_version=version_in_force(),
    )
    record(
        by,
        "message.reported",
        message,
        summary=f"{name_of(by, 'Vigie')} a signalé le message à la plateforme"
        + (f" (référence {reference})" if reference else ""),
        after={"report_id": report.pk},
    )
    return report


# --- the moderation register ----------------------------------------------------------------------


def moderation_actions(*, platform: str = "", verb: str = "", date_from=None, date_to=None):
    actions = (
        PlatformAction.objects.filter(verb__in=MODERATION_VERBS)
        .select_related(
            "channel",
            "requested_by",
            "target_message__author",
            "target_message__classification",
            "target_message__item",
        )
        .prefetch_related("target_message__evidence")
        .order_by("-created_at", "-id")
    )
    return narrowed(actions, channel__platform=platform, verb=verb, created_at__date__gte=date_from,
                    created_at__date__lte=date_to)  # fmt: skip


def moderation_reports(*, platform: str = "", date_from=None, date_to=None):
    reports = PlatformReport.objects.select_related("message__author", "reported_by").order_by("-reported_at")
    reports = narrowed(reports, platform=platform, reported_at__date__gte=date_from, reported_at__date__lte=date_to)
    return reports


def _evidence_of(action: PlatformAction):
    """The evidence captured for this action (the newest captured before it was queued)."""
    message = action.target_message
    if message is None:
        return None
    return next((e for e in message.evidence.all() if e.captured_at <= action.created_at), None)


def label_of(message: Message | None) -> str:
    """The message's label as the desk knows it (a moderator's correction included)."""
    if message is None:
        return ""
    classification = getattr(message, "classification", None)
    if classification is not None:
        return classification.effective_label
    return message.item.label if message.item_id else ""


def moderation_row(action: PlatformAction) -> dict:
    message = action.target_message
    evidence = _evidence_of(action)
    label = label_of(message)
    return {
        "at": action.created_at,
        "kind": action.get_verb_display(),
        "verb": action.verb,
        "platform": action.channel.get_platform_display(),
        "author": str(message.author) if message and message.author else "",
        "who": name_of(action.requested_by, "Vigie")
        if action.requested_by
        else (f"règle « {action.requested_by_rule} »" if action.requested_by_rule else "Vigie"),
        "reason": LABEL_NAMES.get(label, "")
        + (f" · règle « {action.requested_by_rule} »" if action.requested_by_rule else ""),
        "charter": (
            f"Charte {evidence.record.get('charter_version')}"
            if evidence and evidence.record.get("charter_version")
            else ""
        ),
        "procedure": evidence.record.get("procedure_version", "") if evidence else "",
        "evidence": evidence,
        "status": action.get_status_display(),
        "message": message,
        "text": message.text if message else "",
    }


def report_row(report: PlatformReport) -> dict:
    message = report.message
    evidence = message.evidence.first()
    return {
        "at": report.reported_at,
        "kind": "Signaler",
        "verb": "report",
        "platform": report.get_platform_display(),
        "author": str(message.author) if message.author else "",
        "who": name_of(report.reported_by, "Vigie"),
        "reason": report.reason
        + (f" · référence {report.reference}" if report.reference else "")
        + (f" · PHAROS {report.pharos_reference}" if report.pharos_reference else ""),
        "charter": (
            f"Charte {evidence.record.get('charter_version')}"
            if evidence and evidence.record.get("charter_version")
            else ""
        ),
        "procedure": report.procedure_version,
        "evidence": evidence,
        "status": "Clos" if report.closed else "En cours",
        "message": message,
        "text": message.text,
    }


def moderation_register(*, platform: str = "", verb: str = "", date_from=None, date_to=None, limit=None):
    """Every hide, unhide, delete, block and report, newest first, as rows for the page and the CSV."""
    rows = []
    if verb in ("", *MODERATION_VERBS):
        actions = moderation_actions(platform=platform, verb=verb, date_from=date_from, date_to=date_to)
        rows += [moderation_row(action) for action in (actions[:limit] if limit else actions)]
    if verb in ("", "report"):
        reports = moderation_reports(platform=platform, date_from=date_from, date_to=date_to)
        rows += [report_row(report) for report in (reports[:limit] if limit else reports)]
    rows.sort(key=lambda row: row["at"], reverse=True)
    return rows[:limit] if limit else rows
