"""Answering a search over the directory.

``IndexedDirectory`` answers from the Whoosh index; ``DatabaseDirectory`` answers
from the services read from the database, matching plain words, when the index
cannot be used. Both share the filtering, counting, distance and ordering below.
"""

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from math import isnan

import numpy as np
from whoosh import query as whoosh_query

from app.languages import current_language
from app.search.advice import AdvicePages
from app.search.facets import FacetIndex, flags_of, mask_from_flags, mask_of, positions_in
from app.search.geo import Distances
from app.search.queries import QUERY_STOP_WORDS, QueryBuilder, parse
from app.search.scoring import IndexScorer
from app.search.synonyms import words_of

TEXT_CACHE_SIZE = 256
LOOSE_BELOW = 10  # when fewer services match every word, add those matching some, below them
SUGGEST_BELOW = 5  # offer "Did you mean …?" when a search finds fewer services than this
HALF_WEIGHT_MILES = 5  # with a postcode, a match this far away counts half as much as one next door
NEARBY_MILES = 3  # how far online, phone and area-wide services count as being
FAR_MILES = 20  # … and services with no venue that do not cover the family's area
EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class TextMatch:
    mask: int  # services the words match
    ranked: np.ndarray  # their positions, best match first
    scores: np.ndarray | None = None  # and how well each matched
    tiers: np.ndarray | None = None  # how many of the words each matched, when not all had to
    pages: tuple = ()
    loose: bool = False  # no service matched every word, so these match some
    units: tuple = ()


@dataclass(frozen=True)
class Result:
    listing: object
    miles: float | None = None


class Results(Sequence):
    """The results in order, made into ``Result``s only for the page shown."""

    def __init__(self, listings, order, miles):
        self._listings, self._order, self._miles = listings, order, miles

    def __len__(self):
        return len(self._order)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._result(position) for position in self._order[index]]
        return self._result(self._order[index])

    def _result(self, position):
        if self._miles is None or isnan(self._miles[position]):
            return Result(self._listings[position])
        return Result(self._listings[position], float(self._miles[position]))


@dataclass
class Outcome:
    results: Results
    counts: dict
    total_without_radius: int | None = None
    loose: bool = False
    pages: tuple = ()
    suggestion: str | None = None
    from_index: bool = True
    searched: bool = False  # the words held something to search for
    sort: str = "name"


class Directory:
    """Listings with their facet bit sets, distances and a cache of recent text matches."""

    from_index = False

    def __init__(self, listings):
        self.listings = listings
        self.facets = FacetIndex(listings)
        self.distances = Distances(listings)
        self.shown = self.facets.everything  # less the services closed since the index was built
        self.hidden_for = None  # the directory version ``shown`` was worked out for
        self._texts = OrderedDict()
        self._texts_lock = threading.Lock()

    def match_text(self, text):
        # The same words match differently in each language (each has its own synonyms): "copil" finds
        # children's services on /ro/services and nothing on /services.
        key = (current_language(), " ".join(text.split()).casefold())
        with self._texts_lock:
            found = self._texts.get(key)
            if found is not None:
                self._texts.move_to_end(key)
                return found
        found = self._match(text)
        with self._texts_lock:
            self._texts[key] = found
            while len(self._texts) > TEXT_CACHE_SIZE:
                self._texts.popitem(last=False)
        return found

    def hide(self, positions, version):
        """Offer the services at ``positions`` no more (they closed after this index was built)."""
        self.shown = self.facets.everything & ~mask_of(np.array(sorted(positions), dtype=np.int64), self.facets.size)
        self.hidden_for = version

    def forget_texts(self):
        with self._texts_lock:
            self._texts.clear()

    def suggestion(self, units):
        return None

    def _match(self, text):
        raise NotImplementedError

    def _nearer_first(self, order, scores, tiers, miles, point):
        """Best match, with nearer services lifted: a match counts half as much 5 miles away."""
        facets = self.facets
        local = facets.placeless & facets.value("district", point.district) if point.district else 0
        reach = flags_of(facets.anywhere | local, facets.size)[order]
        distance = miles[order]
        distance = np.where(
            np.isnan(distance),
            np.where(reach, NEARBY_MILES, FAR_MILES),
            np.where(reach, np.minimum(distance, NEARBY_MILES), distance),
        )
        weight = scores / (1 + distance / HALF_WEIGHT_MILES)
        tiers = np.zeros(len(order)) if tiers is None else tiers
        return order[np.lexsort((-weight, -tiers))]  # most words first, then best weighted match

    def in_categories(self, codes, point=None):
        """Services in any of these categories: nearest first from a point, else A to Z."""
        mask = 0
        for code in codes:
            mask |= self.facets.value("category", code)
        mask &= self.shown
        order = positions_in(mask)
        miles = self.distances.from_point(point) if point else None
        if miles is not None:
            order = order[np.argsort(miles[order], kind="stable")]  # NaN (no venue) last
        return Results(self.listings, order, miles)

    def languages(self):
        """Codes of the languages services offer, English apart."""
        return sorted(code for code in self.facets.masks["language"] if code != "en")

    def search(self, filters, point, options):
        facets = self.facets
        within, text = self.shown, None
        if filters.q:
            text = self.match_text(filters.q)
            if text.units:
                within = text.mask & self.shown
        ranked = text.ranked if text is not None and text.units else None
        miles = self.distances.from_point(point) if point else None
        total_without_radius = None
        if miles is not None and filters.radius:
            total_without_radius = (within & facets.chosen(filters)).bit_count()
            near = mask_from_flags(miles <= filters.radius) | facets.anywhere  # NaN is never near
            if point.district:
                near |= facets.placeless & facets.value("district", point.district)
            within &= near
        chosen = within & facets.chosen(filters)
        sort = filters.sort or ("relevance" if ranked is not None else "distance" if miles is not None else "name")
        if (sort == "relevance" and ranked is None) or (sort == "distance" and miles is None):
            sort = "name"  # asked for an order this search cannot give
        if sort == "relevance":
            keep = flags_of(chosen, facets.size)[ranked]
            order = ranked[keep]
            if miles is not None and text.scores is not None:
                tiers = text.tiers[keep] if text.tiers is not None else None
                order = self._nearer_first(order, text.scores[keep], tiers, miles, point)
        else:
            order = positions_in(chosen)  # listings are kept in name order
            if sort == "distance":
                order = order[np.argsort(miles[order], kind="stable")]  # NaN (no venue) last
        outcome = Outcome(
            results=Results(self.listings, order, miles),
            counts=facets.counts(filters, within, options),
            total_without_radius=total_without_radius,
            loose=bool(text and text.loose),
            pages=text.pages if text else (),
            from_index=self.from_index,
            searched=bool(text and text.units),
            sort=sort,
        )
        if text and text.units and len(order) < SUGGEST_BELOW:
            outcome.suggestion = self.suggestion(text.units)
        return outcome


