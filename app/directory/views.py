from datetime import datetime

from flask import abort, current_app, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.directory import bp, catalogue, taxonomies
from app.directory.browse import AGES, Filters, apply, facet_counts, paginate
from app.directory.forms import BrowseForm
from app.directory.opening_times import LONDON, OpenNow, opening_status, sessions_from_schedules, weekly_timetable
from app.directory.presenters import browse_url
from app.directory.slugs import is_slug
from app.extensions import db
from app.models import Attribute, Contact, Location, Service, ServiceAtLocation, TaxonomyTerm
from app.page_cache import cached_page


@bp.get("/services")
@cached_page
def browse():
    settings = current_app.extensions["site_settings"]
    categories = catalogue.categories()
    codes = {c.code for c in categories} | {child.code for c in categories for child in c.children}
    form = BrowseForm(request.args, codes, {d.slug for d in settings.districts})
    form.validate()
    age = form.clean("age")
    filters = Filters(
        q=(form.clean("q") or "").strip(),
        category=form.clean("category"),
        district=form.clean("district"),
        age=int(age) if age and age.isdigit() else age,
        free=form.clean("cost") == "free",
        level=form.clean("level"),
    )
    listings = catalogue.listings()
    results = apply(listings, filters)
    page = paginate(results, int(form.clean("page") or 1))
    counts = facet_counts(listings, filters, browse_options(categories, filters, settings))
    return render_template(
        "directory/browse.html",
        form=form,
        filters=filters,
        page=page,
        counts=counts,
        categories=categories,
        open_category=open_category(categories, filters.category),
        ages=AGES,
        districts=settings.districts,
        browse_url=browse_url,
    )


def browse_options(categories, filters, settings):
    opened = open_category(categories, filters.category)
    category_codes = [c.code for c in categories] + [child.code for child in (opened.children if opened else ())]
    return {
        "category": category_codes,
        "district": [d.slug for d in settings.districts],
        "age": ["pregnancy", *AGES],
        "free": [True],
        "level": ["universal", "targeted"],
    }


def open_category(categories, code):
    """The top-level category whose sub-categories are shown: the chosen one or the chosen one's parent."""
    for category in categories:
        if code == category.code or any(code == child.code for child in category.children):
            return category
    return None


@bp.get("/services/<slug>")
@cached_page
def service(slug):
    if not is_slug(slug):
        abort(404)
    found = db.session.scalars(
        select(Service)
        .where(Service.slug == slug, Service.status.in_(taxonomies.LISTED_STATUSES))
        .options(
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
    ).first()
    if found is None:
        abort(404)
    sessions = sessions_from_schedules(found.schedules)
    features = {term.term for term in found.terms(taxonomies.FEATURES)}
    eligibility = {term.term for term in found.terms(taxonomies.ELIGIBILITY)}
    now = current_app.config.get("CLOCK", lambda: datetime.now(LONDON))()
    settings = current_app.extensions["site_settings"]
    status = opening_status(sessions, now, taxonomies.OPEN_ON_BANK_HOLIDAYS in features)
    return render_template(
        "directory/service.html",
        service=found,
        now=now,
        status=status,
        open_now=isinstance(status, OpenNow),
        timetable=weekly_timetable(sessions),
        open_on_bank_holidays=taxonomies.OPEN_ON_BANK_HOLIDAYS in features,
        for_pregnancy=taxonomies.PREGNANCY in eligibility,
        free=catalogue.is_free(found),
        categories=found.terms(taxonomies.CATEGORIES),
        access=[term.term for term in found.terms(taxonomies.ACCESS)],
        need_level=next((term.term for term in found.terms(taxonomies.NEED_LEVELS)), None),
        delivery=[term.term for term in found.terms(taxonomies.DELIVERY)],
        districts=[settings.district(slug) for slug in sorted(catalogue.service_districts(found, settings))],
    )
