from django.conf import settings
from django.db import models

from vigie.vocabulary import LABELS, Kind, Platform


class ReplyTemplate(models.Model):
    """A reply the desk reuses, with placeholders: {prenom}, {formation}, {lien_charte}, {delai}…"""

    title = models.CharField(max_length=150)
    label = models.CharField(max_length=30, choices=LABELS)
    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True, help_text="vide : toutes")
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True, help_text="vide : tous")
    body = models.TextField()
    sensitive = models.BooleanField(default=False, help_text="à faire approuver par la chargée de communication")
    usage_count = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["label", "-usage_count", "title"]

    def __str__(self):
        return self.title


class ReplyTemplateVersion(models.Model):
    """What a template said at each change, who changed it and when (never modified)."""

    template = models.ForeignKey(ReplyTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=150)
    label = models.CharField(max_length=30, choices=LABELS)
    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    body = models.TextField()
    sensitive = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="template_version_unique")]


class Source(models.Model):
    """A reliable source to answer false information."""

    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    summary = models.TextField(blank=True)
    keywords = models.CharField(max_length=300, blank=True, help_text="mots-clés séparés par des virgules")

    def __str__(self):
        return self.title


class Charter(models.Model):
    """The moderation charter, in versions; the newest published one is inserted as {lien_charte}."""

    version = models.CharField(max_length=20, unique=True)
    url = models.URLField(max_length=500)
    text = models.TextField(blank=True)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at"]

    def __str__(self):
        return f"Charte {self.version}"

    @classmethod
    def current(cls) -> "Charter | None":
        return cls.objects.first()

    @classmethod
    def cited_in(cls, text: str) -> "Charter | None":
        """The version whose link a reply gives (the newest when several share a link)."""
        return next((charter for charter in cls.objects.all() if charter.url in text), None)
