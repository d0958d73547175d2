"""Tracking tables (complaints, platform reports), the control plan (quality checks, improvement actions)
and personal data (retention policy and runs, legal holds, access and erasure requests)."""

from django.conf import settings
from django.db import models

from vigie.lib.plural import pluriel
from vigie.vocabulary import LABELS, Platform

USER = settings.AUTH_USER_MODEL


class Complaint(models.Model):
    """A line of the « Registre des réclamations »: a constructive criticism or a complaint."""

    class Outcome(models.TextChoices):
        OPEN = "open", "En cours"
        ANSWERED = "answered", "Réponse apportée"
        RESOLVED = "resolved", "Résolue"
        UNRESOLVED = "unresolved", "Non résolue"

    class Source(models.TextChoices):
        DESK = "desk", "Boîte de réception"
        PLAYBOOK = "playbook", "Proposée par la procédure"

    message = models.OneToOneField(
        "inbox.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaint"
    )
    received_at = models.DateTimeField()
    platform = models.CharField(max_length=20, choices=Platform.choices)
    author_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=300)
    answer = models.TextField(blank=True, help_text="la réponse apportée")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.OPEN)
    improvement = models.TextField(blank=True, help_text="l'amélioration qu'elle a permise")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.DESK)
    logged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(auto_now_add=True)
    procedure_version = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"Réclamation n° {self.pk}"


class PlatformReport(models.Model):
    """« Signaler à la plateforme », done by hand (connectors/manual.py): when, the platform's reference."""

    message = models.ForeignKey("inbox.Message", on_delete=models.PROTECT, related_name="platform_reports")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    reported_at = models.DateTimeField()
    reference = models.CharField(max_length=200, blank=True, help_text="référence donnée par la plateforme")
    pharos_reference = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    closed = models.BooleanField(default=False, help_text="la plateforme a répondu : plus besoin de garder la preuve")
    reported_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    procedure_version = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]


class QualityCheck(models.Model):
    """The monthly quality check: a sample of the month's classified items, reviewed blind."""

    month = models.DateField(help_text="premier jour du mois contrôlé")
    size = models.PositiveIntegerField(default=30)
    drawn_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)
    reviewer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "-id"]

    def __str__(self):
        return f"Contrôle qualité {self.month:%m/%Y}"


class QualitySample(models.Model):
    """One sampled item: what the desk did (kept from the reviewer until they judge) and their verdict."""

    quality_check = models.ForeignKey(QualityCheck, on_delete=models.CASCADE, related_name="samples")
    item = models.ForeignKey("inbox.Item", null=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveIntegerField()
    label = models.CharField(max_length=30, choices=LABELS, help_text="l'étiquette du desk au tirage")
    actions_taken = models.CharField(max_length=300, blank=True)
    response_minutes = models.PositiveIntegerField(null=True, blank=True)
    # the reviewer's verdict
    reviewed_label = models.CharField(max_length=30, choices=LABELS, blank=True)
    action_ok = models.BooleanField(null=True)
    time_ok = models.BooleanField(null=True)
    comment = models.CharField(max_length=500, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["quality_check", "position"], name="quality_sample_position")]

    @property
    def reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def deviations(self) -> list[str]:
        found = []
        if self.reviewed_label and self.reviewed_label != self.label:
            found.append(f"étiquette : {self.get_label_display()} au lieu de {self.get_reviewed_label_display()}")
        if self.action_ok is False:
            found.append("action inadaptée")
        if self.time_ok is False:
            found.append("délai de réponse non tenu")
        return found


class ImprovementAction(models.Model):
    """An action of the improvement plan, opened from a deviation, a complaint or a crisis review."""

    class Status(models.TextChoices):
        OPEN = "open", "À faire"
        IN_PROGRESS = "in_progress", "En cours"
        DONE = "done", "Faite"
        CANCELLED = "cancelled", "Abandonnée"

    class Origin(models.TextChoices):
        DEVIATION = "deviation", "Écart du contrôle qualité"
        COMPLAINT = "complaint", "Réclamation"
        CRISIS = "crisis", "Retour d'expérience de crise"
        OTHER = "other", "Autre"

    title = models.CharField(max_length=300, help_text="ce qu'il faut faire")
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.OTHER)
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    sample = models.ForeignKey(QualitySample, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    origin_reference = models.CharField(max_length=200, blank=True, help_text="ex. la crise concernée")
    crisis = models.ForeignKey(
        "crisis.Crisis",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_actions",
        help_text="the crisis whose review opened it",
    )
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="improvement_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField(blank=True, help_text="preuve de réalisation")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="improvement_due")]

    def __str__(self):
        return self.title


class RetentionPolicy(models.Model):
    """How long one kind of personal data is kept, and what happens then (admin-set)."""

    class Kind(models.TextChoices):
        MESSAGES = "messages", "Messages et auteurs des éléments clos"
        EVIDENCE = "evidence", "Preuves (captures)"
        NOTIFICATIONS = "notifications", "Notifications"
        AUDIT = "audit", "Journal d'audit"

    class Mode(models.TextChoices):
        ANONYMISE = "anonymise", "Anonymiser"
        DELETE = "delete", "Supprimer"

    kind = models.CharField(max_length=20, choices=Kind.choices, unique=True)
    days = models.PositiveIntegerField(help_text="durée de conservation en jours")
    mode = models.CharField(max_length=20, choices=Mode.choices)
    justification = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.days} jours"


class RetentionRun(models.Model):
    """What one run of the retention job did (or, for a dry run, would have done)."""

    dry_run = models.BooleanField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    counts = models.JSONField(default=dict, help_text="{kind: {done, held}}")

    class Meta:
        ordering = ["-started_at", "-id"]

    @property
    def summary(self) -> str:
        from vigie.records.retention import summary

        return summary(self.counts)


class LegalHold(models.Model):
    """An admin keeps everything about a person (or one author) past its retention: a dispute, a complaint
    to the police… Open crises and open platform reports hold their messages without a row here."""

    person = models.ForeignKey("inbox.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey("inbox.Author", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)


class PrivacyRequest(models.Model):
    """An access or erasure request from a person (GDPR art. 15 and 17), and how it was answered."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Accès (copie des données)"
        ERASURE = "erasure", "Effacement"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey("inbox.Author", null=True, on_delete=models.SET_NULL, related_name="+")
    handled_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    handled_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict, help_text="what was exported, erased or kept (no content)")

    class Meta:
        ordering = ["-handled_at", "-id"]

    @property
    def summary(self) -> str:
        counts = self.counts
        identities, messages = counts.get("identities", 0), counts.get("messages", 0)
        parts = [f"{identities} identité{pluriel(identities)}", f"{messages} message{pluriel(messages)}"]
        if "evidence" in counts:
            evidence = counts["evidence"]
            parts.append(f"{evidence} preuve{pluriel(evidence)} supprimée{pluriel(evidence)}")
        if held := counts.get("identities_held"):
            parts.append(f"{held} identité{pluriel(held)} retenue{pluriel(held)} par une conservation légale")
        return ", ".join(parts)
