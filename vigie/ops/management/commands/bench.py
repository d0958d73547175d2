"""`vigie bench NAME`: the benchmarks of DESIGN §8, one printed line per figure."""

from django.core.management.base import BaseCommand, CommandError

from vigie.ops import bench_inbox, bench_indicators
from vigie.ops.bench_crisis import run_crisis_bench
from vigie.ops.bench_planning import run_planning_bench
from vigie.ops.bench_webhooks import run_webhook_bench
from vigie.triage.bench import run_classify_bench

BENCHES = ("inbox", "classify", "webhooks", "planning", "crisis", "indicators")


class Command(BaseCommand):
    help = (
        "Mesures de performance : vigie bench classify | webhooks [--events N] | inbox [--messages N] | "
        "planning [--items N] | crisis [--seeds N] | indicators [--messages N] | all."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", choices=[*BENCHES, "all"])
        parser.add_argument(
            "--messages", type=int, default=1_000_000, help="taille de la base pour « inbox » et « indicators »"
        )
        parser.add_argument("--repeat", type=int, default=30, help="mesures par vue")
        parser.add_argument("--events", type=int, default=5000, help="livraisons signées pour « webhooks »")
        parser.add_argument("--items", type=int, default=1000, help="éléments du tableau monday.com pour « planning »")
        parser.add_argument("--concurrency", type=int, default=32, help="expéditeurs simultanés pour « webhooks »")
        parser.add_argument("--seeds", type=int, default=10, help="« crisis » : tirages de chaque scénario")
        parser.add_argument(
            "--rate", type=float, default=0, help="« webhooks » : livraisons par seconde, régulières (0 : au plus vite)"
        )

    def handle(self, *args, name: str, messages: int, repeat: int, events: int, concurrency: int, rate: float,
               items: int, seeds: int, **opts):  # fmt: skip
        if messages < 10:
            raise CommandError("--messages doit valoir au moins 10.")
        if rate < 0:
            raise CommandError("--rate ne peut pas être négatif.")

        def out(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        if name in ("classify", "all"):
            run_classify_bench(out)
        if name in ("webhooks", "all"):
            run_webhook_bench(out, events=events, concurrency=concurrency, rate=rate)
        if name in ("planning", "all"):
            run_planning_bench(out, items=items)
        if name in ("crisis", "all"):
            run_crisis_bench(out, seeds=seeds)
        if name in ("inbox", "all"):
            bench_inbox.fill(messages, out)
            bench_inbox.measure(repeat, out)
        if name in ("indicators", "all"):
            bench_indicators.fill(messages, out)
            bench_indicators.measure(repeat, out)
