"""Background jobs: the owners of overdue tasks are told, once per task."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from vigie.helpdesk import reminders


@db_periodic_task(crontab(minute="*/15"))
def notify_overdue_tasks() -> None:
    reminders.notify_overdue()
