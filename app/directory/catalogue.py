"""The listed services, read from the database and kept in memory.

Every worker keeps its own copy, keyed on the directory's version
(``app.directory_version``) and for ``DIRECTORY_CACHE_SECONDS`` at most: a
change made on any server shows on every server within seconds, and at once in
the process that made it. With 0 seconds (as in tests) nothing is kept.
"""

import re
import tomllib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from app.directory.opening_times import sessions_from_schedules
from app.directory_version import directory_version
from app.extensions import db
from app.languages import current_language
from app.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    codes,
)
from app.page_cache import cache
from app.search.listing import Listing

_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def directory_changed():
    """This process changed the directory (and committed): forget what it holds and rebuild the search index now.

    Other processes and servers learn of the change from the directory's version.
    """
    forget_directory()
    follower = current_app.extensions.get("directory_follower")
    if follower is not None:
        follower.wake()
    search = current_app.extensions.get("search")
    if search is not None:
        search.changed()


def forget_directory():
    """Forget what this process keeps about the directory, pages included."""
    cache().clear()
    for kept in ("service_records", "card_parts"):
        if kept in current_app.extensions:
            current_app.extensions[kept].clear()


def version_seen(version):
    """What a process does when it sees the directory's version move on (another process changed it)."""
    forget_directory()
    current_app.extensions["search"].follow(version)


def keep_search_current():
    """The worker's check, on each server: read the directory's version and bring the index up to it."""
    version = current_app.extensions["directory_follower"].version()
    search = current_app.extensions["search"]
    search.follow(version)
    if search.behind() and not current_app.config["SEARCH_BUILD_IN_BACKGROUND"]:
        search.rebuild()


def listings():
    return cache().get_or_build(("listings", directory_version()), _load_listings,
                                current_app.config["DIRECTORY_CACHE_SECONDS"])


def listed_ids():
    """The ids of the services listed now, read from the database."""
    return db.session.scalars(select(Service.id).where(Service.status.in_(codes.LISTED_STATUSES))).all()


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    children: tuple["Category", ...] = ()


def categories():
    """The two-level category tree, named in the request's language and ordered by name."""
    language = current_language()
    return cache().get_or_build(("categories", directory_version(), language), lambda: _named(_load_categories(), language),
                                current_app.config["DIRECTORY_CACHE_SECONDS"])


