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
from vigie.triage.service import checked_priority, item_priority
from vigie.vocabulary import LABELS


@transaction.atomic
def correct_label(message: Message, label: str, *, by) -> Classification:
    """A moderator corrects the classifier; the correction is kept (and `vigie train` learns from it)."""
    relabel(message, label, by=by)
    return Classification.objects.get(message=message)


def relabel(message: Message, label: str, *, by) -> bool:
    classification = _locked_classification(message)
    if label not in dict(LABELS):
        raise ActionError(f"Étiquette inconnue : {label}")
    before = classification.effective_label
    if before == label:
        return _confirm(message, classification, by)
    classification.corrected_label = "" if label == classification.label else label
    # praise, or an exchange between participants, attacks nobody: « Personnel visé » goes with the old label
    was_an_attack = classification.targets_staff
    classification.targets_staff = classification.targets_staff and label not in NOT_STAFF_ATTACKS
    _checked_by(by, classification, "corrected_label", "targets_staff")
    Item.objects.filter(message=message).update(label=label, targets_staff=classification.targets_staff)
    if was_an_attack and not classification.targets_staff:
        _settle_priority(message, classification)
    items.set_deadlines({message.pk: label})
    _announce_checked(message, classification)
    record(by, "message.label_corrected", message, summary=f"{LABEL_NAMES[before]} → {LABEL_NAMES[label]}",
           before={"label": before}, after={"label": label})  # fmt: skip
    return True


@transaction.atomic
def mark_staff_target(message: Message, targeted: bool, *, by) -> bool:
    """A person says whether the message attacks the member of staff it names (« Personnel visé »): the item,
    the procedure's proposals and crisis detection follow, and `vigie train` learns it (the label counts as
    checked too). Praise or an exchange between participants attacks nobody: its label is corrected first.
    Returns whether anything changed."""
    classification = _locked_classification(message)
    if targeted and classification.effective_label in NOT_STAFF_ATTACKS:
        label = LABEL_NAMES[classification.effective_label].lower()
        raise ActionError(f"Un message classé « {label} » ne vise personne : corrigez d'abord son étiquette.")
    if classification.targets_staff == targeted:
        return _confirm(message, classification, by)
    classification.targets_staff = targeted
    _checked_by(by, classification, "targets_staff")
    items.apply_triage([(message, classification)], item_priority)  # an attack on staff comes first
    if not targeted:
        _settle_priority(message, classification)
    _announce_checked(message, classification)
    said = "vise un membre de l'équipe" if targeted else "ne vise pas le personnel"
    record(by, "message.staff_target_corrected", message, summary=f"Personnel visé corrigé : {said}",
           before={"targets_staff": not targeted}, after={"targets_staff": targeted})  # fmt: skip
    return True


def _settle_priority(message: Message, classification: Classification) -> None:
    """« Personnel visé » taken away by a person: the priority the attack gave the item (critical, first in the
    desk) comes down to what the checked classification gives, unless a person or a rule set it."""
    item = Item.objects.select_for_update().filter(message=message).first()
    if item is None or item.priority_set:
        return
    wanted = max(items.starting_priority(item.kind), checked_priority(classification, message.kind))
    if item.priority > wanted:
        item.priority = wanted
        item.save(update_fields=["priority"])
        items.sync_threads([item.thread_id])


def _locked_classification(message: Message) -> Classification:
    classification = Classification.objects.select_for_update().filter(message=message).first()
    if classification is None:
        raise ActionError("Ce message n'a pas encore été classé.")
    return classification


def _confirm(message: Message, classification: Classification, by) -> bool:
    """A person checked the classification and kept it: no longer « incertain », and `vigie train` learns it too
    (once: a second confirmation changes nothing)."""
    if classification.corrected_at is not None:
        return False
    _checked_by(by, classification)
    label = LABEL_NAMES[classification.effective_label]
    record(by, "message.label_confirmed", message, summary=f"Étiquette confirmée : {label}",
           after={"label": classification.effective_label})  # fmt: skip
    _announce_checked(message, classification)
    return True


def _checked_by(person, classification: Classification, *changed: str) -> None:
    """Save the `changed` fields with who checked the classification, and when."""
    classification.corrected_by = person
    classification.corrected_at = timezone.now()
    classification.save(update_fields=[*changed, "corrected_by", "corrected_at"])


def _announce_checked(message: Message, classification: Classification) -> None:
    label_checked.send(sender=Message, message=message, classification=classification)
