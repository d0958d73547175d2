"""The project's own labelled corpus, generated from hand-written templates and messages.

Sources are the files `data/corpus/<label>.txt`. Each line is a message or a template:
- `{slot}` is filled from the SLOTS below (trainings, cities, prices, staff names…);
- `[a|b|c]` picks one alternative (an empty one is allowed: `[|svp ]`);
- an optional prefix before `> ` says where the line may appear: `DM` (private messages only), `CO`
  (comments only), `LI`/`YT`/`FB` (that platform), `!` (the message attacks a member of staff).
Lines starting with `#` are comments. `@other_label` in a line's prefix is not supported: one file a label.
`data/corpus/web/*.csv` adds French web comments off the centre's topics, each only toxic or clean, used as they
are written (no split, no noise): they teach the toxicity regression alone (`web_examples`, model.fit).

Every fifth line of a file (and of each slot list marked SPLIT) is kept for the held-out split, so the
held-out examples come from templates and fragments that the training split never saw. Noise (missing
accents, SMS spelling, capitals, emojis, typos) is added with a seeded random generator: the corpus is
the same on every machine.
"""

import csv
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from vigie.triage.normalize import fold
from vigie.vocabulary import LABEL_VALUES, PLATFORMS

CORPUS_DIR = Path(__file__).resolve().parent / "data" / "corpus"
LABELS = LABEL_VALUES
SEED = 20261124
PER_LABEL = {"train": 1300, "heldout": 260}
HELDOUT_EVERY = 5

# How often each label shows up as a private message when its line does not say.
PRIVATE_SHARE = {
    "positive_neutral": 0.12, "question": 0.35, "complex_request": 0.8, "criticism": 0.2, "spam": 0.3,
    "abuse": 0.15, "misinformation": 0.05, "conflict": 0.03,
}  # fmt: skip


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    kind: str = "comment"
    platform: str = "facebook"
    targets_staff: bool = False
    template: str = ""  # "<label>:<line number>" of the corpus line it was made from (bootstrap by template)
    toxicity_only: bool = False  # a web comment (web_examples): it teaches toxic against clean, not a label


@dataclass(frozen=True)
class Line:
    text: str
    kinds: tuple[str, ...]
    platforms: tuple[str, ...]
    attacks_staff: bool
    number: int = 0  # line number in its file


_PREFIX = re.compile(r"^([!A-Z,]+)> ")


def parse_line(raw: str, number: int = 0) -> Line:
    kinds, platforms, attacks = ("comment", "private_message"), PLATFORMS, False
    match = _PREFIX.match(raw)
    if match:
        flags = match.group(1)
        attacks = "!" in flags
        if "DM" in flags:
            kinds = ("private_message",)
        elif "CO" in flags:
            kinds = ("comment",)
        chosen = tuple(p for code, p in (("FB", "facebook"), ("LI", "linkedin"), ("YT", "youtube")) if code in flags)
        platforms = chosen or platforms
        raw = raw[match.end() :]
    return Line(raw.strip(), kinds, platforms, attacks, number)


def read_lines(path: Path) -> list[Line]:
    lines = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        raw = raw.strip()
        if raw and not raw.startswith("#"):
            lines.append(parse_line(raw, number))
    return lines


def split_items(items: list, split: str) -> list:
    """The items of one split: every HELDOUT_EVERY-th item is held out; "all" keeps everything."""
    if split == "all":
        return list(items)
    held = [item for i, item in enumerate(items) if i % HELDOUT_EVERY == HELDOUT_EVERY - 1]
    return held if split == "heldout" else [item for item in items if item not in held]


# ---------------------------------------------------------------- slots

STAFF_FORMS = {
    "Nadia Benali": ["Nadia Benali", "Mme Benali", "Benali", "Nadia B.", "la directrice", "Madame Benali",
                     "Mme Benalli", "Nadia Bennali", "Benaly", "nadia benali", "NADIA BENALI",
                     "la directrice pédagogique"],
    "Marc Girard": ["Marc Girard", "le Dr Girard", "Dr Girard", "Girard", "le docteur Marc", "Docteur Girard",
                    "le Dr Girar", "Girar", "M. Girard", "marc girard", "Dr Girad", "Mr Girard", "GIRARD"],
    "Sophie Lemoine": ["Sophie Lemoine", "Mme Lemoine", "Lemoine", "Sophie L.", "la chargée de com",
                       "Madame Lemoine", "Sophie Lemoinne", "sophie lemoine"],
    "Julien Roux": ["Julien Roux", "M. Roux", "Julien", "Monsieur Roux", "julien roux", "Julien R.", "JULIEN ROUX"],
    "Claire Fontaine": ["Claire Fontaine", "Mme Fontaine", "Claire F.", "Claire", "Madame Fontaine",
                        "claire fontaine", "Mme Fontaines", "la responsable administrative"],
}  # fmt: skip

