"""Importing services: check every record, then write all of them or none.

One bad record stops the import with a message naming the record, the field and
the problem, and the database is left as it was.
"""

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from app import clock
from app.directory import oruk
from app.directory.catalogue import directory_changed
from app.directory.slugs import unique_slug
from app.domain.postcodes import normalise_postcode
from app.extensions import db
from app.models import Feed, FormerSlug, Location, Organization, Service, Taxonomy, TaxonomyTerm
from app.models.location import Accessibility, Address
from app.models.service import (
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Phone,
    Schedule,
    ServiceArea,
    ServiceAtLocation,
)

# What a service and a location are made of, in the order their rows can be deleted.
SERVICE_CHILDREN = (Phone, Contact, Schedule, ServiceArea, ServiceAtLocation, Language, CostOption, Funding, Attribute)
LOCATION_CHILDREN = (Address, Accessibility)

STATUSES = ("active", "inactive", "defunct", "temporarily closed")
LOCATION_TYPES = ("physical", "postal", "virtual")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")
# Coordinates must fall in or near the United Kingdom.
LATITUDES = (49.0, 61.0)
LONGITUDES = (-8.7, 2.0)


@dataclass(frozen=True)
class Problem:
    record: str
    field: str
    message: str

    def __str__(self):
        return f"{self.record}: {self.field}: {self.message}" if self.field else f"{self.record}: {self.message}"


class ImportRejected(Exception):
    """Nothing was imported; ``problems`` says why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def parse_json(text):
    """Service records from Open Referral UK JSON: a list, or a page with ``contents``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRejected(
            [Problem("The file", "", f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})")]
        ) from None
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    if not isinstance(data, list):
        raise ImportRejected([Problem("The file", "", "must hold a list of services, or a page with \"contents\"")])
    return data


