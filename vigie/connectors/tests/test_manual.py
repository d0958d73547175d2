import pytest

from vigie.connectors.manual import PHAROS_URL, PLATFORMS, report_task

COMMENT = "https://www.linkedin.com/feed/update/urn:li:activity:7094637247890620418/?commentUrn=urn%3Ali%3Acomment"


def test_the_task_opens_on_the_comment_and_starts_with_the_evidence():
    task = report_task("linkedin", COMMENT, "spam")
    assert task["title"] == "Signaler le commentaire à LinkedIn" and task["link"] == COMMENT
    assert task["checklist"][0].startswith("Capturez d'abord la preuve")
    assert any(COMMENT in step for step in task["checklist"])
    assert any("« Spam »" in step for step in task["checklist"])
    assert task["to_record"] == [
        "la date et l'heure du signalement",
        "la référence du signalement donnée par la plateforme",
    ]


def test_without_a_permalink_the_task_opens_the_platforms_help_page():
    task = report_task("youtube", "", "conflict")
    assert task["link"] == task["help_url"] == "https://support.google.com/youtube/answer/2802027"
    assert any("Retrouvez le commentaire sur YouTube" in step for step in task["checklist"])


def test_content_that_may_be_illegal_also_points_to_pharos():
    task = report_task("facebook", "https://www.facebook.com/1_2", "abuse")
    assert task["pharos_url"] == PHAROS_URL == "https://www.internet-signalement.gouv.fr"
    assert PHAROS_URL in task["checklist"][-1] and "17" in task["checklist"][-1]


@pytest.mark.parametrize("label", ["spam", "misinformation", "conflict", "question"])
def test_other_labels_do_not_send_people_to_pharos(label):
    task = report_task("facebook", "https://www.facebook.com/1_2", label)
    assert task["pharos_url"] is None and not any(PHAROS_URL in step for step in task["checklist"])


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_each_platform_says_where_its_report_form_opens(platform):
    assert "Signaler" in report_task(platform, "https://exemple.test/c/1", "spam")["checklist"][2]


def test_an_unknown_platform_is_refused():
    with pytest.raises(ValueError, match="plateforme inconnue"):
        report_task("tiktok", "", "spam")
