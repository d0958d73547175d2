"""Background jobs: once a night, the model learns the labels moderators corrected or confirmed."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from vigie.triage import learning


@db_periodic_task(crontab(hour="2", minute="15"))
def learn_from_corrections() -> None:
    """02:15 UTC (03:15 or 04:15 in Paris): nothing is fitted when no correction changed since the last night."""
    learning.learn()
