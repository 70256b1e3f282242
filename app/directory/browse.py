"""Browsing the directory: filters, the counts each filter option would leave, pages.

Plain functions over ``Listing`` records (one per listed service), so they are
tested without a request or a database.
"""

from dataclasses import dataclass, field, replace
from math import ceil

PAGE_SIZE = 20
AGES = tuple(range(0, 26))


@dataclass(frozen=True)
class Listing:
    """What the results page needs to know about one service."""

    id: str
    slug: str
    name: str
    organization: str
    summary: str
    fees: str
    free: bool
    districts: frozenset
    minimum_age: int | None
    maximum_age: int | None
    for_pregnancy: bool
    need_level: str | None
    categories: frozenset  # sub-category codes and their parents' codes
    delivery: frozenset
    status: str
    words: str = field(default="", repr=False)  # lower-case text for the simple keyword match

    def suits_age(self, age):
        if age == "pregnancy":
            return self.for_pregnancy
        low = 0 if self.minimum_age is None else self.minimum_age
        high = 200 if self.maximum_age is None else self.maximum_age
        return low <= age <= high


@dataclass(frozen=True)
class Filters:
    q: str = ""
    category: str | None = None
    district: str | None = None
    age: int | str | None = None  # whole years, or "pregnancy"
    free: bool = False
    level: str | None = None

    FACETS = ("category", "district", "age", "free", "level")

    def without(self, facet):
        return replace(self, **{facet: False if facet == "free" else None})

    def active(self):
        return [facet for facet in self.FACETS if getattr(self, facet) not in (None, False)]


def matches(listing: Listing, filters: Filters) -> bool:
    if filters.category and filters.category not in listing.categories:
        return False
    if filters.district and filters.district not in listing.districts:
        return False
    if filters.age is not None and not listing.suits_age(filters.age):
        return False
    if filters.free and not listing.free:
        return False
    if filters.level and listing.need_level != filters.level:
        return False
    if filters.q:
        return all(word in listing.words for word in filters.q.casefold().split())
    return True


def apply(listings, filters: Filters):
    return [listing for listing in listings if matches(listing, filters)]


def option_values(listing: Listing, facet: str):
    """The values of one facet that this listing would match."""
    if facet == "category":
        return listing.categories
    if facet == "district":
        return listing.districts
    if facet == "level":
        return (listing.need_level,)
    if facet == "free":
        return (True,) if listing.free else ()
    if facet == "age":
        ages = [age for age in AGES if listing.suits_age(age)]
        return ["pregnancy", *ages] if listing.for_pregnancy else ages
    raise ValueError(facet)


def facet_counts(listings, filters: Filters, options: dict):
    """For each facet, how many services each option would leave.

    ``options`` maps a facet to the values it offers. A count is worked out with
    every other chosen filter in force and this option in place of the facet's
    current choice, so following an option shows exactly that many results.
    The count under ``None`` is for leaving the facet open.
    """
    counts = {}
    for facet, values in options.items():
        tally = dict.fromkeys(values, 0)
        base = apply(listings, filters.without(facet))
        tally[None] = len(base)  # the count with this facet left open
        for listing in base:
            for value in option_values(listing, facet):
                if value in tally:
                    tally[value] += 1
        counts[facet] = tally
    return counts


@dataclass(frozen=True)
class Page:
    items: list
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self):
        return max(1, ceil(self.total / self.size))

    @property
    def first(self):
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self):
        return min(self.number * self.size, self.total)


def paginate(results, number, size=PAGE_SIZE):
    """The page ``number`` of results (clamped to the last page)."""
    pages = max(1, ceil(len(results) / size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    return Page(results[start : start + size], number, len(results), size)
