import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vigie.triage import corpus, evaluation, model
from vigie.triage.classifier import Classifier, fitted_on_draw
from vigie.triage.staff import matcher_for


def run(*args, stdin: str | None = None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_classify_keeps_the_order_and_skips_bad_lines(data_dir_with_model, tmp_path):
    lines = [
        json.dumps(
            {"id": "a", "text": "Bravo pour cette belle formation !", "kind": "comment", "platform": "facebook"}
        ),
        "{pas du json",
        json.dumps({"id": "b", "text": "Gagnez 3000€ avec la crypto, WhatsApp +44 7700 900412"}),
        json.dumps({"text": "sans identifiant"}),
        json.dumps({"id": 3, "text": "Bonjour, quel est le prix ?", "kind": "private_message"}),
    ]
    path = tmp_path / "messages.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = run("classify", str(path))
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in results] == ["a", "b", 3]
    assert set(results[0]) == {"id", "label", "confidence", "targets_staff", "actions", "priority"}
    assert results[1]["label"] == "spam" and results[2]["priority"] == "high"
    assert "ligne 2 : JSON illisible" in err and "ligne 4 : champ manquant : id" in err


def test_classify_reads_stdin_and_can_add_signals(data_dir_with_model, monkeypatch):
    stdin = json.dumps({"id": "x", "text": "Appelez le 06 39 98 41 07"}) + "\n"
    out, _ = run("classify", "-", "--signals", stdin=stdin, monkeypatch=monkeypatch)
    result = json.loads(out)
    assert "numéro de téléphone" in result["signals"] and result["model_version"]
    assert 0 <= result["toxicity"] <= 1


def test_eval_prints_figures_per_label_and_the_confusion_matrix(data_dir_with_model, tmp_path):
    path = tmp_path / "eval.csv"
    path.write_text(
        "text,label,kind,platform,targets_staff\n"
        "Merci pour tout !,positive_neutral,comment,facebook,false\n"
        '"Le Dr Girard est un escroc, un menteur",abuse,comment,facebook,true\n'
        "C'est combien ?,question,comment,facebook,\n",
        encoding="utf-8",
    )
    out, _ = run("eval", str(path))
    assert out.splitlines()[1].split() == ["label", "precision", "recall", "f1", "n"]
    assert "macro_f1=" in out and "confusion" in out and "targets_staff_accuracy=" in out
    figures = next(line for line in out.splitlines() if line.startswith("toxic_f1="))
    assert "two_class_macro_f1=" in figures and "balanced_accuracy=" in figures and figures.count("[") == 3
    assert "(n=2)" in out  # targets_staff judged on the rows that have it
    assert "targets_staff_false_alarms: staff_false_alarms=" in out and "(n=1 not attacks)" in out
    assert "targets_staff_false_alarms_on_praise: praise_false_alarms=" in out and "(n=1 positive or neutral)" in out


def test_eval_rejects_an_unknown_label(data_dir_with_model, tmp_path):
    path = tmp_path / "eval.csv"
    path.write_text("text,label\nSalut,bonjour\n", encoding="utf-8")
    with pytest.raises(CommandError, match="label inconnu"):
        run("eval", str(path))


def test_eval_measures_several_files_one_after_the_other(data_dir_with_model, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("text,label\nMerci pour tout !,positive_neutral\n", encoding="utf-8")
    second.write_text("text,label\nC'est combien ?,question\nBande d'abrutis,abuse\n", encoding="utf-8")
    out, _ = run("eval", str(first), str(second))
    assert f"== {first}" in out and f"== {second}" in out
    assert "rows=1" in out and "rows=2" in out and out.count("confusion") == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["--heldout", "--seeds", "2"], "--heldout demande --split train"),
        (["--split", "train"], "vont avec --seeds"),
        (["--seeds", "2"], "au moins un fichier"),
        (["--seeds", "-1", "x.csv"], "nombre de tirages positif"),
        (["--learn-from", "x.csv", "y.csv"], "vont avec --seeds"),
        (["--seeds", "2", "--learn-from", "x.csv", "x.csv"], "ne peut pas être mesuré aussi"),
    ],
)
def test_eval_across_draws_refuses_what_would_mislead(args, message):
    with pytest.raises(CommandError, match=message):
        run("eval", *args)


