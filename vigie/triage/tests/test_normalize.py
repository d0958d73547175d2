from vigie.triage.normalize import fold, normalize


def test_it_strips_accents_and_case_but_keeps_emojis():
    assert fold("Ça À Été Œuvre 😊") == "ca a ete oeuvre 😊"


def test_it_replaces_links_phones_and_emails_by_tokens():
    text = normalize("WhatsApp +44 7700 900412, 06 39 98 41 07, jean.d@gmail.com, bit.ly/crypto et https://x.fr/a")
    assert text.count("phonetoken") == 2 and "emailtoken" in text and text.count("urltoken") == 2
    assert "900412" not in text and "gmail" not in text


def test_it_expands_sms_spellings():
    assert normalize("slt c koi le prix stp") == "salut c'est quoi le prix s'il te plait"


def test_it_cuts_repeated_letters_and_maps_digits():
    assert normalize("TROOOOP cher !!!!! 3900€") == "troop cher !! 00€"
