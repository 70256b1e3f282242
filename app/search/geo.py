"""Where a family is, and how far each service is from them."""

from dataclasses import dataclass
from math import asin, cos, radians, sin, sqrt

from app.directory.postcodes import normalise_postcode

EARTH_RADIUS_MILES = 3958.8


@dataclass(frozen=True)
class Point:
    """A located postcode."""

    postcode: str
    latitude: float
    longitude: float
    in_area: bool  # inside the council's own postcode districts
    district: str | None  # slug of the council's district, when in the area
    exact: bool  # located from the postcode table, not a postcode district's centre


class Distances:
    """Each listing's nearest venue, in miles (haversine), from one point.

    Venues are kept in radians with their cosines, so a distance is a handful of
    multiplications: 10,000 services take a few milliseconds.
    """

    def __init__(self, listings):
        self._places = [
            tuple((radians(lat), radians(lon), cos(radians(lat))) for lat, lon in listing.places)
            for listing in listings
        ]

    def from_point(self, point):
        lat0, lon0 = radians(point.latitude), radians(point.longitude)
        cos0 = cos(lat0)
        two_r = 2 * EARTH_RADIUS_MILES
        result = []
        for places in self._places:
            if not places:
                result.append(None)
                continue
            best = None
            for lat, lon, cos_lat in places:
                a = sin((lat - lat0) / 2) ** 2 + cos0 * cos_lat * sin((lon - lon0) / 2) ** 2
                if best is None or a < best:
                    best = a
            result.append(two_r * asin(min(1.0, sqrt(best))))
        return result


def locate(text, settings, lookup):
    """The point for a postcode, or None when it cannot be placed.

    ``lookup(postcode)`` returns (latitude, longitude) from the postcode table, or
    None; then the postcode district's centre from the site settings is used.
    """
    postcode = normalise_postcode(text)
    if postcode is None:
        return None
    outward = postcode.split(" ")[0]
    known = settings.postcode_district(outward)
    district = known[0].slug if known else None
    found = lookup(postcode)
    if found is not None:
        return Point(postcode, found[0], found[1], known is not None, district, True)
    if known is not None:
        centre = known[1]
        return Point(postcode, centre.latitude, centre.longitude, True, district, False)
    return None
