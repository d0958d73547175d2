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


def test_it_reads_letters_spelt_apart_as_one_word():
    assert normalize("un gros c o n n a r d") == "un gros connard"
    assert normalize("F.D.P va") == "fils de pute va"  # joined, then the SMS spelling expanded
    assert normalize("s-a-l-o-p-e et s_a_l_o_p_e") == "salope et salope"


def test_it_leaves_ordinary_single_letters_and_hyphens_alone():
    assert normalize("y a-t-il un e-mail ? il y a a boire") == "y a-t-il un e-mail ? il y a a boire"
    assert normalize("le plan A, B ou D") == "le plan a, b ou d"


def test_it_reads_digits_and_symbols_standing_for_letters():
    assert normalize("espèce de c0nn4rd, s@l0pe, p3d3") == "espece de connard, salope, pede"
    assert normalize("n1k3r ta m3r3") == "niquer ta mere"
    assert normalize("espèce d'3ncul3") == "espece d'encule"  # digits only at the ends: read so because it insults


def test_it_keeps_digits_glued_to_letters_that_are_not_disguises():
    assert normalize("mp3, A4, 1er, 2e, x3, covid19, 4x4, salle B2 à 14h30") == (
        "mp0, a0, 0er, 0e, x0, covid00, 0x0, salle b0 a 00h00"
    )
    assert normalize("écrivez à jean.d@gmail.com") == "ecrivez a emailtoken"


def test_a_masked_word_becomes_the_insult_it_fits():
    assert normalize("ferme-la p*te, c#nnasse, enc**é") == "ferme-la pute, connasse, encule"


def test_a_masked_word_that_fits_no_insult_stays_as_written():
    assert normalize("m*rci pour la *super* formation") == "m*rci pour la *super* formation"
