"""Scoring a query over the whole index at once, with Whoosh's BM25F.

A search here needs every match, not a top ten: the filter counts, the radius
and the nearest-first order all work on the whole set. Whoosh's collector finds
them by walking a tree of matchers one document at a time, in Python, which at
10,000 services is most of a search's time. So the query Whoosh's objects
describe is worked out here over arrays instead: each index term's postings are
read from Whoosh once, scored with Whoosh's own BM25F formula and statistics,
and kept; a query is then a few array sums. ``Term``, ``Or``, ``And`` and
``AndMaybe`` are worked out here with Whoosh's meaning (a match's score is the
sum of its parts' scores, times the boost); anything else, such as a phrase,
which needs word positions, is handed to Whoosh's searcher whole.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh import query
from whoosh.scoring import BM25F, bm25

WEIGHTING = BM25F()
POSTINGS_KEPT = 2_000_000  # how many scored postings to keep between searches (about 24 MB)


@dataclass(frozen=True)
class Matched:
    """Which documents a query matches, and each one's score (0 where it does not match)."""

    found: np.ndarray  # bool, one per document
    scores: np.ndarray  # float, one per document


class IndexScorer:
    """Works out Whoosh queries over one searcher's documents as arrays."""

    def __init__(self, searcher, lock):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self._lock = lock  # the searcher's: Whoosh readers are used by one thread at a time
        self._lengths = {}
        self._postings = OrderedDict()
        self._held = 0
        self._postings_lock = threading.Lock()

    def nothing(self):
        return Matched(np.zeros(self.size, bool), np.zeros(self.size))

    def evaluate(self, node):
        if isinstance(node, query.Term):
            ids, scores = self.postings(node.fieldname, node.text)
            found, total = self.nothing().found, np.zeros(self.size)
            found[ids] = True
            total[ids] = scores * node.boost
            return Matched(found, total)
        if type(node) in (query.Or, query.And):  # exactly these: their subclasses score differently
            parts = [self.evaluate(sub) for sub in node.subqueries]
            if not parts:
                return self.nothing()
            join = np.logical_or if type(node) is query.Or else np.logical_and
            found = join.reduce([part.found for part in parts])
            total = np.sum([part.scores for part in parts], axis=0) * node.boost
            return Matched(found, np.where(found, total, 0.0))
        if type(node) is query.AndMaybe:
            required, optional = self.evaluate(node.a), self.evaluate(node.b)
            return Matched(required.found, np.where(required.found, required.scores + optional.scores, 0.0))
        if node is query.NullQuery:
            return self.nothing()
        return self._by_whoosh(node)

    def _by_whoosh(self, node):
        with self._lock:
            hits = self.searcher.search(node, limit=None).top_n
        matched = self.nothing()
        if hits:
            scores, ids = zip(*hits, strict=True)
            matched.found[list(ids)] = True
            matched.scores[list(ids)] = scores
        return matched

    def postings(self, field, text):
        """(document numbers, BM25F scores) of one term, read once and then kept."""
        key = (field, text)
        with self._postings_lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
        with self._lock:
            ids, weights = [], []
            if (field, text) in self.reader:
                matcher = self.reader.postings(field, text)
                while matcher.is_active():
                    ids.append(matcher.id())
                    weights.append(matcher.weight())
                    matcher.next()
            idf = self.searcher.idf(field, text)
            average = self.searcher.avg_field_length(field) or 1
        ids = np.array(ids, dtype=np.int64)
        lengths = self.lengths(field)[ids]
        found = ids, bm25(idf, np.array(weights, dtype=float), lengths, average, WEIGHTING.B, WEIGHTING.K1)
        with self._postings_lock:
            self._postings[key] = found
            self._held += len(ids)
            while self._held > POSTINGS_KEPT and len(self._postings) > 1:
                _, (old, _) = self._postings.popitem(last=False)
                self._held -= len(old)
        return found

    def lengths(self, field):
        """Every document's length in a field, as Whoosh's scorer sees it."""
        found = self._lengths.get(field)
        if found is None:
            with self._lock:
                length = self.reader.doc_field_length
                found = np.fromiter((length(docnum, field, 0) for docnum in range(self.size)), float, self.size)
            self._lengths[field] = found
        return found