SLOTS: dict[str, list[str]] = {
    "formation": [
        "le cycle hypnose", "la formation en hypnose ericksonienne", "le cycle Praticien en hypnose ericksonienne",
        "la formation PNL", "le praticien PNL", "la formation thérapie brève orientée solution", "la TOS",
        "la formation approche systémique", "le module communication thérapeutique", "la formation thérapies brèves",
        "le cycle thérapie brève", "la formation hypnose conversationnelle", "le module gestion de l'agressivité",
        "la formation psychotrauma", "la supervision", "le webinaire", "la journée d'étude", "l'atelier d'initiation",
        "le module stimulations bilatérales", "la formation communication bienveillante", "le cycle systémique",
        "la formation thérapie stratégique Palo Alto", "le module hypnose et douleur", "le maître praticien PNL",
        "la formation hypnose pour soignants", "le cursus thérapeute en thérapies brèves",
        "le module entretien motivationnel",
        "la formation intra pour les équipes", "le séminaire d'été", "la formation auto-hypnose",
    ],
    "theme": [
        "l'hypnose", "la PNL", "les thérapies brèves", "l'approche systémique", "la thérapie orientée solution",
        "l'hypnose ericksonienne", "la communication thérapeutique", "l'EMDR", "la thérapie stratégique",
        "l'hypnose conversationnelle", "l'auto-hypnose", "les thérapies comportementales",
    ],
    "ville": [
        "Paris", "Lyon", "Bordeaux", "Marseille", "Lille", "Nantes", "Toulouse", "Montpellier", "Rennes",
        "Strasbourg", "Nice", "Grenoble", "Dijon", "Tours", "Angers", "Clermont-Ferrand", "Rouen", "Metz",
    ],
    "ailleurs": [
        "Bruxelles", "Liège", "Namur", "Genève", "Lausanne", "Fribourg", "Montréal", "Québec", "Sherbrooke",
        "la Réunion", "la Martinique", "Nouméa", "Luxembourg", "Charleroi", "Neuchâtel",
    ],
    "date": [
        "le 14 janvier", "en mars", "le 8 février", "à la rentrée", "en septembre", "le 12 décembre", "en juin",
        "le 3 avril", "la semaine prochaine", "le mois prochain", "en octobre", "le 21 mai", "en novembre 2027",
        "jeudi soir", "le 15/03", "ce samedi", "début janvier", "fin septembre",
    ],
    "mois": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre", "octobre", "novembre"],
    "prix": [
        "3900€", "3 900 €", "1 200 €", "90€", "450 euros", "2400€", "600 €", "1800 euros", "290€", "4000 balles",
        "150 €", "2 850 €", "60€", "980 €", "5 000 €",
    ],
    "financement": [
        "le CPF", "mon CPF", "l'OPCO", "mon OPCO", "France Travail", "l'AIF", "le FIF-PL", "l'ANFH", "mon employeur",
        "Transitions Pro", "le DPC", "Akto", "Uniformation", "l'OPCO Santé", "le plan de développement des compétences",
        "Pôle emploi", "l'Agefiph", "le FAF-PM",
    ],
    "metier": [
        "infirmière", "aide-soignante", "psychologue", "kiné", "sage-femme", "éducatrice spécialisée", "coach",
        "sophrologue", "médecin généraliste", "assistante sociale", "ostéopathe", "orthophoniste",
        "psychomotricienne", "manager", "DRH", "enseignante", "conseillère conjugale", "praticienne bien-être",
        "ergothérapeute", "pharmacienne", "infirmier", "psychiatre", "art-thérapeute", "travailleuse sociale",
        "cadre de santé", "AES", "chirurgien-dentiste", "naturopathe", "moniteur éducateur", "IDE en libéral",
    ],
    "prenom": [
        "Luc", "Sandrine", "Patrick", "Valérie", "Kevin", "Nathalie", "Jérôme", "Sabrina", "Thierry", "Laetitia",
        "Fred", "Mélanie", "Yannick", "Coralie", "Didier", "Stéphanie", "Karim", "Aurélie", "Bruno", "Jessica",
    ],
    "nom": [
        "Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Garnier",
        "Faure", "Rousseau", "Blanchard", "Gauthier", "Perrin", "Morel", "Mercier", "Dupuis", "Lambert", "Bonnet",
    ],
    "emoji_pos": ["😊", "🙏", "👏", "❤️", "😍", "🥰", "👍", "✨", "🙌", "💪", "🌸", "😄", "🤗", "💯", "🔥"],
    "emoji_neg": ["😡", "🤬", "🤮", "🖕", "💩", "😤", "👎", "🙄", "😠", "🤡"],
    "emoji_sad": ["😕", "😒", "😔", "😩", "😞", "🙁", "😬", "🥶"],
    "emoji_laugh": ["😂", "🤣", "😂😂", "🤣🤣", "😆", "😅"],
    "emoji_spam": ["💰", "💸", "🚀", "📈", "💎", "🔥", "✅", "👉", "🎁", "⚡", "💶", "🤑"],
    "annee": ["2019", "2020", "2021", "2022", "2023", "2024", "2025"],
    "gain": [
        "3000€/semaine", "+500€ par jour", "12 400 $ le mois dernier", "8000 euros par mois", "+300% en 2 semaines",
        "2500€ en 10 jours", "un SMIC en une semaine", "15 000€ en un mois", "+1200€ par semaine",
    ],
    "crypto": [
        "le trading crypto", "le Bitcoin", "le forex", "les cryptomonnaies", "le trading automatique", "l'ethereum",
        "un robot de trading", "les NFT", "un investissement en crypto", "les options binaires",
    ],
    "insulte": [
        "connard", "abruti", "débile", "crétin", "bouffon", "enfoiré", "imbécile", "idiot", "bâtard", "tocard",
        "naze", "guignol", "clown", "fils de pute", "trou du cul", "sous-merde", "raclure", "minable", "gros con",
        "pauvre type", "boloss", "cassos", "demeuré", "attardé", "taré", "tête de nœud", "couillon", "branleur",
        "andouille", "crevure", "ordure", "déchet", "parasite", "charlot", "gogol", "teubé", "pauvre con",
        "sale con", "enculé", "mongol", "tarba", "blaireau", "cave", "niaiseux", "stoeffer",
    ],
    "insulte_f": [
        "connasse", "salope", "pétasse", "pouffiasse", "grognasse", "pute", "garce", "conne", "idiote", "débile",
        "tarée", "cinglée", "mégère", "vieille peau", "grosse vache", "hystérique", "folle", "sale conne",
    ],
    "insultes": [
        "connards", "abrutis", "débiles", "guignols", "charlatans", "escrocs", "clowns", "bouffons", "tocards",
        "incapables", "rapaces", "vautours", "branleurs", "nazes", "pourris", "parasites", "voleurs", "crétins",
        "imbéciles", "enfoirés", "bâtards", "minables", "arnaqueurs", "gros cons", "charognards", "tarés",
    ],
    "sujet": [
        "ce film", "ce match", "cette vidéo", "ton article", "ta modif", "ce gouvernement", "l'arbitre", "ce jeu",
        "le maire", "ce youtubeur", "cette émission", "ce livre", "la réforme", "ce resto", "cette série",
        "ce chanteur", "l'entraîneur", "ce député", "cette page Wikipédia", "ton commentaire", "le dernier épisode",
    ],
}  # fmt: skip
SPLIT_SLOTS = ("insulte", "insulte_f", "insultes", "sujet", "crypto", "gain")


