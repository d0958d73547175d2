"""Daily jobs of the control plan and of personal data. Jobs take no objects; running twice is harmless."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from vigie.records import improvements, retention


@db_periodic_task(crontab(hour="3", minute="30"))
def apply_retention() -> None:
    """Each night: a dry run when the policy changed since the last one, otherwise the real run."""
    retention.daily()


@db_periodic_task(crontab(hour="8", minute="0"))
def tell_direction_about_overdue_actions() -> None:
    improvements.notify_overdue()
