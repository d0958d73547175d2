"""The detectors, pure: observations with their true labels, no database."""

import statistics
from datetime import datetime, timedelta

import pytest

from vigie.crisis import detection, scenarios
from vigie.crisis.detection import Observation, Simulation, Thresholds

T0 = datetime.fromisoformat("2026-03-10T14:00:00+01:00")  # a Tuesday afternoon
QUIET = Thresholds(new_page_rate=Thresholds().usual_rate_floor)  # a page whose usual rate is the floor


def obs(n: int, minutes: float, label: str = "abuse", *, post: str = "p1", author: str | None = None,
        staff: bool = False, text: str = "", platform: str = "facebook", sure: bool = True) -> Observation:  # fmt: skip
    return Observation(n, f"m{n}", T0 + timedelta(minutes=minutes), platform, post, author or f"a{n}", label,
                       staff, ("Nadia Benali",) if staff else (), text, sure)  # fmt: skip


def run(observations, thresholds=None) -> list[detection.Signal]:
    simulation = Simulation(thresholds or Thresholds())
    for o in observations:
        simulation.feed(o)
    return simulation.alerts


def test_a_fast_harassment_thread_alerts_on_its_fourth_message():
    alerts = run([obs(i, i * 1.5, "abuse" if i % 2 else "conflict") for i in range(1, 8)])
    assert [a.kind for a in alerts] == ["volume_surge"]
    assert alerts[0].message_ids == ["m1", "m2", "m3", "m4"]
    assert alerts[0].at == T0 + timedelta(minutes=6)
    assert "4 messages négatifs ou agressifs en 20 min sur une même publication (Facebook)" in alerts[0].explanation


def test_one_angry_person_is_not_a_wave():
    assert run([obs(i, i, "abuse", author="same") for i in range(1, 10)]) == []


def test_a_few_negative_comments_spread_over_the_day_do_not_alert():
    assert run([obs(i, i * 50, "criticism", post=f"p{i}") for i in range(1, 12)]) == []


def test_a_page_wide_wave_alerts_across_posts():
    alerts = run([obs(i, i * 2.5, "criticism", post=f"p{i % 5}") for i in range(1, 12)], QUIET)
    assert [a.kind for a in alerts] == ["volume_surge"]
    assert alerts[0].figures == alerts[0].figures | {"scope": "page", "count": 4, "window_minutes": 20}
    unknown = run([obs(i, i * 2.5, "criticism", post=f"p{i % 5}") for i in range(1, 12)])
    assert unknown[0].figures["count"] == 5  # a page without history is assumed busier: one more is needed


def test_a_slower_wave_alerts_on_the_longer_page_window():
    alerts = run([obs(i, i * 8, "criticism", post=f"p{i % 5}") for i in range(1, 12)], QUIET)
    assert [a.kind for a in alerts] == ["volume_surge"]
    assert alerts[0].figures == alerts[0].figures | {"scope": "page", "count": 6, "window_minutes": 60}


def test_a_viral_friendly_post_with_a_few_misread_comments_does_not_alert():
    stream = [obs(i, i * 0.5, "criticism" if i % 40 == 0 else "positive_neutral", author=f"a{i}")
              for i in range(1, 400)]  # fmt: skip
    assert run(stream) == []


def test_the_usual_rate_is_learnt_by_hour_of_the_week():
    mondays_noon = [datetime.fromisoformat("2026-03-02T12:10:00+01:00") + timedelta(weeks=w, minutes=m)
                    for w in range(4) for m in range(0, 40, 5)]  # fmt: skip
    now = datetime.fromisoformat("2026-03-30T12:30:00+02:00")
    rate = detection.learnt_rate(mondays_noon, mondays_noon[0], now, Thresholds())
    assert rate.per_hour(now) > 5  # Mondays at noon are busy on this page
    assert rate.per_hour(now + timedelta(hours=12)) < 1  # nights are not


def test_one_heated_exchange_at_night_does_not_make_that_hour_busy_but_a_weekly_habit_does():
    start = datetime.fromisoformat("2026-03-02T00:00:00+01:00")  # a Monday
    daytime = [start + timedelta(days=d, hours=14, minutes=m) for d in range(21) for m in (5, 35)]
    once = [start + timedelta(days=8, hours=3, minutes=m) for m in (1, 12, 24)]  # one Tuesday, 3 a.m.
    weekly = [start + timedelta(weeks=w, days=1, hours=3, minutes=m) for w in range(3) for m in (1, 12, 24)]
    now = start + timedelta(days=22, hours=3, minutes=30)  # the fourth Tuesday, 3:30 a.m.
    one_off = detection.learnt_rate(daytime + once, start, now, Thresholds()).per_hour(now)
    habit = detection.learnt_rate(daytime + weekly, start, now, Thresholds()).per_hour(now)
    assert one_off < 0.1 and habit == 3.0


