"""Crisis detection, pure: observations and thresholds in, signals out (no database, no clock).

Three detectors, one per kind of crisis of the procedure's Étape 4:
- `volume_surge`: negative or aggressive messages (criticism, abuse, conflict) arriving much faster than
  the page's usual rate for this hour of this day of the week, on one post or across the page. Low
  volumes are the rule (a few dozen comments a day): a count must be both improbable under the usual
  rate (Poisson tail) and above a floor, and negative messages must be a real share of what arrives
  (a viral friendly post brings a few misread comments among hundreds of kind ones). The usual rate
  really varies (a night is some thirty times quieter than a lunch hour): on the page, negative
  messages come in exchanges, so the usual count is taken `page_burst` times over; at quiet hours the
  floor decides (four in twenty minutes), at busy hours the rate asks for more.
- `disinformation`: misinformation from several authors within a few hours, or one false claim
  repeated by others (near-copies count whatever their label). Only a sure label makes a claim: one the
  model hesitated on (« tri incertain ») counts once a person has checked it.
- `staff_attack`: one clear attack on a member of the staff watch-list is enough.

The caller gives each observation with the ones before it in the longest window (`recent`) and the
usual rate; the same functions serve the pipeline, `vigie replay` and the dry run.
"""

import math
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from vigie.vocabulary import CRISIS_ATTACKS, PLATFORM_NAMES

VOLUME_SURGE = "volume_surge"
DISINFORMATION = "disinformation"
STAFF_ATTACK = "staff_attack"
SIGNALS = (VOLUME_SURGE, DISINFORMATION, STAFF_ATTACK)
SIGNAL_LABELS = {
    VOLUME_SURGE: "Vague de messages négatifs",
    DISINFORMATION: "Fausse information qui se répand",
    STAFF_ATTACK: "Attaque contre un membre de l'équipe",
}
NEGATIVE = frozenset({"criticism", "abuse", "conflict"})
MISINFORMATION = "misinformation"
ATTACKS = CRISIS_ATTACKS
HOURS_OF_WEEK = 7 * 24
PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Thresholds:
    """What an admin sets (CrisisSettings); the defaults were tuned on the replay scenarios."""

    post_window_minutes: int = 20
    post_min_count: int = 4
    page_window_minutes: int = 60
    page_min_count: int = 6
    page_fast_min_count: int = 4  # across the page within the post window (a wave starting fast)
    min_authors: int = 3
    min_negative_share: float = 0.5
    surprise: float = 0.001  # how improbable the count must be under the usual rate (Poisson tail)
    usual_rate_floor: float = 0.02  # the usual rate is never taken lower (negative messages an hour)
    new_page_rate: float = 0.3  # negative messages an hour assumed while the page has less than a day of history
    page_burst: float = 5.0  # on the page, negative messages come in exchanges: the usual count taken 5 times over
    learning_days: int = 28
    disinfo_window_hours: int = 6
    disinfo_min_messages: int = 3
    disinfo_min_authors: int = 3
    similarity: float = 0.6  # share of words two messages must have in common to be "the same claim"
    staff_min_attacks: int = 1
    join_hours: int = 24  # a quiet crisis stops taking new messages after this long

    @classmethod
    def from_mapping(cls, values: dict) -> "Thresholds":
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in values.items() if key in known})

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def longest_window(self) -> timedelta:
        return max(
            timedelta(minutes=self.post_window_minutes),
            timedelta(minutes=self.page_window_minutes),
            timedelta(hours=self.disinfo_window_hours),
        )


