"""The periodic job polls every connected channel; messages land in the inbox, classified."""

from vigie.connectors import tasks
from vigie.inbox.models import Message
from vigie.ingestion.models import Channel


def test_the_periodic_job_polls_connected_channels_only(page, fake_linkedin, django_capture_on_commit_callbacks):
    post = fake_linkedin.add_post()
    fake_linkedin.add_comment(post, "Bonjour, quand a lieu la prochaine session de formation à l'hypnose ?")
    Channel.objects.create(platform="linkedin", external_id="urn:li:organization:999", name="Ancienne page",
                           status=Channel.Status.TO_RECONNECT)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        tasks.poll_connected_channels()
    message = Message.objects.get()
    assert message.channel == page and message.classification.label == "question"
