"""What search returns and is asked: a listed service, and the filters of a results page.

Plain data, tested without a request, a database or an index. The directory
builds listings from the database (``app/directory/catalogue.py``) and filters
from the query string (``app/directory/forms.py``).
"""

from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields

AGES = tuple(range(26))  # whole years a family can filter by
REMOTE_DELIVERY = frozenset({"online", "telephone"})


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
    languages: frozenset = frozenset()  # language codes, such as "pl"
    days: frozenset = frozenset()  # weekdays with a session, 0 is Monday
    places: tuple = ()  # (latitude, longitude) of each venue
    access: frozenset = frozenset()  # how to start: drop-in, self-referral, professional-referral
    # Weekly sessions as (weekday, opens, closes, valid from, valid to), times and dates in ISO form
    hours: tuple = ()
    open_on_bank_holidays: bool = False
    words: str = field(default="", repr=False)  # lower-case text for the plain keyword match

    @property
    def anywhere(self):
        """Online or by phone: within reach wherever a family lives."""
        return bool(self.delivery & REMOTE_DELIVERY)

    def suits_age(self, age):
        if age == "pregnancy":
            return self.for_pregnancy
        return self.suits_ages(age, age)

    def suits_ages(self, youngest, oldest):
        """Open to some age from ``youngest`` to ``oldest`` (years)."""
        low = 0 if self.minimum_age is None else self.minimum_age
        high = 200 if self.maximum_age is None else self.maximum_age
        return low <= oldest and youngest <= high

    def to_json(self):
        """The listing as JSON values, without ``words`` (the search index has the text)."""
        values = {}
        for item in dataclass_fields(self):
            value = getattr(self, item.name)
            values[item.name] = sorted(value) if isinstance(value, frozenset) else value
        del values["words"]
        values["places"] = [list(place) for place in self.places]
        values["hours"] = [list(session) for session in self.hours]
        return values

    @classmethod
    def from_json(cls, values):
        values = dict(values)
        for name in ("districts", "categories", "delivery", "languages", "days", "access"):
            values[name] = frozenset(values.get(name, ()))
        values["places"] = tuple(tuple(place) for place in values.get("places", ()))
        values["hours"] = tuple(tuple(session) for session in values.get("hours", ()))
        return cls(**values)


@dataclass(frozen=True)
class Filters:
    """Everything a results page was asked for, from its query string."""

    q: str = ""
    category: str | None = None
    district: str | None = None
    age: int | str | None = None  # whole years, or "pregnancy"
    free: bool = False
    level: str | None = None
    language: str | None = None
    day: int | None = None
    delivery: str | None = None
    postcode: str | None = None
    radius: int | None = None
    sort: str | None = None

    FACETS = ("category", "district", "age", "free", "level", "language", "day", "delivery")

    def without(self, facet):
        return replace(self, **{facet: False if facet == "free" else None})

    def active(self):
        return [facet for facet in self.FACETS if getattr(self, facet) not in (None, False)]


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
    if facet == "language":
        return listing.languages
    if facet == "day":
        return listing.days
    if facet == "delivery":
        return listing.delivery
    raise ValueError(facet)
