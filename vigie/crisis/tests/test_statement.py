"""The official statement as a new post (Facebook Page feed, LinkedIn organisation post) through the
platform outbox, against the local fakes: published once, its evidence kept, a failure retried (by the
outbox or by a person), an interrupted attempt found instead of published twice; YouTube not offered."""

import hashlib
import json
from datetime import timedelta

import httpx
import pytest
from django.urls import reverse
from django.utils import timezone

from vigie.connectors import registry
from vigie.connectors.facebook import client as facebook_client
from vigie.connectors.facebook import connector as facebook
from vigie.connectors.facebook.tests.conftest import facebook_server  # noqa: F401 (one local Facebook a session)
from vigie.connectors.fake.facebook import graph_error
from vigie.connectors.linkedin import client as linkedin_client
from vigie.connectors.linkedin import connector as linkedin
from vigie.connectors.linkedin.tests.conftest import linkedin_server  # noqa: F401
from vigie.connectors.youtube import connector as youtube
from vigie.crisis import actions, detection, publications, room, service
from vigie.crisis.forms import PublishForm
from vigie.crisis.models import CrisisEvent, StatementPublication
from vigie.ingestion.models import Channel
from vigie.lib import http
from vigie.moderation import outbox
from vigie.moderation.evidence import canonical
from vigie.moderation.models import PlatformAction

pytestmark = pytest.mark.django_db
TEXT = "Communiqué du centre (AHTMA) : nous condamnons ces propos #respect. Contact : @direction_ahtma"


@pytest.fixture(autouse=True)
def real_connectors(monkeypatch):
    for connector in (facebook.connector, linkedin.connector, youtube.connector):
        monkeypatch.setitem(registry.CONNECTORS, connector.platform, connector)
    quick = http.Policy(attempts=2, base_delay=0.01, max_wait=1.0, timeout=httpx.Timeout(5.0))
    monkeypatch.setattr(facebook_client, "POLICY", quick)
    monkeypatch.setattr(linkedin_client, "POLICY", quick)


@pytest.fixture
def fb(facebook_server, settings):  # noqa: F811
    facebook_server.reset()
    settings.FACEBOOK_GRAPH_URL = f"{facebook_server.url}/v21.0"
    yield facebook_server
    facebook_server.wait_idle()


@pytest.fixture
def li(linkedin_server, settings):  # noqa: F811
    linkedin_server.reset()
    settings.LINKEDIN_API_URL = linkedin_server.api_url
    return linkedin_server


def connect(platform: str, external_id: str, token: dict) -> Channel:
    channel, _ = Channel.objects.update_or_create(
        platform=platform, external_id=external_id,
        defaults={"name": f"AHTMA {platform}", "status": Channel.Status.CONNECTED, "credentials": json.dumps(token)},
    )  # fmt: skip
    return channel


@pytest.fixture
def pages(fb, li):
    return {
        "facebook": connect("facebook", fb.page_id, {"page_access_token": fb.page_token}),
        "linkedin": connect("linkedin", li.organization, {"access_token": li.token}),
    }


@pytest.fixture
def crisis(ingest, pages, personas):
    """A wave on the Facebook Page, its statement approved by the direction and the communication officer."""
    messages = [ingest(n, text="Honteux, ce centre") for n in range(1, 5)]
    observations = tuple(service.observation(m) for m in messages)
    signal = detection.Signal(detection.VOLUME_SURGE, messages[-1].created_at, "facebook", messages[0].created_at,
                              observations, "4 messages négatifs en 20 min")  # fmt: skip
    opened = service.open_crisis(signal)
    actions.draft_statement(opened, by=personas["communication"], text=TEXT)
    actions.approve_statement(opened, by=personas["communication"])
    actions.approve_statement(opened, by=personas["direction"])
    return opened


def publish(crisis, personas, capture, *, channels, replies=False):
    with capture(execute=True):  # the outbox job runs at commit, as the worker would
        return actions.publish_statement(crisis, by=personas["direction"], replies=replies, posts=True,
                                         channels=channels)  # fmt: skip


