"""`vigie eval FILE.csv…`: per-label figures, macro-F1, toxic F1, two-class macro-F1 and balanced accuracy of
abuse against clean, with 95 % bootstrap intervals (by template where the CSV has a `template` column),
confusion matrix, targets_staff.

`--seeds N` measures instead N models fitted on N random draws of the corpus (the production seed first), so that
a change is judged beyond what the draw alone moves; `--split train --heldout` adds each draw's held-out split;
`--learn-from FILE.csv` fits each draw with that file's rows as the centre's corrections (what `vigie train` and the
nightly learning add), to measure what checked messages teach the model on other sets."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vigie.triage import corpus, evaluation
from vigie.triage.classifier import fitted_on_draw, load_classifier
from vigie.triage.management.commands.train import read_corrections
from vigie.triage.model import ModelError

HELDOUT = "partie réservée du corpus"


def draw_seeds(count: int) -> list[int]:
    """The production seed, then 1, 2, … (the draws docs/triage.md compares)."""
    return [corpus.SEED, *range(1, count)]


class Command(BaseCommand):
    help = (
        "Mesure le classement sur des CSV étiquetés (colonnes text,label et kind, platform, targets_staff, template, "
        "toxic, genre : les chiffres à deux classes par sorte de texte), avec des intervalles de confiance à 95 % "
        "(bootstrap) ; --seeds N : sur N tirages du corpus."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, metavar="FICHIER")
        parser.add_argument("--staff-file", type=Path, help="liste de l'équipe (une personne par ligne)")
        parser.add_argument(
            "--seeds", type=int, default=0, help="ajuster N modèles sur N tirages du corpus et résumer leurs chiffres"
        )
        parser.add_argument(
            "--split",
            choices=["all", "train"],
            default="all",
            help="avec --seeds : tout le corpus ou sa partie d'apprentissage",
        )
        parser.add_argument(
            "--heldout", action="store_true", help="avec --seeds --split train : mesurer aussi la partie réservée"
        )
        parser.add_argument(
            "--corpus", dest="corpus_dir", type=Path, help="avec --seeds : dossier du corpus (défaut : celui du projet)"
        )
        parser.add_argument(
            "--learn-from",
            dest="learn_from",
            type=Path,
            action="append",
            default=[],
            metavar="FICHIER",
            help="avec --seeds : apprendre aussi ce fichier (CSV ou JSONL, comme vigie train --corrections)",
        )

    def handle(self, *args, files, staff_file, seeds: int, split: str, heldout: bool, corpus_dir, learn_from,
               **options):  # fmt: skip
        if seeds < 0:
            raise CommandError("--seeds attend un nombre de tirages positif.")
        if (heldout or split != "all" or corpus_dir or learn_from) and not seeds:
            raise CommandError("--split, --heldout, --corpus et --learn-from vont avec --seeds N.")
        if set(learn_from) & set(files):
            raise CommandError("Un fichier appris (--learn-from) ne peut pas être mesuré aussi.")
        if heldout and split != "train":
            raise CommandError(
                "--heldout demande --split train : un modèle ajusté sur tout le corpus a vu sa partie réservée."
            )
        if not files and not heldout:
            raise CommandError("Indiquez au moins un fichier CSV à mesurer (ou --heldout).")
        sets = {str(path): self._rows(path) for path in files}
        learnt = [example for path in learn_from for example in read_corrections(path)]
        if seeds:
            self._across_draws(sets, draw_seeds(seeds), split, heldout, corpus_dir, staff_file, learnt)
        else:
            self._production(sets, staff_file)

    def _rows(self, path: Path) -> list[evaluation.Row]:
        try:
            rows = evaluation.read_rows(path)
        except OSError as exc:
            raise CommandError(f"Impossible de lire {path} : {exc.strerror}") from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not rows:
            raise CommandError(f"{path} ne contient aucune ligne étiquetée.")
        return rows

    def _production(self, sets: dict[str, list[evaluation.Row]], staff_file: Path | None) -> None:
        try:
            classifier = load_classifier(staff_file)
        except (ModelError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        for name, rows in sets.items():
            if len(sets) > 1:
                self.stdout.write(f"== {name}")
            self.stdout.write(f"model_version={classifier.version} rows={len(rows)}")
            for line in evaluation.evaluate(classifier, rows).lines():
                self.stdout.write(line)

    def _across_draws(self, sets, seeds: list[int], split: str, heldout: bool, corpus_dir, staff_file,
                      learnt: list) -> None:  # fmt: skip
        reports: dict[str, dict[int, evaluation.Report]] = {
            name: {} for name in [*sets, *([HELDOUT] if heldout else [])]
        }
        for seed in seeds:
            try:
                classifier = fitted_on_draw(seed, split, corpus_dir, staff_file, learnt)
            except (OSError, ValueError) as exc:
                raise CommandError(f"Ajustement impossible (graine {seed}) : {exc}") from exc
            self.stderr.write(f"graine {seed} : modèle ajusté ({split})")
            for name, rows in sets.items():
                reports[name][seed] = evaluation.evaluate(classifier, rows)
            if heldout:
                held = evaluation.corpus_rows(corpus.generate("heldout", seed=seed, directory=corpus_dir))
                reports[HELDOUT][seed] = evaluation.evaluate(classifier, held)
        self.stdout.write(f"seeds={','.join(map(str, seeds))} split={split} corpus={corpus_dir or corpus.CORPUS_DIR}"
                          f" corrections={len(learnt)}")  # fmt: skip
        for name, by_seed in reports.items():
            self.stdout.write("")
            self.stdout.write(f"== {name} ({len(next(iter(by_seed.values())).expected)} lignes)")
            for line in evaluation.across_draws(by_seed):
                self.stdout.write(line)
