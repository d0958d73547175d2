"""Crises (procedure's Étape 4): detection settings, the crisis and its messages, alerts sent exactly once,
the strategy and the official statement, versioned."""

from django.conf import settings
from django.db import models

from vigie.crisis import detection
from vigie.lib.crypto import EncryptedTextField


class CrisisSettings(models.Model):
    """Detection thresholds and the outgoing webhook, set by an admin (one row, every change audited)."""

    thresholds = models.JSONField(default=dict, blank=True, help_text="detection.Thresholds fields; missing = default")
    webhook_url = models.URLField(max_length=500, blank=True)
    webhook_secret = EncryptedTextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    @classmethod
    def load(cls) -> "CrisisSettings":
        return cls.objects.get_or_create(pk=1)[0]

    def values(self) -> detection.Thresholds:
        return detection.Thresholds.from_mapping(self.thresholds or {})


class Crisis(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Ouverte"
        ESCALATED = "escalated", "Escaladée"
        CLOSED = "closed", "Clôturée"
        DISMISSED = "dismissed", "Fausse alerte"
        MERGED = "merged", "Fusionnée"

    ACTIVE = (Status.OPEN, Status.ESCALATED)

    signal = models.CharField(max_length=30, choices=[(s, detection.SIGNAL_LABELS[s]) for s in detection.SIGNALS])
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    platform = models.CharField(max_length=20)
    post_key = models.CharField(max_length=200, blank=True, help_text="the thread a per-post surge is on")
    explanation = models.TextField(help_text="what fired, where, since when, in French")
    figures = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(help_text="event time of its first message")
    detected_at = models.DateTimeField(help_text="event time of the message that made it fire")
    last_message_at = models.DateTimeField(help_text="event time of its latest message")
    opened_at = models.DateTimeField(auto_now_add=True)
    demo = models.BooleanField(default=False, help_text="started on demand for a demonstration")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    reason = models.TextField(blank=True, help_text="why it was dismissed, merged or escalated")
    review_what_happened = models.TextField(blank=True)
    review_what_worked = models.TextField(blank=True)
    review_to_change = models.TextField(blank=True)

    class Meta:
        ordering = ["-detected_at", "-id"]
        indexes = [models.Index(fields=["status", "signal"])]

    def __str__(self):
        return f"Crise n° {self.pk} — {self.title}"

    @property
    def title(self) -> str:
        return detection.SIGNAL_LABELS.get(self.signal, self.signal)

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE


class CrisisMessage(models.Model):
    """A message of a crisis: one that made it fire, or one that joined it later."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="links")
    message = models.ForeignKey("inbox.Message", on_delete=models.CASCADE, related_name="+")
    trigger = models.BooleanField(default=False)
    at = models.DateTimeField(help_text="the message's time")
    cleared_at = models.DateTimeField(null=True, blank=True, help_text="a person checked it: no attack on staff")

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["crisis", "message"], name="crisis_message_once")]


class CrisisEvent(models.Model):
    """The room's timeline besides the messages: what people decided and did."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")  # fmt: skip
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["at", "id"]


class AlertDelivery(models.Model):
    """The crisis alert's outbox: one e-mail per person, one webhook call; each done exactly once,
    retried with backoff (vigie/crisis/alerting.py)."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        WEBHOOK = "webhook", "Webhook sortant"

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Envoyé"
        FAILED = "failed", "En échec"

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")  # fmt: skip
    dedup_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]


class StrategyVersion(models.Model):
    """The decision record: what we do, who does what. Never changed: an edit is a new version."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="strategies")
    number = models.PositiveIntegerField()
    decision = models.TextField()
    owners = models.TextField(blank=True, help_text="qui fait quoi")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["crisis", "number"], name="strategy_version_unique")]


class Statement(models.Model):
    """The official statement (« Communiqué »): drafted, approved by the direction and the communication
    officer, then published through the platform outbox."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        APPROVED = "approved", "Approuvé"
        PUBLISHED = "published", "Publié"

    crisis = models.OneToOneField(Crisis, on_delete=models.CASCADE, related_name="statement")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")  # fmt: skip

    @property
    def current(self) -> "StatementVersion | None":
        return self.versions.order_by("-number").first()


class StatementVersion(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["statement", "number"], name="statement_version_unique")]


class StatementApproval(models.Model):
    version = models.ForeignKey(StatementVersion, on_delete=models.CASCADE, related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30, choices=[("direction", "Direction"),
                                                    ("communication", "Chargée de communication")])  # fmt: skip
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "role"], name="statement_approval_per_role")]


class StatementPublication(models.Model):
    """One publication of the statement, queued in the platform outbox: a reply under a thread of the
    crisis (an outgoing message), or a new post on a page (a platform action). When the platform confirms
    it, what was published is kept as evidence (canonical JSON and its SHA-256)."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Réponse sous un fil"
        POST = "post", "Nouvelle publication"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="publications")
    version = models.ForeignKey(StatementVersion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REPLY)
    channel = models.ForeignKey("ingestion.Channel", on_delete=models.PROTECT, related_name="+")
    reply = models.OneToOneField("inbox.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.OneToOneField("moderation.PlatformAction", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="statement_publication")  # fmt: skip
    platform_id = models.CharField(max_length=200, blank=True, help_text="the id of what the platform created")
    permalink = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, help_text="when the platform confirmed it")
    evidence = models.JSONField(default=dict, blank=True, help_text="what was published, as confirmed")
    sha256 = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the canonical JSON of `evidence`")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="reply", reply__isnull=False) | models.Q(kind="post", action__isnull=False)),
                name="statement_publication_has_its_outbox_row",
            )
        ]

    @property
    def outbox_action(self):
        """The platform action that carries it (a reply's is found through its outgoing message)."""
        if self.action_id:
            return self.action
        from vigie.moderation.models import PlatformAction

        return PlatformAction.objects.filter(reply_message_id=self.reply_id).first() if self.reply_id else None
