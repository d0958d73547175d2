"""Monitoring rounds (« Tours de veille »): the day's rounds, starting and signing one off.

Every change goes through here, in one transaction with its audit event. The periodic side (rounds
marked missed, reminders, deadlines drawing near) is in `jobs.py`.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from vigie.audit.models import AuditEvent
from vigie.audit.record import record
from vigie.inbox.errors import ActionError
from vigie.inbox.models import Item
from vigie.inbox.queries import to_check_q
from vigie.inbox.status import OPEN, Status
from vigie.lib.clock import PARIS
from vigie.lib.plural import pluriel
from vigie.lib.rows import narrowed
from vigie.rounds.models import Round, RoundWindow
from vigie.sla.models import ClockSettings
from vigie.vocabulary import Priority

FIRST_ROUND_LOOKS_BACK = timedelta(hours=24)  # what is « new » when no round was ever signed off
UNTREATED = (Status.NEW, Status.IN_PROGRESS)


@dataclass(frozen=True)
class Planned:
    """A round of a day: its window and its row once it has one (started, signed, missed, reminded)."""

    window: RoundWindow
    day: date
    start: datetime
    end: datetime
    round: Round | None

    @property
    def slot_label(self) -> str:
        return self.window.get_slot_display()

    def status(self, now: datetime) -> str:
        if self.round is not None and self.round.status != Round.Status.DUE:
            return self.round.status
        return Round.Status.MISSED if now >= self.end else Round.Status.DUE

    def is_open(self, now: datetime) -> bool:
        return self.start <= now < self.end


def _at(day: date, moment) -> datetime:
    return datetime.combine(day, moment, tzinfo=PARIS)


def planned(day: date) -> list[Planned]:
    """The rounds due on `day`: none on a day the desk does not work (weekend, public holiday)."""
    if not ClockSettings.current().calendar().is_open_day(day):
        return []
    rows = {r.slot: r for r in Round.objects.filter(day=day).select_related("started_by", "signed_by")}
    return [
        Planned(w, day, _at(day, w.starts_at), _at(day, w.ends_at), rows.get(w.slot))
        for w in RoundWindow.all_windows()
        if w.active
    ]


def today(now: datetime) -> list[Planned]:
    return planned(now.astimezone(PARIS).date())


def next_round_end(now: datetime, *, days_ahead: int = 14) -> datetime:
    """The end of the next round still to start after `now` (open days only), or `now` + one day."""
    first = now.astimezone(PARIS).date()
    for offset in range(days_ahead):
        coming = [plan for plan in planned(first + timedelta(days=offset)) if plan.start > now]
        if coming:
            return min(coming, key=lambda plan: plan.start).end
    return now + timedelta(days=1)


def _planned_slot(slot: str, now: datetime) -> Planned:
    found = next((p for p in today(now) if p.window.slot == slot), None)
    if found is None:
        raise ActionError("Pas de tour de veille prévu aujourd'hui à ce moment-là.")
    return found


def row_for(plan: Planned) -> Round:
    """The round's row, locked (created on first need)."""
    row, _ = Round.objects.select_for_update().get_or_create(
        day=plan.day, slot=plan.window.slot, defaults={"window_start": plan.start, "window_end": plan.end}
    )
    return row


def last_signed_at(now: datetime) -> datetime | None:
    """When the last round signed off by `now` was signed."""
    return (
        Round.objects.filter(status=Round.Status.DONE, signed_at__lte=now)
        .order_by("-signed_at")
        .values_list("signed_at", flat=True)
        .first()
    )


def arrivals(since: datetime, until: datetime) -> list[dict]:
    """What arrived in the window, per channel: how many items, how many still open."""
    rows = (
        Item.objects.filter(received_at__gt=since, received_at__lte=until)
        .values("channel_id", "channel__name", "platform")
        .annotate(count=Count("id"), open=Count("id", filter=Q(status__in=OPEN)))
        .order_by("channel__name")
    )
    return [{"channel_id": r["channel_id"], "channel": r["channel__name"], "platform": r["platform"],
             "count": r["count"], "open": r["open"]} for r in rows]  # fmt: skip


def urgent_items(now: datetime) -> QuerySet:
    """Untreated items a round may not leave behind silently: an attack on staff, a crisis (critical
    priority), a private message past its deadline."""
    return left_open_items(now).filter(Q(targets_staff=True) | Q(priority=Priority.CRITICAL) | Q(reply_due_at__lt=now))


def to_check(now: datetime) -> int:
    """Untreated items whose message a person should check (« À vérifier »): a label the model was unsure of, or a
    negative mention of staff it did not call an attack (about half the attacks it misses)."""
    return left_open_items(now).filter(to_check_q("message__classification__")).count()


