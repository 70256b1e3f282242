"""Small helpers that turn directory data into what the templates show."""

from datetime import date, timedelta
from functools import lru_cache

from babel import Locale
from flask import current_app, url_for
from flask_babel import format_date, format_decimal, get_locale

from app import clock as app_clock
from app.directory import catalogue
from app.directory.browse import DAY_SLUGS
from app.directory.opening_times import NextOpen, OpenNow, opening_status, sessions_from_hours
from app.languages import current_language
from app.languages import translate as _
from app.languages import translate_plural as ngettext


def browse_url(filters, **changes):
    """The /services URL for these filters with some changed (``None`` removes one)."""
    values = {
        "q": filters.q or None,
        "postcode": filters.postcode,
        "radius": filters.radius,
        "category": filters.category,
        "district": filters.district,
        "age": filters.age,
        "cost": "free" if filters.free else None,
        "level": filters.level,
        "delivery": filters.delivery,
        "day": DAY_SLUGS[filters.day] if filters.day is not None else None,
        "language": filters.language,
        "sort": filters.sort,
    }
    values.update(changes)
    return url_for("directory.browse", **{k: v for k, v in values.items() if v not in (None, "", False)})


def language_name(code):
    """A language's name in the page's language: "Polish", "polski"."""
    own = {"bfi": _("British Sign Language"), "bn": _("Bengali")}
    if code in own:
        return own[code]
    try:
        name = Locale.parse(str(get_locale())).languages.get(code)
    except ValueError:
        name = None
    return name or code


def delivery_name(code):
    return {"in-person": _("In person"), "online": _("Online"), "telephone": _("By phone")}.get(code, code)


def miles_away(miles):
    """"1.2 miles away"."""
    if miles < 0.1:
        return _("Less than 0.1 miles away")
    return _distance_in(current_language(), round(miles * 10))


@lru_cache(maxsize=4096)
def _distance_in(language, tenths):
    """"1.2 miles away" in ``language`` (the request's), for a distance in tenths of a mile: a results page
    has twenty, and Babel reads its number pattern afresh for each."""
    return _("%(miles)s miles away", miles=format_decimal(tenths / 10, format="0.0"))


def district_names(slugs):
    settings = current_app.extensions["site_settings"]
    if len(slugs) == len(settings.districts):
        return _("All of %(county)s", county=settings.council.get("county", ""))
    names = [d.name for d in settings.districts if d.slug in slugs]
    return ", ".join(names) if names else _("Not given")


def age_range(minimum_age, maximum_age, for_pregnancy=False):
    """"0 to 4 years", "From 11 years", "Expectant parents, and children 0 to 1 year" …"""
    low, high = minimum_age or 0, maximum_age
    if high is None or high >= 99:
        text = _("All ages") if low == 0 else ngettext("From %(num)s year", "From %(num)s years", low)
    else:
        text = ngettext("%(low)s to %(num)s year", "%(low)s to %(num)s years", high, low=low)
    if for_pregnancy:
        return _("Expectant parents, and children %(ages)s", ages=text[0].lower() + text[1:])
    return text


def clock(value):
    """A time as GOV.UK writes it in English (9:30am, 5pm, midday); 24-hour elsewhere."""
    if current_language() != "en":
        return value.strftime("%H:%M")
    if value.hour == 12 and value.minute == 0:
        return _("midday")
    if value.hour == 0 and value.minute == 0:
        return _("midnight")
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def weekday_name(weekday):
    """Monday for 0 … Sunday for 6, in the page's language."""
    return format_date(date(2024, 1, 1) + timedelta(days=weekday), "EEEE")


def opening_text(status, now):
    """"Open now until 5pm", "Next open tomorrow at 9:30am", "Next open Tuesday at 9:30am"."""
    if isinstance(status, OpenNow):
        return _("Open now until %(time)s", time=clock(status.closes))
    if isinstance(status, NextOpen):
        days = (status.day - now.date()).days
        if days == 0:
            return _("Opens today at %(time)s", time=clock(status.opens))
        if days == 1:
            return _("Next open tomorrow at %(time)s", time=clock(status.opens))
        if days < 7:
            return _("Next open %(day)s at %(time)s", day=format_date(status.day, "EEEE"), time=clock(status.opens))
        return _("Next open %(date)s at %(time)s", date=format_date(status.day, "EEEE d MMMM"), time=clock(status.opens))
    return None