class _Checker:
    """Checks one record, collecting problems and building a cleaned copy.

    Given a list of ``notes`` (a feed pulled from another organisation), what the
    Open Referral UK schema allows but this directory cannot use is left out with a
    note rather than refused: coordinates outside the United Kingdom, a postcode
    that is not a UK one (kept as written), a taxonomy term the directory does not know.
    """

    def __init__(self, label, known_terms, notes=None):
        self.label = label
        self.known_terms = known_terms
        self.problems = []
        self.notes = notes

    def fail(self, path, message):
        self.problems.append(Problem(self.label, path, message))

    def leave_out(self, path, message):
        """True when the value may be left out (noted) rather than refused."""
        if self.notes is None:
            return False
        self.notes.append(Problem(self.label, path, message))
        return True

    def obj(self, value, path):
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
            return None
        return value

    def items(self, record, key, path):
        value = record.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{path}{key}", "must be a list")
            return []
        return [(item, f"{path}{key}[{i}]") for i, item in enumerate(value) if self.obj(item, f"{path}{key}[{i}]")]

    def ident(self, record, path):
        value, field = record.get("id"), f"{path}.id" if path else "id"
        if not isinstance(value, str) or not value:
            return self.fail(field, "is missing")
        try:
            return str(uuid.UUID(value))
        except ValueError:
            self.fail(field, f"\"{value}\" is not a UUID")

    def text(self, record, key, path, required=False, limit=None):
        value = record.get(key)
        if value is None or value == "":
            if required:
                self.fail(f"{path}{key}", "is missing")
            return None
        if not isinstance(value, str):
            self.fail(f"{path}{key}", "must be text")
            return None
        if limit and len(value) > limit:
            self.fail(f"{path}{key}", f"must be {limit} characters or fewer")
        return value

    def choice(self, record, key, path, choices, required=False):
        value = self.text(record, key, path, required)
        if value is not None and value not in choices:
            self.fail(f"{path}{key}", f"\"{value}\" must be one of: {', '.join(choices)}")
        return value

    def number(self, record, key, path, low=None, high=None, whole=False):
        value = record.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(f"{path}{key}", "must be a number")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(f"{path}{key}", f"\"{value}\" is not a number")
            return None
        if not number.is_finite() or (whole and number != number.to_integral_value()):
            self.fail(f"{path}{key}", f"\"{value}\" must be a whole number" if whole else "must be a number")
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            self.fail(f"{path}{key}", f"{value} must be between {low} and {high}")
            return None
        return number

    def day(self, record, key, path):
        value = self.text(record, key, path)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{path}{key}", f"\"{value}\" is not a date like 2026-03-31")

    def moment(self, record, key, path):
        value = self.text(record, key, path)
        if value is None:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"{path}{key}", f"\"{value}\" is not a date and time like 2026-03-31T09:00:00Z")

    def clock(self, record, key, path):
        value = self.text(record, key, path)
        if value is None:
            return None
        match = _TIME.match(value.strip())
        if not match:
            self.fail(f"{path}{key}", f"\"{value}\" is not a time like 09:30 or 17:00:00")
            return None
        return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))

    # ------------------------------------------------------------ objects

    def service(self, record):
        clean = dict(record)
        clean["id"] = self.ident(record, "")
        self.text(record, "name", "", required=True, limit=255)
        self.choice(record, "status", "", STATUSES, required=True)
        for key in ("description", "fees", "accreditations", "alert", "assurer_email"):
            self.text(record, key, "")
        clean["url"] = self.web_address(record, "url", "")
        clean["email"] = self.email(record, "email", "")
        low = self.number(record, "minimum_age", "", 0, 120, whole=True)
        high = self.number(record, "maximum_age", "", 0, 120, whole=True)
        if low is not None and high is not None and low > high:
            self.fail("minimum_age", f"{low} is more than maximum_age {high}")
        clean["minimum_age"] = None if low is None else int(low)
        clean["maximum_age"] = None if high is None else int(high)
        clean["assured_date"] = self.day(record, "assured_date", "")
        clean["last_modified"] = self.moment(record, "last_modified", "")
        if record.get("organization") is not None and self.obj(record["organization"], "organization"):
            clean["organization"] = self.organization(record["organization"], "organization.")
        clean["phones"] = [self.phone(p, f"{path}.") for p, path in self.items(record, "phones", "")]
        clean["contacts"] = [self.contact(c, f"{path}.") for c, path in self.items(record, "contacts", "")]
        clean["schedules"] = [self.schedule(s, f"{path}.") for s, path in self.items(record, "schedules", "")]
        clean["service_areas"] = [self.simple(a, path) for a, path in self.items(record, "service_areas", "")]
        clean["service_at_locations"] = [
            self.service_at_location(link, f"{path}.") for link, path in self.items(record, "service_at_locations", "")
        ]
        clean["languages"] = [self.simple(lang, path) for lang, path in self.items(record, "languages", "")]
        clean["cost_options"] = [self.cost(c, f"{path}.") for c, path in self.items(record, "cost_options", "")]
        clean["funding"] = [self.simple(f, path) for f, path in self.items(record, "funding", "")]
        attributes = [self.attribute(a, f"{path}.") for a, path in self.items(record, "attributes", "")]
        clean["attributes"] = [a for a in attributes if a is not None]
        return clean

    def simple(self, record, path):
        return dict(record, id=self.ident(record, path))

    def organization(self, record, path):
        clean = dict(record, id=self.ident(record, path.rstrip(".")))
        self.text(record, "name", path, required=True, limit=255)
        clean["website"] = self.web_address(record, "website", path)
        clean["email"] = self.email(record, "email", path)
        return clean

    def phone(self, record, path):
        clean = dict(record, id=self.ident(record, path.rstrip(".")))
        number = self.text(record, "number", path, required=True, limit=40)
        if number and not re.fullmatch(r"[0-9+() -]{3,40}", number):
            self.fail(f"{path}number", f"\"{number}\" is not a phone number")
        return clean

    def contact(self, record, path):
        clean = dict(record, id=self.ident(record, path.rstrip(".")))
        clean["email"] = self.email(record, "email", path)
        clean["phones"] = [self.phone(p, f"{p_path}.") for p, p_path in self.items(record, "phones", path)]
        return clean

    def schedule(self, record, path):
        clean = dict(record, id=self.ident(record, path.rstrip(".")))
        self.choice(record, "freq", path, ("WEEKLY", "MONTHLY"))
        interval = self.number(record, "interval", path, 1, 52, whole=True)
        clean["interval"] = None if interval is None else int(interval)
        byday = self.text(record, "byday", path)
        if byday:
            wrong = [d for d in byday.split(",") if d.strip().upper() not in DAY_CODES]
            if wrong:
                self.fail(f"{path}byday", f"\"{byday}\" must list days as MO,TU,WE,TH,FR,SA,SU")
        clean["opens_at"] = self.clock(record, "opens_at", path)
        clean["closes_at"] = self.clock(record, "closes_at", path)
        if clean["opens_at"] and clean["closes_at"] and clean["opens_at"] >= clean["closes_at"]:
            self.fail(f"{path}closes_at", "must be later than opens_at")
        clean["valid_from"] = self.day(record, "valid_from", path)
        clean["valid_to"] = self.day(record, "valid_to", path)
        return clean

    def service_at_location(self, record, path):
        clean = dict(record, id=self.ident(record, path.rstrip(".")))
        location = self.obj(record.get("location"), f"{path}location")
        clean["location"] = self.location(location, f"{path}location.") if location else {"id": None}
        return clean

    def location(self, record, path):
        clean = dict(record, id=self.ident(record, path.rstrip(".")))
        clean["location_type"] = self.choice(record, "location_type", path, LOCATION_TYPES) or "physical"
        before = len(self.problems)
        latitude = self.number(record, "latitude", path, *LATITUDES)
        longitude = self.number(record, "longitude", path, *LONGITUDES)
        if (record.get("latitude") is None) != (record.get("longitude") is None):
            self.fail(f"{path}latitude", "latitude and longitude must be given together")
        if len(self.problems) > before and self.leave_out(
                f"{path}latitude", "left out: the coordinates are not a place in the United Kingdom"):
            del self.problems[before:]
            latitude = longitude = None
        clean["latitude"] = None if latitude is None else float(latitude)
        clean["longitude"] = None if longitude is None else float(longitude)
        clean["addresses"] = [self.address(a, f"{a_path}.") for a, a_path in self.items(record, "addresses", path)]
        clean["accessibility"] = [self.simple(a, a_path) for a, a_path in self.items(record, "accessibility", path)]
        return clean

    def address(self, record, path):
        clean = dict(record, id=self.ident(record, path.rstrip(".")))
        self.text(record, "address_1", path, required=True, limit=255)
        self.text(record, "city", path, required=True, limit=120)
        postcode = self.text(record, "postal_code", path, required=True)
        if postcode:
            clean["postal_code"] = normalise_postcode(postcode)
            if clean["postal_code"] is None:
                if len(postcode.strip()) <= 10 and self.leave_out(
                        f"{path}postal_code", f"\"{postcode}\" is not a UK postcode: kept as written, not placed"):
                    clean["postal_code"] = postcode.strip()
                else:
                    self.fail(f"{path}postal_code", f"\"{postcode}\" is not a UK postcode")
        clean["country"] = self.text(record, "country", path) or "GB"
        clean["address_type"] = self.choice(record, "address_type", path, LOCATION_TYPES) or "physical"
        return clean

    def cost(self, record, path):
        clean = dict(record, id=self.ident(record, path.rstrip(".")))
        clean["amount"] = self.number(record, "amount", path, 0, 100000)
        clean["valid_from"] = self.day(record, "valid_from", path)
        clean["valid_to"] = self.day(record, "valid_to", path)
        return clean

    def attribute(self, record, path):
        clean = dict(record, id=self.ident(record, path.rstrip(".")))
        embedded = record.get("taxonomy_term") if isinstance(record.get("taxonomy_term"), dict) else {}
        term_id = record.get("taxonomy_term_id") or embedded.get("id")
        if term_id not in self.known_terms:
            name = term_id or embedded.get("term")
            if self.leave_out(f"{path}taxonomy_term_id", f"left out: taxonomy term \"{name}\" is not one of ours"):
                return None
            self.fail(f"{path}taxonomy_term_id", f"unknown taxonomy term \"{name}\"")
        clean["taxonomy_term_id"] = term_id
        return clean

    def web_address(self, record, key, path):
        value = self.text(record, key, path, limit=500)
        if value and not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
            self.fail(f"{path}{key}", f"\"{value}\" is not a web address starting with https://")
        return value

    def email(self, record, key, path):
        value = self.text(record, key, path, limit=255)
        if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            self.fail(f"{path}{key}", f"\"{value}\" is not an email address")
        return value


