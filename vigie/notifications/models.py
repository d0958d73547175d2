"""Internal notifications: in the application, and by e-mail for those who want it (DESIGN §5)."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="where to act, inside Vigie")
    reason = models.CharField(max_length=200, blank=True, help_text="the rule or the procedure's step that asked")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.title} → {self.recipient}"


class Preference(models.Model):
    """What each person wants besides the in-app list (everyone gets that)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_pref")
    by_email = models.BooleanField("Recevoir aussi par e-mail", default=True)

    def __str__(self):
        return f"Préférences de {self.user}"
