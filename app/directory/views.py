from flask import abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select

from app import clock
from app.analytics.counting import note, search_words
from app.directory import bp, catalogue
from app.directory.browse import DELIVERY, LEVELS, WEEKDAYS, paginate
from app.directory.forms import BrowseForm
from app.directory.presenters import browse_url
from app.directory.service_details import facts, service_record
from app.directory.slugs import is_slug
from app.directory_version import directory_version
from app.domain.postcodes import normalise_postcode, postcode_location
from app.domain.whole_numbers import is_whole_number
from app.extensions import db
from app.models import FormerSlug, Service, codes
from app.page_cache import cached_page
from app.search import geo, search_service
from app.search.listing import AGES, Filters


@bp.get("/services")
@cached_page(reads=(*BrowseForm.parameters(), "s"))
def browse():
    settings = current_app.extensions["site_settings"]
    search = search_service()
    directory = search.directory()
    languages = directory.languages()
    categories = catalogue.categories()
    category_codes = {c.code for c in categories} | {child.code for c in categories for child in c.children}
    form = BrowseForm(request.args, category_codes, {d.slug for d in settings.districts}, languages)
    form.validate()
    filters = filters_from(form)
    point = geo.locate(filters.postcode, settings, postcode_location) if filters.postcode else None
    outcome = search.search(directory, filters, point, browse_options(categories, filters, settings, languages))
    asked = int(form.clean("page") or 1)
    page = paginate(outcome.results, asked)
    _count_search(filters.q, asked, len(outcome.results))
    return render_template(
        "directory/browse.html",
        form=form,
        filters=filters,
        page=page,
        outcome=outcome,
        counts=outcome.counts,
        point=point,
        categories=categories,
        open_category=open_category(categories, filters.category),
        districts=settings.districts,
        languages=languages,
        browse_url=browse_url,
        result_args=search_args(request.args),
    )


def search_args(args):
    """The search a family came from, as it was in their address bar (the list aside): a service page's
    link carries it, so that its back link returns to the same results, and nothing new goes into a URL."""
    return {name: args[name][:200] for name in BrowseForm.parameters() if args.get(name)}


def _count_search(text, asked, found):
    """Count the search words and what they found, once per search (when its first page is asked for)."""
    words = search_words(text)
    if words is None or asked != 1:
        return
    note("search", words)
    note("search-results", words, found)
    if not found:
        note("search-none", words)


def filters_from(form):
    """The filters that passed their checks; a bad one is left out (and explained on the page)."""
    age = form.clean("age")
    day = form.clean("day")
    radius = form.clean("radius")
    postcode = form.clean("postcode")
    return Filters(
        q=" ".join((form.clean("q") or "").split()),
        category=form.clean("category"),
        district=form.clean("district"),
        age=int(age) if age and is_whole_number(age) else age,
        free=form.clean("cost") == "free",
        level=form.clean("level"),
        language=form.clean("language"),
        day=form.DAYS.index(day) if day else None,
        delivery=form.clean("delivery"),
        postcode=normalise_postcode(postcode) if postcode else None,
        radius=int(radius) if radius and postcode else None,
        sort=form.clean("sort"),
    )


def browse_options(categories, filters, settings, languages):
    opened = open_category(categories, filters.category)
    category_codes = [c.code for c in categories] + [child.code for child in (opened.children if opened else ())]
    return {
        "category": category_codes,
        "district": [d.slug for d in settings.districts],
        "age": ["pregnancy", *AGES],
        "free": [True],
        "level": list(LEVELS),
        "language": languages,
        "day": list(WEEKDAYS),
        "delivery": list(DELIVERY),
    }


def open_category(categories, code):
    """The top-level category whose sub-categories are shown: the chosen one or the chosen one's parent."""
    for category in categories:
        if code == category.code or any(code == child.code for child in category.children):
            return category
    return None


@bp.get("/services/<slug>")
@cached_page(reads=(*BrowseForm.parameters(), "s"))
def service(slug):
    if not is_slug(slug):
        abort(404)
    record = service_record(slug, directory_version())
    if record is None:
        renamed = current_slug(slug)
        if renamed is None:
            abort(404)
        return redirect(url_for("directory.service", slug=renamed), 301)
    now = clock.now()
    settings = current_app.extensions["site_settings"]
    came_from = search_args(request.args)
    back = url_for("directory.browse", **came_from, **({"s": request.args["s"]} if request.args.get("s") else {}))
    point = geo.locate(came_from["postcode"], settings, postcode_location) if came_from.get("postcode") else None
    found, lasting = record
    places = [(link.location.latitude, link.location.longitude) for link in found.service_at_locations
              if link.location.latitude is not None and link.location.longitude is not None]
    miles = min((geo.miles_between(point, *place) for place in places), default=None) if point else None
    return render_template("directory/service.html", now=now, back=back, came_from=came_from, point=point,
                           miles=miles, **facts(found, now, settings, lasting))


def current_slug(former):
    """The slug a renamed service has now, if ``former`` was one of its slugs and it is still listed."""
    return db.session.scalar(
        select(Service.slug)
        .join(FormerSlug, FormerSlug.service_id == Service.id)
        .where(FormerSlug.slug == former, Service.status.in_(codes.LISTED_STATUSES))
    )
