from vigie.replies.render import Candidate, first_name, placeholders_in, render, suggest


def test_known_placeholders_are_filled_and_unknown_ones_stay_visible():
    body = "Bonjour {prenom}, la session {formation} reprend ; voir la charte : {lien_charte}"
    assert render(body, {"prenom": "Jeanne", "lien_charte": "https://ahtma.example/charte"}) == (
        "Bonjour Jeanne, la session {formation} reprend ; voir la charte : https://ahtma.example/charte"
    )


def test_an_empty_value_leaves_the_placeholder_to_complete():
    assert render("Bonjour {prenom} !", {"prenom": ""}) == "Bonjour {prenom} !"


def test_stray_braces_do_not_break_rendering():
    assert render("Smiley :-{ et {prenom", {"prenom": "Jo"}) == "Smiley :-{ et {prenom"


def test_placeholders_are_listed():
    assert placeholders_in("{prenom} {delai} {prenom}") == {"prenom", "delai"}


def test_first_name_comes_from_a_full_name_only():
    assert first_name("Jeanne Dupont") == "Jeanne"
    assert first_name("J. Dupont") == "" and first_name("") == ""


def test_suggestions_follow_label_platform_similarity_then_usage():
    candidates = [
        Candidate(1, "question", "", "Les dates et tarifs de la formation hypnose sont en ligne", 3),
        Candidate(2, "question", "", "Pour le financement CPF ou OPCO, écrivez-nous", 10),
        Candidate(3, "question", "linkedin", "Réponse LinkedIn", 50),
        Candidate(4, "spam", "", "—", 99),
        Candidate(5, "question", "facebook", "Bonjour, tout est sur notre site", 0),
    ]
    ranked = suggest(candidates, label="question", platform="facebook", text="c koi les tarifs de la formation hypnose")
    assert ranked == [5, 1, 2]
