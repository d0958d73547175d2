"""Replay scenarios: a training centre's page over weeks, with or without a crisis, as message JSONL.

A normal page gets a few dozen comments a day: few at night, more at lunch and in the evening, less
at weekends; some posts draw a heated but ordinary exchange. Incidents are added on top: a negative
wave, a fast harassment thread, an attack on staff, a spreading rumour, and a viral friendly post
(which must not alert). Texts come from the classifier's held-out realistic set, so that the real
classifier (not the scenario) decides each label in `vigie replay`.

Each scenario knows its incidents (start time, the ids of their messages): `measure` turns the alerts
of a replay into detection delays and false alarms.
"""

import csv
import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from vigie.crisis import detection

PARIS = ZoneInfo("Europe/Paris")
REALISTIC = Path(__file__).resolve().parents[1] / "triage" / "data" / "eval" / "realistic.csv"
# comments an hour by hour of the day (Paris), on a weekday: ~30 a day
HOURLY = [0.1, 0.05, 0.02, 0.02, 0.02, 0.1, 0.4, 1.0, 1.6, 1.8, 1.6, 1.8, 2.4, 2.4, 1.8, 1.5, 1.5, 1.6,
          1.8, 2.2, 2.4, 2.0, 1.2, 0.5]  # fmt: skip
WEEKEND = 0.6
# what an ordinary day brings (criticism, conflict and abuse are the "negative" ones)
MIX = {"positive_neutral": 0.5, "question": 0.22, "criticism": 0.11, "conflict": 0.05, "abuse": 0.02,
       "spam": 0.06, "misinformation": 0.01, "complex_request": 0.03}  # fmt: skip


@dataclass
class Incident:
    name: str
    signal: str  # the alert expected
    start: datetime
    ids: set[str] = field(default_factory=set)
    goal_minutes: int = 15


@dataclass
class Scenario:
    name: str
    records: list[dict] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    days: float = 0

    def jsonl(self) -> str:
        import json

        ordered = sorted(self.records, key=lambda r: r["created_at"])
        public = ({k: v for k, v in r.items() if not k.startswith("_")} for r in ordered)
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in public)

    def observations(self) -> Iterator[detection.Observation]:
        """The stream as detection sees it when the labels are right (the pure tests)."""
        for r in sorted(self.records, key=lambda r: r["created_at"]):
            yield detection.Observation(
                key=r["id"], external_id=r["id"], at=datetime.fromisoformat(r["created_at"]),
                platform=r["platform"], post=r["thread_id"], author=r["author"]["id"], label=r["_label"],
                targets_staff=r["_staff"], staff=("Nadia Benali",) if r["_staff"] else (), text=r["text"],
            )  # fmt: skip


class Texts:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.by_label: dict[str, list[str]] = {}
        self.staff: list[str] = []
        with REALISTIC.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["kind"] != "comment":
                    continue
                if row["targets_staff"] == "true":
                    self.staff.append(row["text"])
                else:
                    self.by_label.setdefault(row["label"], []).append(row["text"])

    def pick(self, label: str) -> str:
        return self.rng.choice(self.by_label[label])

    def label(self) -> str:
        return self.rng.choices(list(MIX), weights=list(MIX.values()))[0]


