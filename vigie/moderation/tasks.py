"""Background jobs of the outbox. Jobs take ids; a job that runs twice does the work once."""

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from vigie.moderation import outbox


@db_task()
def execute_platform_action(action_id: int) -> None:
    outbox.run(action_id)


def enqueue_after_commit(action_id: int, *, delay: int = 0) -> None:
    """Run the action once the transaction commits, or `delay` seconds later (an undo window)."""
    if delay:
        transaction.on_commit(lambda: execute_platform_action.schedule((action_id,), delay=delay))
    else:
        transaction.on_commit(lambda: execute_platform_action(action_id))


@db_periodic_task(crontab(minute="*"))
def run_due_platform_actions() -> None:
    """Actions whose retry time has come, or whose worker died mid-way."""
    for pk in outbox.due_ids():
        execute_platform_action(pk)