def check_services(records, known_terms, numbering=("Service", 1), problems=(), notes=None):
    """Cleaned records, or ``ImportRejected`` listing every problem found.

    ``numbering`` names records in messages: ("Service", 1) for JSON, ("Row", 2)
    for a CSV whose first row is the header. ``notes`` (a list) checks a pulled
    feed: see ``_Checker``.
    """
    problems, cleaned, seen = list(problems), [], {}
    word, start = numbering
    for number, record in enumerate(records, start=start):
        name = record.get("name") if isinstance(record, dict) else None
        label = f"{word} {number}" + (f" \"{name}\"" if isinstance(name, str) and name else "")
        checker = _Checker(label, known_terms, notes)
        if checker.obj(record, "") is None:
            problems.extend(checker.problems)
            continue
        clean = checker.service(record)
        if clean["id"] in seen:
            checker.fail("id", f"is the same as {word.lower()} {seen[clean['id']]}'s")
        seen.setdefault(clean["id"], number)
        problems.extend(checker.problems)
        cleaned.append(clean)
    if problems:
        raise ImportRejected(problems)
    return cleaned


def import_services(records, progress=lambda items: items, numbering=("Service", 1), problems=(),
                    feed=None, notes=None, commit=True):
    """Check and import service records; all are written or none.

    ``problems`` already found (say, reading a CSV) are reported with the
    checks' own. Services are replaced whole by id; organisations and locations shared by
    several services are updated in place. Returns the number imported.

    With a ``feed`` (pulled from another organisation), the services become that
    feed's; one whose id the council or another feed already holds is refused, and
    the feed's services that are not in ``records`` any more are closed (defunct),
    not deleted. ``commit=False`` leaves the changes unsaved in the session, for the
    caller to look at and roll back (a dry run).
    """
    known_terms = set(db.session.scalars(select(TaxonomyTerm.id)))
    cleaned = check_services(records, known_terms, numbering, problems, notes)
    if feed is not None:
        _check_owners(cleaned, feed, numbering)
    try:
        taken = dict(db.session.execute(select(Service.slug, Service.id)).all())
        locations, organizations = {}, {}
        # Slugs, locations and organisations already added are tracked here, so nothing needs
        # flushing before each look-up: the services are written together, at the end.
        with db.session.no_autoflush:
            for record in progress(cleaned):
                existing = db.session.get(Service, record["id"])
                if existing is not None:
                    taken.pop(existing.slug, None)
                    retire_slug(existing)  # kept unless the service keeps its slug (below)
                    db.session.delete(existing)
                    db.session.flush()
                organization = None
                if record.get("organization"):
                    org = record["organization"]
                    organization = organizations.get(org["id"]) or db.session.merge(oruk.build_organization(org))
                    organizations[org["id"]] = organization
                for link in record["service_at_locations"]:
                    place = link["location"]
                    if place["id"] not in locations:
                        locations[place["id"]] = db.session.merge(oruk.build_location(place))
                slug = unique_slug(record["name"], taken)
                taken[slug] = record["id"]
                service = oruk.build_service(record, slug, organization, locations)
                if feed is not None:
                    service.feed = feed
                    service.last_modified = service.last_modified or clock.utc_now()
                db.session.add(service)
        db.session.flush()
        if feed is not None:
            _close_the_departed(feed, {record["id"] for record in cleaned})
        # A slug that is in use again (a service kept or got back its name) is no longer a former one.
        db.session.execute(delete(FormerSlug).where(FormerSlug.slug.in_(select(Service.slug))))
        if not commit:
            return len(cleaned)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        raise ImportRejected([Problem("The import", "", f"could not be saved: {error.orig or error}")]) from None
    except BaseException:
        db.session.rollback()
        raise
    directory_changed()
    return len(cleaned)