def left_open_items(now: datetime) -> QuerySet:
    """Untreated items that had arrived by `now`: what a round signed off at `now` leaves open."""
    return Item.objects.filter(status__in=UNTREATED, received_at__lte=now)


def _say(plan: Planned) -> str:
    return f"Tour du {plan.slot_label.lower()} du {plan.day:%d/%m/%Y}"


@transaction.atomic
def start(slot: str, *, by, now: datetime) -> Round:
    """Start the round of `slot` in its window: it shows what arrived since the last signed-off round."""
    plan = _planned_slot(slot, now)
    row = row_for(plan)
    if row.status in (Round.Status.DONE, Round.Status.MISSED):
        raise ActionError(f"{_say(plan)} : déjà {row.get_status_display().lower()}.")
    if row.status == Round.Status.STARTED:
        return row  # someone else started it: they do it together
    if not plan.is_open(now):
        raise ActionError(f"{_say(plan)} : il se fait entre {plan.start:%H:%M} et {plan.end:%H:%M}.")
    since = last_signed_at(now) or now - FIRST_ROUND_LOOKS_BACK
    row.since, row.arrivals = since, arrivals(since, now)
    row.status, row.started_by, row.started_at = Round.Status.STARTED, by, now
    row.save()
    total = sum(a["count"] for a in row.arrivals)
    record(by, "round.started", row, summary=f"{_say(plan)} commencé : {total} nouveaux éléments",
           after={"since": since.isoformat(), "arrivals": row.arrivals})  # fmt: skip
    return row


def handled_by(user, since: datetime, until: datetime) -> int:
    """Items the person changed (status, assignee, priority, note, reply…) during the round."""
    return (
        AuditEvent.objects.filter(actor=user, target_type="item", created_at__gte=since, created_at__lte=until)
        .values("target_id")
        .distinct()
        .count()
    )


@transaction.atomic
def sign_off(row: Round, *, by, now: datetime, left_open_reason: str = "", urgent_reason: str = "") -> Round:
    """Sign a started round off: who, when, how many items handled, what was left open and why. Refused
    while an urgent item is untreated, unless the person writes why."""
    row = Round.objects.select_for_update().get(pk=row.pk)
    if row.status != Round.Status.STARTED:
        raise ActionError("Ce tour n'est pas en cours : il ne peut pas être signé.")
    urgent = urgent_items(now).count()
    if urgent and not urgent_reason.strip():
        s, them = pluriel(urgent), "les" if urgent >= 2 else "le"
        raise ActionError(f"{urgent} élément{s} urgent{s} non traité{s} (personnel visé, crise ou message privé en "
                          f"retard) : traitez-{them}, ou écrivez pourquoi le tour est signé quand même.")  # fmt: skip
    left_open = left_open_items(now).count()
    if left_open and not left_open_reason.strip():
        remain, them = ("restent", "les") if left_open >= 2 else ("reste", "le")
        raise ActionError(f"{left_open} élément{pluriel(left_open)} {remain} à traiter : "
                          f"dites pourquoi (ou traitez-{them}).")  # fmt: skip
    row.status, row.signed_by, row.signed_at = Round.Status.DONE, by, now
    row.handled = handled_by(by, row.started_at, now)
    row.left_open, row.left_open_reason = left_open, left_open_reason.strip()
    row.urgent_left, row.urgent_reason = urgent, urgent_reason.strip()
    row.save()
    record(by, "round.signed", row, summary=f"{row} signé : {row.handled} traités, {left_open} laissés ouverts",
           after={"handled": row.handled, "left_open": left_open, "left_open_reason": row.left_open_reason,
                  "urgent_left": urgent, "urgent_reason": row.urgent_reason})  # fmt: skip
    return row


def history(*, date_from: date | None = None, date_to: date | None = None, status: str = "", slot: str = ""):
    rounds = Round.objects.exclude(status=Round.Status.DUE).select_related("started_by", "signed_by")
    rounds = narrowed(rounds, day__gte=date_from, day__lte=date_to, status=status, slot=slot)
    return rounds.order_by("-day", "-window_start")


@transaction.atomic
def save_settings(settings_form, window_forms, *, by) -> None:
    """An admin sets the calendar, the deadlines' counting and the rounds' windows (forms already valid)."""
    before = {name: str(settings_form.initial.get(name, "")) for name in settings_form.changed_data}
    settings_form.save()
    after = {name: str(settings_form.cleaned_data[name]) for name in settings_form.changed_data}
    for form in window_forms:
        if form.has_changed():
            before[form.instance.slot] = str(form.initial)
            after[form.instance.slot] = f"{form.cleaned_data['starts_at']:%H:%M}–{form.cleaned_data['ends_at']:%H:%M}"
            form.save()
    if after:
        record(by, "clock.settings_changed", ("settings", "clock"), summary="Calendrier, délais ou tours modifiés",
               before=before, after=after)  # fmt: skip
