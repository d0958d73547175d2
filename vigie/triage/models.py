from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Cast

from vigie.triage.signals import LABELS as CLUES
from vigie.vocabulary import INAPPROPRIATE, LABELS, Label

# Under this confidence a label is « incertain »: the desk shows these first to be checked (active learning:
# a moderator's correction there teaches the model the most, at the next `vigie train`).
UNCERTAIN_BELOW = 0.6
STAFF_CLUE = f"{CLUES['staff']} : "  # the clue that names the members of staff found (signals.describe)
# A message that names staff and reads as negative, but that the model did not call an attack, is put before a
# person: on the fresh sets, about half the attacks the model misses are such mentions (docs/triage.md).
NEGATIVE_LABELS = (INAPPROPRIATE - {Label.SPAM}) | {Label.CRITICISM}  # spam speaks of nobody; civil criticism may


def staff_named_in(signals: list[str]) -> list[str]:
    """The members of staff the classifier found named, read from its clues."""
    found = [line[len(STAFF_CLUE) :] for line in signals if line.startswith(STAFF_CLUE)]
    return [name.strip() for names in found for name in names.split(",")]


def is_mention_to_check(label: str, targets_staff: bool, signals: list[str]) -> bool:
    return not targets_staff and label in NEGATIVE_LABELS and bool(staff_named_in(signals))


def sureness(path: str = "") -> Cast:
    """A label's confidence in ten-thousandths (a page's cursor holds integers): the inbox's « étiquette la moins
    sûre » sorts on it, through the index `classification_sureness` (the same expression)."""
    return Cast(F(f"{path}confidence") * 10_000, models.IntegerField())


class Classification(models.Model):
    """What the classifier said of a message (and what a moderator corrected it to)."""

    message = models.OneToOneField("inbox.Message", on_delete=models.CASCADE, related_name="classification")
    label = models.CharField(max_length=30, choices=LABELS, db_index=True)
    confidence = models.FloatField()
    targets_staff = models.BooleanField(default=False, db_index=True)
    mention_to_check = models.BooleanField(
        default=False, help_text="names staff, reads as negative, not called an attack: a person checks it"
    )
    signals = models.JSONField(default=list)
    proposed_actions = models.JSONField(default=list)
    priority = models.CharField(max_length=10)
    model_version = models.CharField(max_length=40)
    text_sha256 = models.CharField(max_length=64, help_text="the text classified; a new text is classified again")
    classified_at = models.DateTimeField(auto_now=True)
    corrected_label = models.CharField(max_length=30, choices=LABELS, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(sureness(), "id", name="classification_sureness")]

    def __str__(self):
        return f"{self.effective_label} ({self.confidence:.2f})"

    @property
    def effective_label(self) -> str:
        return self.corrected_label or self.label

    @property
    def uncertain(self) -> bool:
        """Not yet checked by a person (corrected or confirmed), and the model was not sure."""
        return self.corrected_at is None and self.confidence < UNCERTAIN_BELOW

    @property
    def to_check(self) -> bool:
        """Not yet checked by a person, and either the model was not sure of the label or the message is a negative
        mention of staff it did not call an attack (« attaque à vérifier »)."""
        return self.corrected_at is None and (self.confidence < UNCERTAIN_BELOW or self.mention_to_check)

    @property
    def staff_named(self) -> list[str]:
        """The members of staff the classifier found named in the message (its clues say who)."""
        return staff_named_in(self.signals)

    @property
    def inappropriate(self) -> bool:
        return self.effective_label in INAPPROPRIATE