def _check_owners(cleaned, feed, numbering):
    """A feed may not take over a service that the council or another feed holds."""
    ids = [record["id"] for record in cleaned]
    owners = dict(db.session.execute(select(Service.id, Service.feed_id).where(Service.id.in_(ids))).all())
    names = dict(db.session.execute(select(Feed.id, Feed.name)).all())
    problems = []
    word, start = numbering
    for number, record in enumerate(cleaned, start=start):
        if record["id"] in owners and owners[record["id"]] != feed.id:
            owner = owners[record["id"]]
            held = f"the feed \"{names[owner]}\"" if owner else "the council's own directory"
            problems.append(Problem(f"{word} {number} \"{record['name']}\"", "id", f"is already a service of {held}"))
    if problems:
        raise ImportRejected(problems)


def _close_the_departed(feed, kept):
    """The feed's services that left it are closed, so that links to them can say so."""
    for service in db.session.scalars(select(Service).where(Service.feed_id == feed.id, Service.id.not_in(kept))):
        if service.status != "defunct":
            service.status = "defunct"
            service.last_modified = clock.utc_now()


def import_taxonomy(data):
    """Import taxonomies and their terms (all or nothing). Returns the number of terms."""
    if not isinstance(data, dict) or not isinstance(data.get("taxonomy_terms"), list):
        raise ImportRejected([Problem("The taxonomy file", "", "must hold \"taxonomies\" and \"taxonomy_terms\" lists")])
    taxonomies = {t.get("id"): t for t in data.get("taxonomies", []) if isinstance(t, dict)}
    problems = []
    for number, term in enumerate(data["taxonomy_terms"], start=1):
        label = f"Taxonomy term {number}"
        if not isinstance(term, dict) or not all(term.get(k) for k in ("id", "term", "name", "taxonomy_id")):
            problems.append(Problem(label, "", "needs id, term, name and taxonomy_id"))
        elif term["taxonomy_id"] not in taxonomies:
            problems.append(Problem(label, "taxonomy_id", f"unknown taxonomy \"{term['taxonomy_id']}\""))
    if problems:
        raise ImportRejected(problems)
    try:
        for t in taxonomies.values():
            db.session.merge(
                Taxonomy(id=t["id"], code=t.get("code") or t["name"], name=t["name"],
                         description=t.get("description", ""), uri=t.get("uri"), version=t.get("version"))
            )
        # Parents first, so a child's parent_id always points at a saved term.
        ordered = sorted(data["taxonomy_terms"], key=lambda t: t.get("parent_id") is not None)
        for term in ordered:
            db.session.merge(
                TaxonomyTerm(id=term["id"], taxonomy_id=term["taxonomy_id"], parent_id=term.get("parent_id"),
                             term=term["term"], name=term["name"], description=term.get("description", ""),
                             term_uri=term.get("term_uri"))
            )
            db.session.flush()
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        raise ImportRejected([Problem("The taxonomy", "", f"could not be saved: {error.orig or error}")]) from None
    directory_changed()
    return len(ordered)


def retire_slug(service):
    """Remember a service's slug, so old links to it can be followed or explained."""
    db.session.merge(FormerSlug(slug=service.slug, service_id=service.id, name=service.name,
                                retired_at=clock.utc_now()))


def clear_directory():
    """Delete every service, location and organisation (the taxonomy stays).

    Their slugs are kept as former slugs: a service that comes back with the same id
    is found again, and one that does not is shown as no longer available. The rows
    go in a few DELETE statements, children first, rather than one by one.
    """
    now = clock.utc_now()
    former = {row.slug: row for row in db.session.scalars(select(FormerSlug))}
    for service_id, slug, name in db.session.execute(select(Service.id, Service.slug, Service.name)):
        kept = former.get(slug)
        if kept is None:
            db.session.add(FormerSlug(slug=slug, service_id=service_id, name=name, retired_at=now))
        else:
            kept.service_id, kept.name, kept.retired_at = service_id, name, now
    db.session.flush()
    for model in (*SERVICE_CHILDREN, Service, *LOCATION_CHILDREN, Location, Organization):
        db.session.execute(delete(model))
    db.session.commit()
    directory_changed()