@dataclass(frozen=True)
class Observation:
    """One incoming message as detection sees it."""

    key: int | str  # Vigie's id (or the stream's, in a dry run)
    external_id: str
    at: datetime
    platform: str
    post: str  # the thread it belongs to (a post's comments, or a conversation)
    author: str
    label: str
    targets_staff: bool = False
    staff: tuple[str, ...] = ()
    text: str = ""
    sure: bool = True  # the label is sure: the model was confident, or a person checked it

    @property
    def claim(self) -> bool:
        """A false claim that can start a spreading falsehood: misinformation, and sure of it (a label the
        model hesitated on, not yet checked, waits for a person rather than alerting the direction)."""
        return self.label == MISINFORMATION and self.sure

    @property
    def negative(self) -> bool:
        return self.label in NEGATIVE

    @property
    def clear_attack(self) -> bool:
        """Abuse or defamation naming a member of staff (criticism or a heated reply naming them is not)."""
        return self.targets_staff and self.label in ATTACKS


@dataclass(frozen=True)
class Signal:
    """A detector that fired: which, where, since when, the messages behind it, in French."""

    kind: str
    at: datetime
    platform: str
    since: datetime
    observations: tuple[Observation, ...]
    explanation: str
    figures: dict = field(default_factory=dict)
    post: str = ""

    @property
    def message_ids(self) -> list[str]:
        return [o.external_id for o in self.observations]


class UsualRate:
    """Negative messages an hour, by hour of day and day of week, learnt from the page's history.

    A few weeks of a page that gets a few negative comments a day leave most hours of the week with
    zero or one, and one heated exchange puts three in an hour: each hour of the week's own count says
    little. The rate is the hour of the day's profile (all days together, smoothed with the neighbouring
    hours) times the day of the week's level (pulled towards the average day while history is short);
    an hour of the week that is busy most weeks (its median count over the weeks) keeps at least that.
    Never below `floor`; with less than a day of history, `default`.
    """

    def __init__(self, counts: Sequence[float], weeks: float, floor: float, default: float | None = None,
                 weekly: dict[int, list[int]] | None = None):  # fmt: skip
        self.counts = list(counts) + [0.0] * (HOURS_OF_WEEK - len(counts))
        self.weeks = weeks
        self.floor = floor
        self.default = floor if default is None else default
        self.weekly = weekly or {}  # hour of the week → its count in each week of the history
        self._cache: dict[int, float] = {}

    @staticmethod
    def slot(at: datetime) -> int:
        local = at.astimezone(PARIS)
        return local.weekday() * 24 + local.hour

    def per_hour(self, at: datetime) -> float:
        if self.weeks < 1 / 7:  # less than a day of history says nothing yet
            return max(self.floor, self.default)
        slot = self.slot(at)
        if slot not in self._cache:
            self._cache[slot] = max(self.floor, self._model(slot), self._usual_week(slot))
        return self._cache[slot]

    def _model(self, slot: int) -> float:
        day, hour = divmod(slot, 24)
        days = self.weeks * 7
        by_hour = [sum(self.counts[d * 24 + h] for d in range(7)) for h in range(24)]
        profile = (by_hour[hour - 1] + 2 * by_hour[hour] + by_hour[(hour + 1) % 24]) / 4 / days
        by_day = [sum(self.counts[d * 24 : d * 24 + 24]) for d in range(7)]
        average_day = sum(by_day) / 7
        if average_day == 0:
            return 0.0
        mean_day = average_day / self.weeks  # negative messages on an average day
        prior = 2.0  # weeks of the average day a weekday's own level is pulled towards
        level = (by_day[day] + prior * mean_day) / (self.weeks + prior) / mean_day
        return profile * level

    def _usual_week(self, slot: int) -> float:
        """This hour of the week's count in most weeks (the lower median: one exchange is not a habit)."""
        weeks = max(1, int(self.weeks))
        counts = (self.weekly.get(slot, []) + [0] * weeks)[:weeks]
        return float(statistics.median_low(counts))

    @classmethod
    def learn(cls, times: Iterable[datetime], weeks: float, floor: float, default: float | None = None,
              start: datetime | None = None) -> "UsualRate":  # fmt: skip
        counts = [0.0] * HOURS_OF_WEEK
        weekly: dict[int, list[int]] = {}
        for at in times:
            slot = cls.slot(at)
            counts[slot] += 1
            if start is not None:
                week = int((at - start) / timedelta(days=7))
                found = weekly.setdefault(slot, [])
                found.extend([0] * (week + 1 - len(found)))
                found[week] += 1
        return cls(counts, weeks, floor, default, weekly)


