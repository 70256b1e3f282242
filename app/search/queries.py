"""From what a person typed to a Whoosh query, without Whoosh's query language.

Nothing typed is read as syntax: ``AND``, ``*``, ``:`` and brackets are just
characters, and only words and "quoted phrases" are kept. Each word becomes a
unit; a phrase from the synonyms file becomes one unit that also matches its
service words; a quoted phrase must appear as written. A word the index does not
know matches the index's words one edit away (two for words of 9+ letters).
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from whoosh import query
from whoosh.analysis import STOP_WORDS
from whoosh.support.levenshtein import damerau_levenshtein

from app.search.schema import WEIGHTS, index_terms
from app.search.synonyms import key_of, words_of

# Words that say little about which help is wanted, on top of Whoosh's stop words.
# Ages are chosen with the age filter, so "2 year old" adds nothing either.
QUERY_STOP_WORDS = STOP_WORDS | frozenset(
    """
    i im ive id me my mine myself our ours he hes him his she shes her hers they theyre them their
    its who what whats where when how why which there here do does doing did done dont doesnt didnt
    has had have was were been being am get got getting find need needs needed want wants wanted
    please help helps helping support someone somebody something anything some any thing things
    about so very really just also still all lot lots bit much more most near nearby local
    child childs children kid kids son sons daughter daughters baby's boy girl year years yr yrs
    old month months week weeks age aged
    every everyday always constantly keeps keep lately recently anymore ever often today now since
    """.split()
)
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"'})
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_UNITS = 12  # longer searches are cut: nobody types more, and it bounds the work


@dataclass(frozen=True)
class Unit:
    """One thing to find: a word, a quoted phrase, or a family phrase with its service words."""

    words: tuple
    alternatives: tuple = ()
    phrase: bool = False
    foreign: bool = False  # words from another language's own synonyms: looked for by their alternatives only

    @property
    def text(self):
        joined = " ".join(self.words)
        return f'"{joined}"' if self.phrase else joined


def typo_distance(word):
    """How many edits a word may be from the index's word: 1 from 5 letters, 2 from 9."""
    return 2 if len(word) >= 9 else 1 if len(word) >= 5 else 0


def parse(text, synonyms):
    """The units of a search, in the order typed."""
    text = CONTROL.sub(" ", unicodedata.normalize("NFKC", text or "")).translate(QUOTES)
    parts = text.split('"')
    if len(parts) % 2 == 0:  # an unclosed quote is just a character
        parts[-2:] = [parts[-2] + " " + parts[-1]]
    units = []
    for number, part in enumerate(parts):
        words = words_of(part)
        if number % 2 == 1:
            if words:
                units.append(Unit(tuple(words), phrase=True))
            continue
        stems = key_of(words)
        at = 0
        while at < len(words):
            length, alternatives = synonyms.find(stems, at)
            if length:
                foreign = synonyms.is_own(tuple(stems[at : at + length]))
                units.append(Unit(tuple(words[at : at + length]), alternatives, foreign=foreign))
                at += length
                continue
            if words[at] not in QUERY_STOP_WORDS and index_terms(words[at]):
                units.append(Unit((words[at],)))
            at += 1
    unique = list(dict.fromkeys(units))
    return unique[:MAX_UNITS]


def _any_field(term, boost=1.0):
    return query.Or([query.Term(field, term) for field in WEIGHTS], boost=boost)


def _all_terms(words, boost=1.0):
    terms = index_terms(" ".join(words))
    if not terms:
        return None
    if len(terms) == 1:
        return _any_field(terms[0], boost)
    return query.And([_any_field(term) for term in terms], boost=boost)


class QueryBuilder:
    """Builds queries against one index reader and the vocabulary beside it."""

    def __init__(self, reader, vocabulary):
        self.reader = reader
        self.vocabulary = vocabulary  # word as written → how many documents use it
        # Typos rarely touch the first letter, so candidates share it (and a length within reach).
        self._by_initial = defaultdict(list)
        for word in vocabulary:
            self._by_initial[word[:1]].append(word)
        # One search asks for an unknown word's corrections up to three times (its query, the advice
        # pages, "Did you mean"), and families misspell the same words: each is worked out once.
        self._within = lru_cache(maxsize=4096)(self._words_within)

    def known(self, word):
        if word in self.vocabulary:
            return True
        return any(self.reader.doc_frequency(field, term) for term in index_terms(word) for field in WEIGHTS)

    def respelling(self, word):
        """An unknown word's nearest spelling in the index (None for a known word, or none near)."""
        if self.known(word):
            return None
        fixes = self.corrections(word)
        return fixes[0] if fixes else None

    def corrections(self, word, limit=None):
        """The vocabulary's words within the typo distance of ``word`` (or ``limit`` edits), nearest and
        commonest first."""
        return self._within(word, typo_distance(word) if limit is None else limit)

    def _words_within(self, word, limit):
        if not limit:
            return ()
        found = []
        for candidate in self._by_initial.get(word[:1], ()):
            if abs(len(candidate) - len(word)) > limit:
                continue
            distance = damerau_levenshtein(word, candidate, limit + 1)
            if 0 < distance <= limit:
                found.append((distance, -self.vocabulary[candidate], candidate))
        return tuple(candidate for _, _, candidate in sorted(found))

    def unit_query(self, unit):
        if unit.phrase:
            terms = index_terms(" ".join(unit.words))
            if len(terms) > 1:
                return query.Or([query.Phrase(field, terms) for field in WEIGHTS])
            return _all_terms(unit.words)
        # Polish "sen" is sleep, not the English "SEN": a word of another language is looked for by its meanings only.
        exact = None if unit.foreign else _all_terms(unit.words)
        options = [exact] if exact is not None else []
        options += [q for q in (_all_terms(words, boost=0.9) for words in unit.alternatives) if q is not None]
        if not unit.alternatives and len(unit.words) == 1 and not self.known(unit.words[0]):
            options += [
                q for q in (_all_terms((fixed,), boost=0.6) for fixed in self.corrections(unit.words[0])[:6]) if q
            ]
        if not options:
            return None
        return options[0] if len(options) == 1 else query.Or(options)

    def unit_queries(self, units):
        return [q for q in (self.unit_query(unit) for unit in units) if q is not None]

    def together(self, units):
        """The bonus for the search's words found close together (within two words), or None."""
        terms = index_terms(" ".join(word for unit in units for word in unit.words))
        if len(terms) < 2:
            return None
        return query.Or([query.Phrase(field, terms, slop=2) for field in ("name", "description")], boost=2.0)

    def suggestion(self, units):
        """The search with each unknown word replaced by the index's nearest word, or None."""
        changed, words = False, []
        for unit in units:
            if not unit.phrase and not unit.alternatives and len(unit.words) == 1 and not self.known(unit.words[0]):
                word = unit.words[0]
                fixes = self.corrections(word, limit=max(typo_distance(word), 1 if len(word) >= 4 else 0))
                if fixes:
                    words.append(fixes[0])
                    changed = True
                    continue
            words.append(unit.text)
        return " ".join(words) if changed else None
