"""The local YouTube behaves as platform-apis.md §3 says YouTube does."""

import httpx
import pytest

from vigie.connectors.fake.youtube import FakeYouTube


@pytest.fixture
def api(fake_youtube: FakeYouTube):
    def _call(method, path, params=None, json=None, token=fake_youtube.token):
        return httpx.request(method, fake_youtube.api_url + path, params=params, json=json,
                             headers={"Authorization": f"Bearer {token}"})  # fmt: skip

    return _call


def reason(response):
    return response.json()["error"]["errors"][0]["reason"]


def threads(fake, **params):
    return {"part": "snippet,replies", "allThreadsRelatedToChannelId": fake.channel_id, **params}


def test_a_bad_token_gets_googles_401_envelope(fake_youtube, api):
    refused = api("GET", "/commentThreads", threads(fake_youtube), token="autre")
    assert refused.status_code == 401 and reason(refused) == "authError"
    assert refused.json()["error"]["status"] == "UNAUTHENTICATED"


def test_threads_come_newest_first_in_pages_until_no_next_token(fake_youtube, api):
    video = fake_youtube.add_video()
    for n in range(3):
        fake_youtube.add_comment(video, f"Commentaire {n}")
    first = api("GET", "/commentThreads", threads(fake_youtube, maxResults=2)).json()
    assert [i["snippet"]["topLevelComment"]["snippet"]["textOriginal"] for i in first["items"]] == [
        "Commentaire 2", "Commentaire 1"]  # fmt: skip
    assert first["items"][0]["id"] == first["items"][0]["snippet"]["topLevelComment"]["id"]
    last = api("GET", "/commentThreads", threads(fake_youtube, maxResults=2, pageToken=first["nextPageToken"])).json()
    assert len(last["items"]) == 1 and "nextPageToken" not in last
    assert api("GET", "/commentThreads", threads(fake_youtube, maxResults=101)).status_code == 400


def test_each_call_is_charged_and_the_quota_runs_out_with_googles_error(fake_youtube, api):
    thread = fake_youtube.add_comment(fake_youtube.add_video(), "Bonjour")
    api("GET", "/commentThreads", threads(fake_youtube))
    api("POST", "/comments", {"part": "snippet"}, {"snippet": {"parentId": thread, "textOriginal": "Merci"}})
    api("POST", "/comments/setModerationStatus", {"id": thread, "moderationStatus": "heldForReview"})
    assert fake_youtube.quota_used == 1 + 50 + 50
    fake_youtube.quota_limit = fake_youtube.quota_used
    spent = api("GET", "/commentThreads", threads(fake_youtube))
    assert spent.status_code == 403 and reason(spent) == "quotaExceeded"
    fake_youtube.reset()
    fake_youtube.faults.rate_limited = True
    assert reason(api("GET", "/commentThreads", threads(fake_youtube))) == "quotaExceeded"


def test_replies_go_to_top_level_comments_only(fake_youtube, api):
    thread = fake_youtube.add_comment(fake_youtube.add_video(), "Bonjour")
    reply = fake_youtube.add_reply(thread, "Re")
    refused = api("POST", "/comments", {"part": "snippet"}, {"snippet": {"parentId": reply, "textOriginal": "Merci"}})
    assert refused.status_code == 400 and reason(refused) == "operationNotSupported"
    created = api("POST", "/comments", {"part": "snippet"}, {"snippet": {"parentId": thread, "textOriginal": "Merci"}})
    assert created.json()["id"].startswith(f"{thread}.") and created.json()["snippet"]["parentId"] == thread


def test_moderation_follows_youtubes_rules(fake_youtube, api):
    video = fake_youtube.add_video()
    thread = fake_youtube.add_comment(video, "Spam", author="UCspammeur00000000000000")
    moderate = "/comments/setModerationStatus"
    assert reason(api("POST", moderate, {"id": thread, "moderationStatus": "heldForReview", "banAuthor": "true"})) == (
        "banWithoutReject")  # fmt: skip
    assert api("POST", moderate, {"id": thread, "moderationStatus": "rejected", "banAuthor": "true"}).status_code == 204
    assert reason(api("POST", moderate, {"id": thread, "moderationStatus": "published"})) == "operationNotSupported"
    assert reason(api("POST", moderate, {"id": "inconnu", "moderationStatus": "rejected"})) == "commentNotFound"
    seen = api("GET", "/comments", {"part": "snippet", "id": thread}).json()["items"][0]
    assert seen["snippet"]["moderationStatus"] == "rejected"
    again = fake_youtube.add_comment(video, "Re-spam", author="UCspammeur00000000000000")
    assert fake_youtube.status_of(again) == "rejected"  # banned: rejected as it comes
