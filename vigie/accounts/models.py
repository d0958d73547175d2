from django.db import models


class StaffMember(models.Model):
    """Someone of the centre whose name, if attacked in a message, raises the alarm (watch-list)."""

    name = models.CharField(max_length=150, help_text="prénom et nom, ex. Nadia Benali")
    aliases = models.TextField(
        blank=True, help_text="autres façons de le ou la nommer, une par ligne : Mme Benali, Nadia B.…"
    )
    title = models.CharField(max_length=150, blank=True, help_text="fonction, ex. directrice pédagogique")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def watch_line(self) -> str:
        """The staff-file line: name then aliases separated by `|` (DESIGN §6)."""
        aliases = [a.strip() for a in self.aliases.replace("|", "\n").splitlines() if a.strip()]
        return "|".join([self.name, *aliases])
