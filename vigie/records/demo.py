"""The demo's tracking tables: complaints logged from the desk, moderation with its evidence, a report to a
platform, a finished quality check with its deviations, improvement actions (one late) and a second
revision of the procedure. Everything goes through the same functions as the pages; run twice, it adds
nothing."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from vigie.inbox import actions
from vigie.inbox.models import Item, Message
from vigie.procedure import service as procedure
from vigie.records import improvements, quality, registers
from vigie.records.models import Complaint, ImprovementAction, QualityCheck

VIGILANCE = (
    "## Points de vigilance généraux\n\n"
    "- Ne jamais répondre sous le coup de l'émotion : relire, ou faire relire par la chargée de communication.\n"
    "- Capturer une preuve avant de masquer ou de supprimer.\n"
    "- Un message privé d'information reçoit une réponse sous 24 heures.\n"
)
ANSWERS = [
    (
        "Merci pour votre retour : nous avons réservé dix places de parking aux stagiaires dès la prochaine session.",
        Complaint.Outcome.RESOLVED,
        "Convention avec le parking voisin : dix places réservées.",
    ),
    (
        "Merci, nous transmettons à l'équipe pédagogique et revenons vers vous cette semaine.",
        Complaint.Outcome.ANSWERED,
        "",
    ),
]


def _users():
    found = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["admin", "camille", "lucas", "sophie", "nadia"])
    }
    return found if len(found) == 5 else None


def _messages(label: str, limit: int, **filters) -> list[Message]:
    items = Item.objects.filter(label=label, **filters).select_related("message__channel", "message__author")
    return [item.message for item in items.order_by("received_at", "id")[:limit]]


def stage_complaints(users) -> None:
    for index, message in enumerate(_messages("criticism", 6)):
        complaint = registers.log_complaint(message, by=users["camille" if index % 2 else "lucas"])
        if index < len(ANSWERS):
            answer, outcome, improvement = ANSWERS[index]
            registers.update_complaint(
                complaint, by=users["sophie"], answer=answer, outcome=outcome, improvement=improvement
            )


def stage_moderation(users) -> None:
    for message in _messages("spam", 3, platform="facebook", kind="comment"):  # what Facebook allows
        actions.moderate(message, "delete", by=users["camille"])
    for message in _messages("abuse", 2, platform="facebook", kind="comment"):
        actions.moderate(message, "hide", by=users["lucas"])
    severe = _messages("abuse", 1, platform="facebook")
    if severe:
        registers.record_report(severe[0], by=users["lucas"], reference="FB-SIG-20261118-0042")


def stage_quality(users) -> QualityCheck | None:
    month = Item.objects.order_by("received_at").values_list("received_at", flat=True).first()
    if month is None:
        return None
    check = quality.draw_check(timezone.localtime(month).date(), by=users["nadia"], size=20, seed=2026)
    samples = list(check.samples.all())
    # the reviewer reads an insult in a debate, and finds another item answered late: two deviations
    disputed = next((s for s in samples if s.label == "conflict"), None) or next(
        s for s in samples if s.label != "abuse"
    )
    late = [s for s in samples if s != disputed][3]
    for sample in samples:
        label = "abuse" if sample == disputed else sample.label
        quality.review(
            sample,
            by=users["sophie"],
            label=label,
            action_ok=label == sample.label,
            time_ok=sample != late,
            comment="" if label == sample.label else "propos injurieux, pas un débat",
        )
    return check


def stage_improvements(users, check: QualityCheck | None) -> None:
    today = timezone.localdate()
    deviation = next((s for s in quality.deviations(check) if s.reviewed_label != s.label), None) if check else None
    improvements.open_action(
        by=users["nadia"],
        title="Revoir avec l'équipe la différence entre conflit et propos injurieux (exemples du contrôle)",
        owner=users["sophie"],
        due_on=today - timedelta(days=3),
        origin=ImprovementAction.Origin.DEVIATION,
        sample=deviation,
    )
    complaint = Complaint.objects.filter(outcome=Complaint.Outcome.RESOLVED).first()
    done = improvements.open_action(
        by=users["nadia"],
        title="Réserver des places de parking aux stagiaires",
        owner=users["admin"],
        due_on=today - timedelta(days=10),
        origin=ImprovementAction.Origin.COMPLAINT,
        complaint=complaint,
    )
    improvements.update_action(
        done,
        by=users["admin"],
        status=ImprovementAction.Status.DONE,
        evidence="Convention signée le " + (today - timedelta(days=12)).strftime("%d/%m/%Y"),
    )
    improvements.open_action(
        by=users["sophie"],
        title="Ajouter un modèle de réponse sur les financements",
        owner=users["camille"],
        due_on=today + timedelta(days=14),
        origin=ImprovementAction.Origin.COMPLAINT,
        complaint=Complaint.objects.last(),
    )


def stage_procedure(users) -> None:
    current = procedure.procedure().current
    if current.number > 1 or "## Points de vigilance généraux\n\nà compléter" not in current.text:
        return
    text = current.text.replace("## Points de vigilance généraux\n\nà compléter\n", VIGILANCE)
    procedure.revise(
        text,
        by=users["admin"],
        what="Points de vigilance rédigés",
        why="Section vide relevée lors de la préparation de l'audit Qualiopi",
    )


def stage_records() -> None:
    users = _users()
    if users is None or Complaint.objects.exists():
        return
    with transaction.atomic():
        stage_procedure(users)
        stage_complaints(users)
        stage_moderation(users)
        check = stage_quality(users)
        stage_improvements(users, check)
