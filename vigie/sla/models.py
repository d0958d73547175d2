from datetime import time

from django.db import models

from vigie.lib.clock import Calendar
from vigie.sla.deadlines import Policy


class ClockSettings(models.Model):
    """The desk's calendar (days worked, hours, public holidays) and how private messages' deadlines
    are counted (one row, set by an admin). The rounds use the same calendar."""

    class Counting(models.TextChoices):
        CLOCK = "clock", "Heures d'horloge (24 h sur 24)"
        BUSINESS = "business", "Heures ouvrées (calendrier du desk)"

    work_days = models.CharField(max_length=20, default="0,1,2,3,4", help_text="jours travaillés, 0 = lundi")
    opens_at = models.TimeField(default=time(9, 0))
    closes_at = models.TimeField(default=time(18, 0))
    public_holidays = models.BooleanField(default=True, help_text="les jours fériés français sont chômés")
    reply_hours = models.PositiveSmallIntegerField(default=24)
    counting = models.CharField(max_length=10, choices=Counting.choices, default=Counting.CLOCK)
    human_agent = models.BooleanField(
        default=False, help_text="l'application Facebook a la permission « agent humain » (HUMAN_AGENT)"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Réglages du calendrier et des délais"
        verbose_name_plural = verbose_name

    def __str__(self):
        return "Réglages du calendrier et des délais"

    @classmethod
    def current(cls) -> "ClockSettings":
        row, _ = cls.objects.get_or_create(pk=1)
        return row

    @property
    def work_day_numbers(self) -> frozenset[int]:
        return frozenset(int(d) for d in self.work_days.split(",") if d.strip().isdigit())

    def calendar(self) -> Calendar:
        return Calendar(work_days=self.work_day_numbers, opens=self.opens_at, closes=self.closes_at,
                        public_holidays=self.public_holidays)  # fmt: skip

    def policy(self) -> Policy:
        return Policy(hours=self.reply_hours, business=self.counting == self.Counting.BUSINESS,
                      calendar=self.calendar())  # fmt: skip
