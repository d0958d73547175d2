"""The staff watch-list and the matcher that finds its people in a message.

A watch-list file has one person a line: the name (first name then surname) then aliases, separated by
"|"; blank lines and lines starting with "#" are ignored. The matcher tolerates missing accents, case,
one typo in a surname of six letters or more ("Benalli", "Girar"), civilities and titles ("Mme Benali",
"le Dr Girard", "le docteur Marc") and the first name with the surname's initial ("Nadia B.").
Whether a mention is an attack is the classifier's business, not the matcher's.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from vigie.triage.normalize import fold, fold_case

DEFAULT_STAFF_FILE = Path(__file__).resolve().parent / "data" / "staff.txt"
TITLES = frozenset("mme madame mlle mademoiselle m mr monsieur dr docteur doc doct docteure professeur pr prof".split())
# Surnames and first names that are also common words: alone, they count only when capitalised.
COMMON_WORDS = frozenset(
    "roux fontaine claire marc blanc noir petit grand brun rose pierre olive france "
    "martin leroy moine lemoine salle".split()
)
# Other first names: "Luc Gérard" is a commenter, not a typo of "Marc Girard".
OTHER_FIRST_NAMES = frozenset(
    """jean luc paul pierre jacques michel philippe alain patrick nicolas christophe francois eric laurent
    frederic thierry olivier stephane david pascal sebastien thomas vincent bruno guillaume christian
    daniel dominique jerome didier antoine alexandre maxime romain hugo lucas louis arthur gabriel leo
    jules nathan theo mathieu benoit cedric damien fabrice franck gilles herve yves serge bernard gerard
    andre henri robert rene roger marcel claude anne marie isabelle nathalie sylvie catherine christine
    valerie sandrine veronique stephanie celine caroline emilie aurelie julie laura camille manon lea
    chloe emma ines sarah lucie pauline audrey helene elodie virginie karine patricia martine monique
    francoise brigitte chantal nicole agnes josiane mireille danielle luc joel noel mathilde margaux""".split()
)
_WORD = re.compile(r"[A-Za-z]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class StaffMember:
    name: str
    first: str
    surname: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    member: StaffMember
    start: int
    end: int


def parse_staff(text: str) -> list[StaffMember]:
    members = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, *aliases = (part.strip() for part in line.split("|"))
        words = fold(name).split()
        if not words:
            continue
        first, surname = (words[0], words[-1]) if len(words) > 1 else ("", words[0])
        members.append(StaffMember(name, first, surname, tuple(a for a in aliases if a)))
    return members


def load_staff(path: Path | None = None) -> list[StaffMember]:
    path = Path(path) if path else DEFAULT_STAFF_FILE
    try:
        return parse_staff(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FileNotFoundError(f"Liste de l'équipe illisible : {path} ({exc.strerror})") from exc


def typos(word: str) -> set[str]:
    """Every spelling one edit away (deletion, doubling, substitution, transposition, insertion)."""
    spellings = {word}
    for i in range(len(word) + 1):
        left, right = word[:i], word[i:]
        spellings.update(left + c + right for c in _LETTERS)
        if right:
            spellings.add(left + right[1:])
            spellings.update(left + c + right[1:] for c in _LETTERS)
        if len(right) > 1:
            spellings.add(left + right[1] + right[0] + right[2:])
    return spellings


@dataclass
class StaffMatcher:
    members: list[StaffMember]
    _surnames: dict[str, tuple[StaffMember, bool]] = field(default_factory=dict, init=False)
    _firsts: dict[str, StaffMember] = field(default_factory=dict, init=False)
    _first_spellings: dict[str, frozenset[str]] = field(default_factory=dict, init=False)
    _aliases: re.Pattern | None = field(default=None, init=False)
    _alias_owner: dict[str, StaffMember] = field(default_factory=dict, init=False)
    _spellings: frozenset[str] = field(default=frozenset(), init=False)  # every surname's and first name's

    def __post_init__(self):
        for member in self.members:
            if len(member.surname) >= 6 and member.surname not in COMMON_WORDS:
                for spelling in typos(member.surname):
                    self._surnames.setdefault(spelling, (member, False))
            self._surnames[member.surname] = (member, True)
            if member.first:
                self._firsts[member.first] = member
                self._first_spellings[member.first] = frozenset(
                    typos(member.first) if len(member.first) > 3 else {member.first}
                )
        self._spellings = frozenset(self._surnames) | frozenset(self._firsts)
        phrases = {}
        for member in self.members:
            for alias in member.aliases:
                key = " ".join(_WORD.findall(fold(alias)))
                if key and len(key) > 2:
                    phrases[key] = member
        self._alias_owner = phrases
        if phrases:
            alternatives = "|".join(
                r"\s*\W*\s*".join(map(re.escape, p.split())) for p in sorted(phrases, key=len)[::-1]
            )
            self._aliases = re.compile(r"(?<![a-z])(?:" + alternatives + r")(?![a-z])", re.IGNORECASE)

    def find(self, text: str) -> list[Mention]:
        """Mentions of staff in `text` (accents already stripped by fold_case, case kept)."""
        mentions = self._name_mentions(text) if self._may_name_someone(text) else []
        if self._aliases:
            for match in self._aliases.finditer(text):
                key = " ".join(_WORD.findall(match.group().lower()))
                mentions.append(Mention(self._alias_owner[key], match.start(), match.end()))
        return mentions

    def _may_name_someone(self, text: str) -> bool:
        """Whether a word of `text` is a spelling of a first name or surname (most messages name nobody)."""
        return not self._spellings.isdisjoint(map(str.lower, _WORD.findall(text)))

    def _name_mentions(self, text: str) -> list[Mention]:
        words = [(m.group(), m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
        mentions = []
        for i, (raw, word, start, end) in enumerate(words):
            previous = words[i - 1][1] if i else ""
            member = self._surname_mention(raw, word, previous) or self._first_name_mention(text, words, i)
            if member:
                introduced = previous in TITLES or previous in self._first_spellings.get(member.first, ())
                mentions.append(Mention(member, words[i - 1][2] if introduced else start, end))
        return mentions

    def _surname_mention(self, raw: str, word: str, previous: str) -> StaffMember | None:
        found = self._surnames.get(word)
        if not found:
            return None
        member, exact = found
        introduced = previous in TITLES or previous in self._first_spellings.get(member.first, ())
        if introduced:
            return member
        if previous in OTHER_FIRST_NAMES:
            return None
        if word in COMMON_WORDS or (not exact and word in OTHER_FIRST_NAMES):
            return member if raw[0].isupper() and exact else None
        return member

    def _first_name_mention(self, text: str, words: list, i: int) -> StaffMember | None:
        raw, word, _, end = words[i]
        member = self._firsts.get(word)
        if not member:
            return None
        previous = words[i - 1][1] if i else ""
        if previous in TITLES:
            return member
        if word in COMMON_WORDS and not raw[0].isupper():
            return None
        if i + 1 < len(words):
            next_raw, next_word, next_start, _ = words[i + 1]
            if next_word in self._surnames or next_word in self._firsts:
                return None if next_word in self._surnames else member
            if len(next_word) == 1 and next_word == member.surname[:1]:
                return member
            if next_raw[0].isupper() and text[end:next_start].isspace() and next_word not in TITLES:
                return None  # another person's full name ("Julien Martin")
        return member

    def mask(self, text: str, mentions: list[Mention], token: str = " stafftoken ") -> str:  # noqa: S107
        """`text` with each mention replaced by `token` (overlapping mentions merged)."""
        if not mentions:
            return text
        pieces, position = [], 0
        for mention in sorted(mentions, key=lambda m: m.start):
            if mention.start < position:
                position = max(position, mention.end)
                continue
            pieces += [text[position : mention.start], token]
            position = mention.end
        pieces.append(text[position:])
        return "".join(pieces)


def matcher_for(path: Path | None = None) -> StaffMatcher:
    return StaffMatcher(load_staff(path))


def names_in(text: str, matcher: StaffMatcher) -> list[str]:
    """The staff named in a raw message, in order of first mention, each once."""
    seen = []
    for mention in sorted(matcher.find(fold_case(text)), key=lambda m: m.start):
        if mention.member.name not in seen:
            seen.append(mention.member.name)
    return seen
