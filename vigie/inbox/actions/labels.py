"""A person's word on the classifier's label: corrected or confirmed, the item follows."""

from django.db import transaction
from django.utils import timezone

from vigie.audit.record import record
from vigie.inbox import items
from vigie.inbox.errors import ActionError
from vigie.inbox.models import LABEL_NAMES, Item, Message
from vigie.inbox.signals import label_checked
from vigie.triage.classifier import NOT_STAFF_ATTACKS
from vigie.triage.models import Classification
from vigie.vocabulary import LABELS


@transaction.atomic
def correct_label(message: Message, label: str, *, by) -> Classification:
    """A moderator corrects the classifier; the correction is kept (and `vigie train` learns from it)."""
    relabel(message, label, by=by)
    return Classification.objects.get(message=message)


def _confirm_label(classification: Classification, by) -> bool:
    """A person checked the label and kept it: no longer « incertain », and `vigie train` learns it too."""
    if classification.corrected_at is not None:
        return False
    classification.corrected_by = by
    classification.corrected_at = timezone.now()
    classification.save(update_fields=["corrected_by", "corrected_at"])
    label = LABEL_NAMES[classification.effective_label]
    record(by, "message.label_confirmed", classification.message, summary=f"Étiquette confirmée : {label}",
           after={"label": classification.effective_label})  # fmt: skip
    return True


def relabel(message: Message, label: str, *, by) -> bool:
    classification = Classification.objects.select_for_update().filter(message=message).first()
    if classification is None:
        raise ActionError("Ce message n'a pas encore été classé.")
    if label not in dict(LABELS):
        raise ActionError(f"Étiquette inconnue : {label}")
    before = classification.effective_label
    if before == label:
        confirmed = _confirm_label(classification, by)
        if confirmed:
            _announce_checked(message, classification)
        return confirmed
    classification.corrected_label = "" if label == classification.label else label
    classification.corrected_by = by
    classification.corrected_at = timezone.now()
    # praise, or an exchange between participants, attacks nobody: « Personnel visé » goes with the old label
    classification.targets_staff = classification.targets_staff and label not in NOT_STAFF_ATTACKS
    classification.save(update_fields=["corrected_label", "corrected_by", "corrected_at", "targets_staff"])
    Item.objects.filter(message=message).update(label=label, targets_staff=classification.targets_staff)
    items.set_deadlines({message.pk: label})
    _announce_checked(message, classification)
    record(by, "message.label_corrected", message, summary=f"{LABEL_NAMES[before]} → {LABEL_NAMES[label]}",
           before={"label": before}, after={"label": label})  # fmt: skip
    return True


def _announce_checked(message: Message, classification: Classification) -> None:
    label_checked.send(sender=Message, message=message, classification=classification)
