"""Quality bars of the classifier, measured on data it was not fitted on (a real assertion)."""

from pathlib import Path

from vigie.triage import corpus, evaluation

REALISTIC = Path(__file__).resolve().parents[1] / "data" / "eval" / "realistic.csv"


def test_held_out_templates_reach_the_macro_f1_bar(train_split_classifier):
    rows = [evaluation.Row(e.text, e.label, e.kind, e.platform, e.targets_staff) for e in corpus.generate("heldout")]
    report = evaluation.evaluate(train_split_classifier, rows)
    assert report.macro_f1() >= 0.85, "\n".join(report.lines())


def test_hand_written_realistic_messages_reach_the_macro_f1_bar(train_split_classifier):
    rows = evaluation.read_rows(REALISTIC)
    assert len(rows) >= 300
    report = evaluation.evaluate(train_split_classifier, rows)
    assert report.macro_f1() >= 0.85, "\n".join(report.lines())
    assert report.attack_found / report.attack_rows >= 0.9, "\n".join(report.lines())


def test_the_held_out_split_shares_no_line_with_the_training_split():
    for label in corpus.LABELS:
        lines = corpus.read_lines(corpus.CORPUS_DIR / f"{label}.txt")
        train, heldout = corpus.split_items(lines, "train"), corpus.split_items(lines, "heldout")
        assert heldout and not set(train) & set(heldout)