class Builder:
    def __init__(self, name: str, start: datetime, seed: int = 1):
        self.rng = random.Random(seed)
        self.texts = Texts(self.rng)
        self.scenario = Scenario(name)
        self.start = start
        self.n = 0
        self.posts: list[tuple[datetime, str]] = []

    def comment(self, at: datetime, label: str, *, post: str | None = None, author: str | None = None,
                text: str | None = None, staff: bool = False, platform: str = "facebook") -> dict:  # fmt: skip
        self.n += 1
        author = author or f"u{self.rng.randrange(100_000)}"
        record = {
            "platform": platform, "kind": "comment", "id": f"{self.scenario.name}_{self.n}",
            "thread_id": post or self.post_at(at), "parent_id": None,
            "author": {"id": author, "name": f"Personne {author}"},
            "text": text or self.texts.pick(label), "created_at": at.astimezone(PARIS).isoformat(),
            "_label": label, "_staff": staff,
        }  # fmt: skip
        self.scenario.records.append(record)
        return record

    def post_at(self, at: datetime) -> str:
        """Comments go to the posts of the last days, the newest most."""
        while not self.posts or at - self.posts[-1][0] > timedelta(days=2):
            published = self.posts[-1][0] + timedelta(days=2) if self.posts else at - timedelta(hours=1)
            self.posts.append((published, f"post{len(self.posts) + 1}"))
        recent = [p for published, p in self.posts[-3:]]
        return self.rng.choices(recent, weights=[1, 2, 4][-len(recent) :])[0]

    def normal(self, days: float, *, heated_per_week: int = 2) -> "Builder":
        """Ordinary weeks: Poisson arrivals by hour, quieter nights and weekends, a few heated exchanges."""
        hour = self.start.astimezone(PARIS).replace(minute=0, second=0, microsecond=0)
        end = self.start + timedelta(days=days)
        while hour < end:
            rate = HOURLY[hour.hour] * (WEEKEND if hour.weekday() >= 5 else 1)
            for _ in range(self._poisson(rate)):
                self.comment(hour + timedelta(seconds=self.rng.randrange(3600)), self.texts.label())
            hour += timedelta(hours=1)
        for _ in range(round(heated_per_week * days / 7)):
            self.heated(self.start + timedelta(days=self.rng.uniform(0, days)))
        self.scenario.days = max(self.scenario.days, days)
        return self

    def heated(self, at: datetime) -> None:
        """An ordinary disagreement: three critical or polemical comments within the hour on one post."""
        post = self.post_at(at)
        for i in range(3):
            label = self.rng.choice(["criticism", "conflict"])
            self.comment(at + timedelta(minutes=12 * i + self.rng.randrange(10)), label, post=post)

    def _poisson(self, mean: float) -> int:
        count, threshold, product = 0, pow(2.718281828, -mean), self.rng.random()
        while product > threshold:
            count += 1
            product *= self.rng.random()
        return count

    def incident(self, name: str, signal: str, start: datetime, goal: int) -> Incident:
        incident = Incident(name, signal, start, goal_minutes=goal)
        self.scenario.incidents.append(incident)
        return incident

    def wave(self, start: datetime, *, hours: float = 3, per_hour: float = 20, posts: int = 2) -> "Builder":
        """A negative wave (a bad news, a badly received post): criticism, conflict and abuse across posts."""
        incident = self.incident("vague négative", detection.VOLUME_SURGE, start, 15)
        targets = [f"wave{start:%m%d%H}_{i}" for i in range(posts)]
        at = start
        while at < start + timedelta(hours=hours):
            label = self.rng.choices(["criticism", "conflict", "abuse"], weights=[5, 4, 1])[0]
            incident.ids.add(self.comment(at, label, post=self.rng.choice(targets))["id"])
            at += timedelta(minutes=self.rng.expovariate(per_hour / 60))
        return self

    def harassment(self, start: datetime, *, count: int = 12, minutes: int = 10) -> "Builder":
        """A fast harassment thread: many aggressive comments on one post within minutes."""
        incident = self.incident("fil de harcèlement", detection.VOLUME_SURGE, start, 5)
        post = f"harass{start:%m%d%H}"
        for i in range(count):
            at = start + timedelta(seconds=i * minutes * 60 / count + self.rng.randrange(20))
            label = self.rng.choice(["abuse", "conflict"])
            incident.ids.add(self.comment(at, label, post=post, author=f"h{i % 8}")["id"])
        return self

    def staff_attack(self, start: datetime, *, repeats: int = 0) -> "Builder":
        incident = self.incident("attaque contre l'équipe", detection.STAFF_ATTACK, start, 5)
        for i in range(1 + repeats):
            text = self.rng.choice(self.texts.staff)
            at = start + timedelta(minutes=40 * i)
            incident.ids.add(self.comment(at, "abuse", text=text, staff=True)["id"])
        return self

    def rumour(self, start: datetime, *, copies: int = 5, minutes_apart: int = 20) -> "Builder":
        """A false claim posted, then taken up by others, some in their own words."""
        incident = self.incident("rumeur", detection.DISINFORMATION, start, 60)
        claim = self.texts.pick("misinformation")
        post = self.post_at(start)
        incident.ids.add(self.comment(start, "misinformation", post=post, text=claim)["id"])
        for i in range(copies):
            at = start + timedelta(minutes=minutes_apart * (i + 1) + self.rng.randrange(5))
            text = claim if i % 2 else self.texts.pick("misinformation")
            prefix = self.rng.choice(["", "C'est vrai : ", "Partagez ! "])
            incident.ids.add(self.comment(at, "misinformation", post=post, text=prefix + text)["id"])
        return self

    def viral_friendly(self, start: datetime, *, count: int = 300, hours: float = 3) -> "Builder":
        """A post everyone loves: hundreds of kind comments, a few of them misread. No alert expected."""
        post = f"viral{start:%m%d}"
        for i in range(count):
            at = start + timedelta(seconds=i * hours * 3600 / count)
            self.comment(at, "positive_neutral" if self.rng.random() > 0.02 else "criticism", post=post)
        return self


