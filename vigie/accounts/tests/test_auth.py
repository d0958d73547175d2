import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_logging_in_leads_to_the_inbox(client, cm):
    """The desk lands on the inbox (the direction on « Indicateurs »: vigie/indicators/tests/test_views.py)."""
    response = client.post(reverse("login"), {"username": cm.username, "password": "motdepasse-de-test"}, follow=True)
    assert response.redirect_chain[-1] == (reverse("inbox:list"), 302)


def test_a_wrong_password_is_refused_in_french(client, cm):
    response = client.post(reverse("login"), {"username": cm.username, "password": "faux"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()


def test_logging_out_takes_a_post(client, cm):
    client.force_login(cm)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("inbox:list")).status_code == 302


def test_the_login_form_is_protected_against_csrf(cm):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": cm.username, "password": "motdepasse-de-test"})
    assert response.status_code == 403


def test_a_password_reset_is_sent_by_email_and_works(client, cm):
    response = client.post(reverse("password_reset"), {"email": cm.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cm.email] and "nouveau mot de passe" in message.subject
    link = re.search(r"https?://[^/]+(/compte/mot-de-passe/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": "Une-phrase-de-passe-longue-42", "new_password2": "Une-phrase-de-passe-longue-42"},
    )
    assert response.status_code == 302
    cm.refresh_from_db()
    assert cm.check_password("Une-phrase-de-passe-longue-42")


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, cm):
    response = client.post(reverse("password_reset"), {"email": "inconnu@example.org"})
    assert response.status_code == 302 and mail.outbox == []
