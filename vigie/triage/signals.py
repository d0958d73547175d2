"""Rule signals: facts about a message that feed the model and are shown to the moderator (in French).

`detect` returns the keys that fire; `describe` turns them into the French lines of the interface.
Keys listed in FEATURE_ONLY feed the model but are not worth showing to a person.
"""

import re

from vigie.triage import lexicon
from vigie.triage.normalize import EMAIL_TOKEN, PHONE_TOKEN, URL_TOKEN

LABELS = {
    "url": "lien externe",
    "phone": "numéro de téléphone",
    "email": "adresse e-mail",
    "messaging": "renvoi vers une messagerie (WhatsApp, Telegram…)",
    "spam_words": "vocabulaire publicitaire ou d'arnaque (crypto, gains, abonnés…)",
    "insult": "insulte ou grossièreté",
    "masked_swear": "grossièreté masquée (c**, p*tain…)",
    "listed_swear": "mot grossier des listes publiques (LDNOOBW, french-badwords-list)",
    "discrimination": "propos discriminatoires",
    "threat": "menace",
    "staff": "nom d'un membre de l'équipe",
    "caps": "message en majuscules",
    "question": "question",
    "insistent": "ponctuation insistante (!!!, ???)",
    "justice": "mention de la justice ou d'une condamnation",
    "misinformation_words": "vocabulaire de désinformation (secte, complot, « pas reconnu »…)",
    "funding": "financement (CPF, OPCO, France Travail…)",
    "accessibility": "handicap ou accessibilité",
    "administrative": "demande administrative (remboursement, facture, report, RGPD…)",
    "follow_up": "relance ou attente de réponse",
    "thanks": "remerciements ou félicitations",
    "english": "message en anglais",
    "argument": "ton polémique ou interpellation d'un autre participant",
    "hostile_emoji": "émoji hostile",
    "mockery": "moquerie (😂, mdr…)",
}
FEATURE_ONLY = {
    "kind_private": "message privé",
    "platform_linkedin": "LinkedIn",
    "platform_youtube": "YouTube",
    "short": "message court",
    "long": "message long",
    "second_person": "tutoiement ou vouvoiement d'une personne",
    "first_person_need": "demande personnelle",
}
KEYS = tuple(LABELS) + tuple(FEATURE_ONLY)

_LEXICONS = {
    "spam_words": lexicon.SPAM, "insult": lexicon.INSULTS, "discrimination": lexicon.DISCRIMINATION,
    "threat": lexicon.THREATS, "misinformation_words": lexicon.MISINFORMATION, "justice": lexicon.JUSTICE,
    "funding": lexicon.FUNDING, "accessibility": lexicon.ACCESSIBILITY, "administrative": lexicon.ADMINISTRATIVE,
    "follow_up": lexicon.FOLLOW_UP, "thanks": lexicon.THANKS,
}  # fmt: skip
_ARGUMENT = (
    r"vous confondez|tu confonds|renseigne[sz]?[- ](?:toi|vous)|t'as rien compris|vous n'avez rien compris|faut lire"
    r"|n'importe quoi|arrete[sz]? de|arretez avec|je maintiens|pas d'accord|c'est faux|sources? \?"
    r"|le mec qui|la meuf qui|les gens qui|pour qui (?:tu|vous) (?:te|vous) prene?z?|ouvre[sz]? les yeux"
    r"|vous racontez|tu racontes|mefiez-vous|reveillez-vous|(?<![a-z])(?:tu|vous) (?:dis|dites|crois|croyez) que"
    r"|mort de rire|pfff?|deja vu ca"
)
_FIRST_PERSON_NEED = (
    r"je souhaite|je souhaiterais|j'aurais besoin|j'ai besoin|mon dossier|ma situation|mon employeur|mon inscription"
    r"|je suis inscrit|pourriez-vous|pouvez-vous|est-il possible|serait-il possible|je voudrais|je vous ecris"
)
_WORD_SETS: dict[str, frozenset[str]] = {}
_WHOLE_WORDS: list[str] = []  # lexicon phrases, matched from the start of a word to its end
for _key, _words in _LEXICONS.items():
    _WORD_SETS[_key], _complex = lexicon.split_entries(_words)
    if _complex:
        _WHOLE_WORDS.append(rf"(?P<{_key}>(?:{'|'.join(_complex)})(?:e?s|x)?(?![a-z0-9]))")
