"""Answering a search over the directory.

``IndexedDirectory`` answers from the Whoosh index; ``DatabaseDirectory`` answers
from the services read from the database, matching plain words, when the index
cannot be used. Both share the filtering, counting, distance and ordering below.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from whoosh import query as whoosh_query

from app.search.facets import FacetIndex, Membership, mask_of, positions_in
from app.search.geo import Distances
from app.search.queries import QUERY_STOP_WORDS, QueryBuilder, parse
from app.search.synonyms import words_of

TEXT_CACHE_SIZE = 256
LOOSE_BELOW = 10  # when fewer services match every word, add those matching some, below them
SUGGEST_BELOW = 5  # offer "Did you mean …?" when a search finds fewer services than this
HALF_WEIGHT_MILES = 5  # with a postcode, a match this far away counts half as much as one next door
NEARBY_MILES = 3  # how far online, phone and area-wide services count as being
FAR_MILES = 20  # … and services with no venue that do not cover the family's area


@dataclass(frozen=True)
class PageHit:
    slug: str
    title: str
    summary: str


@dataclass(frozen=True)
class TextMatch:
    mask: int  # services the words match
    ranked: tuple  # their positions, best match first
    scores: tuple = ()  # and how well each matched
    tiers: tuple = ()  # how many of the words each matched, when not all had to
    pages: tuple = ()
    loose: bool = False  # no service matched every word, so these match some
    units: tuple = ()


@dataclass(frozen=True)
class Result:
    listing: object
    miles: float | None = None


@dataclass
class Outcome:
    results: list
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
        self._texts = OrderedDict()
        self._texts_lock = threading.Lock()

    def match_text(self, text):
        key = " ".join(text.split()).casefold()
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

    def forget_texts(self):
        with self._texts_lock:
            self._texts.clear()

    def suggestion(self, units):
        return None

    def _match(self, text):
        raise NotImplementedError

    def _nearer_first(self, order, text, miles, point):
        """Best match, with nearer services lifted: a match counts half as much 5 miles away."""
        scores = dict(zip(text.ranked, text.scores))
        tiers = dict(zip(text.ranked, text.tiers)) if text.tiers else {}
        local = self.facets.placeless & self.facets.value("district", point.district) if point.district else 0
        reach = Membership(self.facets.anywhere | local)

        def weight(position):
            distance = miles[position]
            if distance is None:
                distance = NEARBY_MILES if position in reach else FAR_MILES
            elif position in reach:
                distance = min(distance, NEARBY_MILES)
            return tiers.get(position, 0), scores[position] / (1 + distance / HALF_WEIGHT_MILES)

        return sorted(order, key=weight, reverse=True)

    def languages(self):
        """Codes of the languages services offer, English apart."""
        return sorted(code for code in self.facets.masks["language"] if code != "en")

    def search(self, filters, point, options):
        facets = self.facets
        within, ranked, text = facets.everything, None, None
        if filters.q:
            text = self.match_text(filters.q)
            if text.units:
                within, ranked = text.mask, text.ranked
        miles = self.distances.from_point(point) if point else None
        total_without_radius = None
        if miles is not None and filters.radius:
            total_without_radius = (within & facets.chosen(filters)).bit_count()
            near = mask_of((p for p, d in enumerate(miles) if d is not None and d <= filters.radius), facets.size)
            near |= facets.anywhere
            if point.district:
                near |= facets.placeless & facets.value("district", point.district)
            within &= near
        chosen = within & facets.chosen(filters)
        sort = filters.sort or ("relevance" if ranked is not None else "distance" if miles else "name")
        if (sort == "relevance" and ranked is None) or (sort == "distance" and miles is None):
            sort = "name"  # asked for an order this search cannot give
        if sort == "relevance":
            member = Membership(chosen)
            order = [p for p in ranked if p in member]
            if miles is not None and text.scores:
                order = self._nearer_first(order, text, miles, point)
        else:
            order = positions_in(chosen)  # listings are kept in name order
            if sort == "distance":
                order.sort(key=lambda p: (miles[p] is None, miles[p] or 0.0))
        outcome = Outcome(
            results=[Result(self.listings[p], miles[p] if miles else None) for p in order],
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

    def __init__(self, generation, index, listings, pages, synonyms):
        super().__init__(listings)
        self.generation = generation
        self.index = index
        self.synonyms = synonyms
        self.pages = [PageHit(page["slug"], page["title"], page["summary"]) for page in pages]
        self.searcher = index.searcher()
        reader = self.searcher.reader()
        self.builder = QueryBuilder(reader)
        self._whoosh = threading.Lock()  # a Whoosh searcher is used by one thread at a time
        size = reader.doc_count_all()
        self._services = [-1] * size  # docnum → listing position, or -1
        self._pages = [-1] * size
        for docnum, stored in reader.iter_docs():
            target = self._services if stored["kind"] == "service" else self._pages
            target[docnum] = stored["position"]

    def close(self):
        self.searcher.close()
        self.index.close()

    def _run(self, query):
        """(score, docnum) of every document the query matches, best first."""
        with self._whoosh:
            return self.searcher.search(query, limit=None).top_n

    def _match(self, text):
        units = tuple(parse(text, self.synonyms))
        if not units:
            return TextMatch(self.facets.everything, (), units=())
        hits = self._run(self.builder.build(units))
        tiers = {}
        if len(units) > 1 and sum(1 for _, d in hits if self._services[d] >= 0) < LOOSE_BELOW:
            # Few services match every word: take those matching some, most words first.
            strict = len(hits)
            hits = self._run(self.builder.build(units, loose=True))
            with self._whoosh:
                found = [set(self.searcher.docs_for_query(q)) for q in self.builder.unit_queries(units)]
            tiers = {d: sum(d in docs for docs in found) for _, d in hits}
            hits.sort(key=lambda hit: (-tiers[hit[1]], -hit[0]))
            loose = len(hits) > strict
        else:
            loose = False
        services = [(self._services[d], score, tiers.get(d, 0)) for score, d in hits if self._services[d] >= 0]
        ranked = tuple(position for position, _, _ in services)
        pages = tuple(self.pages[self._pages[d]] for _, d in hits if self._pages[d] >= 0)
        return TextMatch(
            mask_of(ranked, self.facets.size), ranked, tuple(score for _, score, _ in services),
            tuple(tier for _, _, tier in services), pages, loose, units,
        )

    def suggestion(self, units):
        with self._whoosh:
            return self.builder.suggestion(units)

    def check(self):
        """Read every part of the index once, so damage shows now rather than mid-search."""
        self._run(whoosh_query.Every())


class DatabaseDirectory(Directory):
    """The directory straight from the database: plain word matching, name order."""

    def _match(self, text):
        words = tuple(word for word in words_of(text) if word not in QUERY_STOP_WORDS)
        if not words:
            return TextMatch(self.facets.everything, (), units=())
        ranked = tuple(p for p, listing in enumerate(self.listings) if all(w in listing.words for w in words))
        return TextMatch(mask_of(ranked, self.facets.size), ranked, units=words)
