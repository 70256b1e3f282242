"""The API's endpoints: every path of the UK profile's OpenAPI document, and the document itself."""

import json
from hashlib import blake2b
from math import ceil

from flask import current_app, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.api import bp, params, selection
from app.api.openapi import openapi_document
from app.directory import oruk
from app.domain.postcodes import postcode_location
from app.errors import json_error
from app.extensions import db
from app.models import Contact, Location, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm, codes
from app.search import geo, search_service

VERSION = "HSDS-UK-3.0"
CACHE_SECONDS = 60  # a consumer may keep any answer this long before asking again


@bp.errorhandler(params.BadParameter)
def bad_parameter(error):
    return json_error(400, str(error), parameter=error.name)


def answer(value, last_modified=None):
    """JSON with an ETag of its bytes, a Last-Modified and a short public cache; 304 when the consumer has it."""
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(blake2b(body, digest_size=16).hexdigest())
    response.last_modified = last_modified or directory_changed_at()
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    return response.make_conditional(request)


def directory_changed_at():
    """When the directory last changed (the same on every server), else when this worker read the directory."""
    snapshot = selection.snapshot()
    return snapshot.changed_at or snapshot.read_at


def page_of(items, paging, records):
    """One page of ``items`` (ids, or rows): the profile's page object, ``records(slice)`` making its contents."""
    total = len(items)
    pages = ceil(total / paging.per_page)
    start = (paging.page - 1) * paging.per_page
    contents = records(items[start:start + paging.per_page])
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page >= pages,
        "empty": not contents,
        "contents": contents,
    }


def _in_order(ids, rows):
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def _point(filters):
    if filters.postcode is None:
        return None
    settings = current_app.extensions["site_settings"]
    found = geo.locate(filters.postcode, settings, postcode_location)
    if found is None:
        raise params.BadParameter("postcode", "postcode was not found: we do not know where it is")
    return found.latitude, found.longitude


def _matching(filters):
    return search_service().matching_ids(filters.search) if filters.search else None


FULL_SERVICE = (
    joinedload(Service.organization),
    selectinload(Service.phones),
    selectinload(Service.contacts).selectinload(Contact.phones),
    selectinload(Service.schedules),
    selectinload(Service.service_areas),
    selectinload(Service.service_at_locations).joinedload(ServiceAtLocation.location).selectinload(Location.addresses),
    selectinload(Service.service_at_locations).joinedload(ServiceAtLocation.location)
    .selectinload(Location.accessibility),
    selectinload(Service.languages),
    selectinload(Service.cost_options),
    selectinload(Service.funding),
    selectinload(Service.attributes),
)


def listed_service(service_id, *options):
    service = db.session.get(Service, service_id, options=options)
    if service is None or service.status not in codes.LISTED_STATUSES:
        return None
    return service


# ------------------------------------------------------------------ endpoints


@bp.get("/")
def about():
    site = current_app.config["SITE_URL"]
    return answer({
        "version": VERSION,
        "profile": current_app.config["API_PROFILE_URL"],
        "openapi_url": site + url_for("api.openapi"),
    })


@bp.get("/openapi.json")
def openapi():
    return answer(openapi_document(current_app.config["SITE_URL"] + bp.url_prefix, VERSION))


@bp.get("/services")
def services():
    paging, filters = params.paging(request.args), params.service_filters(request.args)
    ids = selection.select_services(filters, _matching(filters), _point(filters))

    def records(chosen):
        rows = db.session.scalars(
            select(Service).where(Service.id.in_(chosen)).options(joinedload(Service.organization))
        )
        return [oruk.service_summary(service) for service in _in_order(chosen, rows)]

    return answer(page_of(ids, paging, records))


@bp.get("/services/<id:service_id>")
def service(service_id):
    found = listed_service(service_id, *FULL_SERVICE)
    if found is None:
        return json_error(404, "No listed service has this id.")
    return answer(oruk.service_record(found))


@bp.get("/service_at_locations")
def service_at_locations():
    paging, filters = params.paging(request.args), params.service_filters(request.args)
    ids = selection.select_places(filters, _matching(filters), _point(filters))

    def records(chosen):
        rows = db.session.scalars(
            select(ServiceAtLocation).where(ServiceAtLocation.id.in_(chosen)).options(
                joinedload(ServiceAtLocation.location),
                joinedload(ServiceAtLocation.service).joinedload(Service.organization),
            )
        )
        return [oruk.service_at_location_record(link) for link in _in_order(chosen, rows)]

    return answer(page_of(ids, paging, records))


@bp.get("/service_at_locations/<id:link_id>")
def service_at_location(link_id):
    link = db.session.get(ServiceAtLocation, link_id, options=(
        joinedload(ServiceAtLocation.location).selectinload(Location.addresses),
        joinedload(ServiceAtLocation.location).selectinload(Location.accessibility),
    ))
    if link is None or listed_service(link.service_id, *FULL_SERVICE) is None:
        return json_error(404, "No listed service at a location has this id.")
    return answer(oruk.service_at_location_record(link, oruk.service_record))


@bp.get("/taxonomies")
def taxonomies():
    paging = params.paging(request.args)
    rows = db.session.scalars(select(Taxonomy).order_by(Taxonomy.name, Taxonomy.id)).all()
    return answer(page_of(rows, paging, lambda chosen: [oruk.taxonomy_record(t) for t in chosen]))


@bp.get("/taxonomies/<id:taxonomy_id>")
def taxonomy(taxonomy_id):
    found = db.session.get(Taxonomy, taxonomy_id)
    if found is None:
        return json_error(404, "No taxonomy has this id.")
    terms = db.session.scalars(
        select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == found.id)
        .options(joinedload(TaxonomyTerm.taxonomy)).order_by(TaxonomyTerm.name, TaxonomyTerm.id)
    )
    return answer(oruk.taxonomy_record(found) | {"taxonomy_terms": [oruk.term_record(term) for term in terms]})


@bp.get("/taxonomy_terms")
def taxonomy_terms():
    paging = params.paging(request.args)
    rows = db.session.scalars(
        select(TaxonomyTerm).join(Taxonomy).options(joinedload(TaxonomyTerm.taxonomy))
        .order_by(Taxonomy.name, TaxonomyTerm.name, TaxonomyTerm.id)
    ).all()
    return answer(page_of(rows, paging, lambda chosen: [oruk.term_record(term) for term in chosen]))


@bp.get("/taxonomy_terms/<id:term_id>")
def taxonomy_term(term_id):
    found = db.session.get(TaxonomyTerm, term_id, options=(joinedload(TaxonomyTerm.taxonomy),))
    if found is None:
        return json_error(404, "No taxonomy term has this id.")
    return answer(oruk.term_record(found))
