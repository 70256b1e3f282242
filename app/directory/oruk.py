"""Open Referral UK (HSDS 3.0) JSON to and from the database models.

The one mapping between the directory and the UK profile: ``flask services
export`` and the API (``app/api/``) both write with it. ``service_record`` writes
the nested service object of the UK profile (with the HSDS 3.0 fields ``phones``
and language ``name``/``code`` that the profile allows); ``service_summary`` the
list form, which holds the one-to-one fields only; ``build_service`` turns a
checked record back into models.
"""

from datetime import UTC, date, datetime, time
from decimal import Decimal

from app.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)

SERVICE_FIELDS = (
    "name", "description", "url", "email", "status", "fees", "accreditations",
    "minimum_age", "maximum_age", "assured_date", "assurer_email", "alert", "last_modified",
)
ORGANIZATION_FIELDS = ("name", "description", "email", "website", "uri")
LOCATION_FIELDS = ("location_type", "name", "description", "latitude", "longitude")
ADDRESS_FIELDS = (
    "attention", "address_1", "address_2", "city", "region", "state_province",
    "postal_code", "country", "address_type",
)
ACCESSIBILITY_FIELDS = ("description", "details", "url")
SCHEDULE_FIELDS = (
    "freq", "interval", "byday", "opens_at", "closes_at", "valid_from", "valid_to",
    "description", "notes", "attending_type",
)
PHONE_FIELDS = ("number", "description")
CONTACT_FIELDS = ("name", "title", "email")
AREA_FIELDS = ("name", "extent", "extent_type", "uri")
LANGUAGE_FIELDS = ("name", "code", "note")
COST_FIELDS = ("option", "amount", "amount_description", "valid_from", "valid_to")


# ---------------------------------------------------------------- export


def to_json_value(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _fields(obj, names):
    record = {"id": obj.id}
    for name in names:
        value = getattr(obj, name)
        if value is not None and value != "":
            record[name] = to_json_value(value)
    return record


def _add_list(record, key, items):
    if items:
        record[key] = items


def organization_record(organization):
    # The profile requires a description, even an empty one.
    return {"description": ""} | _fields(organization, ORGANIZATION_FIELDS)


def location_summary(location):
    """A location's one-to-one fields (the list form)."""
    return _fields(location, LOCATION_FIELDS)


def location_record(location):
    record = _fields(location, LOCATION_FIELDS)
    _add_list(record, "addresses", [_fields(a, ADDRESS_FIELDS) for a in location.addresses])
    _add_list(record, "accessibility", [_fields(a, ACCESSIBILITY_FIELDS) for a in location.accessibility])
    return record


def term_record(term):
    record = {"id": term.id, "name": term.name, "term": term.term, "taxonomy": term.taxonomy.code,
              "taxonomy_id": term.taxonomy_id, "description": term.description or ""}
    if term.parent_id:
        record["parent_id"] = term.parent_id
    if term.term_uri:
        record["term_uri"] = term.term_uri
    return record


def taxonomy_record(taxonomy):
    record = {"id": taxonomy.id, "name": taxonomy.name, "description": taxonomy.description or ""}
    for name in ("uri", "version"):
        if getattr(taxonomy, name):
            record[name] = getattr(taxonomy, name)
    return record


def service_summary(service):
    """One service's one-to-one fields and its organisation (the list form)."""
    record = _fields(service, SERVICE_FIELDS)
    if service.organization:
        record["organization_id"] = service.organization.id
        record["organization"] = organization_record(service.organization)
    return record


def service_at_location_record(link, service_record_of=None):
    """A service at a location: its service and location in the list form, or in full given ``service_record_of``."""
    record = {"id": link.id, "service_id": link.service_id, "location_id": link.location_id}
    if service_record_of is None:
        record["location"] = location_summary(link.location)
        record["service"] = service_summary(link.service)
    else:
        record["location"] = location_record(link.location)
        record["service"] = service_record_of(link.service)
        record["service"].pop("service_at_locations", None)  # the profile's full form leaves them out
    return record


def service_record(service):
    """One service as an Open Referral UK service object."""
    record = service_summary(service)
    _add_list(record, "phones", [_fields(p, PHONE_FIELDS) for p in service.phones])
    contacts = []
    for contact in service.contacts:
        item = _fields(contact, CONTACT_FIELDS)
        _add_list(item, "phones", [_fields(p, PHONE_FIELDS) for p in contact.phones])
        contacts.append(item)
    _add_list(record, "contacts", contacts)
    _add_list(record, "schedules", [_fields(s, SCHEDULE_FIELDS) for s in service.schedules])
    _add_list(record, "service_areas", [_fields(a, AREA_FIELDS) for a in service.service_areas])
    _add_list(
        record,
        "service_at_locations",
        [{"id": link.id, "location": location_record(link.location)} for link in service.service_at_locations],
    )
    _add_list(record, "languages", [_fields(lang, LANGUAGE_FIELDS) for lang in service.languages])
    _add_list(record, "cost_options", [_fields(c, COST_FIELDS) for c in service.cost_options])
    _add_list(record, "funding", [_fields(f, ("source",)) for f in service.funding])
    _add_list(
        record,
        "attributes",
        [
            {"id": a.id, "taxonomy_term_id": a.taxonomy_term_id, "taxonomy_term": term_record(a.taxonomy_term)}
            | ({"link_type": a.link_type} if a.link_type else {})
            for a in service.attributes
        ],
    )
    return record


# ---------------------------------------------------------------- import
# Records reaching these functions have been checked by app.directory.importer,
# which has already turned dates, times and numbers into Python values.


def _build(model, record, names, **extra):
    return model(id=record["id"], **{name: record.get(name) for name in names}, **extra)


def build_organization(record):
    return _build(Organization, record, ORGANIZATION_FIELDS)


def build_location(record):
    location = _build(Location, record, LOCATION_FIELDS)
    location.addresses = [_build(Address, a, ADDRESS_FIELDS) for a in record.get("addresses", [])]
    location.accessibility = [_build(Accessibility, a, ACCESSIBILITY_FIELDS) for a in record.get("accessibility", [])]
    return location


def build_service(record, slug, organization, locations):
    """A new ``Service`` from a checked record; ``locations`` maps id to merged Location."""
    service = _build(Service, record, SERVICE_FIELDS, slug=slug)
    service.organization = organization
    service.phones = [_build(Phone, p, PHONE_FIELDS) for p in record.get("phones", [])]
    service.contacts = [
        _build(Contact, c, CONTACT_FIELDS, phones=[_build(Phone, p, PHONE_FIELDS) for p in c.get("phones", [])])
        for c in record.get("contacts", [])
    ]
    service.schedules = [_build(Schedule, s, SCHEDULE_FIELDS) for s in record.get("schedules", [])]
    service.service_areas = [_build(ServiceArea, a, AREA_FIELDS) for a in record.get("service_areas", [])]
    service.service_at_locations = [
        ServiceAtLocation(id=link["id"], location=locations[link["location"]["id"]])
        for link in record.get("service_at_locations", [])
    ]
    service.languages = [_build(Language, lang, LANGUAGE_FIELDS) for lang in record.get("languages", [])]
    service.cost_options = [_build(CostOption, c, COST_FIELDS) for c in record.get("cost_options", [])]
    service.funding = [_build(Funding, f, ("source",)) for f in record.get("funding", [])]
    service.attributes = [
        Attribute(id=a["id"], taxonomy_term_id=a["taxonomy_term_id"], link_type=a.get("link_type"))
        for a in record.get("attributes", [])
    ]
    return service