def again_now(action: PlatformAction) -> PlatformAction:
    """The outbox's next attempt, without waiting for its pause."""
    PlatformAction.objects.filter(pk=action.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    return outbox.run(action.pk)


def test_the_statement_is_published_as_a_post_on_facebook_and_linkedin_with_its_evidence(
    crisis, pages, fb, li, personas, django_capture_on_commit_callbacks
):
    found = publish(crisis, personas, django_capture_on_commit_callbacks,
                    channels=[pages["facebook"], pages["linkedin"]])  # fmt: skip
    assert [p.kind for p in found] == ["post", "post"]
    assert fb.posts_published == 1 and [p.message for p in fb.posts.values()] == [TEXT]
    assert fb.replies_created == 0  # posts only, as chosen
    [urn] = li.published
    assert li.shown_text(urn) == TEXT  # « little » text escaped: LinkedIn shows all of it
    for publication in StatementPublication.objects.select_related("action"):
        assert publication.action.verb == "publish_post" and publication.action.status == "done"
        assert publication.published_at and publication.platform_id
        assert publication.evidence["text"] == TEXT and publication.evidence["statement_version"] == 1
        assert {a["role"] for a in publication.evidence["approvals"]} == {"direction", "communication"}
        assert publication.sha256 == hashlib.sha256(canonical(publication.evidence)).hexdigest()
    by_platform = {p.channel.platform: p for p in StatementPublication.objects.all()}
    post_id = by_platform["facebook"].platform_id
    assert post_id in fb.posts and by_platform["facebook"].permalink.endswith(f"/posts/{post_id.split('_')[1]}")
    assert by_platform["linkedin"].platform_id == urn
    assert by_platform["linkedin"].permalink == f"https://www.linkedin.com/feed/update/{urn}/"
    assert room.follow_up(crisis).publications_online == 2
    assert CrisisEvent.objects.filter(crisis=crisis, text__startswith="Communiqué en ligne").count() == 2


def test_replies_and_a_post_go_together_on_the_chosen_page_only(
    crisis, pages, fb, li, personas, django_capture_on_commit_callbacks
):
    found = publish(crisis, personas, django_capture_on_commit_callbacks, channels=[pages["linkedin"]], replies=True)
    assert [p.kind for p in found] == ["post"]  # the crisis's threads are on Facebook, not chosen
    assert fb.replies_created == 0 and fb.posts_published == 0 and len(li.published) == 1


@pytest.mark.parametrize("platform", ["facebook", "linkedin"])
def test_a_failed_post_is_tried_again_by_the_outbox_and_published_once(
    crisis, pages, fb, li, personas, django_capture_on_commit_callbacks, platform
):
    fake = fb if platform == "facebook" else li
    fake.faults.error_rate = 1.0  # the platform answers 500
    [publication] = publish(crisis, personas, django_capture_on_commit_callbacks, channels=[pages[platform]])
    action = PlatformAction.objects.get(pk=publication.action_id)
    assert action.status == "pending" and action.attempts == 1 and action.error and action.next_attempt_at
    assert outbox.run(action.pk) is None  # not due yet: the outbox waits before trying again
    fake.faults.error_rate = 0.0
    done = again_now(action)
    assert done.status == "done" and done.attempts == 2
    published = fb.posts_published if platform == "facebook" else len(li.published)
    assert published == 1
    publication.refresh_from_db()
    assert publication.sha256 and publication.evidence["attempts"] == 2


def test_a_post_refused_for_good_fails_in_the_room_and_a_person_relaunches_it(
    client, crisis, pages, fb, personas, django_capture_on_commit_callbacks
):
    fb.answer_next(graph_error(368, "(#368) The action attempted has been deemed abusive or is otherwise disallowed"))
    [publication] = publish(crisis, personas, django_capture_on_commit_callbacks, channels=[pages["facebook"]])
    action = PlatformAction.objects.get(pk=publication.action_id)
    assert action.status == "failed" and "bloquée temporairement" in action.error and fb.posts_published == 0
    assert CrisisEvent.objects.filter(crisis=crisis, text__startswith="Échec de la publication").exists()
    client.force_login(personas["direction"])
    page = client.get(reverse("crisis:room", args=[crisis.pk])).content.decode()
    assert "Relancer la publication" in page and "bloquée temporairement" in page

    url = reverse("crisis:retry_publication", args=[crisis.pk, publication.pk])
    client.force_login(personas["community_manager"])
    assert client.post(url).status_code == 403  # the desk does not decide on the statement
    client.force_login(personas["direction"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and fb.posts_published == 1
    page = client.get(reverse("crisis:room", args=[crisis.pk])).content.decode()
    assert "En ligne" in page and "Voir la publication" in page and "empreinte SHA-256" in page
    with pytest.raises(actions.CrisisError):
        actions.retry_publication(publication, by=personas["direction"])  # done: nothing to relaunch


@pytest.mark.parametrize("platform", ["facebook", "linkedin"])
def test_an_interrupted_post_is_found_on_the_platform_and_not_published_twice(
    crisis, pages, fb, li, personas, django_capture_on_commit_callbacks, platform
):
    fake = fb if platform == "facebook" else li
    fake.faults.error_rate = 1.0
    [publication] = publish(crisis, personas, django_capture_on_commit_callbacks, channels=[pages[platform]])
    fake.faults.error_rate = 0.0
    # the worker sent it, then died before recording it: the platform has the post, the row is still running
    request = outbox.request_for(publication.action)
    registry.connector_for(platform).execute(pages[platform], request)
    PlatformAction.objects.filter(pk=publication.action_id).update(
        status="running", lease_until=timezone.now() - timedelta(seconds=1)
    )
    done = outbox.run(publication.action_id)
    details = done.result["details"]
    assert done.status == "done" and (details.get("found_after_interruption") or details.get("found"))
    published = fb.posts_published if platform == "facebook" else len(li.published)
    assert published == 1


def test_youtube_is_not_offered_a_post_and_says_why(crisis, pages, personas):
    tube = connect("youtube", "UCxAHTMAformation000000", {"access_token": "t"})
    assert tube not in publications.post_channels()
    assert any("YouTube n'offre pas d'API" in reason for reason in publications.refusals())
    form = PublishForm(crisis=crisis)
    offered = set(form.fields["channels"].queryset)
    assert offered == {pages["facebook"], pages["linkedin"]}
    with pytest.raises(actions.CrisisError, match="YouTube n'offre pas d'API"):
        actions.publish_statement(crisis, by=personas["direction"], replies=False, posts=True, channels=[tube])
    assert not StatementPublication.objects.exists()


def test_a_post_needs_a_chosen_page_and_an_approved_statement(crisis, pages, personas):
    with pytest.raises(actions.CrisisError, match="pages"):
        actions.publish_statement(crisis, by=personas["direction"], replies=False, posts=True, channels=None)
    form = PublishForm({"posts": "on"}, crisis=crisis)
    assert not form.is_valid() and "Cochez la ou les pages" in str(form.errors)
    actions.draft_statement(crisis, by=personas["communication"], text="Nouvelle version")  # a draft again
    with pytest.raises(actions.CrisisError, match="approuvé"):
        actions.publish_statement(crisis, by=personas["direction"], replies=False, posts=True,
                                  channels=[pages["facebook"]])  # fmt: skip


def test_the_publish_view_posts_on_the_chosen_pages(client, crisis, pages, fb, li, personas,
                                                    django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(personas["communication"])
    data = {"posts": "on", "channels": [pages["linkedin"].pk]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("crisis:publish", args=[crisis.pk]), data, follow=True)
    assert "Communiqué publié" in response.content.decode()
    assert len(li.published) == 1 and fb.posts_published == 0


# the fakes follow the platforms -------------------------------------------------------------------


def test_the_fake_facebook_publishes_only_on_its_own_page_and_not_an_empty_post(fb):
    token = {"Authorization": f"Bearer {fb.page_token}"}
    base = f"{fb.url}/v21.0"
    other = httpx.post(f"{base}/999999/feed", data={"message": "x"}, headers=token)
    assert other.status_code == 403 and other.json()["error"]["code"] == 200
    empty = httpx.post(f"{base}/{fb.page_id}/feed", data={"message": " "}, headers=token)
    assert empty.json()["error"]["code"] == 100
    unscheduled = httpx.post(f"{base}/{fb.page_id}/feed", data={"message": "x", "published": "false"}, headers=token)
    assert unscheduled.json()["error"]["code"] == 100
    created = httpx.post(f"{base}/{fb.page_id}/feed", data={"message": "Bonjour"}, headers=token).json()
    assert created["id"].startswith(f"{fb.page_id}_") and fb.posts[created["id"]].message == "Bonjour"
    listed = httpx.get(f"{base}/{fb.page_id}/posts", params={"fields": "id,message"}, headers=token).json()
    assert listed["data"][0] == {"id": created["id"], "message": "Bonjour"}


def test_the_fake_linkedin_checks_the_post_and_reads_little_text(li):
    headers = {"Authorization": f"Bearer {li.token}", "LinkedIn-Version": "202601",
               "X-Restli-Protocol-Version": "2.0.0"}  # fmt: skip
    body = linkedin.post_body(li.organization, "Bonjour (tous)")
    url = f"{li.api_url}/posts"
    assert httpx.post(url, json=body | {"author": "urn:li:organization:1"}, headers=headers).status_code == 403
    missing = {k: v for k, v in body.items() if k != "distribution"}
    assert httpx.post(url, json=missing, headers=headers).status_code == 422
    created = httpx.post(url, json=body, headers=headers)
    assert created.status_code == 201 and created.content == b""
    urn = created.headers["x-restli-id"]
    assert li.shown_text(urn) == "Bonjour (tous)"
    raw = httpx.post(url, json=body | {"commentary": "Bonjour (tous)"}, headers=headers).headers["x-restli-id"]
    assert li.shown_text(raw) == "Bonjour "  # unescaped, the parenthesis is read as markup: the text is cut
    assert linkedin.little_text("a\\b_c") == "a\\\\b\\_c"
    li.faults.rate_limited = True
    assert httpx.post(url, json=body, headers=headers).status_code == 429


def test_linkedin_refuses_a_post_longer_than_it_allows(crisis, pages, li, personas):
    request = outbox.request_for(PlatformAction(channel=pages["linkedin"], verb="publish_post",
                                                result={"options": {"text": "x" * 3001}}))  # fmt: skip
    with pytest.raises(Exception, match="trop long"):
        linkedin.connector.execute(pages["linkedin"], request)
    assert li.published == []