def _spam_link(rng: random.Random) -> str:
    words = ["crypto", "gains", "liberte", "boost", "followers", "promo", "cash", "invest", "bonus", "win", "vip"]
    tld = rng.choice(["xyz", "shop", "com", "info", "online", "site", "top", "fr", "net", "club"])
    name = "-".join(rng.sample(words, 2)) + rng.choice(["", "-2026", "-fr", "24", "-pro"])
    form = rng.choice(["{n}.{t}", "www.{n}.{t}", "https://{n}.{t}/offre", "bit.ly/{n}", "t.me/{n}", "{n}.{t}/go"])
    return form.format(n=name, t=tld)


def _phone(rng: random.Random) -> str:
    digits = "".join(str(rng.randint(0, 9)) for _ in range(8))
    pairs = " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    form = rng.choice(["06 {p}", "07 {p}", "+33 6 {p}", "+44 7700 9{d}", "06{c}", "+1 514 555 {e}", "+32 47{e}"])
    return form.format(p=pairs, d=digits[:5], e=digits[:4], c=digits)


def _handle(rng: random.Random) -> str:
    first = rng.choice(["Caroline", "James", "Sarah", "Invest", "Crypto", "Mama", "Coach", "Julie", "Marco"])
    return "@" + first + rng.choice(["Recovery", "_Officiel", "Trader", "_VIP", "Finance", "Kadi", "Pro"])


