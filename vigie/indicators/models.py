"""Daily tallies of the messages (precomputed per Paris day, so that a quarter reads a few thousand rows
instead of a million messages) and the monthly reports sent to the direction."""

from django.db import models


class TallyDay(models.Model):
    """One Paris day whose tallies are stored, and when they were computed."""

    day = models.DateField(unique=True)
    computed_at = models.DateTimeField()

    def __str__(self):
        return f"Décompte du {self.day:%d/%m/%Y}"


class DailyTally(models.Model):
    """Incoming messages of a day counted by platform, kind, label (after correction) and the classifier's
    own label (classification quality)."""

    day = models.DateField()
    platform = models.CharField(max_length=20)
    kind = models.CharField(max_length=20)
    label = models.CharField(max_length=30, blank=True)
    model_label = models.CharField(max_length=30, blank=True)
    messages = models.PositiveIntegerField(default=0)
    targets_staff = models.PositiveIntegerField(default=0)
    reviewed = models.PositiveIntegerField(default=0)  # a moderator confirmed or corrected the label
    corrected = models.PositiveIntegerField(default=0)
    needing_reply = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    unanswered = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="tally_day")]
        constraints = [
            models.UniqueConstraint(fields=["day", "platform", "kind", "label", "model_label"], name="tally_once")
        ]


class DailyOffender(models.Model):
    """The inappropriate messages of one person (identities linked by an admin count as one: key « p12 »)
    or one author (« a345 ») on a day and a platform: repeat offenders are summed over a period in SQL."""

    day = models.DateField()
    platform = models.CharField(max_length=20)
    key = models.CharField(max_length=30)
    messages = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "platform"], name="offender_day")]


class TallyState(models.Model):
    """Where the last refresh stopped (one row): the newest message then, and when it ran."""

    last_message_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def load(cls) -> "TallyState":
        return cls.objects.get_or_create(pk=1)[0]


class MonthlyReport(models.Model):
    """The monthly report of a month, e-mailed to the direction once (the job may run twice)."""

    month = models.DateField(unique=True, help_text="premier jour du mois du rapport")
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)
    size = models.PositiveIntegerField(default=0, help_text="taille du PDF en octets")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month"]

    def __str__(self):
        return f"Rapport mensuel {self.month:%m/%Y}"
