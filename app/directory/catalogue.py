"""The listed services, read from the database and kept briefly in memory.

Every worker keeps its own copy for ``DIRECTORY_CACHE_SECONDS`` (60 by default), so a
change made by an import shows everywhere within a minute, and at once in the
process that made it. With 0 (as in tests) nothing is kept.
"""

import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.directory import taxonomies
from app.directory.browse import Listing
from app.directory.opening_times import sessions_from_schedules
from app.extensions import db
from app.page_cache import cache
from app.models import Attribute, Location, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def directory_changed():
    """Forget what this process holds about the directory, pages included, and rebuild the search index."""
    cache().clear()
    search = current_app.extensions.get("search")
    if search is not None:
        search.changed()


def listings():
    return cache().get_or_build("listings", _load_listings, current_app.config["DIRECTORY_CACHE_SECONDS"])


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    children: tuple["Category", ...] = ()


def categories():
    """The two-level category tree, ordered by name."""
    return cache().get_or_build("categories", _load_categories, current_app.config["DIRECTORY_CACHE_SECONDS"])


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


def listing_query():
    """Listed services with everything a ``Listing`` needs, in name order."""
    return (
        select(Service)
        .where(Service.status.in_(taxonomies.LISTED_STATUSES))
        .options(
            selectinload(Service.organization),
            selectinload(Service.cost_options),
            selectinload(Service.service_areas),
            selectinload(Service.languages),
            selectinload(Service.schedules),
            selectinload(Service.attributes).joinedload(Attribute.taxonomy_term).joinedload(TaxonomyTerm.parent),
            selectinload(Service.attributes).joinedload(Attribute.taxonomy_term).joinedload(TaxonomyTerm.taxonomy),
            selectinload(Service.service_at_locations)
            .joinedload(ServiceAtLocation.location)
            .selectinload(Location.addresses),
        )
        .order_by(Service.name, Service.id)
    )


def _load_listings():
    settings = current_app.extensions["site_settings"]
    result = []
    for service in db.session.scalars(listing_query()):
        result.append(listing_for(service, settings))
    return tuple(result)


def listing_for(service, settings):
    categories_ = set()
    for term in service.terms(taxonomies.CATEGORIES):
        categories_.add(term.term)
        if term.parent is not None:
            categories_.add(term.parent.term)
    levels = [term.term for term in service.terms(taxonomies.NEED_LEVELS)]
    eligibility = {term.term for term in service.terms(taxonomies.ELIGIBILITY)}
    organization = service.organization.name if service.organization else ""
    category_names = " ".join(term.name for term in service.terms(taxonomies.CATEGORIES))
    return Listing(
        id=service.id,
        slug=service.slug,
        name=service.name,
        organization=organization,
        summary=summary(service.description),
        fees=service.fees or "",
        free=is_free(service),
        districts=service_districts(service, settings),
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        for_pregnancy=taxonomies.PREGNANCY in eligibility,
        need_level=levels[0] if levels else None,
        categories=frozenset(categories_),
        delivery=frozenset(term.term for term in service.terms(taxonomies.DELIVERY)),
        status=service.status,
        languages=frozenset(language.code for language in service.languages if language.code),
        days=frozenset(session.weekday for session in sessions_from_schedules(service.schedules)),
        places=tuple(
            (link.location.latitude, link.location.longitude)
            for link in service.service_at_locations
            if link.location.latitude is not None and link.location.longitude is not None
        ),
        words=" ".join([service.name, organization, service.description or "", category_names]).casefold(),
    )


def is_free(service):
    """Free when no cost option asks for money."""
    return not any(option.amount and option.amount > 0 for option in service.cost_options)


def _load_categories():
    taxonomy = db.session.scalar(select(Taxonomy).where(Taxonomy.code == taxonomies.CATEGORIES))
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
