from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from vigie.policy import engine


class Rule(models.Model):
    """A rule of the procedure: conditions and actions (engine.py), versioned, switched on or off."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    enabled = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=100, help_text="order of evaluation")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    @property
    def current(self) -> "RuleVersion | None":
        return self.versions.order_by("-number").first()

    def spec(self) -> engine.RuleSpec:
        version = self.current
        return engine.RuleSpec(self.name, version.number, version.definition)


class RuleVersion(models.Model):
    """One saved definition of a rule. Never changed: a new definition is a new version."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "number"], name="rule_version_unique")]

    def __str__(self):
        return f"{self.rule.name} v{self.number}"

    def clean(self):
        errors = engine.validate(self.definition)
        if errors:
            raise ValidationError({"definition": errors})

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Une version de règle ne se modifie pas : enregistrez-en une nouvelle.")
        self.full_clean(exclude=["rule", "created_by"])
        super().save(*args, **kwargs)


class PolicySettings(models.Model):
    """The desk's settings an admin sets (one row)."""

    repeat_window_days = models.PositiveIntegerField(
        default=90, help_text="fenêtre de la récidive : deux messages inappropriés dans ce délai"
    )

    class Meta:
        verbose_name = "Réglages de la procédure"
        verbose_name_plural = "Réglages de la procédure"

    def __str__(self):
        return "Réglages de la procédure"

    @classmethod
    def current(cls) -> "PolicySettings":
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row


class Recommendation(models.Model):
    """What the procedure (default playbook or a rule) proposes, or did, for one message."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposé"
        DONE = "done", "Fait automatiquement"
        REFUSED = "refused", "Impossible"

    class Alert(models.TextChoices):
        """Where the team's alert about the message stands (« prévenir en interne »), after a person's check
        too (`policy.service._follow_the_check`); the labels end the recommendation's note."""

        SENT = "sent", "alerte envoyée"
        HELD_BACK = "held_back", "direction non prévenue"
        TOLD_AFTER_CHECK = "told_after_check", "direction prévenue après vérification"
        LIFTED = "lifted", "alerte levée après vérification"
        RAISED_AGAIN = "raised_again", "alerte relancée après vérification"

    message = models.ForeignKey("inbox.Message", on_delete=models.CASCADE, related_name="recommendations")
    action = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=200, help_text="« procédure » or the rule and its version")
    automatic = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    note = models.CharField(max_length=300, blank=True)
    alert = models.CharField(max_length=20, choices=Alert.choices, blank=True, help_text="telling the team only")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.action} ({self.source})"
