from datetime import time

from django.conf import settings
from django.db import models


class Slot(models.TextChoices):
    MORNING = "morning", "Matin"
    NOON = "noon", "Midi"
    EVENING = "evening", "Soir"


DEFAULT_WINDOWS = {
    Slot.MORNING: (time(8, 30), time(10, 30)),
    Slot.NOON: (time(12, 0), time(14, 0)),
    Slot.EVENING: (time(17, 0), time(19, 0)),
}


class RoundWindow(models.Model):
    """When a round is due (Paris time) on the days the desk works; set by an admin."""

    slot = models.CharField(max_length=10, choices=Slot.choices, unique=True)
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)  # no round is missed before the windows existed

    class Meta:
        ordering = ["starts_at"]

    def __str__(self):
        return f"{self.get_slot_display()} ({self.starts_at:%H:%M}–{self.ends_at:%H:%M})"

    @classmethod
    def all_windows(cls) -> list["RoundWindow"]:
        """The three windows, created with their defaults the first time."""
        windows = list(cls.objects.order_by("starts_at"))
        if len(windows) == len(DEFAULT_WINDOWS):
            return windows
        for slot, (starts, ends) in DEFAULT_WINDOWS.items():
            cls.objects.get_or_create(slot=slot, defaults={"starts_at": starts, "ends_at": ends})
        return list(cls.objects.order_by("starts_at"))


class Round(models.Model):
    """One round of a day: started and signed off by a person of the desk, or marked missed. Evidence for
    audits: who, when, what had arrived, how many items were handled, what was left open and why."""

    class Status(models.TextChoices):
        DUE = "due", "À faire"
        STARTED = "started", "En cours"
        DONE = "done", "Signé"
        MISSED = "missed", "Manqué"

    day = models.DateField()
    slot = models.CharField(max_length=10, choices=Slot.choices)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)
    since = models.DateTimeField(null=True, blank=True)  # the last signed-off round's end: what is new is after
    arrivals = models.JSONField(default=list, blank=True)  # [{"channel": name, "platform": p, "count": n}, …]
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    started_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    signed_at = models.DateTimeField(null=True, blank=True)
    handled = models.PositiveIntegerField(default=0)  # items the person changed during the round
    left_open = models.PositiveIntegerField(default=0)
    left_open_reason = models.TextField(blank=True)
    urgent_left = models.PositiveIntegerField(default=0)  # urgent items untreated at sign-off
    urgent_reason = models.TextField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    missed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "slot"], name="round_one_per_slot")]
        indexes = [models.Index(fields=["-day", "-window_start"], name="round_recent"),
                   models.Index(fields=["status", "window_end"], name="round_status")]  # fmt: skip

    def __str__(self):
        return f"Tour du {self.get_slot_display().lower()} du {self.day:%d/%m/%Y}"