class IndexedDirectory(Directory):
    """The directory as the live search index holds it."""

    from_index = True

    def __init__(self, generation, version, index, listings, pages, vocabulary, synonyms):
        super().__init__(listings)
        self.generation = generation
        self.version = version  # the directory's version it was built from
        self.index = index
        self.synonyms = synonyms
        self.advice = AdvicePages(pages)
        self.searcher = index.searcher()
        reader = self.searcher.reader()
        self.builder = QueryBuilder(reader, vocabulary)
        self._whoosh = threading.Lock()  # a Whoosh searcher is used by one thread at a time
        self.scorer = IndexScorer(self.searcher, self._whoosh)
        size = reader.doc_count_all()
        self._is_service = np.zeros(size, dtype=bool)  # docnum → is it a service (or a page)?
        self._positions = np.zeros(size, dtype=np.int64)  # docnum → position in the listings or pages
        for docnum, stored in reader.iter_docs():
            self._is_service[docnum] = stored["kind"] == "service"
            self._positions[docnum] = stored["position"]

    def close(self):
        self.searcher.close()
        self.index.close()

    def _match(self, text):
        units = tuple(parse(text, self.synonyms))
        parts = [self.scorer.evaluate(part) for part in self.builder.unit_queries(units)]
        if not parts:
            return TextMatch(0 if units else self.facets.everything, EMPTY, units=units)
        found = np.logical_and.reduce([part.found for part in parts])
        tiers, loose = None, False
        if len(parts) > 1 and np.count_nonzero(found & self._is_service) < LOOSE_BELOW:
            # Few services match every word: take those matching some, most words first.
            strict = np.count_nonzero(found)
            found = np.logical_or.reduce([part.found for part in parts])
            tiers = np.sum([part.found for part in parts], axis=0)
            loose = np.count_nonzero(found) > strict
        scores = np.sum([part.scores for part in parts], axis=0)
        together = self.builder.together(units) if len(parts) > 1 else None
        if together is not None:
            scores = scores + self.scorer.evaluate(together).scores
        tiers_or_none = np.zeros(len(scores)) if tiers is None else tiers
        docs = np.flatnonzero(found)
        # Most words first (when not all had to match), then best score, then A to Z.
        docs = docs[np.lexsort((self._positions[docs], -scores[docs], -tiers_or_none[docs]))]
        services = docs[self._is_service[docs]]
        ranked = self._positions[services]
        pages = self.advice.about(units, self._respelling)
        return TextMatch(
            mask_of(ranked, self.facets.size), ranked, scores[services],
            None if tiers is None else tiers[services], pages, loose, units,
        )

    def _respelling(self, word):
        """An unknown word's nearest spelling in the index (None for a known word, or none near)."""
        with self._whoosh:
            return self.builder.respelling(word)

    def suggestion(self, units):
        with self._whoosh:
            return self.builder.suggestion(units)

    def check(self):
        """Read every part of the index once, so damage shows now rather than mid-search."""
        with self._whoosh:
            self.searcher.search(whoosh_query.Every(), limit=None)


class DatabaseDirectory(Directory):
    """The directory straight from the database: plain word matching, name order."""

    def _match(self, text):
        words = tuple(word for word in words_of(text) if word not in QUERY_STOP_WORDS)
        if not words:
            return TextMatch(self.facets.everything, EMPTY, units=())
        ranked = np.array(
            [p for p, listing in enumerate(self.listings) if all(w in listing.words for w in words)], dtype=np.int64
        )
        return TextMatch(mask_of(ranked, self.facets.size), ranked, units=words)
