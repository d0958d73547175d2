"""Text normalisation shared by the model, the signals and the staff matcher.

`fold` lowers a text and strips its accents (keeping emojis); `normalize` also replaces links, e-mail
addresses and phone numbers by tokens, undoes the disguises people use to slip insults past filters
(`reveal`), replaces digits by 0, letters repeated three times or more by two, and expands common SMS
spellings ("slt", "stp", "pk"…), so that the model sees one spelling for each word.
"""

import functools
import re

URL_TOKEN, EMAIL_TOKEN, PHONE_TOKEN = " urltoken ", " emailtoken ", " phonetoken "

_TLDS = "com|fr|net|org|info|shop|xyz|io|me|ly|co|be|ch|ca|biz|online|site|store|top|club|live|app|link|eu|pro|vip|gl"
URL_RE = re.compile(
    r"(?:https?://|www\.)\S+"
    rf"|\b[a-z0-9][\w-]*(?:\.[\w-]+)*\.(?:{_TLDS})\b(?:/\S*)?",
    re.IGNORECASE,
)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+|00)\d{1,3}(?:[\s.-]?\(?\d\)?){7,12}(?!\d)"  # international: +44 7700 900412
    r"|(?<![\w-])0[1-9](?:[\s.-]?\d{2}){4}(?![\w-])"  # French: 06 39 98 41 07
    r"|(?<![\w-])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w-])"  # North American: 514-555-0199
)

_ACCENTS = str.maketrans(
    {
        **dict.fromkeys("àáâãäå", "a"),
        **dict.fromkeys("èéêë", "e"),
        **dict.fromkeys("ìíîï", "i"),
        **dict.fromkeys("òóôõö", "o"),
        **dict.fromkeys("ùúûü", "u"),
        **dict.fromkeys("ýÿ", "y"),
        "ç": "c",
        "ñ": "n",
        "œ": "oe",
        "æ": "ae",
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "…": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "–": "-",
        "—": "-",
    }
)
_ACCENTS.update(
    {
        ord(k.upper()): v.upper()
        for k, v in zip("àáâãäåèéêëìíîïòóôõöùúûüýÿçñ", "aaaaaaeeeeiiiiooooouuuuyycn", strict=True)
    }
)
_ACCENTS.update({ord("Œ"): "OE", ord("Æ"): "AE"})
_DIGITS = str.maketrans(dict.fromkeys("123456789", "0"))
_URL_HINT = re.compile(rf"://|www\.|\.(?:{_TLDS})\b", re.IGNORECASE)
_PHONE_HINT = re.compile(r"\d(?:[\s.()-]?\d){7}")
_REPEATS = re.compile(r"(.)\1{2,}")

# SMS and chat spellings, written as `fold` leaves them, mapped to the word they stand for.
SMS = {
    "slt": "salut", "bjr": "bonjour", "bsr": "bonsoir", "cc": "coucou", "stp": "s'il te plait",
    "svp": "s'il vous plait", "svpl": "s'il vous plait", "pk": "pourquoi", "pq": "pourquoi",
    "pcq": "parce que", "pck": "parce que", "psk": "parce que", "tjs": "toujours", "tjrs": "toujours",
    "bcp": "beaucoup", "bcq": "beaucoup", "pr": "pour", "koi": "quoi", "kwa": "quoi", "jsp": "je sais pas",
    "chais": "je sais", "jpp": "j'en peux plus", "mdr": "mort de rire", "ptdr": "mort de rire",
    "lol": "mort de rire", "dsl": "desole", "mci": "merci", "mrc": "merci", "bg": "beau gosse",
    "auj": "aujourd'hui", "ajd": "aujourd'hui", "jcrois": "je crois", "chui": "je suis", "chuis": "je suis",
    "jsuis": "je suis", "ct": "c'etait", "g": "j'ai", "jai": "j'ai", "c": "c'est", "cest": "c'est",
    "ki": "qui", "ke": "que", "kan": "quand", "qd": "quand", "qq": "quelque", "qqn": "quelqu'un",
    "qqch": "quelque chose", "vrmt": "vraiment", "vraimen": "vraiment", "tro": "trop", "tt": "tout",
    "ts": "tous", "ds": "dans", "dc": "donc", "ms": "mais", "mm": "meme", "bi0": "bien", "r0": "rien",
    "0m0": "demain", "dmd": "demande", "rdv": "rendez-vous", "nn": "non", "ouai": "ouais", "wi": "oui",
    "tkt": "t'inquiete", "oklm": "tranquille", "jtm": "je t'aime", "kiff": "aime", "askip": "a ce qu'il parait",
    "ptn": "putain", "ptin": "putain", "putin": "putain", "fdp": "fils de pute", "ntm": "nique ta mere",
    "nsm": "nique sa mere", "tg": "ta gueule", "ftg": "ferme ta gueule", "vtff": "va te faire foutre",
    "vtf": "va te faire foutre", "vtfe": "va te faire enculer", "tdc": "trou du cul", "tdb": "tete de bite",
    "pd": "pede", "encul": "encule", "enkule": "encule", "konar": "connard", "konnard": "connard",
    "connar": "connard", "conar": "connard", "salop": "salope", "batar": "batard", "btrd": "batard",
    "mrd": "merde", "merd": "merde", "debil": "debile", "geule": "gueule", "gueul": "gueule",
    "nik": "nique", "niq": "nique", "niker": "niquer", "tepu": "pute", "teube": "tebe",
}  # fmt: skip
_SMS_RE = re.compile(r"(?<![\w'])(" + "|".join(sorted(map(re.escape, SMS), key=len, reverse=True)) + r")(?![\w'])")