DISMISSED_AFTER = timedelta(hours=2)


@dataclass
class Measure:
    delays: dict[str, float | None]  # incident name → minutes from its start to its alert (None: missed)
    false_alarms: list[dict]
    alerts: int

    def missed(self) -> list[str]:
        return [name for name, delay in self.delays.items() if delay is None]


def measure(scenario: Scenario, alerts: list[dict]) -> Measure:
    """Each incident's first alert naming one of its messages, and the alerts that name none."""
    delays: dict[str, float | None] = {}
    explained = set()
    for incident in scenario.incidents:
        key = f"{incident.name} {incident.start:%d/%m %H:%M}"
        hits = [i for i, a in enumerate(alerts) if set(a["message_ids"]) & incident.ids]
        explained.update(hits)
        first = min((datetime.fromisoformat(alerts[i]["at"]) for i in hits), default=None)
        delays[key] = None if first is None else (first - incident.start) / timedelta(minutes=1)
    false = [a for i, a in enumerate(alerts) if i not in explained]
    return Measure(delays, false, len(alerts))


def alert_line(signal: detection.Signal) -> dict:
    """The replay contract's line for a signal (DESIGN §6)."""
    return {"type": "crisis_alert", "at": signal.at.isoformat(), "signal": signal.kind,
            "platform": signal.platform, "message_ids": signal.message_ids}  # fmt: skip


def simulate(scenario: Scenario, thresholds: detection.Thresholds | None = None, *,
             dismissed_after: timedelta | None = DISMISSED_AFTER) -> list[dict]:  # fmt: skip
    """The alerts of the pure detectors on the scenario's true labels.

    The desk is part of the loop: an alert that names none of the incidents' messages is dismissed as
    a false alarm `dismissed_after` it fired (otherwise an open surge crisis on an ordinary page would
    take every later negative message, and a real wave days later would only join it)."""
    simulation = detection.Simulation(thresholds or detection.Thresholds())
    real = set().union(*(incident.ids for incident in scenario.incidents))
    dismissals: list[tuple[datetime, int]] = []
    lines = []
    for obs in scenario.observations():
        while dismissals and dismissals[0][0] <= obs.at:
            simulation.close(dismissals.pop(0)[1])
        for signal in simulation.feed(obs):
            lines.append(alert_line(signal))
            if dismissed_after is not None and not set(signal.message_ids) & real:
                dismissals.append((signal.at + dismissed_after, len(simulation.alerts) - 1))
    return lines


MONDAY = datetime(2026, 3, 2, 0, 0, tzinfo=PARIS)


def quiet_weeks(weeks: int = 4, seed: int = 1) -> Scenario:
    return Builder("calme", MONDAY, seed).normal(7 * weeks).scenario


def seed_of(name: str, seed: int) -> int:
    """Each scenario of a catalogue draws its own ordinary weeks: the scenarios of one seed are
    independent samples, not the same weeks with another incident on top."""
    return zlib.crc32(f"{name}/{seed}".encode())


def catalogue(seed: int = 1) -> list[Scenario]:
    """The scenarios of the tests and of `vigie bench crisis`: each on three weeks of an ordinary page."""
    d = lambda days, hour, minute=0: MONDAY + timedelta(days=days, hours=hour, minutes=minute)  # noqa: E731
    b = lambda name: Builder(name, MONDAY, seed_of(name, seed))  # noqa: E731
    return [
        b("calme").normal(28).scenario,
        b("vague").normal(21).wave(d(15, 14, 7), per_hour=30).scenario,
        b("vague_nuit").normal(21).wave(d(16, 1, 30), per_hour=20, hours=2).scenario,
        b("vague_weekend").normal(21).wave(d(19, 10, 15), per_hour=24).scenario,
        b("harcelement").normal(21).harassment(d(17, 20, 41)).scenario,
        b("attaque").normal(21).staff_attack(d(16, 22, 5), repeats=2).scenario,
        b("rumeur").normal(21).rumour(d(18, 9, 20)).scenario,
        b("viral").normal(21).viral_friendly(d(15, 18, 0)).scenario,
    ]
