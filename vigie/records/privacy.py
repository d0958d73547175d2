"""Access and erasure requests (GDPR art. 15 and 17): everything Vigie holds about a person, found by
one platform identity and every identity linked to it; exported, or erased keeping only what a legal
hold needs. The audit log records the request and its counts, never the erased content."""

import csv
import io
import json

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vigie.audit.models import AuditEvent
from vigie.audit.record import record
from vigie.inbox.models import Author, Message, Note
from vigie.lib.plural import pluriel
from vigie.lib.spreadsheet import safe_row
from vigie.moderation.models import Evidence
from vigie.records import holds, retention
from vigie.records.models import Complaint, PlatformReport, PrivacyRequest


def find_authors(query: str, limit: int = 50):
    """Platform identities whose name or platform id matches (an admin's search)."""
    query = query.strip()
    if not query:
        return Author.objects.none()
    matches = Author.objects.filter(Q(display_name__icontains=query) | Q(external_id=query))
    return matches.exclude(display_name=retention.ANONYMOUS).select_related("channel", "person")[:limit]


def identities(author: Author) -> list[Author]:
    """The author and every identity an admin linked to the same person."""
    if author.person_id is None:
        return [author]
    return list(Author.objects.filter(person_id=author.person_id).select_related("channel").order_by("pk"))


def dossier(author: Author) -> dict:
    """Everything about the person, as plain data (the access request's export)."""
    found = identities(author)
    ids = [a.pk for a in found]
    messages = (
        Message.objects.filter(author_id__in=ids).select_related("channel", "classification").order_by("created_at")
    )
    message_ids = [m.pk for m in messages]
    return {
        "exported_at": timezone.now().isoformat(),
        "identities": [
            {
                "platform": a.channel.platform,
                "channel": a.channel.name,
                "platform_id": a.external_id,
                "name": a.display_name,
                "blocked": a.blocked,
                "offence_count": a.offence_count,
            }
            for a in found
        ],
        "messages": [
            {
                "id": m.pk,
                "platform": m.channel.platform,
                "kind": m.kind,
                "created_at": m.created_at.isoformat(),
                "text": m.text,
                "permalink": m.permalink,
                "removed": m.removed,
                "hidden_on_platform": m.hidden_on_platform,
                "deleted_on_platform": m.deleted_on_platform,
                "label": getattr(getattr(m, "classification", None), "effective_label", ""),
            }
            for m in messages
        ],
        "replies_from_the_centre": [
            {"in_reply_to": r.parent_id, "created_at": r.created_at.isoformat(), "text": r.text}
            for r in Message.objects.filter(kind=Message.Kind.REPLY, parent_id__in=message_ids)
        ],
        "evidence": [
            {"id": e.pk, "captured_at": e.captured_at.isoformat(), "record": e.record, "sha256": e.sha256}
            for e in Evidence.objects.filter(message_id__in=message_ids)
        ],
        "complaints": [
            {
                "id": c.pk,
                "received_at": c.received_at.isoformat(),
                "subject": c.subject,
                "answer": c.answer,
                "outcome": c.get_outcome_display(),
            }
            for c in Complaint.objects.filter(message_id__in=message_ids)
        ],
        "platform_reports": [
            {"reported_at": r.reported_at.isoformat(), "reference": r.reference, "reason": r.reason}
            for r in PlatformReport.objects.filter(message_id__in=message_ids)
        ],
        "internal_notes": [
            {"created_at": n.created_at.isoformat(), "text": n.text}
            for n in Note.objects.filter(item__message_id__in=message_ids)
        ],
        "audit_events": AuditEvent.objects.filter(
            Q(target_type="author", target_id__in=[str(pk) for pk in ids])
            | Q(target_type="message", target_id__in=[str(pk) for pk in message_ids])
        ).count(),
    }


def as_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


CSV_HEADER = ["type", "date", "plateforme", "texte", "détail"]


def as_csv(data: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for i in data["identities"]:
        writer.writerow(safe_row(["identité", "", i["platform"], i["name"], i["platform_id"]]))
    for m in data["messages"]:
        writer.writerow(safe_row(["message", m["created_at"], m["platform"], m["text"], m["label"]]))
    for r in data["replies_from_the_centre"]:
        writer.writerow(safe_row(["réponse du centre", r["created_at"], "", r["text"], ""]))
    for c in data["complaints"]:
        writer.writerow(safe_row(["réclamation", c["received_at"], "", c["subject"], c["outcome"]]))
    for e in data["evidence"]:
        writer.writerow(
            safe_row(
                ["preuve", e["captured_at"], e["record"].get("platform", ""), e["record"].get("text", ""), e["sha256"]]
            )
        )
    return "\ufeff" + out.getvalue()


@transaction.atomic
def record_access(author: Author, *, by) -> PrivacyRequest:
    data = dossier(author)
    counts = {"identities": len(data["identities"]), "messages": len(data["messages"])}
    request = PrivacyRequest.objects.create(
        kind=PrivacyRequest.Kind.ACCESS, author=author, handled_by=by, counts=counts
    )
    record(
        by,
        "privacy.exported",
        request,
        summary=f"{by.get_username()} a exporté les données d'une personne (demande d'accès n° {request.pk})",
        after=counts,
    )
    return request


@transaction.atomic
def erase(author: Author, *, by) -> PrivacyRequest:
    """Anonymise every identity of the person; delete their evidence; keep what a legal hold needs."""
    found = identities(author)
    held_authors, held_messages = holds.held_author_ids(), holds.held_message_ids()
    free = [a.pk for a in found if a.pk not in held_authors]
    message_ids = list(Message.objects.filter(author_id__in=free).values_list("pk", flat=True))
    evidence = Evidence.objects.filter(message_id__in=message_ids).exclude(message_id__in=held_messages)
    counts = {
        "identities": len(free),
        "identities_held": len(found) - len(free),
        "messages": len(message_ids),
        "evidence": evidence.count(),
    }
    evidence._raw_delete(evidence.db)  # the person's erasure ends evidence no hold needs
    retention.anonymise_authors(free)
    request = PrivacyRequest.objects.create(
        kind=PrivacyRequest.Kind.ERASURE, author=author, handled_by=by, counts=counts
    )
    held = counts["identities_held"]
    kept = f" ; {held} identité{pluriel(held)} gardée{pluriel(held)} par une conservation légale" if held else ""
    record(
        by,
        "privacy.erased",
        request,
        summary=f"{by.get_username()} a effacé les données d'une personne à sa "
        f"demande (demande n° {request.pk} : {counts['identities']} identité{pluriel(counts['identities'])}, "
        f"{counts['messages']} message{pluriel(counts['messages'])}){kept}",
        after=counts,
    )
    return request
