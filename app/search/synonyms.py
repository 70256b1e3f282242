"""Family words → service words, from files editors extend (``content/search/synonyms.txt``,
and one in each other language the site offers, ``content/pl/search/synonyms.txt`` …).

Each line reads ``family words, another phrase = service words, another phrase``.
When a search holds a phrase from the left, services matching any phrase on the
right count as matches too. A right-hand phrase needs all its words, in any order.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from app.languages import current_language
from app.search.schema import stem_word

WORD = re.compile(r"[^\W_]+")
APOSTROPHES = str.maketrans("", "", "'’")


class SynonymsError(ValueError):
    """The synonyms file has a line that cannot be read."""


def words_of(text):
    """Lower-case words, apostrophes dropped: "Won't sleep" → ["wont", "sleep"]."""
    return WORD.findall(text.casefold().translate(APOSTROPHES))


def key_of(words):
    return tuple(stem_word(word) for word in words)


@dataclass(frozen=True)
class Synonyms:
    """Phrases (as stems) mapped to the word lists to search for as well."""

    entries: dict  # tuple of stems → tuple of tuples of words
    longest: int = 1
    own: frozenset = frozenset()  # the phrases from another language's own file (their words mean nothing in English)

    def is_own(self, key):
        return key in self.own

    def __len__(self):
        return len(self.entries)

    def find(self, stems, start):
        """The longest phrase starting at ``stems[start]``: (length, alternatives), or (0, ())."""
        for length in range(min(self.longest, len(stems) - start), 0, -1):
            found = self.entries.get(tuple(stems[start : start + length]))
            if found:
                return length, found
        return 0, ()


def parse_synonyms(text, source="synonyms"):
    entries = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        left, equals, right = line.partition("=")
        if not equals:
            raise SynonymsError(f"{source}, line {number}: put '=' between the family words and the service words")
        phrases = [words_of(part) for part in left.split(",")]
        targets = tuple(tuple(words) for words in (words_of(part) for part in right.split(",")) if words)
        if not any(phrases) or not targets:
            raise SynonymsError(f"{source}, line {number}: both sides of '=' need at least one word")
        for words in phrases:
            if words:
                key = key_of(words)
                entries[key] = tuple(dict.fromkeys(entries.get(key, ()) + targets))
    return Synonyms(entries, max((len(key) for key in entries), default=1))


class SynonymsByLanguage:
    """The synonyms of the request's language: its own file's words and the English file's.

    A Polish family may type "dziecko" or "baby"; both find services, whose words are English."""

    def __init__(self, by_language):
        self.by_language = by_language

    def of(self, language):
        return self.by_language.get(language) or self.by_language["en"]

    def find(self, stems, start):
        return self.of(current_language()).find(stems, start)

    def is_own(self, key):
        return self.of(current_language()).is_own(key)


def load_all_synonyms(content_dir: Path, language_codes):
    content_dir = Path(content_dir)
    english = load_synonyms(content_dir / "search" / "synonyms.txt")
    by_language = {"en": english}
    for code in language_codes:
        if code != "en":
            own = load_synonyms(content_dir / code / "search" / "synonyms.txt")
            by_language[code] = merged(english, own)
    return SynonymsByLanguage(by_language)


def merged(english, own):
    """The English phrases and a language's own; where both have a phrase, the language's meaning wins
    (Polish "sen" is sleep, where English "SEN" is special educational needs)."""
    entries = {**english.entries, **own.entries}
    return Synonyms(entries, max(english.longest, own.longest), frozenset(own.entries))


def load_synonyms(path: Path):
    path = Path(path)
    if not path.exists():
        return Synonyms({})
    return parse_synonyms(path.read_text(encoding="utf-8"), source=str(path.name))