def listing_opening(listing):
    """A result card's "Open now until 5pm" or "Next open Tuesday at 9:30am" (None without sessions)."""
    if not listing.hours:
        return None
    now = app_clock.now()
    return opening_text(opening_status(sessions_from_hours(listing.hours), now, listing.open_on_bank_holidays), now)


def sub_category_items(category, counts, chosen):
    items = [{"value": category.code, "text": _("All of these") + f" ({counts[category.code]})",
              "checked": chosen == category.code}]
    for child in category.children:
        if not counts.get(child.code, 0) and chosen != child.code:
            continue  # a choice that would find nothing is not offered
        items.append({"value": child.code, "text": f"{child.name} ({counts.get(child.code, 0)})", "checked": chosen == child.code})
    return items


def chosen_filters(filters, categories, districts):
    """The filters in force, each with the link that removes it."""
    names = catalogue.category_names(categories)
    chosen = []
    if filters.category:
        chosen.append({"text": names.get(filters.category, filters.category), "facet": "category", "href": browse_url(filters, category=None)})
    if filters.district:
        name = next((d.name for d in districts if d.slug == filters.district), filters.district)
        chosen.append({"text": name, "facet": "district", "href": browse_url(filters, district=None)})
    if filters.age is not None:
        text = _("Expecting a baby") if filters.age == "pregnancy" else (
            _("Under 1") if filters.age == 0 else ngettext("%(num)s year old", "%(num)s years old", filters.age))
        chosen.append({"text": text, "facet": "age", "href": browse_url(filters, age=None)})
    if filters.free:
        chosen.append({"text": _("Free only"), "facet": "free", "href": browse_url(filters, cost=None)})
    if filters.level:
        text = _("Open to all families") if filters.level == "universal" else _("Extra help for families who need it")
        chosen.append({"text": text, "facet": "level", "href": browse_url(filters, level=None)})
    if filters.delivery:
        chosen.append({"text": delivery_name(filters.delivery), "facet": "delivery", "href": browse_url(filters, delivery=None)})
    if filters.day is not None:
        chosen.append({"text": _("Open on %(day)s", day=weekday_name(filters.day)), "facet": "day", "href": browse_url(filters, day=None)})
    if filters.language:
        chosen.append({"text": language_name(filters.language), "facet": "language", "href": browse_url(filters, language=None)})
    # The words and the postcode stay in their boxes above; a distance is a filter of its own.
    if filters.postcode and filters.radius:
        text = _("Within %(miles)s miles of %(postcode)s", miles=filters.radius, postcode=filters.postcode)
        chosen.append({"text": text, "facet": "radius", "href": browse_url(filters, radius=None)})
    return chosen


def pagination(page, filters):
    """Parameters for the GOV.UK pagination component."""
    def href(number):
        return browse_url(filters, page=number if number > 1 else None)

    numbers = sorted({1, page.pages, *range(max(1, page.number - 1), min(page.pages, page.number + 1) + 1)})
    items, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page.number})
        previous = number
    params = {"items": items, "landmarkLabel": _("Results pages")}
    if page.number > 1:
        params["previous"] = {"href": href(page.number - 1), "text": _("Previous"), "labelText": ""}
    if page.number < page.pages:
        params["next"] = {"href": href(page.number + 1), "text": _("Next"), "labelText": ""}
    return params


def directions_url(location):
    template = current_app.extensions["site_settings"].council.get("directions_url")
    if not template or location.latitude is None:
        return None
    return template.format(latitude=location.latitude, longitude=location.longitude)


def init_app(app):
    from app.directory.filter_column import filter_column

    app.jinja_env.globals.update(
        filter_column=filter_column,
        district_names=district_names,
        age_range=age_range,
        clock=clock,
        weekday_name=weekday_name,
        opening_text=opening_text,
        listing_opening=listing_opening,
        sub_category_items=sub_category_items,
        chosen_filters=chosen_filters,
        pagination=pagination,
        directions_url=directions_url,
        language_name=language_name,
        delivery_name=delivery_name,
        miles_away=miles_away,
        DAY_SLUGS=DAY_SLUGS,
    )
