import pytest

from vigie.triage.staff import matcher_for, names_in, parse_staff


@pytest.fixture(scope="module")
def matcher():
    return matcher_for()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Le Dr Girard est arrogant", "Marc Girard"),
        ("le docteur Marc ment", "Marc Girard"),
        ("Girar est un escroc", "Marc Girard"),
        ("Mme Benalli ne répond jamais", "Nadia Benali"),
        ("NADIA BENALI", "Nadia Benali"),
        ("Nadia B. était là", "Nadia Benali"),
        ("la directrice ment", "Nadia Benali"),
        ("merci à Claire pour ses explications", "Claire Fontaine"),
        ("julien roux avec sa voix", "Julien Roux"),
        ("M. Roux", "Julien Roux"),
        ("Mme Lemoine supprime tout", "Sophie Lemoine"),
    ],
)
def test_it_finds_a_member_despite_accents_case_titles_and_typos(matcher, text, name):
    assert names_in(text, matcher) == [name]


@pytest.mark.parametrize(
    "text", ["Luc Gérard vous confondez tout", "une explication claire", "les cheveux roux", "Julien Martin a tort"]
)
def test_it_does_not_take_someone_else_for_a_member(matcher, text):
    assert names_in(text, matcher) == []


def test_it_reads_a_custom_staff_file(tmp_path):
    path = tmp_path / "equipe.txt"
    path.write_text("# équipe\nÉmilie Rousseau | la comptable\n\n", encoding="utf-8")
    custom = matcher_for(path)
    assert names_in("La comptable et Mme Rousseau", custom) == ["Émilie Rousseau"]
    assert parse_staff(path.read_text())[0].surname == "rousseau"


@pytest.mark.parametrize(
    ("text", "attack"),
    [
        ("Le Dr Girard est un escroc et un menteur, qu'il rende l'argent.", True),
        ("Nadia Benali est une imposture, une honte pour la profession.", True),
        ("Claire Fontaine est d'une incompétence crasse, qu'on la vire.", True),
        ("Merci au Dr Girard pour sa conférence passionnante !", False),
        ("Bonjour Mme Benali, les dates de mars sont-elles confirmées ?", False),
        ("Un grand merci à Claire Fontaine pour son aide sur mon dossier OPCO.", False),
    ],
)
def test_targets_staff_is_set_for_attacks_not_for_praise_or_questions(classifier, text, attack):
    assert classifier.classify(text).targets_staff is attack


def test_a_message_without_staff_never_targets_staff(classifier):
    assert not classifier.classify("Bande d'escrocs, vous êtes tous des voleurs").targets_staff


def test_the_demo_praise_is_not_an_attack_and_the_demo_attack_is_one(classifier):
    """The two sentences of issue #13, as the production model answers them. The demo's whole message is read as a
    criticism, and staff must still be targeted: a second look at mentions that cleared it was not kept
    (docs/triage.md, « L'éloge d'une personne nommée »)."""
    praise = classifier.classify("Bravo Nadia, bel engagement pour la rigueur dans nos pratiques")
    assert praise.label == "positive_neutral" and not praise.targets_staff
    attack = classifier.classify("Claire Fontaine est d'une incompétence rare… Qu'elle change de métier")
    assert attack.label == "abuse" and attack.targets_staff
    whole = classifier.classify(
        "Claire Fontaine est d'une incompétence rare, 3 mois pour un devis et des mails jamais lus. "
        "Qu'elle change de métier."
    )
    assert whole.targets_staff


def test_a_polemic_or_a_defence_naming_staff_is_not_an_attack_on_them(classifier, monkeypatch):
    """Whatever the attack regression says, a message labelled conflict (an exchange between participants)
    does not target staff: the corpus marks attacks on staff only in abusive or defamatory messages."""
    from vigie.triage import classifier as module

    text = "Vous confondez tout, le Dr Girard n'a jamais dit ça, relisez son article."
    monkeypatch.setattr(module, "NOT_STAFF_ATTACKS", frozenset({"positive_neutral"}))
    before = classifier.classify(text)
    monkeypatch.undo()
    after = classifier.classify(text)
    assert after.label == before.label == "conflict" and before.targets_staff and not after.targets_staff
