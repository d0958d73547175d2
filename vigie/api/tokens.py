"""Issuing and revoking API tokens: one transaction each, the audit event inside."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from vigie.api.models import DEFAULT_DAYS, ApiToken, digest
from vigie.audit.record import record

MAX_DAYS = 3650


def issue(user, *, days: int = DEFAULT_DAYS, by=None, actor_label: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`, valid `days` days; (its row, the token itself: shown once, never stored)."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"La durée d'un jeton va de 1 à {MAX_DAYS} jours.")
    secret = "vig_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, token_sha256=digest(secret), prefix=secret[:12],
            expires_at=timezone.now() + timedelta(days=days),
        )  # fmt: skip
        record(by, "api_token.created", token, actor_label=actor_label, summary=_summary(token),
               after={"user": user.get_username(), "expires_at": token.expires_at.isoformat()})  # fmt: skip
    return token, secret


def revoke(token: ApiToken, *, by=None, actor_label: str = "") -> bool:
    """Revoke an active or expired token; False when it already was."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if not updated:
            return False
        token.refresh_from_db()
        record(by, "api_token.revoked", token, actor_label=actor_label, summary=_summary(token),
               after={"revoked_at": token.revoked_at.isoformat()})  # fmt: skip
    return True


def _summary(token: ApiToken) -> str:
    return f"Jeton {token.prefix}… de {token.user.get_username()}, expire le {token.expires_at:%d/%m/%Y}"