def _site(rng: random.Random) -> str:
    return rng.choice(
        ["https://www.mon-blog-hypnose.fr/article", "https://carnetsdepascal.fr/recadrage", "www.has-sante.fr",
         "https://www.inserm.fr", "francecompetences.fr", "https://youtu.be/xA3kq", "www.moncompteformation.gouv.fr",
         "https://www.linkedin.com/pulse/hypnose", "https://ahtma-formation.fr/programme", "qualiopi.fr"]
    )  # fmt: skip


def _staff(rng: random.Random) -> str:
    return rng.choice(STAFF_FORMS[rng.choice(list(STAFF_FORMS))])


DYNAMIC = {"lien_spam": _spam_link, "tel": _phone, "handle": _handle, "site": _site, "staff": _staff}
_SLOT = re.compile(r"\{(\w+)\}")
_CHOICE = re.compile(r"\[([^\[\]]*)\]")


def expand(template: str, rng: random.Random, slots: dict[str, list[str]]) -> str:
    """A template with its alternatives chosen and its slots filled."""
    text = template
    while True:
        new = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), text)
        if new == text:
            break
        text = new

    def fill(match):
        name = match.group(1)
        if name in DYNAMIC:
            return DYNAMIC[name](rng)
        if name in slots:
            return rng.choice(slots[name])
        raise KeyError(f"emplacement inconnu {{{name}}} dans : {template}")

    return re.sub(r"\s+([,.])", r"\1", re.sub(r"[ \t]+", " ", _SLOT.sub(fill, text))).strip()


# ---------------------------------------------------------------- noise

SMS_SPELLINGS = [
    (r"\bs'il vous pla[iî]t\b", "svp"), (r"\bs'il te pla[iî]t\b", "stp"), (r"\bc'est\b", "c"), (r"\bpour\b", "pr"),
    (r"\btoujours\b", "tjs"), (r"\bbeaucoup\b", "bcp"), (r"\bquoi\b", "koi"), (r"\bpourquoi\b", "pk"),
    (r"\bje sais pas\b", "jsp"), (r"\baujourd'hui\b", "auj"), (r"\bbonjour\b", "bjr"), (r"\bsalut\b", "slt"),
    (r"\bquelqu'un\b", "qqn"), (r"\bquelque chose\b", "qqch"), (r"\btrop\b", "tro"), (r"\bvraiment\b", "vrmt"),
    (r"\bparce que\b", "pcq"), (r"\bj'ai\b", "jai"), (r"\bqu'est-ce que\b", "keske"), (r"\bje suis\b", "chui"),
    (r"\bmerci\b", "mrc"), (r"\bdans\b", "ds"), (r"\btout\b", "tt"), (r"\bmais\b", "ms"), (r"\bquand\b", "qd"),
    (r"\bdonc\b", "dc"), (r"\bc'était\b", "c t"), (r"\bvous\b", "vs"), (r"\bnon\b", "nn"), (r"\bqui\b", "ki"),
]  # fmt: skip
_SMS = [(re.compile(p, re.IGNORECASE), r) for p, r in SMS_SPELLINGS]


def _sms(text: str, rng: random.Random) -> str:
    for pattern, replacement in _SMS:
        if rng.random() < 0.7:
            text = pattern.sub(replacement, text)
    return text.replace("qu'", "k").replace(" est-ce que ", " es ke ") if rng.random() < 0.3 else text


