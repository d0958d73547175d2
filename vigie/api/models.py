import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

DEFAULT_DAYS = 90


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def default_expiry():
    return timezone.now() + timedelta(days=DEFAULT_DAYS)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored: the token is shown once. It works until
    it expires or is revoked (`vigie api-token --revoke ID`, or the « Jetons d'API » page)."""

    class State(models.TextChoices):
        ACTIVE = "active", "actif"
        EXPIRED = "expired", "expiré"
        REVOKED = "revoked", "révoqué"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    token_sha256 = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="first characters, to recognise a token")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=default_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def state(self, now=None) -> "ApiToken.State":
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.State.EXPIRED
        return self.State.ACTIVE

    @property
    def state_label(self) -> str:
        return self.state().label

    def __str__(self):
        return f"{self.prefix}… ({self.user})"
