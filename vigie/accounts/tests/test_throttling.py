"""Login throttling (django-axes): an account or an address is locked after repeated failures, in
French, for a while; an admin unlocks it; Vigie's audit log says what happened."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from vigie.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

RIGHT = "motdepasse-de-test"
LOCKED = "Trop de tentatives de connexion"


def log_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def fail_until_locked(client, username: str):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, username, "pas-le-bon")


def test_it_refuses_the_right_password_once_an_account_is_locked(client, cm):
    fail_until_locked(client, cm.username)
    response = log_in(client, cm.username, RIGHT)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_locks_the_account_whatever_address_the_guesses_come_from(cm):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(Client(REMOTE_ADDR=f"192.0.2.{n + 1}"), cm.username, "pas-le-bon")
    assert log_in(Client(REMOTE_ADDR="198.51.100.1"), cm.username, RIGHT).status_code == 429


def test_it_locks_an_address_that_tries_many_accounts(client, personas):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"inconnu-{n}", "pas-le-bon")
    assert log_in(client, personas["admin"].username, RIGHT).status_code == 429


def test_the_lock_lifts_after_the_cool_off(client, cm):
    fail_until_locked(client, cm.username)
    with time_machine.travel(timedelta(minutes=16)):
        assert log_in(client, cm.username, RIGHT).status_code == 302


def test_a_few_failures_then_the_right_password_still_work(client, cm):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, cm.username, "pas-le-bon")
    assert log_in(client, cm.username, RIGHT).status_code == 302


def test_the_axes_reset_command_unlocks(client, cm):
    fail_until_locked(client, cm.username)
    call_command("axes_reset_username", cm.username)
    assert log_in(client, cm.username, RIGHT).status_code == 302


def test_an_admin_unlocks_from_the_admin_site(client, cm, personas):
    from axes.models import AccessAttempt

    fail_until_locked(client, cm.username)
    admin = Client()
    admin.force_login(_superuser(personas["admin"]))
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    assert log_in(client, cm.username, RIGHT).status_code == 302
    assert AuditEvent.objects.filter(verb="login.unlocked").exists()


def _superuser(user):
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_failures_and_the_lockout_are_in_the_audit_log(client, cm):
    fail_until_locked(client, cm.username)
    failures = AuditEvent.objects.filter(verb="login.failed")
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert all(cm.username in event.summary for event in failures)
    locked = AuditEvent.objects.get(verb="login.locked_out")
    assert (locked.target_type, locked.target_id) == ("user", str(cm.pk)) and "127.0.0.1" in locked.summary


def test_a_failure_for_an_unknown_account_is_audited_too(client, db):
    log_in(client, "personne", "pas-le-bon")
    event = AuditEvent.objects.get(verb="login.failed")
    assert (event.target_type, event.target_id) == ("compte", "personne")