def load_category_names(path):
    """``content/directory/categories.toml``: {code: {language: name}} (checked by ``flask content check``)."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return {}
    return {code: {lang: name for lang, name in table.items() if isinstance(name, str) and name.strip()}
            for code, table in raw.items() if isinstance(table, dict)}


def category_name(code, english, language=None):
    """A category's name in the request's language (``english`` where it has none)."""
    names = current_app.extensions.get("category_names", {}).get(code, {})
    return names.get(language or current_language(), english)


def local_terms(terms):
    """A service's category terms as categories named in the request's language."""
    language = current_language()
    return sorted((Category(term.term, category_name(term.term, term.name, language)) for term in terms), key=_by_name)


def _by_name(category):
    return unicodedata.normalize("NFKD", category.name).casefold()


def _named(tree, language):
    if language == "en":
        return tree
    named = [
        Category(top.code, category_name(top.code, top.name, language),
                 tuple(sorted((Category(child.code, category_name(child.code, child.name, language)) for child in top.children),
                              key=_by_name)))
        for top in tree
    ]
    return tuple(sorted(named, key=_by_name))


def category_names(tree=None):
    """Each category's and sub-category's name, by code (from ``tree``, or the directory's own)."""
    names = {}
    for category in categories() if tree is None else tree:
        names[category.code] = category.name
        names.update((child.code, child.name) for child in category.children)
    return names


def summary(description, limit=180):
    """The first sentence of a description, cut at a word if it is long."""
    text = " ".join((description or "").split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"


def service_districts(service, settings):
    """Slugs of the districts a service is in: its locations' and its service areas'."""
    found = set()
    for link in service.service_at_locations:
        district = settings.district_for_postcode(link.location.postcode)
        if district:
            found.add(district.slug)
    for area in service.service_areas:
        district = settings.district_named(area.name)
        if district:
            found.add(district.slug)
    return frozenset(found)


def read_listings(settings):
    """(Listing, text fields) for each listed service, in name order.

    The directory's in-memory copy and the search index are both made from
    these. Each table is read once, as plain rows rather than ORM objects, and
    the rows are grouped by service: 10,000 services take a second or two.
    """
    listed = select(Service.id).where(Service.status.in_(codes.LISTED_STATUSES))
    parent = aliased(TaxonomyTerm)
    terms = _by_service(
        select(Attribute.service_id, Taxonomy.code, TaxonomyTerm.term, TaxonomyTerm.name, parent.term, parent.name)
        .join(TaxonomyTerm, Attribute.taxonomy_term_id == TaxonomyTerm.id)
        .join(Taxonomy, TaxonomyTerm.taxonomy_id == Taxonomy.id)
        .outerjoin(parent, TaxonomyTerm.parent_id == parent.id)
        .where(Attribute.service_id.in_(listed))
    )
    costs = _by_service(select(CostOption.service_id, CostOption.amount).where(CostOption.service_id.in_(listed)))
    areas = _by_service(select(ServiceArea.service_id, ServiceArea.name).where(ServiceArea.service_id.in_(listed)))
    languages = _by_service(select(Language.service_id, Language.code).where(Language.service_id.in_(listed)))
    schedules = _by_service(
        select(
            Schedule.service_id, Schedule.byday, Schedule.opens_at, Schedule.closes_at,
            Schedule.valid_from, Schedule.valid_to,
        ).where(Schedule.service_id.in_(listed))
    )
    venues = _by_service(
        select(ServiceAtLocation.service_id, Location.id, Location.latitude, Location.longitude)
        .join(Location, ServiceAtLocation.location_id == Location.id)
        .where(ServiceAtLocation.service_id.in_(listed))
    )
    postcodes = {}
    for location_id, postal_code in db.session.execute(select(Address.location_id, Address.postal_code)):
        if postal_code:
            postcodes.setdefault(location_id, postal_code)

    services = db.session.execute(
        select(
            Service.id, Service.slug, Service.name, Service.description, Service.fees, Service.minimum_age,
            Service.maximum_age, Service.status, Organization.name,
        )
        .outerjoin(Organization, Service.organization_id == Organization.id)
        .where(Service.status.in_(codes.LISTED_STATUSES))
        .order_by(Service.name, Service.id)
    )
    for service_id, slug, name, description, fees, minimum_age, maximum_age, status, organization in services:
        description, organization = description or "", organization or ""
        by_taxonomy = defaultdict(list)
        for _, taxonomy, term, term_name, parent_term, parent_name in terms.get(service_id, ()):
            by_taxonomy[taxonomy].append((term, term_name, parent_term, parent_name))
        categories_, category_names, category_words = set(), [], []
        for term, term_name, parent_term, parent_name in by_taxonomy[codes.CATEGORIES]:
            categories_.add(term)
            category_names.append(term_name)
            category_words.append(term_name)
            if parent_term is not None:
                categories_.add(parent_term)
                category_words.append(parent_name)
        levels = [term for term, *_ in by_taxonomy[codes.NEED_LEVELS]]
        sessions = sessions_from_schedules(schedules.get(service_id, ()))
        places = [(venue[2], venue[3]) for venue in venues.get(service_id, ())]
        districts = [settings.district_for_postcode(postcodes.get(venue[1])) for venue in venues.get(service_id, ())]
        districts += [settings.district_named(area.name) for area in areas.get(service_id, ())]
        listing = Listing(
            id=service_id,
            slug=slug,
            name=name,
            organization=organization,
            summary=summary(description),
            fees=fees or "",
            free=not any(cost.amount and cost.amount > 0 for cost in costs.get(service_id, ())),
            districts=frozenset(district.slug for district in districts if district),
            minimum_age=minimum_age,
            maximum_age=maximum_age,
            for_pregnancy=any(term == codes.PREGNANCY for term, *_ in by_taxonomy[codes.ELIGIBILITY]),
            need_level=levels[0] if levels else None,
            categories=frozenset(categories_),
            delivery=frozenset(term for term, *_ in by_taxonomy[codes.DELIVERY]),
            access=frozenset(term for term, *_ in by_taxonomy[codes.ACCESS]),
            status=status,
            languages=frozenset(language.code for language in languages.get(service_id, ()) if language.code),
            days=frozenset(session.weekday for session in sessions),
            hours=tuple(hours_of(session) for session in sessions),
            open_on_bank_holidays=any(term == codes.OPEN_ON_BANK_HOLIDAYS for term, *_ in by_taxonomy[codes.FEATURES]),
            places=tuple((lat, lon) for lat, lon in places if lat is not None and lon is not None),
            words=" ".join([name, organization, description, " ".join(category_names)]).casefold(),
        )
        yield listing, {
            "name": name,
            "category": " ".join(dict.fromkeys(category_words)),
            "organization": organization,
            "description": description,
        }


def hours_of(session):
    """A weekly session as plain values a listing keeps (and the index stores as JSON)."""
    return (
        session.weekday, session.opens.isoformat(), session.closes.isoformat(),
        session.valid_from.isoformat() if session.valid_from else None,
        session.valid_to.isoformat() if session.valid_to else None,
    )


def _by_service(statement):
    """The rows of a query whose first column is a service's id, grouped by it."""
    found = defaultdict(list)
    for row in db.session.execute(statement):
        found[row[0]].append(row)
    return found


def _load_listings():
    settings = current_app.extensions["site_settings"]
    return tuple(listing for listing, _ in read_listings(settings))


def is_free(service):
    """Free when no cost option asks for money."""
    return not any(option.amount and option.amount > 0 for option in service.cost_options)


def _load_categories():
    taxonomy = db.session.scalar(select(Taxonomy).where(Taxonomy.code == codes.CATEGORIES))
    if taxonomy is None:
        return ()
    top = db.session.scalars(
        select(TaxonomyTerm)
        .where(TaxonomyTerm.taxonomy_id == taxonomy.id, TaxonomyTerm.parent_id.is_(None))
        .options(selectinload(TaxonomyTerm.children))
        .order_by(TaxonomyTerm.name)
    )
    return tuple(
        Category(term.term, term.name, tuple(Category(child.term, child.name) for child in term.children))
        for term in top
    )
