import pytest

from vigie.triage.classifier import Classification, load_classifier, model_path
from vigie.triage.model import LABELS, version


def test_it_builds_the_model_when_missing(model_dir, classifier):
    assert model_path(model_dir, version()).exists()
    assert classifier.classify("Merci !").model_version == version()


def test_loading_an_existing_model_is_fast_and_gives_the_same_answers(model_dir, classifier):
    again = load_classifier(model_dir=model_dir)
    text = "Bonjour, quel est le prix du cycle hypnose à Lyon ?"
    assert again.classify(text) == classifier.classify(text)


def test_it_is_deterministic(classifier):
    texts = ["c koi le prix stp", "Bande d'escrocs", "Super formation 👏 crypto WhatsApp +44 7700 900412"]
    assert classifier.classify_many(texts) == classifier.classify_many(texts)


def test_classify_many_gives_what_classify_gives(classifier):
    items = [
        {"text": "LE LIEN MARCHE PAS", "kind": "comment"},
        ("Bonjour, remboursement ?", "private_message", "facebook"),
    ]
    assert classifier.classify_many(items) == [classifier.classify(items[0]["text"]), classifier.classify(*items[1])]


def test_a_result_carries_everything_the_contract_needs(classifier):
    result = classifier.classify("Ferme ta gueule sale con, je sais où tu habites", "comment", "facebook")
    assert isinstance(result, Classification) and result.label in LABELS and 0 <= result.confidence <= 1
    assert result.label == "abuse" and result.priority == "urgent" and "report_platform" in result.actions
    assert "menace" in result.signals and result.model_version


@pytest.mark.parametrize(
    ("text", "kind", "label"),
    [
        ("Bravo à toute l'équipe, formation géniale 😍", "comment", "positive_neutral"),
        ("Bonjour, la formation PNL est-elle finançable par mon CPF ?", "comment", "question"),
        ("Bonjour, je suis RQTH et j'aurais besoin d'un tiers-temps pour l'examen final.", "private_message",
         "complex_request"),
        ("Gagnez 3000€/semaine avec le trading crypto, WhatsApp +44 7700 900412", "comment", "spam"),
        ("Ce centre a été condamné pour escroquerie, c'est une secte.", "comment", "misinformation"),
        ("t'es qu'un connard fdp", "comment", "abuse"),
    ],
)  # fmt: skip
def test_it_labels_obvious_messages(classifier, text, kind, label):
    assert classifier.classify(text, kind).label == label


def test_a_private_question_is_answered_within_24_hours(classifier):
    result = classifier.classify("Bonjour, quel est le tarif de la formation PNL ?", "private_message")
    assert (result.label, result.priority, result.actions) == ("question", "high", ["reply_template"])
