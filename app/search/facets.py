"""Filters and their counts over many services at once, as bit sets.

Each facet value (a category, a district, an age …) has a Python integer whose
bit *n* is set when the *n*-th service has that value. Applying filters is then
a few ``&`` operations, and a count is ``bit_count()``: about a microsecond each
for 10,000 services, so every option on the page gets an exact count.
"""

from collections import defaultdict

import numpy as np

from app.search.listing import Filters, option_values


def mask_from_flags(flags):
    """The bit set of a boolean array: bit *n* set when ``flags[n]`` is true."""
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def flags_of(mask, size):
    """The boolean array of a bit set, ``size`` long."""
    data = np.frombuffer(mask.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(data, count=size, bitorder="little").view(bool)


def mask_of(positions, size):
    """The bit set with these positions set."""
    flags = np.zeros(size, dtype=bool)
    if not isinstance(positions, np.ndarray):
        positions = np.fromiter(positions, dtype=np.int64)
    flags[positions] = True
    return mask_from_flags(flags)


def positions_in(mask):
    """The positions set in a bit set, lowest first, as an array."""
    return np.flatnonzero(flags_of(mask, mask.bit_length()))


class FacetIndex:
    """The bit sets of every facet value over a list of listings."""

    def __init__(self, listings):
        self.size = len(listings)
        self.everything = (1 << self.size) - 1
        positions = {facet: defaultdict(list) for facet in Filters.FACETS}
        remote, placeless = [], []
        for position, listing in enumerate(listings):
            for facet in Filters.FACETS:
                for value in option_values(listing, facet):
                    positions[facet][value].append(position)
            if listing.anywhere:
                remote.append(position)
            if not listing.places:
                placeless.append(position)
        self.masks = {
            facet: {value: mask_of(found, self.size) for value, found in values.items()}
            for facet, values in positions.items()
        }
        self.anywhere = mask_of(remote, self.size)
        self.placeless = mask_of(placeless, self.size)

    def value(self, facet, value):
        return self.masks[facet].get(value, 0)

    def chosen(self, filters, leave_open=None):
        """Services that every chosen filter allows (but ``leave_open``)."""
        mask = self.everything
        for facet in Filters.FACETS:
            if facet == leave_open:
                continue
            value = getattr(filters, facet)
            if value is None or value is False:
                continue
            mask &= self.value(facet, value)
        return mask

    def counts(self, filters, within, options):
        """For each facet, how many services each option would leave.

        ``within`` holds the services the search words and distance allow. A
        count is made with every other chosen filter in force and this option
        in place of the facet's own choice, so following an option shows
        exactly that many results. The count under ``None`` leaves the facet open.
        """
        counts = {}
        for facet, values in options.items():
            base = within & self.chosen(filters, leave_open=facet)
            tally = {None: base.bit_count()}
            for value in values:
                tally[value] = (base & self.value(facet, value)).bit_count()
            counts[facet] = tally
        return counts