def poisson_tail(count: int, mean: float) -> float:
    """P(X ≥ count) for X ~ Poisson(mean)."""
    if count <= 0:
        return 1.0
    term = math.exp(-mean)
    below = term
    for k in range(1, count):
        term *= mean / k
        below += term
    return max(0.0, 1.0 - below)


def needed_count(mean: float, surprise: float, floor: int) -> int:
    """The smallest count at least `floor` that is improbable enough under the usual rate."""
    count = floor
    while poisson_tail(count, mean) > surprise:
        count += 1
    return count


def evaluate(obs: Observation, recent: Sequence[Observation], rate: UsualRate, t: Thresholds) -> list[Signal]:
    """The signals `obs` makes fire, given the observations before it (oldest first, `obs` excluded)."""
    signals = []
    if obs.negative:
        signals += _surge(obs, recent, rate, t)
    if obs.claim or _repeats_a_claim(obs, recent, t):
        signals += _disinformation(obs, recent, t)
    if obs.clear_attack:
        signals += _staff_attack(obs, recent, t)
    return signals


def relevant(obs: Observation, kind: str) -> bool:
    """Whether a later message belongs to an open crisis of this kind (it joins it)."""
    if kind == VOLUME_SURGE:
        return obs.negative
    if kind == DISINFORMATION:
        return obs.label == MISINFORMATION
    return obs.targets_staff


# deciding: open a crisis, or join an open one ------------------------------------------------------


@dataclass(frozen=True)
class OpenCrisis:
    key: int | str
    kind: str
    last_at: datetime


@dataclass(frozen=True)
class Decision:
    joins: tuple[int | str, ...] = ()  # open crises this message joins
    opens: tuple[Signal, ...] = ()  # new crises (one alert each)


def decide(obs: Observation, recent: Sequence[Observation], rate: UsualRate, open_crises: Iterable[OpenCrisis],
           t: Thresholds) -> Decision:  # fmt: skip
    """The one rule for the pipeline, the replay and the dry run: a message relevant to a crisis still
    active (open, not quiet for `join_hours`) joins it; a signal of another kind opens a new crisis."""
    live = [c for c in open_crises if obs.at - c.last_at <= timedelta(hours=t.join_hours)]
    joins = tuple(c.key for c in live if relevant(obs, c.kind))
    covered = {c.kind for c in live}
    opens, kinds = [], set()
    for signal in evaluate(obs, recent, rate, t):
        if signal.kind not in covered and signal.kind not in kinds:
            opens.append(signal)
            kinds.add(signal.kind)
    return Decision(joins, tuple(opens))


