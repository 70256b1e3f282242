"""What a service's page and a list of services show about one service, loaded and worked out."""

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.directory import catalogue
from app.directory.opening_times import OpenNow, opening_status, sessions_from_schedules, weekly_runs, weekly_timetable
from app.extensions import db
from app.models import Attribute, Contact, Location, Service, ServiceAtLocation, TaxonomyTerm, codes
from app.page_cache import TimedCache

KEPT_SERVICES = 256  # service records kept by each process, the least recently shown forgotten first


def with_details(query):
    """``query`` (of services) with everything a service's page or a list shows loaded up front."""
    return query.options(
        selectinload(Service.organization),
        selectinload(Service.feed),
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


def service_record(slug, version):
    """``(service, facts that do not change with the hour)`` for the listed service ``slug``, or None.

    A service's page took 13 statements to load it (each a dozen microseconds to
    run, and ten times that for SQLAlchemy to build): half the page's time. Each
    process keeps the records it has loaded (``app.extensions["service_records"]``),
    keyed on the slug and the directory's version, which every change on any
    server moves on; and, as the directory's other data, for
    DIRECTORY_CACHE_SECONDS at most. A record is loaded in a session of its own,
    closed at once: its objects belong to no request's session, so no commit there
    can expire them, and nothing is loaded later (``with_details`` loads every
    relation the page reads up front).
    """
    seconds = current_app.config["DIRECTORY_CACHE_SECONDS"]
    kept = current_app.extensions["service_records"]
    record = kept.get((slug, version), seconds) if seconds else None
    if record is None:
        with Session(db.engine) as session:
            found = session.scalars(
                with_details(select(Service).where(Service.slug == slug, Service.status.in_(codes.LISTED_STATUSES)))
            ).first()
            if found is None:
                return None
            record = found, lasting_facts(found, current_app.extensions["site_settings"])
        if seconds:
            kept.put((slug, version), record)
    return record


def init_app(app):
    app.extensions["service_records"] = TimedCache(size=KEPT_SERVICES)


def facts(found, now, settings, lasting=None):
    """What the templates show about a service, worked out from its data (``lasting``: what
    ``lasting_facts`` worked out before, kept)."""
    lasting = lasting_facts(found, settings) if lasting is None else lasting
    return {**lasting, **opening_now(lasting, now)}


def opening_now(lasting, now):
    """Whether the service is open at ``now``, or when it opens next."""
    status = opening_status(lasting["sessions"], now, lasting["open_on_bank_holidays"])
    return {"status": status, "open_now": isinstance(status, OpenNow)}


def lasting_facts(found, settings):
    """What the templates show about a service that does not change with the hour."""
    sessions = sessions_from_schedules(found.schedules)
    features = {term.term for term in found.terms(codes.FEATURES)}
    eligibility = {term.term for term in found.terms(codes.ELIGIBILITY)}
    timetable = weekly_timetable(sessions)
    return {
        "service": found,
        "sessions": sessions,
        "summary": catalogue.summary(found.description),
        "timetable": timetable,
        "timetable_runs": weekly_runs(timetable),
        "open_on_bank_holidays": codes.OPEN_ON_BANK_HOLIDAYS in features,
        "for_pregnancy": codes.PREGNANCY in eligibility,
        "free": catalogue.is_free(found),
        "categories": catalogue.local_terms(found.terms(codes.CATEGORIES)),
        "access": [term.term for term in found.terms(codes.ACCESS)],
        "need_level": next((term.term for term in found.terms(codes.NEED_LEVELS)), None),
        "delivery": [term.term for term in found.terms(codes.DELIVERY)],
        "districts": [settings.district(slug) for slug in sorted(catalogue.service_districts(found, settings))],
    }
