"""Splitting the FTR tweets (ftr.py) into a frozen evaluation set and training text."""

import csv

from vigie.triage import corpus, evaluation, ftr

DATASET = (
    'id,tweet,label\r\n'
    '0,Elle ne devait pas dégager la zorglubarde ??? https://t.co/x,1\r\n'
    '1,"""Je lis des choses sur le match de samedi...\n",0\r\n'
    '2,"Je lis des choses sur le match de samedi...",0\r\n'
    '3,"un texte coupé au milieu d\'un mot l\xc3",0\r\n'
    '4,pas d\'accord,0\r\n'
    '5,pas d\'accord,1\r\n'
    '6,"""""",0\r\n'
    '7,putain ce concert était trop bien,0\r\n'
)  # fmt: skip


def test_tweets_are_read_trimmed_once_each_and_a_text_labelled_both_ways_is_dropped(tmp_path):
    path = tmp_path / "ftr.csv"
    path.write_bytes(DATASET.encode("utf-8").replace(b"l\xc3\x83", b"l\xc3"))
    assert ftr.read(path) == [
        ("Elle ne devait pas dégager la zorglubarde ??? https://t.co/x", True),
        ("Je lis des choses sur le match de samedi...", False),
        ("un texte coupé au milieu d'un mot l", False),
        ("putain ce concert était trop bien", False),
    ]


def test_the_split_depends_on_the_text_alone_and_keeps_about_thirty_per_cent_for_evaluation():
    firsts = "bravo merci dommage fin but début arbitre public coach score".split()
    seconds = "à aux pour après avant de vers sans contre par malgré selon chez dès entre hors outre parmi sous sur"
    texts = [f"{first} {second} du match" for first in firsts for second in seconds.split()]
    texts += [f"{text} hier soir" for text in texts] + [f"{text} ce midi" for text in texts]
    share = sum(ftr.in_evaluation(text) for text in texts) / len(texts)
    assert 0.2 <= share <= 0.4
    assert ftr.in_evaluation("Arbitre à la Fête du match") == ftr.in_evaluation("arbitre a la fete du match")


def test_a_clean_tweet_with_a_swear_word_is_not_taught_and_near_copies_leave_the_evaluation(monkeypatch):
    tweets = [("putain ce concert était trop bien", False), ("tous ces zorglubards dehors", True)]
    tweets += [("une soirée tranquille au bord du lac", False), ("une soirée tranquille au bord du lac !", True)]
    in_evaluation = {"une soirée tranquille au bord du lac !"}
    monkeypatch.setattr(ftr, "in_evaluation", lambda text: text in in_evaluation)
    evaluated, training = ftr.split(tweets, other_training=[])
    assert evaluated == []  # a near copy of a training tweet
    assert training == [("tous ces zorglubards dehors", True), ("une soirée tranquille au bord du lac", False)]


def test_the_evaluation_file_is_read_by_vigie_eval_and_the_training_part_as_web_comments(tmp_path):
    ftr.write_evaluation([("tous ces zorglubards dehors", True), ("bonne soirée", False)], tmp_path / "eval.csv")
    rows = evaluation.read_rows(tmp_path / "eval.csv")
    assert [(row.text, row.label, row.toxic) for row in rows] == [
        ("tous ces zorglubards dehors", "abuse", True), ("bonne soirée", "positive_neutral", False),
    ]  # fmt: skip
    (tmp_path / "web").mkdir()
    ftr.write_training([("tous ces zorglubards dehors", True)], tmp_path / "web" / "ftr.csv")
    assert [(e.text, e.label) for e in corpus.web_examples(tmp_path)] == [("tous ces zorglubards dehors", "abuse")]


def test_the_projects_evaluation_set_holds_real_tweets_of_both_kinds():
    with ftr.EVALUATION_FILE.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 832 and sum(row["toxic"] == "1" for row in rows) == 276
    assert {row["genre"] for row in rows} == {"tweet"}