def _typos(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 4 and w.isalpha():
            j = rng.randrange(1, len(w) - 1)
            op = rng.random()
            words[i] = (
                w[:j] + w[j + 1 :]
                if op < 0.4
                else (w[:j] + w[j] + w[j:] if op < 0.6 else w[:j] + w[j + 1] + w[j] + w[j + 2 :])
            )
    return " ".join(words)


def _stretch(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    i = rng.randrange(len(words))
    w = words[i]
    if len(w) > 2 and w[-1].isalpha():
        words[i] = w + w[-1] * rng.randint(2, 5)
    return " ".join(words)


EMOJI_FOR = {
    "positive_neutral": "emoji_pos", "question": "emoji_pos", "complex_request": "emoji_sad", "criticism": "emoji_sad",
    "spam": "emoji_spam", "abuse": "emoji_neg", "misinformation": "emoji_neg", "conflict": "emoji_laugh",
}  # fmt: skip


def add_noise(text: str, label: str, rng: random.Random) -> str:
    r = rng.random
    if r() < 0.18:
        text = _sms(text, rng)
    if r() < 0.3:
        text = fold(text) if r() < 0.5 else "".join(fold(c) if c.islower() else c for c in text)
    if r() < 0.12:
        text = text.replace("'", "" if r() < 0.5 else " ").replace("’", "")
    if r() < 0.1:
        text = _typos(text, rng)
    if r() < 0.08:
        text = _stretch(text, rng)
    if r() < 0.15:
        text = text.lower()
    elif r() < 0.05 + (0.08 if label in ("abuse", "conflict", "criticism", "misinformation") else 0):
        text = text.upper()
    if r() < 0.2:
        text = text.rstrip(".") + rng.choice([" !!", "!!!", " ?!", "...", " !", "", " .."])
    if r() < 0.25:
        text += " " + rng.choice(SLOTS[EMOJI_FOR[label]]) * rng.choice([1, 1, 2, 3])
    return text


# ---------------------------------------------------------------- generation


def _slots_for(split: str) -> dict[str, list[str]]:
    return {name: split_items(values, split) if name in SPLIT_SLOTS else values for name, values in SLOTS.items()}


def _example(line: Line, label: str, rng: random.Random, slots: dict, noisy: bool) -> Example:
    if len(line.kinds) == 2:
        kind = "private_message" if rng.random() < PRIVATE_SHARE[label] else "comment"
    else:
        kind = line.kinds[0]
    platforms = line.platforms
    if kind == "private_message":
        platform = "facebook"
    else:
        platform = rng.choices(platforms, weights=[{"facebook": 6, "linkedin": 3, "youtube": 2}[p] for p in platforms])[
            0
        ]
    text = expand(line.text, rng, slots)
    if noisy:
        text = add_noise(text, label, rng)
    return Example(text, label, kind, platform, line.attacks_staff, f"{label}:{line.number}")


def generate(
    split: str = "train", per_label: int | None = None, seed: int = SEED, directory: Path | None = None
) -> list[Example]:
    """The examples of a split ("train", "heldout" or "all"), the same on every run."""
    per_label = per_label or PER_LABEL.get(split, PER_LABEL["train"] + PER_LABEL["heldout"])
    slots = _slots_for(split)
    examples: list[Example] = []
    for label in LABELS:
        path = Path(directory or CORPUS_DIR) / f"{label}.txt"
        if not path.is_file():
            raise FileNotFoundError(f"Corpus incomplet : il manque {path}")
        lines = split_items(read_lines(path), split)
        rng = random.Random(f"{seed}:{split}:{label}")
        seen: set[str] = set()
        for example in _examples_for(lines, label, rng, slots, per_label):
            key = fold(example.text)
            if key not in seen:
                seen.add(key)
                examples.append(example)
    return examples


def _examples_for(lines: list[Line], label: str, rng: random.Random, slots: dict, count: int) -> Iterator[Example]:
    for line in lines:  # every line once as written (templates filled), then random draws with noise
        yield _example(line, label, rng, slots, noisy=False)
    for i in range(max(0, count - len(lines))):  # round robin: every line gets the same share of variants
        yield _example(lines[i % len(lines)], label, rng, slots, noisy=True)


def sources(directory: Path | None = None) -> list[Path]:
    """The files the corpus is made of (their content enters the model's version)."""
    return sorted(Path(directory or CORPUS_DIR).glob("*.txt")) + web_sources(directory)


def web_examples(directory: Path | None = None) -> list[Example]:
    """French web comments off the centre's topics, each only toxic or clean (`web/*.csv` in the corpus, columns
    text,toxic): they teach the toxicity regression, not the label nor the attack regressions (model.fit)."""
    examples = []
    for path in web_sources(directory):
        with path.open(encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            if not {"text", "toxic"} <= set(reader.fieldnames or ()):
                raise ValueError(f"Commentaires du web illisibles : {path} doit avoir les colonnes text,toxic")
            for number, row in enumerate(reader, start=2):
                toxic = (row["toxic"] or "").strip()
                if toxic not in ("0", "1") or not (row["text"] or "").strip():
                    raise ValueError(f"{path}, ligne {number} : un texte et toxic à 0 ou 1 sont attendus")
                label = "abuse" if toxic == "1" else "positive_neutral"
                examples.append(Example(row["text"], label, template=f"web:{path.stem}:{number}", toxicity_only=True))
    return examples


def web_sources(directory: Path | None = None) -> list[Path]:
    return sorted((Path(directory or CORPUS_DIR) / "web").glob("*.csv"))
