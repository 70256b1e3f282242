"""What a service's page and a list of services show about one service, loaded and worked out."""

from sqlalchemy.orm import selectinload

from app.directory import catalogue
from app.directory.opening_times import OpenNow, opening_status, sessions_from_schedules, weekly_runs, weekly_timetable
from app.models import Attribute, Contact, Location, Service, ServiceAtLocation, TaxonomyTerm, codes


def with_details(query):
    """``query`` (of services) with everything a service's page or a list shows loaded up front."""
    return query.options(
        selectinload(Service.organization),
        selectinload(Service.phones),
        selectinload(Service.contacts).selectinload(Contact.phones),
        selectinload(Service.schedules),
        selectinload(Service.service_areas),
        selectinload(Service.languages),
        selectinload(Service.cost_options),
        selectinload(Service.attributes).joinedload(Attribute.taxonomy_term).joinedload(TaxonomyTerm.taxonomy),
        selectinload(Service.service_at_locations)
        .joinedload(ServiceAtLocation.location)
        .selectinload(Location.addresses),
        selectinload(Service.service_at_locations)
        .joinedload(ServiceAtLocation.location)
        .selectinload(Location.accessibility),
    )


def facts(found, now, settings):
    """What the templates show about a service, worked out from its data."""
    sessions = sessions_from_schedules(found.schedules)
    features = {term.term for term in found.terms(codes.FEATURES)}
    eligibility = {term.term for term in found.terms(codes.ELIGIBILITY)}
    status = opening_status(sessions, now, codes.OPEN_ON_BANK_HOLIDAYS in features)
    timetable = weekly_timetable(sessions)
    return {
        "service": found,
        "summary": catalogue.summary(found.description),
        "status": status,
        "open_now": isinstance(status, OpenNow),
        "timetable": timetable,
        "timetable_runs": weekly_runs(timetable),
        "open_on_bank_holidays": codes.OPEN_ON_BANK_HOLIDAYS in features,
        "for_pregnancy": codes.PREGNANCY in eligibility,
        "free": catalogue.is_free(found),
        "categories": found.terms(codes.CATEGORIES),
        "access": [term.term for term in found.terms(codes.ACCESS)],
        "need_level": next((term.term for term in found.terms(codes.NEED_LEVELS)), None),
        "delivery": [term.term for term in found.terms(codes.DELIVERY)],
        "districts": [settings.district(slug) for slug in sorted(catalogue.service_districts(found, settings))],
    }