class Simulation:
    """A stream replayed in memory (the dry run, the scenarios): the same decisions as the pipeline, no
    database. As in the pipeline, the usual rate is learnt per platform at the start of each hour."""

    def __init__(self, thresholds: Thresholds):
        self.t = thresholds
        self.recent: list[Observation] = []
        self.negatives: dict[str, list[datetime]] = {}
        self.first_at: dict[str, datetime] = {}
        self.crises: dict[int, OpenCrisis] = {}
        self.alerts: list[Signal] = []
        self._rates: dict[tuple[str, datetime], UsualRate] = {}

    def feed(self, obs: Observation) -> list[Signal]:
        self.first_at.setdefault(obs.platform, obs.at)
        self._forget(obs.at)
        decision = decide(obs, self.recent, self.rate(obs.platform, obs.at), self.crises.values(), self.t)
        for key in decision.joins:
            self.crises[key] = OpenCrisis(key, self.crises[key].kind, obs.at)
        for signal in decision.opens:
            key = len(self.alerts)
            self.crises[key] = OpenCrisis(key, signal.kind, obs.at)
            self.alerts.append(signal)
        self.recent.append(obs)
        if obs.negative:
            self.negatives.setdefault(obs.platform, []).append(obs.at)
        return list(decision.opens)

    def close(self, key: int) -> None:
        """People closed the crisis (or dismissed it): later messages no longer join it."""
        self.crises.pop(key, None)

    def _forget(self, at: datetime) -> None:
        start = at - self.t.longest_window
        if self.recent and self.recent[0].at <= start:
            self.recent = [o for o in self.recent if o.at > start]
        oldest = at - timedelta(days=self.t.learning_days + 1)
        for platform, times in self.negatives.items():
            if times and times[0] < oldest:
                self.negatives[platform] = [n for n in times if n >= oldest]

    def rate(self, platform: str, at: datetime) -> UsualRate:
        hour = at.replace(minute=0, second=0, microsecond=0)
        if (platform, hour) not in self._rates:
            if len(self._rates) > 1000:
                self._rates.clear()
            first = self.first_at.get(platform, at)
            self._rates[platform, hour] = learnt_rate(self.negatives.get(platform, []), first, hour, self.t)
        return self._rates[platform, hour]


def learnt_rate(negatives: Iterable[datetime], first_at: datetime, at: datetime, t: Thresholds) -> UsualRate:
    """The usual rate at `at`: the negative messages of the learning period, the last window left out
    (a wave does not raise its own bar)."""
    end = at - timedelta(minutes=t.page_window_minutes)
    start = max(first_at, at - timedelta(days=t.learning_days))
    weeks = max(0.0, (end - start) / timedelta(days=7))
    times = (n for n in negatives if start <= n < end)
    return UsualRate.learn(times, weeks, t.usual_rate_floor, t.new_page_rate, start=start)


# volume_surge -------------------------------------------------------------------------------------


def _surge(obs: Observation, recent: Sequence[Observation], rate: UsualRate, t: Thresholds) -> list[Signal]:
    usual = rate.per_hour(obs.at)
    post = [o for o in _within(recent, obs.at, timedelta(minutes=t.post_window_minutes)) if o.post == obs.post]
    signal = _surge_in(obs, post + [obs], usual, t.post_window_minutes, t.post_min_count, t, where="post", burst=1)
    for minutes, floor in ((t.post_window_minutes, t.page_fast_min_count), (t.page_window_minutes, t.page_min_count)):
        if signal is None:
            page = [o for o in _within(recent, obs.at, timedelta(minutes=minutes)) if o.platform == obs.platform]
            signal = _surge_in(obs, page + [obs], usual, minutes, floor, t, where="page", burst=t.page_burst)
    return [signal] if signal else []


def _surge_in(obs, window, usual, minutes, floor, t: Thresholds, *, where, burst) -> Signal | None:
    negatives = [o for o in window if o.negative]
    expected = usual * minutes / 60
    needed = needed_count(expected * burst, t.surprise, floor)
    authors = {o.author for o in negatives}
    share = len(negatives) / len(window)
    if len(negatives) < needed or len(authors) < t.min_authors or share < t.min_negative_share:
        return None
    place = "sur une même publication" if where == "post" else "sur la page"
    since = negatives[0].at
    explanation = (
        f"{len(negatives)} messages négatifs ou agressifs en {minutes} min {place} ({_platform(obs.platform)}), "
        f"de {len(authors)} auteurs, depuis {_hhmm(since)} ; habituellement {_decimal(expected)} à cette heure-ci. "
        f"Ils font {round(share * 100)} % des messages reçus."
    )
    figures = {"count": len(negatives), "expected": round(expected, 2), "needed": needed, "authors": len(authors),
               "share": round(share, 2), "window_minutes": minutes, "scope": where}  # fmt: skip
    return Signal(VOLUME_SURGE, obs.at, obs.platform, since, tuple(negatives), explanation, figures,
                  post=obs.post if where == "post" else "")  # fmt: skip


# disinformation -----------------------------------------------------------------------------------

