import pytest

from vigie.triage import signals
from vigie.triage.normalize import normalize


def fired(text: str, **kwargs) -> list[str]:
    return signals.detect(text, normalize(text), **kwargs)


def test_it_flags_a_phone_number_as_a_signal():
    assert "phone" in fired("Écrivez-moi au 06 39 98 41 07")


def test_it_flags_an_external_link_and_a_messaging_app():
    keys = fired("Infos sur WhatsApp ou ici 👉 bit.ly/crypto-liberte")
    assert {"url", "messaging"} <= set(keys)


@pytest.mark.parametrize("text", ["ftg sale batard", "t'es qu'un connard", "fdp va", "Qualiopi mon c**"])
def test_it_flags_insults_even_in_sms_spelling(text):
    assert {"insult", "masked_swear"} & set(fired(text))


def test_it_flags_threats_and_discrimination():
    assert "threat" in fired("je sais où tu habites, je vais te retrouver")
    assert "discrimination" in fired("Rentrez chez vous, sale arabe")


def test_it_flags_capitals_and_insistent_punctuation():
    assert {"caps", "insistent"} <= set(fired("C'EST DU VOL CE TARIF !!!"))


def test_a_polite_question_raises_no_alarm():
    keys = set(fired("Bonjour, quel est le tarif de la formation PNL ?"))
    assert "question" in keys and not keys & {"insult", "threat", "url", "phone", "spam_words"}


def test_descriptions_are_french_and_name_the_staff():
    lines = signals.describe(["phone", "staff"], ["Marc Girard"])
    assert lines == ["numéro de téléphone", "nom d'un membre de l'équipe : Marc Girard"]
