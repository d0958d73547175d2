"""The desk's clock in the worker: every minute, rounds missed or about to be, deadlines drawing near."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from vigie.rounds import jobs


@db_periodic_task(crontab(minute="*"))
def keep_the_clock() -> None:
    now = timezone.now()
    jobs.mark_missed(now)
    jobs.remind(now)
    jobs.warn_near_deadlines(now)
