"""The per-minute job finds each platform's polling through the registry."""

import pytest

from vigie.connectors import registry, tasks
from vigie.ingestion.models import Channel


def test_every_channel_platform_has_its_poller():
    assert set(registry.POLLERS) == {"facebook", "linkedin", "youtube", "freshdesk"}


@pytest.mark.django_db
def test_the_job_calls_the_registered_poller_and_skips_a_platform_without_one(monkeypatch):
    called = []
    monkeypatch.setitem(registry.POLLERS, "linkedin", called.append)
    linkedin = Channel.objects.create(platform="linkedin", external_id="urn:li:organization:1", name="L")
    unknown = Channel.objects.create(platform="mastodon", external_id="x", name="M")
    tasks.poll_channel.call_local(linkedin.pk)
    tasks.poll_channel.call_local(unknown.pk)  # logged, nothing raised
    assert called == [linkedin.pk]