_WORD = re.compile(r"\w{3,}")


def words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def similar(a: str, b: str, threshold: float) -> bool:
    """Two texts make the same claim: most words of the shorter one are in the other."""
    wa, wb = words(a), words(b)
    if len(wa) < 3 or len(wb) < 3:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= threshold


def _repeats_a_claim(obs, recent, t: Thresholds) -> bool:
    window = _within(recent, obs.at, timedelta(hours=t.disinfo_window_hours))
    return any(o.claim and o.author != obs.author and similar(o.text, obs.text, t.similarity)
               for o in window)  # fmt: skip


def _disinformation(obs: Observation, recent, t: Thresholds) -> list[Signal]:
    window = _within(recent, obs.at, timedelta(hours=t.disinfo_window_hours))
    claims = [o for o in window if o.claim]
    cluster = [o for o in window if o.claim
               or any(similar(c.text, o.text, t.similarity) for c in claims if c.author != o.author)]  # fmt: skip
    cluster.append(obs)
    authors = {o.author for o in cluster}
    if len(cluster) < t.disinfo_min_messages or len(authors) < t.disinfo_min_authors:
        return []
    since = cluster[0].at
    explanation = (
        f"{len(cluster)} messages de {len(authors)} auteurs relaient une fausse information sur le centre "
        f"({_platform(obs.platform)}) depuis {_hhmm(since)}, en moins de {t.disinfo_window_hours} h."
    )
    figures = {"count": len(cluster), "authors": len(authors), "window_hours": t.disinfo_window_hours}
    return [Signal(DISINFORMATION, obs.at, obs.platform, since, tuple(cluster), explanation, figures)]


def spreading_claim(obs: Observation, recent, t: Thresholds) -> Signal | None:
    """The spreading falsehood `obs` makes with the messages before it, if any (the disinformation detector alone)."""
    if not (obs.claim or _repeats_a_claim(obs, recent, t)):
        return None
    signals = _disinformation(obs, recent, t)
    return signals[0] if signals else None


def unsure_rumour(obs: Observation, recent, t: Thresholds) -> Signal | None:
    """The spreading falsehood these messages would make if the model were sure of their misinformation labels:
    no crisis, but the desk is asked to check them (a checked one makes it a crisis)."""
    if obs.label != MISINFORMATION or obs.sure:
        return None
    assumed = [replace(o, sure=True) if o.label == MISINFORMATION else o for o in recent]
    return spreading_claim(replace(obs, sure=True), assumed, t)


# staff_attack -------------------------------------------------------------------------------------


def _staff_attack(obs: Observation, recent, t: Thresholds) -> list[Signal]:
    window = _within(recent, obs.at, timedelta(hours=t.join_hours))
    earlier = [o for o in window if o.clear_attack and (not obs.staff or set(o.staff) & set(obs.staff))]
    attacks = [*earlier, obs]
    if len(attacks) < t.staff_min_attacks:
        return []
    who = ", ".join(obs.staff) or "un membre de l'équipe"
    explanation = (
        f"Attaque visant {who} ({_platform(obs.platform)}) à {_hhmm(obs.at)}"
        + (f" ; {len(attacks)} attaques contre cette personne depuis {_hhmm(attacks[0].at)}." if len(attacks) > 1
           else ".")
    )  # fmt: skip
    figures = {"count": len(attacks), "staff": list(obs.staff)}
    return [Signal(STAFF_ATTACK, obs.at, obs.platform, attacks[0].at, tuple(attacks), explanation, figures)]


# helpers ------------------------------------------------------------------------------------------


def _within(recent: Sequence[Observation], at: datetime, span: timedelta) -> list[Observation]:
    start = at - span
    return [o for o in recent if start < o.at <= at]


def _platform(platform: str) -> str:
    return PLATFORM_NAMES.get(platform, platform)


def _hhmm(at: datetime) -> str:
    return at.astimezone(PARIS).strftime("%d/%m %H h %M")


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")
