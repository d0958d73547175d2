import pytest
from django.db import connection

from vigie.ingestion.models import Channel
from vigie.lib import crypto


def test_encrypt_then_decrypt_gives_back_the_text():
    assert crypto.decrypt(crypto.encrypt("EAAB-jeton")) == "EAAB-jeton"


def test_a_ciphertext_from_another_key_is_a_clear_error(settings):
    ciphertext = crypto.encrypt("secret")
    settings.ENCRYPTION_KEY = "aW52YWxpZC1rZXktaW52YWxpZC1rZXktaW52YWxpZDE="
    with pytest.raises(ValueError, match="VIGIE_ENCRYPTION_KEY"):
        crypto.decrypt(ciphertext)


@pytest.mark.django_db
def test_channel_tokens_are_encrypted_at_rest():
    channel = Channel.objects.create(platform="facebook", external_id="1", name="Page", credentials="EAAB-secret")
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM ingestion_channel WHERE id = %s", [channel.pk])
        stored = cursor.fetchone()[0]
    assert "EAAB-secret" not in stored
    assert Channel.objects.get(pk=channel.pk).credentials == "EAAB-secret"


@pytest.mark.django_db
def test_a_token_unreadable_after_a_key_change_reads_as_empty_instead_of_breaking_pages(settings):
    channel = Channel.objects.create(platform="facebook", external_id="2", name="Page", credentials="EAAB-secret")
    settings.ENCRYPTION_KEY = "aW52YWxpZC1rZXktaW52YWxpZC1rZXktaW52YWxpZDE="
    assert Channel.objects.get(pk=channel.pk).credentials == ""
