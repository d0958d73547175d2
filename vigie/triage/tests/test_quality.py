"""Quality bars of the classifier, measured on data it was not fitted on (a real assertion)."""

from pathlib import Path

from vigie.triage import corpus, evaluation

REALISTIC = Path(__file__).resolve().parents[1] / "data" / "eval" / "realistic.csv"
TOXIC_GENERIC = REALISTIC.with_name("toxic_generic.csv")


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


def test_toxic_comments_off_the_centres_topics_are_found(train_split_classifier):
    """News, sport and politics comments (none about the centre): toxic = any inappropriate label."""
    report = evaluation.evaluate(train_split_classifier, evaluation.read_rows(TOXIC_GENERIC))
    precision, recall, f1 = report.toxic()
    assert f1 >= 0.85 and recall >= 0.9, "\n".join(report.lines())


def test_the_toxic_figure_counts_the_four_inappropriate_labels_against_the_rest():
    report = evaluation.Report()
    pairs = [("abuse", "conflict"), ("spam", "question"), ("criticism", "abuse"), ("question", "question")]
    for expected, predicted in pairs:
        report.add(expected, predicted)
    assert report.toxic() == (0.5, 0.5, 0.5)
