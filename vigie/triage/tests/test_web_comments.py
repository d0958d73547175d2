"""The corpus's web comments (data/corpus/web/*.csv): toxic or clean only, they teach the toxicity regression."""

import csv

import pytest

from vigie.triage import corpus, model
from vigie.triage.classifier import training_examples
from vigie.triage.staff import matcher_for


def write_web_lot(corpus_dir, rows):
    (corpus_dir / "web").mkdir()
    with open(corpus_dir / "web" / "lot.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["text", "toxic"])
        writer.writerows(rows)


def test_web_comments_are_read_as_toxic_or_clean_examples_of_the_toxicity_alone(tiny_corpus):
    corpus_dir = tiny_corpus()
    write_web_lot(corpus_dir, [["t'es qu'un gros zorglubard", 1], ["ce match de malade, putain", 0]])
    examples = corpus.web_examples(corpus_dir)
    assert [(e.text, e.label, e.toxicity_only, e.template) for e in examples] == [
        ("t'es qu'un gros zorglubard", "abuse", True, "web:lot:2"),
        ("ce match de malade, putain", "positive_neutral", True, "web:lot:3"),
    ]
    assert examples[0] in training_examples(corpus_dir)


@pytest.mark.parametrize(
    "content, error",
    [
        ("texte,toxique\nsale con,1\n", "doit avoir les colonnes text,toxic"),
        ("text,toxic\nsale con,oui\n", "ligne 2 : un texte et toxic à 0 ou 1 sont attendus"),
        ("text,toxic\nbonjour,0\n,1\n", "ligne 3 : un texte et toxic à 0 ou 1 sont attendus"),
    ],
)
def test_a_malformed_web_lot_is_refused_with_its_file_and_line(tiny_corpus, content, error):
    corpus_dir = tiny_corpus()
    (corpus_dir / "web").mkdir()
    (corpus_dir / "web" / "lot.csv").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        corpus.web_examples(corpus_dir)


def test_a_changed_web_comment_changes_the_models_version(tiny_corpus):
    corpus_dir = tiny_corpus()
    write_web_lot(corpus_dir, [["t'es qu'un gros zorglubard", 1]])
    before = model.version(corpus_dir)
    lot = corpus_dir / "web" / "lot.csv"
    lot.write_text(lot.read_text(encoding="utf-8").replace("gros", "petit"), encoding="utf-8")
    assert model.version(corpus_dir) != before


def test_a_word_only_the_web_comments_use_weighs_on_the_toxicity_and_on_no_label(tiny_corpus):
    """The label and attack regressions never see the web comments: their weights for its words stay zero."""
    corpus_dir = tiny_corpus(lines=5)
    write_web_lot(
        corpus_dir,
        [[f"{start} zorglubard", 1] for start in ("t'es qu'un", "quel", "espèce de", "sale")]
        + [[text, 0] for text in ("vivement samedi", "bonne soirée à tous", "on se voit au match", "trop bien")],
    )
    fitted = model.fit(training_examples(corpus_dir), matcher_for(), "web-test")
    columns = [i for gram, i in fitted.vocabulary.items() if "zorglub" in gram]
    assert columns
    assert not fitted.weights[columns, : model.ATTACK].any() and not fitted.weights[columns, model.ATTACK].any()
    assert fitted.weights[columns, model.TOXIC].sum() > 0


def test_the_projects_web_lots_are_labelled_toxic_or_clean_once_each():
    paths = corpus.web_sources()
    assert paths
    for path in paths:
        with path.open(encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            assert reader.fieldnames == ["text", "toxic"], path
            rows = list(reader)
        assert {row["toxic"] for row in rows} == {"0", "1"}, path
        assert len({row["text"] for row in rows}) == len(rows), path
        assert 0.4 <= sum(row["toxic"] == "1" for row in rows) / len(rows) <= 0.6, path
