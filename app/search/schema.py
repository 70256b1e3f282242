"""What the search index holds, and how words are turned into index terms.

Every text field is analysed the same way: words, lower case, common words
dropped, accents folded and English stemming ("tantrums" and "tantrum" are the
same term). Beside the index, the build keeps its vocabulary: every word as
written (unstemmed) with the number of documents using it, which typo tolerance
and "Did you mean …?" draw from.
"""

from whoosh.analysis import (
    STOP_WORDS,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    SubstitutionFilter,
)
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

# Words keep their inner apostrophes until the apostrophes are dropped: "won't" → "wont".
_WORDS = RegexTokenizer(r"[^\W_]+(?:['’][^\W_]+)*") | SubstitutionFilter(r"['’]", "") | LowercaseFilter()
STEMMED = _WORDS | StopFilter(stoplist=STOP_WORDS, minsize=2) | StemFilter(stem) | CharsetFilter(accent_map)

# The fields a query's words are looked for in, and how much a match in each counts.
WEIGHTS = {"name": 5.0, "category": 3.0, "organization": 1.5, "description": 1.0}


def make_schema():
    return Schema(
        kind=ID(stored=True),  # "service" or "page"
        name=TEXT(analyzer=STEMMED, field_boost=WEIGHTS["name"], phrase=True),
        category=TEXT(analyzer=STEMMED, field_boost=WEIGHTS["category"], phrase=True),
        organization=TEXT(analyzer=STEMMED, field_boost=WEIGHTS["organization"], phrase=True),
        description=TEXT(analyzer=STEMMED, field_boost=WEIGHTS["description"], phrase=True),
        position=STORED,  # where the service or page is in the lists stored beside the index
    )


def index_terms(text):
    """The index terms for some text: ``"Tantrums and tears"`` → ``["tantrum", "tear"]``."""
    return [token.text for token in STEMMED(text)]


def stem_word(word):
    """One lower-case word's stem, stop words included (for matching synonym phrases)."""
    return stem(word)
