"""Which records a list asks for: the listed services held compactly in memory, and filtered there.

Each worker keeps one ``Snapshot`` of the listed services (the same statuses the
site shows) for ``DIRECTORY_CACHE_SECONDS``, read again as soon as the
directory's version moves on (a change on any server). It holds only what the filters need, a few small tuples
a service, so a list of 10,000 services is filtered in a few milliseconds; the
records on the page asked for are then read from the database.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from math import asin, cos, radians, sin, sqrt

from flask import current_app
from sqlalchemy import select

from app import clock
from app.directory.opening_times import DAYS, sessions_from_schedules
from app.directory_version import directory_version
from app.extensions import db
from app.models import Attribute, DirectoryVersion, Location, Schedule, Service, ServiceAtLocation, TaxonomyTerm, codes
from app.page_cache import cache

EARTH_RADIUS_METRES = 6_371_008.8


@dataclass(frozen=True)
class Place:
    id: str  # the service at location's id
    location_id: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Entry:
    """One listed service, as the filters see it."""

    id: str
    terms: frozenset  # taxonomy term ids, with their parents' (a service in a sub-category is in the category)
    taxonomies: frozenset  # taxonomy ids of those terms
    minimum_age: int | None
    maximum_age: int | None
    sessions: tuple  # (day code, opens, closes, valid_to) of each weekly session
    last_modified: datetime | None  # UTC, no time zone
    places: tuple  # Place, in id order

    def admits(self, youngest, oldest):
        return ((self.minimum_age is None or self.minimum_age <= youngest)
                and (self.maximum_age is None or self.maximum_age >= oldest))

    def meets(self, day, start, end, today):
        """A weekly session still running on ``day`` (any, when None) that starts no earlier than
        ``start`` and ends no later than ``end``."""
        return any(
            (day is None or session_day == day)
            and (start is None or opens >= start)
            and (end is None or closes <= end)
            and (valid_to is None or valid_to >= today)
            for session_day, opens, closes, valid_to in self.sessions
        )


@dataclass(frozen=True)
class Snapshot:
    entries: tuple  # Entry, in the site's order: name, then id
    positions: dict  # service id -> position in entries
    read_at: datetime  # when this worker read the directory (aware, UTC, whole seconds)
    changed_at: datetime | None  # when the directory last changed, the same on every server (None before any change)
    version: int  # the directory's version when it was read


def snapshot():
    """This worker's snapshot: read again when the directory's version moves on (a change made on any
    server), else after ``DIRECTORY_CACHE_SECONDS``."""
    version = directory_version()
    kept = cache().get("api-snapshot", current_app.config["DIRECTORY_CACHE_SECONDS"])
    if kept is None or kept.version != version:
        kept = _load(version)
        cache().put("api-snapshot", kept)
    return kept


def _load(version):
    listed = select(Service.id).where(Service.status.in_(codes.LISTED_STATUSES))
    parents = dict(db.session.execute(select(TaxonomyTerm.id, TaxonomyTerm.parent_id)).all())
    terms = defaultdict(list)
    rows = db.session.execute(
        select(Attribute.service_id, TaxonomyTerm.id, TaxonomyTerm.taxonomy_id)
        .join(TaxonomyTerm, Attribute.taxonomy_term_id == TaxonomyTerm.id)
        .where(Attribute.service_id.in_(listed))
    )
    for service_id, term_id, taxonomy_id in rows:
        seen = set()
        while term_id is not None and term_id not in seen:  # the term, then each parent up
            seen.add(term_id)
            terms[service_id].append((term_id, taxonomy_id))
            term_id = parents.get(term_id)
    schedules = defaultdict(list)
    rows = db.session.execute(
        select(Schedule.service_id, Schedule.byday, Schedule.opens_at, Schedule.closes_at,
               Schedule.valid_from, Schedule.valid_to)
        .where(Schedule.service_id.in_(listed))
    )
    for row in rows:
        schedules[row.service_id].append(row)
    places = defaultdict(list)
    rows = db.session.execute(
        select(ServiceAtLocation.service_id, ServiceAtLocation.id, Location.id, Location.latitude, Location.longitude)
        .join(Location, ServiceAtLocation.location_id == Location.id)
        .where(ServiceAtLocation.service_id.in_(listed))
        .order_by(ServiceAtLocation.id)
    )
    for service_id, link_id, location_id, latitude, longitude in rows:
        places[service_id].append(Place(link_id, location_id, latitude, longitude))
    services = db.session.execute(
        select(Service.id, Service.minimum_age, Service.maximum_age, Service.last_modified)
        .where(Service.status.in_(codes.LISTED_STATUSES))
        .order_by(Service.name, Service.id)
    )
    entries = []
    for service_id, minimum_age, maximum_age, last_modified in services:
        if last_modified is not None and last_modified.tzinfo is not None:
            last_modified = last_modified.astimezone(UTC).replace(tzinfo=None)
        found = terms.get(service_id, ())
        entries.append(Entry(
            id=service_id,
            terms=frozenset(term for term, _ in found),
            taxonomies=frozenset(taxonomy for _, taxonomy in found),
            minimum_age=minimum_age,
            maximum_age=maximum_age,
            sessions=tuple((DAYS[session.weekday], session.opens, session.closes, session.valid_to)
                           for session in sessions_from_schedules(schedules.get(service_id, ()))),
            last_modified=last_modified,
            places=tuple(places.get(service_id, ())),
        ))
    return Snapshot(
        entries=tuple(entries),
        positions={entry.id: position for position, entry in enumerate(entries)},
        read_at=clock.now().astimezone(UTC).replace(microsecond=0),
        version=version,
        changed_at=_whole_seconds(db.session.scalar(select(DirectoryVersion.changed_at).where(DirectoryVersion.id == version))),
    )


def _whole_seconds(moment):
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).replace(microsecond=0)


def metres_between(latitude, longitude, other_latitude, other_longitude):
    """Metres (haversine) between two points."""
    a = (sin(radians(other_latitude - latitude) / 2) ** 2
         + cos(radians(latitude)) * cos(radians(other_latitude)) * sin(radians(other_longitude - longitude) / 2) ** 2)
    return 2 * EARTH_RADIUS_METRES * asin(sqrt(min(1.0, a)))


def _keep(entry, filters, today):
    if filters.taxonomy_term_id is not None and filters.taxonomy_term_id not in entry.terms:
        return False
    if filters.taxonomy_id is not None and filters.taxonomy_id not in entry.taxonomies:
        return False
    ages = filters.ages
    if ages is not None and not entry.admits(*ages):
        return False
    if filters.times and not entry.meets(filters.day, filters.start_time, filters.end_time, today):
        return False
    if filters.modified_after is not None and (entry.last_modified is None
                                               or entry.last_modified < filters.modified_after):
        return False
    return True


def _distance(place, point):
    if point is None or place.latitude is None or place.longitude is None:
        return None
    return metres_between(point[0], point[1], place.latitude, place.longitude)


def _ordered(snap, filters, matching_ids):
    """Entries that pass the filters: best match first when searching, else in the site's order."""
    today = clock.now().date()
    if matching_ids is None:
        candidates = snap.entries
    else:
        candidates = [snap.entries[snap.positions[i]] for i in matching_ids if i in snap.positions]
    return [entry for entry in candidates if _keep(entry, filters, today)]


def select_services(filters, matching_ids=None, point=None):
    """Listed services' ids in answer order; nearest first (and within ``proximity``) given a point."""
    entries = _ordered(snapshot(), filters, matching_ids)
    if point is None:
        return [entry.id for entry in entries]
    measured = []
    for rank, entry in enumerate(entries):
        distances = [d for d in (_distance(place, point) for place in entry.places) if d is not None]
        nearest = min(distances) if distances else None
        if filters.proximity is not None and (nearest is None or nearest > filters.proximity):
            continue
        measured.append((nearest is None, nearest or 0.0, rank, entry.id))
    measured.sort()
    return [service_id for *_, service_id in measured]


def select_places(filters, matching_ids=None, point=None):
    """Services at locations' ids, each service's in id order; nearest first given a point."""
    entries = _ordered(snapshot(), filters, matching_ids)
    found = []
    for rank, entry in enumerate(entries):
        for order, place in enumerate(entry.places):
            distance = _distance(place, point)
            if filters.proximity is not None and (distance is None or distance > filters.proximity):
                continue
            found.append((point is not None and distance is None, distance or 0.0, rank, order, place.id))
    if point is not None:
        found.sort()
    return [place_id for *_, place_id in found]

