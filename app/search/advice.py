"""Which advice pages a search is about: the pages shown above the services.

A family reads the first thing shown, so a page is offered only when what it is
about matches the search: its title, its summary or its main topic (the first
category in its ``topics``), never a word in passing in its text. Words match
as written, through the synonyms file, or (for a word the index does not know)
through its single nearest spelling within the typo distance, but never through
the wider net of typo-widened words that services are found by.
A synonym or respelling that several pages share ("caring" for "young carer"
finds "antenatal care", "social care" …) says nothing about which page the
search is about, so it counts only when it picks out a few pages.
"""

from dataclasses import dataclass
from math import ceil

from app.search.schema import index_terms

# How much a word found in each part of a page counts; a synonym or a respelling counts less.
FIELDS = (("title", 3.0), ("summary", 2.0), ("topic", 1.5))
SYNONYM, RESPELLING = 0.9, 0.6
BROAD = 3  # a synonym or respelling found in more pages than this picks none of them out
SHOWN_WITHIN = 0.7  # pages scoring under 70% of the best page's score are not shown beside it


@dataclass(frozen=True)
class PageHit:
    section: str
    slug: str
    title: str
    summary: str


@dataclass(frozen=True)
class _Page:
    hit: PageHit
    fields: tuple  # (set of index terms, weight) for each part of the page


def read_page(page):
    """A page as the index stores it (section, slug, title, summary, topic)."""
    hit = PageHit(page["section"], page["slug"], page["title"], page["summary"])
    fields = tuple((frozenset(index_terms(page.get(name) or "")), weight) for name, weight in FIELDS)
    return _Page(hit, fields)


class AdvicePages:
    def __init__(self, pages):
        self.pages = [read_page(page) for page in pages]

    def about(self, units, respell):
        """The pages about the search, best first; ``respell(word)`` is an unknown word's nearest spelling."""
        wanted = [self._narrow(_options(unit, respell)) for unit in units]  # a word no page knows still counts
        if not any(wanted):
            return ()
        # Both words of a short search; most of a long one, where a word or two may be filler.
        needed = len(wanted) if len(wanted) <= 2 else ceil(len(wanted) / 2)
        scored = []
        for position, page in enumerate(self.pages):
            weights = [_best(page, options) for options in wanted]
            matched = sum(1 for weight in weights if weight)
            if matched >= needed:
                scored.append((matched, sum(weights), -position, page.hit))
        if not scored:
            return ()
        scored.sort(reverse=True)
        best = scored[0]
        return tuple(
            hit for matched, score, _, hit in scored if matched == best[0] and score >= best[1] * SHOWN_WITHIN
        )

    def _narrow(self, options):
        """The options that pick out a few pages: what was typed always, a synonym or respelling only if narrow."""
        return [
            (terms, weight) for terms, weight in options
            if weight == 1.0 or sum(1 for page in self.pages if _has(page, terms)) <= BROAD
        ]


def _has(page, terms):
    return any(terms <= words for words, _ in page.fields)


def _options(unit, respell):
    """The ways one unit of the search can be found: (index terms, how much a match counts)."""
    options = []
    if unit.phrase or unit.alternatives or len(unit.words) > 1:
        options.append((index_terms(" ".join(unit.words)), 1.0))
        options += [(index_terms(" ".join(words)), SYNONYM) for words in unit.alternatives]
    else:
        word = unit.words[0]
        fixed = respell(word)
        options.append((index_terms(fixed), RESPELLING) if fixed else (index_terms(word), 1.0))
    return [(frozenset(terms), weight) for terms, weight in options if terms]


def _best(page, options):
    return max(
        (weight * field_weight for terms, weight in options for words, field_weight in page.fields if terms <= words),
        default=0.0,
    )
