"""The webhooks' door: a platform's delivery (POST /webhooks/facebook or /webhooks/linkedin) is answered
in front of Django's request handling, by the very function the Django view calls (`deliver`: signature,
one INSERT, the worker woken, then 200). A delivery needs none of what the rest of the site needs on
each request (sessions, locale, messages, CSRF, CSP, htmx, login throttling, URL resolving): under load
those cost as much as the delivery itself (issue #15, docs/benchmarks.md).

Only the plain case comes through the door; anything else goes to Django as before: other methods and
addresses, a platform not configured (Django answers 404), a Host not in ALLOWED_HOSTS (400), plain HTTP
when HTTPS is required (the redirect), a body without length or larger than Django takes (its refusal).
"""

import logging
from http import HTTPStatus

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.http.request import split_domain_port, validate_host

from vigie.connectors.facebook import webhooks as facebook
from vigie.connectors.linkedin import webhooks as linkedin

log = logging.getLogger(__name__)


def _facebook(body: bytes, environ) -> tuple[int, str]:
    return facebook.deliver(body, environ.get("HTTP_X_HUB_SIGNATURE_256", ""))


def _linkedin(body: bytes, environ) -> tuple[int, str]:
    return linkedin.deliver(settings.LINKEDIN_CLIENT_SECRET, body, environ.get("HTTP_X_LI_SIGNATURE", ""))


# address → (the setting without which the platform is off, what answers a delivery)
DELIVERIES = {
    "/webhooks/facebook": ("FACEBOOK_APP_SECRET", _facebook),
    "/webhooks/linkedin": ("LINKEDIN_CLIENT_SECRET", _linkedin),
}


def _length(environ) -> int | None:
    raw = environ.get("CONTENT_LENGTH", "")
    return int(raw) if raw.isascii() and raw.isdigit() else None


def _plain(environ) -> bool:
    """A delivery the door may answer: everything Django would check before the view is fine."""
    length = _length(environ)
    host, _port = split_domain_port(environ.get("HTTP_HOST", ""))
    secure = environ.get("wsgi.url_scheme") == "https" or (
        settings.SECURE_PROXY_SSL_HEADER is not None
        and environ.get(settings.SECURE_PROXY_SSL_HEADER[0]) == settings.SECURE_PROXY_SSL_HEADER[1]
    )
    return (
        environ.get("REQUEST_METHOD") == "POST"
        and environ.get("PATH_INFO") in DELIVERIES
        and bool(getattr(settings, DELIVERIES[environ["PATH_INFO"]][0]))
        and length is not None
        and length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        and validate_host(host, settings.ALLOWED_HOSTS)
        and (secure or not settings.SECURE_SSL_REDIRECT)
    )


def _on_a_live_connection(deliver, body: bytes, environ) -> tuple[int, str]:
    """Django checks a kept connection with a `SELECT 1` before a request's first query (CONN_HEALTH_CHECKS),
    a round trip as long as the delivery's own INSERT. A delivery skips it: should its statement fail
    on a dead connection, it is tried again once on a new one (storing a delivery twice is storing it
    once)."""
    connection.health_check_done = True
    try:
        return deliver(body, environ)
    except DatabaseError:
        if connection.is_usable():
            raise
        connection.close()
        return deliver(body, environ)


def with_door(django_application):
    """The WSGI application: deliveries through the door, everything else to Django."""

    def application(environ, start_response):
        if not _plain(environ):
            return django_application(environ, start_response)
        close_old_connections()  # what Django does when a request starts and ends
        try:
            body = environ["wsgi.input"].read(_length(environ))
            status, text = _on_a_live_connection(DELIVERIES[environ["PATH_INFO"]][1], body, environ)
        except Exception:
            log.exception("Livraison %s : erreur interne", environ["PATH_INFO"])
            status, text = 500, "Erreur interne."
        finally:
            close_old_connections()
        content = text.encode()
        headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(content))),
                   ("X-Content-Type-Options", "nosniff")]  # fmt: skip
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [content]

    return application
