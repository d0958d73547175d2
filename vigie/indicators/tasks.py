"""The indicators' jobs: daily tallies kept up to date, the monthly report. Jobs take no objects;
running twice is harmless."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from vigie.indicators import mailing, tally


@db_periodic_task(crontab(minute="*/5"))
def refresh_tallies() -> None:
    tally.refresh()


@db_periodic_task(crontab(hour="2", minute="45"))
def refresh_tallies_deeply() -> None:
    """Once a night the last 35 days whatever happened (an answer echoed with an old date, a text edited)."""
    tally.refresh(deep=True)


@db_periodic_task(crontab(hour="6", minute="0"))
def send_monthly_report() -> None:
    """Each morning (06:00 UTC, 7 or 8 in Paris): the report of last month, once its first working day has come."""
    mailing.send_monthly_report()