def test_eval_across_draws_gives_each_draws_figures_their_mean_and_range(tmp_path, tiny_corpus):
    """Each column is the figure of a model fitted on that draw of the corpus; the held-out split is the draw's own."""
    corpus_dir = tiny_corpus(lines=5)
    path = tmp_path / "eval.csv"
    path.write_text(  # « Bof bof »: criticism for the production draw's model, positive for the other one
        "text,label\nMerci bravo à toute l'équipe,positive_neutral\nBof bof,criticism\nBande de connards,abuse\n"
        "Ce centre est une arnaque,misinformation\n",
        encoding="utf-8",
    )
    out, err = run("eval", str(path), "--seeds", "2", "--split", "train", "--heldout", "--corpus", str(corpus_dir))
    assert out.startswith(f"seeds={corpus.SEED},1 split=train") and "graine 1 : modèle ajusté" in err
    assert f"== {path} (4 lignes)" in out and "== partie réservée du corpus (" in out
    section = out.split(f"== {path}")[1].split("==")[0]
    macro = next(line.split() for line in section.splitlines() if line.startswith("macro_f1"))
    rows = evaluation.read_rows(path)
    expected = [
        evaluation.evaluate(fitted_on_draw(seed, "train", corpus_dir), rows).macro_f1() for seed in (corpus.SEED, 1)
    ]
    assert expected[0] != expected[1]
    assert [float(value) for value in macro[-2:]] == pytest.approx(expected, abs=5e-4)
    assert float(macro[1]) == pytest.approx(sum(expected) / 2, abs=1e-3)
    assert macro[2] == f"{min(expected):.3f}–{max(expected):.3f}"


def test_eval_across_draws_can_learn_a_file_as_the_centres_corrections(tmp_path, tiny_corpus):
    """What checked messages teach: each draw is fitted with the file's rows added, as `vigie train` adds them."""
    corpus_dir = tiny_corpus()
    text = "Le parking est au sous-sol du bâtiment"
    before = fitted_on_draw(corpus.SEED, "all", corpus_dir).classify(text).label
    taught = "criticism" if before != "criticism" else "question"
    learnt, measured = tmp_path / "learnt.csv", tmp_path / "measured.csv"
    learnt.write_text(f"text,label\n{text},{taught}\n", encoding="utf-8")
    measured.write_text(f"text,label\n{text} !,{taught}\n", encoding="utf-8")

    def macro_f1(*extra) -> float:
        out, _ = run("eval", str(measured), "--seeds", "1", "--corpus", str(corpus_dir), *extra)
        return float(next(line.split()[1] for line in out.splitlines() if line.startswith("macro_f1")))

    assert "corrections=1" in run("eval", str(measured), "--seeds", "1", "--corpus", str(corpus_dir),
                                  "--learn-from", str(learnt))[0]  # fmt: skip
    assert macro_f1() == 0.0 and macro_f1("--learn-from", str(learnt)) == 1.0


def _trained(tmp_path, name, corpus_dir, corrections=None):
    model_dir = tmp_path / name
    args = ["train", "--corpus", str(corpus_dir), "--model-dir", str(model_dir), "--no-database"]
    out, _ = run(*args, *(["--corrections", str(corrections)] if corrections else []))
    (path,) = model_dir.glob("classifier-*.npz")
    return out, Classifier(model.load(path), matcher_for())


def test_train_learns_the_moderators_corrections(tmp_path, tiny_corpus):
    """Two models fitted from different data (with and without a correction) disagree on its text."""
    corpus_dir = tiny_corpus()
    text = "Le parking est au sous-sol du bâtiment"
    _, before = _trained(tmp_path, "before", corpus_dir)
    corrected_label = "criticism" if before.classify(text).label != "criticism" else "question"
    corrections = tmp_path / "corrections.csv"
    corrections.write_text(f"text,label\n{text},{corrected_label}\n", encoding="utf-8")
    out, after = _trained(tmp_path, "after", corpus_dir, corrections)
    assert "corrections=1" in out and "model_version=" in out
    assert (tmp_path / "after" / "current.txt").exists()
    assert after.version != before.version
    assert before.classify(text).label != corrected_label == after.classify(text).label
