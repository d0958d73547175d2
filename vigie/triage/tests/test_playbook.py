from vigie.triage.playbook_defaults import ACTIONS, PRIVATE, PUBLIC, plan


def test_every_default_action_has_a_french_description():
    for table in (PUBLIC, PRIVATE):
        assert all(action in ACTIONS for _, actions in table.values() for action in actions)


def test_a_private_question_is_high_priority_for_the_24_hour_rule():
    assert plan("question", "private_message").priority == "high"
    assert plan("question", "comment").priority == "normal"


def test_severe_abuse_is_reported_to_the_platform_and_urgent():
    result = plan("abuse", "comment", severe=True)
    assert result.priority == "urgent"
    assert result.actions == ["capture_evidence", "delete", "report_platform", "notify_internal"]


def test_inappropriate_private_messages_get_no_reply():
    assert plan("spam", "private_message").actions == ["no_reply", "block"]
    assert "no_reply" in plan("abuse", "private_message").actions


def test_an_attack_on_staff_is_urgent_and_notified():
    result = plan("misinformation", "comment", targets_staff=True)
    assert result.priority == "urgent"
    assert result.actions[0] == "capture_evidence" and result.actions[-1] == "notify_internal"