def test_a_page_used_to_busy_hours_needs_more_to_alert_then():
    usual = detection.UsualRate([20.0] * detection.HOURS_OF_WEEK, weeks=4, floor=0.3)  # 5 negative an hour
    stream = [obs(i, i * 8, "criticism", post=f"p{i % 3}") for i in range(1, 8)]
    assert detection.evaluate(stream[-1], stream[:-1], usual, Thresholds()) == []
    quiet = detection.UsualRate([], weeks=4, floor=Thresholds().usual_rate_floor)
    assert [s.kind for s in detection.evaluate(stream[-1], stream[:-1], quiet, Thresholds())] == ["volume_surge"]


def test_one_clear_attack_on_staff_alerts_at_once():
    alerts = run([obs(1, 0, "positive_neutral"), obs(2, 3, "abuse", staff=True)])
    assert [(a.kind, a.message_ids, a.at) for a in alerts] == [("staff_attack", ["m2"], T0 + timedelta(minutes=3))]
    assert "Attaque visant Nadia Benali (Facebook)" in alerts[0].explanation


def test_criticism_naming_staff_is_not_an_attack():
    assert run([obs(1, 0, "criticism", staff=True)]) == []


def test_later_attacks_join_the_open_crisis_and_say_it_is_worse():
    simulation = Simulation(Thresholds())
    simulation.feed(obs(1, 0, "abuse", staff=True))
    assert simulation.feed(obs(2, 30, "abuse", staff=True)) == []
    assert len(simulation.alerts) == 1
    rate = simulation.rate("facebook", T0)
    signal = detection.evaluate(obs(3, 60, "abuse", staff=True), list(simulation.recent), rate, Thresholds())
    assert "3 attaques contre cette personne" in signal[0].explanation


def test_a_quiet_crisis_stops_taking_messages_and_a_new_attack_alerts_again():
    alerts = run([obs(1, 0, "abuse", staff=True), obs(2, 60 * 30, "abuse", staff=True)])
    assert [a.message_ids for a in alerts] == [["m1"], ["m2"]]


def test_a_rumour_repeated_by_others_alerts_on_the_third_author():
    claim = "Ce centre est une secte, les formations ne sont reconnues par aucun organisme officiel"
    stream = [
        obs(1, 0, "misinformation", text=claim),
        obs(2, 20, "conflict", text="Exactement ! " + claim),  # a copy counts whatever its label
        obs(3, 45, "positive_neutral", text="Merci pour cette belle journée"),
        obs(4, 50, "criticism", text="Partagez : " + claim),
    ]
    alerts = run(stream)
    assert [(a.kind, a.message_ids) for a in alerts] == [("disinformation", ["m1", "m2", "m4"])]
    assert "3 messages de 3 auteurs relaient une fausse information" in alerts[0].explanation


def test_misinformation_the_model_hesitated_on_waits_for_a_person_before_alerting():
    """The same praise, read by the model as misinformation at 29 % and posted by three people, opened
    « spreading falsehood » crises in the replays; an unchecked unsure label is not a claim."""
    praise = "Une équipe au top, de l'inscription jusqu'à la remise des certificats."
    unsure = [obs(i, i * 20, "misinformation", text=praise, sure=False) for i in range(1, 4)]
    assert run(unsure) == []
    sure = [obs(i, i * 20, "misinformation", text=praise) for i in range(1, 4)]
    assert [a.kind for a in run(sure)] == ["disinformation"]


def test_a_sure_claim_repeated_by_unsure_copies_still_spreads():
    claim = "Ce centre est une secte, les formations ne sont reconnues par aucun organisme officiel"
    stream = [obs(1, 0, "misinformation", text=claim)]
    stream += [obs(i, i * 10, "misinformation", text="Partagez : " + claim, sure=False) for i in (2, 3)]
    assert [(a.kind, a.message_ids) for a in run(stream)] == [("disinformation", ["m1", "m2", "m3"])]


def test_one_person_repeating_a_claim_is_not_a_spreading_rumour():
    claim = "Ce centre est une secte, les formations ne sont reconnues par aucun organisme officiel"
    assert run([obs(i, i * 10, "misinformation", author="troll", text=claim) for i in range(5)]) == []


def test_thresholds_come_from_data_and_ignore_unknown_keys():
    t = Thresholds.from_mapping({"post_min_count": 9, "page_fast_min_count": 9, "page_min_count": 9, "nonsense": 1})
    assert t.post_min_count == 9 and t.min_authors == Thresholds().min_authors
    thread = [obs(i, i, "abuse") for i in range(1, 8)]
    assert run(thread, t) == []
    assert len(run(thread)) == 1


def test_the_poisson_tail():
    assert detection.poisson_tail(0, 2.0) == 1.0
    assert detection.poisson_tail(1, 2.0) == pytest.approx(1 - 0.1353352832, rel=1e-6)
    assert detection.needed_count(0.1, 0.001, 2) == 3


