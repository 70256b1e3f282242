"""Browsing the directory: the choices its filters offer, and pages of results.

Plain data and functions, tested without a request, a database or an index.
What a listed service is, and the filters as asked for, belong to ``app.search``
(``app/search/listing.py``), which counts and applies them over many services at once.
"""

from dataclasses import dataclass
from math import ceil

PAGE_SIZE = 20
WEEKDAYS = tuple(range(7))  # 0 is Monday
DAY_SLUGS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # in URLs
RADII = (1, 2, 5, 10, 20)  # miles
DELIVERY = ("in-person", "online", "telephone")
LEVELS = ("universal", "targeted")


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
