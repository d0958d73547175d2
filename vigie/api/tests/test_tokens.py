"""API tokens expire, can be listed and revoked (command and « Jetons d'API » page), and say so."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vigie.api import tokens
from vigie.api.models import ApiToken
from vigie.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def api_status(client, token: str) -> int:
    return client.get("/api/v1/messages", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_a_token_lasts_90_days_by_default(client, cm):
    row, secret = tokens.issue(cm)
    assert timedelta(days=89) < row.expires_at - timezone.now() <= timedelta(days=90)
    with time_machine.travel(timezone.now() + timedelta(days=89)):
        assert api_status(client, secret) == 200
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        response = client.get("/api/v1/messages", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 401 and "expiré" in response.json()["detail"]


def test_a_revoked_token_gets_401(client, cm):
    row, secret = tokens.issue(cm)
    assert tokens.revoke(row, by=None)
    response = client.get("/api/v1/messages", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401 and "révoqué" in response.json()["detail"]


def test_creation_and_revocation_are_audited(personas, cm):
    row, _ = tokens.issue(cm, days=10, actor_label="commande vigie api-token")
    tokens.revoke(row, by=personas["admin"])
    events = {e.verb: e for e in AuditEvent.objects.filter(target_type="apitoken", target_id=str(row.pk))}
    assert events["api_token.created"].actor_label == "commande vigie api-token"
    assert events["api_token.revoked"].actor == personas["admin"]
    assert "community-manager" in events["api_token.created"].summary


def test_the_command_prints_only_the_token_and_takes_a_number_of_days(client, cm, capsys):
    call_command("api_token", cm.username, "--days", "7")
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("vig_")
    row = ApiToken.objects.get()
    assert timedelta(days=6) < row.expires_at - timezone.now() <= timedelta(days=7)
    assert api_status(client, out.strip()) == 200


@pytest.mark.parametrize("days", ["0", "-3", "4000"])
def test_the_command_refuses_a_duration_out_of_range(cm, days):
    with pytest.raises(CommandError, match="1 à 3650 jours"):
        call_command("api_token", cm.username, "--days", days)


def test_the_command_lists_tokens_without_their_value(cm, capsys):
    row, secret = tokens.issue(cm)
    revoked, _ = tokens.issue(cm)
    tokens.revoke(revoked)
    call_command("api_token", "--list")
    out = capsys.readouterr().out
    assert secret not in out and row.prefix in out
    assert f"{row.pk}\t" in out and "actif" in out and "révoqué" in out and "community-manager" in out


def test_the_command_revokes_a_token_by_its_number(client, cm, capsys):
    row, secret = tokens.issue(cm)
    call_command("api_token", "--revoke", str(row.pk))
    assert "révoqué" in capsys.readouterr().out
    assert api_status(client, secret) == 401
    with pytest.raises(CommandError, match="déjà révoqué"):
        call_command("api_token", "--revoke", str(row.pk))
    with pytest.raises(CommandError, match="Aucun jeton"):
        call_command("api_token", "--revoke", "999999")


def test_the_command_wants_a_user_or_an_option(cm):
    with pytest.raises(CommandError, match="utilisateur"):
        call_command("api_token")


def test_the_page_lists_owner_dates_and_last_use(client, personas, cm):
    row, secret = tokens.issue(cm)
    api_status(client, secret)
    client.force_login(personas["admin"])
    page = client.get(reverse("api-tokens:list")).content.decode()
    assert row.prefix in page and "community-manager" in page and "Révoquer" in page
    assert "jamais" not in page  # last use shown
    assert secret not in page


def test_revoking_from_the_page_needs_the_csrf_token(personas, cm):
    row, secret = tokens.issue(cm)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas["admin"])
    assert browser.post(reverse("api-tokens:revoke", args=[row.pk])).status_code == 403
    page = browser.get(reverse("api-tokens:list"))
    csrf = page.context["csrf_token"]
    response = browser.post(reverse("api-tokens:revoke", args=[row.pk]), {"csrfmiddlewaretoken": str(csrf)})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state() == ApiToken.State.REVOKED
    assert AuditEvent.objects.get(verb="api_token.revoked").actor == personas["admin"]
