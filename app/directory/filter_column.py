"""The search page's filters: each group's choices with their counts, written as GOV.UK radios and selects.

The column offers about 65 choices. Built in the template, each was a
``{% do items.append(…) %}`` and a translated label or two: some 400 template
calls a page. Here the choices are made in Python, their labels translated
once per language and kept (``labels``), and the HTML written by
``app/form_components.py``, which gives what the GOV.UK macros give. The
template places the result inside its "Filter results" disclosure.
"""

from markupsafe import Markup

from app import form_components
from app.directory.browse import DAY_SLUGS, DELIVERY, RADII
from app.directory.presenters import delivery_name, language_name, sub_category_items, weekday_name
from app.languages import current_language
from app.languages import translate as _
from app.languages import translate_plural as ngettext
from app.search.listing import AGES

_labels = {}  # language -> the labels that do not change with the directory


def labels():
    """The filters' fixed labels in this request's language, translated once per process."""
    language = current_language()
    found = _labels.get(language)
    if found is None:
        found = _labels[language] = {
            "radius": [(str(miles), ngettext("Within %(num)s mile", "Within %(num)s miles", miles)) for miles in RADII],
            "age": {age: _("Under 1") if age == 0 else ngettext("%(num)s year old", "%(num)s years old", age) for age in AGES},
            "day": [weekday_name(day) for day in range(7)],
            "delivery": {code: delivery_name(code) for code in DELIVERY},
            "level": [("universal", _("Open to all families")), ("targeted", _("Extra help for families who need it"))],
            "error": _("Error"),
            "language": {},  # filled as codes are met: the directory says which languages are spoken
        }
    return found


def filter_column(form, filters, counts, categories, open_category, districts, languages, county):
    """The filter groups' HTML, in the order the page shows them."""
    fixed = labels()

    def error(name):
        errors = form[name].errors
        return {"text": errors[0], "visuallyHiddenText": fixed["error"]} if errors else None

    def counted(text, count):
        return f"{text} ({count})"

    def spoken_name(code):
        names = fixed["language"]
        if code not in names:
            names[code] = language_name(code)
        return names[code]

    groups = []
    groups.append(form_components.select({
        "id": "radius", "name": "radius",
        "label": {"text": _("Distance"), "classes": "govuk-label--s"},
        "hint": {"text": _("Online and phone services are always shown")},
        "errorMessage": error("radius"),
        "items": [{"value": "", "text": _("Any distance")}]
        + [{"value": value, "text": text, "selected": filters.radius == int(value)} for value, text in fixed["radius"]],
    }))

    if open_category and open_category.children:
        # A category is chosen: offer its sub-categories, and a way back to all.
        from app.directory.presenters import browse_url

        groups.append(Markup('<p class="govuk-body-s"><a class="govuk-link" href="{}">{}</a></p>\n').format(
            browse_url(filters, category=None), _("Show all categories")))
        groups.append(form_components.radios({
            "name": "category", "classes": "govuk-radios--small",
            "fieldset": {"legend": {"text": open_category.name, "classes": "govuk-fieldset__legend--s"}},
            "items": sub_category_items(open_category, counts["category"], filters.category),
        }))
    else:
        category = counts["category"]
        groups.append(form_components.radios({
            "name": "category", "classes": "govuk-radios--small",
            "fieldset": {"legend": {"text": _("Category"), "classes": "govuk-fieldset__legend--s"}},
            "errorMessage": error("category"),
            "items": [{"value": "", "text": counted(_("Any category"), category[None]), "checked": not filters.category}]
            + [{"value": c.code, "text": counted(c.name, category[c.code]), "checked": filters.category == c.code}
               for c in categories if category[c.code] or filters.category == c.code],
        }))

    age = counts["age"]
    groups.append(form_components.select({
        "id": "age", "name": "age",
        "label": {"text": _("Age of child or young person"), "classes": "govuk-label--s"},
        "errorMessage": error("age"),
        "items": [{"value": "", "text": counted(_("Any age"), age[None])},
                  {"value": "pregnancy", "text": counted(_("Expecting a baby"), age["pregnancy"]),
                   "selected": filters.age == "pregnancy"}]
        + [{"value": str(years), "text": counted(fixed["age"][years], age[years]), "selected": filters.age == years}
           for years in AGES if age[years] or filters.age == years],
    }))

    district = counts["district"]
    groups.append(form_components.radios({
        "name": "district", "classes": "govuk-radios--small",
        "fieldset": {"legend": {"text": _("Area"), "classes": "govuk-fieldset__legend--s"}},
        "errorMessage": error("district"),
        "items": [{"value": "", "text": counted(_("Anywhere in %(county)s", county=county), district[None]),
                   "checked": not filters.district}]
        + [{"value": d.slug, "text": counted(d.name, district[d.slug]), "checked": filters.district == d.slug}
           for d in districts if district[d.slug] or filters.district == d.slug],
    }))

    if counts["free"][True] or filters.free or form.cost.errors:
        groups.append(form_components.checkboxes({
            "name": "cost", "classes": "govuk-checkboxes--small",
            "fieldset": {"legend": {"text": _("Cost"), "classes": "govuk-fieldset__legend--s"}},
            "errorMessage": error("cost"),
            "items": [{"value": "free", "text": counted(_("Free only"), counts["free"][True]), "checked": filters.free}],
        }))

    level = counts["level"]
    groups.append(form_components.radios({
        "name": "level", "classes": "govuk-radios--small",
        "fieldset": {"legend": {"text": _("Type of help"), "classes": "govuk-fieldset__legend--s"}},
        "errorMessage": error("level"),
        "items": [{"value": "", "text": counted(_("Any"), level[None]), "checked": not filters.level}]
        + [{"value": code, "text": counted(name, level[code]), "checked": filters.level == code}
           for code, name in fixed["level"] if level[code] or filters.level == code],
    }))

    delivery = counts["delivery"]
    groups.append(form_components.radios({
        "name": "delivery", "classes": "govuk-radios--small",
        "fieldset": {"legend": {"text": _("How you get the help"), "classes": "govuk-fieldset__legend--s"}},
        "errorMessage": error("delivery"),
        "items": [{"value": "", "text": counted(_("Any way"), delivery[None]), "checked": not filters.delivery}]
        + [{"value": code, "text": counted(fixed["delivery"][code], delivery[code]), "checked": filters.delivery == code}
           for code in DELIVERY if delivery[code] or filters.delivery == code],
    }))

    day = counts["day"]
    groups.append(form_components.select({
        "id": "day", "name": "day",
        "label": {"text": _("Open on"), "classes": "govuk-label--s"},
        "hint": {"text": _("Services with set opening times")},
        "errorMessage": error("day"),
        "items": [{"value": "", "text": counted(_("Any day"), day[None])}]
        + [{"value": DAY_SLUGS[n], "text": counted(fixed["day"][n], day[n]), "selected": filters.day == n}
           for n in range(7) if day[n] or filters.day == n],
    }))

    spoken = counts["language"]
    groups.append(form_components.select({
        "id": "language", "name": "language",
        "label": {"text": _("Staff who speak"), "classes": "govuk-label--s"},
        "errorMessage": error("language"),
        "items": [{"value": "", "text": counted(_("Any language"), spoken[None])}]
        + [{"value": code, "text": counted(spoken_name(code), spoken[code]), "selected": filters.language == code}
           for code in languages if spoken[code] or filters.language == code],
    }))
    return Markup("").join(groups)
