from datetime import timedelta

import time_machine
from django.test import RequestFactory

from vigie.lib import ratelimit


def test_it_refuses_hits_beyond_the_limit_until_the_next_window():
    with time_machine.travel("2026-11-20T09:00:00+00:00", tick=False) as clock:
        assert [ratelimit.allow("essai", "1.2.3.4", 2) for _ in range(3)] == [True, True, False]
        assert ratelimit.allow("essai", "5.6.7.8", 2)  # another key, its own count
        clock.shift(timedelta(minutes=1))
        assert ratelimit.allow("essai", "1.2.3.4", 2)


def test_the_address_is_remote_addr_unless_proxies_are_trusted(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.PROXY_COUNT = 0
    assert ratelimit.client_address(request) == "10.0.0.1"
    settings.PROXY_COUNT = 1
    assert ratelimit.client_address(request) == "203.0.113.9"  # what the client wrote first is ignored
