"""Encryption at rest for platform tokens (Fernet, key from settings.ENCRYPTION_KEY)."""

import logging

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models

log = logging.getLogger(__name__)


def _fernet() -> Fernet:
    return Fernet(settings.ENCRYPTION_KEY.encode())


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("Impossible de déchiffrer : la clé VIGIE_ENCRYPTION_KEY a-t-elle changé ?") from exc


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python code only ever sees the plaintext."""

    def from_db_value(self, value, expression, connection):
        """An unreadable value (the key changed) reads as empty: the channel then asks to be reconnected
        instead of breaking every page that lists it; the log says why."""
        if not value:
            return value
        try:
            return decrypt(value)
        except ValueError:
            log.error("encrypted value unreadable with VIGIE_ENCRYPTION_KEY (was the key changed?)")
            return ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