def fold_case(text: str) -> str:
    """Accents stripped, typographic quotes and dashes made plain, case and emojis kept."""
    return text.translate(_ACCENTS)


def fold(text: str) -> str:
    """Lower-cased, accents stripped, typographic quotes and dashes made plain; emojis kept."""
    return text.translate(_ACCENTS).lower()


def mask_contacts(text: str) -> str:
    """Links, e-mail addresses and phone numbers replaced by tokens (e-mails first: they hold a domain)."""
    if "@" in text:
        text = EMAIL_RE.sub(EMAIL_TOKEN, text)
    if _URL_HINT.search(text):
        text = URL_RE.sub(URL_TOKEN, text)
    if _PHONE_HINT.search(text):
        text = PHONE_RE.sub(PHONE_TOKEN, text)
    return text


# Disguises: letters spelt apart (« c o n n a r d », « f.d.p »), digits and symbols for letters
# (« c0nn4rd », « s@lope »), letters hidden behind a mask (« p*te », « c#nnasse »).
_SPELT_APART = re.compile(r"(?<![\w'@$€])[a-z0-9@$€](?:(?: [a-z0-9@$€]){3,}|(?:[._-][a-z0-9@$€]){2,})(?![\w'@$€])")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "€": "e"})
_LEET_NEAR_LETTER = re.compile(r"[a-z][013457@$€]|[013457@$€][a-z]")
_LEET_WORD = re.compile(r"(?<![\w@$€])[a-z013457@$€]*(?:[a-z][013457@$€]|[013457@$€][a-z])[a-z013457@$€]*(?![\w@$€])")
_LEET_INSIDE = re.compile(r"[a-z][013457@$€]+[a-z]")
_MASK_INSIDE = re.compile(r"[a-z][*#%]+[a-z]")
_MASKED_WORD = re.compile(r"(?<![a-z*#%])[a-z]+[*#%]+[a-z][a-z*#%]*")


def reveal(text: str) -> str:
    """Disguised words written plainly, in a lower-cased text: « c o n n a r d », « c0nn4rd » and « c*nnard » all
    become « connard ». A word with digits for letters only at its ends is read so when that makes an insult; a
    masked word becomes the insult with the same letters in the same places; one that fits none (« m*rci ») stays."""
    if _SPELT_APART.search(text):
        text = _SPELT_APART.sub(lambda m: re.sub(r"[ ._-]", "", m.group()), text)
    if _LEET_NEAR_LETTER.search(text):
        text = _LEET_WORD.sub(lambda m: _unleet(m.group()), text)
    if _MASK_INSIDE.search(text):
        text = _MASKED_WORD.sub(lambda m: _unmasked(m.group()), text)
    return text


def _unleet(word: str) -> str:
    """« c0nn4rd » → « connard » (a digit between letters); « 3ncul3 » → « encule » only because it is an insult
    (« mp3 », « a4 », « 1er » stay as written)."""
    plain = word.translate(_LEET)
    return plain if _LEET_INSIDE.search(word) or plain in _insult_words() else word


@functools.lru_cache(maxsize=4096)  # bounded: anyone can write new masked words
def _unmasked(word: str) -> str:
    pattern = re.compile(re.sub(r"[*#%]+", lambda m: f"[a-z]{{{len(m.group())}}}", word))
    fits = sorted((w for w in _insult_words() if pattern.fullmatch(w)), key=lambda w: (len(w), w))
    return fits[0] if fits else word


@functools.cache
def _insult_words() -> frozenset[str]:
    from vigie.triage import lexicon  # lexicon folds its own lists with this module: imported once needed

    return lexicon.insult_words()


def normalize(text: str) -> str:
    """The form the model reads: folded, contacts masked, disguises read, digits as 0, repeats cut, SMS expanded."""
    return normalize_folded(fold_case(text))


def normalize_folded(text: str) -> str:
    """`normalize` for a text already through `fold_case` (its accents stripped once, not twice)."""
    text = reveal(mask_contacts(text.lower()))
    text = _REPEATS.sub(r"\1\1", text.translate(_DIGITS))
    text = _SMS_RE.sub(lambda m: SMS[m.group(1)], text)
    return " ".join(text.split())
