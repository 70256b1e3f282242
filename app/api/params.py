"""The API's query parameters, read and checked: a bad one is a 400 that names it.

Each filter means what the Open Referral UK profile says it means; where the
profile is loose, the docstrings below say what this API decided.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time

from app.directory.opening_times import DAYS
from app.domain.postcodes import normalise_postcode
from app.domain.whole_numbers import is_whole_number

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 100_000
MAX_AGE = 127
MAX_PROXIMITY = 200_000  # metres: far wider than any county
MAX_TEXT = 200
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

LIST_PARAMETERS = ("page", "per_page")
SERVICE_FILTERS = (
    "search", "taxonomy_term_id", "taxonomy_id", "minimum_age", "maximum_age",
    "day", "start_time", "end_time", "postcode", "proximity", "modified_after",
)


class BadParameter(ValueError):
    """A parameter the API cannot use: ``name`` and a message for people."""

    def __init__(self, name, message):
        self.name = name
        super().__init__(message)


@dataclass(frozen=True)
class Paging:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


@dataclass(frozen=True)
class ServiceFilters:
    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    day: str | None = None  # "MO" … "SU"
    start_time: time | None = None
    end_time: time | None = None
    postcode: str | None = None  # tidied, "WR1 2AB"
    proximity: int | None = None  # metres
    modified_after: datetime | None = None  # in UTC, without a time zone

    @property
    def ages(self):
        """The age range asked for, (youngest, oldest), or None.

        A service is returned when it admits every age in the range: its minimum is
        no more than the youngest and its maximum no less than the oldest (a missing
        bound admits everyone). Given one bound alone, the range is that one age.
        """
        if self.minimum_age is None and self.maximum_age is None:
            return None
        youngest = self.minimum_age if self.minimum_age is not None else self.maximum_age
        oldest = self.maximum_age if self.maximum_age is not None else self.minimum_age
        return youngest, oldest

    @property
    def times(self):
        """A weekly session must match all of day, start and end together."""
        return self.day is not None or self.start_time is not None or self.end_time is not None


def _one(args, name):
    values = args.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, f"{name} must be given once")
    if not values:
        return None
    value = values[0].strip()
    if len(value) > MAX_TEXT:
        raise BadParameter(name, f"{name} must be {MAX_TEXT} characters or fewer")
    if _CONTROL.search(value):
        raise BadParameter(name, f"{name} must not hold control characters")
    return value or None


def _whole(args, name, low, high):
    value = _one(args, name)
    if value is None:
        return None
    if not is_whole_number(value) or not low <= int(value) <= high:
        raise BadParameter(name, f"{name} must be a whole number from {low} to {high}")
    return int(value)


def _time(args, name):
    value = _one(args, name)
    if value is None:
        return None
    match = _TIME.match(value)
    if not match:
        raise BadParameter(name, f"{name} must be a time like 09:30 or 17:00:00")
    return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


def _day(args):
    value = _one(args, "day")
    if value is None:
        return None
    word = value.lower()
    if value.upper() in DAYS:
        return value.upper()
    if word in DAY_NAMES:
        return DAYS[DAY_NAMES.index(word)]
    raise BadParameter("day", "day must be one of MO, TU, WE, TH, FR, SA, SU (or a day's name, such as monday)")


def _moment(args, name):
    value = _one(args, name)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace(" ", "+"))  # a "+" in a query string arrives as a space
    except ValueError:
        raise BadParameter(name, f"{name} must be a date, or a date and time, like 2026-03-31T09:00:00Z") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def paging(args):
    return Paging(
        page=_whole(args, "page", 1, MAX_PAGE) or 1,
        per_page=_whole(args, "per_page", 1, MAX_PER_PAGE) or DEFAULT_PER_PAGE,
    )


def service_filters(args):
    """The filters of ``/services`` and ``/service_at_locations``."""
    postcode_text = _one(args, "postcode")
    postcode = None
    if postcode_text is not None:
        postcode = normalise_postcode(postcode_text)
        if postcode is None:
            raise BadParameter("postcode", "postcode must be a UK postcode, like WR1 2AB")
    proximity = _whole(args, "proximity", 1, MAX_PROXIMITY)
    if proximity is not None and postcode is None:
        raise BadParameter("proximity", "proximity needs a postcode to measure from")
    filters = ServiceFilters(
        search=_one(args, "search"),
        taxonomy_term_id=_one(args, "taxonomy_term_id"),
        taxonomy_id=_one(args, "taxonomy_id"),
        minimum_age=_whole(args, "minimum_age", 0, MAX_AGE),
        maximum_age=_whole(args, "maximum_age", 0, MAX_AGE),
        day=_day(args),
        start_time=_time(args, "start_time"),
        end_time=_time(args, "end_time"),
        postcode=postcode,
        proximity=proximity,
        modified_after=_moment(args, "modified_after"),
    )
    if filters.minimum_age is not None and filters.maximum_age is not None and filters.minimum_age > filters.maximum_age:
        raise BadParameter("minimum_age", "minimum_age must not be more than maximum_age")
    if filters.start_time is not None and filters.end_time is not None and filters.start_time >= filters.end_time:
        raise BadParameter("end_time", "end_time must be later than start_time")
    return filters
