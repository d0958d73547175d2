from django.conf import settings
from django.db import models


class Procedure(models.Model):
    """The procedure Vigie implements (« Réseaux sociaux | Gestion des messages »), by its code."""

    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    created_on = models.DateField()

    def __str__(self):
        return f"{self.title} ({self.code})"

    @property
    def current(self) -> "Revision | None":
        return self.revisions.order_by("-number").first()


class Revision(models.Model):
    """One saved text of the procedure (Markdown). Never changed: an edit is a new revision."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    what = models.CharField(max_length=300, help_text="ce qui change")
    why = models.CharField(max_length=300, help_text="pourquoi")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_label = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="procedure_revision_unique")]

    def __str__(self):
        return self.version

    @property
    def version(self) -> str:
        """What every action records: the code and the revision, e.g. « PCM3A-r2 »."""
        return f"{self.procedure.code}-r{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Une révision de la procédure ne se modifie pas : enregistrez-en une nouvelle.")
        super().save(*args, **kwargs)
