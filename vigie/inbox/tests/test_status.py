import pytest

from vigie.inbox.status import TRANSITIONS, Status, TransitionNotAllowed, allowed_targets, check_transition


def test_every_status_has_a_row_in_the_transition_table():
    assert set(TRANSITIONS) == set(Status)


def test_a_new_thread_can_be_taken_in_hand():
    check_transition(Status.NEW, Status.IN_PROGRESS)


def test_a_closed_thread_can_only_come_back_as_new():
    assert allowed_targets(Status.CLOSED) == [Status.NEW]
    with pytest.raises(TransitionNotAllowed, match="Clos"):
        check_transition(Status.CLOSED, Status.DONE)


def test_no_status_moves_to_itself():
    for status, targets in TRANSITIONS.items():
        assert status not in targets
