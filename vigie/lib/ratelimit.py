"""A small per-key rate limit on Django's cache (fixed one-minute windows) and the caller's address.

The cache is per process on the embedded default (local memory) and shared on Redis in production:
good enough for endpoints that a real caller hits a few times an hour (webhook challenges).
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

log = logging.getLogger(__name__)


def allow(scope: str, key: str, limit: int, period_seconds: int = 60) -> bool:
    """Count one hit for `key` in `scope`; False once `limit` hits were counted in this period."""
    window = int(time.time() // period_seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=period_seconds)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # the window expired between add and incr
        cache.set(cache_key, 1, timeout=period_seconds)
        hits = 1
    return hits <= limit


def refusal(request, scope: str, limit: int) -> HttpResponse | None:
    """A 429 once this caller went over `limit` requests a minute in `scope`; None while it may go on."""
    address = client_address(request)
    if allow(scope, address, limit):
        return None
    log.warning("%s : trop de demandes depuis %s", scope, address)
    return HttpResponse("Trop de demandes, réessayez dans une minute.", status=429, content_type="text/plain")


def client_address(request) -> str:
    """The caller's IP address: REMOTE_ADDR, or the address the trusted proxies saw
    (VIGIE_PROXY_COUNT proxies append to X-Forwarded-For; what a client wrote before them is ignored)."""
    proxies = settings.PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