# One look-behind in front of all the whole-word groups: at a position inside a word they fail at once
# instead of each trying its own (the same matches, in the same order, in two thirds of the time). The
# argument and need phrases may start inside a word (« cpff » holds « pff »): requiring a word start there
# would be truer but changes the model's features, so it waits for a change of the model that is evaluated.
_PHRASES = re.compile(
    rf"(?<![a-z0-9])(?:{'|'.join(_WHOLE_WORDS)})|(?P<argument>{_ARGUMENT})|(?P<first_person_need>{_FIRST_PERSON_NEED})"
)
_WORD_SETS["argument"] = frozenset("lol ridicule hypocrite hypocrites bisounours propagande polemique".split())
_WORD_SETS["messaging"] = frozenset("whatsapp telegram signal snapchat insta instagram inbox dm mp".split())
_WORD_SETS["second_person"] = frozenset("tu t toi ton ta tes vous vos votre".split())
_ENGLISH = frozenset("the you your and is are my with for me this that i'm we our thanks great".split())
_TOKEN = re.compile(r"[a-z0-9']+(?:-[a-z0-9']+)*")
_MASKED = re.compile(r"(?<![a-z])[a-z]{1,3}\*+[a-z]*|[a-z]+\*+(?:[a-z]+|(?![a-z*]))")
_MESSAGING = re.compile(r"t\.me|wa\.me|@\w{4,}")
_HOSTILE_EMOJI = re.compile("[\U0001f92e\U0001f595\U0001f4a9\U0001f621\U0001f92c\U0001f620\U0001f44e\U0001f922]")
_MOCKERY = re.compile("[\U0001f602\U0001f923\U0001f921]|mort de rire|(?<![a-z])(?:hahaha|haha|xd)(?![a-z])")


def detect(original: str, normalized: str, kind: str = "comment", platform: str = "facebook", staff: bool = False):
    """The signal keys that fire for one message, in KEYS order."""
    fired = set()
    _contacts(normalized, fired)
    _vocabulary(normalized, fired)
    _shape(original, normalized, fired)
    if staff:
        fired.add("staff")
    if kind == "private_message":
        fired.add("kind_private")
    if platform in ("linkedin", "youtube"):
        fired.add(f"platform_{platform}")
    return [key for key in KEYS if key in fired]


def _contacts(text: str, fired: set) -> None:
    if URL_TOKEN.strip() in text:
        fired.add("url")
    if PHONE_TOKEN.strip() in text:
        fired.add("phone")
    if EMAIL_TOKEN.strip() in text:
        fired.add("email")
    if ("." in text or "@" in text) and _MESSAGING.search(text):
        fired.add("messaging")


def _vocabulary(text: str, fired: set) -> None:
    words = set(_TOKEN.findall(text))
    for key, known in _WORD_SETS.items():
        if not words.isdisjoint(known):
            fired.add(key)
    for match in _PHRASES.finditer(text):
        fired.add(match.lastgroup)
    listed_words, listed_phrases = lexicon.listed_bad_words()
    if not words.isdisjoint(listed_words) or any(phrase in text for phrase in listed_phrases):
        fired.add("listed_swear")
    if "*" in text and _MASKED.search(text):
        fired.add("masked_swear")
    if _HOSTILE_EMOJI.search(text):
        fired.add("hostile_emoji")
    if _MOCKERY.search(text):
        fired.add("mockery")
    if len(words & _ENGLISH) >= 3:
        fired.add("english")


def _shape(original: str, text: str, fired: set) -> None:
    letters = sum(map(str.isalpha, original))
    if letters >= 12 and sum(map(str.isupper, original)) > 0.7 * letters:
        fired.add("caps")
    if "?" in text:
        fired.add("question")
    if "!!" in text or "??" in text or "?!" in text:
        fired.add("insistent")
    if len(text) < 40:
        fired.add("short")
    elif len(text) > 280:
        fired.add("long")


def describe(keys, staff_names=()) -> list[str]:
    """The French lines shown to the moderator for the keys that fired."""
    lines = []
    for key in keys:
        if key == "staff" and staff_names:
            lines.append(f"{LABELS['staff']} : {', '.join(staff_names)}")
        elif key in LABELS:
            lines.append(LABELS[key])
    return lines