# the scenarios, on their true labels: the goals of the issue ----------------------------------------
#
# Each catalogue draws its own ordinary weeks per scenario (independent samples). Arrivals are random:
# the fourth message of a wave of 20 an hour comes after 15 minutes in one wave out of eight, whatever
# the detector, so a wave's goal is held as a share of waves (docs/crisis.md has the measured figures
# on 200 held-out catalogues); the share asked here is below what was measured, the median is not.

SEEDS = range(1, 21)
MEASURES = {}


def measured() -> dict:
    if not MEASURES:
        for seed in SEEDS:
            for scenario in scenarios.catalogue(seed):
                MEASURES.setdefault(scenario.name, []).append(
                    (scenario, scenarios.measure(scenario, scenarios.simulate(scenario)))
                )
    return MEASURES


# scenario → share of incidents alerted within their goal
WITHIN_GOAL = {"vague": 0.85, "vague_nuit": 0.75, "vague_weekend": 0.8, "harcelement": 1, "attaque": 1, "rumeur": 1}


@pytest.mark.parametrize("name", WITHIN_GOAL)
def test_each_kind_of_incident_is_alerted_within_its_goal(name):
    runs = measured()[name]
    goal = runs[0][0].incidents[0].goal_minutes
    delays = [value for _, measure in runs for value in measure.delays.values()]
    assert all(value is not None and value >= 0 for value in delays), delays
    within = sum(1 for value in delays if value <= goal) / len(delays)
    assert statistics.median(delays) <= goal and within >= WITHIN_GOAL[name], (name, sorted(delays), within)


def test_at_most_one_false_alarm_a_month_on_ordinary_pages_and_none_on_a_friendly_viral_post():
    false_alarms, days = 0, 0
    for runs in measured().values():
        for scenario, measure in runs:
            false_alarms += len(measure.false_alarms)
            days += scenario.days
            viral = {r["id"] for r in scenario.records if r["thread_id"].startswith("viral")}
            assert not [a for a in measure.false_alarms if set(a["message_ids"]) & viral], scenario.name
    assert false_alarms / days * 30 <= 0.5, (false_alarms, days)  # measured: 0.14 a month


def test_quiet_weeks_with_weekends_and_nights_raise_nothing():
    scenario = scenarios.quiet_weeks(weeks=4, seed=11)
    assert len(scenario.records) > 4 * 7 * 20  # a few dozen comments a day
    assert scenarios.simulate(scenario) == []


def test_the_usual_rate_of_an_ordinary_page_follows_its_nights_and_weekends():
    scenario = scenarios.Builder("calme", scenarios.MONDAY, 3).normal(21).scenario
    negatives = [o.at for o in scenario.observations() if o.negative]
    tuesday = scenarios.MONDAY + timedelta(days=15)
    rate = detection.learnt_rate(negatives, negatives[0], tuesday + timedelta(hours=13), Thresholds())
    night, lunch = rate.per_hour(tuesday + timedelta(hours=3)), rate.per_hour(tuesday + timedelta(hours=12))
    saturday_lunch = rate.per_hour(tuesday + timedelta(days=4, hours=12))
    assert night == Thresholds().usual_rate_floor and lunch > 10 * night  # 0.4 an hour at lunch
    assert night < saturday_lunch < lunch


def test_four_negative_messages_across_the_page_alert_at_night_and_not_at_a_busy_hour():
    def wave(start):
        return [Observation(n, f"m{n}", start + timedelta(minutes=4 * n), "facebook", f"p{n % 2}", f"a{n}", "criticism")
                for n in range(4)]  # fmt: skip

    night = datetime.fromisoformat("2026-03-18T02:00:00+01:00")
    quiet = detection.UsualRate([], weeks=4, floor=Thresholds().usual_rate_floor)
    busy = detection.UsualRate([1.8] * detection.HOURS_OF_WEEK, weeks=4, floor=0.02)  # 0.45 an hour: a lunch hour
    stream = wave(night)
    assert [s.kind for s in detection.evaluate(stream[-1], stream[:-1], quiet, Thresholds())] == ["volume_surge"]
    assert detection.evaluate(stream[-1], stream[:-1], busy, Thresholds()) == []


@pytest.mark.django_db(transaction=True)
def test_saved_settings_holding_the_old_defaults_follow_the_new_ones():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from vigie.crisis.models import CrisisSettings

    executor = MigrationExecutor(connection)
    executor.migrate([("crisis", "0002_statement_posts")])
    old = executor.loader.project_state([("crisis", "0002_statement_posts")]).apps.get_model("crisis", "CrisisSettings")
    old.objects.update_or_create(pk=1, defaults={"thresholds": {"usual_rate_floor": 0.3, "page_fast_min_count": 5,
                                                                "post_min_count": 6}})  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    values = CrisisSettings.load().values()
    assert (values.usual_rate_floor, values.page_fast_min_count, values.post_min_count) == (0.02, 4, 6)
