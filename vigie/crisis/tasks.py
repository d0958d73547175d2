"""Background jobs of the crisis alerts. Jobs take ids; a job that runs twice sends once."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from vigie.crisis import alerting


@db_task()
def deliver_alert(delivery_id: int) -> None:
    alerting.deliver(delivery_id)


@db_periodic_task(crontab(minute="*"))
def deliver_due_alerts() -> None:
    """Alerts whose retry time has come, or whose worker died mid-way."""
    for pk in alerting.due_ids():
        deliver_alert(pk)
