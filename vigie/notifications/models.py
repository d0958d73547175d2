from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    """What a notification asks of its reader; each person chooses which kinds also reach them by e-mail."""

    ASSIGNMENT = "assignment", "Messages qui me sont attribués"
    APPROVAL_REQUEST = "approval_request", "Réponses à approuver"
    APPROVAL_DECISION = "approval_decision", "Mes réponses approuvées ou refusées"
    DEADLINE = "deadline", "Échéances proches"
    SEVERE = "severe", "Cas graves (attaque d'un membre de l'équipe, récidive)"
    ESCALATION = "escalation", "Escalades"
    CRISIS = "crisis", "Crises"
    OTHER = "other", "Autres"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    # what it is about ("item:42"): one unread notification per subject and person, updated as things happen
    key = models.CharField(max_length=100, blank=True)
    count = models.PositiveIntegerField(default=1, help_text="how many events this notification gathers")
    urgent = models.BooleanField(default=False, help_text="e-mailed at once; otherwise in the digest")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="where to act, inside Vigie")
    reason = models.CharField(max_length=200, blank=True, help_text="the rule or the procedure's step that asked")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "key"]),
        ]

    def __str__(self):
        return f"{self.title} → {self.recipient}"


def default_email_kinds() -> list[str]:
    return [kind.value for kind in Kind]


class Preference(models.Model):
    """What each person wants besides the in-app list (everyone gets that)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_pref")
    by_email = models.BooleanField("Recevoir aussi par e-mail", default=True)
    email_kinds = models.JSONField(default=default_email_kinds, blank=True, help_text="kinds sent by e-mail")

    def __str__(self):
        return f"Préférences de {self.user}"


def email_kinds(user) -> set[str]:
    """The kinds this person receives by e-mail (none when e-mail is off)."""
    preference = Preference.objects.filter(user=user).first()
    if preference is None:
        return {kind.value for kind in Kind}
    return set(preference.email_kinds) if preference.by_email else set()
